/* Alignment faults of VFP/NEON accesses on QEMU sabrelite vs our Cortex-A9: VLDR/VSTR/VLDM need
   word alignment whatever SCTLR.A says, VLD1/VST1 with :64/:128 need their qualifier, plain VLD1
   does not fault. A data abort handler records DFSR and DFAR and skips the instruction; qmain
   prints, per probe, "dfsr offset" (DFAR - buffer) or "none". */
#include <stdint.h>
__attribute__((target("arm"))) static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
static void hex(uint32_t v, char end) {
  static char l[10];
  for (int d = 0; d < 8; d++) l[d] = "0123456789abcdef"[(v >> (28 - 4 * d)) & 15];
  l[8] = end; l[9] = 0;
  semihost(4, l);
}
volatile uint32_t g_dfsr, g_dfar, g_hits;
void dabort_c(void) {
  uint32_t s, a;
  __asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(s));
  __asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(a));
  g_dfsr = s; g_dfar = a; g_hits++;
}
__asm__(
  ".arm\n .align 5\n vectors:\n b .\n b .\n b .\n b .\n b dabort\n b .\n b .\n b .\n"
  "dabort:\n push {r0-r3, r12, lr}\n bl dabort_c\n pop {r0-r3, r12, lr}\n subs pc, lr, #4\n");
extern char vectors[];
static uint8_t buf[64] __attribute__((aligned(32)));

static void report(void) {
  if (g_hits) { hex(g_dfsr & 0xfff, ' '); hex(g_dfar - (uint32_t)buf, '\n'); } else semihost(4, "none\n");
  g_hits = 0;
}
#define PROBE(asmtext, off) do { register uint8_t *p __asm__("r4") = buf + (off); \
  __asm__ volatile(asmtext : : "r"(p) : "memory", "d0", "d1", "d2", "d3"); report(); } while (0)

__attribute__((target("arm"))) void qmain(void) {
  /* Abort-mode stack, then our vector table through VBAR. */
  __asm__ volatile("cps #0x17\n ldr sp, =0x10180000\n cps #0x13" ::: "memory");
  __asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n isb" : : "r"(vectors));
  PROBE("vldr s0, [r4]", 2);
  PROBE("vldr d0, [r4]", 4);
  PROBE("vstr d0, [r4]", 6);
  PROBE("vldmia r4, {d0-d1}", 1);
  PROBE("vstmia r4, {s0-s3}", 3);
  PROBE("vld1.32 {d0}, [r4:64]", 4);
  PROBE("vld1.32 {d0-d1}, [r4:128]", 8);
  /* :256 at a 16-byte boundary faults on hardware (ARM ARM A8.8.404) and here, but QEMU 7.2 checks
     at most 16-byte alignment (measured), so the probe uses an 8-byte boundary. */
  PROBE("vst1.8 {d0-d3}, [r4:256]", 8);
  PROBE("vld1.32 {d0}, [r4]", 1);
  PROBE("vld2.16 {d0[1],d1[1]}, [r4:32]", 2);
  PROBE("vld4.32 {d0[],d1[],d2[],d3[]}, [r4:64]", 4);
  PROBE("vldr d0, [r4]", 8);
  semihost(0x18, (const void *)0x20026);
}
