/* mpu: programs the ARMv7-M PMSA MPU (B3.5), drops to unprivileged Thread
 * mode, writes a region that is read-only to unprivileged code and reads a
 * device with no region; each MemManage fault reports CFSR and MMFAR, skips the
 * access and lets the program go on. An SVC brings back privilege. */
#include <stdint.h>
#include <stdio.h>
#include "board.h"

#define RASR_ENABLE     1u
#define RASR_SIZE(log2) (((log2) - 1u) << 1)   /* region size = 2^(SIZE+1) */
#define RASR_C          (1u << 17)
#define RASR_B          (1u << 16)
#define RASR_AP(ap)     ((uint32_t)(ap) << 24)
#define RASR_XN         (1u << 28)
#define AP_FULL         3u   /* priv RW, unpriv RW */
#define AP_PRIV_RW_UNPRIV_RO 2u
#define AP_RO           6u   /* priv RO, unpriv RO */
#define MPU_CTRL_ENABLE     1u
#define MPU_CTRL_PRIVDEFENA 4u

/* The region base must be aligned to the region size (B3.5.8). */
static volatile uint32_t ro_buf[8] __attribute__((aligned(32))) = { 1, 2, 3, 4, 5, 6, 7, 8 };

struct fault_record {
    uint32_t count, cfsr, mmfar, pc;
};
static volatile struct fault_record rec;

void memmanage_report(uint32_t *frame)
{
    rec.count++;
    rec.cfsr = SCB_CFSR;
    rec.mmfar = SCB_MMFAR;
    rec.pc = frame[6];
    uint16_t first = *(const uint16_t *)frame[6];
    frame[6] += (first >> 11) >= 0x1D ? 4u : 2u;   /* A5.1: 32-bit encodings */
    SCB_CFSR = rec.cfsr;                           /* write-one-to-clear */
}

__attribute__((naked)) void MemManage_Handler(void)
{
    __asm volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "push {r4, lr}\n\t"
        "bl memmanage_report\n\t"
        "pop {r4, pc}\n\t");
}

/* SVC #0 from unprivileged code asks for privilege back: handler mode is
 * always privileged, so it may clear CONTROL.nPRIV for the caller. */
__attribute__((naked)) void SVC_Handler(void)
{
    __asm volatile(
        "mrs r0, control\n\t"
        "bic r0, r0, #1\n\t"
        "msr control, r0\n\t"
        "bx lr\n\t");
}

static uint32_t control(void)
{
    uint32_t v;
    __asm volatile("mrs %0, control" : "=r"(v));
    return v;
}

static void drop_privilege(void)
{
    __asm volatile("mrs r0, control\n\torr r0, r0, #1\n\tmsr control, r0\n\tisb" ::: "r0", "memory");
}

static void regain_privilege(void)
{
    __asm volatile("svc #0\n\tisb" ::: "r0", "memory");
}

__attribute__((noinline)) void unpriv_store(volatile uint32_t *p, uint32_t v)
{
    __asm volatile("str %1, [%0]" :: "r"(p), "r"(v) : "memory");
}

__attribute__((noinline)) uint32_t unpriv_load(const volatile uint32_t *p)
{
    uint32_t v;
    __asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static void mpu_region(uint32_t n, uint32_t base, uint32_t rasr)
{
    MPU_RNR = n;
    MPU_RBAR = base;
    MPU_RASR = rasr;
}

/* Addresses are printed relative to a named symbol so the text does not
 * change when the link moves things. */
static int show_fault(const char *what, const char *fn_name, uint32_t fn,
                      const char *base_name, uint32_t base, uint32_t want_mmfar)
{
    printf("%s: faults=%lu CFSR=0x%08lx MMFAR=%s+%ld PC=%s+%lu\n", what,
           (unsigned long)rec.count, (unsigned long)rec.cfsr, base_name,
           (long)(rec.mmfar - base), fn_name, (unsigned long)(rec.pc - (fn & ~1u)));
    /* MMFSR: DACCVIOL (bit 1) with MMARVALID (bit 7). */
    int ok = rec.count == 1 && rec.cfsr == 0x82u && rec.mmfar == want_mmfar;
    rec.count = 0;
    return ok ? 0 : 1;
}

int main(void)
{
    int failures = 0;
    uint32_t type = MPU_TYPE;
    printf("MPU_TYPE.DREGION = %lu\n", (unsigned long)((type >> 8) & 0xFF));

    mpu_region(0, 0x00000000u, RASR_ENABLE | RASR_SIZE(22) | RASR_AP(AP_RO) | RASR_C);
    mpu_region(1, 0x20000000u, RASR_ENABLE | RASR_SIZE(22) | RASR_AP(AP_FULL) | RASR_XN | RASR_C | RASR_B);
    mpu_region(2, (uint32_t)ro_buf, RASR_ENABLE | RASR_SIZE(5) | RASR_AP(AP_PRIV_RW_UNPRIV_RO) | RASR_XN | RASR_C | RASR_B);
    SCB_SHCSR |= SHCSR_MEMFAULTENA;
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    dsb_isb();

    ro_buf[0] = 100;   /* privileged: region 2 allows the write */

    drop_privilege();
    uint32_t nonpriv = control() & 1u;
    uint32_t seen = unpriv_load(&ro_buf[1]);
    unpriv_store(&ro_buf[3], 0xBADu);
    /* The UART has no region, and PRIVDEFENA only covers privileged code. */
    (void)unpriv_load((const volatile uint32_t *)(UART0_BASE + 4));
    struct fault_record store_fault = rec;
    regain_privilege();

    rec = store_fault;
    printf("unprivileged: CONTROL.nPRIV=%lu, read ro_buf[1]=%lu\n", (unsigned long)nonpriv,
           (unsigned long)seen);
    printf("faults while unprivileged: %lu\n", (unsigned long)rec.count);
    failures += rec.count != 2;
    rec.count = 0;
    printf("ro_buf[0]=%lu (privileged write kept), ro_buf[3]=%lu (unprivileged write blocked)\n",
           (unsigned long)ro_buf[0], (unsigned long)ro_buf[3]);
    failures += ro_buf[0] != 100 || ro_buf[3] != 4 || seen != 2 || nonpriv != 1;
    printf("back in privileged mode: CONTROL.nPRIV=%lu\n", (unsigned long)(control() & 1u));

    /* Repeat each fault alone to report its registers one at a time. */
    drop_privilege();
    unpriv_store(&ro_buf[3], 0xBADu);
    regain_privilege();
    failures += show_fault("unprivileged store to ro_buf[3]", "unpriv_store",
                           (uint32_t)unpriv_store, "ro_buf", (uint32_t)ro_buf, (uint32_t)&ro_buf[3]);

    drop_privilege();
    (void)unpriv_load((const volatile uint32_t *)(UART0_BASE + 4));
    regain_privilege();
    failures += show_fault("unprivileged load from UART0+4", "unpriv_load",
                           (uint32_t)unpriv_load, "UART0", UART0_BASE, UART0_BASE + 4);

    MPU_CTRL = 0;
    dsb_isb();
    printf("failures: %d\n", failures);
    return failures;
}
