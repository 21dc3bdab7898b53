/* callback (non-secure image): hands a callback to the secure world, which
 * calls back into non-secure code; the callback asks the secure world for
 * its nesting depth on the way. A secure "callback" address is refused. */
#include <stdint.h>
#include "board.h"
#include "uart.h"

int32_t s_apply_twice(int32_t (*cb)(int32_t), int32_t x);
uint32_t s_depth(void);

static uint32_t callback_runs;

static int32_t square_plus_one(int32_t v)
{
    callback_runs++;
    uart_puts("ns: callback(");
    uart_putdec(v);
    uart_puts(") in the non-secure world, secure depth ");
    uart_putdec((int32_t)s_depth());
    uart_puts("\n");
    return v * v + 1;
}

int main(void)
{
    int failures = 0;
    int32_t r = s_apply_twice(square_plus_one, 3);
    uart_puts("ns: s_apply_twice(square_plus_one, 3) = ");
    uart_putdec(r);
    uart_puts("\n");
    failures += r != 101;
    failures += callback_runs != 2;

    /* Points into the secure image's code (bit 0 set as for any Thumb pointer). */
    r = s_apply_twice((int32_t (*)(int32_t))0x10000201u, 3);
    uart_puts("ns: with a secure address it answers ");
    uart_putdec(r);
    uart_puts("\n");
    failures += r != -1;
    failures += callback_runs != 2;
    return failures;
}
