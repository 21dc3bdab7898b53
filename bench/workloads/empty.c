/* empty bench: does no work, so its run time is the engine's fixed start-up
 * and shutdown cost, which bench/run.mjs subtracts from the other workloads. */
#include "bench.h"

int main(void)
{
    bench_report("empty", ITERATIONS);
    return 0;
}
