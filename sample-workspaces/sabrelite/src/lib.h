/* Console and semihosting helpers shared by the sabrelite samples: UART1 output with a
 * small printf, QEMU-style semihosting (SVC 0x123456 in ARM state) and the exception
 * frame the start-up code hands to exception_handler(). */
#ifndef LIB_H
#define LIB_H
#include <stdint.h>

void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);
void kprintf(const char *fmt, ...);

void sh_write0(const char *s);
void sh_exit(int code) __attribute__((noreturn));

/* Saved by the exception stubs in start.S: r0-r12 and the preferred return address.
 * For aborts, UNDEF and SVC `pc` is the instruction that trapped; a handler that wants to
 * skip it adds 4. */
struct frame { uint32_t r[13]; uint32_t pc; };
enum exc_kind { EXC_UNDEF = 1, EXC_SVC = 2, EXC_PABT = 3, EXC_DABT = 4, EXC_IRQ = 6, EXC_FIQ = 7 };
void exception_handler(struct frame *f, int kind);
/* Entry of cores 1-3 once released (core number, and r0 as the SRC GPR gave it). */
void secondary_main(uint32_t core, uint32_t arg);

static inline uint32_t read_cpsr(void) { uint32_t v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
static inline uint32_t read_mpidr(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v)); return v; }
const char *mode_name(uint32_t cpsr);

#endif
