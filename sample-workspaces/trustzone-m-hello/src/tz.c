/* Secure board set-up for trustzone-m-hello; see tz.h. The order matters: the MPCs
 * and the PPC must already let non-secure transactions through before the
 * SAU marks those ranges non-secure, or the first NS access would fault. */
#include "board.h"
#include "tz.h"
#include "uart.h"

extern uint32_t __nsc_start[], __nsc_end[];

/* Marks the MPC blocks covering [first, last] (offsets into the SRAM behind
 * it) non-secure. Block size is 1 << (BLK_CFG + 5); each BLK_LUT word holds
 * one bit per block for the word BLK_IDX selects. BLK_IDX is rewritten
 * before every LUT access because CTRL.AUTOINC (set from reset on QEMU)
 * advances it after each one, reads included. */
static void mpc_make_ns(uint32_t mpc, uint32_t first, uint32_t last)
{
    uint32_t shift = (MPC_BLK_CFG(mpc) & 0xFu) + 5u;
    uint32_t max_idx = MPC_BLK_MAX(mpc);
    uint32_t b0 = first >> shift, b1 = last >> shift;
    for (uint32_t w = b0 >> 5; w <= (b1 >> 5) && w <= max_idx; w++) {
        uint32_t lo = w == (b0 >> 5) ? (b0 & 31u) : 0u;
        uint32_t hi = w == (b1 >> 5) ? (b1 & 31u) : 31u;
        uint32_t mask = (0xFFFFFFFFu >> (31u - hi)) & (0xFFFFFFFFu << lo);
        MPC_BLK_IDX(mpc) = w;
        uint32_t lut = MPC_BLK_LUT(mpc);
        MPC_BLK_IDX(mpc) = w;
        MPC_BLK_LUT(mpc) = lut | mask;
    }
}

static void sau_region(uint32_t n, uint32_t base, uint32_t limit, uint32_t flags)
{
    SAU_RNR = n;
    SAU_RBAR = base & ~0x1Fu;
    SAU_RLAR = (limit & ~0x1Fu) | flags | SAU_RLAR_ENABLE;
}

void tz_setup(void)
{
    /* SSRAM1's upper 2 MB hold the NS image, all of SSRAM3 is NS RAM. */
    mpc_make_ns(MPC_SSRAM1_BASE, NS_CODE_BASE, NS_CODE_LIMIT);
    mpc_make_ns(MPC_SSRAM3_BASE, 0, NS_RAM_LIMIT - NS_RAM_BASE);

    /* The IDAU reports 0x1xxxxxxx as secure, not NSC, unless CODENSC is
     * set; attribution takes the more secure answer, so without it the
     * SAU's NSC region below would still refuse SG entry. */
    SPCB_NSCCFG |= NSCCFG_CODENSC;
    SPCB_APBNSPPCEXP1 |= PPCEXP1_UART0;

    sau_region(0, NS_CODE_BASE, NS_CODE_LIMIT, 0);
    sau_region(1, (uint32_t)__nsc_start, (uint32_t)__nsc_end - 1u, SAU_RLAR_NSC);
    sau_region(2, NS_RAM_BASE, NS_RAM_LIMIT, 0);
    sau_region(3, 0x40000000u, 0x4FFFFFFFu, 0);
    SAU_CTRL = 1;
    dsb_isb();

    /* UART0 now answers only non-secure transactions. */
    uart_use(UART0_NS_BASE);
}
