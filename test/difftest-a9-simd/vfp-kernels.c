/* VFPv3 cross-check for QEMU sabrelite vs our Cortex-A9: double and single arithmetic under
   every rounding mode, flush-to-zero and default-NaN, with denormals, NaN payloads, infinities
   and saturating conversions. Every result and the FPSCR after each block are hashed; qmain
   prints one hash per block through semihosting. */
#include <stdint.h>
static inline void set_fpscr(uint32_t v) { __asm__ volatile("vmsr fpscr, %0" : : "r"(v)); }
static inline uint32_t get_fpscr(void) { uint32_t v; __asm__ volatile("vmrs %0, fpscr" : "=r"(v)); return v; }
static uint32_t h;
static void mix(uint32_t v) { h = (h ^ v) * 16777619u; }
static void mixd(double d) { union { double d; uint64_t u; } x = { d }; mix((uint32_t)x.u); mix((uint32_t)(x.u >> 32)); }
static void mixf(float f) { union { float f; uint32_t u; } x = { f }; mix(x.u); }
static double bitsd(uint64_t u) { union { uint64_t u; double d; } x = { u }; return x.d; }
static float bitsf(uint32_t u) { union { uint32_t u; float f; } x = { u }; return x.f; }

/* Operands kept volatile so that gcc cannot fold the arithmetic at compile time. */
static volatile double vd[] = { 1.0, -2.5, 3.0e300, -1.0e-310, 0.1, 7.0, -0.0, 1.0e-320, 123456789.125, -3.0e-300 };
static volatile float vf[] = { 1.0f, -2.5f, 3.0e38f, -1.0e-40f, 0.1f, 7.0f, -0.0f, 1.0e-44f, 16777217.0f, -3.0e-38f };
static volatile uint64_t nand[] = { 0x7ff0000000000001ull, 0xfff8000000001234ull, 0x7ff0000000000000ull };
static volatile uint32_t nanf[] = { 0x7f800001u, 0xffc01234u, 0x7f800000u };
static volatile int32_t vi[] = { 0, 1, -1, 0x7fffffff, (int32_t)0x80000000, 123456789, -98765 };

static void arith_block(void) {
  for (int i = 0; i < 10; i++)
    for (int j = 0; j < 10; j++) {
      double a = vd[i], b = vd[j];
      mixd(a + b); mixd(a - b); mixd(a * b); mixd(a / b);
      mixd(a * b + vd[(i + j) % 10]);
      float x = vf[i], y = vf[j];
      mixf(x + y); mixf(x - y); mixf(x * y); mixf(x / y);
      mixf(-(x * y) - vf[(i + j) % 10]);
      mix(a < b); mix(x >= y); mix(a == b);
    }
  for (int i = 0; i < 10; i++) { mixd(__builtin_sqrt(vd[i])); mixf(__builtin_sqrtf(vf[i])); mixd(__builtin_fabs(vd[i])); }
}

static void nan_block(void) {
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 10; j++) {
      double n = bitsd(nand[i]);
      mixd(n + vd[j]); mixd(vd[j] * n); mixd(n - n);
      float f = bitsf(nanf[i]);
      mixf(f + vf[j]); mixf(vf[j] / f);
      mixd((double)f); mixf((float)n);
      mix(n < vd[j]);
    }
}

static void convert_block(void) {
  for (int i = 0; i < 10; i++) {
    mix((uint32_t)(int32_t)vd[i]); mix((uint32_t)vd[i]); mix((uint32_t)(int32_t)vf[i]); mix((uint32_t)vf[i]);
    mixf((float)vd[i]); mixd((double)vf[i]);
  }
  for (int i = 0; i < 7; i++) { mixd((double)vi[i]); mixf((float)vi[i]); mixf((float)(uint32_t)vi[i]); mixd((double)(uint32_t)vi[i]); }
}

static void run_blocks(uint32_t *out, uint32_t mode) {
  void (*blocks[3])(void) = { arith_block, nan_block, convert_block };
  for (int b = 0; b < 3; b++) {
    h = 2166136261u;
    set_fpscr(mode);
    blocks[b]();
    mix(get_fpscr());
    out[b] = h;
  }
}

static uint32_t results[8 * 3];
uint32_t *vmain(void) {
  /* RMode in bits 23:22, FZ bit 24, DN bit 25. */
  static const uint32_t modes[8] = { 0, 1u << 22, 2u << 22, 3u << 22, 1u << 24, 1u << 25, (1u << 24) | (1u << 25) | (3u << 22), (2u << 22) | (1u << 24) };
  for (int m = 0; m < 8; m++) run_blocks(&results[3 * m], modes[m]);
  return results;
}
