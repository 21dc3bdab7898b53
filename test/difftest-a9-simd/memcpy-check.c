/* newlib memcpy/memset as linked for -mcpu=cortex-a9 -mfpu=neon-vfpv3 -mfloat-abi=hard (the
   thumb/v7-a+simd/hard multilib, which copies with VLD1/VST1/VLDM): all 8x8 source/destination
   alignments and 15 lengths, hashed. neon.spec.ts runs it on our core and on a model. */
#include <string.h>
#include <stdint.h>
uint8_t src[600], dst[700];
uint32_t *kmain(void) {
  static uint32_t out[4];
  for (int i = 0; i < 600; i++) src[i] = (uint8_t)(i * 7 + 3);
  uint32_t h = 2166136261u;
  for (int a = 0; a < 8; a++) for (int b = 0; b < 8; b++) for (int n = 0; n < 520; n += 37) {
    memset(dst, 0xa5, sizeof dst);
    memcpy(dst + a, src + b, n);
    memset(dst + a + n, b, 9 + a);
    for (int k = 0; k < 700; k++) h = (h ^ dst[k]) * 16777619u;
  }
  out[0] = h;
  return out;
}
