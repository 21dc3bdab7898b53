/* fp bench: single-precision VFP work — a Mandelbrot escape-time grid and a
 * few Newton square-root steps, with the hardware VSQRT/VDIV in the mix. */
#include <math.h>
#include "bench.h"

static uint32_t mandel(int w, int h, int max_iter, float shift)
{
    uint32_t total = 0;
    for (int py = 0; py < h; py++)
        for (int px = 0; px < w; px++) {
            float cr = -2.0f + shift + 2.6f * (float)px / (float)w;
            float ci = -1.2f + 2.4f * (float)py / (float)h;
            float zr = 0.0f, zi = 0.0f;
            int n = 0;
            while (n < max_iter && zr * zr + zi * zi <= 4.0f) {
                float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                n++;
            }
            total += (uint32_t)n;
        }
    return total;
}

static float newton(float x)
{
    float g = x * 0.5f + 0.5f;
    for (int i = 0; i < 6; i++)
        g = 0.5f * (g + x / g);
    return g - sqrtf(x);
}

int main(void)
{
    uint32_t sum = 0;
    float err = 0.0f;
    for (uint32_t it = 0; it < ITERATIONS; it++) {
        sum = sum * 17u + mandel(24, 16, 48, (float)(it & 7u) * 0.01f);
        err += newton((float)(it % 1000u) + 1.5f);
    }
    union { float f; uint32_t u; } bits = { err };
    bench_report("fp", sum ^ bits.u);
    return 0;
}
