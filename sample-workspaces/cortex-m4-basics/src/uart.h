/* Polled driver for CMSDK UART0: enough to print lines, decimal and hex
 * without pulling newlib's printf into firmware that must not use it. */
#ifndef UART_H
#define UART_H
#include <stdint.h>

void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);
void uart_puthex(uint32_t v);
void uart_putdec(int32_t v);

#endif
