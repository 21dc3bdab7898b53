/* The secure services trustzone-m-hello exports to the non-secure world.
 * Each one is a cmse_nonsecure_entry function in secure.c; the NS image
 * reaches it through its SG veneer, whose address the CMSE import library
 * (prebuilt/secure-cmse.o) supplies at link time. */
#ifndef SECURE_API_H
#define SECURE_API_H
#include <stdint.h>

/* A non-secure function the secure world may call back (through BLXNS). */
typedef int32_t ns_callback_fn(int32_t);

int32_t secure_add(int32_t a, int32_t b);
int32_t secure_checksum(const uint8_t *buf, uint32_t len);
int32_t secure_apply(ns_callback_fn *callback, int32_t value);

#endif
