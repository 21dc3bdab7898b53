/* QEMU side of the NEON cross-check: runs kmain from neon-kernels.c on qemu-system-arm
   -machine sabrelite and prints its 14 result hashes through semihosting (SVC 0x123456),
   one "%08x" per line, then exits with SYS_EXIT. These two functions stay ARM code in -mthumb builds. */
#include <stdint.h>
uint32_t *kmain(void);
__attribute__((target("arm"))) static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
__attribute__((target("arm"))) void qmain(void) {
  static char line[10];
  const uint32_t *r = kmain();
  for (int k = 0; k < 14; k++) {
    for (int d = 0; d < 8; d++) line[d] = "0123456789abcdef"[(r[k] >> (28 - 4 * d)) & 15];
    line[8] = '\n'; line[9] = 0;
    semihost(0x04, line);
  }
  semihost(0x18, (const void *)0x20026);
}
