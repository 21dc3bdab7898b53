/* systick (non-secure image): starts the non-secure SysTick and sleeps in
 * WFI until both its own count and the secure one (asked through an NSC
 * service) reach 5, then stops it and reports. */
#include <stdint.h>
#include "board.h"
#include "uart.h"

uint32_t s_systick_count(void);

static volatile uint32_t ns_ticks;
static volatile uint32_t ns_ipsr;

void SysTick_Handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    ns_ipsr = ipsr;
    ns_ticks = ns_ticks + 1u;
}

int main(void)
{
    /* 1.5 ms per non-secure tick, so the two never run in lockstep. */
    SYST_RVR = 30000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSRC | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    uart_puts("ns: SysTick started, reload ");
    uart_putdec((int32_t)SYST_RVR);
    uart_puts("\n");

    uint32_t wakeups = 0;
    while ((ns_ticks < 5u || s_systick_count() < 5u) && wakeups < 10000u) {
        __asm volatile("wfi");
        wakeups++;
    }
    SYST_CSR = 0;
    uart_puts("ns: non-secure SysTick reached 5: ");
    uart_puts(ns_ticks >= 5u ? "yes" : "no");
    uart_puts("\nns: secure SysTick reached 5: ");
    uart_puts(s_systick_count() >= 5u ? "yes" : "no");
    uart_puts("\nns: non-secure handler ran with IPSR ");
    uart_putdec((int32_t)ns_ipsr);
    uart_puts("\n");
    return ns_ticks >= 5u && s_systick_count() >= 5u ? 0 : 1;
}
