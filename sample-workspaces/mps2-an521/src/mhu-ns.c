/* mhu (non-secure image): the last step of the sample, showing that CPU0
 * still boots its non-secure world after the doorbell exchange and
 * can ask the secure side about it through an NSC veneer. */
#include "board.h"
#include "uart.h"

uint32_t s_cpu1_served(void);

int main(void)
{
    uart_puts("ns: hello from CPU0's non-secure world; the secure side says CPU1 served ");
    uint32_t served = s_cpu1_served();
    uart_putdec((int32_t)served);
    uart_puts(" requests\n");
    return served == 4u ? 0 : 1;
}
