/* Polled CMSDK UART0 transmit driver, used by both worlds. Each image keeps
 * its own base address: the secure alias while the PPC keeps UART0 secure,
 * the non-secure alias once secure boot has handed it over. */
#ifndef UART_H
#define UART_H
#include <stdint.h>

void uart_init(uint32_t base);
void uart_use(uint32_t base);
void uart_putc(char c);
void uart_puts(const char *s);
void uart_puthex(uint32_t v);
void uart_putdec(int32_t v);

#endif
