/* trustzone-m-hello, non-secure image: the app. It calls two secure services
 * and hands the secure world a callback, then runs the demo that
 * demo_choice selects; set it in the debugger to reach a SecureFault. */
#include <stdint.h>
#include "secure-api.h"
#include "uart.h"

/* 0: a normal run that exits 0.
 * 1: read secure RAM (SecureFault, SFSR.AUVIOL; the run ends with 71).
 * 2: branch into secure code past an SG (SecureFault, SFSR.INVEP; 72).
 * It sits in .data rather than .bss so that its initial value is a word of
 * the image, which test/qemu-compare-trustzone.spec.ts patches. */
__attribute__((section(".data.demo_choice")))
volatile int demo_choice = 0;

static uint8_t message[] = "hello from the non-secure world";

static int32_t ns_square(int32_t v)
{
    int32_t square = v * v;
    uart_puts("ns: ns_square(");
    uart_putdec(v);
    uart_puts(") runs in the non-secure world\n");
    return square;
}

static void demo_read_secure_ram(void)
{
    const volatile uint32_t *secure_ram = (const volatile uint32_t *)0x38000000u;
    uart_puts("ns: reading secure RAM at 0x38000000\n");
    uint32_t stolen = *secure_ram;
    uart_puts("ns: read ");
    uart_puthex(stolen);
    uart_puts(", which must never happen\n");
}

/* secure_add's address is its veneer, SG then B.W: 4 bytes on is the B.W,
 * an NSC address that holds no SG, so the branch itself faults. */
static void demo_skip_sg(void)
{
    int32_t (*past_sg)(int32_t, int32_t) =
        (int32_t (*)(int32_t, int32_t))((uintptr_t)secure_add + 4u);
    uart_puts("ns: calling secure_add's veneer past its SG\n");
    int32_t r = past_sg(1, 2);
    uart_puts("ns: it returned ");
    uart_putdec(r);
    uart_puts(", which must never happen\n");
}

int main(void)
{
    int failures = 0;
    uart_puts("ns: hello from the non-secure world\n");

    int32_t sum = secure_add(3, 4);
    uart_puts("ns: secure_add(3, 4) = ");
    uart_putdec(sum);
    uart_puts("\n");
    failures += sum != 7;

    int32_t check = secure_checksum(message, sizeof message - 1);
    uart_puts("ns: secure_checksum(message) = ");
    uart_puthex((uint32_t)check);
    uart_puts("\n");
    failures += check < 0;

    int32_t refused = secure_checksum((const uint8_t *)0x38000000u, 16);
    uart_puts("ns: secure_checksum(secure RAM) = ");
    uart_putdec(refused);
    uart_puts("\n");
    failures += refused != -1;

    int32_t applied = secure_apply(ns_square, 5);
    uart_puts("ns: secure_apply(ns_square, 5) = ");
    uart_putdec(applied);
    uart_puts("\n");
    failures += applied != 101;

    switch (demo_choice) {
    case 1:
        demo_read_secure_ram();
        break;
    case 2:
        demo_skip_sg();
        break;
    default:
        uart_puts("ns: demo_choice is 0, no fault this time\n");
        break;
    }
    uart_puts("ns: main returns ");
    uart_putdec(failures);
    uart_puts("\n");
    return failures;
}
