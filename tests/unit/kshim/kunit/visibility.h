/* Userspace stand-in: nothing to export outside the kernel. */
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
