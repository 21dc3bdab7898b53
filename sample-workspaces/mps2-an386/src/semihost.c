/* semihost: exercises one semihosting operation after another and prints
 * only facts that do not depend on the host (no handles, times or addresses),
 * so QEMU and Tandem must agree byte for byte. Exits through EXIT_EXTENDED
 * with status 3 to prove the status reaches the host. */
#include <stdint.h>
#include "semihost.h"

static uint32_t str_len(const char *s)
{
    uint32_t n = 0;
    while (s[n] != 0 && n < 4096u)
        n++;
    return n;
}

static void put(const char *s)
{
    semihost_call(SYS_WRITE0, s);
}

static void put_dec(int32_t v)
{
    char buf[13];
    int n = 12;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    buf[n] = 0;
    do {
        buf[--n] = (char)('0' + u % 10u);
        u /= 10u;
    } while (u != 0 && n > 1);
    if (v < 0)
        buf[--n] = '-';
    put(&buf[n]);
}

static void check(const char *what, int ok)
{
    put(what);
    put(ok ? ": ok\n" : ": FAILED\n");
}

static int failures;

static void expect(const char *what, int ok)
{
    check(what, ok);
    if (!ok)
        failures++;
}

int main(void)
{
    put("semihost: WRITE0 works\n");

    static const char line[] = "semihost: WRITEC works\n";
    for (uint32_t i = 0; i < sizeof line - 1; i++)
        semihost_call(SYS_WRITEC, &line[i]);

    /* Mode 8 ("a") on ":tt" is the error stream, where QEMU also sends
     * WRITE0/WRITEC; mode 4 would be the host's stdout. */
    static const char tt[] = ":tt";
    uint32_t open_args[3] = { (uint32_t)tt, 8, sizeof tt - 1 };
    int32_t out = semihost_call(SYS_OPEN, open_args);
    expect("OPEN :tt for append", out != -1);

    static const char msg[] = "semihost: WRITE to :tt works\n";
    uint32_t write_args[3] = { (uint32_t)out, (uint32_t)msg, sizeof msg - 1 };
    int32_t left = semihost_call(SYS_WRITE, write_args);
    expect("WRITE returns 0 bytes left", left == 0);

    uint32_t handle_arg[1] = { (uint32_t)out };
    /* QEMU answers ISTTY and FLEN from the host file behind the stream
     * (a pipe under test, a terminal by hand), so only the range is fixed. */
    int32_t tty = semihost_call(SYS_ISTTY, handle_arg);
    expect("ISTTY :tt answers 0 or 1", tty == 0 || tty == 1);
    expect("FLEN :tt answers a length or -1", semihost_call(SYS_FLEN, handle_arg) >= -1);
    expect("CLOSE :tt", semihost_call(SYS_CLOSE, handle_arg) == 0);

    /* A path that cannot exist on any host: OPEN fails and ERRNO says why. */
    static const char missing[] = "/nonexistent-tandem-dir/no-such-file";
    uint32_t bad_args[3] = { (uint32_t)missing, 0, sizeof missing - 1 };
    expect("OPEN of a missing file fails", semihost_call(SYS_OPEN, bad_args) == -1);
    put("ERRNO = ");
    put_dec(semihost_call(SYS_ERRNO, 0));
    put("\n");

    int32_t c0 = semihost_call(SYS_CLOCK, 0);
    expect("CLOCK is not -1", c0 != -1 && c0 >= 0);
    uint32_t t0[2] = { 0, 0 }, t1[2] = { 0, 0 };
    int32_t e0 = semihost_call(SYS_ELAPSED, t0);
    int32_t e1 = semihost_call(SYS_ELAPSED, t1);
    uint64_t ticks0 = ((uint64_t)t0[1] << 32) | t0[0];
    uint64_t ticks1 = ((uint64_t)t1[1] << 32) | t1[0];
    expect("ELAPSED succeeds and does not go backwards", e0 == 0 && e1 == 0 && ticks1 >= ticks0);
    expect("TICKFREQ is positive", semihost_call(SYS_TICKFREQ, 0) > 0);

    uint32_t heap[4] = { 0xdeadbeefu, 0xdeadbeefu, 0xdeadbeefu, 0xdeadbeefu };
    uint32_t *heap_ptr = heap;
    semihost_call(SYS_HEAPINFO, &heap_ptr);
    expect("HEAPINFO filled the block", heap[0] != 0xdeadbeefu && heap[1] != 0xdeadbeefu
                                        && heap[2] != 0xdeadbeefu && heap[3] != 0xdeadbeefu);
    expect("HEAPINFO heap base <= heap limit", heap[0] <= heap[1]);

    char cmdline[256];
    uint32_t cmd_args[2] = { (uint32_t)cmdline, sizeof cmdline };
    int32_t got = semihost_call(SYS_GET_CMDLINE, cmd_args);
    expect("GET_CMDLINE succeeds", got == 0);
    uint32_t n = got == 0 ? str_len(cmdline) : 0;
    expect("GET_CMDLINE length matches the returned length", got == 0 && n == cmd_args[1]);
    /* argv[0] is the image path, whose directory varies; print its last part. */
    uint32_t end = 0;
    while (end < n && cmdline[end] != ' ')
        end++;
    uint32_t start = end;
    while (start > 0 && cmdline[start - 1] != '/')
        start--;
    cmdline[end] = 0;
    put("GET_CMDLINE argv[0] file = ");
    put(&cmdline[start]);
    put("\n");

    put("failures = ");
    put_dec(failures);
    put("\nexiting with EXIT_EXTENDED status 3\n");
    semihost_exit(failures == 0 ? 3 : 10 + failures);
}
