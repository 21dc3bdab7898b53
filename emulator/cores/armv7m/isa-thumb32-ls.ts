// The 32-bit Thumb-2 loads and stores of ARMv7-M (ARM ARM DDI0403E A5.3.5-A5.3.10):
// LDM/STM/LDMDB/STMDB, LDRD/STRD, the exclusives, TBB/TBH, and the single loads/stores
// with imm12, imm8 (offset/pre/post/unprivileged), literal and register offsets, PLD/PLI.
import { CFSR_UNALIGNED, type CortexM } from './cpu';
import type { InsnDef } from './insn';
import { regName as R, regList, condSuffix, fmt } from './disasm-util';
import { ldmCore } from './isa-thumb16';

const bad = (r: number) => r === 13 || r === 15;
const rn = (w: number) => (w >>> 16) & 15;
const rt = (w: number) => (w >>> 12) & 15;

function popcount16(x: number): number {
  let n = 0;
  for (let i = 0; i < 16; i++) n += (x >> i) & 1;
  return n;
}

// ---------------------------------------------------------------- A5.3.5 load/store multiple

/** LDM/LDMIA.W, LDMDB, STM/STMIA.W, STMDB (incl. PUSH.W/POP.W): 1110 100o o0WL nnnn | list. */
function execLdmStm(cpu: CortexM, w: number): void {
  const n = rn(w);
  const list = w & 0xffff;
  const inc = (w >>> 23) & 1;
  const wback = ((w >>> 21) & 1) === 1;
  const base = cpu.r[n];
  const bytes = popcount16(list) << 2;
  const start = inc ? base : (base - bytes) | 0;
  const newBase = inc ? (base + bytes) | 0 : start;
  if ((w >>> 20) & 1) {
    ldmCore(cpu, list, n, wback, start, newBase);
    return;
  }
  let a = start;
  for (let k = 0; k < 15; k++) {
    if ((list >> k) & 1) { cpu.write32Aligned(a, cpu.r[k]); a = (a + 4) | 0; }
  }
  if (wback) cpu.r[n] = newBase;
}
function disLdmStm(w: number, _pc: number, it: number): string {
  const n = rn(w);
  const inc = (w >>> 23) & 1;
  const load = (w >>> 20) & 1;
  const name = (load ? 'ldm' : 'stm') + (inc ? 'ia' : 'db') + condSuffix(it) + (inc ? '.w' : '');
  return fmt(name, `${R(n)}${(w >>> 21) & 1 ? '!' : ''}, ${regList(w & 0xffff)}`);
}
function unpredLdmStm(w: number): boolean {
  const n = rn(w);
  const list = w & 0xffff;
  const load = (w >>> 20) & 1;
  if (n === 15 || popcount16(list) < 2 || (list & 0x2000) !== 0) return true;
  if (load ? (list & 0xc000) === 0xc000 : (list & 0x8000) !== 0) return true;
  return ((w >>> 21) & 1) === 1 && ((list >> n) & 1) === 1;
}

// ---------------------------------------------------------------- A5.3.6 dual, exclusive, table branch

function execLdrdStrd(cpu: CortexM, w: number): void {
  const n = rn(w), t = rt(w), t2 = (w >>> 8) & 15;
  const imm = (w & 0xff) << 2;
  const base = n === 15 ? cpu.r[15] & ~3 : cpu.r[n];
  const off = (w >>> 23) & 1 ? (base + imm) | 0 : (base - imm) | 0;
  const a = (w >>> 24) & 1 ? off : base;
  const wback = ((w >>> 21) & 1) === 1;
  if ((w >>> 20) & 1) {
    const v1 = cpu.read32Aligned(a);
    const v2 = cpu.read32Aligned((a + 4) | 0);
    if (wback) cpu.r[n] = off;
    cpu.r[t] = v1;
    cpu.r[t2] = v2;
  } else {
    cpu.write32Aligned(a, cpu.r[t]);
    cpu.write32Aligned((a + 4) | 0, cpu.r[t2]);
    if (wback) cpu.r[n] = off;
  }
}
/** '[rn, #off]', '[rn, #off]!', '[rn], #off' as objdump prints an imm8 addressing mode. */
function addrImm(n: number, p: number, u: number, wb: number, imm: number): string {
  const off = `#${u ? '' : '-'}${imm}`;
  if (!p) return `[${R(n)}], ${off}`;
  if (!wb && imm === 0 && u) return `[${R(n)}]`;
  return `[${R(n)}, ${off}]${wb ? '!' : ''}`;
}
function disLdrdStrd(w: number, _pc: number, it: number): string {
  const name = ((w >>> 20) & 1 ? 'ldrd' : 'strd') + condSuffix(it);
  return fmt(name, `${R(rt(w))}, ${R((w >>> 8) & 15)}, ${addrImm(rn(w), (w >>> 24) & 1, (w >>> 23) & 1, (w >>> 21) & 1, (w & 0xff) << 2)}`);
}
function unpredLdrdStrd(w: number): boolean {
  const n = rn(w), t = rt(w), t2 = (w >>> 8) & 15;
  const wback = ((w >>> 21) & 1) === 1;
  if (wback && (n === t || n === t2)) return true;
  if ((w >>> 20) & 1) return (n === 15 && wback) || bad(t) || bad(t2) || t === t2;
  return n === 15 || bad(t) || bad(t2);
}

/** ExclusiveMonitorsPass (A3.4.5): alignment is checked first; the local monitor then opens. */
function exclusivePass(cpu: CortexM, a: number, size: number): boolean {
  if ((a & (size - 1)) !== 0) cpu.abort(CFSR_UNALIGNED, a);
  const pass = cpu.exclusiveAddr === a >>> 0;
  cpu.exclusiveAddr = -1;
  return pass;
}
function execStrex(cpu: CortexM, w: number): void {
  const a = (cpu.r[rn(w)] + ((w & 0xff) << 2)) | 0;
  const d = (w >>> 8) & 15;
  if (exclusivePass(cpu, a, 4)) { cpu.write32Aligned(a, cpu.r[rt(w)]); cpu.r[d] = 0; } else cpu.r[d] = 1;
}
function execLdrex(cpu: CortexM, w: number): void {
  const a = (cpu.r[rn(w)] + ((w & 0xff) << 2)) | 0;
  const v = cpu.read32Aligned(a);
  cpu.exclusiveAddr = a >>> 0;
  cpu.r[rt(w)] = v;
}
function exOff(w: number): string { const o = (w & 0xff) << 2; return o === 0 ? '' : `, #${o}`; }
function disStrex(w: number, _pc: number, it: number): string {
  return fmt('strex' + condSuffix(it), `${R((w >>> 8) & 15)}, ${R(rt(w))}, [${R(rn(w))}${exOff(w)}]`);
}
function disLdrex(w: number, _pc: number, it: number): string {
  return fmt('ldrex' + condSuffix(it), `${R(rt(w))}, [${R(rn(w))}${exOff(w)}]`);
}
function execStrexbh(cpu: CortexM, w: number): void {
  const a = cpu.r[rn(w)];
  const half = (w >>> 4) & 1;
  const d = w & 15;
  if (exclusivePass(cpu, a, half ? 2 : 1)) {
    if (half) cpu.write16Aligned(a, cpu.r[rt(w)]); else cpu.write8(a, cpu.r[rt(w)]);
    cpu.r[d] = 0;
  } else cpu.r[d] = 1;
}
function execLdrexbh(cpu: CortexM, w: number): void {
  const a = cpu.r[rn(w)];
  const v = (w >>> 4) & 1 ? cpu.read16Aligned(a) : cpu.read8(a);
  cpu.exclusiveAddr = a >>> 0;
  cpu.r[rt(w)] = v;
}
function disStrexbh(w: number, _pc: number, it: number): string {
  return fmt(((w >>> 4) & 1 ? 'strexh' : 'strexb') + condSuffix(it), `${R(w & 15)}, ${R(rt(w))}, [${R(rn(w))}]`);
}
function disLdrexbh(w: number, _pc: number, it: number): string {
  return fmt(((w >>> 4) & 1 ? 'ldrexh' : 'ldrexb') + condSuffix(it), `${R(rt(w))}, [${R(rn(w))}]`);
}
function execTbb(cpu: CortexM, w: number): void {
  const base = cpu.r[rn(w)];
  const m = cpu.r[w & 15];
  const halfwords = (w >>> 4) & 1 ? cpu.read16((base + (m << 1)) | 0) : cpu.read8((base + m) | 0);
  cpu.branchWritePC(cpu.r[15] + (halfwords << 1));
}
function disTbb(w: number, _pc: number, it: number): string {
  const h = (w >>> 4) & 1;
  return fmt((h ? 'tbh' : 'tbb') + condSuffix(it), `[${R(rn(w))}, ${R(w & 15)}${h ? ', lsl #1' : ''}]`);
}

// ---------------------------------------------------------------- A5.3.7-10 single loads and stores

/** Size/sign key: S<<2 | size (0 byte, 1 half, 2 word). */
const keyOf = (w: number) => ((w >>> 22) & 4) | ((w >>> 21) & 3);
const LOAD_NAMES = ['ldrb', 'ldrh', 'ldr', '', 'ldrsb', 'ldrsh', '', ''];
const STORE_NAMES = ['strb', 'strh', 'str', ''];

function load(cpu: CortexM, key: number, a: number): number {
  switch (key) {
    case 0: return cpu.read8(a);
    case 1: return cpu.read16(a);
    case 2: return cpu.read32(a);
    case 4: return (cpu.read8(a) << 24) >> 24;
    default: return (cpu.read16(a) << 16) >> 16;
  }
}
function store(cpu: CortexM, key: number, a: number, v: number): void {
  if (key === 0) cpu.write8(a, v); else if (key === 1) cpu.write16(a, v); else cpu.write32(a, v);
}
/** Write a loaded value; a word load to PC interworks (LoadWritePC, A2.3.1). */
function setLoaded(cpu: CortexM, t: number, v: number): void {
  if (t === 15) cpu.loadWritePC(v); else cpu.r[t] = v;
}

/** A well-formed single load/store: size 11 and signed stores are UNDEFINED; stores may not use Rn = PC. */
function lsValid(w: number): boolean {
  const key = keyOf(w);
  if ((key & 3) === 3) return false;
  if ((w >>> 20) & 1) return key !== 6;
  return key < 3 && rn(w) !== 15;
}
/** Byte/half/signed loads with Rt = PC are the PLD/PLI/unallocated-hint space. */
const isHintSpace = (w: number) => ((w >>> 20) & 1) === 1 && rt(w) === 15 && (keyOf(w) & 2) === 0;
/** Decode condition of the imm12/imm8/register forms: not the literal or hint spaces. */
const plainLs = (w: number) => lsValid(w) && rn(w) !== 15 && !isHintSpace(w);

function execImm12(cpu: CortexM, w: number): void {
  const a = (cpu.r[rn(w)] + (w & 0xfff)) | 0;
  if ((w >>> 20) & 1) setLoaded(cpu, rt(w), load(cpu, keyOf(w), a));
  else store(cpu, keyOf(w), a, cpu.r[rt(w)]);
}
function execImm8(cpu: CortexM, w: number): void {
  const n = rn(w), t = rt(w), key = keyOf(w);
  const base = cpu.r[n];
  const imm = w & 0xff;
  const puw = (w >>> 8) & 7;
  if (puw === 6) { // LDRT/STRT family: unprivileged access (A7.7.*T)
    const a = (base + imm) | 0;
    const size = key & 3 ? (key & 3) === 1 ? 2 : 4 : 1;
    if ((w >>> 20) & 1) {
      let v = cpu.readUnpriv(a, size);
      if (key === 4) v = (v << 24) >> 24; else if (key === 5) v = (v << 16) >> 16;
      cpu.r[t] = v;
    } else cpu.writeUnpriv(a, size, cpu.r[t]);
    return;
  }
  const off = puw & 2 ? (base + imm) | 0 : (base - imm) | 0;
  const a = puw & 4 ? off : base;
  const wback = (puw & 1) === 1;
  if ((w >>> 20) & 1) {
    const v = load(cpu, key, a);
    if (wback) cpu.r[n] = off;
    setLoaded(cpu, t, v);
  } else {
    store(cpu, key, a, cpu.r[t]);
    if (wback) cpu.r[n] = off;
  }
}
function execLsRegOff(cpu: CortexM, w: number): void {
  const a = (cpu.r[rn(w)] + (cpu.r[w & 15] << ((w >>> 4) & 3))) | 0;
  if ((w >>> 20) & 1) setLoaded(cpu, rt(w), load(cpu, keyOf(w), a));
  else store(cpu, keyOf(w), a, cpu.r[rt(w)]);
}
function execLit(cpu: CortexM, w: number): void {
  const base = cpu.r[15] & ~3;
  const a = (w >>> 23) & 1 ? (base + (w & 0xfff)) | 0 : (base - (w & 0xfff)) | 0;
  setLoaded(cpu, rt(w), load(cpu, keyOf(w), a));
}
function execHintLs(): void { /* PLD/PLI and unallocated hints: no architectural effect (A7.7.98-101) */ }

function lsName(w: number, it: number, wide: boolean): string {
  const base = (w >>> 20) & 1 ? LOAD_NAMES[keyOf(w)] : STORE_NAMES[keyOf(w)];
  return base + condSuffix(it) + (wide ? '.w' : '');
}
function disImm12(w: number, _pc: number, it: number): string {
  const imm = w & 0xfff;
  return fmt(lsName(w, it, true), `${R(rt(w))}, [${R(rn(w))}${imm === 0 ? '' : `, #${imm}`}]`);
}
function disImm8(w: number, _pc: number, it: number): string {
  const puw = (w >>> 8) & 7;
  if (puw === 6) {
    const base = (w >>> 20) & 1 ? LOAD_NAMES[keyOf(w)] : STORE_NAMES[keyOf(w)];
    const imm = w & 0xff;
    return fmt(base + 't' + condSuffix(it), `${R(rt(w))}, [${R(rn(w))}${imm === 0 ? '' : `, #${imm}`}]`);
  }
  return fmt(lsName(w, it, true), `${R(rt(w))}, ${addrImm(rn(w), puw >> 2, (puw >> 1) & 1, puw & 1, w & 0xff)}`);
}
function disLsRegOff(w: number, _pc: number, it: number): string {
  const sh = (w >>> 4) & 3;
  return fmt(lsName(w, it, true), `${R(rt(w))}, [${R(rn(w))}, ${R(w & 15)}${sh ? `, lsl #${sh}` : ''}]`);
}
function disLit(w: number, _pc: number, it: number): string {
  return fmt(lsName(w, it, true), `${R(rt(w))}, [pc, #${(w >>> 23) & 1 ? '' : '-'}${w & 0xfff}]`);
}
function disHintLs(w: number, _pc: number, it: number): string {
  const key = keyOf(w);
  if (key === 5) { // objdump prints the LDRSH-to-PC hints as the load
    if (rn(w) === 15) return disLit(w, _pc, it);
    if ((w >>> 23) & 1) return disImm12(w, _pc, it);
    return (w & 0x800) !== 0 ? disImm8(w, _pc, it) : disLsRegOff(w, _pc, it);
  }
  const name = (key === 0 ? 'pld' : key === 4 ? 'pli' : key === 1 ? 'pldw' : 'nop') + condSuffix(it);
  const n = rn(w);
  if (n === 15) return fmt(name, `[pc, #${(w >>> 23) & 1 ? '' : '-'}${w & 0xfff}]`);
  if ((w >>> 23) & 1) { const imm = w & 0xfff; return fmt(name, `[${R(n)}${imm === 0 ? '' : `, #${imm}`}]`); }
  if ((w & 0x800) !== 0) return fmt(name, `[${R(n)}, #-${w & 0xff}]`);
  const sh = (w >>> 4) & 3;
  return fmt(name, `[${R(n)}, ${R(w & 15)}${sh ? `, lsl #${sh}` : ''}]`);
}
/** Which hint-space words are architecturally defined hints (the rest are UNPREDICTABLE). */
function hintWellFormed(w: number): boolean {
  if (rn(w) === 15 || (w >>> 23) & 1) return true;
  if ((w & 0x800) !== 0) return ((w >>> 8) & 7) === 4;
  return (w & 0x7c0) === 0;
}

/** Rt/Rn restrictions of the single load/store pages. */
function unpredLs(w: number, form: 'imm12' | 'imm8' | 'reg' | 'lit'): boolean {
  const t = rt(w), n = rn(w), key = keyOf(w);
  const isLoad = ((w >>> 20) & 1) === 1;
  if (form === 'reg' && bad(w & 15)) return true;
  if (form === 'reg' && (w & 0x0fc0) !== 0) return true;
  if (form === 'imm8') {
    const puw = (w >>> 8) & 7;
    if (puw === 6) return bad(t);
    if ((puw & 1) && n === t) return true;
  }
  if (key === 2) return !isLoad && t === 15;
  return isLoad ? t === 13 : bad(t);
}

export const thumb32LsDefs: InsnDef[] = [
  // STM(IA).W / LDM(IA).W / STMDB / LDMDB (PUSH.W/POP.W): 1110 100o o0WL nnnn | rrrr rrrr rrrr rrrr
  { name: 'STM/LDM/STMDB/LDMDB T', size: 4, mask: 0xfe400000, match: 0xe8000000, when: (w) => { const op = (w >>> 23) & 3; return op === 1 || op === 2; }, unpredictable: unpredLdmStm, cls: 'ls', exec: execLdmStm, disasm: disLdmStm },
  // STREX: 1110 1000 0100 nnnn | tttt dddd iiii iiii
  {
    name: 'STREX T1', size: 4, mask: 0xfff00000, match: 0xe8400000, cls: 'ls', exec: execStrex, disasm: disStrex,
    unpredictable: (w) => { const d = (w >>> 8) & 15, t = rt(w), n = rn(w); return bad(d) || bad(t) || n === 15 || d === n || d === t; },
  },
  // LDREX: 1110 1000 0101 nnnn | tttt (1111) iiii iiii
  { name: 'LDREX T1', size: 4, mask: 0xfff00000, match: 0xe8500000, unpredictable: (w) => bad(rt(w)) || rn(w) === 15 || (w & 0xf00) !== 0xf00, cls: 'ls', exec: execLdrex, disasm: disLdrex },
  // STREXB/STREXH: 1110 1000 1100 nnnn | tttt (1111) 010h dddd
  {
    name: 'STREXB/STREXH T1', size: 4, mask: 0xfff000e0, match: 0xe8c00040, cls: 'ls', exec: execStrexbh, disasm: disStrexbh,
    unpredictable: (w) => { const d = w & 15, t = rt(w), n = rn(w); return bad(d) || bad(t) || n === 15 || d === n || d === t || (w & 0xf00) !== 0xf00; },
  },
  // LDREXB/LDREXH: 1110 1000 1101 nnnn | tttt (1111) 010h (1111)
  { name: 'LDREXB/LDREXH T1', size: 4, mask: 0xfff000e0, match: 0xe8d00040, unpredictable: (w) => bad(rt(w)) || rn(w) === 15 || (w & 0xf0f) !== 0xf0f, cls: 'ls', exec: execLdrexbh, disasm: disLdrexbh },
  // TBB/TBH: 1110 1000 1101 nnnn | (1111)(0000) 000h mmmm
  { name: 'TBB/TBH T1', size: 4, mask: 0xfff000e0, match: 0xe8d00000, unpredictable: (w) => rn(w) === 13 || bad(w & 15) || (w & 0xff00) !== 0xf000, cls: 'branch', exec: execTbb, disasm: disTbb },
  // LDRD/STRD (immediate, literal): 1110 100P U1WL nnnn | tttt TTTT iiii iiii (P=W=0 is the exclusive space)
  { name: 'LDRD/STRD (immediate) T1', size: 4, mask: 0xfe400000, match: 0xe8400000, when: (w) => (w & 0x01200000) !== 0, unpredictable: unpredLdrdStrd, cls: 'ls', exec: execLdrdStrd, disasm: disLdrdStrd },
  // PLD/PLI/unallocated hints (byte/half loads to PC): 1111 100S x0s1 nnnn | 1111 ....
  { name: 'PLD/PLI (hint space)', size: 4, mask: 0xfe50f000, match: 0xf810f000, when: lsValid, unpredictable: (w) => !hintWellFormed(w) || (keyOf(w) & 1) === 1, cls: 'ls', exec: execHintLs, disasm: disHintLs },
  // LDR<> (literal): 1111 100S Uss1 1111 | tttt iiii iiii iiii
  { name: 'LDR/LDRB/LDRH/LDRSB/LDRSH (literal)', size: 4, mask: 0xfe1f0000, match: 0xf81f0000, when: (w) => lsValid(w) && !isHintSpace(w), unpredictable: (w) => unpredLs(w, 'lit'), cls: 'ls', exec: execLit, disasm: disLit },
  // LDR<>/STR<> (imm12): 1111 100S 1ssL nnnn | tttt iiii iiii iiii
  { name: 'LDR/STR (imm12)', size: 4, mask: 0xfe800000, match: 0xf8800000, when: plainLs, unpredictable: (w) => unpredLs(w, 'imm12'), cls: 'ls', exec: execImm12, disasm: disImm12 },
  // LDR<>/STR<> (imm8, pre/post/offset/T): 1111 100S 0ssL nnnn | tttt 1PUW iiii iiii
  { name: 'LDR/STR (imm8)', size: 4, mask: 0xfe800800, match: 0xf8000800, when: (w) => plainLs(w) && (w & 0x500) !== 0, unpredictable: (w) => unpredLs(w, 'imm8'), cls: 'ls', exec: execImm8, disasm: disImm8 },
  // LDR<>/STR<> (register): 1111 100S 0ssL nnnn | tttt 0000 00ii mmmm
  { name: 'LDR/STR (register)', size: 4, mask: 0xfe800fc0, match: 0xf8000000, when: plainLs, unpredictable: (w) => unpredLs(w, 'reg'), cls: 'ls', exec: execLsRegOff, disasm: disLsRegOff },
];
