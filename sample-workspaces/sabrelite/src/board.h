/* i.MX6Q SABRE Lite addresses used by the samples (i.MX6DQ reference manual memory map,
 * QEMU hw/arm/fsl-imx6.h) and small register helpers. */
#ifndef BOARD_H
#define BOARD_H
#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

#define UART1_BASE     0x02020000u
#define UART_UTXD      0x40u
#define UART_UCR1      0x80u
#define UART_UCR2      0x84u
#define UART_UTS       0xb4u
#define UTS_TXFULL     (1u << 4)

#define GPT_BASE       0x02098000u
#define GPT_IRQ_ID     (32u + 55u)   /* SPI 55 */

#define SRC_BASE       0x020d8000u
#define SRC_SCR        0x00u
#define SRC_GPR(n)     (0x20u + 4u * ((n) - 1u))

#define SCU_BASE       0x00a00000u
#define GICC_BASE      0x00a00100u
#define GICD_BASE      0x00a01000u

#define DDR_BASE       0x10000000u

#endif
