/* vfp: VFPv3-D32 and NEON on the Cortex-A9. Opens CP10/CP11 in CPACR and sets FPEXC.EN,
 * prints the FP ID registers, then double and single precision arithmetic (square roots,
 * a harmonic sum, conversions), the cumulative FPSCR exception flags, and NEON integer and
 * byte kernels through intrinsics and a loop GCC vectorises (-O3). Results are printed as
 * bit patterns, so no floating-point formatting is involved. */
#include <arm_neon.h>
#include "board.h"
#include "lib.h"

static uint32_t lo(double d) { union { double d; uint64_t u; } x = { d }; return (uint32_t)x.u; }
static uint32_t hi(double d) { union { double d; uint64_t u; } x = { d }; return (uint32_t)(x.u >> 32); }
static uint32_t bits(float f) { union { float f; uint32_t u; } x = { f }; return x.u; }

/* FPSCR after `x` has been computed: the operand keeps the compiler from reading it earlier. */
#define FPSCR_AFTER(x) ({ uint32_t v_; __asm__ volatile("vmrs %0, fpscr" : "=r"(v_) : "w"(x)); v_; })
static void write_fpscr(uint32_t v) { __asm__ volatile("vmsr fpscr, %0" : : "r"(v)); }

static int32_t a[256], b[256], c[256];
static uint8_t bytes_src[512], bytes_dst[512];

/* A plain loop for the vectoriser: a[i] = b[i] * 3 + c[i]. */
static void __attribute__((noinline)) saxpy_int(int32_t *restrict out, const int32_t *restrict x, const int32_t *restrict y, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = x[i] * 3 + y[i];
}

static double __attribute__((noinline)) harmonic(int n)
{
	double s = 0.0;
	for (int i = 1; i <= n; i++)
		s += 1.0 / i;
	return s;
}

int main(void)
{
	uint32_t cpacr, fpsid, mvfr0, mvfr1, fpexc;
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(cpacr));
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb" : : "r"(cpacr | (0xfu << 20)));
	__asm__ volatile("vmsr fpexc, %0" : : "r"(1u << 30));
	__asm__ volatile("vmrs %0, fpsid" : "=r"(fpsid));
	__asm__ volatile("vmrs %0, mvfr0" : "=r"(mvfr0));
	__asm__ volatile("vmrs %0, mvfr1" : "=r"(mvfr1));
	__asm__ volatile("vmrs %0, fpexc" : "=r"(fpexc));
	kprintf("vfp: FPSID %08x MVFR0 %08x MVFR1 %08x FPEXC %08x\n", fpsid, mvfr0, mvfr1, fpexc);

	volatile double two = 2.0, three = 3.0, big = 1e300;
	double r2 = __builtin_sqrt(two);
	kprintf("sqrt(2) = %08x%08x, 1/3 = %08x%08x\n", hi(r2), lo(r2), hi(1.0 / three), lo(1.0 / three));
	double h = harmonic(1000);
	kprintf("H(1000) = %08x%08x, as int %d, times 1e6 as int %d\n", hi(h), lo(h), (int)h, (int)(h * 1e6));
	volatile float fx = 1.5f, fy = -2.25f;
	float f = fx * fy + 0.1f;
	kprintf("float 1.5 * -2.25 + 0.1 = %08x, sqrtf(2) = %08x, (int)-3.7f = %d, (unsigned)3.7f = %u\n",
		bits(f), bits(__builtin_sqrtf((float)two)), (int)(fy - 1.45f), (unsigned)(fx + 2.2f));

	write_fpscr(0);
	volatile double zero = 0.0, neg = -1.0;
	double inf = two / zero;
	uint32_t dz = FPSCR_AFTER(inf) & 0x9f;
	double nan = __builtin_sqrt(neg);
	uint32_t inv = FPSCR_AFTER(nan) & 0x9f;
	double ovf = big * big;
	uint32_t of = FPSCR_AFTER(ovf) & 0x9f;
	kprintf("2/0 = %08x%08x (FPSCR flags %02x), sqrt(-1) = %08x%08x (%02x), 1e300^2 = %08x%08x (%02x)\n",
		hi(inf), lo(inf), dz, hi(nan), lo(nan), inv, hi(ovf), lo(ovf), of);

	for (int i = 0; i < 256; i++) {
		b[i] = i * 7 - 300;
		c[i] = (i ^ 0x55) << 3;
	}
	saxpy_int(a, b, c, 256);
	uint32_t sum = 0;
	for (int i = 0; i < 256; i++)
		sum = sum * 31 + (uint32_t)a[i];
	kprintf("int kernel checksum %08x, a[0] %d a[255] %d\n", sum, a[0], a[255]);

	/* Intrinsics: saturating byte add, widening multiply-accumulate, pairwise add. */
	for (int i = 0; i < 512; i++)
		bytes_src[i] = (uint8_t)(i * 37 + 11);
	uint8x16_t k = vdupq_n_u8(200);
	uint32x4_t acc = vdupq_n_u32(0);
	for (int i = 0; i < 512; i += 16) {
		uint8x16_t v = vld1q_u8(&bytes_src[i]);
		uint8x16_t s = vqaddq_u8(v, k);
		vst1q_u8(&bytes_dst[i], s);
		uint16x8_t w = vmull_u8(vget_low_u8(v), vget_high_u8(v));
		acc = vpadalq_u16(acc, w);
	}
	uint32x2_t p = vpadd_u32(vget_low_u32(acc), vget_high_u32(acc));
	uint32_t total = vget_lane_u32(vpadd_u32(p, p), 0);
	uint32_t saturated = 0;
	for (int i = 0; i < 512; i++)
		saturated += bytes_dst[i] == 255;
	kprintf("neon: vqadd.u8 saturated %u of 512 bytes, vmull/vpadal total %u\n", saturated, total);

	float32x4_t fv = { 1.0f, 2.0f, 3.0f, 4.0f };
	float32x4_t fw = vmlaq_n_f32(vdupq_n_f32(0.5f), fv, 2.0f);
	float32x4_t est = vrecpeq_f32(fw);
	kprintf("neon float: %08x %08x %08x %08x, vrecpe(2.5) %08x\n", bits(vgetq_lane_f32(fw, 0)), bits(vgetq_lane_f32(fw, 1)),
		bits(vgetq_lane_f32(fw, 2)), bits(vgetq_lane_f32(fw, 3)), bits(vgetq_lane_f32(est, 0)));

	int ok = a[0] == -300 * 1 * 3 + ((0 ^ 0x55) << 3) && saturated > 0;
	sh_write0(ok ? "vfp: ok\n" : "vfp: FAILED\n");
	return ok ? 0 : 1;
}
