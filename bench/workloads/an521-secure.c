/* Secure image for the an521 bench builds: the sample workspace's secure
 * boot (SAU, MPCs, PPC), then the workload runs as the non-secure image and
 * its status ends the run. No secure code runs while the workload does. */
#include <stdint.h>
#include "tz.h"

/* GNU ld refuses --cmse-implib without any entry function; this one also
 * lets a workload ask whether it really runs non-secure. */
uint32_t __attribute__((cmse_nonsecure_entry)) s_bench_world(void)
{
    return 1;
}

int main(void)
{
    tz_setup();
    return tz_boot_ns();
}
