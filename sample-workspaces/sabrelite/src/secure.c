/* secure: TrustZone on the Cortex-A9. Secure SVC (the boot state) installs a monitor at
 * MVBAR and calls it with SMC; the monitor saves the secure context, sets SCR.NS, gives the
 * non-secure world its own VBAR and enters a small non-secure "kernel" in NS SVC. That
 * kernel finds SCR inaccessible (UNDEF, taken through the NS vectors), asks the monitor for
 * SCR through an SMC, looks at the GIC through its non-secure view (Group 0 hidden, Group 1
 * priorities shifted) and takes a Group 1 SGI as an IRQ in the non-secure world, then
 * returns to the secure world with an SMC that carries a result. Every step prints the
 * mode and world it runs in. */
#include "board.h"
#include "lib.h"

enum { SMC_ENTER_NS = 1, SMC_RETURN_TO_SECURE = 2, SMC_READ_SCR = 3 };

extern const uint32_t monitor_vectors[];
extern const uint32_t ns_vectors[];
static uint32_t ns_stack[256] __attribute__((aligned(8)));
static volatile int in_ns;
static volatile int ns_undefs;
static volatile int ns_irqs;

#define GICD(off) REG32(GICD_BASE + (off))
#define GICC(off) REG32(GICC_BASE + (off))
#define GICD_PRIO(id) (*(volatile uint8_t *)(GICD_BASE + 0x400 + (id)))

/* Secure state saved while the non-secure world runs. */
static struct {
	uint32_t r[13], pc, spsr, svc_sp, svc_lr;
} saved;

static inline uint32_t read_scr(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c1, c1, 0" : "=r"(v)); return v; }
static inline void write_scr(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c1, c1, 0\n\tisb" : : "r"(v)); }
static inline uint32_t read_vbar(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c12, c0, 0" : "=r"(v)); return v; }
static inline uint32_t read_spsr(void) { uint32_t v; __asm__ volatile("mrs %0, spsr" : "=r"(v)); return v; }
static inline void write_spsr(uint32_t v) { __asm__ volatile("msr spsr_cxsf, %0" : : "r"(v)); }

/* SVC-mode sp and lr are one register pair for both worlds: the monitor swaps them. */
static void get_svc_banked(uint32_t *sp, uint32_t *lr)
{
	uint32_t a, b;
	__asm__ volatile("cps #0x13\n\tmov %0, sp\n\tmov %1, lr\n\tcps #0x16" : "=r"(a), "=r"(b));
	*sp = a;
	*lr = b;
}

static void set_svc_banked(uint32_t sp, uint32_t lr)
{
	__asm__ volatile("cps #0x13\n\tmov sp, %0\n\tmov lr, %1\n\tcps #0x16" : : "r"(sp), "r"(lr));
}

static uint32_t smc(uint32_t fn, uint32_t arg)
{
	register uint32_t r0 __asm__("r0") = fn;
	register uint32_t r1 __asm__("r1") = arg;
	__asm__ volatile("smc #0" : "+r"(r0), "+r"(r1) : : "r2", "r3", "r12", "lr", "memory");
	return r0;
}

/* Called by the monitor's SMC stub (monitor mode, IRQ/FIQ masked) with the caller's registers. */
void monitor_handler(struct frame *f)
{
	uint32_t scr = read_scr();
	uint32_t spsr = read_spsr();
	kprintf("  monitor: SMC fn %u from the %s world (%s mode), now in %s mode\n", f->r[0],
		(scr & 1) ? "non-secure" : "secure", mode_name(spsr), mode_name(read_cpsr()));
	switch (f->r[0]) {
	case SMC_ENTER_NS:
		for (int i = 0; i < 13; i++)
			saved.r[i] = f->r[i];
		saved.pc = f->pc;
		saved.spsr = spsr;
		get_svc_banked(&saved.svc_sp, &saved.svc_lr);
		/* Before SCR.NS is set: a CPS back to monitor mode from non-secure SVC is not allowed. */
		set_svc_banked((uint32_t)&ns_stack[256], 0);
		write_scr(scr | 1u); /* NS: banked CP15 accesses below reach the non-secure copies */
		__asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n\tisb" : : "r"(ns_vectors));
		kprintf("  monitor: SCR %08x, non-secure VBAR %08x; entering NS svc at %08x\n", read_scr(),
			read_vbar(), f->r[1]);
		f->pc = f->r[1];
		write_spsr(0x1d3); /* NS SVC, ARM, IRQ/FIQ/async aborts masked */
		in_ns = 1;
		return;
	case SMC_RETURN_TO_SECURE: {
		uint32_t result = f->r[1];
		if ((scr & 1) == 0) {
			kprintf("  monitor: return request from the secure world refused\n");
			f->r[0] = ~0u;
			return;
		}
		write_scr(scr & ~1u);
		in_ns = 0;
		for (int i = 0; i < 13; i++)
			f->r[i] = saved.r[i];
		f->r[0] = result;
		f->pc = saved.pc;
		write_spsr(saved.spsr);
		set_svc_banked(saved.svc_sp, saved.svc_lr);
		kprintf("  monitor: SCR %08x, back to secure %s at %08x with result %08x\n", read_scr(),
			mode_name(saved.spsr), saved.pc, result);
		return;
	}
	case SMC_READ_SCR:
		f->r[0] = scr;
		return;
	default:
		kprintf("  monitor: unknown function\n");
		f->r[0] = ~0u;
	}
}

/* Secure vectors (VBAR) and non-secure vectors share this handler; `in_ns` tells them apart. */
void exception_handler(struct frame *f, int kind)
{
	if (kind == EXC_IRQ && in_ns) {
		uint32_t iar = GICC(0x0c);
		ns_irqs++;
		kprintf("  non-secure: IRQ in %s mode, GICC_IAR %u (source CPU %u), running priority %02x\n",
			mode_name(read_cpsr()), iar & 0x3ff, (iar >> 10) & 7, GICC(0x14));
		GICC(0x10) = iar;
		return;
	}
	if (kind == EXC_UNDEF && in_ns) {
		ns_undefs++;
		kprintf("  non-secure: undefined instruction %08x at %08x in %s mode (SCR is secure-only)\n",
			*(volatile uint32_t *)f->pc, f->pc, mode_name(read_cpsr()));
		f->pc += 4;
		return;
	}
	kprintf("unexpected exception %d at %08x (%s world)\n", kind, f->pc, in_ns ? "non-secure" : "secure");
	sh_exit(3);
}

/* The non-secure "kernel": entered by the monitor's exception return. */
void ns_kernel(void)
{
	kprintf("non-secure kernel: mode %s, VBAR %08x\n", mode_name(read_cpsr()), read_vbar());
	uint32_t scr = 0x12345678;
	__asm__ volatile("mrc p15, 0, %0, c1, c1, 0" : "+r"(scr)); /* UNDEF from NS */
	kprintf("non-secure kernel: SCR via the monitor: %08x\n", smc(SMC_READ_SCR, 0));
	kprintf("non-secure GIC view: GICD_CTLR %x, IGROUPR1 %08x, priority of ID 40 (Group 1) %02x, ID 41 (Group 0) %02x, PMR %02x, GICC_CTLR %x\n",
		GICD(0x000), GICD(0x084), GICD_PRIO(40), GICD_PRIO(41), GICC(0x04), GICC(0x00));
	GICD_PRIO(40) = 0x60;  /* stored as 0x80 | 0x60 >> 1 */
	GICD_PRIO(41) = 0x00;  /* Group 0: ignored */
	GICD_PRIO(9) = 0x10;   /* SGI 9 is Group 1: stored as 0x88 */
	GICD(0xf00) = (2u << 24) | 9u; /* SGI 9 (Group 1) to self */
	__asm__ volatile("cpsie i\n\tisb\n\tcpsid i" ::: "memory");
	kprintf("non-secure kernel: %d IRQ taken; priority of ID 40 now %02x\n", ns_irqs, GICD_PRIO(40));
	smc(SMC_RETURN_TO_SECURE, 0x5ec0de);
	kprintf("non-secure kernel: the monitor did not switch worlds\n");
	sh_exit(4);
}

int main(void)
{
	kprintf("secure: mode %s, SCR %08x, VBAR %08x\n", mode_name(read_cpsr()), read_scr(), read_vbar());
	__asm__ volatile("mcr p15, 0, %0, c12, c0, 1\n\tisb" : : "r"(monitor_vectors));
	uint32_t mvbar;
	__asm__ volatile("mrc p15, 0, %0, c12, c0, 1" : "=r"(mvbar));
	kprintf("secure: MVBAR %08x, SCR via SMC: %08x\n", mvbar, smc(SMC_READ_SCR, 0));
	/* GIC: both groups on; ID 40 and SGI 9 in Group 1, ID 41 in Group 0. */
	GICD(0x000) = 3;
	GICD(0x080) = 1u << 9;
	GICD(0x084) = 1u << (40 - 32);
	GICD_PRIO(40) = 0xa0;
	GICD_PRIO(41) = 0x20;
	GICD(0x100) = 1u << 9;
	GICC(0x04) = 0xf0;
	GICC(0x00) = 3;
	kprintf("secure GIC view: IGROUPR0 %08x IGROUPR1 %08x, priorities %02x %02x, PMR %02x\n",
		GICD(0x080), GICD(0x084), GICD_PRIO(40), GICD_PRIO(41), GICC(0x04));
	uint32_t result = smc(SMC_ENTER_NS, (uint32_t)ns_kernel);
	kprintf("secure: back in %s mode, SCR %08x, VBAR %08x, result %08x, %d NS undefs, %d NS IRQs\n",
		mode_name(read_cpsr()), read_scr(), read_vbar(), result, ns_undefs, ns_irqs);
	kprintf("secure GIC view: priorities %02x %02x %02x\n", GICD_PRIO(40), GICD_PRIO(41), GICD_PRIO(9));
	int ok = result == 0x5ec0de && ns_undefs == 1 && ns_irqs == 1 && (read_scr() & 1) == 0;
	sh_write0(ok ? "secure: ok\n" : "secure: FAILED\n");
	return ok ? 0 : 1;
}

/* Monitor vectors (MVBAR): only SMC is expected. The stub keeps the caller's r0-r12 and
 * return address in a struct frame on the monitor stack and returns with SPSR_mon. The
 * non-secure vectors reuse the start-up stubs. */
__asm__(
	"	.section .text.monitor, \"ax\"\n"
	"	.align 5\n"
	"	.global monitor_vectors\n"
	"monitor_vectors:\n"
	"	b	.\n"
	"	b	.\n"
	"	b	monitor_smc\n"
	"	b	.\n"
	"	b	.\n"
	"	b	.\n"
	"	b	.\n"
	"	b	.\n"
	"monitor_smc:\n"
	"	stmfd	sp!, {r0-r12, lr}\n"
	"	mov	r0, sp\n"
	"	bl	monitor_handler\n"
	"	ldmfd	sp!, {r0-r12, pc}^\n"
	"	.align 5\n"
	"	.global ns_vectors\n"
	"ns_vectors:\n"
	"	b	.\n"
	"	b	und_entry\n"
	"	b	svc_entry\n"
	"	b	pabt_entry\n"
	"	b	dabt_entry\n"
	"	b	.\n"
	"	b	irq_entry\n"
	"	b	fiq_entry\n"
);
