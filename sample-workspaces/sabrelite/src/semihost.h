/* Semihosting as QEMU takes it on A-profile: operation in r0, argument in r1, and
 * SVC 0x123456 in ARM state or SVC 0xAB in Thumb state. Shared by lib.c and the
 * bench workloads built for this board (bench/Makefile). */
#ifndef SEMIHOST_H
#define SEMIHOST_H
#include <stdint.h>

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20

static inline uint32_t semihost_call(uint32_t op, const void *arg)
{
	register uint32_t r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;
#ifdef __thumb__
	__asm__ volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
#else
	__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
#endif
	return r0;
}

#endif
