/* Userspace stand-in for the kernel types the softres policy core uses. */
#ifndef SOFTRES_KSHIM_TYPES_H
#define SOFTRES_KSHIM_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
#endif
