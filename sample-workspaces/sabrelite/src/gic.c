/* gic: the GIC's security grouping on the Cortex-A9. Group 0 interrupts arrive as FIQ
 * (GICC_CTLR.FIQEn) and Group 1 as IRQ; the secure CPU interface acknowledges Group 1 with
 * AckCtl. Shows an SGI to self, the private timer (PPI 29, Group 1 IRQ), EPIT1 (SPI 56,
 * Group 0 FIQ), an FIQ preempting the IRQ handler, and the priority mask holding back a
 * software-pended SPI until it is opened. Only the order of events is printed. */
#include "board.h"
#include "lib.h"

#define GICD_CTLR         (GICD_BASE + 0x000)
#define GICD_IGROUPR(n)   (GICD_BASE + 0x080 + 4 * (n))
#define GICD_ISENABLER(n) (GICD_BASE + 0x100 + 4 * (n))
#define GICD_ISPENDR(n)   (GICD_BASE + 0x200 + 4 * (n))
#define GICD_IPRIORITY(i) (*(volatile uint8_t *)(GICD_BASE + 0x400 + (i)))
#define GICD_ITARGETS(i)  (*(volatile uint8_t *)(GICD_BASE + 0x800 + (i)))
#define GICD_SGIR         (GICD_BASE + 0xf00)
#define GICC_CTLR         (GICC_BASE + 0x00)
#define GICC_PMR          (GICC_BASE + 0x04)
#define GICC_IAR          (GICC_BASE + 0x0c)
#define GICC_EOIR         (GICC_BASE + 0x10)
#define GICC_RPR          (GICC_BASE + 0x14)
#define GICC_HPPIR        (GICC_BASE + 0x18)

#define PTIMER_LOAD    (SCU_BASE + 0x600)
#define PTIMER_CONTROL (SCU_BASE + 0x608)
#define PTIMER_ISR     (SCU_BASE + 0x60c)
#define EPIT1_BASE     0x020d0000u

#define ID_SGI         3u
#define ID_PTIMER      29u
#define ID_EPIT1       (32u + 56u)
#define ID_SOFT        (32u + 100u)   /* an SPI no device drives: pended by software */

static volatile int events, nested, in_irq;
static volatile int sgi_during_irq;

static void enable(uint32_t id, uint32_t group, uint8_t prio)
{
	uint32_t g = REG32(GICD_IGROUPR(id / 32));
	REG32(GICD_IGROUPR(id / 32)) = group ? g | (1u << (id % 32)) : g & ~(1u << (id % 32));
	GICD_IPRIORITY(id) = prio;
	if (id >= 32)
		GICD_ITARGETS(id) = 1;
	REG32(GICD_ISENABLER(id / 32)) = 1u << (id % 32);
}

static void handle(const char *how, struct frame *f)
{
	uint32_t iar = REG32(GICC_IAR);
	uint32_t id = iar & 0x3ff;
	events++;
	kprintf("  %s%s: ID %u (source CPU %u), running priority %02x, mode %s\n", in_irq && how[0] == 'F' ? "nested " : "",
		how, id, (iar >> 10) & 7, REG32(GICC_RPR), mode_name(read_cpsr()));
	if (in_irq && how[0] == 'F')
		nested++;
	switch (id) {
	case ID_PTIMER:
		REG32(PTIMER_ISR) = 1;
		in_irq = 1;
		if (sgi_during_irq) {
			/* Group 0 SGI at a higher priority: the FIQ preempts this handler at once. */
			REG32(GICD_SGIR) = (2u << 24) | 7u;
			__asm__ volatile("dsb\n\tisb");
			kprintf("  IRQ handler continues after the nested FIQ\n");
		}
		in_irq = 0;
		break;
	case ID_EPIT1:
		REG32(EPIT1_BASE + 0x04) = 1; /* clear OCIF */
		REG32(EPIT1_BASE + 0x00) = 0; /* stop */
		break;
	default:
		break;
	}
	if (id < 1020)
		REG32(GICC_EOIR) = iar;
	(void)f;
}

void exception_handler(struct frame *f, int kind)
{
	if (kind == EXC_FIQ)
		handle("FIQ", f);
	else if (kind == EXC_IRQ)
		handle("IRQ", f);
	else {
		kprintf("unexpected exception %d at %08x\n", kind, f->pc);
		sh_exit(3);
	}
}

/* Check and sleep with interrupts masked, so an interrupt that arrives between the check
 * and the WFI still wakes it (WFI wakes on a pending interrupt even while masked). */
static void wait_events(int n)
{
	__asm__ volatile("cpsid if");
	while (events < n)
		__asm__ volatile("wfi\n\tcpsie if\n\tisb\n\tcpsid if" ::: "memory");
	__asm__ volatile("cpsie if");
}

int main(void)
{
	kprintf("gic: Group 0 as FIQ, Group 1 as IRQ\n");
	REG32(GICD_CTLR) = 3;                            /* both groups */
	REG32(GICC_CTLR) = (1u << 3) | (1u << 2) | 3u;   /* FIQEn, AckCtl, both groups */
	REG32(GICC_PMR) = 0xf0;
	enable(ID_SGI, 0, 0x40);
	enable(7, 0, 0x20);
	enable(ID_PTIMER, 1, 0x80);
	enable(ID_EPIT1, 0, 0x60);
	enable(ID_SOFT, 1, 0xa0);
	kprintf("GICC_CTLR %02x, groups of IDs 3/29/88: %u %u %u\n", REG32(GICC_CTLR),
		(REG32(GICD_IGROUPR(0)) >> ID_SGI) & 1, (REG32(GICD_IGROUPR(0)) >> ID_PTIMER) & 1,
		(REG32(GICD_IGROUPR(ID_EPIT1 / 32)) >> (ID_EPIT1 % 32)) & 1);
	__asm__ volatile("cpsie if");

	kprintf("1. SGI %u to self\n", ID_SGI);
	REG32(GICD_SGIR) = (2u << 24) | ID_SGI;
	wait_events(1);

	kprintf("2. private timer\n");
	REG32(PTIMER_LOAD) = 5000;
	REG32(PTIMER_CONTROL) = (1u << 2) | 1u; /* IRQ enable, enable, one-shot */
	wait_events(2);

	kprintf("3. EPIT1 compare\n");
	REG32(EPIT1_BASE + 0x00) = (1u << 24) | (1u << 3) | (1u << 2) | (1u << 1); /* ipg, RLD, OCIEN, ENMOD */
	REG32(EPIT1_BASE + 0x08) = 10000; /* LR */
	REG32(EPIT1_BASE + 0x0c) = 0;     /* CMPR */
	REG32(EPIT1_BASE + 0x00) |= 1u;
	wait_events(3);

	kprintf("4. FIQ preempting the IRQ handler\n");
	sgi_during_irq = 1;
	REG32(PTIMER_LOAD) = 5000;
	REG32(PTIMER_CONTROL) = (1u << 2) | 1u;
	wait_events(5);
	sgi_during_irq = 0;

	kprintf("5. priority mask 0x90 holds back an SPI pended at 0xa0\n");
	REG32(GICC_PMR) = 0x90;
	REG32(GICD_ISPENDR(ID_SOFT / 32)) = 1u << (ID_SOFT % 32);
	for (volatile int i = 0; i < 1000; i++)
		;
	kprintf("   still waiting: events %d, HPPIR %u\n", events, REG32(GICC_HPPIR) & 0x3ff);
	REG32(GICC_PMR) = 0xf0;
	__asm__ volatile("isb");
	wait_events(6);

	__asm__ volatile("cpsid if");
	kprintf("%d interrupts, %d FIQ nested in IRQ\n", events, nested);
	int ok = events == 6 && nested == 1;
	sh_write0(ok ? "gic: ok\n" : "gic: FAILED\n");
	return ok ? 0 : 1;
}
