/* Secure-side helpers shared by every sample's secure image: the TrustZone
 * set-up of the board (SAU, MPCs, PPC, NSCCFG) and the jump to the
 * non-secure image, whose main() status comes back through FNC_RETURN. */
#ifndef TZ_H
#define TZ_H
#include <stdint.h>

/* Where ns.ld places the non-secure image and its RAM. */
#define NS_CODE_BASE    0x00200000u
#define NS_CODE_LIMIT   0x003FFFFFu
#define NS_RAM_BASE     0x28200000u
#define NS_RAM_LIMIT    0x283FFFFFu

void tz_setup(void);
int32_t tz_boot_ns(void);

#endif
