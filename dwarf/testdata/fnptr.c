/* Test corpus: function pointers, callbacks and a dispatch table, so the
 * formatter can show a pointer as a symbol name. */

typedef int (*binop_fn)(int, int);

struct op {
  const char *name;
  binop_fn fn;
};

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }

const struct op g_ops[] = {
  { "add", add },
  { "sub", sub },
  { "mul", mul },
};

binop_fn g_current = add;

int apply_all(int a, int b, void (*sink)(const char *, int))
{
  int total = 0;
  for (unsigned i = 0; i < sizeof g_ops / sizeof g_ops[0]; i++) {
    int r = g_ops[i].fn(a, b);
    if (sink)
      sink(g_ops[i].name, r);
    total += r;
  }
  return total;
}

static int last_value;
static void remember(const char *name, int v)
{
  (void)name;
  last_value = v;
}

int fnptr_main(int a)
{
  g_current = a > 0 ? mul : sub;
  return apply_all(a, 3, remember) + g_current(a, 2) + last_value;
}
