/* hello: the smallest end-to-end check of a board — one line through
 * semihosting printf (newlib + rdimon) and one through the CMSDK UART. */
#include <stdio.h>
#include "uart.h"

int main(void)
{
    printf("Hello from mps2-an386 over semihosting, %d + %d = %d\n", 20, 22, 20 + 22);
    uart_init();
    uart_puts("Hello from mps2-an386 over UART0\n");
    return 0;
}
