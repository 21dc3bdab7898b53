/* gpt-irq: the i.MX GPT's output compare 1 interrupt (SPI 55, GIC ID 87) delivered through
 * the GIC distributor and CPU interface as an IRQ. main() sleeps in WFI until three
 * compare interrupts have been handled; the handler acknowledges through GICC_IAR, clears
 * the GPT status, and ends through GICC_EOIR. Nothing time-dependent is printed. */
#include "board.h"
#include "lib.h"

#define GICD_CTLR        (GICD_BASE + 0x000)
#define GICD_ISENABLER(n) (GICD_BASE + 0x100 + 4 * (n))
#define GICD_ISPENDR(n)  (GICD_BASE + 0x200 + 4 * (n))
#define GICD_ISACTIVER(n) (GICD_BASE + 0x300 + 4 * (n))
#define GICD_IPRIORITYR  (GICD_BASE + 0x400)
#define GICD_ITARGETSR   (GICD_BASE + 0x800)
#define GICC_CTLR        (GICC_BASE + 0x00)
#define GICC_PMR         (GICC_BASE + 0x04)
#define GICC_IAR         (GICC_BASE + 0x0c)
#define GICC_EOIR        (GICC_BASE + 0x10)
#define GICC_RPR         (GICC_BASE + 0x14)

#define GPT_CR   (GPT_BASE + 0x00)
#define GPT_PR   (GPT_BASE + 0x04)
#define GPT_SR   (GPT_BASE + 0x08)
#define GPT_IR   (GPT_BASE + 0x0c)
#define GPT_OCR1 (GPT_BASE + 0x10)

static volatile int ticks;

void exception_handler(struct frame *f, int kind)
{
	if (kind != EXC_IRQ) {
		kprintf("unexpected exception %d at %08x\n", kind, f->pc);
		sh_exit(3);
	}
	uint32_t iar = REG32(GICC_IAR);
	uint32_t id = iar & 0x3ff;
	if (id == GPT_IRQ_ID) {
		uint32_t sr = REG32(GPT_SR);
		uint32_t active = (REG32(GICD_ISACTIVER(id / 32)) >> (id % 32)) & 1;
		REG32(GPT_SR) = sr; /* write 1 to clear OF1 */
		ticks++;
		kprintf("  IRQ %u: GPT_SR %x, active %u, running priority %02x, mode %s\n", id, sr, active,
			REG32(GICC_RPR), mode_name(read_cpsr()));
	} else {
		kprintf("  spurious IRQ %u\n", id);
	}
	if (id < 1020)
		REG32(GICC_EOIR) = iar;
}

int main(void)
{
	kprintf("gpt-irq: GPT compare interrupt through the GIC\n");

	/* GIC: ID 87 at priority 0xa0 to CPU0, Group 0 (secure, IRQ since FIQEn is clear). */
	*(volatile uint8_t *)(GICD_IPRIORITYR + GPT_IRQ_ID) = 0xa0;
	*(volatile uint8_t *)(GICD_ITARGETSR + GPT_IRQ_ID) = 0x01;
	REG32(GICD_ISENABLER(GPT_IRQ_ID / 32)) = 1u << (GPT_IRQ_ID % 32);
	REG32(GICD_CTLR) = 1;
	REG32(GICC_PMR) = 0xf0;
	REG32(GICC_CTLR) = 1;
	kprintf("GIC: priority %02x, target %02x, enabled %u\n", *(volatile uint8_t *)(GICD_IPRIORITYR + GPT_IRQ_ID),
		*(volatile uint8_t *)(GICD_ITARGETSR + GPT_IRQ_ID), (REG32(GICD_ISENABLER(GPT_IRQ_ID / 32)) >> (GPT_IRQ_ID % 32)) & 1);

	/* GPT: software reset, ipg clock, restart mode, compare 1 every 66000 ticks (1 ms). */
	REG32(GPT_CR) = 1u << 15;
	REG32(GPT_PR) = 0;
	REG32(GPT_OCR1) = 66000;
	REG32(GPT_IR) = 1;
	REG32(GPT_CR) = (1u << 6) | (1u << 1) | 1u;
	kprintf("GPT: CR %08x IR %x OCR1 %u\n", REG32(GPT_CR), REG32(GPT_IR), REG32(GPT_OCR1));

	/* Check and sleep with IRQs masked, so a tick between the check and the WFI still
	 * wakes it (WFI wakes on a pending interrupt even while it is masked). */
	while (ticks < 3)
		__asm__ volatile("wfi\n\tcpsie i\n\tisb\n\tcpsid i" ::: "memory");
	REG32(GPT_CR) = 0;
	uint32_t pending = (REG32(GICD_ISPENDR(GPT_IRQ_ID / 32)) >> (GPT_IRQ_ID % 32)) & 1;
	kprintf("%d GPT interrupts handled; timer stopped, pending %u\n", ticks, pending);
	sh_write0("gpt-irq: ok\n");
	return 0;
}
