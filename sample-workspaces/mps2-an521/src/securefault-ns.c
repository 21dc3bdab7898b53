/* securefault (non-secure image): reads secure RAM (SecureFault AUVIOL),
 * branches into secure code that is not an SG entry (SecureFault INVEP),
 * and touches UART1, which the PPC keeps secure (RAZ/WI, no fault). */
#include <stdint.h>
#include "board.h"
#include "uart.h"

#define UART1_NS_BASE 0x40201000u

uint32_t s_uart1_bauddiv(void);

/* One 16-bit load, so the secure handler knows how far to skip. */
__attribute__((naked, noinline)) static uint32_t ns_probe_load(uint32_t addr)
{
    (void)addr;
    __asm volatile("ldr r0, [r0]\n\tbx lr");
}

int main(void)
{
    int failures = 0;
    uart_puts("ns: reading secure RAM at 0x38000000\n");
    uint32_t v = ns_probe_load(0x38000000u);
    uart_puts("ns: the read returned ");
    uart_puthex(v);
    uart_puts("\n");
    failures += v != 0xBAD0FA17u;

    uart_puts("ns: calling secure code at 0x10000201 without SG\n");
    uint32_t (*bad)(uint32_t) = (uint32_t (*)(uint32_t))0x10000201u;
    v = bad(1);
    uart_puts("ns: the call returned ");
    uart_puthex(v);
    uart_puts("\n");
    failures += v != 0xBAD0E417u;

    UART_BAUDDIV(UART1_NS_BASE) = 0x55;
    v = UART_BAUDDIV(UART1_NS_BASE);
    uart_puts("ns: UART1 BAUDDIV through the PPC reads ");
    uart_puthex(v);
    uint32_t s = s_uart1_bauddiv();
    uart_puts(", the secure world still sees ");
    uart_puthex(s);
    uart_puts("\n");
    failures += v != 0 || s != 0x1234u;
    return failures;
}
