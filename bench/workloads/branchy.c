/* branchy bench: data-dependent control flow — insertion sort of pseudo-random
 * keys, a small bytecode interpreter with a switch, and Collatz walks. */
#include "bench.h"

#define NKEYS 64
static uint32_t keys[NKEYS];

static uint32_t sort_round(uint32_t seed)
{
    for (int i = 0; i < NKEYS; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        keys[i] = seed;
    }
    for (int i = 1; i < NKEYS; i++) {
        uint32_t k = keys[i];
        int j = i - 1;
        while (j >= 0 && keys[j] > k) {
            keys[j + 1] = keys[j];
            j--;
        }
        keys[j + 1] = k;
    }
    return keys[NKEYS / 2] ^ keys[0];
}

static const uint8_t program[] = { 0, 1, 2, 0, 3, 1, 4, 2, 5, 3, 0, 6, 1, 7, 4, 5 };

static uint32_t interpret(uint32_t x)
{
    uint32_t acc = x;
    for (int pc = 0; pc < 64; pc++) {
        switch (program[(pc + acc) & 15]) {
        case 0: acc += 0x9E3779B9u; break;
        case 1: acc ^= acc >> 7; break;
        case 2: acc = acc * 5u + 1u; break;
        case 3: if (acc & 1u) acc >>= 1; else acc <<= 1; break;
        case 4: acc -= x; break;
        case 5: acc = (acc << 3) | (acc >> 29); break;
        case 6: if (acc > x) acc -= x; else acc += 3u; break;
        default: acc = ~acc; break;
        }
    }
    return acc;
}

static uint32_t collatz_steps(uint32_t n)
{
    uint32_t steps = 0;
    while (n != 1u && steps < 1000u) {
        n = (n & 1u) ? 3u * n + 1u : n >> 1;
        steps++;
    }
    return steps;
}

int main(void)
{
    uint32_t sum = 0;
    for (uint32_t it = 0; it < ITERATIONS; it++) {
        sum = sum * 33u + sort_round(it * 2654435761u + 1u);
        sum ^= interpret(sum + it);
        sum += collatz_steps((it & 0x3FFu) + 27u);
    }
    bench_report("branchy", sum);
    return 0;
}
