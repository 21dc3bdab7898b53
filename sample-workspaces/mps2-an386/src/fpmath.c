/* fpmath: single-precision VFPv4 arithmetic (sqrt, fused multiply-add,
 * division, int/float/half conversions), printed both with printf %f and as
 * raw IEEE bits, plus the FPSCR cumulative exception flags each step raises. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static uint32_t fpscr_read(void)
{
    uint32_t v;
    /* The memory clobber orders this after the stores of earlier results. */
    __asm volatile("vmrs %0, fpscr" : "=r"(v) :: "memory");
    return v;
}

static void fpscr_write(uint32_t v)
{
    __asm volatile("vmsr fpscr, %0" :: "r"(v) : "memory");
}

/* IOC, DZC, OFC, UFC, IXC, IDC: FPSCR bits 0-4 and 7 (ARMv7-M ARM A2.5.3). */
#define FPSCR_FLAGS 0x9Fu

/* volatile operands keep GCC from folding the arithmetic at compile time,
 * so the FPU really executes each instruction. */
static volatile float va = 2.0f, vb = 3.0f, vc = 0.1f, vzero = 0.0f, vneg = -1.5f;
static volatile float vbig = 3.0e38f, vtiny = 1.0e-38f;
static volatile int32_t vint = -123456789;

static volatile float result;

static void show(const char *label, float value)
{
    result = value;
    float f = result;
    uint32_t flags = fpscr_read() & FPSCR_FLAGS;
    printf("%-16s %14.6f  bits=0x%08lx  fpscr=0x%02lx\n", label, (double)f,
           (unsigned long)bits(f), (unsigned long)flags);
    fpscr_write(fpscr_read() & ~FPSCR_FLAGS);
}

static float sqrt_insn(float x)
{
    float r;
    __asm volatile("vsqrt.f32 %0, %1" : "=t"(r) : "t"(x));
    return r;
}

static float fma_insn(float acc, float x, float y)
{
    __asm volatile("vfma.f32 %0, %1, %2" : "+t"(acc) : "t"(x), "t"(y));
    return acc;
}

int main(void)
{
    fpscr_write(fpscr_read() & ~FPSCR_FLAGS);

    show("sqrtf(2)", sqrtf(va));
    show("vsqrt(-1.5)", sqrt_insn(vneg));
    show("fmaf(.1,3,2)", fmaf(vc, vb, va));
    show("vfma(2,.1,3)", fma_insn(va, vc, vb));
    show("mul+add", vc * vb + va);
    show("2/3", va / vb);
    show("1/0", 1.0f / vzero);
    show("0/0", vzero / vzero);
    show("big*big", vbig * vbig);
    show("tiny*tiny", vtiny * vtiny);
    show("(float)int", (float)vint);
    show("1/3 exact?", 1.0f / vb);

    static volatile int32_t trunc, sat;
    static volatile uint32_t usat;
    trunc = (int32_t)(vb / va * 100.5f);
    sat = (int32_t)vbig;
    usat = (uint32_t)vneg;
    printf("(int)(3/2*100.5) = %ld, (int)3e38 = %ld, (unsigned)-1.5 = %lu, fpscr=0x%02lx\n",
           (long)trunc, (long)sat, (unsigned long)usat,
           (unsigned long)(fpscr_read() & FPSCR_FLAGS));
    fpscr_write(fpscr_read() & ~FPSCR_FLAGS);

    /* VCVTB.F16.F32 and back: 0.1 is not representable in half precision. */
    __fp16 h = (__fp16)vc;
    uint16_t hb;
    memcpy(&hb, &h, sizeof hb);
    show("half(0.1)", (float)h);
    printf("half bits = 0x%04x\n", hb);

    /* A short series whose every step rounds: the sum pins down rounding. */
    float acc = 0.0f;
    for (int i = 1; i <= 1000; i++)
        acc = fmaf(1.0f / (float)i, vc, acc);
    show("sum .1/i", acc);

    double d = (double)va / (double)vb;
    printf("double 2/3 = %.15f\n", d);
    return 0;
}
