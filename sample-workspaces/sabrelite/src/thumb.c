/* thumb: the same start-up, but the C code is Thumb-2 (-mthumb), so semihosting goes
 * through SVC 0xAB. Exercises what GCC emits for T32: IT blocks, TBB/TBH switch tables,
 * bitfield and bit-reversal instructions, a table-driven CRC-32, an insertion sort, and
 * 64-bit division through libgcc (the Cortex-A9 has no hardware divider), calling back
 * and forth with the ARM-state start-up code. */
#include "board.h"
#include "lib.h"

static uint32_t crc_table[256];

static uint32_t rbit(uint32_t v)
{
	uint32_t r;
	__asm__("rbit %0, %1" : "=r"(r) : "r"(v));
	return r;
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static const char *__attribute__((noinline)) classify(int v)
{
	switch (v) { /* dense cases: a TBB/TBH table */
	case 0: return "zero";
	case 1: return "one";
	case 2: return "two";
	case 3: return "three";
	case 4: return "four";
	case 5: return "five";
	case 6: return "six";
	case 7: return "seven";
	default: return v < 0 ? "negative" : "many";
	}
}

static int __attribute__((noinline)) clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v; /* IT blocks */
}

static void sort(int32_t *a, int n)
{
	for (int i = 1; i < n; i++) {
		int32_t v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

int main(void)
{
	static uint8_t buf[1024];
	static int32_t vals[32];
	kprintf("thumb: Thumb-2 C code, mode %s\n", mode_name(read_cpsr()));
	crc_init();
	for (int i = 0; i < 1024; i++)
		buf[i] = (uint8_t)(i * 131 + (i >> 3));
	kprintf("crc32 %08x, crc32(\"123456789\") %08x\n", crc32(buf, sizeof buf), crc32((const uint8_t *)"123456789", 9));
	for (int v = -1; v <= 9; v += 2)
		kprintf("%d is %s, clamp(%d*100, -50, 450) = %d\n", v, classify(v), v, clamp(v * 100, -50, 450));
	for (int i = 0; i < 32; i++)
		vals[i] = (int32_t)((uint32_t)(i * 2654435761u) >> 7) - (1 << 23);
	sort(vals, 32);
	kprintf("sorted: first %d, last %d, median %d\n", vals[0], vals[31], vals[16]);
	volatile uint32_t x = 0x12345678;
	kprintf("rbit %08x clz %u rev %08x ubfx %x\n", rbit(x), (unsigned)__builtin_clz(x),
		__builtin_bswap32(x), (x >> 9) & 0x7f);
	volatile uint64_t big = 0x0123456789abcdefull, d = 1000003;
	uint64_t q = big / d, r = big % d;
	volatile int32_t sn = -1234567, sd = 89;
	kprintf("64-bit: %08x%08x / %u = %08x%08x rem %u; %d / %d = %d rem %d\n", (uint32_t)(big >> 32), (uint32_t)big,
		(uint32_t)d, (uint32_t)(q >> 32), (uint32_t)q, (uint32_t)r, sn, sd, sn / sd, sn % sd);
	sh_write0("thumb: ok (semihosting through SVC 0xAB)\n");
	return 0;
}
