/* Secure-side board set-up of trustzone-m-hello: the MPCs, the PPC, NSCCFG
 * and the SAU regions that give the non-secure image its code, RAM, UART0
 * and the NSC veneer block. secure.c then hands control to the NS image. */
#ifndef TZ_H
#define TZ_H
#include <stdint.h>

/* Where ns.ld places the non-secure image and its RAM. */
#define NS_CODE_BASE    0x00200000u
#define NS_CODE_LIMIT   0x003FFFFFu
#define NS_RAM_BASE     0x28200000u
#define NS_RAM_LIMIT    0x283FFFFFu

void tz_setup(void);

#endif
