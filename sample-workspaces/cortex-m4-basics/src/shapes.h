/* Types shared by the basics sample: a struct with an enum and a bitfield,
 * so the debugger has nested aggregates to expand. */
#ifndef SHAPES_H
#define SHAPES_H
#include <stdint.h>

enum color { COLOR_RED, COLOR_GREEN, COLOR_BLUE = 4 };

/* A packed status word as a peripheral might lay it out. */
struct flags {
    unsigned ready : 1;
    unsigned mode : 3;
    unsigned level : 4;
    unsigned reserved : 24;
};

struct point {
    int16_t x;
    int16_t y;
};

struct shape {
    const char *name;
    enum color color;
    struct flags flags;
    struct point corners[4];
    uint8_t ncorners;
    struct shape *next;
};

/* optimized.c (built with -O2): these helpers inline into their callers. */
int32_t checksum(const uint8_t *data, uint32_t len);
int32_t area2(const struct shape *s);

#endif
