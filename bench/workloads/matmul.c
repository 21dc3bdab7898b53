/* matmul bench: 24x24 int32 matrix product (MUL/MLA, strided loads), result
 * fed back into the input so every round depends on the previous one. */
#include "bench.h"

#define M 24
static int32_t a[M][M], b[M][M], c[M][M];

int main(void)
{
    uint32_t seed = 7u;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            seed = seed * 1664525u + 1013904223u;
            a[i][j] = (int32_t)(seed >> 24) - 128;
            seed = seed * 1664525u + 1013904223u;
            b[i][j] = (int32_t)(seed >> 24) - 128;
        }
    uint32_t sum = 0;
    for (uint32_t it = 0; it < ITERATIONS; it++) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) {
                int32_t s = 0;
                for (int k = 0; k < M; k++)
                    s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        for (int i = 0; i < M; i++) {
            a[i][it % M] = (c[i][(i + it) % M] >> 7) & 0xFF;
            sum = sum * 31u + (uint32_t)c[i][i];
        }
    }
    bench_report("matmul", sum);
    return 0;
}
