/* boot (non-secure image): proves it runs non-secure (VTOR reads the NS
 * copy, the SAU is invisible) and returns 5 to the secure caller. */
#include "board.h"
#include "uart.h"

uint32_t s_sau_ctrl(void);   /* secure entry, through its SG veneer */

int main(void)
{
    uart_puts("ns: hello from the non-secure world\n");
    uart_puts("ns: VTOR = ");
    uart_puthex(SCB_VTOR);
    /* SAU registers are RAZ/WI to non-secure accesses. */
    uart_puts("\nns: SAU_CTRL reads ");
    uart_puthex(SAU_CTRL);
    uart_puts(", the secure world reads ");
    uart_puthex(s_sau_ctrl());
    uint32_t control;
    __asm volatile("mrs %0, control" : "=r"(control));
    uart_puts("\nns: CONTROL = ");
    uart_puthex(control);
    uart_puts("\nns: returning 5 to the secure world\n");
    return 5;
}
