/* smp: core 0 releases core 1 through the SRC (entry address in GPR3, argument in GPR4,
 * SRC_SCR.CORE1_ENABLE). Both cores then share a spinlock built on LDREX/STREX (waiting in
 * WFE, released with SEV): they each add 1000 to a shared counter under the lock, and
 * print in strict turns so the output is the same however the cores interleave. */
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
