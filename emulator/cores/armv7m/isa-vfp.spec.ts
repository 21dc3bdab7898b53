// Tests for the FPv4-SP instruction table: results and FPSCR against Unicorn's Cortex-M4
// (test/fp/vfp-unicorn.json, made by test/fp/unicorn-vfp.py), disassembly against
// arm-none-eabi-objdump output, register moves, loads/stores and the decode-level faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFpCpu, exec32, CODE_ADDR } from './fp-test-cpu';
import { vfpDefs } from './isa-vfp';
import { InsnTable } from './insn';
import { CFSR_NOCP, CFSR_UNDEFINSTR, CFSR_UNALIGNED } from './cpu';

type UcCase = [string, number, number, number, number, number, number, number];

test('every case from Unicorn (QEMU softfloat) gives the same Sd and FPSCR', () => {
  const file = join(__dirname, '..', '..', '..', 'test', 'fp', 'vfp-unicorn.json');
  const cases = JSON.parse(readFileSync(file, 'utf8')) as UcCase[];
  assert.ok(cases.length > 5000, 'expected thousands of recorded cases');
  const t = makeFpCpu();
  const perOp = new Map<string, number>();
  const bad: string[] = [];
  for (const [name, w, fpscr, a, b, c, res, fout] of cases) {
    perOp.set(name, (perOp.get(name) ?? 0) + 1);
    t.cpu.sBits[0] = a; t.cpu.sBits[1] = b; t.cpu.sBits[2] = c; t.cpu.fpscr = fpscr;
    exec32(t, w);
    const r = t.cpu.sBits[0] >>> 0, f = t.cpu.fpscr >>> 0;
    if (r !== res || f !== fout) {
      bad.push(`${name} ${w.toString(16)} fpscr=${fpscr.toString(16)} s0=${a.toString(16)} s1=${b.toString(16)} s2=${c.toString(16)}: unicorn ${res.toString(16)}/${fout.toString(16)}, ours ${r.toString(16)}/${f.toString(16)}`);
    }
  }
  assert.equal(t.faults.length, 0);
  assert.ok(perOp.size >= 29, `ops covered: ${[...perOp.keys()].join(' ')}`);
  assert.deepEqual(bad.slice(0, 20), []);
});

// Words and text from `arm-none-eabi-objdump -d` of snippets assembled with
// -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb (tabs and '@' comments dropped).
const OBJDUMP: [number, string][] = [
  [0xee300a81, 'vadd.f32 s0, s1, s2'], [0xee70fac1, 'vsub.f32 s31, s1, s2'], [0xee621a22, 'vmul.f32 s3, s4, s5'],
  [0xee621a62, 'vnmul.f32 s3, s4, s5'], [0xeec21a22, 'vdiv.f32 s3, s4, s5'], [0xeef11ac2, 'vsqrt.f32 s3, s4'],
  [0xeef01ac2, 'vabs.f32 s3, s4'], [0xeef11a42, 'vneg.f32 s3, s4'], [0xee421a22, 'vmla.f32 s3, s4, s5'],
  [0xee421a62, 'vmls.f32 s3, s4, s5'], [0xee521a62, 'vnmla.f32 s3, s4, s5'], [0xee521a22, 'vnmls.f32 s3, s4, s5'],
  [0xeee21a22, 'vfma.f32 s3, s4, s5'], [0xeee21a62, 'vfms.f32 s3, s4, s5'], [0xeed21a62, 'vfnma.f32 s3, s4, s5'],
  [0xeed21a22, 'vfnms.f32 s3, s4, s5'], [0xeef41a42, 'vcmp.f32 s3, s4'], [0xeef41ac2, 'vcmpe.f32 s3, s4'],
  [0xeef51a40, 'vcmp.f32 s3, #0.0'], [0xeef51ac0, 'vcmpe.f32 s3, #0.0'], [0xeebd0ae0, 'vcvt.s32.f32 s0, s1'],
  [0xeebc0ae0, 'vcvt.u32.f32 s0, s1'], [0xeebd0a60, 'vcvtr.s32.f32 s0, s1'], [0xeebc0a60, 'vcvtr.u32.f32 s0, s1'],
  [0xeeb80ae0, 'vcvt.f32.s32 s0, s1'], [0xeeb80a60, 'vcvt.f32.u32 s0, s1'], [0xeebe0ac8, 'vcvt.s32.f32 s0, s0, #16'],
  [0xeebf0aef, 'vcvt.u32.f32 s0, s0, #1'], [0xeebe0a40, 'vcvt.s16.f32 s0, s0, #16'], [0xeebf0a66, 'vcvt.u16.f32 s0, s0, #3'],
  [0xeeba0ac0, 'vcvt.f32.s32 s0, s0, #32'], [0xeebb0aec, 'vcvt.f32.u32 s0, s0, #7'], [0xeeba0a67, 'vcvt.f32.s16 s0, s0, #1'],
  [0xeebb0a40, 'vcvt.f32.u16 s0, s0, #16'], [0xeeb20a60, 'vcvtb.f32.f16 s0, s1'], [0xeeb20ae0, 'vcvtt.f32.f16 s0, s1'],
  [0xeeb30a60, 'vcvtb.f16.f32 s0, s1'], [0xeeb30ae0, 'vcvtt.f16.f32 s0, s1'], [0xeeb70a00, 'vmov.f32 s0, #112'],
  [0xeebe0a00, 'vmov.f32 s0, #224'], [0xeeb30a0f, 'vmov.f32 s0, #63'], [0xeeb00a60, 'vmov.f32 s0, s1'],
  [0xee001a10, 'vmov s0, r1'], [0xee112a90, 'vmov r2, s3'], [0xec432a10, 'vmov s0, s1, r2, r3'],
  [0xec532a12, 'vmov r2, r3, s4, s5'], [0xec432b11, 'vmov d1, r2, r3'], [0xec532b11, 'vmov r2, r3, d1'],
  [0xee014b10, 'vmov.32 d1[0], r4'], [0xee214b10, 'vmov.32 d1[1], r4'], [0xee314b10, 'vmov.32 r4, d1[1]'],
  [0xee114b10, 'vmov.32 r4, d1[0]'], [0xeef1fa10, 'vmrs APSR_nzcv, fpscr'], [0xeef13a10, 'vmrs r3, fpscr'],
  [0xeee13a10, 'vmsr fpscr, r3'], [0xed900a01, 'vldr s0, [r0, #4]'], [0xed100a01, 'vldr s0, [r0, #-4]'],
  [0xed900a00, 'vldr s0, [r0]'], [0xed100a00, 'vldr s0, [r0, #-0]'], [0xed901bff, 'vldr d1, [r0, #1020]'],
  [0xed800a01, 'vstr s0, [r0, #4]'], [0xed0d2b02, 'vstr d2, [sp, #-8]'], [0xeddf0a02, 'vldr s1, [pc, #8]'],
  [0xec900a04, 'vldmia r0, {s0-s3}'], [0xecb00a04, 'vldmia r0!, {s0-s3}'], [0xed302a01, 'vldmdb r0!, {s4}'],
  [0xec800b08, 'vstmia r0, {d0-d3}'], [0xed200b08, 'vstmdb r0!, {d0-d3}'], [0xed2d8a10, 'vpush {s16-s31}'],
  [0xecbd8a10, 'vpop {s16-s31}'], [0xed2d8b10, 'vpush {d8-d15}'], [0xecbd8b02, 'vpop {d8}'],
  [0xed2d0a01, 'vpush {s0}'], [0xec9d0a01, 'vldmia sp, {s0}'], [0xee300b01, 'vadd.f64 d0, d0, d1'],
  [0xeebd0b40, 'vcvtr.s32.f64 s0, d0'], [0xeeb80b60, 'vcvt.f64.u32 d0, s1'], [0xeeb40b41, 'vcmp.f64 d0, d1'],
  [0xeeb50b40, 'vcmp.f64 d0, #0.0'], [0xeeb10bc1, 'vsqrt.f64 d0, d1'], [0xeef00a40, 'vmov.f32 s1, s0'],
  [0xeeb60a08, 'vmov.f32 s0, #104'], [0xeebf0a00, 'vmov.f32 s0, #240'],
];
// Inside an IT block objdump puts the condition before the data-type suffix.
const OBJDUMP_IT: [number, number, string][] = [
  [0xee300a81, 0, 'vaddeq.f32 s0, s1, s2'], [0xeeb70a00, 1, 'vmovne.f32 s0, #112'], [0xed900a00, 0, 'vldreq s0, [r0]'],
  [0xeebd0ae0, 12, 'vcvtgt.s32.f32 s0, s1'], [0xeebd0a60, 11, 'vcvtrlt.s32.f32 s0, s1'], [0xeeb20a60, 11, 'vcvtblt.f32.f16 s0, s1'],
  [0xec510a10, 11, 'vmovlt r0, r1, s0, s1'], [0xee310b10, 11, 'vmovlt.32 r0, d1[1]'], [0xeef1fa10, 11, 'vmrslt APSR_nzcv, fpscr'],
  [0xecbd0a01, 11, 'vpoplt {s0}'], [0xeeb50ac0, 11, 'vcmpelt.f32 s0, #0.0'], [0xeebb0a40, 11, 'vcvtlt.f32.u16 s0, s0, #16'],
];

test('disassembly matches arm-none-eabi-objdump', () => {
  const table = new InsnTable(vfpDefs);
  for (const [w, text] of OBJDUMP) {
    const d = table.decode32(w);
    assert.ok(d !== undefined, `0x${w.toString(16)} does not decode`);
    assert.equal(d.disasm(w, 0, -1), text, `0x${w.toString(16)} (${d.name})`);
  }
  for (const [w, cond, text] of OBJDUMP_IT) {
    const d = table.decode32(w);
    assert.ok(d !== undefined);
    assert.equal(d.disasm(w, 0, cond), text);
  }
  // objdump: '<UNDEFINED> instruction' for these (VCVT opc2=001 op=0 with bit6... and VMRS with a reserved field)
  assert.equal(table.decode32(0xeeb90a40), undefined);
  assert.equal(table.decode32(0xeef11a11), undefined);
});

test('VMOV moves between core, single, double and scalar registers', () => {
  const t = makeFpCpu();
  const { cpu } = t;
  cpu.r[1] = 0x3f800000; exec32(t, 0xee001a10); // vmov s0, r1
  assert.equal(cpu.sBits[0], 0x3f800000);
  cpu.sBits[3] = 0xdeadbeef; exec32(t, 0xee112a90); // vmov r2, s3
  assert.equal(cpu.r[2] >>> 0, 0xdeadbeef);
  cpu.r[2] = 0x11111111; cpu.r[3] = 0x22222222; exec32(t, 0xec432a10); // vmov s0, s1, r2, r3
  assert.deepEqual([cpu.sBits[0], cpu.sBits[1]], [0x11111111, 0x22222222]);
  cpu.sBits[4] = 0x44; cpu.sBits[5] = 0x55; exec32(t, 0xec532a12); // vmov r2, r3, s4, s5
  assert.deepEqual([cpu.r[2], cpu.r[3]], [0x44, 0x55]);
  cpu.r[2] = 0xaaaa; cpu.r[3] = 0xbbbb; exec32(t, 0xec432b11); // vmov d1, r2, r3: low word to s2
  assert.deepEqual([cpu.sBits[2], cpu.sBits[3]], [0xaaaa, 0xbbbb]);
  cpu.r[4] = 0x1234; exec32(t, 0xee214b10); // vmov.32 d1[1], r4
  assert.equal(cpu.sBits[3], 0x1234);
  exec32(t, 0xee114b10); // vmov.32 r4, d1[0]
  assert.equal(cpu.r[4], 0xaaaa);
  cpu.sBits[1] = 0xbf800000; exec32(t, 0xeeb00a60); // vmov.f32 s0, s1
  assert.equal(cpu.sBits[0], 0xbf800000);
  exec32(t, 0xeeb70a00); // vmov.f32 s0, #1.0 (imm8 112)
  assert.equal(cpu.sBits[0], 0x3f800000);
  exec32(t, 0xeebe0a00); // #224 = -0.5
  assert.equal(cpu.sBits[0], 0xbf000000);
  exec32(t, 0xeeb30a0f); // #63 = 31.0
  assert.equal(cpu.sBits[0], 0x41f80000);
  assert.equal(t.faults.length, 0);
});

test('VMRS/VMSR: FPSCR write mask, APSR_nzcv transfer', () => {
  const t = makeFpCpu();
  const { cpu } = t;
  cpu.r[3] = -1; exec32(t, 0xeee13a10); // vmsr fpscr, r3
  assert.equal(cpu.fpscr >>> 0, 0xf7c0009f); // reserved bits stay zero (same as Unicorn's M4)
  cpu.r[5] = 0; exec32(t, 0xeef15a10); // vmrs r5, fpscr
  assert.equal(cpu.r[5] >>> 0, 0xf7c0009f);
  cpu.fpscr = 0x60000000; cpu.n = 1; cpu.z = 0; cpu.c = 0; cpu.v = 1;
  exec32(t, 0xeef1fa10); // vmrs APSR_nzcv, fpscr
  assert.deepEqual([cpu.n, cpu.z, cpu.c, cpu.v], [0, 1, 1, 0]);
  // VCMP then VMRS: 2.0 > 1.0 gives NZCV = 0010
  cpu.sBits[0] = 0x40000000; cpu.sBits[2] = 0x3f800000; exec32(t, 0xeeb40a41);
  exec32(t, 0xeef1fa10);
  assert.deepEqual([cpu.n, cpu.z, cpu.c, cpu.v], [0, 0, 1, 0]);
});

test('VLDR/VSTR: offsets, literal base Align(PC,4), doublewords, alignment fault', () => {
  const t = makeFpCpu();
  const { cpu, bus } = t;
  bus.write32(0x2004, 0x3fc00000, 1);
  cpu.r[0] = 0x2000; exec32(t, 0xed900a01); // vldr s0, [r0, #4]
  assert.equal(cpu.sBits[0], 0x3fc00000);
  cpu.r[0] = 0x2008; exec32(t, 0xed100a01); // vldr s0, [r0, #-4]
  assert.equal(cpu.sBits[0], 0x3fc00000);
  // vldr s1, [pc, #8] at 0x102: base = Align(0x106, 4) = 0x104, address 0x10c
  bus.write32(0x10c, 0x12345678, 1);
  exec32(t, 0xeddf0a02, 0x102);
  assert.equal(cpu.sBits[1], 0x12345678);
  cpu.sBits[4] = 0xa; cpu.sBits[5] = 0xb; cpu.r[13] = 0x3010;
  exec32(t, 0xed0d2b02); // vstr d2, [sp, #-8]
  assert.deepEqual([bus.read32(0x3008, 1), bus.read32(0x300c, 1)], [0xa, 0xb]);
  cpu.r[0] = 0x3008 - 1020; exec32(t, 0xed901bff); // vldr d1, [r0, #1020]
  assert.deepEqual([cpu.sBits[2], cpu.sBits[3]], [0xa, 0xb]);
  cpu.r[0] = 0x2001; exec32(t, 0xed900a00); // vldr s0, [r0]: unaligned -> UsageFault
  assert.deepEqual(t.faults, [CFSR_UNALIGNED]);
  assert.equal(cpu.pc, CODE_ADDR);
});

test('VLDM/VSTM/VPUSH/VPOP: order, writeback, doubles', () => {
  const t = makeFpCpu();
  const { cpu, bus } = t;
  for (let k = 0; k < 32; k++) cpu.sBits[k] = 0x100 + k;
  cpu.r[13] = 0x4000;
  exec32(t, 0xed2d8a10); // vpush {s16-s31}
  assert.equal(cpu.r[13], 0x4000 - 64);
  assert.equal(bus.read32(0x4000 - 64, 1), 0x110);
  assert.equal(bus.read32(0x4000 - 4, 1), 0x11f);
  cpu.sBits.fill(0);
  exec32(t, 0xecbd8a10); // vpop {s16-s31}
  assert.equal(cpu.r[13], 0x4000);
  for (let k = 16; k < 32; k++) assert.equal(cpu.sBits[k], 0x100 + k);
  cpu.r[0] = 0x5000;
  exec32(t, 0xec800b08); // vstmia r0, {d0-d3}: no writeback
  assert.equal(cpu.r[0], 0x5000);
  assert.equal(bus.read32(0x5000 + 4 * 7, 1), 0); // s7 was cleared above
  cpu.sBits[16] = 0xfeed; exec32(t, 0xed2d8b10); // vpush {d8-d15}
  assert.equal(cpu.r[13], 0x4000 - 64);
  assert.equal(bus.read32(0x4000 - 64, 1), 0xfeed);
  cpu.r[0] = 0x4000 - 60; exec32(t, 0xed302a01); // vldmdb r0!, {s4}
  assert.equal(cpu.r[0], 0x4000 - 64);
  assert.equal(cpu.sBits[4], 0xfeed);
  cpu.r[0] = 0x3ffe; exec32(t, 0xecb00a04); // vldmia r0!, {s0-s3} unaligned: fault, base unchanged
  assert.deepEqual(t.faults, [CFSR_UNALIGNED]);
  assert.equal(cpu.r[0], 0x3ffe);
});

test('FP disabled by CPACR raises NOCP; double-precision data processing is UNDEFINED', () => {
  const t = makeFpCpu();
  t.fpEnabled = false;
  t.cpu.sBits[1] = 0x3f800000; t.cpu.sBits[2] = 0x3f800000;
  exec32(t, 0xee300a81); // vadd.f32
  assert.deepEqual(t.faults, [CFSR_NOCP]);
  assert.equal(t.cpu.sBits[0], 0);
  t.fpEnabled = true;
  t.faults.length = 0;
  exec32(t, 0xee300b01); // vadd.f64 d0, d0, d1
  assert.deepEqual(t.faults, [CFSR_UNDEFINSTR]);
  t.faults.length = 0;
  exec32(t, 0xeeb80b60); // vcvt.f64.u32
  assert.deepEqual(t.faults, [CFSR_UNDEFINSTR]);
  t.faults.length = 0;
  exec32(t, 0xeeb90a40); // not an FPv4-SP encoding
  assert.deepEqual(t.faults, [CFSR_UNDEFINSTR]);
});

test('random-encoding generator contract: UNPREDICTABLE hooks only reject, never throw', () => {
  let seed = 12345;
  const table = new InsnTable(vfpDefs);
  let decoded = 0;
  for (let k = 0; k < 20000; k++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const w = ((0xec000000 | (seed & 0x03ffffff)) ^ (k & 1 ? 0x02000000 : 0)) >>> 0;
    const d = table.decode32(w);
    if (d === undefined) continue;
    decoded++;
    assert.equal(typeof (d.unpredictable?.(w) ?? false), 'boolean');
    assert.ok(d.disasm(w, 0x100, -1).length > 3);
  }
  assert.ok(decoded > 1000);
});
