/* hello: the smallest sabrelite program: identifies the core and the security state it
 * boots in, prints on UART1, says hello over semihosting and exits with status 0. */
#include "board.h"
#include "lib.h"

int main(void)
{
	uint32_t midr, mpidr = read_mpidr();
	__asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(midr));
	kprintf("hello from the i.MX6Q Cortex-A9\n");
	kprintf("MIDR %08x MPIDR %08x mode %s\n", midr, mpidr, mode_name(read_cpsr()));
	kprintf("SCU config %08x GICD_TYPER %08x\n", REG32(SCU_BASE + 4), REG32(GICD_BASE + 4));
	sh_write0("hello over semihosting\n");
	return 0;
}
