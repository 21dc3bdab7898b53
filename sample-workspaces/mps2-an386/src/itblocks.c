/* itblocks: branchless integer kernels that GCC compiles to IT blocks
 * (min/max/clamp/abs/saturate), plus hand-written ITTEE/ITETE/ITTT sequences
 * whose condition flags change inside the block. Prints checksums. */
#include <stdint.h>
#include <stdio.h>

#define N 256
static int32_t data[N];

static uint32_t lcg_state = 12345u;
static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

static uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 16777619u;
    return h;
}

static inline int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t clamp32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int32_t abs32(int32_t v) { return v < 0 ? -v : v; }
static inline uint32_t umin32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* Saturate to int16 with conditional moves rather than SSAT. */
static inline int32_t sat16(int32_t v)
{
    if (v > 32767) v = 32767;
    if (v < -32768) v = -32768;
    return v;
}

/* ITTEE: if a >= b then (a - b, flag 1) else (b - a, flag 0), in one block.
 * A2.5.2 / A7.3.3: the else-half executes under the inverted condition. */
static uint32_t absdiff_ittee(int32_t a, int32_t b, uint32_t *flag)
{
    uint32_t d, f;
    __asm volatile(
        "cmp %2, %3\n\t"
        "ittee ge\n\t"
        "subge %0, %2, %3\n\t"
        "movge %1, #1\n\t"
        "sublt %0, %3, %2\n\t"
        "movlt %1, #0\n\t"
        : "=&r"(d), "=&r"(f) : "r"(a), "r"(b) : "cc");
    *flag = f;
    return d;
}

/* ITETE with a flag-setting instruction inside the block: ADDS in an IT
 * block does not set flags (A7.3.3), so later slots still test the CMP. */
static uint32_t itete_mix(uint32_t x, uint32_t y)
{
    uint32_t r = 0;
    __asm volatile(
        "cmp %1, %2\n\t"
        "itete hi\n\t"
        "addhi %0, %1, %2\n\t"
        "subls %0, %2, %1\n\t"
        "eorhi %0, %0, %1, lsl #3\n\t"
        "orrls %0, %0, %2, lsr #2\n\t"
        : "+r"(r) : "r"(x), "r"(y) : "cc");
    return r;
}

/* CMP inside an IT block does set flags; the following IT tests the new ones. */
static uint32_t chained(uint32_t x)
{
    uint32_t r = x;
    __asm volatile(
        "cmp %0, #100\n\t"
        "itt hs\n\t"
        "subhs %0, %0, #100\n\t"
        "cmphs %0, #50\n\t"
        "it hi\n\t"
        "lsrhi %0, %0, #1\n\t"
        : "+r"(r) : : "cc");
    return r;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        data[i] = (int32_t)(lcg() ^ (lcg() >> 7)) >> (i & 15);

    uint32_t h_min = 2166136261u, h_clamp = 2166136261u, h_abs = 2166136261u;
    uint32_t h_sat = 2166136261u, h_asm = 2166136261u;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (int i = 0; i < N; i++) {
        int32_t a = data[i], b = data[(i * 7 + 3) % N];
        lo = min32(lo, a);
        hi = max32(hi, a);
        h_min = mix(h_min, (uint32_t)min32(a, b) ^ (uint32_t)max32(a, b) ^ umin32((uint32_t)a, (uint32_t)b));
        h_clamp = mix(h_clamp, (uint32_t)clamp32(a, -1000000, 1000000));
        h_abs = mix(h_abs, (uint32_t)abs32(a >> 1));
        h_sat = mix(h_sat, (uint32_t)sat16(a >> 8));
        uint32_t flag;
        uint32_t d = absdiff_ittee(a >> 2, b >> 2, &flag);
        h_asm = mix(h_asm, d ^ (flag << 31));
        h_asm = mix(h_asm, itete_mix((uint32_t)a, (uint32_t)b));
        h_asm = mix(h_asm, chained((uint32_t)a & 0x1FF));
    }

    printf("min %ld max %ld\n", (long)lo, (long)hi);
    printf("min/max hash   0x%08lx\n", (unsigned long)h_min);
    printf("clamp hash     0x%08lx\n", (unsigned long)h_clamp);
    printf("abs hash       0x%08lx\n", (unsigned long)h_abs);
    printf("sat16 hash     0x%08lx\n", (unsigned long)h_sat);
    printf("asm IT hash    0x%08lx\n", (unsigned long)h_asm);
    printf("chained(250)=%lu chained(180)=%lu chained(99)=%lu\n",
           (unsigned long)chained(250), (unsigned long)chained(180), (unsigned long)chained(99));
    uint32_t f1, f2;
    uint32_t d1 = absdiff_ittee(5, 9, &f1), d2 = absdiff_ittee(9, 5, &f2);
    printf("absdiff(5,9)=%lu ge=%lu absdiff(9,5)=%lu ge=%lu\n", (unsigned long)d1,
           (unsigned long)f1, (unsigned long)d2, (unsigned long)f2);
    int ok = chained(250) == 75 && chained(180) == 40 && chained(99) == 99
          && d1 == 4 && f1 == 0 && d2 == 4 && f2 == 1;
    printf("self-check %s\n", ok ? "passed" : "FAILED");
    return ok ? 0 : 1;
}
