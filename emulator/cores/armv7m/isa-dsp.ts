// The ARMv7E-M DSP extension (Cortex-M4) as InsnDef table entries: parallel add/subtract,
// saturating arithmetic, packing, extend-and-add, and the halfword/dual/most-significant-word
// multiplies (ARM ARM DDI0403E A5.3.3, A5.3.11-A5.3.17, A7.7). 64-bit results are built
// from exact 16-bit partial products, so nothing here allocates or uses BigInt.
import type { CortexM } from './cpu';
import type { InsnDef } from './insn';
import { condSuffix, regName } from './disasm-util';

// ---------------------------------------------------------------- fields and helpers

const rn = (w: number): number => (w >>> 16) & 15;
const rd = (w: number): number => (w >>> 8) & 15;
const rm = (w: number): number => w & 15;
const ra = (w: number): number => (w >>> 12) & 15;
/** Registers that are UNPREDICTABLE as operands of these encodings (BadReg, A7.7). */
const bad = (x: number): boolean => x === 13 || x === 15;
const bad3 = (w: number): boolean => bad(rd(w)) || bad(rn(w)) || bad(rm(w));

const TWO32 = 4294967296;

/** Mnemonic with the IT condition before any '.w' qualifier, as objdump prints it ('sxtbge.w'). */
function mnem(base: string, itCond: number, wide = false): string {
  return base + condSuffix(itCond) + (wide ? '.w' : '');
}

/** Set by satS/satU: 1 when the last call saturated (the caller ORs it into APSR.Q). */
let satHit = 0;

/** SignedSatQ(x, n) (A2.2.3) for an exact integer x (a double up to 2^53) and 1 <= n <= 32. */
function satS(x: number, n: number): number {
  const lim = POW2[n - 1];
  if (x >= lim) { satHit = 1; return lim - 1; }
  if (x < -lim) { satHit = 1; return -lim; }
  satHit = 0;
  return x;
}

/** UnsignedSatQ(x, n) (A2.2.3) for 0 <= n <= 31. */
function satU(x: number, n: number): number {
  const lim = POW2[n];
  if (x >= lim) { satHit = 1; return lim - 1; }
  if (x < 0) { satHit = 1; return 0; }
  satHit = 0;
  return x;
}

const POW2 = new Float64Array(34);
for (let i = 0; i < 34; i++) POW2[i] = 2 ** i;

/** High word (int32 view) of the last mul64s/mul64u product. */
let mulHi = 0;

/**
 * Unsigned 32x32->64 multiply from 16-bit halves: every partial sum stays below 2^34,
 * so the doubles are exact. Returns the low word (int32 view); the high word goes to mulHi.
 */
function mul64u(a: number, b: number): number {
  const au = a >>> 0, bu = b >>> 0;
  const al = au & 0xffff, ah = au >>> 16, bl = bu & 0xffff, bh = bu >>> 16;
  const cross = ah * bl + al * bh;
  const t = al * bl + (cross % 65536) * 65536;
  mulHi = (ah * bh + Math.floor(cross / 65536) + Math.floor(t / TWO32)) | 0;
  return t | 0;
}

/**
 * Signed 32x32->64 multiply. The signed high word is the unsigned one minus b when a is
 * negative and minus a when b is negative (two's complement reinterpretation mod 2^64).
 */
function mul64s(a: number, b: number): number {
  const lo = mul64u(a, b);
  let hi = mulHi;
  if (a < 0) hi -= b;
  if (b < 0) hi -= a;
  mulHi = hi | 0;
  return lo;
}

/** R[dHi]:R[dLo] += s, for an exact integer s with |s| < 2^52; wraps mod 2^64 like the pseudocode. */
function acc64(cpu: CortexM, dLo: number, dHi: number, s: number): void {
  const r = cpu.r;
  const t = (r[dLo] >>> 0) + s;
  const lo = t >>> 0;
  r[dHi] = (r[dHi] + (t - lo) / TWO32) | 0;
  r[dLo] = lo;
}

function ror32(x: number, n: number): number {
  return n === 0 ? x | 0 : (x >>> n) | (x << (32 - n));
}

// ---------------------------------------------------------------- parallel add/subtract (A5.3.13, A5.3.14)

/**
 * insn<6:4> selects the prefix: 0 S, 1 Q, 2 SH, 4 U, 5 UQ, 6 UH. Only the S and U forms
 * write GE (A7.7.x SADD16 etc.); Q/UQ saturate per lane without touching APSR.Q.
 */
const P_S = 0, P_Q = 1, P_U = 4, P_UQ = 5;

/** GE result of the last lane() (1 or 0). */
let laneGe = 0;

/** One lane of a parallel operation; x and y are the raw lane bits (unsigned). */
function lane(kind: number, x: number, y: number, sub: boolean, width: number): number {
  const mask = width === 16 ? 0xffff : 0xff;
  const sh = 32 - width;
  const unsigned = (kind & 4) !== 0;
  const a = unsigned ? x : (x << sh) >> sh;
  const b = unsigned ? y : (y << sh) >> sh;
  const r = sub ? a - b : a + b;
  switch (kind) {
    case P_S: laneGe = r >= 0 ? 1 : 0; return r & mask;
    case P_U: laneGe = (sub ? r >= 0 : r > mask) ? 1 : 0; return r & mask;
    case P_Q: { const lim = width === 16 ? 0x8000 : 0x80; return (r >= lim ? lim - 1 : r < -lim ? -lim : r) & mask; }
    case P_UQ: return r > mask ? mask : r < 0 ? 0 : r;
    default: return (r >> 1) & mask; // SH/UH: halving takes bits <width:1> of the full sum
  }
}

/** ADD16/ASX/SAX/SUB16: `cross` pairs Rn's low half with Rm's high half (ASX/SAX). */
function par16(cpu: CortexM, w: number, loSub: boolean, hiSub: boolean, cross: boolean): void {
  const kind = (w >>> 4) & 7;
  const n = cpu.r[rn(w)], m = cpu.r[rm(w)];
  const mLo = cross ? m >>> 16 : m & 0xffff;
  const mHi = cross ? m & 0xffff : m >>> 16;
  const lo = lane(kind, n & 0xffff, mLo, loSub, 16);
  const geLo = laneGe;
  const hi = lane(kind, n >>> 16, mHi, hiSub, 16);
  cpu.r[rd(w)] = lo | (hi << 16);
  if ((kind & 3) === 0) cpu.ge = (geLo * 3) | (laneGe * 12);
}

function par8(cpu: CortexM, w: number, sub: boolean): void {
  const kind = (w >>> 4) & 7;
  const n = cpu.r[rn(w)], m = cpu.r[rm(w)];
  let res = 0, ge = 0;
  for (let i = 0; i < 32; i += 8) {
    res |= lane(kind, (n >>> i) & 0xff, (m >>> i) & 0xff, sub, 8) << i;
    ge |= laneGe << (i >> 3);
  }
  cpu.r[rd(w)] = res;
  if ((kind & 3) === 0) cpu.ge = ge;
}

const execAdd16 = (cpu: CortexM, w: number): void => par16(cpu, w, false, false, false);
const execAsx = (cpu: CortexM, w: number): void => par16(cpu, w, true, false, true);
const execSax = (cpu: CortexM, w: number): void => par16(cpu, w, false, true, true);
const execSub16 = (cpu: CortexM, w: number): void => par16(cpu, w, true, true, false);
const execAdd8 = (cpu: CortexM, w: number): void => par8(cpu, w, false);
const execSub8 = (cpu: CortexM, w: number): void => par8(cpu, w, true);

const PREFIXES: ReadonlyArray<readonly [string, number]> = [['s', 0], ['q', 1], ['sh', 2], ['u', 4], ['uq', 5], ['uh', 6]];
const PAR_OPS: ReadonlyArray<readonly [string, number, (cpu: CortexM, w: number) => void]> = [
  ['add8', 0, execAdd8], ['add16', 1, execAdd16], ['asx', 2, execAsx],
  ['sub8', 4, execSub8], ['sub16', 5, execSub16], ['sax', 6, execSax],
];

function dis3(base: string): (w: number, pc: number, itCond: number) => string {
  return (w, _pc, itCond) => `${mnem(base, itCond)} ${regName(rd(w))}, ${regName(rn(w))}, ${regName(rm(w))}`;
}

function parallelDefs(): InsnDef[] {
  const out: InsnDef[] = [];
  for (const [pfx, p] of PREFIXES) {
    for (const [op, op1, exec] of PAR_OPS) {
      // 1111 1010 1 op1 Rn | 1111 Rd 0 U kind Rm
      out.push({
        name: `${(pfx + op).toUpperCase()} T1`, size: 4, mask: 0xfff0f0f0, match: (0xfa80f000 | (op1 << 20) | (p << 4)) >>> 0,
        unpredictable: bad3, cls: 'dsp', exec, disasm: dis3(pfx + op),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- saturating arithmetic (A5.3.15, A5.3.3)

/** QADD/QSUB/QDADD/QDSUB: insn<5> subtracts, insn<4> doubles Rn first (A7.7.91..A7.7.99). */
function execQArith(cpu: CortexM, w: number): void {
  const r = cpu.r;
  let q = 0;
  let y = r[rn(w)];
  if ((w & 0x10) !== 0) { y = satS(2 * y, 32); q = satHit; }
  const x = r[rm(w)];
  const res = satS((w & 0x20) !== 0 ? x - y : x + y, 32);
  r[rd(w)] = res;
  if ((q | satHit) !== 0) cpu.q = 1;
}

/** SSAT/USAT (A7.7.143, A7.7.200): insn<21> is sh (ASR), the shift is imm3:imm2, the bit width insn<4:0>. */
function satOperand(cpu: CortexM, w: number): number {
  const amt = ((w >>> 10) & 0x1c) | ((w >>> 6) & 3);
  const v = cpu.r[rn(w)];
  return (w & 0x200000) !== 0 ? v >> amt : v << amt;
}
function execSsat(cpu: CortexM, w: number): void {
  cpu.r[rd(w)] = satS(satOperand(cpu, w), (w & 31) + 1);
  if (satHit !== 0) cpu.q = 1;
}
function execUsat(cpu: CortexM, w: number): void {
  cpu.r[rd(w)] = satU(satOperand(cpu, w), w & 31);
  if (satHit !== 0) cpu.q = 1;
}
function execSsat16(cpu: CortexM, w: number): void {
  const v = cpu.r[rn(w)];
  const n = (w & 15) + 1;
  const lo = satS((v << 16) >> 16, n);
  let q = satHit;
  const hi = satS(v >> 16, n);
  q |= satHit;
  cpu.r[rd(w)] = (lo & 0xffff) | (hi << 16);
  if (q !== 0) cpu.q = 1;
}
function execUsat16(cpu: CortexM, w: number): void {
  const v = cpu.r[rn(w)];
  const n = w & 15;
  const lo = satU((v << 16) >> 16, n);
  let q = satHit;
  const hi = satU(v >> 16, n);
  q |= satHit;
  cpu.r[rd(w)] = lo | (hi << 16);
  if (q !== 0) cpu.q = 1;
}

function disSat(base: string, signed: boolean, pair: boolean): (w: number, pc: number, itCond: number) => string {
  return (w, _pc, itCond) => {
    const width = pair ? (w & 15) + (signed ? 1 : 0) : (w & 31) + (signed ? 1 : 0);
    let s = `${mnem(base, itCond)} ${regName(rd(w))}, #${width}, ${regName(rn(w))}`;
    if (!pair) {
      const amt = ((w >>> 10) & 0x1c) | ((w >>> 6) & 3);
      if ((w & 0x200000) !== 0) s += `, asr #${amt}`;
      else if (amt !== 0) s += `, lsl #${amt}`;
    }
    return s;
  };
}

/** (0) bits of the saturate encodings: hw1<10> and hw2<5> (and hw2<4> for the 16-bit forms). */
const satUnpred = (pairMask: number) => (w: number): boolean => bad(rd(w)) || bad(rn(w)) || (w & (0x04000000 | pairMask)) !== 0;
const shiftIsZeroAsr = (w: number): boolean => (w & 0x200000) !== 0 && (w & 0x70c0) === 0;

// ---------------------------------------------------------------- SEL, USAD8, PKH (A7.7.122, A7.7.196, A7.7.86)

function execSel(cpu: CortexM, w: number): void {
  const n = cpu.r[rn(w)], m = cpu.r[rm(w)], ge = cpu.ge;
  let mask = 0;
  if ((ge & 1) !== 0) mask |= 0xff;
  if ((ge & 2) !== 0) mask |= 0xff00;
  if ((ge & 4) !== 0) mask |= 0xff0000;
  if ((ge & 8) !== 0) mask |= 0xff000000;
  cpu.r[rd(w)] = (n & mask) | (m & ~mask);
}

function execUsada8(cpu: CortexM, w: number): void {
  const n = cpu.r[rn(w)], m = cpu.r[rm(w)];
  const a = ra(w);
  let sum = a === 15 ? 0 : cpu.r[a];
  for (let i = 0; i < 32; i += 8) {
    const d = ((n >>> i) & 0xff) - ((m >>> i) & 0xff);
    sum += d < 0 ? -d : d;
  }
  cpu.r[rd(w)] = sum | 0;
}

/** PKHBT/PKHTB: insn<5> (tb) selects ASR and takes the top half from Rn; imm 0 with ASR means 32. */
function execPkh(cpu: CortexM, w: number): void {
  const amt = ((w >>> 10) & 0x1c) | ((w >>> 6) & 3);
  const n = cpu.r[rn(w)], m = cpu.r[rm(w)];
  if ((w & 0x20) !== 0) {
    const op2 = amt === 0 ? m >> 31 : m >> amt;
    cpu.r[rd(w)] = (n & 0xffff0000) | (op2 & 0xffff);
  } else {
    const op2 = m << amt;
    cpu.r[rd(w)] = (op2 & 0xffff0000) | (n & 0xffff);
  }
}

function disPkh(w: number, _pc: number, itCond: number): string {
  const amt = ((w >>> 10) & 0x1c) | ((w >>> 6) & 3);
  const tb = (w & 0x20) !== 0;
  let s = `${mnem(tb ? 'pkhtb' : 'pkhbt', itCond)} ${regName(rd(w))}, ${regName(rn(w))}, ${regName(rm(w))}`;
  if (tb) s += `, asr #${amt === 0 ? 32 : amt}`;
  else if (amt !== 0) s += `, lsl #${amt}`;
  return s;
}

// ---------------------------------------------------------------- extend and extend-add (A7.7.182.. A7.7.218)

/**
 * insn<22:20> selects the operation (A5.3.12): 0 SXTAH, 1 UXTAH, 2 SXTAB16, 3 UXTAB16,
 * 4 SXTAB, 5 UXTAB. Rn = 1111 means no accumulate (SXTH etc.). Rotation is insn<5:4> * 8.
 */
function execExtend(cpu: CortexM, w: number): void {
  const v = ror32(cpu.r[rm(w)], (w >>> 1) & 0x18);
  const n = rn(w);
  const acc = n === 15 ? 0 : cpu.r[n];
  let res: number;
  switch ((w >>> 20) & 7) {
    case 0: res = acc + ((v << 16) >> 16); break;
    case 1: res = acc + (v & 0xffff); break;
    case 2: res = (((acc + ((v << 24) >> 24)) & 0xffff) | ((acc >>> 16) + ((v << 8) >> 24)) << 16); break;
    case 3: res = (((acc + (v & 0xff)) & 0xffff) | ((acc >>> 16) + ((v >>> 16) & 0xff)) << 16); break;
    case 4: res = acc + ((v << 24) >> 24); break;
    default: res = acc + (v & 0xff); break;
  }
  cpu.r[rd(w)] = res | 0;
}

const EXT_NAMES = ['sxtah', 'uxtah', 'sxtab16', 'uxtab16', 'sxtab', 'uxtab'];
const EXT_PLAIN = ['sxth', 'uxth', 'sxtb16', 'uxtb16', 'sxtb', 'uxtb'];

function disExtend(w: number, _pc: number, itCond: number): string {
  const op = (w >>> 20) & 7;
  const n = rn(w);
  const rot = (w >>> 1) & 0x18;
  const suffix = rot === 0 ? '' : `, ror #${rot}`;
  if (n === 15) {
    // The byte/halfword forms have 16-bit encodings too, so objdump marks these '.w'.
    return `${mnem(EXT_PLAIN[op], itCond, op !== 2 && op !== 3)} ${regName(rd(w))}, ${regName(rm(w))}${suffix}`;
  }
  return `${mnem(EXT_NAMES[op], itCond)} ${regName(rd(w))}, ${regName(n)}, ${regName(rm(w))}${suffix}`;
}

function extendDefs(): InsnDef[] {
  const out: InsnDef[] = [];
  for (let op = 0; op < 6; op++) {
    const base = (0xfa00f080 | (op << 20)) >>> 0;
    // 1111 1010 0 op Rn | 1111 Rd 1 (0) rot Rm
    out.push({
      name: `${EXT_NAMES[op].toUpperCase()} T1`, size: 4, mask: 0xfff0f080, match: base,
      when: (w) => rn(w) !== 15,
      unpredictable: (w) => bad3(w) || (w & 0x40) !== 0,
      cls: 'dsp', exec: execExtend, disasm: disExtend,
    });
    out.push({
      name: `${EXT_PLAIN[op].toUpperCase()} ${op === 2 || op === 3 ? 'T1' : 'T2'}`, size: 4, mask: 0xffff_f080, match: (base | 0x000f0000) >>> 0,
      unpredictable: (w) => bad(rd(w)) || bad(rm(w)) || (w & 0x40) !== 0,
      cls: 'dsp', exec: execExtend, disasm: disExtend,
    });
  }
  return out;
}

// ---------------------------------------------------------------- multiplies (A5.3.16, A5.3.17)

/** Halfword of x selected by `top` as a signed 16-bit value. */
function half(x: number, top: number): number {
  return top !== 0 ? x >> 16 : (x << 16) >> 16;
}

/** SMLA<x><y> / SMUL<x><y>: N = insn<5>, M = insn<4>; Q on accumulate overflow only. */
function execSmlaxy(cpu: CortexM, w: number): void {
  const p = half(cpu.r[rn(w)], w & 0x20) * half(cpu.r[rm(w)], w & 0x10);
  const a = ra(w);
  if (a === 15) { cpu.r[rd(w)] = p; return; }
  const res = p + cpu.r[a];
  cpu.r[rd(w)] = res;
  if ((res | 0) !== res) cpu.q = 1;
}

/** SMLAW<y> / SMULW<y>: bits <47:16> of Rn * half(Rm) (+ Ra << 16). Exact: |sum| < 2^48. */
function execSmlawy(cpu: CortexM, w: number): void {
  const a = ra(w);
  const p = cpu.r[rn(w)] * half(cpu.r[rm(w)], w & 0x10) + (a === 15 ? 0 : cpu.r[a] * 65536);
  const res = Math.floor(p / 65536);
  cpu.r[rd(w)] = res;
  if ((res | 0) !== res) cpu.q = 1;
}

/** SMLAD(X)/SMUAD(X) and SMLSD(X)/SMUSD(X): insn<4> swaps Rm's halves; insn<22> subtracts. */
function execSmlad(cpu: CortexM, w: number): void {
  const n = cpu.r[rn(w)];
  let m = cpu.r[rm(w)];
  if ((w & 0x10) !== 0) m = ror32(m, 16);
  const p1 = ((n << 16) >> 16) * ((m << 16) >> 16);
  const p2 = (n >> 16) * (m >> 16);
  const a = ra(w);
  const res = ((w & 0x400000) !== 0 ? p1 - p2 : p1 + p2) + (a === 15 ? 0 : cpu.r[a]);
  cpu.r[rd(w)] = res;
  if ((res | 0) !== res) cpu.q = 1;
}

/** SMMLA(R)/SMMUL(R)/SMMLS(R): top word of (Ra << 32) +/- Rn*Rm, +0x80000000 when insn<4> (R). */
function execSmmla(cpu: CortexM, w: number): void {
  const lo = mul64s(cpu.r[rn(w)], cpu.r[rm(w)]) >>> 0;
  const round = (w & 0x10) !== 0 ? 0x80000000 : 0;
  const a = ra(w);
  const acc = a === 15 ? 0 : cpu.r[a];
  let hi: number;
  if ((w & 0x200000) !== 0) {
    // SMMLS: (acc - mulHi) * 2^32 + (round - lo), and round - lo lies in (-2^32, 2^31].
    hi = acc - mulHi + (round - lo < 0 ? -1 : 0);
  } else {
    hi = acc + mulHi + (lo + round >= TWO32 ? 1 : 0);
  }
  cpu.r[rd(w)] = hi | 0;
}

/** Long multiplies: RdLo = insn<15:12>, RdHi = insn<11:8>. */
const rdLo = ra;
const rdHi = rd;
const badLong = (w: number): boolean => bad(rdLo(w)) || bad(rdHi(w)) || bad(rn(w)) || bad(rm(w)) || rdLo(w) === rdHi(w);

/** SMLAL<x><y>: 64-bit accumulate of a 16x16 product (wraps mod 2^64, no Q). */
function execSmlalxy(cpu: CortexM, w: number): void {
  acc64(cpu, rdLo(w), rdHi(w), half(cpu.r[rn(w)], w & 0x20) * half(cpu.r[rm(w)], w & 0x10));
}

/** SMLALD(X) / SMLSLD(X): insn<20> subtracts the top product, insn<4> swaps Rm's halves. */
function execSmlald(cpu: CortexM, w: number): void {
  const n = cpu.r[rn(w)];
  let m = cpu.r[rm(w)];
  if ((w & 0x10) !== 0) m = ror32(m, 16);
  const p1 = ((n << 16) >> 16) * ((m << 16) >> 16);
  const p2 = (n >> 16) * (m >> 16);
  acc64(cpu, rdLo(w), rdHi(w), (w & 0x100000) !== 0 ? p1 - p2 : p1 + p2);
}

/** UMAAL: Rn*Rm + RdHi + RdLo, which always fits in 64 bits unsigned. */
function execUmaal(cpu: CortexM, w: number): void {
  const r = cpu.r;
  const dLo = rdLo(w), dHi = rdHi(w);
  const lo = mul64u(r[rn(w)], r[rm(w)]) >>> 0;
  const t = lo + (r[dLo] >>> 0) + (r[dHi] >>> 0);
  const tl = t >>> 0;
  r[dHi] = (mulHi + (t - tl) / TWO32) | 0;
  r[dLo] = tl;
}

const XY = ['bb', 'bt', 'tb', 'tt'];

function dis4(base: (w: number) => string, three: boolean): (w: number, pc: number, itCond: number) => string {
  return (w, _pc, itCond) => {
    const s = `${mnem(base(w), itCond)} ${regName(rd(w))}, ${regName(rn(w))}, ${regName(rm(w))}`;
    return three ? s : `${s}, ${regName(ra(w))}`;
  };
}
function disLong(base: (w: number) => string): (w: number, pc: number, itCond: number) => string {
  return (w, _pc, itCond) =>
    `${mnem(base(w), itCond)} ${regName(rdLo(w))}, ${regName(rdHi(w))}, ${regName(rn(w))}, ${regName(rm(w))}`;
}
/** XY suffix from N = insn<5>, M = insn<4>: objdump prints the Rn half first ('smlatb' = top of Rn). */
const xy = (w: number): string => XY[(w >>> 4) & 3];
const xSuffix = (w: number): string => ((w & 0x10) !== 0 ? 'x' : '');
const rSuffix = (w: number): string => ((w & 0x10) !== 0 ? 'r' : '');

const raNot15 = (w: number): boolean => ra(w) !== 15;
/** d, n, m BadReg, and Ra == 13 for the accumulating forms (Ra == 15 is the non-accumulating one). */
const badMul = (w: number): boolean => bad3(w) || ra(w) === 13;

/** Multiply-accumulate encodings of A5.3.16: 1111 1011 0 op1 Rn | Ra Rd 00 op2 Rm. */
function mulDefs(): InsnDef[] {
  const d = (name: string, mask: number, match: number, exec: (cpu: CortexM, w: number) => void,
    disasm: (w: number, pc: number, itCond: number) => string, when?: (w: number) => boolean,
    unpredictable: (w: number) => boolean = badMul): InsnDef =>
    ({ name, size: 4, mask: mask >>> 0, match: match >>> 0, when, unpredictable, cls: 'dsp', exec, disasm });
  return [
    d('SMLA<x><y> T1', 0xfff000c0, 0xfb100000, execSmlaxy, dis4((w) => 'smla' + xy(w), false), raNot15),
    d('SMUL<x><y> T1', 0xfff0f0c0, 0xfb10f000, execSmlaxy, dis4((w) => 'smul' + xy(w), true), undefined, bad3),
    d('SMLAD T1', 0xfff000e0, 0xfb200000, execSmlad, dis4((w) => 'smlad' + xSuffix(w), false), raNot15),
    d('SMUAD T1', 0xfff0f0e0, 0xfb20f000, execSmlad, dis4((w) => 'smuad' + xSuffix(w), true), undefined, bad3),
    d('SMLAW<y> T1', 0xfff000e0, 0xfb300000, execSmlawy, dis4((w) => (w & 0x10 ? 'smlawt' : 'smlawb'), false), raNot15),
    d('SMULW<y> T1', 0xfff0f0e0, 0xfb30f000, execSmlawy, dis4((w) => (w & 0x10 ? 'smulwt' : 'smulwb'), true), undefined, bad3),
    d('SMLSD T1', 0xfff000e0, 0xfb400000, execSmlad, dis4((w) => 'smlsd' + xSuffix(w), false), raNot15),
    d('SMUSD T1', 0xfff0f0e0, 0xfb40f000, execSmlad, dis4((w) => 'smusd' + xSuffix(w), true), undefined, bad3),
    d('SMMLA T1', 0xfff000e0, 0xfb500000, execSmmla, dis4((w) => 'smmla' + rSuffix(w), false), raNot15),
    d('SMMUL T1', 0xfff0f0e0, 0xfb50f000, execSmmla, dis4((w) => 'smmul' + rSuffix(w), true), undefined, bad3),
    // SMMLS has no non-accumulating form: Ra = 1111 is UNPREDICTABLE (A7.7.130).
    d('SMMLS T1', 0xfff000e0, 0xfb600000, execSmmla, dis4((w) => 'smmls' + rSuffix(w), false), undefined,
      (w) => bad3(w) || bad(ra(w))),
    d('USADA8 T1', 0xfff000f0, 0xfb700000, execUsada8, dis4(() => 'usada8', false), raNot15),
    d('USAD8 T1', 0xfff0f0f0, 0xfb70f000, execUsada8, dis4(() => 'usad8', true), undefined, bad3),
    // Long multiplies, A5.3.17: 1111 1011 1 op1 Rn | RdLo RdHi op2 Rm.
    d('SMLAL<x><y> T1', 0xfff000c0, 0xfbc00080, execSmlalxy, disLong((w) => 'smlal' + xy(w)), undefined, badLong),
    d('SMLALD T1', 0xfff000e0, 0xfbc000c0, execSmlald, disLong((w) => 'smlald' + xSuffix(w)), undefined, badLong),
    d('SMLSLD T1', 0xfff000e0, 0xfbd000c0, execSmlald, disLong((w) => 'smlsld' + xSuffix(w)), undefined, badLong),
    d('UMAAL T1', 0xfff000f0, 0xfbe00060, execUmaal, disLong(() => 'umaal'), undefined, badLong),
  ];
}

// ---------------------------------------------------------------- the table

function qDis(base: string): (w: number, pc: number, itCond: number) => string {
  // QADD Rd, Rm, Rn: the operand order is swapped relative to the encoding fields.
  return (w, _pc, itCond) => `${mnem(base, itCond)} ${regName(rd(w))}, ${regName(rm(w))}, ${regName(rn(w))}`;
}

export const dspDefs: InsnDef[] = [
  ...parallelDefs(),
  // Miscellaneous operations, A5.3.15: 1111 1010 10 op1 Rn | 1111 Rd 10 op2 Rm
  { name: 'QADD T1', size: 4, mask: 0xfff0f0f0, match: 0xfa80f080, unpredictable: bad3, cls: 'dsp', exec: execQArith, disasm: qDis('qadd') },
  { name: 'QDADD T1', size: 4, mask: 0xfff0f0f0, match: 0xfa80f090, unpredictable: bad3, cls: 'dsp', exec: execQArith, disasm: qDis('qdadd') },
  { name: 'QSUB T1', size: 4, mask: 0xfff0f0f0, match: 0xfa80f0a0, unpredictable: bad3, cls: 'dsp', exec: execQArith, disasm: qDis('qsub') },
  { name: 'QDSUB T1', size: 4, mask: 0xfff0f0f0, match: 0xfa80f0b0, unpredictable: bad3, cls: 'dsp', exec: execQArith, disasm: qDis('qdsub') },
  { name: 'SEL T1', size: 4, mask: 0xfff0f0f0, match: 0xfaa0f080, unpredictable: bad3, cls: 'dsp', exec: execSel, disasm: dis3('sel') },
  // Plain binary immediate, A5.3.3: 1111 0(0)11 00sh 0 Rn | 0 imm3 Rd imm2 (0) sat_imm; sh=1 with a zero shift is SSAT16.
  {
    name: 'SSAT T1', size: 4, mask: 0xfbd08000, match: 0xf3000000, when: (w) => !shiftIsZeroAsr(w),
    unpredictable: satUnpred(0x20), cls: 'dsp', exec: execSsat, disasm: disSat('ssat', true, false),
  },
  {
    name: 'USAT T1', size: 4, mask: 0xfbd08000, match: 0xf3800000, when: (w) => !shiftIsZeroAsr(w),
    unpredictable: satUnpred(0x20), cls: 'dsp', exec: execUsat, disasm: disSat('usat', false, false),
  },
  // 1111 0(0)11 0010 Rn | 0000 Rd 00(0)(0) sat_imm
  {
    name: 'SSAT16 T1', size: 4, mask: 0xfbf0f0c0, match: 0xf3200000,
    unpredictable: satUnpred(0x30), cls: 'dsp', exec: execSsat16, disasm: disSat('ssat16', true, true),
  },
  {
    name: 'USAT16 T1', size: 4, mask: 0xfbf0f0c0, match: 0xf3a00000,
    unpredictable: satUnpred(0x30), cls: 'dsp', exec: execUsat16, disasm: disSat('usat16', false, true),
  },
  // Shifted register, A5.3.11: 1110 1010 1100 Rn | (0) imm3 Rd imm2 tb 0 Rm
  {
    name: 'PKHBT/PKHTB T1', size: 4, mask: 0xfff00010, match: 0xeac00000,
    unpredictable: (w) => bad3(w) || (w & 0x8000) !== 0, cls: 'dsp', exec: execPkh, disasm: disPkh,
  },
  ...extendDefs(),
  ...mulDefs(),
];
