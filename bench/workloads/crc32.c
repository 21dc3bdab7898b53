/* crc32 bench: byte-wise table-driven CRC-32 (IEEE 802.3, reflected) over a
 * 4 KB buffer, repeated; loads, shifts and XORs in a tight loop. */
#include "bench.h"

static uint32_t table[256];
static uint8_t buf[4096];

int main(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t seed = 1u;
    for (uint32_t i = 0; i < sizeof buf; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 16);
    }
    uint32_t acc = 0;
    for (uint32_t it = 0; it < ITERATIONS; it++) {
        uint32_t crc = 0xFFFFFFFFu ^ it;
        for (uint32_t i = 0; i < sizeof buf; i++)
            crc = table[(crc ^ buf[i]) & 0xFFu] ^ (crc >> 8);
        acc = (acc << 1 | acc >> 31) ^ ~crc;
    }
    bench_report("crc32", acc);
    return 0;
}
