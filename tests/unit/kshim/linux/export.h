/* Userspace stand-in: nothing is exported outside the kernel. */
