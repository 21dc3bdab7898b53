// Execution tests for the 32-bit Thumb-2 integer instructions: data processing with
// ThumbExpandImm_C and shifted registers, bitfields, multiply/divide, branches, MSR/MRS,
// and the load/store forms (writeback, literal, dual, exclusive, TBB/TBH, LDM/STM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from './test-asm';
import { makeTestCore, TestCore } from './test-system';
import { CFSR_DIVBYZERO, CFSR_UNALIGNED, CFSR_UNDEFINSTR, type CortexM } from './cpu';

function run(src: string, setup: (c: CortexM) => void, steps: number): TestCore {
  const t = makeTestCore(assemble(src));
  setup(t.cpu);
  t.cpu.run(steps);
  return t;
}
const u = (x: number) => x >>> 0;
function flags(c: CortexM): string { return `${c.n ? 'N' : 'n'}${c.z ? 'Z' : 'z'}${c.c ? 'C' : 'c'}${c.v ? 'V' : 'v'}`; }

test('modified immediates and their carry-out', () => {
  let { cpu } = run('mov.w r0, #0xff000000\nmvn r1, #0x00ab00ab\norr r2, r3, #0xcdcdcdcd\nand r4, r5, #0xab00ab00', (c) => { c.r[3] = 2; c.r[5] = -1; }, 4);
  assert.equal(u(cpu.r[0]), 0xff000000);
  assert.equal(u(cpu.r[1]), 0xff54ff54);
  assert.equal(u(cpu.r[2]), 0xcdcdcdcf);
  assert.equal(u(cpu.r[4]), 0xab00ab00);
  ({ cpu } = run('movs.w r0, #0x80000000', (c) => { c.c = 0; }, 1));
  assert.equal(flags(cpu), 'NzCv', 'rotated constant: C = bit 31');
  ({ cpu } = run('ands.w r0, r1, #0xff', (c) => { c.r[1] = 0x100; c.c = 1; }, 1));
  assert.equal(flags(cpu), 'nZCv', 'unrotated constant keeps C');
  ({ cpu } = run('tst.w r1, #0x40000000', (c) => { c.r[1] = 0x40000000; c.c = 1; }, 1));
  assert.equal(flags(cpu), 'nzcv', 'rotated constant with bit31 clear clears C');
  ({ cpu } = run('cmp.w r1, #0x10000', (c) => { c.r[1] = 0x10000; }, 1));
  assert.equal(flags(cpu), 'nZCv');
  ({ cpu } = run('rsbs r0, r1, #0', (c) => { c.r[1] = 0x80000000 | 0; }, 1));
  assert.equal(u(cpu.r[0]), 0x80000000); assert.equal(flags(cpu), 'NzcV');
  ({ cpu } = run('sbc r0, r1, #1', (c) => { c.r[1] = 10; c.c = 0; }, 1));
  assert.equal(cpu.r[0], 8);
});

test('shifted-register operands incl. RRX and #32 forms', () => {
  let { cpu } = run('add.w r0, r1, r2, lsl #2\nsub.w r3, r1, r2, asr #1\norn r4, r1, r2, ror #4', (c) => { c.r[1] = 100; c.r[2] = -8; }, 3);
  assert.equal(cpu.r[0], 68); assert.equal(cpu.r[3], 104); assert.equal(u(cpu.r[4]), ~(0x8fffffff) >>> 0 | 100);
  ({ cpu } = run('movs.w r0, r1, rrx', (c) => { c.r[1] = 3; c.c = 1; }, 1));
  assert.equal(u(cpu.r[0]), 0x80000001); assert.equal(flags(cpu), 'NzCv');
  ({ cpu } = run('.inst.w 0xea5f0021 @ movs.w r0, r1, asr #32', (c) => { c.r[1] = 0x80000000 | 0; }, 1));
  assert.equal(cpu.r[0], -1); assert.equal(cpu.c, 1);
  ({ cpu } = run('.inst.w 0xea5f0011 @ lsrs.w r0, r1, #32', (c) => { c.r[1] = 0x7fffffff; }, 1));
  assert.equal(cpu.r[0], 0); assert.equal(flags(cpu), 'nZcv');
  ({ cpu } = run('teq r1, r2, lsl #1', (c) => { c.r[1] = 2; c.r[2] = 0x80000001 | 0; }, 1));
  assert.equal(flags(cpu), 'nZCv');
  ({ cpu } = run('adcs.w r0, r1, r2', (c) => { c.r[1] = -1; c.r[2] = 0; c.c = 1; }, 1));
  assert.equal(cpu.r[0], 0); assert.equal(flags(cpu), 'nZCv');
});

test('register-controlled shifts >= 32 (32-bit encodings)', () => {
  let { cpu } = run('lsls.w r0, r1, r2', (c) => { c.r[1] = 1; c.r[2] = 32; }, 1);
  assert.equal(cpu.r[0], 0); assert.equal(flags(cpu), 'nZCv');
  ({ cpu } = run('asr.w r0, r1, r2', (c) => { c.r[1] = -5; c.r[2] = 0x1ff; }, 1));
  assert.equal(cpu.r[0], -1);
  ({ cpu } = run('rors.w r0, r1, r2', (c) => { c.r[1] = 0x12345678; c.r[2] = 0x108; }, 1));
  assert.equal(u(cpu.r[0]), 0x78123456); assert.equal(cpu.c, 0);
});

test('ADDW/SUBW/MOVW/MOVT/ADR.W and bitfields', () => {
  let { cpu } = run('addw r0, r1, #4095\nsubw r2, r1, #1\nmovw r3, #0xbeef\nmovt r3, #0xdead\nadr.w r4, 1f\nnop\n1: nop', (c) => { c.r[1] = 1; }, 5);
  assert.equal(cpu.r[0], 4096); assert.equal(cpu.r[2], 0); assert.equal(u(cpu.r[3]), 0xdeadbeef); assert.equal(cpu.r[4], 0x16);
  ({ cpu } = run('bfi r0, r1, #4, #8\nbfc r2, #0, #32\nubfx r3, r4, #28, #4\nsbfx r5, r4, #28, #4', (c) => { c.r[0] = -1; c.r[1] = 0x5a; c.r[2] = 123; c.r[4] = 0x9000_0000 | 0; }, 4));
  assert.equal(u(cpu.r[0]), 0xfffff5af); assert.equal(cpu.r[2], 0); assert.equal(cpu.r[3], 9); assert.equal(cpu.r[5], -7);
});

test('CLZ/RBIT/REV.W and multiplies', () => {
  let { cpu } = run('clz r0, r1\nrbit r2, r1\nrev.w r3, r1\nclz r4, r5', (c) => { c.r[1] = 0x00f00001; c.r[5] = 0; }, 4);
  assert.equal(cpu.r[0], 8); assert.equal(u(cpu.r[2]), 0x80000f00); assert.equal(u(cpu.r[3]), 0x0100f000); assert.equal(cpu.r[4], 32);
  ({ cpu } = run('mul.w r0, r1, r2\nmla r3, r1, r2, r4\nmls r5, r1, r2, r4', (c) => { c.r[1] = 0x10001; c.r[2] = 0x10001; c.r[4] = 5; }, 3));
  assert.equal(cpu.r[0], 0x20001); assert.equal(cpu.r[3], 0x20006); assert.equal(cpu.r[5], (5 - 0x20001) | 0);
  const pairs: [number, number][] = [[-1, -1], [0x7fffffff, 0x7fffffff], [-0x80000000, 0x7fffffff], [0xdeadbeef | 0, 0x12345678], [3, -7]];
  for (const [a, b] of pairs) {
    ({ cpu } = run('smull r0, r1, r2, r3\numull r4, r5, r2, r3\nsmlal r6, r7, r2, r3\numlal r8, r9, r2, r3', (c) => {
      c.r[2] = a; c.r[3] = b; c.r[6] = -1; c.r[7] = 0x7fffffff; c.r[8] = -1; c.r[9] = -1;
    }, 4));
    const s = BigInt(a) * BigInt(b), uu = BigInt(a >>> 0) * BigInt(b >>> 0);
    const w64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    const m = (1n << 64n) - 1n;
    assert.equal(w64(cpu.r[0], cpu.r[1]), s & m, `smull ${a} ${b}`);
    assert.equal(w64(cpu.r[4], cpu.r[5]), uu & m, `umull ${a} ${b}`);
    assert.equal(w64(cpu.r[6], cpu.r[7]), (s + 0x7fffffffffffffffn) & m, `smlal ${a} ${b}`);
    assert.equal(w64(cpu.r[8], cpu.r[9]), (uu + m) & m, `umlal ${a} ${b}`);
  }
});

test('SDIV/UDIV: rounding, overflow, divide by zero with and without DIV_0_TRP', () => {
  let t = run('sdiv r0, r1, r2\nudiv r3, r1, r2\nsdiv r4, r5, r6', (c) => { c.r[1] = 7; c.r[2] = -2; c.r[5] = 0x80000000 | 0; c.r[6] = -1; }, 3);
  assert.equal(t.cpu.r[0], -3); assert.equal(t.cpu.r[3], 0); assert.equal(u(t.cpu.r[4]), 0x80000000);
  t = run('udiv r0, r1, r2', (c) => { c.r[1] = -1; c.r[2] = 3; }, 1);
  assert.equal(u(t.cpu.r[0]), 0x55555555);
  t = run('sdiv r0, r1, r2', (c) => { c.r[0] = 9; c.r[1] = 7; c.r[2] = 0; }, 1);
  assert.equal(t.cpu.r[0], 0); assert.equal(t.sys.faults.length, 0);
  t = makeTestCore(assemble('udiv r0, r1, r2'));
  t.sys.div0Trap = true; t.cpu.r[0] = 9; t.cpu.r[1] = 7;
  t.cpu.run(1);
  assert.equal(t.sys.faults[0].cfsr, CFSR_DIVBYZERO); assert.equal(t.cpu.r[0], 9); assert.equal(t.cpu.pc, 0);
});

test('B.W, BL, conditional B.W, and IT with 32-bit instructions', () => {
  let { cpu } = run('bl 1f\nmovs r0, #1\n1: movs r1, #2', () => {}, 2);
  assert.equal(cpu.r[14], 5); assert.equal(cpu.r[0], 0); assert.equal(cpu.r[1], 2);
  ({ cpu } = run('cmp r0, #1\nbne.w 1f\nmovs r2, #1\n1: b.w 2f\nmovs r3, #1\n2: nop', (c) => { c.r[0] = 0; }, 4));
  assert.equal(cpu.r[2], 0); assert.equal(cpu.r[3], 0); assert.equal(cpu.pc, 0x10);
  ({ cpu } = run('cmp r0, #0\nitte ne\naddne.w r1, r1, #1\naddsne.w r2, r2, #0\nmoveq.w r3, #7', (c) => { c.r[0] = 1; c.r[2] = 0; }, 5));
  assert.equal(cpu.r[1], 1); assert.equal(cpu.z, 1, 'S-suffixed 32-bit instructions set flags inside IT'); assert.equal(cpu.r[3], 7, 'the else slot sees the Z set inside the block');
});

test('MSR/MRS of APSR and masks', () => {
  const { cpu } = run('msr APSR_nzcvq, r0\nmrs r1, APSR\nmsr PRIMASK, r2\nmrs r3, PRIMASK\nmrs r4, CONTROL', (c) => { c.r[0] = 0xa8000000 | 0; c.r[2] = 1; }, 5);
  assert.equal(flags(cpu), 'NzCv'); assert.equal(cpu.q, 1);
  assert.equal(u(cpu.r[1]), 0xa8000000); assert.equal(cpu.r[3], 1); assert.equal(cpu.r[4], 0);
});

test('single loads/stores: imm12, pre/post-index writeback, register shift, literal, T form', () => {
  const { cpu, bus } = run(
    'str.w r1, [r0, #0x104]\nldr r2, [r0, #-4]!\nldrb r3, [r0], #5\nldrsh.w r4, [r5, r6, lsl #1]\nldr.w r7, [pc, #-4]\nldrt r8, [r5, #6]\nstrh r1, [r5, #-2]',
    (c) => { c.r[0] = 0x1004; c.r[1] = 0x8765fedc | 0; c.r[5] = 0x1100; c.r[6] = 4; c.bus.write32(0x1000, 0x11223344); }, 7);
  assert.equal(bus.read32(0x1108), 0x8765fedc);
  assert.equal(cpu.r[2], 0x11223344);
  assert.equal(cpu.r[3], 0x44); assert.equal(cpu.r[0], 0x1005);
  assert.equal(cpu.r[4], 0xfedc - 0x10000);
  assert.equal(u(cpu.r[7]), 0x7004f85f, 'Align(PC,4)-4 = 0x10 holds the ldr.w itself');
  assert.equal(u(cpu.r[8]), 0xfedc0000, 'LDRT unaligned word at 0x1106');
  assert.equal(bus.read16(0x10fe), 0xfedc);
});

test('LDR PC interworks; LDRD/STRD writeback and alignment; unaligned LDR allowed', () => {
  let t = run('ldr.w pc, [r0, #4]', (c) => { c.r[0] = 0x1000; c.bus.write32(0x1004, 0x201); }, 1);
  assert.equal(t.cpu.pc, 0x200); assert.equal(t.cpu.tbit, 1);
  t = run('strd r1, r2, [r0, #-8]!\nldrd r3, r4, [r0], #16', (c) => { c.r[0] = 0x1010; c.r[1] = 5; c.r[2] = 6; }, 2);
  assert.equal(t.bus.read32(0x1008), 5); assert.equal(t.bus.read32(0x100c), 6);
  assert.equal(t.cpu.r[3], 5); assert.equal(t.cpu.r[4], 6); assert.equal(t.cpu.r[0], 0x1018);
  t = run('ldrd r3, r4, [r0], #8', (c) => { c.r[0] = 0x1002; }, 1);
  assert.equal(t.sys.faults[0].cfsr, CFSR_UNALIGNED); assert.equal(t.cpu.r[0], 0x1002, 'no writeback on a faulting LDRD');
  t = run('ldr.w r1, [r0]', (c) => { c.r[0] = 0x1001; c.bus.write32(0x1000, 0x44332211); c.bus.write32(0x1004, 0x88776655); }, 1);
  assert.equal(t.cpu.r[1], 0x55443322); assert.equal(t.sys.faults.length, 0);
  t = run('ldrd r0, r1, [pc, #4]\nnop\nnop\n.word 7\n.word 8', () => {}, 1);
  assert.equal(t.cpu.r[0], 7); assert.equal(t.cpu.r[1], 8);
});

test('exclusives: LDREX/STREX pass once, CLREX and mismatched address fail', () => {
  const t = run('ldrex r1, [r0]\nstrex r2, r3, [r0]\nstrex r4, r3, [r0]\nldrexb r5, [r0]\nclrex\nstrexb r6, r3, [r0]\nldrexh r7, [r0]\nstrexh r8, r3, [r9]',
    (c) => { c.r[0] = 0x1000; c.r[3] = 0x55; c.r[9] = 0x1002; c.bus.write32(0x1000, 0x1234); }, 8);
  assert.equal(t.cpu.r[1], 0x1234);
  assert.equal(t.cpu.r[2], 0, 'first STREX succeeds'); assert.equal(t.cpu.r[4], 1, 'second STREX fails');
  assert.equal(t.cpu.r[5], 0x55); assert.equal(t.cpu.r[6], 1, 'CLREX clears the monitor');
  assert.equal(t.cpu.r[8], 1, 'different address fails');
  assert.equal(t.bus.read32(0x1000), 0x55);
  assert.equal(t.cpu.exclusiveAddr, -1);
});

test('TBB/TBH', () => {
  const src = 'tbb [pc, r0]\n.byte 2, 3\nmovs r1, #1\nmovs r2, #2\nmovs r3, #3';
  let { cpu } = run(src, (c) => { c.r[0] = 1; }, 2);
  assert.equal(cpu.r[1], 0); assert.equal(cpu.r[2], 0); assert.equal(cpu.r[3], 3);
  ({ cpu } = run('tbh [r4, r0, lsl #1]\nmovs r1, #1\nmovs r2, #2', (c) => { c.r[0] = 1; c.r[4] = 0x1000; c.bus.write16(0x1002, 1); }, 2));
  assert.equal(cpu.r[1], 0); assert.equal(cpu.r[2], 2);
});

test('LDM/STM 32-bit: PUSH.W/POP.W with PC, LDMDB, base writeback', () => {
  let t = run('push.w {r4, r8, lr}\npop.w {r0, r1, pc}', (c) => { c.r[4] = 4; c.r[8] = 8; c.r[14] = 0x301; }, 2);
  assert.equal(t.cpu.r[0], 4); assert.equal(t.cpu.r[1], 8); assert.equal(t.cpu.pc, 0x300); assert.equal(t.cpu.r[13], 0x8000);
  t = run('stmdb r0!, {r1, r2, r3}\nldmdb r5, {r6, r7}\nldmia.w r0!, {r8, r9}', (c) => { c.r[0] = 0x1010; c.r[1] = 1; c.r[2] = 2; c.r[3] = 3; c.r[5] = 0x1010; }, 3);
  assert.equal(t.cpu.r[6], 2); assert.equal(t.cpu.r[7], 3); assert.equal(t.cpu.r[8], 1); assert.equal(t.cpu.r[9], 2); assert.equal(t.cpu.r[0], 0x100c);
});

test('UNDEFINED 32-bit encodings and UDF.W fault with UNDEFINSTR', () => {
  for (const src of ['udf.w #300', '.inst.w 0xf8600e00', '.inst.w 0xfa90f0c0']) {
    const t = run(src, () => {}, 1);
    assert.equal(t.sys.faults.length, 1, src);
    assert.equal(t.sys.faults[0].cfsr, CFSR_UNDEFINSTR, src);
  }
});
