/* Test corpus: loops the optimizer unrolls, vectorizes or rotates, so line
 * rows jump back and forth and is_stmt matters. */
#include <stdint.h>

#define N 64
#define SQUARE(x) ((x) * (x))

static int16_t samples[N];
float weights[8] = { 0.5f, 0.25f, 0.125f, 1.0f, 2.0f, -1.0f, 0.0f, 3.0f };

void fill(int16_t *dst, unsigned n, int16_t start)
{
  for (unsigned i = 0; i < n; i++) {
    dst[i] = (int16_t)(start + (int16_t)SQUARE(i));
  }
}

int32_t dot(const int16_t *a, const int16_t *b, unsigned n)
{
  int32_t acc = 0;
  unsigned i = 0;
  while (i < n) {
    acc += a[i] * b[i];
    i++;
  }
  return acc;
}

float weighted(const float *w, unsigned n)
{
  float s = 0.0f;
  unsigned i = 0;
  do {
    s += w[i] * (float)(i + 1);
  } while (++i < n);
  return s;
}

unsigned count_bits(uint32_t v)
{
  unsigned c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}

int loops_main(void)
{
  fill(samples, N, 3);
  int32_t d = dot(samples, samples, N);
  float w = weighted(weights, 8);
  switch (count_bits((uint32_t)d) & 3) {
  case 0: d += 1; break;
  case 1: d -= 2; break;
  case 2: d *= 3; break;
  default: d = -d; break;
  }
  return (int)d + (int)w;
}
