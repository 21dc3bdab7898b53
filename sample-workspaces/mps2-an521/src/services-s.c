/* services (secure image): two secure services behind NSC veneers, a
 * multiply-accumulate and a secure counter, plus a checksum service that
 * validates the caller's buffer with TT (cmse_check_address_range) first. */
#include <arm_cmse.h>
#include "board.h"
#include "tz.h"
#include "uart.h"

static uint32_t counter;
static uint32_t calls;

int32_t __attribute__((cmse_nonsecure_entry)) s_mac(int32_t a, int32_t b, int32_t c)
{
    calls++;
    return a * b + c;
}

uint32_t __attribute__((cmse_nonsecure_entry)) s_counter_add(uint32_t step)
{
    calls++;
    uart_puts(cmse_nonsecure_caller() ? "secure: counter += " : "secure: (secure caller) counter += ");
    uart_putdec((int32_t)step);
    uart_puts("\n");
    counter += step;
    return counter;
}

/* Reads len bytes of the caller's buffer only if every byte is non-secure
 * memory the non-secure world may read; otherwise answers -1. */
int32_t __attribute__((cmse_nonsecure_entry)) s_checksum(const uint8_t *buf, uint32_t len)
{
    calls++;
    if (len == 0 || len > 256u)
        return -1;
    const uint8_t *p = cmse_check_address_range((void *)buf, len, CMSE_NONSECURE | CMSE_MPU_READ);
    if (p == 0)
        return -1;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (sum << 3 | sum >> 29) ^ p[i];
    return (int32_t)(sum & 0x7FFFFFFFu);
}

int main(void)
{
    uart_puts("secure: services sample\n");
    tz_setup();
    int32_t status = tz_boot_ns();
    uart_puts("secure: non-secure main returned ");
    uart_putdec(status);
    uart_puts(", counter = ");
    uart_putdec((int32_t)counter);
    uart_puts(", service calls = ");
    uart_putdec((int32_t)calls);
    uart_puts("\n");
    return status;
}
