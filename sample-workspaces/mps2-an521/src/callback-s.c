/* callback (secure image): a secure service that takes a function pointer
 * from the non-secure world, checks with TT that it points at non-secure
 * code, and calls it twice through BLXNS; the callback itself re-enters the
 * secure world, so FNC_RETURN frames nest on the secure stack. */
#include <arm_cmse.h>
#include "board.h"
#include "tz.h"
#include "uart.h"

typedef int32_t ns_callback_fn(int32_t);
typedef int32_t __attribute__((cmse_nonsecure_call)) ns_callback_call(int32_t);

static uint32_t depth;

int32_t __attribute__((cmse_nonsecure_entry)) s_apply_twice(ns_callback_fn *cb, int32_t x)
{
    /* A pointer into secure memory would let NS code make the secure world
     * jump anywhere in it; TT tells where the target really lives. */
    cmse_address_info_t where = cmse_TTA_fptr(cb);
    if (where.flags.secure) {
        uart_puts("secure: refusing a callback at secure address ");
        uart_puthex((uint32_t)cb);
        uart_puts("\n");
        return -1;
    }
    ns_callback_call *fn = (ns_callback_call *)cmse_nsfptr_create(cb);
    depth++;
    uart_puts("secure: calling the non-secure callback with ");
    uart_putdec(x);
    uart_puts("\n");
    int32_t once = fn(x);
    uart_puts("secure: callback returned ");
    uart_putdec(once);
    uart_puts(", calling it again\n");
    int32_t twice = fn(once);
    uart_puts("secure: callback returned ");
    uart_putdec(twice);
    uart_puts("\n");
    depth--;
    return twice;
}

uint32_t __attribute__((cmse_nonsecure_entry)) s_depth(void)
{
    return depth;
}

int main(void)
{
    uart_puts("secure: callback sample\n");
    tz_setup();
    int32_t status = tz_boot_ns();
    uart_puts("secure: non-secure main returned ");
    uart_putdec(status);
    uart_puts(", depth now ");
    uart_putdec((int32_t)depth);
    uart_puts("\n");
    return status;
}
