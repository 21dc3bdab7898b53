/* Bare-metal program for the unwinding spec (dwarf/unwind.spec.ts): runs under QEMU mps2-an386
 * with no C library. It builds a deep call chain (main -> middle -> inlined helper -> recursion
 * -> leaf) with saved registers, a stack array and, at -O2, inlining, so gdb's backtrace and
 * Tandem's CFI unwinder can be compared frame by frame. */
extern unsigned char __stack_top[];
void Reset_Handler(void);
void Default_Handler(void);

__attribute__((section(".vectors"), used))
static void (*const vectors[16])(void) = {
  (void (*)(void))__stack_top, Reset_Handler, Default_Handler, Default_Handler,
  Default_Handler, Default_Handler, Default_Handler, 0, 0, 0, 0,
  Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
};

volatile int sink;

__attribute__((noinline)) int leaf(int x) {
  sink = x;
  return x * 3;
}

/* Not a tail call: the result is combined after the call returns. */
__attribute__((noinline)) int recurse(int n, int acc) {
  int r;
  if (n == 0) return leaf(acc + 7);
  r = recurse(n - 1, acc ^ n);
  sink = r;
  return r + n * acc;
}

static inline int helper(int a) {
  return recurse(a, a + 1) * 2;
}

__attribute__((noinline)) int middle(int a, int b) {
  int buf[8];
  for (int i = 0; i < 8; i++) buf[i] = a + i * b;
  sink = buf[b & 7];
  return helper(a) + buf[3] + sink;
}

int main(void) {
  int r = middle(3, 5);
  sink = r;
  for (;;) {}
}

void Reset_Handler(void) {
  main();
  for (;;) {}
}

void Default_Handler(void) {
  for (;;) {}
}
