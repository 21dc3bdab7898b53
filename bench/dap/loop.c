/* DAP benchmark guest: a long loop whose body is a few statements with locals in memory
 * (-O0), so `next` steps one line at a time and a condition on `i` is evaluated on every
 * iteration. Built by bench/dap/run.mjs with the mps2-an386 sample's startup code. */
#include <stdint.h>

#define ITERATIONS 20000u

static volatile uint32_t sink;

static uint32_t scramble(uint32_t v)
{
    uint32_t r = v * 2654435761u;
    return r ^ (r >> 13);
}

int main(void)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        uint32_t s = scramble(i);
        total += s;
        sink = total;
    }
    return (int)(total & 0x7f);
}
