/* Built with -O2 so GCC inlines the static helpers: the debugger must show
 * inlined frames (DW_TAG_inlined_subroutine) for mix() and cross(). */
#include <stdint.h>
#include "shapes.h"

static inline uint32_t mix(uint32_t acc, uint8_t byte)
{
    acc ^= byte;
    return (acc << 5) | (acc >> 27);
}

int32_t checksum(const uint8_t *data, uint32_t len)
{
    uint32_t acc = 0x1234u;
    for (uint32_t i = 0; i < len; i++)
        acc = mix(acc, data[i]);
    return (int32_t)acc;
}

static inline int32_t cross(struct point a, struct point b)
{
    return (int32_t)a.x * b.y - (int32_t)b.x * a.y;
}

/* Shoelace formula: twice the signed area of the polygon. */
int32_t area2(const struct shape *s)
{
    int32_t sum = 0;
    uint32_t n = s->ncorners <= 4u ? s->ncorners : 4u;
    for (uint32_t i = 0; i < n; i++)
        sum += cross(s->corners[i], s->corners[(i + 1u) % n]);
    return sum;
}
