// The ARMv8-M Mainline additions to the Thumb table (ARM ARM DDI0553): SG, BXNS, BLXNS,
// TT/TTT/TTA/TTAT, load-acquire/store-release and their exclusives, MRS/MSR of the stack
// limits and the Non-secure banked registers; and armv8mTable, the Cortex-M33 decoder,
// whose entries also enforce MSPLIM/PSPLIM on every instruction that moves SP.
import { CFSR_STKOF, CFSR_UNALIGNED, type CortexM } from './cpu';
import { InsnDef, InsnTable, isThumb32 } from './insn';
import { armv7mDefs } from './isa';
import { vfpv5Defs } from './isa-vfpv5';
import { regName as R, condSuffix, fmt } from './disasm-util';
import { execBlxns, execBxns, execSg, ttResponse } from './security';

const bad = (r: number) => r === 13 || r === 15;
const rn = (w: number) => (w >>> 16) & 15;
const rt = (w: number) => (w >>> 12) & 15;

// ---------------------------------------------------------------- SG, BXNS, BLXNS

// objdump (binutils 2.40) prints SG, BXNS, BLXNS and TT* without the IT condition; we follow it.
function disBxns(i: number): string { return fmt('bxns', R((i >> 3) & 15)); }
function disBlxns(i: number): string { return fmt('blxns', R((i >> 3) & 15)); }

// ---------------------------------------------------------------- TT

function execTt(cpu: CortexM, w: number): void {
  const alt = (w & 0x80) !== 0, forceUnpriv = (w & 0x40) !== 0;
  // TTA/TTAT query the other state's MPU: UNDEFINED from Non-secure state.
  if (alt && !cpu.secure) cpu.undefinedInstruction();
  cpu.r[(w >>> 8) & 15] = ttResponse(cpu, cpu.r[rn(w)], alt, forceUnpriv);
}
const TT_NAMES = ['tt', 'ttt', 'tta', 'ttat'];
function disTt(w: number): string {
  return fmt(TT_NAMES[(w >>> 6) & 3], `${R((w >>> 8) & 15)}, ${R(rn(w))}`);
}

// ---------------------------------------------------------------- acquire/release (A5.x "load/store exclusive, load-acquire/store-release")

/** Size field hw2[5:4]: 00 byte, 01 halfword, 10 word (11 is UNDEFINED). */
const sz = (w: number) => (w >>> 4) & 3;
const SZ_SUFFIX = ['b', 'h', '', ''];

function loadA(cpu: CortexM, a: number, s: number): number {
  return s === 0 ? cpu.read8(a) : s === 1 ? cpu.read16Aligned(a) : cpu.read32Aligned(a);
}
function storeL(cpu: CortexM, a: number, s: number, v: number): void {
  if (s === 0) cpu.write8(a, v); else if (s === 1) cpu.write16Aligned(a, v); else cpu.write32Aligned(a, v);
}

function execLda(cpu: CortexM, w: number): void {
  cpu.r[rt(w)] = loadA(cpu, cpu.r[rn(w)], sz(w));
}
function execStl(cpu: CortexM, w: number): void {
  storeL(cpu, cpu.r[rn(w)], sz(w), cpu.r[rt(w)]);
}
function execLdaex(cpu: CortexM, w: number): void {
  const a = cpu.r[rn(w)];
  const v = loadA(cpu, a, sz(w));
  cpu.exclusiveAddr = a >>> 0;
  cpu.r[rt(w)] = v;
}
/** ExclusiveMonitorsPass (A3.4.5, B-profile rules unchanged in v8-M): alignment first, then the local monitor. */
function execStlex(cpu: CortexM, w: number): void {
  const a = cpu.r[rn(w)], s = sz(w), d = w & 15;
  if ((a & ((1 << s) - 1)) !== 0) cpu.abort(CFSR_UNALIGNED, a);
  const pass = cpu.exclusiveAddr === a >>> 0;
  cpu.exclusiveAddr = -1;
  if (pass) { storeL(cpu, a, s, cpu.r[rt(w)]); cpu.r[d] = 0; } else cpu.r[d] = 1;
}
function disLdaStl(w: number, _pc: number, it: number): string {
  const load = (w & 0x00100000) !== 0, ex = (w & 0x40) !== 0;
  const name = (load ? 'lda' : 'stl') + (ex ? 'ex' : '') + SZ_SUFFIX[sz(w)] + condSuffix(it);
  if (!load && ex) return fmt(name, `${R(w & 15)}, ${R(rt(w))}, [${R(rn(w))}]`);
  return fmt(name, `${R(rt(w))}, [${R(rn(w))}]`);
}

// ---------------------------------------------------------------- MRS/MSR with the v8-M SYSm values

const SYSM_NAMES_V8: Record<number, string> = {
  0: 'APSR', 1: 'IAPSR', 2: 'EAPSR', 3: 'PSR', 5: 'IPSR', 6: 'EPSR', 7: 'IEPSR', 8: 'MSP', 9: 'PSP',
  10: 'MSPLIM', 11: 'PSPLIM', 16: 'PRIMASK', 17: 'BASEPRI', 18: 'BASEPRI_MAX', 19: 'FAULTMASK', 20: 'CONTROL',
  0x88: 'MSP_NS', 0x89: 'PSP_NS', 0x8a: 'MSPLIM_NS', 0x8b: 'PSPLIM_NS', 0x90: 'PRIMASK_NS', 0x91: 'BASEPRI_NS',
  0x93: 'FAULTMASK_NS', 0x94: 'CONTROL_NS', 0x98: 'SP_NS',
};
const SYSM_VALID_V8 = new Set(Object.keys(SYSM_NAMES_V8).map(Number));
const sysmName = (s: number) => SYSM_NAMES_V8[s] ?? `#${s}`;

function execMsr(cpu: CortexM, w: number): void { cpu.writeSpecial(w & 0xff, cpu.r[rn(w)], (w >>> 10) & 3); }
function execMrs(cpu: CortexM, w: number): void { cpu.r[(w >>> 8) & 15] = cpu.readSpecial(w & 0xff); }
function disMsr(w: number, _pc: number, it: number): string {
  const sysm = w & 0xff, mask = (w >>> 10) & 3;
  let name = sysmName(sysm);
  if (sysm <= 3) name = mask === 2 ? 'CPSR_f' : mask === 1 ? 'CPSR_s' : mask === 3 ? 'CPSR_fs' : `${name}_${mask}`;
  return fmt('msr' + condSuffix(it), `${name}, ${R(rn(w))}`);
}
function disMrs(w: number, _pc: number, it: number): string {
  const sysm = w & 0xff;
  return fmt('mrs' + condSuffix(it), `${R((w >>> 8) & 15)}, ${sysm === 0 ? 'CPSR' : sysmName(sysm)}`);
}

// ---------------------------------------------------------------- the additions

/**
 * VLSTM/VLLDM (DDI0553, "VLSTM"/"VLLDM"): the Secure world's FP context around a call to
 * Non-secure code (GCC's __gnu_cmse_nonsecure_call). UNDEFINED outside Secure state; a NOP
 * without an FPU or when CONTROL.SFPA says the Secure world holds no FP context. Otherwise
 * VLSTM stores S0-S31 and FPSCR at [Rn] (a 0x88-byte frame) and clears them; VLLDM loads
 * them back. (Lazy
 * preservation with FPCCR.LSPEN is modelled as an immediate store: the visible state is the same.)
 */
function execVlstmVlldm(cpu: CortexM, insn: number): void {
  if (!cpu.secure) cpu.undefinedInstruction();
  const hasFpu = (cpu.system as unknown as { hasFpu?: boolean }).hasFpu === true;
  if (!hasFpu || (cpu.control & 8) === 0) return;
  const base = cpu.r[(insn >>> 16) & 15];
  const load = (insn & 0x00100000) !== 0;
  if ((base & 7) !== 0) cpu.abort(CFSR_UNALIGNED, base);
  if (load) {
    for (let i = 0; i < 32; i++) cpu.sBits[i] = cpu.read32(base + 4 * i);
    cpu.fpscr = cpu.read32(base + 0x80);
  } else {
    for (let i = 0; i < 32; i++) cpu.write32(base + 4 * i, cpu.sBits[i]);
    cpu.write32(base + 0x80, cpu.fpscr);
    cpu.sBits.fill(0);
    cpu.fpscr = 0;
  }
}

export const v8mDefs: InsnDef[] = [
  // VLSTM T1: 1110 1100 0010 nnnn 0000 1010 0000 0000; VLLDM T1: 1110 1100 0011 nnnn 0000 1010 0000 0000
  { name: 'VLSTM T1', size: 4, mask: 0xfff0ffff, match: 0xec200a00, cls: 'fp', exec: execVlstmVlldm,
    unpredictable: (i) => ((i >>> 16) & 15) === 15, disasm: (i) => `vlstm ${R((i >>> 16) & 15)}` },
  { name: 'VLLDM T1', size: 4, mask: 0xfff0ffff, match: 0xec300a00, cls: 'fp', exec: execVlstmVlldm,
    unpredictable: (i) => ((i >>> 16) & 15) === 15, disasm: (i) => `vlldm ${R((i >>> 16) & 15)}` },
  // SG: 1110 1001 0111 1111 | 1110 1001 0111 1111 (was LDRD literal with writeback, UNPREDICTABLE in v7-M)
  { name: 'SG T1', size: 4, mask: 0xffffffff, match: 0xe97fe97f, cls: 'sys', exec: (cpu) => execSg(cpu), disasm: () => 'sg' },
  // BXNS: 0100 0111 0mmm m100
  {
    name: 'BXNS T1', size: 2, mask: 0xff87, match: 0x4704, unpredictable: (i) => ((i >> 3) & 15) === 13 || ((i >> 3) & 15) === 15,
    cls: 'branch', exec: (cpu, i) => execBxns(cpu, cpu.r[(i >> 3) & 15]), disasm: disBxns,
  },
  // BLXNS: 0100 0111 1mmm m100
  {
    name: 'BLXNS T1', size: 2, mask: 0xff87, match: 0x4784, unpredictable: (i) => ((i >> 3) & 15) >= 13,
    cls: 'branch', exec: (cpu, i) => execBlxns(cpu, cpu.r[(i >> 3) & 15]), disasm: disBlxns,
  },
  // TT/TTT/TTA/TTAT: 1110 1000 0100 nnnn | 1111 dddd AT(0)(0) (0)(0)(0)(0) (was STREX with Rt = PC)
  {
    name: 'TT T1', size: 4, mask: 0xfff0f000, match: 0xe840f000, unpredictable: (w) => bad((w >>> 8) & 15) || rn(w) === 15 || (w & 0x3f) !== 0,
    cls: 'sys', exec: execTt, disasm: disTt,
  },
  // LDA/LDAB/LDAH: 1110 1000 1101 nnnn | tttt (1111) 10ss (1111)
  {
    name: 'LDA/LDAB/LDAH T1', size: 4, mask: 0xfff000c0, match: 0xe8d00080, when: (w) => sz(w) !== 3,
    unpredictable: (w) => bad(rt(w)) || rn(w) === 15 || (w & 0xf0f) !== 0xf0f, cls: 'ls', exec: execLda, disasm: disLdaStl,
  },
  // LDAEX/LDAEXB/LDAEXH: 1110 1000 1101 nnnn | tttt (1111) 11ss (1111)
  {
    name: 'LDAEX/LDAEXB/LDAEXH T1', size: 4, mask: 0xfff000c0, match: 0xe8d000c0, when: (w) => sz(w) !== 3,
    unpredictable: (w) => bad(rt(w)) || rn(w) === 15 || (w & 0xf0f) !== 0xf0f, cls: 'ls', exec: execLdaex, disasm: disLdaStl,
  },
  // STL/STLB/STLH: 1110 1000 1100 nnnn | tttt (1111) 10ss (1111)
  {
    name: 'STL/STLB/STLH T1', size: 4, mask: 0xfff000c0, match: 0xe8c00080, when: (w) => sz(w) !== 3,
    unpredictable: (w) => bad(rt(w)) || rn(w) === 15 || (w & 0xf0f) !== 0xf0f, cls: 'ls', exec: execStl, disasm: disLdaStl,
  },
  // STLEX/STLEXB/STLEXH: 1110 1000 1100 nnnn | tttt (1111) 11ss dddd
  {
    name: 'STLEX/STLEXB/STLEXH T1', size: 4, mask: 0xfff000c0, match: 0xe8c000c0, when: (w) => sz(w) !== 3,
    unpredictable: (w) => { const d = w & 15, t = rt(w), n = rn(w); return bad(d) || bad(t) || n === 15 || d === n || d === t || (w & 0xf00) !== 0xf00; },
    cls: 'ls', exec: execStlex, disasm: disLdaStl,
  },
  // MSR T1: 1111 0011 100(0) nnnn | 10(0)0 mm(0)(0) ssss ssss (v8-M SYSm: +MSPLIM/PSPLIM, _NS forms)
  {
    name: 'MSR T1 (v8-M)', size: 4, mask: 0xffe0d000, match: 0xf3808000,
    unpredictable: (w) => { const mask = (w >>> 10) & 3, sysm = w & 0xff; return bad(rn(w)) || mask === 0 || (mask !== 2 && sysm > 3) || !SYSM_VALID_V8.has(sysm) || (w & 0x00102300) !== 0; },
    cls: 'sys', exec: execMsr, disasm: disMsr,
  },
  // MRS T1: 1111 0011 111(0) (1)(1)(1)(1) | 10(0)0 dddd ssss ssss
  {
    name: 'MRS T1 (v8-M)', size: 4, mask: 0xffe0d000, match: 0xf3e08000,
    unpredictable: (w) => bad((w >>> 8) & 15) || !SYSM_VALID_V8.has(w & 0xff) || (w & 0x001f2000) !== 0x000f0000,
    cls: 'sys', exec: execMrs, disasm: disMrs,
  },
];

// ---------------------------------------------------------------- stack limit checks

function popcount(x: number): number {
  let n = 0;
  for (let i = 0; i < 32; i++) n += (x >>> i) & 1;
  return n;
}

/**
 * Bytes a pre-decrementing store to SP moves the stack down by, or 0: PUSH, STMDB SP!,
 * STR{B,H} [SP, #-i]!, STRD [SP, #-i]!, VPUSH/VSTMDB SP!. For these the limit is checked
 * before any store, since stores below the limit must not happen (DDI0553 B3.x "Stack limit checks").
 */
function preDecrement(def: InsnDef, w: number): number {
  if (def.size === 2) return (w & 0xfe00) === 0xb400 ? 4 * popcount(w & 0x1ff) : 0;
  if (((w & 0xffff0000) >>> 0) === 0xe92d0000) return 4 * popcount(w & 0xffff);
  if (((w & 0xff9f0f00) >>> 0) === 0xf80d0d00) return w & 0xff;
  if (((w & 0xffff0000) >>> 0) === 0xe96d0000) return (w & 0xff) << 2;
  if (((w & 0xffbf0e00) >>> 0) === 0xed2d0a00) return (w & 0xff) << 2;
  return 0;
}

/** Instructions that move SP as part of a state or stack switch, not as a stack update. */
const NO_LIMIT_WRAP = new Set(['SG T1', 'BXNS T1', 'BLXNS T1', 'MSR T1 (v8-M)', 'MRS T1 (v8-M)']);

/**
 * Could this encoding write SP? Conservative: a 32-bit encoding that names r13 in its Rn,
 * Rt or Rd field or has bit 13 set in an LDM/STM list; the 16-bit PUSH/POP, ADD/SUB SP
 * and the high-register ADD/MOV to SP. Everything else decodes to the unwrapped entry.
 */
function mayWriteSp(size: 2 | 4, w: number): boolean {
  if (size === 2) {
    if ((w & 0xf600) === 0xb400 || (w & 0xff00) === 0xb000) return true; // PUSH/POP, ADD/SUB SP,#imm7
    return (w & 0xfc00) === 0x4400 && ((w & 7) | ((w >> 4) & 8)) === 13; // ADD/MOV (high registers) to SP
  }
  if (((w >>> 16) & 15) === 13 || ((w >>> 12) & 15) === 13 || ((w >>> 8) & 15) === 13) return true;
  return (w & 0xfe002000) >>> 0 === 0xe8002000; // LDM/STM with SP in the list
}

/**
 * Split an entry in two: encodings that may write SP get an exec that raises UsageFault
 * STKOF with SP unchanged when the new SP is below the active MSPLIM/PSPLIM; the rest keep
 * the plain exec, so the check costs nothing where it cannot matter. Exception returns and
 * CONTROL writes (which swap SP rather than move it) are recognised by their change of
 * IPSR, CONTROL or security state.
 */
function withStackLimit(def: InsnDef): InsnDef[] {
  if (NO_LIMIT_WRAP.has(def.name)) return [def];
  const inner = def.exec;
  const when = def.when;
  const exec = (cpu: CortexM, w: number): void => {
    const lim = (cpu.usingPsp() ? cpu.psplim : cpu.msplim) >>> 0;
    if (lim === 0) { inner(cpu, w); return; }
    const sp = cpu.r[13];
    const dec = preDecrement(def, w);
    if (dec !== 0 && ((sp - dec) >>> 0) < lim) cpu.abort(CFSR_STKOF, 0);
    const ipsr = cpu.ipsr, control = cpu.control, secure = cpu.secure;
    inner(cpu, w);
    const nsp = cpu.r[13];
    if (nsp !== sp && (nsp >>> 0) < lim && cpu.ipsr === ipsr && cpu.control === control && cpu.secure === secure) {
      cpu.r[13] = sp;
      cpu.abort(CFSR_STKOF, 0);
    }
  };
  return [
    { ...def, exec, when: (w) => mayWriteSp(def.size, w) && (when === undefined || when(w)) },
    { ...def, when: (w) => !mayWriteSp(def.size, w) && (when === undefined || when(w)) },
  ];
}

/** The ARMv8-M decode replaces these v7-M entries (same encodings, more SYSm values). */
const REPLACED = new Set(['MSR T1', 'MRS T1']);

export const armv8mDefs: readonly InsnDef[] = [
  ...v8mDefs,
  ...vfpv5Defs,
  ...armv7mDefs.filter((d) => !REPLACED.has(d.name)),
].flatMap(withStackLimit);

/** The Cortex-M33 decoder: ARMv7-M integer + DSP + FPv4-SP + the FPv5-SP additions + ARMv8-M. */
export const armv8mTable: InsnTable = new InsnTable(armv8mDefs);

/** Disassemble with the ARMv8-M table (objdump -mcpu=cortex-m33 syntax). */
export function disassembleV8m(hw1: number, hw2: number, pc: number, itCond: number): { text: string; size: 2 | 4 } {
  hw1 &= 0xffff; hw2 &= 0xffff;
  if (isThumb32(hw1)) {
    const w = ((hw1 << 16) | hw2) >>> 0;
    const d = armv8mTable.decode32(w);
    return { text: d !== undefined ? d.disasm(w, pc, itCond) : `.inst.w 0x${w.toString(16).padStart(8, '0')}`, size: 4 };
  }
  const d = armv8mTable.decode16(hw1);
  return { text: d !== undefined ? d.disasm(hw1, pc, itCond) : `.inst.n 0x${hw1.toString(16).padStart(4, '0')}`, size: 2 };
}
