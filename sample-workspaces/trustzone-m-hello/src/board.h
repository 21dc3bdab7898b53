/* Register map of the mps2-an521 board (SSE-200 with two Cortex-M33) as QEMU
 * 7.2 models it (hw/arm/mps2-tz.c, hw/arm/armsse.c), plus the Armv8-M System
 * Control Space registers trustzone-m-hello touches (Armv8-M ARM, D1 / B11).
 * Shared by the secure and the non-secure images. */
#ifndef BOARD_H
#define BOARD_H
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

/* Bit 28 selects the secure alias of memory and peripherals (SSE-200 IDAU). */
#define S_ALIAS(a)      ((a) | 0x10000000u)

/* CMSDK APB UART0 behind APB PPC EXP1 port 5. */
#define UART0_NS_BASE   0x40200000u
#define UART0_S_BASE    0x50200000u
#define UART_DATA(b)    REG32((b) + 0x00)
#define UART_STATE(b)   REG32((b) + 0x04)
#define UART_CTRL(b)    REG32((b) + 0x08)
#define UART_BAUDDIV(b) REG32((b) + 0x10)
#define UART_STATE_TXFULL 0x1u
#define UART_CTRL_TXEN    0x1u

/* SSE-200 secure privilege control block (secure only). */
#define SPCB_BASE       0x50080000u
#define SPCB_SECRESPCFG REG32(SPCB_BASE + 0x10)
#define SPCB_NSCCFG     REG32(SPCB_BASE + 0x14)
#define SPCB_APBNSPPCEXP1 REG32(SPCB_BASE + 0x84)
#define NSCCFG_CODENSC  0x1u        /* 0x10000000-0x1FFFFFFF may be NSC */
#define PPCEXP1_UART0   (1u << 5)

/* FPGA MPCs in front of the ZBT SSRAMs (secure alias of their registers). */
#define MPC_SSRAM1_BASE 0x58007000u /* 4 MB at 0x00000000 / 0x10000000 */
#define MPC_SSRAM2_BASE 0x58008000u /* 2 MB at 0x28000000 / 0x38000000 */
#define MPC_SSRAM3_BASE 0x58009000u /* 2 MB at 0x28200000 / 0x38200000 */
#define MPC_CTRL(b)     REG32((b) + 0x00)
#define MPC_BLK_MAX(b)  REG32((b) + 0x10)
#define MPC_BLK_CFG(b)  REG32((b) + 0x14)
#define MPC_BLK_IDX(b)  REG32((b) + 0x18)
#define MPC_BLK_LUT(b)  REG32((b) + 0x1C)

/* The vector tables cover the SSE-200's own 32 interrupts (timers, MHUs,
 * PPC/MPC status); the samples enable none of the FPGA expansion IRQs. */
#define NUM_EXT_IRQS     32

/* System Control Block (D1.2). SHCSR.SECUREFAULTENA is bit 19. */
#define SCB_ICSR        REG32(0xE000ED04u)
#define SCB_VTOR        REG32(0xE000ED08u)
#define SCB_AIRCR       REG32(0xE000ED0Cu)
#define SCB_SHCSR       REG32(0xE000ED24u)
#define SCB_CFSR        REG32(0xE000ED28u)
#define SCB_HFSR        REG32(0xE000ED2Cu)
#define SCB_SFSR        REG32(0xE000EDE4u)
#define SCB_SFAR        REG32(0xE000EDE8u)
#define SHCSR_SECUREFAULTENA (1u << 19)
#define SCB_NS_VTOR     REG32(0xE002ED08u)  /* the NS copy, through SCS_NS */

/* Security Attribution Unit (D1.2.x SAU_*). RLAR bit 1 = NSC, bit 0 = enable. */
#define SAU_CTRL        REG32(0xE000EDD0u)
#define SAU_TYPE        REG32(0xE000EDD4u)
#define SAU_RNR         REG32(0xE000EDD8u)
#define SAU_RBAR        REG32(0xE000EDDCu)
#define SAU_RLAR        REG32(0xE000EDE0u)
#define SAU_RLAR_ENABLE 0x1u
#define SAU_RLAR_NSC    0x2u

static inline void dsb_isb(void)
{
    __asm volatile("dsb\n\tisb" ::: "memory");
}

#endif
