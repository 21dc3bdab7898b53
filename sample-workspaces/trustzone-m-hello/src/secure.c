/* trustzone-m-hello, secure image: secure boot (hands the board to the
 * non-secure image and sets up its banked stack registers and vector
 * table), three services the NS app calls through SG veneers, a call back
 * into NS code through BLXNS, and the SecureFault handler that ends the run. */
#include <arm_cmse.h>
#include "board.h"
#include "secure-api.h"
#include "semihost.h"
#include "tz.h"
#include "uart.h"

#define SFSR_INVEP     (1u << 0)
#define SFSR_AUVIOL    (1u << 3)

/* Exit statuses of a run that a SecureFault ends (0 is a clean run). */
#define STATUS_AUVIOL  71
#define STATUS_INVEP   72
#define STATUS_OTHER   79

/* The NS world's stacks at the top of its RAM: 32 KB for MSP_NS (from the
 * NS vector table), and below it 32 KB for a process stack that ns.c never
 * switches to; PSP_NS is set so the debugger has a known value to show. */
#define NS_MSP_LIMIT   0x283F8000u
#define NS_PSP_TOP     0x283F8000u
#define NS_PSP_LIMIT   0x283F0000u

extern uint32_t __stack_limit[];

typedef int32_t __attribute__((cmse_nonsecure_call)) ns_entry_t(void);
typedef int32_t __attribute__((cmse_nonsecure_call)) ns_callback_call(int32_t);

static uint32_t service_calls;

static void print_reg(const char *name, uint32_t value)
{
    uart_puts("secure: ");
    uart_puts(name);
    uart_puts(" = ");
    uart_puthex(value);
    uart_puts("\n");
}

int32_t __attribute__((cmse_nonsecure_entry)) secure_add(int32_t a, int32_t b)
{
    int32_t sum = a + b;
    service_calls++;
    uart_puts("secure: secure_add computes ");
    uart_putdec(sum);
    uart_puts("\n");
    return sum;
}

/* Reads the caller's buffer only if all of it is memory the non-secure
 * world may read itself (TT via cmse_check_address_range), else -1. */
int32_t __attribute__((cmse_nonsecure_entry)) secure_checksum(const uint8_t *buf, uint32_t len)
{
    uint32_t sum = 0;
    service_calls++;
    const uint8_t *checked = cmse_check_address_range((void *)buf, len, CMSE_NONSECURE | CMSE_MPU_READ);
    if (checked == 0 || len == 0 || len > 256u)
        return -1;
    for (uint32_t i = 0; i < len; i++)
        sum = (sum << 5 | sum >> 27) ^ checked[i];
    return (int32_t)(sum & 0x7FFFFFFFu);
}

/* Calls the NS callback once, through BLXNS: the return address goes on the
 * secure stack and LR gets FNC_RETURN. A callback pointer that TT says is
 * secure is refused, or NS code could make us jump anywhere in our image. */
int32_t __attribute__((cmse_nonsecure_entry)) secure_apply(ns_callback_fn *callback, int32_t value)
{
    int32_t doubled = value * 2;
    service_calls++;
    if (cmse_TTA_fptr(callback).flags.secure)
        return -1;
    ns_callback_call *call = (ns_callback_call *)cmse_nsfptr_create(callback);
    int32_t answer = call(doubled);
    uart_puts("secure: the non-secure callback answered ");
    uart_putdec(answer);
    uart_puts("\n");
    return answer + 1;
}

void securefault_report(uint32_t exc_return, const uint32_t *msp_ns);

/* The handler needs EXC_RETURN as it arrived in LR, before any prologue. */
__attribute__((naked)) void SecureFault_Handler(void)
{
    __asm volatile("mov r0, lr\n\tmrs r1, msp_ns\n\tb securefault_report");
}

/* Prints what the fault registers say and ends the run: a non-secure app
 * that broke the rules is not resumed. The NS app runs on MSP_NS in
 * Thread mode, so its exception frame is at MSP_NS (stacked PC at +24). */
void __attribute__((noreturn)) securefault_report(uint32_t exc_return, const uint32_t *msp_ns)
{
    uint32_t sfsr = SCB_SFSR;
    uint32_t sfar = SCB_SFAR;
    int status = STATUS_OTHER;
    uart_puts("secure: SecureFault, SFSR = ");
    uart_puthex(sfsr);
    uart_puts(", SFAR = ");
    uart_puthex(sfar);
    uart_puts("\n");
    uart_puts("secure: EXC_RETURN = ");
    uart_puthex(exc_return);
    if ((exc_return & (1u << 6)) == 0) {
        uart_puts(", stacked pc = ");
        uart_puthex(msp_ns[6]);
    }
    uart_puts("\n");
    if (sfsr & SFSR_AUVIOL) {
        uart_puts("secure: AUVIOL: the non-secure world touched secure memory\n");
        status = STATUS_AUVIOL;
    } else if (sfsr & SFSR_INVEP) {
        uart_puts("secure: INVEP: the non-secure world branched into secure code without SG\n");
        status = STATUS_INVEP;
    }
    semihost_call(SYS_WRITE0, "secure: a SecureFault ended the run\n");
    semihost_exit(status);
}

int secure_main(void)
{
    uart_puts("secure: trustzone-m-hello, secure boot\n");
    SCB_SHCSR |= SHCSR_SECUREFAULTENA;
    __asm volatile("msr msplim, %0" : : "r"(__stack_limit));
    tz_setup();

    /* The NS world's own copies of VTOR and the stack registers (banked,
     * reached from here through SCS_NS and MSR *_NS). */
    const uint32_t *ns_vectors = (const uint32_t *)NS_CODE_BASE;
    SCB_NS_VTOR = NS_CODE_BASE;
    __asm volatile("msr msp_ns, %0" : : "r"(ns_vectors[0]));
    __asm volatile("msr psp_ns, %0" : : "r"(NS_PSP_TOP));
    __asm volatile("msr msplim_ns, %0" : : "r"(NS_MSP_LIMIT));
    __asm volatile("msr psplim_ns, %0" : : "r"(NS_PSP_LIMIT));
    dsb_isb();

    uint32_t msp_s, msplim_s, msp_ns, psp_ns, msplim_ns, psplim_ns;
    __asm volatile("mrs %0, msp" : "=r"(msp_s));
    __asm volatile("mrs %0, msplim" : "=r"(msplim_s));
    __asm volatile("mrs %0, msp_ns" : "=r"(msp_ns));
    __asm volatile("mrs %0, psp_ns" : "=r"(psp_ns));
    __asm volatile("mrs %0, msplim_ns" : "=r"(msplim_ns));
    __asm volatile("mrs %0, psplim_ns" : "=r"(psplim_ns));
    print_reg("MSP_S", msp_s);
    print_reg("MSPLIM_S", msplim_s);
    print_reg("MSP_NS", msp_ns);
    print_reg("PSP_NS", psp_ns);
    print_reg("MSPLIM_NS", msplim_ns);
    print_reg("PSPLIM_NS", psplim_ns);
    print_reg("VTOR_NS", SCB_NS_VTOR);

    uart_puts("secure: entering the non-secure world\n");
    ns_entry_t *ns_reset = (ns_entry_t *)cmse_nsfptr_create(ns_vectors[1]);
    int32_t status = ns_reset();
    uart_puts("secure: non-secure main returned ");
    uart_putdec(status);
    uart_puts(" after ");
    uart_putdec((int32_t)service_calls);
    uart_puts(" service calls\n");
    semihost_call(SYS_WRITE0, "secure: done\n");
    return status;
}
