/* Test corpus entry point: calls each corpus file's function so nothing is
 * discarded and the ELF links with newlib's nosys stubs. */
#include <stdint.h>

int types_main(void);
int recurse_main(volatile unsigned *seed);
int inline_main(int v);
int loops_main(void);
int fnptr_main(int a);

volatile unsigned g_seed = 5;
volatile int g_result;

int main(void)
{
  int r = types_main();
  r += recurse_main(&g_seed);
  r += inline_main((int)g_seed - 7);
  r += loops_main();
  r += fnptr_main((int)g_seed);
  g_result = r;
  return 0;
}
