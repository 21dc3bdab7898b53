/* Vector table, reset handler and default handlers for mps2-an386 firmware.
 * Reset: enable the FPU, copy .data, zero .bss, open the semihosting console
 * when newlib's rdimon is linked, run main, then exit with main's status. */
#include <stdint.h>
#include "board.h"
#include "semihost.h"

extern uint32_t __stack_top[];
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];

int main(void);

/* Present only when the image links librdimon (printf samples); a weak
 * reference does not pull the archive member in on its own. */
extern void initialise_monitor_handles(void) __attribute__((weak));
extern int fflush(void *stream) __attribute__((weak));
extern void __libc_init_array(void) __attribute__((weak));

void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void);

#define WEAK_DEFAULT __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;
void IRQ0_Handler(void) WEAK_DEFAULT;   /* UART0 RX */
void IRQ1_Handler(void) WEAK_DEFAULT;   /* UART0 TX */
void IRQ2_Handler(void) WEAK_DEFAULT;
void IRQ3_Handler(void) WEAK_DEFAULT;
void IRQ4_Handler(void) WEAK_DEFAULT;
void IRQ5_Handler(void) WEAK_DEFAULT;
void IRQ6_Handler(void) WEAK_DEFAULT;
void IRQ7_Handler(void) WEAK_DEFAULT;
void IRQ8_Handler(void) WEAK_DEFAULT;   /* TIMER0 */
void IRQ9_Handler(void) WEAK_DEFAULT;   /* TIMER1 */
void IRQ10_Handler(void) WEAK_DEFAULT;  /* dual timer */
void IRQ11_Handler(void) WEAK_DEFAULT;
void IRQ12_Handler(void) WEAK_DEFAULT;  /* UART overflow (ORed) */
void IRQ13_Handler(void) WEAK_DEFAULT;  /* ethernet */
void IRQ14_Handler(void) WEAK_DEFAULT;
void IRQ15_Handler(void) WEAK_DEFAULT;
void IRQ16_Handler(void) WEAK_DEFAULT;
void IRQ17_Handler(void) WEAK_DEFAULT;
void IRQ18_Handler(void) WEAK_DEFAULT;
void IRQ19_Handler(void) WEAK_DEFAULT;
void IRQ20_Handler(void) WEAK_DEFAULT;
void IRQ21_Handler(void) WEAK_DEFAULT;
void IRQ22_Handler(void) WEAK_DEFAULT;
void IRQ23_Handler(void) WEAK_DEFAULT;
void IRQ24_Handler(void) WEAK_DEFAULT;
void IRQ25_Handler(void) WEAK_DEFAULT;
void IRQ26_Handler(void) WEAK_DEFAULT;
void IRQ27_Handler(void) WEAK_DEFAULT;
void IRQ28_Handler(void) WEAK_DEFAULT;
void IRQ29_Handler(void) WEAK_DEFAULT;
void IRQ30_Handler(void) WEAK_DEFAULT;
void IRQ31_Handler(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

/* B1.5.3: entry 0 is the initial MSP, entry 1 the reset vector, then the
 * 14 remaining system exceptions and one entry per external interrupt. */
__attribute__((section(".vectors"), used))
const vector_t vector_table[16 + NUM_EXT_IRQS] = {
    (vector_t)(uintptr_t)__stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    IRQ0_Handler,  IRQ1_Handler,  IRQ2_Handler,  IRQ3_Handler,
    IRQ4_Handler,  IRQ5_Handler,  IRQ6_Handler,  IRQ7_Handler,
    IRQ8_Handler,  IRQ9_Handler,  IRQ10_Handler, IRQ11_Handler,
    IRQ12_Handler, IRQ13_Handler, IRQ14_Handler, IRQ15_Handler,
    IRQ16_Handler, IRQ17_Handler, IRQ18_Handler, IRQ19_Handler,
    IRQ20_Handler, IRQ21_Handler, IRQ22_Handler, IRQ23_Handler,
    IRQ24_Handler, IRQ25_Handler, IRQ26_Handler, IRQ27_Handler,
    IRQ28_Handler, IRQ29_Handler, IRQ30_Handler, IRQ31_Handler,
};

/* The copy loops must not become memcpy/memset calls: libc may not be
 * linked, and .data is not valid until the loop has run. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void Reset_Handler(void)
{
    /* B3.2.20: CP10/CP11 full access, before any VFP instruction executes. */
    SCB_CPACR |= 0xFu << 20;
    dsb_isb();

    const uint32_t *src = __data_load;
    for (uint32_t *dst = __data_start; dst < __data_end; )
        *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end; )
        *dst++ = 0;

    if (initialise_monitor_handles)
        initialise_monitor_handles();
    if (__libc_init_array)
        __libc_init_array();

    int status = main();

    if (fflush)
        fflush(0);
    semihost_exit(status);
}

/* An unexpected exception: report which one through semihosting and stop,
 * so a missing handler shows up as a clear failure rather than a hang. */
void Default_Handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    static const char msg[] = "unexpected exception ";
    semihost_call(SYS_WRITE0, msg);
    char num[4] = { (char)('0' + (ipsr / 10u) % 10u), (char)('0' + ipsr % 10u), '\n', 0 };
    semihost_call(SYS_WRITE0, num);
    semihost_exit(100 + (int)(ipsr & 0xFF));
}
