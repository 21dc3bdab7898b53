/* Vectorisable C loops for neon.spec.ts: arm-none-eabi-gcc -O2 -ftree-vectorize -mfpu=neon-vfpv3
   turns them into the NEON that ordinary C gets (VLD1/VST1/VLD3/VST2, VMLA, VMOVL/VMOVN, VCVT,
   VPADD/VPMAX reductions...). kmain returns the address of 14 result hashes. */
#include <stdint.h>
#define N 67
int32_t a32[N], b32[N], c32[N], d32[N];
int16_t a16[N], b16[N], n16[N];
uint8_t a8[N], b8[N], rgb[3 * N], gray[N], eq8[N];
float fa[N], fb[N], fc[N];
int32_t il[2 * N], cv[N];
int64_t l64[N];
uint32_t results[16];
static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }
static uint32_t mix(uint32_t h, uint32_t v) { return (h ^ v) * 16777619u; }
uint32_t *kmain(void) {
  for (int i = 0; i < N; i++) {
    a32[i] = (int32_t)rnd() - 0x400000; b32[i] = (int32_t)(rnd() & 0xffff) - 0x8000; c32[i] = (int32_t)rnd();
    a16[i] = (int16_t)rnd(); b16[i] = (int16_t)rnd(); a8[i] = (uint8_t)rnd(); b8[i] = (uint8_t)rnd();
    fa[i] = (float)((int32_t)(rnd() & 0xfffff) - 0x80000) / 256.0f; fb[i] = (float)(rnd() & 0xffff) / 1024.0f;
  }
  for (int i = 0; i < 3 * N; i++) rgb[i] = (uint8_t)rnd();
  for (int i = 0; i < N; i++) c32[i] = a32[i] * b32[i] + c32[i];           /* vmla.i32 */
  for (int i = 0; i < N; i++) a16[i] = a16[i] - b16[i];                    /* vsub.i16 */
  for (int i = 0; i < N; i++) a8[i] = (uint8_t)((a8[i] + b8[i]) >> 1);     /* vhadd.u8 */
  for (int i = 0; i < N; i++) fc[i] = fa[i] + fb[i] * 2.0f;                /* vmla.f32 / vadd.f32 */
  for (int i = 0; i < N; i++) cv[i] = (int32_t)fc[i];                      /* vcvt.s32.f32 */
  for (int i = 0; i < N; i++) fb[i] = (float)a32[i];                       /* vcvt.f32.s32 */
  for (int i = 0; i < N; i++) n16[i] = (int16_t)(c32[i] >> 3);            /* vshr, vmovn */
  for (int i = 0; i < N; i++) d32[i] = a16[i];                             /* vmovl.s16 */
  for (int i = 0; i < N; i++) { il[2 * i] = b32[i]; il[2 * i + 1] = b32[i] + 1; }  /* vst2 */
  for (int i = 0; i < N; i++) gray[i] = (uint8_t)((rgb[3 * i] + rgb[3 * i + 1] + rgb[3 * i + 2]) / 3); /* vld3 */
  for (int i = 0; i < N; i++) eq8[i] = b8[i] == 7 ? 1 : 0;                 /* vceq */
  for (int i = 0; i < N; i++) l64[i] = (int64_t)a32[i] * b32[i];           /* vmull.s32 */
  int32_t sum = 0, mx = a32[0];
  for (int i = 0; i < N; i++) sum += c32[i];                               /* vpadd reduction */
  for (int i = 0; i < N; i++) mx = mx > a32[i] ? mx : a32[i];              /* vmax / vpmax */
  uint32_t h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, (uint32_t)c32[i]);
  results[0] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, (uint16_t)a16[i]);
  results[1] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, a8[i]);
  results[2] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) { union { float f; uint32_t u; } x = { fc[i] }; h = mix(h, x.u); }
  results[3] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, (uint32_t)cv[i]);
  results[4] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) { union { float f; uint32_t u; } x = { fb[i] }; h = mix(h, x.u); }
  results[5] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, (uint16_t)n16[i]);
  results[6] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, (uint32_t)d32[i]);
  results[7] = h; h = 2166136261u;
  for (int i = 0; i < 2 * N; i++) h = mix(h, (uint32_t)il[i]);
  results[8] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, gray[i]);
  results[9] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) h = mix(h, eq8[i]);
  results[10] = h; h = 2166136261u;
  for (int i = 0; i < N; i++) { h = mix(h, (uint32_t)l64[i]); h = mix(h, (uint32_t)(l64[i] >> 32)); }
  results[11] = h;
  results[12] = (uint32_t)sum;
  results[13] = (uint32_t)mx;
  return results;
}
