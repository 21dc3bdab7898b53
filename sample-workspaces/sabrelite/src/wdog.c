/* wdog: system resets through the i.MX watchdog. A boot counter in OCRAM (outside the
 * loaded image) survives each reset, while .data starts over because the image is loaded
 * again, as QEMU does on a system reset. First WCR.SRS and WCR.WDA are cleared together
 * (an immediate reset), then the watchdog is enabled with a 0.5 s time-out and not
 * serviced. (WRSR reads 0 after each restart: QEMU 7.2's reset clears it.) */
#include "board.h"
#include "lib.h"

#define WDOG1_BASE 0x020bc000u
#define WCR  (*(volatile uint16_t *)(WDOG1_BASE + 0x0))
#define WSR  (*(volatile uint16_t *)(WDOG1_BASE + 0x2))
#define WRSR (*(volatile uint16_t *)(WDOG1_BASE + 0x4))
#define BOOTS (*(volatile uint32_t *)0x00900000u) /* OCRAM: not part of the ELF */

static volatile uint32_t in_data = 0x1234;

int main(void)
{
	if (BOOTS > 2 || BOOTS == 0xffffffffu)
		BOOTS = 0;
	uint32_t boot = BOOTS;
	kprintf("wdog: boot %u, WRSR %04x, .data %08x, WCR %04x\n", boot, WRSR, in_data, WCR);
	in_data = 0xdead0000 | boot;
	BOOTS = boot + 1;
	if (boot == 0) {
		kprintf("immediate reset: WCR.SRS and WCR.WDA cleared\n");
		WCR = 0x0000; /* SRS and WDA cleared: reset */
	} else if (boot == 1) {
		kprintf("watchdog enabled (WT = 1: 0.5 s time-out), not serviced\n");
		WCR = 0x0134; /* WDE, WT = 1 */
		WSR = 0x5555;
		WSR = 0xaaaa;
		for (;;)
			__asm__ volatile("wfi");
	}
	BOOTS = 0;
	sh_write0("wdog: ok\n");
	return 0;
}
