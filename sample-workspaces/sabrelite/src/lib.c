/* UART1 console with a minimal printf (%s %c %d %u %x with width/zero padding), the
 * semihosting console and exit (semihost.h), and the default exception handler. */
#include <stdarg.h>
#include "board.h"
#include "lib.h"
#include "semihost.h"

void uart_init(void)
{
	/* The boot ROM leaves UART1 enabled; set UARTEN and TXEN anyway (SRST kept high). */
	REG32(UART1_BASE + UART_UCR1) |= 1u;
	REG32(UART1_BASE + UART_UCR2) |= (1u << 2) | 1u;
}

void uart_putc(char c)
{
	while (REG32(UART1_BASE + UART_UTS) & UTS_TXFULL)
		;
	REG32(UART1_BASE + UART_UTXD) = (uint8_t)c;
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static void put_num(uint32_t v, unsigned base, int width, char pad, int neg)
{
	char buf[12];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0 && n < (int)sizeof buf);
	if (neg)
		buf[n < (int)sizeof buf ? n++ : n - 1] = '-';
	while (width-- > n)
		uart_putc(pad);
	while (n > 0)
		uart_putc(buf[--n]);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			uart_putc(*p);
			continue;
		}
		char pad = ' ';
		int width = 0;
		if (p[1] == '0') {
			pad = '0';
			p++;
		}
		while (p[1] >= '0' && p[1] <= '9')
			width = width * 10 + (*++p - '0');
		switch (*++p) {
		case 's': uart_puts(va_arg(ap, const char *)); break;
		case 'c': uart_putc((char)va_arg(ap, int)); break;
		case 'u': put_num(va_arg(ap, uint32_t), 10, width, pad, 0); break;
		case 'x': put_num(va_arg(ap, uint32_t), 16, width, pad, 0); break;
		case 'd': {
			int v = va_arg(ap, int);
			put_num(v < 0 ? (uint32_t)-v : (uint32_t)v, 10, width, pad, v < 0);
			break;
		}
		case '%': uart_putc('%'); break;
		case '\0': p--; break;
		default: uart_putc('?'); break;
		}
	}
	va_end(ap);
}

void sh_write0(const char *s)
{
	semihost_call(SYS_WRITE0, s);
}

void sh_exit(int code)
{
	/* SYS_EXIT_EXTENDED: {ADP_Stopped_ApplicationExit, code}. */
	static uint32_t block[2];
	block[0] = 0x20026;
	block[1] = (uint32_t)code;
	semihost_call(SYS_EXIT_EXTENDED, block);
	for (;;)
		;
}

const char *mode_name(uint32_t cpsr)
{
	switch (cpsr & 0x1f) {
	case 0x10: return "usr";
	case 0x11: return "fiq";
	case 0x12: return "irq";
	case 0x13: return "svc";
	case 0x16: return "mon";
	case 0x17: return "abt";
	case 0x1b: return "und";
	case 0x1f: return "sys";
	default: return "???";
	}
}

__attribute__((weak)) void exception_handler(struct frame *f, int kind)
{
	kprintf("unexpected exception %d at pc %08x\n", kind, f->pc);
	sh_exit(3);
}

__attribute__((weak)) void secondary_main(uint32_t core, uint32_t arg)
{
	(void)core;
	(void)arg;
	for (;;)
		__asm__ volatile("wfe");
}
