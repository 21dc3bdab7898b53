/* Identification and FPSCR probe for QEMU sabrelite vs our Cortex-A9: FPSID, MVFR0, MVFR1, the
   FPSCR bits a VMSR keeps, and a VFPv3 short-vector VADD (Len = 1), printed through semihosting. */
#include <stdint.h>
__attribute__((target("arm"))) static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
static void hex(uint32_t v) { static char l[10]; for (int d = 0; d < 8; d++) l[d] = "0123456789abcdef"[(v >> (28 - 4 * d)) & 15]; l[8] = '\n'; l[9] = 0; semihost(4, l); }
__attribute__((target("arm"))) void qmain(void) {
  uint32_t v;
  __asm__ volatile("vmrs %0, fpsid" : "=r"(v)); hex(v);
  __asm__ volatile("vmrs %0, mvfr0" : "=r"(v)); hex(v);
  __asm__ volatile("vmrs %0, mvfr1" : "=r"(v)); hex(v);
  __asm__ volatile("vmsr fpscr, %0" : : "r"(0xffffffffu)); __asm__ volatile("vmrs %0, fpscr" : "=r"(v)); hex(v);
  /* Len = 1: s8 = s16 + s24, s9 = s17 + s25 */
  __asm__ volatile("vmsr fpscr, %0" : : "r"(0x10000u));
  __asm__ volatile("vmov.f32 s16, #1.0\n vmov.f32 s17, #2.0\n vmov.f32 s24, #0.5\n vmov.f32 s25, #0.25\n vmov.f32 s9, #3.0\n vadd.f32 s8, s16, s24\n vmov %0, s9" : "=r"(v) : : "s8", "s9", "s16", "s17", "s24", "s25");
  __asm__ volatile("vmsr fpscr, %0" : : "r"(0));
  hex(v);
  semihost(0x18, (const void *)0x20026);
}
