/* Register probe for test/sabrelite-regs.spec.ts: for each address in probe_list (from the
 * generated list.c) prints its reset value, or for write-probe entries the values read back
 * after writing 0xffffffff, 0 and 0x5a5aa5a5, on UART1; then exits through semihosting.
 * Freestanding, ARM state, runs from DDR with MMU and caches off. */
typedef unsigned int u32;
#define REG(a) (*(volatile u32 *)(a))

struct probe { u32 addr; u32 write; };
extern const struct probe probe_list[];
extern const int probe_count;

static void putc_(char c) { REG(0x02020040) = (u32)c; }
static void hex(u32 v)
{
	for (int i = 28; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 15]);
}

void probe_main(void)
{
	static const u32 pats[] = { 0xffffffff, 0x00000000, 0x5a5aa5a5 };
	for (int i = 0; i < probe_count; i++) {
		hex(probe_list[i].addr);
		if (!probe_list[i].write) {
			putc_(' ');
			hex(REG(probe_list[i].addr));
		} else {
			for (int p = 0; p < 3; p++) {
				REG(probe_list[i].addr) = pats[p];
				putc_(' ');
				hex(REG(probe_list[i].addr));
			}
		}
		putc_('\n');
	}
	register u32 r0 __asm__("r0") = 0x18;
	register u32 r1 __asm__("r1") = 0x20026;
	__asm__ volatile("svc 0x123456" : : "r"(r0), "r"(r1) : "memory");
	for (;;)
		;
}

__asm__(
	"	.section .text.start, \"ax\"\n"
	"	.global _start\n"
	"_start:\n"
	"	ldr	sp, =0x10100000\n"
	"	bl	probe_main\n"
	"1:	b	1b\n"
);
