/* services (non-secure image): calls the secure services through their SG
 * veneers with arguments, checks the return values, and shows the checksum
 * service refusing secure and straddling buffers. */
#include <stdint.h>
#include "board.h"
#include "tz.h"
#include "uart.h"

int32_t s_mac(int32_t a, int32_t b, int32_t c);
uint32_t s_counter_add(uint32_t step);
int32_t s_checksum(const uint8_t *buf, uint32_t len);

static uint8_t buffer[64];

static int failures;

static void expect(const char *what, int32_t got, int32_t want)
{
    uart_puts("ns: ");
    uart_puts(what);
    uart_puts(" = ");
    uart_putdec(got);
    if (got != want) {
        uart_puts(" (expected ");
        uart_putdec(want);
        uart_puts(")");
        failures++;
    }
    uart_puts("\n");
}

int main(void)
{
    uart_puts("ns: calling secure services\n");
    expect("s_mac(6, 7, -2)", s_mac(6, 7, -2), 40);
    expect("s_mac(-300, 1000, 7)", s_mac(-300, 1000, 7), -299993);
    uint32_t want = 0;
    for (uint32_t step = 1; step <= 3; step++) {
        want += step * 10u;
        expect("s_counter_add", (int32_t)s_counter_add(step * 10u), (int32_t)want);
    }

    for (uint32_t i = 0; i < sizeof buffer; i++)
        buffer[i] = (uint8_t)(i * 7u + 3u);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < sizeof buffer; i++)
        sum = (sum << 3 | sum >> 29) ^ buffer[i];
    expect("s_checksum(ns buffer)", s_checksum(buffer, sizeof buffer), (int32_t)(sum & 0x7FFFFFFFu));
    expect("s_checksum(secure ram)", s_checksum((const uint8_t *)0x38000000u, 16), -1);
    /* The last 8 bytes of NS RAM plus 8 beyond it, where the SAU says secure. */
    expect("s_checksum(straddling)", s_checksum((const uint8_t *)(NS_RAM_LIMIT - 7u), 16), -1);
    uart_puts("ns: failures = ");
    uart_putdec(failures);
    uart_puts("\n");
    return failures;
}
