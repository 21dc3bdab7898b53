/* QEMU side of the NEON/VFP cross-checks: runs KERNEL (kmain from neon-kernels.c, vmain from
   vfp-kernels.c) on qemu-system-arm -machine sabrelite and prints its NRESULTS result hashes
   through semihosting (SVC 0x123456), one "%08x" per line, then exits with SYS_EXIT.
   qemu-neon.spec.ts passes both with -D; these two functions stay ARM code in -mthumb builds. */
#include <stdint.h>
#if !defined(KERNEL) || !defined(NRESULTS)
#error "build with -DKERNEL=<kernel entry> -DNRESULTS=<number of hashes it returns>"
#endif
uint32_t *KERNEL(void);
__attribute__((target("arm"))) static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
__attribute__((target("arm"))) void qmain(void) {
  static char line[10];
  const uint32_t *r = KERNEL();
  for (int k = 0; k < NRESULTS; k++) {
    for (int d = 0; d < 8; d++) line[d] = "0123456789abcdef"[(r[k] >> (28 - 4 * d)) & 15];
    line[8] = '\n'; line[9] = 0;
    semihost(0x04, line);
  }
  semihost(0x18, (const void *)0x20026);
}
