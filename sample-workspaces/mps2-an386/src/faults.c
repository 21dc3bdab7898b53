/* faults: a divide by zero with CCR.DIV_0_TRP (escalated to HardFault while
 * UsageFault is disabled) and an unaligned LDR with CCR.UNALIGN_TRP (taken as
 * UsageFault). Each handler records CFSR/HFSR and the stacked PC, then skips
 * the faulting instruction so main continues and prints what happened. */
#include <stdint.h>
#include <stdio.h>
#include "board.h"

struct fault_record {
    uint32_t count;
    uint32_t ipsr;
    uint32_t cfsr;
    uint32_t hfsr;
    uint32_t pc;
};
static volatile struct fault_record rec;

/* Called from the assembly stubs below with the exception stack frame
 * (B1.5.6: r0-r3, r12, lr, return address, xPSR). */
void fault_report(uint32_t *frame, uint32_t ipsr)
{
    rec.count++;
    rec.ipsr = ipsr;
    rec.cfsr = SCB_CFSR;
    rec.hfsr = SCB_HFSR;
    rec.pc = frame[6];
    /* A 32-bit Thumb instruction starts with 0b11101, 0b11110 or 0b11111
     * (A5.1); skip whichever size faulted. */
    uint16_t first = *(const uint16_t *)frame[6];
    frame[6] += (first >> 11) >= 0x1D ? 4u : 2u;
    /* Both registers are write-one-to-clear (B3.2.15, B3.2.16). */
    SCB_CFSR = rec.cfsr;
    SCB_HFSR = rec.hfsr;
}

/* EXC_RETURN bit 2 says which stack holds the frame. */
__attribute__((naked)) void HardFault_Handler(void)
{
    __asm volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mrs r1, ipsr\n\t"
        "push {r4, lr}\n\t"
        "bl fault_report\n\t"
        "pop {r4, pc}\n\t");
}

__attribute__((naked)) void UsageFault_Handler(void)
{
    __asm volatile("b HardFault_Handler\n\t");
}

__attribute__((noinline)) int32_t divide(int32_t a, int32_t b)
{
    int32_t q;
    __asm volatile("sdiv %0, %1, %2" : "=r"(q) : "r"(a), "r"(b));
    return q;
}

__attribute__((noinline)) uint32_t load_word(const volatile uint32_t *p)
{
    uint32_t v;
    __asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static uint8_t bytes[8] __attribute__((aligned(4))) = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

static int report(const char *what, const char *fn_name, uint32_t fn, uint32_t want_ipsr, uint32_t want_cfsr,
                  uint32_t want_hfsr)
{
    printf("%s: faults=%lu exception=%lu CFSR=0x%08lx HFSR=0x%08lx PC=%s+%lu\n", what,
           (unsigned long)rec.count, (unsigned long)rec.ipsr, (unsigned long)rec.cfsr,
           (unsigned long)rec.hfsr, rec.pc >= (fn & ~1u) ? fn_name : "before fn",
           (unsigned long)(rec.pc - (fn & ~1u)));
    int ok = rec.count == 1 && rec.ipsr == want_ipsr && rec.cfsr == want_cfsr
          && rec.hfsr == want_hfsr;
    rec.count = 0;
    return ok ? 0 : 1;
}

int main(void)
{
    int failures = 0;
    volatile int32_t zero = 0;

    printf("sdiv by zero, no trap: 7/0 = %ld\n", (long)divide(7, zero));

    SCB_CCR |= CCR_DIV_0_TRP;
    dsb_isb();
    int32_t q = divide(7, zero);
    /* UsageFault disabled: escalated to HardFault (IPSR 3), HFSR.FORCED. */
    failures += report("sdiv by zero, DIV_0_TRP", "divide", (uint32_t)divide, 3, 1u << 25, 1u << 30);
    printf("  execution resumed after the sdiv, r0 = %ld (the dividend)\n", (long)q);

    const volatile uint32_t *odd = (const volatile uint32_t *)(bytes + 1);
    printf("unaligned ldr, no trap: 0x%08lx\n", (unsigned long)load_word(odd));

    SCB_SHCSR |= SHCSR_USGFAULTENA;
    SCB_CCR |= CCR_UNALIGN_TRP;
    dsb_isb();
    (void)load_word(odd);
    failures += report("unaligned ldr, UNALIGN_TRP", "load_word", (uint32_t)load_word, 6, 1u << 24, 0);

    /* LDRD faults when unaligned even without UNALIGN_TRP (A3.2.1). */
    SCB_CCR &= ~CCR_UNALIGN_TRP;
    dsb_isb();
    uint32_t lo = 0, hi = 0;
    __asm volatile("ldrd %0, %1, [%2]" : "+r"(lo), "+r"(hi) : "r"(odd) : "memory");
    failures += report("unaligned ldrd", "main", (uint32_t)main, 6, 1u << 24, 0);

    printf("failures: %d\n", failures);
    return failures;
}
