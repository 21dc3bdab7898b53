/* Polled CMSDK UART0 transmit driver; see uart.h. The busy-wait on TXFULL is
 * bounded so a model that never drains the holding register cannot hang us. */
#include "board.h"
#include "uart.h"

static uint32_t uart_base = UART0_S_BASE;

void uart_init(uint32_t base)
{
    uart_base = base;
    /* 20 MHz / 115200 baud; QEMU ignores the rate but warns below 16. */
    UART_BAUDDIV(uart_base) = 173;
    UART_CTRL(uart_base) = UART_CTRL_TXEN;
}

void uart_use(uint32_t base)
{
    uart_base = base;
}

void uart_putc(char c)
{
    for (uint32_t spin = 0; spin < 1000000u; spin++) {
        if ((UART_STATE(uart_base) & UART_STATE_TXFULL) == 0)
            break;
    }
    UART_DATA(uart_base) = (uint8_t)c;
}

void uart_puts(const char *s)
{
    for (uint32_t n = 0; s[n] != 0 && n < 4096u; n++)
        uart_putc(s[n]);
}

void uart_puthex(uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc(digits[(v >> shift) & 0xF]);
}

void uart_putdec(int32_t v)
{
    char buf[12];
    int n = 0;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    if (v < 0)
        uart_putc('-');
    do {
        buf[n++] = (char)('0' + u % 10u);
        u /= 10u;
    } while (u != 0);
    while (n > 0)
        uart_putc(buf[--n]);
}
