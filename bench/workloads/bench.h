/* Shared by the bench workloads: the iteration count (set per build by the
 * Makefile) and a checksum line printed through semihosting WRITE0, so that
 * no printf code runs and nearly every instruction belongs to the workload. */
#ifndef BENCH_H
#define BENCH_H
#include <stdint.h>
#include "semihost.h"

#ifndef ITERATIONS
#error "build with -DITERATIONS=n (see bench/Makefile)"
#endif

static inline void bench_report(const char *name, uint32_t checksum)
{
    char line[48];
    uint32_t n = 0;
    while (name[n] != 0 && n < 24) {
        line[n] = name[n];
        n++;
    }
    static const char mid[] = " checksum 0x";
    for (uint32_t i = 0; i < sizeof mid - 1; i++)
        line[n++] = mid[i];
    for (int shift = 28; shift >= 0; shift -= 4)
        line[n++] = "0123456789abcdef"[(checksum >> shift) & 0xF];
    line[n++] = '\n';
    line[n] = 0;
    semihost_call(SYS_WRITE0, line);
}

#endif
