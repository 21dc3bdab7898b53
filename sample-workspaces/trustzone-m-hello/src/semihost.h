/* Raw ARM semihosting (BKPT 0xAB on M-profile), per Arm's "Semihosting for
 * AArch32 and AArch64" v2.0: WRITE0 for fatal messages and EXIT_EXTENDED to
 * end a run with a status that reaches the host's exit code. */
#ifndef SEMIHOST_H
#define SEMIHOST_H
#include <stdint.h>

#define SYS_WRITE0        0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_Stopped_ApplicationExit 0x20026u

static inline int32_t semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

/* EXIT_EXTENDED carries the status; plain SYS_EXIT on AArch32 cannot. */
static inline void __attribute__((noreturn)) semihost_exit(int code)
{
    uint32_t block[2] = { ADP_Stopped_ApplicationExit, (uint32_t)code };
    semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;)
        __asm volatile("wfi");
}

#endif
