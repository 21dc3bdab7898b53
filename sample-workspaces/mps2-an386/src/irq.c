/* irq: SysTick on the processor clock, both CMSDK timers, and NVIC
 * preemption. Handlers append to an event log that main prints afterwards
 * over UART0, so the output holds only ordering facts, never timing. */
#include <stdint.h>
#include "board.h"
#include "uart.h"

/* Software-only interrupts: lines 30 and 31 have no device on this board. */
#define LOW_SW_IRQn   30
#define HIGH_SW_IRQn  31

#define LOG_MAX 32
static volatile uint32_t log_len;
static volatile uint8_t log_ev[LOG_MAX];
static volatile uint8_t log_active[LOG_MAX];   /* external IRQs active (IABR) then */

enum { EV_T0_IN = 1, EV_T0_OUT, EV_HIGH_IN, EV_HIGH_OUT, EV_LOW_IN, EV_LOW_OUT, EV_T1 };
static const char *const ev_name[] = {
    "?", "timer0 enter", "timer0 leave", "irq31 enter (preempts timer0)", "irq31 leave",
    "irq30 enter", "irq30 leave", "timer1",
};

static volatile uint32_t systick_count, timer0_count, timer1_count;

static uint32_t active_count(void)
{
    uint32_t active = NVIC_IABR(0), n = 0;
    for (int i = 0; i < 32; i++)
        n += (active >> i) & 1u;
    return n;
}

static void log_event(uint8_t ev)
{
    uint32_t i = log_len;
    if (i < LOG_MAX) {
        log_ev[i] = ev;
        log_active[i] = (uint8_t)active_count();
        log_len = i + 1;
    }
}

void SysTick_Handler(void)
{
    systick_count++;
}

/* Timer0 runs at the lowest priority used here. It pends IRQ31 (higher
 * priority), which preempts it at once, and IRQ30 (priority below timer0),
 * which must wait until timer0 returns and then tail-chains. */
void IRQ8_Handler(void)
{
    TIMER_INTCLEAR(TIMER0_BASE) = 1;
    timer0_count++;
    if (timer0_count != 1)
        return;
    TIMER_CTRL(TIMER0_BASE) = 0;
    log_event(EV_T0_IN);
    NVIC_STIR = HIGH_SW_IRQn;       /* B3.4.3: STIR pends the numbered IRQ */
    dsb_isb();
    NVIC_ISPR(0) = 1u << LOW_SW_IRQn;
    dsb_isb();
    log_event(EV_T0_OUT);
}

void IRQ9_Handler(void)
{
    TIMER_INTCLEAR(TIMER1_BASE) = 1;
    timer1_count++;
    if (timer1_count == 3) {
        TIMER_CTRL(TIMER1_BASE) = 0;
        log_event(EV_T1);
    }
}

void IRQ31_Handler(void)
{
    log_event(EV_HIGH_IN);
    log_event(EV_HIGH_OUT);
}

void IRQ30_Handler(void)
{
    log_event(EV_LOW_IN);
    log_event(EV_LOW_OUT);
}

/* Wait (bounded) for a counter to reach a value; WFI lets an emulator skip
 * straight to the next timer event. */
static int wait_for(volatile uint32_t *counter, uint32_t target)
{
    for (uint32_t spins = 0; spins < 10000000u; spins++) {
        if (*counter >= target)
            return 1;
        __asm volatile("wfi");
    }
    return 0;
}

static void line(const char *label, int32_t value)
{
    uart_puts(label);
    uart_putdec(value);
    uart_putc('\n');
}

int main(void)
{
    int failures = 0;
    uart_init();
    uart_puts("irq: start\n");

    /* SysTick with CLKSOURCE = processor clock, TICKINT, ENABLE (B3.3.3). */
    SYST_RVR = 24999;
    SYST_CVR = 0;
    SYST_CSR = 0x7;
    int ok = wait_for(&systick_count, 5);
    SYST_CSR = 0;
    failures += !ok;
    line("systick reached 5 ticks: ", ok);

    /* The values differ in their top 3 bits, the fewest priority bits an
     * ARMv7-M implementation may have (B1.5.4), so any M4 orders them alike. */
    NVIC_IPR8(TIMER0_IRQn) = 0x80;
    NVIC_IPR8(TIMER1_IRQn) = 0x80;
    NVIC_IPR8(HIGH_SW_IRQn) = 0x20;
    NVIC_IPR8(LOW_SW_IRQn) = 0xC0;
    NVIC_ISER(0) = (1u << TIMER0_IRQn) | (1u << TIMER1_IRQn)
                 | (1u << HIGH_SW_IRQn) | (1u << LOW_SW_IRQn);

    TIMER_RELOAD(TIMER1_BASE) = 2000;
    TIMER_VALUE(TIMER1_BASE) = 2000;
    TIMER_CTRL(TIMER1_BASE) = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    ok = wait_for(&timer1_count, 3);
    failures += !ok;
    line("timer1 fired 3 times: ", ok);

    TIMER_RELOAD(TIMER0_BASE) = 5000;
    TIMER_VALUE(TIMER0_BASE) = 5000;
    TIMER_CTRL(TIMER0_BASE) = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    ok = wait_for(&timer0_count, 1);
    failures += !ok;
    line("timer0 fired: ", ok);

    /* BASEPRI = 0x40 masks priorities 0x40 and below: IRQ30 stays pending. */
    uint32_t basepri = 0x40;
    __asm volatile("msr basepri, %0" :: "r"(basepri) : "memory");
    NVIC_ISPR(0) = 1u << LOW_SW_IRQn;
    dsb_isb();
    line("irq30 pending under BASEPRI: ", (NVIC_ISPR(0) >> LOW_SW_IRQn) & 1u);
    basepri = 0;
    __asm volatile("msr basepri, %0" :: "r"(basepri) : "memory");
    dsb_isb();
    line("irq30 pending after BASEPRI cleared: ", (NVIC_ISPR(0) >> LOW_SW_IRQn) & 1u);

    NVIC_ICER(0) = 0xFFFFFFFFu;
    uart_puts("event log:\n");
    uint32_t n = log_len;
    for (uint32_t i = 0; i < n; i++) {
        uart_puts("  ");
        uart_puts(ev_name[log_ev[i] < sizeof ev_name / sizeof ev_name[0] ? log_ev[i] : 0]);
        line(", active irqs = ", log_active[i]);
    }
    static const uint8_t expected[] = { EV_T1, EV_T0_IN, EV_HIGH_IN, EV_HIGH_OUT, EV_T0_OUT,
                                        EV_LOW_IN, EV_LOW_OUT, EV_LOW_IN, EV_LOW_OUT };
    int order_ok = n == sizeof expected;
    for (uint32_t i = 0; order_ok && i < n; i++)
        order_ok = log_ev[i] == expected[i];
    failures += !order_ok;
    line("preemption order as expected: ", order_ok);
    line("failures: ", failures);
    return failures;
}
