/* Test corpus: structs, unions, bitfields, enums, arrays, typedefs and
 * globals/statics, so the line, info and type readers see every shape. */
#include <stdint.h>

typedef enum { COLOR_RED = 1, COLOR_GREEN = 2, COLOR_BLUE = 4 } color_t;

struct flags {
  unsigned ready : 1;
  unsigned mode : 3;
  signed level : 5;
  uint8_t raw;
};

union word {
  uint32_t u;
  int16_t half[2];
  uint8_t bytes[4];
  float f;
};

typedef struct point {
  int x, y;
} point_t;

struct shape {
  const char *name;
  color_t color;
  point_t corners[4];
  struct flags fl;
  union word tag;
  int matrix[2][3];
  volatile uint32_t *reg;
};

struct shape g_shape = {
  .name = "square",
  .color = COLOR_GREEN,
  .corners = { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } },
};
static int s_counter;
const char g_greeting[] = "hello";
double g_scale = 1.5;

int shape_area(const struct shape *s)
{
  int w = s->corners[1].x - s->corners[0].x;
  int h = s->corners[2].y - s->corners[1].y;
  return w * h;
}

uint32_t word_mix(union word w, struct flags f)
{
  uint32_t r = w.u ^ (uint32_t)f.mode;
  if (f.ready)
    r += (uint32_t)f.level;
  s_counter++;
  return r + f.raw;
}

int matrix_sum(int m[2][3])
{
  int sum = 0;
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++)
      sum += m[i][j];
  return sum;
}

int types_main(void)
{
  union word w = { .u = 0x12345678u };
  struct flags f = { 1, 5, -3, 7 };
  g_shape.matrix[1][2] = 9;
  return shape_area(&g_shape) + (int)word_mix(w, f) + matrix_sum(g_shape.matrix) + s_counter;
}
