/* Register map of the mps2-an386 board as QEMU 7.2 models it (hw/arm/mps2.c),
 * plus the Cortex-M4 System Control Space registers the samples touch.
 * Addresses follow the ARMv7-M ARM, section B3.2 (SCS) and B3.5 (MPU). */
#ifndef BOARD_H
#define BOARD_H
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

/* CMSDK APB UART0: TX IRQ 1, RX IRQ 0 on this board. */
#define UART0_BASE      0x40004000u
#define UART_DATA(b)    REG32((b) + 0x00)
#define UART_STATE(b)   REG32((b) + 0x04)
#define UART_CTRL(b)    REG32((b) + 0x08)
#define UART_INTSTAT(b) REG32((b) + 0x0C)
#define UART_BAUDDIV(b) REG32((b) + 0x10)
#define UART_STATE_TXFULL 0x1u
#define UART_CTRL_TXEN    0x1u

/* CMSDK APB timers, clocked from the 25 MHz SYSCLK. */
#define TIMER0_BASE     0x40000000u
#define TIMER1_BASE     0x40001000u
#define TIMER0_IRQn     8
#define TIMER1_IRQn     9
#define TIMER_CTRL(b)     REG32((b) + 0x00)
#define TIMER_VALUE(b)    REG32((b) + 0x04)
#define TIMER_RELOAD(b)   REG32((b) + 0x08)
#define TIMER_INTCLEAR(b) REG32((b) + 0x0C)
#define TIMER_CTRL_EN     0x1u
#define TIMER_CTRL_IRQEN  0x8u

#define NUM_EXT_IRQS    32   /* QEMU sets num-irq = 32 for AN385/AN386 */

/* SysTick, B3.3 */
#define SYST_CSR        REG32(0xE000E010u)
#define SYST_RVR        REG32(0xE000E014u)
#define SYST_CVR        REG32(0xE000E018u)

/* NVIC, B3.4 */
#define NVIC_ISER(n)    REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n)    REG32(0xE000E180u + 4u * (n))
#define NVIC_ISPR(n)    REG32(0xE000E200u + 4u * (n))
#define NVIC_ICPR(n)    REG32(0xE000E280u + 4u * (n))
#define NVIC_IABR(n)    REG32(0xE000E300u + 4u * (n))
#define NVIC_IPR8(n)    (*(volatile uint8_t *)(0xE000E400u + (n)))
#define NVIC_STIR       REG32(0xE000EF00u)

/* System Control Block, B3.2.2 */
#define SCB_ICSR        REG32(0xE000ED04u)
#define SCB_VTOR        REG32(0xE000ED08u)
#define SCB_AIRCR       REG32(0xE000ED0Cu)
#define SCB_CCR         REG32(0xE000ED14u)
#define SCB_SHPR8(n)    (*(volatile uint8_t *)(0xE000ED18u + (n) - 4u))
#define SCB_SHCSR       REG32(0xE000ED24u)
#define SCB_CFSR        REG32(0xE000ED28u)
#define SCB_HFSR        REG32(0xE000ED2Cu)
#define SCB_MMFAR       REG32(0xE000ED34u)
#define SCB_BFAR        REG32(0xE000ED38u)
#define SCB_CPACR       REG32(0xE000ED88u)

#define CCR_UNALIGN_TRP   (1u << 3)
#define CCR_DIV_0_TRP     (1u << 4)
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)

/* MPU, B3.5 */
#define MPU_TYPE        REG32(0xE000ED90u)
#define MPU_CTRL        REG32(0xE000ED94u)
#define MPU_RNR         REG32(0xE000ED98u)
#define MPU_RBAR        REG32(0xE000ED9Cu)
#define MPU_RASR        REG32(0xE000EDA0u)

static inline void dsb_isb(void)
{
    __asm volatile("dsb\n\tisb" ::: "memory");
}

#endif
