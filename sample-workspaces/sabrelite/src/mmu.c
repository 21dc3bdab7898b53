/* mmu: turns the short-descriptor MMU on with an identity map (1 MiB sections: devices
 * below 0x10000000, DDR as normal memory) plus, at VA 0x20000000, a small-page table
 * with one page remapped onto a DDR buffer and one no-access page. Shows the remap, an
 * ATS1CPR translation, and the aborts a translation fault, a permission fault on a write
 * and a prefetch from the no-access page raise, with their decoded FSR and FAR. */
#include "board.h"
#include "lib.h"

#define SECTION(pa, attrs) (((pa) & 0xfff00000u) | (attrs) | 2u)
#define SEC_DEVICE  ((3u << 10) | (1u << 4) | (1u << 2))            /* AP=11, XN, shared device */
#define SEC_NORMAL  ((3u << 10) | (1u << 12) | (1u << 3) | (1u << 2)) /* AP=11, TEX=001 C B: normal WB */
#define PAGE(pa, ap) (((pa) & 0xfffff000u) | ((ap) << 4) | (1u << 6) | (1u << 3) | (1u << 2) | 2u)
#define VA_WINDOW   0x20000000u

static uint32_t l1[4096] __attribute__((aligned(16384), section(".pages.l1")));
static uint32_t l2[256] __attribute__((aligned(1024), section(".pages.l2")));
static volatile uint32_t remapped[1024] __attribute__((aligned(4096), section(".pages.data")));
static volatile uint32_t forbidden[1024] __attribute__((aligned(4096), section(".pages.data")));
static volatile uint32_t resume_at;
static volatile int aborts;

static const char *fault_name(uint32_t fsr)
{
	switch (((fsr >> 6) & 0x10) | (fsr & 0xf)) {
	case 0x05: return "translation fault, section";
	case 0x07: return "translation fault, page";
	case 0x09: return "domain fault, section";
	case 0x0b: return "domain fault, page";
	case 0x0d: return "permission fault, section";
	case 0x0f: return "permission fault, page";
	default: return "other fault";
	}
}

void exception_handler(struct frame *f, int kind)
{
	uint32_t fsr, far;
	aborts++;
	if (kind == EXC_DABT) {
		__asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(fsr));
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(far));
		kprintf("  data abort at %08x: DFSR %08x (%s, %s) DFAR %08x\n", f->pc, fsr, fault_name(fsr),
			(fsr & (1u << 11)) ? "write" : "read", far);
		f->pc += 4;
		return;
	}
	if (kind == EXC_PABT) {
		__asm__ volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(fsr));
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(far));
		kprintf("  prefetch abort at %08x: IFSR %08x (%s) IFAR %08x\n", f->pc, fsr, fault_name(fsr), far);
		f->pc = resume_at;
		return;
	}
	kprintf("unexpected exception %d at %08x\n", kind, f->pc);
	sh_exit(3);
}

static uint32_t translate(uint32_t va)
{
	uint32_t par;
	__asm__ volatile("mcr p15, 0, %1, c7, c8, 0\n\tisb\n\tmrc p15, 0, %0, c7, c4, 0" : "=r"(par) : "r"(va));
	return par;
}

static void show_par(uint32_t va)
{
	uint32_t par = translate(va);
	if (par & 1)
		kprintf("ATS1CPR %08x: fault, FS %02x\n", va, (par >> 1) & 0x1f);
	else
		kprintf("ATS1CPR %08x: PA %08x\n", va, (par & 0xfffff000u) | (va & 0xfff));
}

int main(void)
{
	kprintf("mmu: identity map, one remapped page, one no-access page\n");
	for (uint32_t mb = 0; mb < 0x100; mb++)
		l1[mb] = SECTION(mb << 20, SEC_DEVICE);
	for (uint32_t mb = 0x100; mb < 0x180; mb++)
		l1[mb] = SECTION(mb << 20, SEC_NORMAL);
	l1[VA_WINDOW >> 20] = ((uint32_t)l2 & 0xfffffc00u) | 1u; /* coarse table, domain 0 */
	l2[0] = PAGE((uint32_t)remapped, 3u);   /* VA 0x20000000 -> remapped[], read/write */
	l2[1] = PAGE((uint32_t)forbidden, 0u);  /* VA 0x20001000 -> no access */
	remapped[0] = 0xcafef00d;
	forbidden[0] = 0x5ec2e7;

	uint32_t sctlr;
	__asm__ volatile("mcr p15, 0, %0, c2, c0, 2" : : "r"(0));            /* TTBCR: TTBR0 only */
	__asm__ volatile("mcr p15, 0, %0, c2, c0, 0" : : "r"((uint32_t)l1)); /* TTBR0 */
	__asm__ volatile("mcr p15, 0, %0, c3, c0, 0" : : "r"(1u));           /* DACR: domain 0 client */
	__asm__ volatile("mcr p15, 0, %0, c8, c7, 0" : : "r"(0));            /* TLBIALL */
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
	__asm__ volatile("dsb\n\tmcr p15, 0, %0, c1, c0, 0\n\tisb" : : "r"(sctlr | 1u));
	kprintf("MMU on: SCTLR.M=%u\n", (unsigned)(sctlr | 1u) & 1u);

	volatile uint32_t *window = (volatile uint32_t *)VA_WINDOW;
	kprintf("VA %08x reads %08x (PA %08x)\n", VA_WINDOW, window[0], (uint32_t)remapped);
	window[1] = 0x600dcafe;
	kprintf("write through VA, read at PA: %08x\n", remapped[1]);
	show_par(VA_WINDOW + 4);
	show_par(VA_WINDOW + 0x1000);
	show_par(0x30000000u);

	volatile uint32_t sink = 0;
	sink = *(volatile uint32_t *)0x30000000u;       /* no section: translation fault */
	sink = window[0x400];                            /* no-access page: permission fault, read */
	window[0x401] = 1;                               /* and on a write */
	(void)sink;
	__asm__ volatile("adr r1, 1f\n\tstr r1, [%0]\n\tmov r0, %1\n\tbx r0\n1:"
			 : : "r"(&resume_at), "r"(VA_WINDOW + 0x1000) : "r0", "r1", "memory");
	kprintf("forbidden page untouched: %08x\n", forbidden[1]);

	__asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" : : "r"(sctlr & ~1u));
	kprintf("MMU off, %d aborts handled\n", aborts);
	sh_write0(aborts == 4 ? "mmu: ok\n" : "mmu: FAILED\n");
	return aborts == 4 ? 0 : 1;
}
