/* The basics sample: globals and locals of every common C shape, a linked
 * list, recursion, a SysTick handler counting ticks, calls into a -O2 file,
 * and finally a divide by zero that traps as a fault for the debugger. */
#include <stdint.h>
#include "board.h"
#include "shapes.h"
#include "uart.h"

volatile uint32_t ticks;             /* written only by SysTick_Handler */
static struct shape square = {
    "square", COLOR_RED, { 1, 2, 3, 0 }, { { 0, 0 }, { 4, 0 }, { 4, 4 }, { 0, 4 } }, 4, 0,
};
static struct shape triangle = {
    "triangle", COLOR_BLUE, { 0, 5, 15, 0 }, { { 0, 0 }, { 6, 0 }, { 0, 3 } }, 3, &square,
};
struct shape *shapes = &triangle;
uint8_t buffer[64];
int32_t fib_table[12];
volatile int32_t divisor;            /* 0: main divides by it to raise the fault */

/* B3.3: SysTick counts the processor clock; each wrap pends exception 15. */
void SysTick_Handler(void)
{
    ticks++;
}

static uint32_t factorial(uint32_t n)
{
    if (n <= 1)
        return 1;
    return n * factorial(n - 1);
}

static int32_t fib(int32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int32_t list_length(const struct shape *s)
{
    int32_t n = 0;
    for (; s != 0 && n < 16; s = s->next)
        n++;
    return n;
}

static void print_shape(const struct shape *s)
{
    uart_puts(s->name);
    uart_puts(": color ");
    uart_putdec((int32_t)s->color);
    uart_puts(", level ");
    uart_putdec((int32_t)s->flags.level);
    uart_puts(", twice the area ");
    uart_putdec(area2(s));
    uart_puts("\n");
}

static void wait_ticks(uint32_t n)
{
    uint32_t start = ticks;
    /* Bounded: SysTick wraps every 1000 cycles, so this ends well within the cap. */
    for (uint32_t spin = 0; spin < 10000000u && ticks - start < n; spin++)
        __asm volatile("nop");
}

int main(void)
{
    uart_init();
    uart_puts("cortex-m4-basics\n");

    SYST_RVR = 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = 0x7u;                 /* processor clock, interrupt, enable */

    for (uint32_t i = 0; i < sizeof buffer; i++)
        buffer[i] = (uint8_t)(i * 7u + 1u);
    for (int32_t i = 0; i < 12; i++)
        fib_table[i] = fib(i);

    struct point origin = { -1, 2 };
    enum color favourite = COLOR_GREEN;
    uint32_t fact = factorial(6);
    int32_t sum = checksum(buffer, sizeof buffer);
    int32_t count = list_length(shapes);
    struct shape *p = shapes;
    int32_t *fp = &fib_table[11];

    for (struct shape *s = shapes; s != 0; s = s->next)
        print_shape(s);
    square.flags.level = 9;
    square.flags.ready = 0;

    uart_puts("6! = ");
    uart_putdec((int32_t)fact);
    uart_puts(", checksum ");
    uart_putdec(sum);
    uart_puts(", shapes ");
    uart_putdec(count);
    uart_puts(", fib(11) ");
    uart_putdec(*fp);
    uart_puts(", origin ");
    uart_putdec(origin.x + origin.y);
    uart_puts(", favourite ");
    uart_putdec((int32_t)favourite);
    uart_puts(", first ");
    uart_puts(p->name);
    uart_puts("\n");

    wait_ticks(3);
    SYST_CSR = 0;
    uart_puts("ticks seen\n");

    /* The fault to catch: B3.2.8 CCR.DIV_0_TRP makes SDIV by zero a
     * UsageFault, escalated to HardFault since UsageFault is not enabled. */
    SCB_CCR |= CCR_DIV_0_TRP;
    dsb_isb();
    int32_t q = 100 / divisor;
    uart_puts("not reached\n");
    return q;
}
