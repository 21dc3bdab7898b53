/* Test corpus: inlining, so lines are split across inlined subroutines and
 * the same source line appears in several ranges. */
#include <stdint.h>

static inline __attribute__((always_inline)) uint32_t rotl(uint32_t x, unsigned k)
{
  return (x << (k & 31)) | (x >> ((32 - k) & 31));
}

static inline uint32_t mix(uint32_t a, uint32_t b)
{
  a ^= rotl(b, 7);
  b += rotl(a, 13);
  return a * 2654435761u + b;
}

static inline __attribute__((always_inline)) int clamp(int v, int lo, int hi)
{
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
}

uint32_t hash_words(const uint32_t *p, unsigned n)
{
  uint32_t h = 0x9e3779b9u;
  for (unsigned i = 0; i < n; i++)
    h = mix(h, p[i]);
  return h;
}

int inline_main(int v)
{
  static const uint32_t data[5] = { 1, 2, 3, 4, 5 };
  return clamp(v, -10, 10) + (int)hash_words(data, 5) + clamp(v * 3, 0, 100);
}
