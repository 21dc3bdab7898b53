/* Non-secure vector table and entry point of trustzone-m-hello. Secure
 * boot (secure.c) calls ns_reset through BLXNS with MSP_NS and VTOR_NS set, so
 * it is an ordinary function: main's status returns to the secure caller. */
#include <stdint.h>
#include "board.h"
#include "semihost.h"
#include "uart.h"

extern uint32_t __stack_top[];
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];

int main(void);

int ns_reset(void);
void ns_default_handler(void);

#define WEAK_DEFAULT __attribute__((weak, alias("ns_default_handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used))
const vector_t ns_vector_table[16 + NUM_EXT_IRQS] = {
    [0] = (vector_t)(uintptr_t)__stack_top,
    [1] = (vector_t)ns_reset,
    [2] = NMI_Handler,
    [3] = HardFault_Handler,
    [4] = MemManage_Handler,
    [5] = BusFault_Handler,
    [6] = UsageFault_Handler,
    [11] = SVC_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
};

__attribute__((optimize("no-tree-loop-distribute-patterns")))
int ns_reset(void)
{
    const uint32_t *src = __data_load;
    for (uint32_t *dst = __data_start; dst < __data_end; )
        *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end; )
        *dst++ = 0;

    uart_use(UART0_NS_BASE);
    return main();
}

void ns_default_handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    char msg[] = "ns: unexpected exception 00\n";
    msg[sizeof msg - 4] = (char)('0' + (ipsr / 10u) % 10u);
    msg[sizeof msg - 3] = (char)('0' + ipsr % 10u);
    semihost_call(SYS_WRITE0, msg);
    semihost_exit(200 + (int)(ipsr & 0xFF));
}
