/* boot (secure image): reads back the security hardware, sets up SAU, MPCs,
 * PPC and NSCCFG, checks the resulting attribution with TT, then enters the
 * non-secure image through BLXNS and reports the status it returns. */
#include <arm_cmse.h>
#include "board.h"
#include "tz.h"
#include "uart.h"

extern uint32_t __nsc_start[];

static void show_tt(const char *what, uint32_t addr)
{
    /* TT response word, Armv8-M ARM D1.2: S bit 22, NSRW 21, NSR 20,
     * RW 19, R 18, SRVALID 17, SREGION [15:8], IRVALID 23, IREGION [31:24]. */
    cmse_address_info_t info = cmse_TT((void *)addr);
    uart_puts("secure: TT ");
    uart_puts(what);
    uart_puts(" ");
    uart_puthex(addr);
    uart_puts(" = ");
    uart_puthex(info.value);
    uart_puts(info.flags.secure ? " (secure" : " (non-secure");
    if (info.flags.sau_region_valid) {
        uart_puts(", SAU region ");
        uart_putdec(info.flags.sau_region);
    }
    uart_puts(")\n");
}

/* The one NSC entry of this sample: lets the NS app see a secure-only
 * register, which it reads as zero itself. */
uint32_t __attribute__((cmse_nonsecure_entry)) s_sau_ctrl(void)
{
    return SAU_CTRL;
}

int main(void)
{
    uart_puts("secure: boot on mps2-an521\n");
    uart_puts("secure: SAU regions = ");
    uart_putdec((int32_t)(SAU_TYPE & 0xFFu));
    uart_puts("\nsecure: SSRAM1 MPC block size = ");
    uart_putdec((int32_t)(1u << ((MPC_BLK_CFG(MPC_SSRAM1_BASE) & 0xFu) + 5u)));
    uart_puts(", BLK_MAX = ");
    uart_putdec((int32_t)MPC_BLK_MAX(MPC_SSRAM1_BASE));
    uart_puts(", CTRL = ");
    uart_puthex(MPC_CTRL(MPC_SSRAM1_BASE));
    uart_puts("\nsecure: SSRAM3 MPC BLK_MAX = ");
    uart_putdec((int32_t)MPC_BLK_MAX(MPC_SSRAM3_BASE));
    uart_puts(", LUT[0] before = ");
    MPC_BLK_IDX(MPC_SSRAM3_BASE) = 0;
    uart_puthex(MPC_BLK_LUT(MPC_SSRAM3_BASE));
    uart_puts("\n");

    tz_setup();

    /* From here on UART0 is reached through its non-secure alias. */
    uart_puts("secure: SAU enabled, UART0 handed to the non-secure world\n");
    MPC_BLK_IDX(MPC_SSRAM3_BASE) = 0;
    uart_puts("secure: SSRAM3 MPC LUT[0] after = ");
    uart_puthex(MPC_BLK_LUT(MPC_SSRAM3_BASE));
    /* The second read shows CTRL.AUTOINC: reading LUT[63] moved BLK_IDX on. */
    MPC_BLK_IDX(MPC_SSRAM1_BASE) = 63;
    uart_puts(", SSRAM1 LUT[63] = ");
    uart_puthex(MPC_BLK_LUT(MPC_SSRAM1_BASE));
    uart_puts(", LUT[64] = ");
    uart_puthex(MPC_BLK_LUT(MPC_SSRAM1_BASE));
    uart_puts("\nsecure: NSCCFG = ");
    uart_puthex(SPCB_NSCCFG);
    uart_puts(", APBNSPPCEXP1 = ");
    uart_puthex(SPCB_APBNSPPCEXP1);
    uart_puts("\n");
    show_tt("ns code   ", NS_CODE_BASE);
    show_tt("nsc       ", (uint32_t)__nsc_start);
    show_tt("secure ram", 0x38000000u);
    show_tt("ns ram    ", NS_RAM_BASE + 0x100u);
    show_tt("uart0 ns  ", UART0_NS_BASE);

    uart_puts("secure: BLXNS to the non-secure reset handler\n");
    int32_t status = tz_boot_ns();
    uart_puts("secure: back through FNC_RETURN, non-secure main returned ");
    uart_putdec(status);
    uart_puts("\n");
    return status == 5 ? 0 : 1;
}
