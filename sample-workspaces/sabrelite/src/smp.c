/* smp: core 0 releases core 1 through the SRC (entry address in GPR3, argument in GPR4,
 * SRC_SCR.CORE1_ENABLE). Both cores then share a spinlock built on LDREX/STREX (waiting in
 * WFE, released with SEV): they each add 1000 to a shared counter under the lock, and
 * print in strict turns so the output is the same however the cores interleave. Last,
 * core 1 sleeps in WFI with its own GIC CPU interface open and core 0 wakes it with an
 * SGI through GICD_SGIR's target list. */
#include "board.h"
#include "lib.h"

#define ROUNDS 3
#define ADDS 1000

extern void _start(void);
static volatile uint32_t lock_word;
static volatile uint32_t turn;
static volatile uint32_t counter;
static volatile uint32_t done;
static volatile uint32_t started;
static volatile uint32_t core1_waiting;
static volatile uint32_t sgi_seen;

#define GICD_CTLR  (GICD_BASE + 0x000)
#define GICD_SGIR  (GICD_BASE + 0xf00)
#define GICC_CTLR  (GICC_BASE + 0x00)
#define GICC_PMR   (GICC_BASE + 0x04)
#define GICC_IAR   (GICC_BASE + 0x0c)
#define GICC_EOIR  (GICC_BASE + 0x10)


static void spin_lock(volatile uint32_t *l)
{
	uint32_t tmp;
	__asm__ volatile(
		"1:	ldrex	%0, [%1]\n"
		"	cmp	%0, #0\n"
		"	wfene\n"
		"	bne	1b\n"
		"	strex	%0, %2, [%1]\n"
		"	cmp	%0, #0\n"
		"	bne	1b\n"
		"	dmb\n"
		: "=&r"(tmp) : "r"(l), "r"(1) : "cc", "memory");
}

static void spin_unlock(volatile uint32_t *l)
{
	__asm__ volatile("dmb" ::: "memory");
	*l = 0;
	__asm__ volatile("dsb\n\tsev" ::: "memory");
}

/* Only core 1 takes an interrupt here: the SGI core 0 sends it. */
void exception_handler(struct frame *f, int kind)
{
	if (kind != EXC_IRQ) {
		kprintf("unexpected exception %d at %08x on core %u\n", kind, f->pc, read_mpidr() & 3);
		sh_exit(3);
	}
	uint32_t iar = REG32(GICC_IAR);
	spin_lock(&lock_word);
	kprintf("core %u: IRQ, SGI %u from core %u\n", read_mpidr() & 3, iar & 0x3ff, (iar >> 10) & 7);
	sgi_seen = 1;
	spin_unlock(&lock_word);
	REG32(GICC_EOIR) = iar;
}

/* Both cores: wait for our turns (even turns core 0, odd turns core 1), and in between add to the counter. */
static void work(uint32_t core)
{
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < ADDS / ROUNDS + (round == 0 ? ADDS % ROUNDS : 0); i++) {
			spin_lock(&lock_word);
			counter = counter + 1;
			spin_unlock(&lock_word);
		}
		for (;;) {
			spin_lock(&lock_word);
			if (turn == 2u * (uint32_t)round + core)
				break;
			spin_unlock(&lock_word);
			__asm__ volatile("wfe");
		}
		kprintf("core %u (MPIDR %08x, %s mode): turn %u\n", core, read_mpidr(), mode_name(read_cpsr()), turn);
		turn = turn + 1;
		spin_unlock(&lock_word);
	}
}

void secondary_main(uint32_t core, uint32_t arg)
{
	if (core == 1) {
		spin_lock(&lock_word);
		kprintf("core 1 started, r0 from GPR4 = %08x\n", arg);
		started = 1;
		spin_unlock(&lock_word);
		work(1);
		/* Open this core's banked GIC CPU interface and sleep until core 0's SGI arrives;
		 * the check runs with IRQs masked so the SGI cannot slip in before the WFI. */
		REG32(GICC_PMR) = 0xf0;
		REG32(GICC_CTLR) = 1;
		spin_lock(&lock_word);
		core1_waiting = 1;
		spin_unlock(&lock_word);
		while (!sgi_seen)
			__asm__ volatile("wfi\n\tcpsie i\n\tisb\n\tcpsid i" ::: "memory");
		spin_lock(&lock_word);
		done = 1;
		spin_unlock(&lock_word);
	}
	for (;;)
		__asm__ volatile("wfe");
}

int main(void)
{
	kprintf("smp: core 0 releases core 1 through the SRC\n");
	kprintf("SRC_SCR %08x, SCU config %08x\n", REG32(SRC_BASE + SRC_SCR), REG32(SCU_BASE + 4));
	REG32(SRC_BASE + SRC_GPR(3)) = (uint32_t)_start;
	REG32(SRC_BASE + SRC_GPR(4)) = 0xc0de0001;
	spin_lock(&lock_word); /* core 1 prints its first line only after ours */
	REG32(SRC_BASE + SRC_SCR) |= 1u << 22;
	kprintf("core 1 enabled: SRC_SCR %08x, GPR3 %08x\n", REG32(SRC_BASE + SRC_SCR), REG32(SRC_BASE + SRC_GPR(3)));
	spin_unlock(&lock_word);
	for (;;) { /* let core 1 print its first line before the turns begin */
		spin_lock(&lock_word);
		uint32_t s = started;
		spin_unlock(&lock_word);
		if (s)
			break;
		__asm__ volatile("wfe");
	}
	work(0);
	for (;;) {
		spin_lock(&lock_word);
		uint32_t w = core1_waiting;
		spin_unlock(&lock_word);
		if (w)
			break;
		__asm__ volatile("wfe");
	}
	REG32(GICD_CTLR) = 1;
	kprintf("core 0: SGI 1 to core 1 (target list 0x02)\n");
	REG32(GICD_SGIR) = (0x02u << 16) | 1u;
	for (;;) {
		spin_lock(&lock_word);
		uint32_t d = done;
		spin_unlock(&lock_word);
		if (d)
			break;
		__asm__ volatile("wfe");
	}
	kprintf("both cores done: counter %u (expected %u)\n", counter, 2 * ADDS);
	sh_write0(counter == 2 * ADDS ? "smp: ok\n" : "smp: FAILED\n");
	return counter == 2 * ADDS ? 0 : 1;
}
