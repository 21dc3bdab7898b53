/* systick (secure image): the secure SysTick runs while the non-secure app
 * runs its own (banked) SysTick. Only timing-independent facts are printed:
 * which handler ran in which state, that both counts reached their goal,
 * and that secure ticks preempted non-secure code. */
#include <arm_cmse.h>
#include "board.h"
#include "tz.h"
#include "uart.h"

static volatile uint32_t s_ticks;
static volatile uint32_t s_ticks_over_ns;
static volatile uint32_t s_ipsr;

void systick_count(uint32_t exc_return);

__attribute__((naked)) void SysTick_Handler(void)
{
    __asm volatile("mov r0, lr\n\tb systick_count");
}

void systick_count(uint32_t exc_return)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    s_ipsr = ipsr;
    s_ticks = s_ticks + 1u;
    /* EXC_RETURN.S = 0: the interrupted context was non-secure. */
    if ((exc_return & (1u << 6)) == 0)
        s_ticks_over_ns = s_ticks_over_ns + 1u;
}

uint32_t __attribute__((cmse_nonsecure_entry)) s_systick_count(void)
{
    return s_ticks;
}

int main(void)
{
    uart_puts("secure: systick sample\n");
    tz_setup();
    /* 20 MHz processor clock: one secure tick every 1 ms. */
    SYST_RVR = 20000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSRC | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    int32_t status = tz_boot_ns();
    SYST_CSR = 0;
    uart_puts("secure: secure SysTick reached 5: ");
    uart_puts(s_ticks >= 5u ? "yes" : "no");
    uart_puts("\nsecure: secure handler ran with IPSR ");
    uart_putdec((int32_t)s_ipsr);
    uart_puts(" in the secure state\nsecure: secure ticks preempted non-secure code: ");
    uart_puts(s_ticks_over_ns > 0u ? "yes" : "no");
    uart_puts("\n");
    return status;
}
