// Tests for the DSP extension table (isa-dsp.ts): hand-worked semantics at the saturation,
// GE and rounding edges; disassembly against arm-none-eabi-objdump for every mnemonic and for
// random encodings; and a focused random differential run against Unicorn's Cortex-M4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressSpace, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CortexM } from './cpu';
import { TestSystem } from './test-system';
import { COND_NAMES, InsnDef, InsnTable } from './insn';
import { dspDefs } from './isa-dsp';

const table = new InsnTable(dspDefs);
const CODE = 0x1000;

/** Shared stub; a fault fails the test (DSP instructions never fault). */
const stubSystem = new TestSystem();
stubSystem.fault = (_cpu, bits, addr) => { throw new Error(`unexpected fault cfsr=0x${bits.toString(16)} addr=0x${addr.toString(16)}`); };

function makeCpu(): { cpu: CortexM; mem: Memory; bus: AddressSpace } {
  const bus = new AddressSpace('t');
  const mem = new Memory('ram', 0x10000);
  bus.mapMemory(0, mem);
  const cpu = new CortexM('t', bus, new Clock(), table);
  cpu.system = stubSystem;
  return { cpu, mem, bus };
}

const env = makeCpu();

/** Run one 32-bit instruction at CODE with the given registers; returns the core. */
function run(w: number, regs: Record<number, number>, apsr = 0): CortexM {
  const { cpu, mem, bus } = env;
  const u16 = new Uint16Array(mem.buffer);
  u16[CODE >> 1] = w >>> 16;
  u16[(CODE >> 1) + 1] = w & 0xffff;
  const f = bus.frames[CODE >>> 12];
  if (f !== undefined) f.invalidateCode(); // direct buffer writes bypass the bus's code-write invalidation
  cpu.r.fill(0);
  for (const [k, v] of Object.entries(regs)) cpu.r[Number(k)] = v;
  cpu.setApsrNZCVQ(apsr);
  cpu.ge = (apsr >>> 16) & 15;
  cpu.itstate = 0;
  cpu.pc = CODE;
  const why = cpu.run(1);
  assert.equal(why, 'limit', `0x${(w >>> 0).toString(16)}: run stopped with ${why}`);
  assert.equal(cpu.pc, CODE + 4);
  return cpu;
}

const u = (x: number): number => x >>> 0;

// ---------------------------------------------------------------- assembler / objdump

interface Dumped { word: number; text: string; itCond: number }

/** Assemble Thumb source for the M4 and return each 32-bit instruction with objdump's text and IT condition. */
function assemble(src: string): Dumped[] {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-'));
  try {
    writeFileSync(join(dir, 'a.s'), `.syntax unified\n.thumb\n${src}\n`);
    const as = spawnSync('arm-none-eabi-as', ['-mcpu=cortex-m4', '-mthumb', '-o', join(dir, 'a.o'), join(dir, 'a.s')], { encoding: 'utf8' });
    assert.equal(as.status, 0, `as failed: ${as.stderr}`);
    const od = spawnSync('arm-none-eabi-objdump', ['-d', join(dir, 'a.o')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(od.status, 0, `objdump failed: ${od.stderr}`);
    const out: Dumped[] = [];
    const pendingIt: number[] = [];
    for (const line of od.stdout.split('\n')) {
      const m = /^\s*[0-9a-f]+:\s+([0-9a-f]{4})(?: ([0-9a-f]{4}))?\s*\t(.*)$/.exec(line);
      if (m === null) continue;
      const text = m[3].replace(/\t/g, ' ').replace(/\s*[;@].*$/, '').trim();
      if (m[2] === undefined) {
        const it = /^it([te]*) (\w+)$/.exec(text);
        if (it !== null) {
          const c = COND_NAMES.indexOf(it[2]);
          pendingIt.length = 0;
          pendingIt.push(c);
          for (const ch of it[1]) pendingIt.push(ch === 't' ? c : c ^ 1);
        }
        continue;
      }
      const itCond = pendingIt.length > 0 ? (pendingIt.shift() as number) : -1;
      out.push({ word: ((parseInt(m[1], 16) << 16) | parseInt(m[2], 16)) >>> 0, text, itCond });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deterministic xorshift32, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** A random valid (decodable, not UNPREDICTABLE) encoding of `def`, registers limited to r0-r12 by the def's own checks. */
function randomEncoding(def: InsnDef, next: () => number): number {
  for (let i = 0; i < 10000; i++) {
    const w = ((next() & ~def.mask) | def.match) >>> 0;
    if (def.when !== undefined && !def.when(w)) continue;
    if (def.unpredictable !== undefined && def.unpredictable(w)) continue;
    assert.equal(table.decode32(w), def, `0x${w.toString(16)} decodes to ${table.decode32(w)?.name} instead of ${def.name}`);
    return w;
  }
  throw new Error(`no valid encoding found for ${def.name}`);
}

// ---------------------------------------------------------------- semantics: hand-worked edges

test('QADD/QSUB/QDADD/QDSUB saturate at the int32 limits and set Q sticky', () => {
  // qadd r0, r1, r2 = fa82 f081 (Rm = r1, Rn = r2)
  let c = run(0xfa82f081, { 1: 0x7fffffff, 2: 1 });
  assert.equal(u(c.r[0]), 0x7fffffff); assert.equal(c.q, 1);
  c = run(0xfa82f081, { 1: 0x80000000 | 0, 2: -1 });
  assert.equal(u(c.r[0]), 0x80000000); assert.equal(c.q, 1);
  c = run(0xfa82f081, { 1: 0x7ffffffe, 2: 1 });
  assert.equal(u(c.r[0]), 0x7fffffff); assert.equal(c.q, 0);
  c = run(0xfa82f081, { 1: 3, 2: 4 }, 1 << 27);
  assert.equal(c.r[0], 7); assert.equal(c.q, 1, 'Q is sticky: a non-saturating QADD leaves it set');
  // qsub r0, r1, r2 = r1 - r2
  c = run(0xfa82f0a1, { 1: 0x80000000 | 0, 2: 1 });
  assert.equal(u(c.r[0]), 0x80000000); assert.equal(c.q, 1);
  c = run(0xfa82f0a1, { 1: 0, 2: 0x80000000 | 0 });
  assert.equal(u(c.r[0]), 0x7fffffff); assert.equal(c.q, 1);
  // qdadd r0, r1, r2: 2*r2 saturates to 0x7fffffff, then + (-1) = 0x7ffffffe, Q set by the doubling
  c = run(0xfa82f091, { 1: -1, 2: 0x40000000 });
  assert.equal(u(c.r[0]), 0x7ffffffe); assert.equal(c.q, 1);
  // qdsub r0, r1, r2: r1 - sat(2*r2) = 5 - 6
  c = run(0xfa82f0b1, { 1: 5, 2: 3 });
  assert.equal(c.r[0], -1); assert.equal(c.q, 0);
});

test('SSAT/USAT apply the shift first and saturate to the encoded width', () => {
  // ssat r0, #8, r1, lsl #2: 40 << 2 = 160 > 127
  let c = run(0xf3010087, { 1: 40 });
  assert.equal(c.r[0], 127); assert.equal(c.q, 1);
  c = run(0xf3010087, { 1: -20 });
  assert.equal(c.r[0], -80); assert.equal(c.q, 0);
  // ssat r0, #8, r1, asr #2
  c = run(0xf3210087, { 1: -1000 });
  assert.equal(c.r[0], -128); assert.equal(c.q, 1);
  // ssat r0, #32, r1, asr #31 never saturates
  c = run(0xf32170df, { 1: 0x80000000 | 0 });
  assert.equal(c.r[0], -1); assert.equal(c.q, 0);
  // usat r0, #0, r1: anything but 0 saturates to 0
  c = run(0xf3810000, { 1: 1 });
  assert.equal(c.r[0], 0); assert.equal(c.q, 1);
  // usat r0, #31, r1, asr #1
  c = run(0xf3a1005f, { 1: -2 });
  assert.equal(c.r[0], 0); assert.equal(c.q, 1);
  c = run(0xf3a1005f, { 1: 0x7fffffff });
  assert.equal(c.r[0], 0x3fffffff); assert.equal(c.q, 0);
  // ssat16 r0, #16, r1 never saturates; usat16 r0, #0, r1 zeroes both halves
  c = run(0xf321000f, { 1: 0x80007fff | 0 });
  assert.equal(u(c.r[0]), 0x80007fff); assert.equal(c.q, 0);
  c = run(0xf3a10000, { 1: 0x00010000 });
  assert.equal(c.r[0], 0); assert.equal(c.q, 1);
  // ssat16 r0, #4, r1: 0x0100 -> 7, 0xff00 (-256) -> -8
  c = run(0xf3210003, { 1: 0xff000100 | 0 });
  assert.equal(u(c.r[0]), 0xfff80007); assert.equal(c.q, 1);
});

test('parallel add/subtract: lane results and GE bits for the S and U forms only', () => {
  // sadd16 r0, r1, r2: 0x7fff + 1 = 0x8000 (signed 32768 >= 0: GE[1:0] set); 0x8000 + 0x8000 = -65536 (GE[3:2] clear)
  let c = run(0xfa91f002, { 1: 0x80007fff | 0, 2: 0x80000001 | 0 });
  assert.equal(u(c.r[0]), 0x00008000); assert.equal(c.ge, 0b0011);
  // uadd16: 0x7fff + 1 no carry; 0x8000 + 0x8000 carries
  c = run(0xfa91f042, { 1: 0x80007fff | 0, 2: 0x80000001 | 0 });
  assert.equal(u(c.r[0]), 0x00008000); assert.equal(c.ge, 0b1100);
  // qadd16 saturates, leaves GE and Q alone
  c = run(0xfa91f012, { 1: 0x80007fff | 0, 2: 0x80000001 | 0 }, 0x000a0000);
  assert.equal(u(c.r[0]), 0x80007fff); assert.equal(c.ge, 0b1010); assert.equal(c.q, 0);
  // uqsub8 r0, r1, r2 clamps at 0; uqadd8 at 0xff
  c = run(0xfac1f052, { 1: 0x10ff0080, 2: 0x20010081 });
  assert.equal(u(c.r[0]), 0x00fe0000);
  c = run(0xfa81f052, { 1: 0x10ff0080, 2: 0x20010081 });
  assert.equal(u(c.r[0]), 0x30ff00ff);
  // shadd8: (-128 + -128) >> 1 = -128; (127 + 1) >> 1 = 64
  c = run(0xfa81f022, { 1: 0x0000807f, 2: 0x00008001 });
  assert.equal(u(c.r[0]), 0x00008040);
  // usub8: GE set where no borrow
  c = run(0xfac1f042, { 1: 0x05050505, 2: 0x06050400 });
  assert.equal(u(c.r[0]), 0xff000105); assert.equal(c.ge, 0b0111);
  // sasx r0, r1, r2: lo = r1.lo - r2.hi, hi = r1.hi + r2.lo
  c = run(0xfaa1f002, { 1: 0x00010005, 2: 0x00070002 });
  assert.equal(u(c.r[0]), 0x0003fffe); assert.equal(c.ge, 0b1100);
  // ssax: lo = r1.lo + r2.hi, hi = r1.hi - r2.lo
  c = run(0xfae1f002, { 1: 0x00010005, 2: 0x00070002 });
  assert.equal(u(c.r[0]), 0xffff000c); assert.equal(c.ge, 0b0011);
  // uhsub16: (0 - 1) >> 1 = -1 -> 0xffff in the low lane
  c = run(0xfad1f062, { 1: 0x00040000, 2: 0x00020001 });
  assert.equal(u(c.r[0]), 0x0001ffff);
});

test('SEL picks bytes by GE; USAD8/USADA8 sum absolute byte differences', () => {
  let c = run(0xfaa1f082, { 1: 0x11223344, 2: 0xaabbccdd | 0 }, 0b0101 << 16);
  assert.equal(u(c.r[0]), 0xaa22cc44);
  c = run(0xfb71f002, { 1: 0x00ff1080, 2: 0xff001080 | 0 });
  assert.equal(c.r[0], 510);
  c = run(0xfb713002, { 1: 0x00ff1080, 2: 0xff001080 | 0, 3: -1 });
  assert.equal(c.r[0], 509);
});

test('PKHBT/PKHTB, including ASR #32', () => {
  let c = run(0xeac100c2, { 1: 0x1111aaaa, 2: 0x00012345 }); // pkhbt r0, r1, r2, lsl #3
  assert.equal(u(c.r[0]), 0x0009aaaa);
  c = run(0xeac100e2, { 1: 0x1111aaaa, 2: 0x00012345 }); // pkhtb r0, r1, r2, asr #3
  assert.equal(u(c.r[0]), 0x11112468);
  c = run(0xeac10022, { 1: 0x1111aaaa, 2: 0x80000000 | 0 }); // pkhtb r0, r1, r2, asr #32
  assert.equal(u(c.r[0]), 0x1111ffff);
});

test('extend and extend-add with rotation', () => {
  let c = run(0xfa4ff091, { 1: 0x00008000 }); // sxtb.w r0, r1, ror #8
  assert.equal(c.r[0], -128);
  c = run(0xfa41f092, { 1: 100, 2: 0x0000ff00 }); // sxtab r0, r1, r2, ror #8
  assert.equal(c.r[0], 99);
  c = run(0xfa11f0b2, { 1: 1, 2: 0x0000ffff }); // uxtah r0, r1, r2, ror #24: halfword = 0xff00
  assert.equal(c.r[0], 0xff01);
  c = run(0xfa2ff091, { 1: 0x80ff7f01 | 0 }); // sxtb16 r0, r1, ror #8: bytes 0x7f and 0x80
  assert.equal(u(c.r[0]), 0xff80007f);
  c = run(0xfa21f082, { 1: 0x0001ffff, 2: 0x00ff0001 }); // sxtab16 r0, r1, r2: lanes wrap independently
  assert.equal(u(c.r[0]), 0x00000000);
  c = run(0xfa31f0a2, { 1: 0xffff0001 | 0, 2: 0x000200ff }); // uxtab16 r0, r1, r2, ror #16: 0xffff + 0xff wraps to 0x00fe
  assert.equal(u(c.r[0]), 0x00fe0003);
});

test('halfword multiplies: SMLA<x><y> Q on overflow, SMLAW, SMUL', () => {
  // smlatb r0, r1, r2, r3: top(r1) * bottom(r2) + r3
  let c = run(0xfb113022, { 1: 0x7fff0000, 2: 0x00007fff, 3: 0x7fffffff - 0x3fff0001 + 1 });
  assert.equal(u(c.r[0]), 0x80000000); assert.equal(c.q, 1);
  c = run(0xfb113022, { 1: 0x7fff0000, 2: 0x00007fff, 3: 5 });
  assert.equal(c.r[0], 0x3fff0001 + 5); assert.equal(c.q, 0);
  // smulbb r0, r1, r2: -32768 * -32768 = 2^30, no Q possible
  c = run(0xfb11f002, { 1: 0x8000, 2: 0x8000 });
  assert.equal(c.r[0], 0x40000000); assert.equal(c.q, 0);
  // smulwt r0, r1, r2: (r1 * top(r2)) >> 16
  c = run(0xfb31f012, { 1: 0x80000000 | 0, 2: 0x80000000 | 0 });
  assert.equal(c.r[0], 0x40000000);
  // smlawb r0, r1, r2, r3 overflows: (0x7fffffff * -32768 >> 16) + 0x80000000
  c = run(0xfb313002, { 1: 0x7fffffff, 2: 0x8000, 3: 0x80000000 | 0 });
  assert.equal(u(c.r[0]), u(-0x40000000 + 0x80000000)); assert.equal(c.q, 1);
});

test('dual multiplies: X swaps halves, SMUAD sets Q on 2^31', () => {
  let c = run(0xfb21f002, { 1: 0x80008000 | 0, 2: 0x80008000 | 0 }); // smuad
  assert.equal(u(c.r[0]), 0x80000000); assert.equal(c.q, 1);
  c = run(0xfb21f012, { 1: 0x00020003, 2: 0x00050007 }); // smuadx: 3*5 + 2*7
  assert.equal(c.r[0], 29);
  c = run(0xfb41f002, { 1: 0x00020003, 2: 0x00050007 }); // smusd: 3*7 - 2*5
  assert.equal(c.r[0], 11);
  c = run(0xfb41f012, { 1: 0x00020003, 2: 0x00050007 }); // smusdx: 3*5 - 2*7
  assert.equal(c.r[0], 1);
  c = run(0xfb413012, { 1: 0x00020003, 2: 0x00050007, 3: 0x7fffffff }); // smlsdx overflows
  assert.equal(u(c.r[0]), 0x80000000); assert.equal(c.q, 1);
});

test('most-significant-word multiplies and their rounding', () => {
  // 0x40000000 * 3 = 0xC000_0000 -> top word 0; rounded: 0 + carry from 0xC0000000 + 0x80000000 = 1
  let c = run(0xfb51f002, { 1: 0x40000000, 2: 3 }); // smmul
  assert.equal(c.r[0], 0);
  c = run(0xfb51f012, { 1: 0x40000000, 2: 3 }); // smmulr
  assert.equal(c.r[0], 1);
  c = run(0xfb51f012, { 1: -1, 2: 1 }); // smmulr: -1 -> 0xffffffff:ffffffff + 2^31 -> 0
  assert.equal(c.r[0], 0);
  c = run(0xfb51f002, { 1: 0x80000000 | 0, 2: 0x80000000 | 0 }); // 2^62 -> 0x40000000
  assert.equal(c.r[0], 0x40000000);
  c = run(0xfb513002, { 1: 0x80000000 | 0, 2: 0x7fffffff, 3: 0x7fffffff }); // smmla: wraps, no Q
  assert.equal(u(c.r[0]), u(0x7fffffff + -0x3fffffff - 1)); assert.equal(c.q, 0);
  c = run(0xfb613002, { 1: 1, 2: 1, 3: 5 }); // smmls: (5<<32) - 1 -> 4
  assert.equal(c.r[0], 4);
  c = run(0xfb613012, { 1: 1, 2: 1, 3: 5 }); // smmlsr: + 2^31 -> 5
  assert.equal(c.r[0], 5);
});

test('long DSP multiplies accumulate exactly in 64 bits', () => {
  // smlalbb r0, r1, r2, r3: r1:r0 += -1 * 1 with r1:r0 = 0 -> all ones
  let c = run(0xfbc20183, { 0: 0, 1: 0, 2: 0xffff, 3: 1 });
  assert.equal(c.r[0], -1); assert.equal(c.r[1], -1);
  // carry out of the low word
  c = run(0xfbc20183, { 0: -1, 1: 0x7fffffff, 2: 1, 3: 1 });
  assert.equal(c.r[0], 0); assert.equal(u(c.r[1]), 0x80000000); assert.equal(c.q, 0);
  // smlald: 2 * 2^30 into the low word; smlsldx: swap and subtract
  c = run(0xfbc201c3, { 0: 0, 1: 0, 2: 0x80008000 | 0, 3: 0x80008000 | 0 });
  assert.equal(u(c.r[0]), 0x80000000); assert.equal(c.r[1], 0);
  c = run(0xfbd201d3, { 0: 0, 1: 0, 2: 0x00020003, 3: 0x00050007 });
  assert.equal(c.r[0], 1); assert.equal(c.r[1], 0);
  // umaal: 0xffffffff^2 + 2*0xffffffff = 2^64 - 1
  c = run(0xfbe20163, { 0: -1, 1: -1, 2: -1, 3: -1 });
  assert.equal(c.r[0], -1); assert.equal(c.r[1], -1);
});

test('encoding-space splits and UNPREDICTABLE marks', () => {
  const name = (w: number): string | undefined => table.decode32(w >>> 0)?.name;
  assert.equal(name(0xfa41f092), 'SXTAB T1');
  assert.equal(name(0xfa4ff092), 'SXTB T2', 'Rn = 1111 is the non-accumulating form');
  assert.equal(name(0xfb113002), 'SMLA<x><y> T1');
  assert.equal(name(0xfb11f002), 'SMUL<x><y> T1', 'Ra = 1111 is SMUL<x><y>');
  assert.equal(name(0xfb61f002), 'SMMLS T1', 'SMMLS has no Ra = 1111 alias');
  assert.equal(name(0xf3210000), 'SSAT16 T1', 'SSAT with ASR #0 is SSAT16');
  assert.equal(name(0xf3210040), 'SSAT T1');
  assert.equal(name(0xfa91f032), undefined, 'op2 = 11 of the parallel group is UNDEFINED');
  assert.equal(name(0xfb11f042), undefined, 'insn<7:6> != 00 in A5.3.16 is UNDEFINED');
  const unpred = (w: number): boolean => (table.decode32(w >>> 0) as InsnDef).unpredictable?.(w >>> 0) ?? false;
  assert.equal(unpred(0xfa91f002), false);
  assert.equal(unpred(0xfa91fd02), true, 'Rd = sp');
  assert.equal(unpred(0xfa9ff002), true, 'Rn = pc');
  assert.equal(unpred(0xfb61f002), true, 'SMMLS with Ra = pc');
  assert.equal(unpred(0xfb11d002), true, 'SMLABB with Ra = sp');
  assert.equal(unpred(0xfbc22283), true, 'SMLALBB with RdLo == RdHi');
  assert.equal(unpred(0xfa4ff0c1), true, 'SXTB with the (0) bit set');
  assert.equal(unpred(0xf7010087), true, 'SSAT with hw1<10> set');
});

// ---------------------------------------------------------------- disassembly

const EVERY_MNEMONIC = `
sadd16 r0, r1, r2
qasx r0, r1, r2
shsax r8, r9, r10
ssub16 r1, r2, r3
sadd8 r4, r5, r6
ssub8 r4, r5, r6
qadd16 r0, r1, r2
qsax r0, r1, r2
qsub16 r0, r1, r2
qadd8 r0, r1, r2
qsub8 r0, r1, r2
shadd16 r0, r1, r2
shasx r0, r1, r2
shsub16 r0, r1, r2
shadd8 r0, r1, r2
shsub8 r0, r1, r2
uadd16 r0, r1, r2
uasx r0, r1, r2
usax r0, r1, r2
usub16 r0, r1, r2
uadd8 r0, r1, r2
usub8 r0, r1, r2
uqadd16 r0, r1, r2
uqasx r0, r1, r2
uqsax r0, r1, r2
uqsub16 r0, r1, r2
uqadd8 r0, r1, r2
uqsub8 r0, r1, r2
uhadd16 r0, r1, r2
uhasx r0, r1, r2
uhsax r0, r1, r2
uhsub16 r0, r1, r2
uhadd8 r0, r1, r2
uhsub8 r12, r11, r10
sasx r0, r1, r2
ssax r0, r1, r2
qadd r0, r1, r2
qdadd r0, r1, r2
qsub r0, r1, r2
qdsub r0, r1, r2
ssat r0, #8, r1, lsl #2
ssat r0, #8, r1, asr #2
ssat r0, #1, r1
ssat r0, #32, r1, asr #31
usat r0, #0, r1
usat r0, #31, r1, asr #1
ssat16 r0, #16, r1
usat16 r0, #0, r1
sel r0, r1, r2
usad8 r0, r1, r2
usada8 r0, r1, r2, r3
pkhbt r0, r1, r2
pkhbt r0, r1, r2, lsl #3
pkhtb r0, r1, r2, asr #3
pkhtb r0, r1, r2, asr #32
sxtb.w r0, r1
sxtb r8, r9
sxtb r0, r1, ror #8
sxth r0, r1, ror #24
sxth.w r0, r1
uxtb.w r0, r1
uxth r0, r1, ror #16
sxtab r0, r1, r2, ror #8
sxtah r0, r1, r2
uxtab r0, r1, r2
uxtah r0, r1, r2, ror #24
sxtb16 r0, r1
sxtb16 r0, r1, ror #8
uxtb16 r0, r1
uxtb16 r0, r1, ror #24
sxtab16 r0, r1, r2
uxtab16 r0, r1, r2, ror #16
smlabb r0, r1, r2, r3
smlatb r0, r1, r2, r3
smlabt r0, r1, r2, r3
smlatt r0, r1, r2, r3
smlawb r0, r1, r2, r3
smlawt r0, r1, r2, r3
smulbb r0, r1, r2
smulbt r0, r1, r2
smultb r0, r1, r2
smultt r0, r1, r2
smulwb r0, r1, r2
smulwt r0, r1, r2
smlad r0, r1, r2, r3
smladx r0, r1, r2, r3
smlsd r0, r1, r2, r3
smlsdx r0, r1, r2, r3
smuad r0, r1, r2
smuadx r0, r1, r2
smusd r0, r1, r2
smusdx r0, r1, r2
smmla r0, r1, r2, r3
smmlar r0, r1, r2, r3
smmls r0, r1, r2, r3
smmlsr r0, r1, r2, r3
smmul r0, r1, r2
smmulr r0, r1, r2
smlalbb r0, r1, r2, r3
smlaltb r0, r1, r2, r3
smlalbt r0, r1, r2, r3
smlaltt r0, r1, r2, r3
smlald r0, r1, r2, r3
smlaldx r0, r1, r2, r3
smlsld r0, r1, r2, r3
smlsldx r0, r1, r2, r3
umaal r0, r1, r2, r3
it eq
sadd8eq r0, r1, r2
ite ne
smlabbne r0, r1, r2, r3
ssateq r0, #3, r1
it ge
sxtbge r0, r1, ror #8
itt lt
pkhtblt r0, r1, r2, asr #32
umaallt r0, r1, r2, r3
`;

test('disassembly matches objdump for every DSP mnemonic, in and out of IT blocks', () => {
  const dumped = assemble(EVERY_MNEMONIC);
  const lines = EVERY_MNEMONIC.trim().split('\n').filter((l) => !/^it/.test(l));
  assert.equal(dumped.length, lines.length, 'one 32-bit instruction per source line');
  const seen = new Set<string>();
  for (const d of dumped) {
    const def = table.decode32(d.word);
    assert.ok(def !== undefined, `0x${d.word.toString(16)} (${d.text}) does not decode`);
    assert.equal(def.disasm(d.word, CODE, d.itCond), d.text, `0x${d.word.toString(16)}`);
    seen.add(def.name);
  }
  const missing = dspDefs.filter((d) => !seen.has(d.name)).map((d) => d.name);
  assert.deepEqual(missing, [], 'every table entry is exercised by the mnemonic list');
});

test('disassembly matches objdump for random valid encodings of every entry', () => {
  const next = rng(0x5eed1);
  const words: number[] = [];
  for (const def of dspDefs) for (let i = 0; i < 24; i++) words.push(randomEncoding(def, next));
  const dumped = assemble(words.map((w) => `.inst.w 0x${w.toString(16)}`).join('\n'));
  assert.equal(dumped.length, words.length);
  for (let i = 0; i < words.length; i++) {
    assert.equal(dumped[i].word, words[i]);
    const def = table.decode32(words[i]) as InsnDef;
    assert.equal(def.disasm(words[i], CODE, -1), dumped[i].text, `0x${words[i].toString(16)} (${def.name})`);
  }
});

// ---------------------------------------------------------------- differential check against Unicorn

const PYTHON = '/usr/bin/python3';

/** Reads [[word, [r0..r12, lr], apsr], ...] as JSON on stdin; writes [[r0..r12, lr], apsr] per case. */
const UNICORN_SCRIPT = `
import sys, json, struct
from unicorn import Uc, UC_ARCH_ARM, UC_MODE_THUMB
from unicorn.arm_const import *
uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB)
uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_M4)
uc.mem_map(0, 0x10000)
regs = [UC_ARM_REG_R0 + i for i in range(13)] + [UC_ARM_REG_LR]
out = []
for w, rv, apsr in json.load(sys.stdin):
    uc.mem_write(0x1000, struct.pack('<HH', w >> 16, w & 0xffff))
    for r, v in zip(regs, rv):
        uc.reg_write(r, v)
    uc.reg_write(UC_ARM_REG_APSR_NZCVQG, apsr)
    uc.emu_start(0x1001, 0x1004, count=1)
    out.append([[uc.reg_read(r) for r in regs], uc.reg_read(UC_ARM_REG_APSR)])
json.dump(out, sys.stdout)
`;

const EDGE_HALVES = [0, 1, 0x7fff, 0x8000, 0xffff, 0x7f80, 0x807f, 0x00ff, 0xff00, 0xfffe, 0x8001];

const EDGE_WORDS = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0x40000000, 0xc0000000];

function randomValue(next: () => number): number {
  const k = next() % 6;
  if (k === 0) return next() >>> 0;
  if (k === 1) return EDGE_WORDS[next() % EDGE_WORDS.length];
  const h = (): number => (next() % 3 === 0 ? next() & 0xffff : EDGE_HALVES[next() % EDGE_HALVES.length]);
  return ((h() << 16) | h()) >>> 0;
}

test('random encodings and operands agree with Unicorn (Cortex-M4)', { timeout: 120_000 }, (t) => {
  if (!existsSync(PYTHON)) { t.skip(`${PYTHON} not installed`); return; }
  const next = rng(0xd5b0);
  const cases: [number, number[], number][] = [];
  const owners: InsnDef[] = [];
  for (const def of dspDefs) {
    for (let i = 0; i < 150; i++) {
      const w = randomEncoding(def, next);
      const regs: number[] = [];
      for (let r = 0; r < 14; r++) regs.push(randomValue(next)); // r0-r12 and lr (index 13)
      // Random NZCVQ and GE, so sticky Q and GE pass-through are checked too.
      const apsr = ((next() & 0xf8000000) | (next() & 0x000f0000)) >>> 0;
      cases.push([w, regs, apsr]);
      owners.push(def);
    }
  }
  const py = spawnSync(PYTHON, ['-c', UNICORN_SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(py.status, 0, `unicorn script failed: ${py.stderr}`);
  const results = JSON.parse(py.stdout) as [number[], number][];
  assert.equal(results.length, cases.length);
  const failures: string[] = [];
  for (let i = 0; i < cases.length; i++) {
    const [w, regs, apsr] = cases[i];
    const init: Record<number, number> = {};
    regs.forEach((v, r) => { init[r === 13 ? 14 : r] = v | 0; });
    const c = run(w, init, apsr);
    const got = [...c.r.slice(0, 13), c.r[14]].map((v) => v >>> 0);
    const [want, wantApsr] = results[i];
    const gotApsr = c.getApsr() >>> 0;
    if (got.some((v, r) => v !== want[r]) || (gotApsr & 0xf80f0000) !== (wantApsr & 0xf80f0000 | 0)) {
      const diff = got.map((v, r) => (v !== want[r] ? `${r === 13 ? 'lr' : 'r' + r}=0x${v.toString(16)} want 0x${want[r].toString(16)}` : '')).filter((s) => s);
      failures.push(`${owners[i].name} 0x${w.toString(16)} regs=[${regs.map((v) => v.toString(16)).join(',')}] apsr=0x${apsr.toString(16)}: ` +
        `${diff.join(' ')} apsr=0x${gotApsr.toString(16)} want 0x${((wantApsr & 0xf80f0000) >>> 0).toString(16)}`);
    }
  }
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${cases.length} cases differ`);
});
