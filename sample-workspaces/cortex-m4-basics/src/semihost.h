/* Raw ARM semihosting calls (BKPT 0xAB on M-profile), as specified in Arm's
 * "Semihosting for AArch32 and AArch64" v2.0. Used by startup to exit with
 * main's status and by the semihost sample to exercise each operation. */
#ifndef SEMIHOST_H
#define SEMIHOST_H
#include <stdint.h>

#define SYS_OPEN          0x01
#define SYS_CLOSE         0x02
#define SYS_WRITEC        0x03
#define SYS_WRITE0        0x04
#define SYS_WRITE         0x05
#define SYS_READ          0x06
#define SYS_ISTTY         0x09
#define SYS_FLEN          0x0C
#define SYS_CLOCK         0x10
#define SYS_ERRNO         0x13
#define SYS_GET_CMDLINE   0x15
#define SYS_HEAPINFO      0x16
#define SYS_EXIT          0x18
#define SYS_EXIT_EXTENDED 0x20
#define SYS_ELAPSED       0x30
#define SYS_TICKFREQ      0x31

#define ADP_Stopped_ApplicationExit 0x20026u

static inline int32_t semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

/* EXIT_EXTENDED carries the status; plain SYS_EXIT on AArch32 can only say
 * "success" or "failure" because r1 holds the reason code itself. */
static inline void __attribute__((noreturn)) semihost_exit(int code)
{
    uint32_t block[2] = { ADP_Stopped_ApplicationExit, (uint32_t)code };
    semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;)
        __asm volatile("wfi");
}

#endif
