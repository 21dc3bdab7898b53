/* faults: SVC, undefined instruction and data abort handlers that decode what trapped:
 * the SVC immediate from the instruction, the undefined encoding, and DFSR/DFAR of an
 * alignment fault (SCTLR.A) and of a read and a write. Each handler returns past the
 * instruction, so main() runs on and prints a summary. */
#include "board.h"
#include "lib.h"

static volatile int svc_count, undef_count, dabt_count;

/* Short-descriptor fault status (ARM ARM B3.13.3): FS = DFSR[10,3:0]. */
static const char *fault_name(uint32_t fsr)
{
	switch (((fsr >> 6) & 0x10) | (fsr & 0xf)) {
	case 0x01: return "alignment fault";
	case 0x02: return "debug event";
	case 0x03: return "access flag fault, section";
	case 0x05: return "translation fault, section";
	case 0x07: return "translation fault, page";
	case 0x08: return "synchronous external abort";
	case 0x09: return "domain fault, section";
	case 0x0b: return "domain fault, page";
	case 0x0d: return "permission fault, section";
	case 0x0f: return "permission fault, page";
	default: return "other fault";
	}
}

void exception_handler(struct frame *f, int kind)
{
	uint32_t insn = *(volatile uint32_t *)f->pc;
	switch (kind) {
	case EXC_SVC:
		svc_count++;
		kprintf("  SVC #%u at %08x from %s, r0=%u\n", insn & 0xffffff, f->pc, mode_name(read_cpsr()), f->r[0]);
		f->r[0] = f->r[0] * 2; /* the "system call" result */
		f->pc += 4;
		return;
	case EXC_UNDEF:
		undef_count++;
		kprintf("  undefined instruction %08x at %08x\n", insn, f->pc);
		f->pc += 4;
		return;
	case EXC_DABT: {
		uint32_t dfsr, dfar;
		__asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(dfsr));
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(dfar));
		dabt_count++;
		kprintf("  data abort at %08x: DFSR %08x (%s, %s) DFAR %08x\n", f->pc, dfsr, fault_name(dfsr),
			(dfsr & (1u << 11)) ? "write" : "read", dfar);
		f->pc += 4;
		return;
	}
	default:
		kprintf("unexpected exception %d at %08x\n", kind, f->pc);
		sh_exit(3);
	}
}

static uint32_t do_svc(uint32_t arg)
{
	register uint32_t r0 __asm__("r0") = arg;
	__asm__ volatile("svc #42" : "+r"(r0) : : "memory", "lr");
	return r0;
}

int main(void)
{
	static volatile uint32_t words[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
	uint32_t sctlr;

	kprintf("faults: SVC, undefined instruction and data abort handlers\n");
	kprintf("svc returned %u\n", do_svc(21));

	__asm__ volatile(".word 0xe7f000f0" ::: "memory"); /* UDF #0 */
	__asm__ volatile(".word 0xe7f123f4" ::: "memory"); /* UDF #0x1234 */
	kprintf("after two undefined instructions\n");

	/* Alignment checking on: an unaligned word load and store abort precisely. */
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 0; isb" : : "r"(sctlr | 2u));
	volatile uint32_t *odd = (volatile uint32_t *)((uintptr_t)words + 2);
	uint32_t v = 0xdeadbeef;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(odd) : "memory");
	kprintf("unaligned load left r=%08x (not loaded)\n", v);
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(odd) : "memory");
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 0; isb" : : "r"(sctlr));
	kprintf("words intact: %08x %08x\n", words[0], words[1]);

	kprintf("summary: %d SVC, %d undefined, %d data aborts\n", svc_count, undef_count, dabt_count);
	sh_write0(svc_count == 1 && undef_count == 2 && dabt_count == 2 ? "faults: ok\n" : "faults: FAILED\n");
	return svc_count == 1 && undef_count == 2 && dabt_count == 2 ? 0 : 1;
}
