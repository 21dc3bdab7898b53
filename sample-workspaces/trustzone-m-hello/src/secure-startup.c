/* Secure vector table and reset handler of trustzone-m-hello: copy .data,
 * zero .bss, open UART0 through its secure alias, run secure_main (secure.c),
 * then end the run through semihosting with its status. */
#include <stdint.h>
#include "board.h"
#include "semihost.h"
#include "uart.h"

extern uint32_t __stack_top[];
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];

int secure_main(void);

void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void);

#define WEAK_DEFAULT __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SecureFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

/* Armv8-M ARM B3.30: entry 0 is the initial MSP, entry 1 the reset vector;
 * exception 7 is SecureFault in the secure table. No interrupt is enabled,
 * so the external entries all point at Default_Handler. */
__attribute__((section(".vectors"), used))
const vector_t vector_table[16 + NUM_EXT_IRQS] = {
    [0] = (vector_t)(uintptr_t)__stack_top,
    [1] = Reset_Handler,
    [2] = NMI_Handler,
    [3] = HardFault_Handler,
    [4] = MemManage_Handler,
    [5] = BusFault_Handler,
    [6] = UsageFault_Handler,
    [7] = SecureFault_Handler,
    [11] = SVC_Handler,
    [12] = DebugMon_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 ... 16 + NUM_EXT_IRQS - 1] = Default_Handler,
};

/* The copy loops must not become memcpy/memset calls: no libc is linked,
 * and .data is not valid until the loop has run. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void Reset_Handler(void)
{
    const uint32_t *src = __data_load;
    for (uint32_t *dst = __data_start; dst < __data_end; )
        *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end; )
        *dst++ = 0;

    uart_init(UART0_S_BASE);
    semihost_exit(secure_main());
}

/* An unexpected exception in the secure world: say which one through
 * semihosting (the UART may already belong to the other world) and stop. */
void Default_Handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    char msg[] = "secure: unexpected exception 00\n";
    msg[sizeof msg - 4] = (char)('0' + (ipsr / 10u) % 10u);
    msg[sizeof msg - 3] = (char)('0' + ipsr % 10u);
    semihost_call(SYS_WRITE0, msg);
    semihost_exit(100 + (int)(ipsr & 0xFF));
}
