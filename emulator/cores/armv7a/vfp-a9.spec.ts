// The VFP/NEON unit inside a real CortexA9: enabling it through CPACR and FPEXC, A32 and T32
// code assembled by arm-none-eabi-as, and the Undefined trap while it is still disabled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleA9, makeCore, runToSelfLoop } from './test-kit';
import { installSimd } from './vfp-a9';

const ENABLE = `
  mrc p15, 0, r0, c1, c0, 2
  orr r0, r0, #0x00f00000
  mcr p15, 0, r0, c1, c0, 2
  isb
  mov r0, #0x40000000
  vmsr fpexc, r0
`;

test('A32 VFP double arithmetic and a VLDM/VSTM round trip on the core', () => {
  const code = assembleA9(`.fpu neon
${ENABLE}
  adr r1, data
  vldmia r1, {d0-d1}
  vadd.f64 d2, d0, d1
  vmul.f64 d3, d2, d1
  vsqrt.f64 d4, d3
  vcvt.s32.f64 s10, d4
  vmov r2, s10
  vcmp.f64 d0, d1
  vmrs APSR_nzcv, fpscr
  movlt r3, #1
  movge r3, #2
  mov r4, #0x1000
  vstmia r4!, {d2-d4}
1: b 1b
data: .double 1.5, 2.25
`);
  const { cpu, bus } = makeCore(code);
  const regs = installSimd(cpu);
  runToSelfLoop(cpu);
  assert.equal(regs.f64[2], 3.75);
  assert.equal(regs.f64[3], 3.75 * 2.25);
  assert.equal(regs.f64[4], Math.sqrt(3.75 * 2.25));
  assert.equal(cpu.r[2], Math.trunc(Math.sqrt(3.75 * 2.25)));
  assert.equal(cpu.r[3], 1, '1.5 < 2.25 sets N for LT');
  assert.equal(cpu.r[4], 0x1000 + 24);
  const f = new Float64Array(new Uint8Array([...Array(8).keys()].map((k) => bus.read8(0x1000 + k, 0))).buffer);
  assert.equal(f[0], 3.75);
});

test('T32 VFP code runs, and a VFP instruction with FPEXC.EN = 0 takes Undefined', () => {
  const code = assembleA9(`.fpu neon
${ENABLE}
  adr r0, thumb_code + 1
  bx r0
.thumb
.thumb_func
thumb_code:
  vmov.f32 s0, #0.5
  vmov.f32 s1, #3.0
  vdiv.f32 s2, s1, s0
  vmov r5, s2
  movs r0, #0
  vmsr fpexc, r0
  vadd.f32 s3, s0, s0
1: b 1b
`);
  const { cpu } = makeCore(code);
  installSimd(cpu);
  for (let i = 0; i < 40 && cpu.mode !== 0x1b; i++) cpu.run(1);
  assert.equal(cpu.r[5] >>> 0, 0x40c00000, '3.0 / 0.5 = 6.0');
  assert.equal(cpu.mode, 0x1b, 'Undefined mode after VADD with the FPU disabled');
  assert.equal(cpu.pc >>> 0, 4, 'undefined vector');
});

test('without CPACR access a VFP instruction is Undefined even with FPEXC.EN set', () => {
  const code = assembleA9(`.fpu neon
  mov r0, #0x40000000
  vmsr fpexc, r0
1: b 1b
`);
  const { cpu } = makeCore(code);
  installSimd(cpu);
  cpu.run(2);
  assert.equal(cpu.mode, 0x1b);
});

test('a core reset disables the FPU again and clears the extension registers', () => {
  const code = assembleA9(`.fpu neon
${ENABLE}
  vmov.f64 d5, #2.0
1: b 1b
`);
  const { cpu } = makeCore(code);
  const regs = installSimd(cpu);
  runToSelfLoop(cpu);
  assert.equal(regs.f64[5], 2);
  assert.equal(regs.fpexc, 0x40000000);
  cpu.reset();
  assert.equal(regs.fpexc, 0);
  assert.equal(regs.f64[5], 0);
});

test('an UNDEFINED VFP encoding is reported once, naming it; a disabled-FPU trap is not reported', () => {
  const code = assembleA9(`.fpu neon
  .word 0xeea00a00  @ VFMA.F32 s0, s0, s0 (VFPv4): UNDEFINED on Cortex-A9
1: b 1b
`);
  const { cpu } = makeCore(code);
  const regs = installSimd(cpu);
  const seen: string[] = [];
  cpu.onUnknownEncoding = (m) => seen.push(m);
  cpu.cp15.cpacr = 0x00f00000;
  regs.fpexc = 0x40000000;
  cpu.run(1);
  assert.equal(cpu.mode, 0x1b);
  assert.equal(seen.length, 1);
  assert.match(seen[0], /VFMA.*0xeea00a00.*UNDEFINED/);
  cpu.reset();
  cpu.cp15.cpacr = 0x00f00000; // FPEXC.EN is 0 after reset
  cpu.run(1);
  assert.equal(cpu.mode, 0x1b);
  assert.equal(seen.length, 1, 'the FPEXC.EN trap is not a diagnostic');
});
