/* securefault (secure image): SecureFault handler for NS code that breaks
 * the rules. Prints SFSR, SFAR and the stacked state, clears SFSR, and
 * repairs the NS frame: a load from secure RAM gets a marker value, a branch
 * into secure code without SG returns to its caller. */
#include <arm_cmse.h>
#include "board.h"
#include "semihost.h"
#include "tz.h"
#include "uart.h"

#define SFSR_INVEP     (1u << 0)
#define SFSR_AUVIOL    (1u << 3)
#define SFSR_SFARVALID (1u << 6)
#define UART1_S_BASE   0x50201000u

#define LOAD_MARKER    0xBAD0FA17u
#define BRANCH_MARKER  0xBAD0E417u

static uint32_t faults;

void securefault_report(uint32_t exc_return);

/* The handler needs EXC_RETURN as it arrived in LR, before any prologue. */
__attribute__((naked)) void SecureFault_Handler(void)
{
    __asm volatile("mov r0, lr\n\tb securefault_report");
}

void securefault_report(uint32_t exc_return)
{
    uint32_t sfsr = SCB_SFSR, sfar = SCB_SFAR;
    if (++faults > 4) {
        uart_puts("secure: too many SecureFaults, stopping\n");
        semihost_exit(90);
    }
    uart_puts("secure: SecureFault, SFSR = ");
    uart_puthex(sfsr);
    uart_puts(", SFAR = ");
    uart_puthex(sfar);
    uart_puts(", EXC_RETURN = ");
    uart_puthex(exc_return);
    uart_puts("\n");

    /* EXC_RETURN.S (bit 6) = 0: the frame is on a non-secure stack, and
     * SPSEL (bit 2) says which one. */
    if (exc_return & (1u << 6)) {
        uart_puts("secure: fault came from the secure world, stopping\n");
        semihost_exit(91);
    }
    uint32_t *frame;
    if (exc_return & (1u << 2))
        __asm volatile("mrs %0, psp_ns" : "=r"(frame));
    else
        __asm volatile("mrs %0, msp_ns" : "=r"(frame));
    uart_puts("secure: stacked pc = ");
    uart_puthex(frame[6]);
    uart_puts(", lr = ");
    uart_puthex(frame[5]);
    uart_puts("\n");

    if (sfsr & SFSR_AUVIOL) {
        /* ns_probe_load's faulting instruction is the 16-bit ldr r0, [r0]. */
        frame[0] = LOAD_MARKER;
        frame[6] += 2u;
    } else if (sfsr & SFSR_INVEP) {
        frame[0] = BRANCH_MARKER;
        frame[6] = frame[5] & ~1u;
    } else {
        uart_puts("secure: unexpected SecureFault cause, stopping\n");
        semihost_exit(92);
    }
    /* SFSR bits are write-one-to-clear. */
    SCB_SFSR = sfsr;
    uart_puts("secure: SFSR after clearing = ");
    uart_puthex(SCB_SFSR);
    uart_puts("\n");
}

uint32_t __attribute__((cmse_nonsecure_entry)) s_uart1_bauddiv(void)
{
    return UART_BAUDDIV(UART1_S_BASE);
}

int main(void)
{
    uart_puts("secure: securefault sample\n");
    SCB_SHCSR |= SHCSR_SECUREFAULTENA;
    /* UART1 stays secure; the NS side will try its non-secure alias. */
    UART_BAUDDIV(UART1_S_BASE) = 0x1234;
    tz_setup();
    int32_t status = tz_boot_ns();
    uart_puts("secure: non-secure main returned ");
    uart_putdec(status);
    uart_puts(" after ");
    uart_putdec((int32_t)faults);
    uart_puts(" SecureFaults\n");
    return status;
}
