// Unit tests of the Cortex-A9 VFPv3-D32 unit through a test host: encodings assembled by hand
// from the ARM ARM, with results worked out from IEEE 754 (the random differential test against
// Unicorn is test/difftest-a9-simd).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimdTestHost } from './vfp-test-host';
import { decodeSimdA32, decodeSimdT32 } from './vfp-decode';
import { FPEXC_EN } from './vfp-regs';

function host(): SimdTestHost {
  const h = new SimdTestHost();
  h.simd.fpexc = FPEXC_EN;
  h.map(0x20000, new Uint8Array(4096));
  return h;
}
function run(h: SimdTestHost, insn: number): string {
  const x = decodeSimdA32(insn >>> 0);
  assert.ok(x, `0x${insn.toString(16)} decodes`);
  return h.run(x, insn >>> 0);
}
const f64 = (h: SimdTestHost, d: number) => h.simd.f64[d];

test('VADD.F64 / VDIV.F32 give IEEE results and flags', () => {
  const h = host();
  h.simd.f64[1] = 0.1; h.simd.f64[2] = 0.2;
  assert.equal(run(h, 0xee310b02), 'ok'); // vadd.f64 d0, d1, d2
  assert.equal(f64(h, 0), 0.1 + 0.2);
  assert.equal(h.simd.fpscr & 0x10, 0x10, 'IXC: 0.1 + 0.2 is inexact');
  h.simd.fpscr = 0;
  h.simd.f32[2] = 1; h.simd.f32[3] = 0;
  assert.equal(run(h, 0xee810a21), 'ok'); // vdiv.f32 s0, s2, s3
  assert.equal(h.simd.u32[0], 0x7f800000);
  assert.equal(h.simd.fpscr & 0x2, 0x2, 'DZC');
});

test('directed rounding: VADD.F32 1 + 2^-30 rounds up only toward +inf', () => {
  const h = host();
  h.simd.f32[2] = 1; h.simd.f32[3] = Math.pow(2, -30);
  h.simd.fpscr = 1 << 22; // RP
  run(h, 0xee310a21); // vadd.f32 s0, s2, s3
  assert.equal(h.simd.u32[0], 0x3f800001);
  h.simd.fpscr = 3 << 22; // RZ
  run(h, 0xee310a21);
  assert.equal(h.simd.u32[0], 0x3f800000);
});

test('VSQRT.F64 of a denormal is inexact and normal (the float64 error term would underflow)', () => {
  const h = host();
  h.simd.setD(12, 0x80000080, 0x00020000);
  run(h, 0xeeb12bcc); // vsqrt.f64 d2, d12
  assert.equal(h.simd.fpscr & 0x10, 0x10);
  assert.ok(f64(h, 2) > 0 && Math.abs(f64(h, 2) * f64(h, 2) / f64(h, 12) - 1) < 1e-15);
});

test('default NaN and flush-to-zero follow FPSCR.DN / FPSCR.FZ', () => {
  const h = host();
  h.simd.u32[2] = 0x7f800001; h.simd.u32[3] = 0x3f800000; // sNaN, 1.0
  run(h, 0xee310a21);
  assert.equal(h.simd.u32[0], 0x7fc00001, 'quietened operand NaN');
  assert.equal(h.simd.fpscr & 1, 1, 'IOC');
  h.simd.fpscr = 1 << 25;
  run(h, 0xee310a21);
  assert.equal(h.simd.u32[0], 0x7fc00000, 'default NaN');
  h.simd.fpscr = 1 << 24;
  h.simd.u32[2] = 0x00000001; h.simd.u32[3] = 0;
  run(h, 0xee310a21);
  assert.equal(h.simd.u32[0], 0, 'denormal input flushed');
  assert.equal(h.simd.fpscr & 0x80, 0x80, 'IDC');
});

test('VCVT.S32.F64 saturates with IOC; VCVTR uses FPSCR rounding', () => {
  const h = host();
  h.simd.f64[1] = 3e10;
  run(h, 0xeebd0bc1); // vcvt.s32.f64 s0, d1
  assert.equal(h.simd.u32[0], 0x7fffffff);
  assert.equal(h.simd.fpscr & 1, 1);
  h.simd.fpscr = 0;
  h.simd.f64[1] = -2.5;
  run(h, 0xeebd0b41); // vcvtr.s32.f64 s0, d1 (round to nearest even)
  assert.equal(h.simd.i32[0], -2);
  assert.equal(h.simd.fpscr & 0x10, 0x10);
});

test('short vectors: VMOV.F64 d4, d8 with Len=1 writes d4 <- d8 and d5 <- d9 (ARM ARM; QEMU 5.0 and 7.2 write d9 instead)', () => {
  const h = host();
  for (let k = 0; k < 32; k++) h.simd.setD(k, 0x1000 + k, 0);
  h.simd.fpscr = 1 << 16;
  run(h, 0xeeb04b48); // vmov.f64 d4, d8
  assert.equal(h.simd.getDLo(4), 0x1008);
  assert.equal(h.simd.getDLo(5), 0x1009);
  assert.equal(h.simd.getDLo(9), 0x1009);
  // A destination in bank 0 stays scalar.
  run(h, 0xeeb01b48); // vmov.f64 d1, d8
  assert.equal(h.simd.getDLo(2), 0x1002);
});

test('FPEXC.EN = 0 and CPACR denial raise Undefined; VMRS of FPSID still works at PL1', () => {
  const h = host();
  h.simd.fpexc = 0;
  assert.equal(run(h, 0xee310a21), 'undef');
  assert.match(h.undef ?? '', /FPEXC\.EN/);
  assert.equal(run(h, 0xeef01a10), 'ok'); // vmrs r1, fpsid
  assert.equal(h.r[1], 0x41033090);
  h.privileged = false;
  assert.equal(run(h, 0xeef01a10), 'undef');
  h.privileged = true; h.simd.fpexc = FPEXC_EN; h.accessAllowed = false;
  assert.equal(run(h, 0xee310a21), 'undef');
  assert.match(h.undef ?? '', /CPACR/);
});

test('VLDM/VPUSH in T32 move the register list and write back', () => {
  const h = host();
  h.r[13] = 0x20100;
  h.simd.setD(8, 0x11111111, 0x22222222); h.simd.setD(9, 0x33333333, 0x44444444);
  // vpush {d8-d9}: T32 ed2d 8b04
  const x = decodeSimdT32(0xed2d8b04);
  assert.ok(x);
  assert.equal(h.run(x, 0xed2d8b04), 'ok');
  assert.equal(h.r[13], 0x200f0);
  assert.equal(h.read32(0x200f0, 4), 0x11111111);
  assert.equal(h.read32(0x200fc, 4), 0x44444444);
  // vldr d0, [r13, #8] (A32 ed9d0b02)
  run(h, 0xed9d0b02);
  assert.equal(h.simd.getDHi(0), 0x44444444);
});
