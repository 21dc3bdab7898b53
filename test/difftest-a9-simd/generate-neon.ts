// Advanced SIMD templates for the Cortex-A9 differential tests: one per ARM ARM A7.4/A7.7
// encoding class, with every field random (UNDEFINED combinations included, so the decoder's
// UNDEF decisions are compared too) and load/store bases pointed into the data page.
import type { Template } from './generate';
import type { SimdCase } from './wire';
import { DATA_BASE } from './wire';
import type { Prng } from '../difftest/prng';

const noSize3 = (i: number) => (((i >>> 20) & 3) === 3 ? false : i);

/**
 * Most random words with Q=1 name an odd register and are UNDEFINED; make the Vd/Vn/Vm low bits
 * even 70% of the time so that more cases execute.
 */
function mostlyEven(fix?: Template['fix'], regBits = 0x00011001): Template['fix'] {
  return (i, c, p) => {
    const w = p.chance(0.7) ? (i & ~regBits) >>> 0 : i;
    return fix ? fix(w, c, p) : w;
  };
}

function lsFix(i: number, c: SimdCase, p: Prng): number | false {
  const n = (i >>> 16) & 0xf;
  let m = i & 0xf;
  if (n === 15) return false;
  // Register lists past D31 are UNPREDICTABLE (QEMU runs them): keep D16-D31 bases below D24.
  if ((i & 0x400000) !== 0) i = (i & ~0x8000) >>> 0;
  m = p.pick([15, 15, 13, 13, m]);
  if (m === n) return false;
  const w = ((i & ~0xf) | m) >>> 0;
  // Unicorn 2.0.1 (QEMU 5.0) ignores the :64/:128/:256 alignment qualifiers, which fault on
  // hardware and here; with a qualifier the base is kept 32-byte aligned (neon.spec.ts covers the fault).
  const align = (i & 0x30) !== 0 ? 32 : p.pick([1, 2, 4, 8, 16, 32, 32]);
  let a = DATA_BASE + 0x100 + p.below(0xd00);
  a -= a % align;
  c.r[n] = a >>> 0;
  if (m !== 13 && m !== 15) c.r[m] = (p.below(129) - 64) >>> 0;
  return w;
}

export const NEON_TEMPLATES: readonly Template[] = [
  { group: 'neon-3same', match: 0xf2000000, free: 0x017fffff, weight: 8, fix: mostlyEven() },
  { group: 'neon-3same-f32', match: 0xf2000d00, free: 0x0172f0ff, weight: 3, fix: mostlyEven((i, _c, p) => ((i & ~0xf00) | (p.pick([0xd, 0xe, 0xf]) << 8)) >>> 0) },
  // VQDMULL with U=1 is unallocated (ARM ARM A7.4.2) but QEMU 5.0 runs it with an unsigned product.
  { group: 'neon-3diff', match: 0xf2800000, free: 0x017fffaf, weight: 4, fix: mostlyEven((i) => ((i & 0x01000f00) >>> 0 === 0x01000d00 ? false : noSize3(i))) },
  { group: 'neon-scalar', match: 0xf2800040, free: 0x017fffaf, weight: 3, fix: mostlyEven(noSize3) },
  { group: 'neon-shift', match: 0xf2800010, free: 0x017fffef, weight: 5, fix: mostlyEven((i) => ((i & 0x80) === 0 && ((i >>> 16) & 0x3f) < 8 ? false : i), 0x1001) },
  // VSWP/VTRN/VUZP/VZIP with d == m are UNPREDICTABLE.
  { group: 'neon-2misc', match: 0xf3b00000, free: 0x004ff7ef, weight: 6, fix: mostlyEven((i) => {
    const same = ((((i >>> 22) & 1) << 4) | ((i >>> 12) & 0xf)) === ((((i >>> 5) & 1) << 4) | (i & 0xf));
    return same && ((i >>> 16) & 3) === 2 && ((i >>> 7) & 0xf) <= 3 ? false : i;
  }, 0x1001) },
  { group: 'neon-modimm', match: 0xf2800010, free: 0x0147ff6f, weight: 2, fix: mostlyEven(undefined, 0x1000) },
  { group: 'neon-vext', match: 0xf2b00000, free: 0x004fffef, weight: 1, fix: mostlyEven() },
  { group: 'neon-vtbl', match: 0xf3b00800, free: 0x004ff3ef, weight: 1 },
  { group: 'neon-vdup', match: 0xf3b00c00, free: 0x004ff06f, weight: 1, fix: mostlyEven(undefined, 0x1001) },
  { group: 'neon-ldst', match: 0xf4000000, free: 0x00efffff, weight: 8, fix: lsFix },
];
