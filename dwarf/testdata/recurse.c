/* Test corpus: recursion and mutual recursion, so frames, scopes and line
 * stepping see the same function on the stack several times. */

unsigned fact(unsigned n)
{
  if (n <= 1)
    return 1;
  return n * fact(n - 1);
}

static int is_odd(unsigned n);

static int is_even(unsigned n)
{
  if (n == 0)
    return 1;
  return is_odd(n - 1);
}

static int is_odd(unsigned n)
{
  if (n == 0)
    return 0;
  return is_even(n - 1);
}

int ackermann(int m, int n)
{
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

int recurse_main(volatile unsigned *seed)
{
  unsigned n = *seed;
  return (int)fact(n) + is_even(n + 3) + ackermann(2, (int)(n & 3));
}
