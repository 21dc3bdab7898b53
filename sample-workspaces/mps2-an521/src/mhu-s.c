/* mhu (secure image, both CPUs): CPU0 sets INITSVTOR1 and clears CPUWAIT
 * bit 1; CPU1 boots, rings CPU0 through MHU0, then answers CPU0's doorbell
 * requests (data in shared RAM) with doorbells back. Both sleep in WFI
 * between doorbells and only CPU0 prints, so the log is deterministic. */
#include <arm_cmse.h>
#include "board.h"
#include "semihost.h"
#include "tz.h"
#include "uart.h"

#define BELL_HELLO   0x2u   /* CPU1 -> CPU0: started */
#define BELL_REQUEST 0x1u   /* CPU0 -> CPU1: request in shared.req */
#define BELL_ANSWER  0x1u   /* CPU1 -> CPU0: answer in shared.resp */
#define BELL_STOP    0x8u   /* CPU0 -> CPU1: park */

struct shared {
    volatile uint32_t req;
    volatile uint32_t resp;
    volatile uint32_t cpu1_vtor;
    volatile uint32_t cpu1_served;
    volatile uint32_t cpu1_bells[8];   /* CPU1INTR_STAT seen per doorbell */
};
static struct shared shared;

/* Doorbells each CPU's MHU0 handler collected and cleared. */
static volatile uint32_t cpu0_bells;
static volatile uint32_t cpu1_bells;

typedef void (*vector_t)(void);
extern const vector_t cpu1_vector_table[];

/* Each CPU runs with its own vector table, which tells them apart. */
static inline uint32_t cpu_index(void)
{
    return SCB_VTOR == (uint32_t)cpu1_vector_table ? 1u : 0u;
}

/* MHU0 raises IRQ 6 on both CPUs: each CPU clears only its own register. */
void MHU0_Handler(void)
{
    if (cpu_index() == 0u) {
        uint32_t bits = MHU_CPU0INTR_STAT(MHU0_BASE);
        MHU_CPU0INTR_CLR(MHU0_BASE) = bits;
        cpu0_bells |= bits;
    } else {
        uint32_t bits = MHU_CPU1INTR_STAT(MHU0_BASE);
        MHU_CPU1INTR_CLR(MHU0_BASE) = bits;
        cpu1_bells |= bits;
    }
}

/* Sleeps until a doorbell in mask arrives and returns (and consumes) it.
 * PRIMASK is set around the check so an IRQ that lands between the check
 * and WFI still wakes the WFI; the wait gives up after 100000 wake-ups. */
static uint32_t wait_bells(volatile uint32_t *bells, uint32_t mask)
{
    for (uint32_t wakeups = 0; wakeups < 100000u; wakeups++) {
        __asm volatile("cpsid i" ::: "memory");
        uint32_t got = *bells & mask;
        if (got) {
            *bells &= ~got;
            __asm volatile("cpsie i" ::: "memory");
            return got;
        }
        __asm volatile("wfi\n\tcpsie i\n\tisb" ::: "memory");
    }
    return 0;
}

/* ---- CPU1 ---------------------------------------------------------- */

extern uint32_t __cpu1_stack_top[];
void cpu1_reset(void) __attribute__((noreturn));
void cpu1_default(void);

/* VTOR needs the table aligned to its size rounded up to a power of two. */
__attribute__((section(".cpu1_vectors"), used, aligned(256)))
const vector_t cpu1_vector_table[16 + NUM_EXT_IRQS] = {
    [0] = (vector_t)(uintptr_t)__cpu1_stack_top,
    [1] = cpu1_reset,
    [2] = cpu1_default, [3] = cpu1_default, [4] = cpu1_default,
    [5] = cpu1_default, [6] = cpu1_default, [7] = cpu1_default,
    [11] = cpu1_default, [14] = cpu1_default, [15] = cpu1_default,
    [16 + MHU0_IRQn] = MHU0_Handler,
};

void cpu1_default(void)
{
    /* Only CPU0 prints; report through the exchange and park. */
    shared.cpu1_vtor = 0xDEAD0000u;
    MHU_CPU0INTR_SET(MHU0_BASE) = 0x4u;
    for (;;)
        __asm volatile("wfi");
}

void cpu1_reset(void)
{
    shared.cpu1_vtor = SCB_VTOR;
    NVIC_ISER(0) = 1u << MHU0_IRQn;
    __asm volatile("dsb" ::: "memory");
    MHU_CPU0INTR_SET(MHU0_BASE) = BELL_HELLO;
    for (uint32_t n = 0; n < 8u; n++) {
        uint32_t got = wait_bells(&cpu1_bells, BELL_REQUEST | BELL_STOP);
        shared.cpu1_bells[n] = got;
        if (got == 0u || (got & BELL_STOP))
            break;
        shared.resp = shared.req * 3u + 1u;
        shared.cpu1_served = shared.cpu1_served + 1u;
        __asm volatile("dsb" ::: "memory");
        MHU_CPU0INTR_SET(MHU0_BASE) = BELL_ANSWER;
    }
    MHU_CPU0INTR_SET(MHU0_BASE) = BELL_STOP;
    for (;;)
        __asm volatile("wfi");
}

/* ---- CPU0 ---------------------------------------------------------- */

/* Lets the non-secure app ask how many requests CPU1 served. */
uint32_t __attribute__((cmse_nonsecure_entry)) s_cpu1_served(void)
{
    return shared.cpu1_served;
}

int main(void)
{
    int failures = 0;
    uart_puts("cpu0: mhu sample, CPUWAIT = ");
    uart_puthex(SYSCTL_CPUWAIT);
    uart_puts("\n");
    NVIC_ISER(0) = 1u << MHU0_IRQn;

    SYSCTL_INITSVTOR1 = (uint32_t)cpu1_vector_table;
    __asm volatile("dsb" ::: "memory");
    SYSCTL_CPUWAIT = SYSCTL_CPUWAIT & ~0x2u;
    uart_puts("cpu0: released CPU1 at ");
    uart_puthex(SYSCTL_INITSVTOR1);
    uart_puts("\n");

    uint32_t got = wait_bells(&cpu0_bells, BELL_HELLO | 0x4u);
    uart_puts("cpu0: doorbell ");
    uart_puthex(got);
    uart_puts(" from CPU1, its VTOR = ");
    uart_puthex(shared.cpu1_vtor);
    uart_puts("\n");
    failures += got != BELL_HELLO;

    for (uint32_t round = 1; round <= 4u && got != 0u; round++) {
        shared.req = round * 100u + round;
        __asm volatile("dsb" ::: "memory");
        MHU_CPU1INTR_SET(MHU0_BASE) = BELL_REQUEST;
        got = wait_bells(&cpu0_bells, BELL_ANSWER);
        uart_puts("cpu0: round ");
        uart_putdec((int32_t)round);
        uart_puts(": sent ");
        uart_putdec((int32_t)shared.req);
        uart_puts(", CPU1 answered ");
        uart_putdec((int32_t)shared.resp);
        uart_puts(" with doorbell ");
        uart_puthex(got);
        uart_puts("\n");
        failures += got != BELL_ANSWER || shared.resp != shared.req * 3u + 1u;
    }

    MHU_CPU1INTR_SET(MHU0_BASE) = BELL_STOP;
    got = wait_bells(&cpu0_bells, BELL_STOP);
    uart_puts("cpu0: CPU1 parked after serving ");
    uart_putdec((int32_t)shared.cpu1_served);
    uart_puts(" requests; doorbells it saw:");
    for (uint32_t n = 0; n < 8u && shared.cpu1_bells[n] != 0u; n++) {
        uart_puts(" ");
        uart_puthex(shared.cpu1_bells[n]);
    }
    uart_puts("\n");
    failures += got != BELL_STOP || shared.cpu1_served != 4u;

    tz_setup();
    int32_t status = tz_boot_ns();
    uart_puts("cpu0: non-secure main returned ");
    uart_putdec(status);
    uart_puts("\n");
    return failures + status;
}
