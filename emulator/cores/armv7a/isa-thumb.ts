// T32 for the Cortex-A9: the M-profile integer and DSP tables (emulator/cores/armv7m/isa-*.ts),
// which execute against a structural subset of CortexM that CortexA9 also provides (checked
// below at compile time), minus the M-only encodings, plus the A-profile ones: CPS with
// A/mode, MRS/MSR of CPSR/SPSR and banked registers, SUBS PC,LR, SRS/RFE, SMC, LDREXD/STREXD,
// BLX (immediate) and HLT. SDIV/UDIV are left out: Cortex-A9 has no divider.
import type { CortexM } from '../armv7m/cpu';
import { InsnDef, InsnTable } from '../armv7m/insn';
import { thumb16Defs } from '../armv7m/isa-thumb16';
import { thumb32Defs } from '../armv7m/isa-thumb32';
import { dspDefs } from '../armv7m/isa-dsp';
import { condSuffix, fmt, hex, regName } from '../armv7m/disasm-util';
import type { CortexA9 } from './cpu';
import { cpsBody, exclusiveBody, mrcMcrBody, mrsBanked, mrsBody, msrBanked, msrBody, rfeBody, srsBody, type A9Op, type SimdDecoder } from './isa-arm';

/**
 * What the M-profile integer tables touch on their `cpu` argument. CortexA9 must satisfy
 * this with the same meanings (flags 0/1, itstate/itCur as ITSTATE, tbit as EPSR.T/CPSR.T,
 * PC-write helpers per A2.3.1); the assignment in `thumbHost` makes tsc prove it.
 */
type ThumbHost = Pick<CortexM, 'r' | 'n' | 'z' | 'c' | 'v' | 'q' | 'ge' | 'itstate' | 'itCur' | 'tbit' | 'attention'
  | 'exclusiveAddr' | 'curPc' | 'pc' | 'read8' | 'read16' | 'read32' | 'write8' | 'write16' | 'write32'
  | 'read32Aligned' | 'write32Aligned' | 'read16Aligned' | 'write16Aligned' | 'readUnpriv' | 'writeUnpriv'
  | 'branchWritePC' | 'bxWritePC' | 'aluWritePC' | 'loadWritePC' | 'conditionPassed' | 'inITBlock' | 'lastInITBlock'
  | 'undefinedInstruction' | 'abort' | 'svc' | 'bkpt' | 'wfi' | 'wfe' | 'sev' | 'isPrivileged'>
  & { system: Pick<CortexM['system'], 'div0Trap' | 'executionPriority'> };
export function thumbHost(cpu: CortexA9): ThumbHost { return cpu as unknown as ThumbHost & typeof cpu; }
// Compile-time proof that CortexA9 has every member the shared tables use, with compatible types.
const assertHost: (cpu: CortexA9) => Omit<ThumbHost, 'system'> = (cpu) => cpu;
void assertHost;

/** M-profile entries that A-profile replaces or lacks. */
const DROPPED = new Set(['CPS T1', 'MSR T1', 'MRS T1', 'SDIV/UDIV']);

type A9Exec = (cpu: CortexA9, w: number) => void;
function def(name: string, size: 2 | 4, mask: number, match: number, exec: A9Exec, disasm: InsnDef['disasm'],
  when?: (w: number) => boolean): InsnDef {
  return { name, size, mask: mask >>> 0, match: match >>> 0, when, cls: 'sys', exec: exec as unknown as InsnDef['exec'], disasm };
}

// Disassembly in objdump's unified syntax (checked by disasm-thumb.spec.ts).
/** CPS's 'aif' letters from insn bits a:i:f (lowest bit f). */
function aifNames(aif: number): string { return `${aif & 4 ? 'a' : ''}${aif & 2 ? 'i' : ''}${aif & 1 ? 'f' : ''}`; }
function disCps16(i: number, _pc: number, it: number): string {
  return fmt(`cps${(i & 0x10) !== 0 ? 'id' : 'ie'}${condSuffix(it)}`, aifNames(i & 7));
}
/** CPS T2: objdump writes '.w' only when the form has no 16-bit twin (no mode change). */
function disCps32(w: number, _pc: number, it: number): string {
  const imod = (w >>> 9) & 3, m = (w & 0x100) !== 0, mode = w & 0x1f;
  const op = imod === 3 ? 'cpsid' : imod === 2 ? 'cpsie' : 'cps';
  const aif = imod >= 2 ? aifNames((w >>> 5) & 7) : '';
  if (!m) return fmt(`${op}${condSuffix(it)}.w`, aif);
  return fmt(`${op}${condSuffix(it)}`, aif === '' ? `#${mode}` : `${aif}, #${mode}`);
}
/** Banked-register names by R:SYSm (B9.2.3); values absent here are UNPREDICTABLE, printed as objdump does. */
const BANKED_NAMES: Record<number, string> = {
  0x00: 'R8_usr', 0x01: 'R9_usr', 0x02: 'R10_usr', 0x03: 'R11_usr', 0x04: 'R12_usr', 0x05: 'SP_usr', 0x06: 'LR_usr',
  0x08: 'R8_fiq', 0x09: 'R9_fiq', 0x0a: 'R10_fiq', 0x0b: 'R11_fiq', 0x0c: 'R12_fiq', 0x0d: 'SP_fiq', 0x0e: 'LR_fiq',
  0x10: 'LR_irq', 0x11: 'SP_irq', 0x12: 'LR_svc', 0x13: 'SP_svc', 0x14: 'LR_abt', 0x15: 'SP_abt', 0x16: 'LR_und', 0x17: 'SP_und',
  0x1c: 'LR_mon', 0x1d: 'SP_mon', 0x1e: 'ELR_hyp', 0x1f: 'SP_hyp',
  0x2e: 'SPSR_fiq', 0x30: 'SPSR_irq', 0x32: 'SPSR_svc', 0x34: 'SPSR_abt', 0x36: 'SPSR_und', 0x3c: 'SPSR_mon', 0x3e: 'SPSR_hyp',
};
/** R:SYSm of a banked MRS/MSR: SYSm<4> is hw2 bit 4, SYSm<3:0> is hw1 bits 3:0 (MRS) or hw2 bits 11:8 (MSR). */
function bankedName(w: number, m1: number): string {
  const key = ((w >>> 15) & 0x20) | (w & 0x10) | (m1 & 15);
  return BANKED_NAMES[key] ?? `<banked ${hex(key)}>`;
}
/** MSR's field mask bits 11:8 as objdump's suffix letters, in its f s x c order. */
function psrFields(mask: number): string { return `${mask & 8 ? 'f' : ''}${mask & 4 ? 's' : ''}${mask & 2 ? 'x' : ''}${mask & 1 ? 'c' : ''}`; }
const psrName = (w: number) => ((w >>> 20) & 1) !== 0 ? 'SPSR' : 'CPSR';
/** MCR/MRC: coproc, opc1, Rt, CRn, CRm, {opc2}; MRC to r15 writes the flags (APSR_nzcv). */
function disMcrMrc(w: number, _pc: number, it: number): string {
  const load = (w & 0x00100000) !== 0, rt = (w >>> 12) & 15;
  const t = load && rt === 15 ? 'APSR_nzcv' : regName(rt);
  return fmt(`${load ? 'mrc' : 'mcr'}${condSuffix(it)}`, `${(w >>> 8) & 15}, ${(w >>> 21) & 7}, ${t}, cr${(w >>> 16) & 15}, cr${w & 15}, {${(w >>> 5) & 7}}`);
}
/** BLX (immediate) T2: target Align(PC,4) + SignExtend(S:I1:I2:imm10H:imm10L:00). */
function disBlxImm(w: number, pc: number, it: number): string {
  const s = (w >>> 26) & 1, i1 = ((w >>> 13) & 1) ^ s ^ 1, i2 = ((w >>> 11) & 1) ^ s ^ 1;
  const off = (((s << 24) | (i1 << 23) | (i2 << 22) | (((w >>> 16) & 0x3ff) << 12) | ((w & 0x7fe) << 1)) << 7) >> 7;
  return fmt(`blx${condSuffix(it)}`, hex(((pc + 4) & ~3) + off));
}

const aProfileDefs: InsnDef[] = [
  // CPS T1: 1011 0110 011m 0aif
  def('CPS T1 (A)', 2, 0xffe8, 0xb660, (cpu, i) => cpsBody(cpu, 2 | ((i >> 4) & 1), false, i & 7, 0), disCps16),
  // CPS T2: 1111 0011 1010 1111 | 10 0 0 0 imod M a i f mode
  def('CPS T2', 4, 0xffffd800, 0xf3af8000, (cpu, w) => cpsBody(cpu, (w >>> 9) & 3, (w & 0x100) !== 0, (w >>> 5) & 7, w & 0x1f),
    disCps32, (w) => (w & 0x700) !== 0),
  // MRS T1: 1111 0011 111R 1111 | 10 0 0 dddd 00 B0 0000 (B: banked)
  def('MRS T1 (A)', 4, 0xffe0d0ef, 0xf3e08000, (cpu, w) => mrsBody(cpu, (w >>> 20) & 1, (w >>> 8) & 15),
    (w, _pc, it) => fmt(`mrs${condSuffix(it)}`, `${regName(w >>> 8)}, ${psrName(w)}`)),
  def('MRS (banked) T1', 4, 0xffe0d0ef, 0xf3e08020,
    (cpu, w) => mrsBanked(cpu, (w >>> 20) & 1, ((w >>> 16) & 15) | ((w << 0) & 0x10), (w >>> 8) & 15),
    (w, _pc, it) => fmt(`mrs${condSuffix(it)}`, `${regName(w >>> 8)}, ${bankedName(w, w >>> 16)}`)),
  // MSR T1: 1111 0011 100R nnnn | 10 0 0 mmmm 00 B0 0000
  def('MSR T1 (A)', 4, 0xffe0d0ff, 0xf3808000, (cpu, w) => msrBody(cpu, (w >>> 20) & 1, (w >>> 8) & 15, cpu.r[(w >>> 16) & 15]),
    (w, _pc, it) => fmt(`msr${condSuffix(it)}`, `${psrName(w)}_${psrFields(w >>> 8)}, ${regName(w >>> 16)}`)),
  def('MSR (banked) T1', 4, 0xffe0d0ef, 0xf3808020,
    (cpu, w) => msrBanked(cpu, (w >>> 20) & 1, ((w >>> 8) & 15) | (w & 0x10), cpu.r[(w >>> 16) & 15]),
    (w, _pc, it) => fmt(`msr${condSuffix(it)}`, `${bankedName(w, w >>> 8)}, ${regName(w >>> 16)}`)),
  // SUBS PC, LR, #imm8: 1111 0011 1101 1110 | 1000 1111 iiii iiii
  def('SUBS PC, LR T1', 4, 0xffffff00, 0xf3de8f00, (cpu, w) => {
    if (cpu.inITBlock() && !cpu.lastInITBlock()) cpu.undefinedInstruction();
    cpu.exceptionReturn((cpu.r[14] - (w & 0xff)) | 0, cpu.getSpsr());
  }, (w, _pc, it) => `subs${condSuffix(it)} pc, lr, #${w & 0xff}`),
  // SMC T1: 1111 0111 1111 iiii | 1000 0000 0000 0000
  def('SMC T1', 4, 0xfff0ffff, 0xf7f08000, (cpu) => cpu.smc(), (w, _pc, it) => `smc${condSuffix(it)} #${(w >>> 16) & 15}`),
  // SRS T1 (DB) / T2 (IA): 1110 100x x0W0 1101 | 1100 0000 000m mmmm
  def('SRS T1', 4, 0xffdfffe0, 0xe80dc000, (cpu, w) => srsBody(cpu, 1, 0, (w >>> 21) & 1, w & 0x1f), (w, _pc, it) => `srsdb${condSuffix(it)} sp${w & 0x200000 ? '!' : ''}, #${w & 0x1f}`),
  def('SRS T2', 4, 0xffdfffe0, 0xe98dc000, (cpu, w) => srsBody(cpu, 0, 1, (w >>> 21) & 1, w & 0x1f), (w, _pc, it) => `srsia${condSuffix(it)} sp${w & 0x200000 ? '!' : ''}, #${w & 0x1f}`),
  // RFE T1 (DB) / T2 (IA): 1110 100x x0W1 nnnn | 1100 0000 0000 0000
  def('RFE T1', 4, 0xffd0ffff, 0xe810c000, (cpu, w) => rfeBody(cpu, 1, 0, (w >>> 21) & 1, (w >>> 16) & 15), (w, _pc, it) => `rfedb${condSuffix(it)} ${regName(w >>> 16)}${w & 0x200000 ? '!' : ''}`),
  def('RFE T2', 4, 0xffd0ffff, 0xe990c000, (cpu, w) => rfeBody(cpu, 0, 1, (w >>> 21) & 1, (w >>> 16) & 15), (w, _pc, it) => `rfeia${condSuffix(it)} ${regName(w >>> 16)}${w & 0x200000 ? '!' : ''}`),
  // LDREXD: 1110 1000 1101 nnnn | tttt TTTT 0111 1111; STREXD: 1110 1000 1100 nnnn | tttt TTTT 0111 dddd
  def('LDREXD T1', 4, 0xfff000ff, 0xe8d0007f, (cpu, w) => exclusiveBody(cpu, 0xb, (w >>> 16) & 15, (w >>> 12) & 15, 0, 0, (w >>> 8) & 15),
    (w, _pc, it) => `ldrexd${condSuffix(it)} ${regName(w >>> 12)}, ${regName(w >>> 8)}, [${regName(w >>> 16)}]`),
  def('STREXD T1', 4, 0xfff000f0, 0xe8c00070, (cpu, w) => exclusiveBody(cpu, 0xa, (w >>> 16) & 15, 0, (w >>> 12) & 15, w & 15, (w >>> 8) & 15),
    (w, _pc, it) => `strexd${condSuffix(it)} ${regName(w)}, ${regName(w >>> 12)}, ${regName(w >>> 8)}, [${regName(w >>> 16)}]`),
  // BLX (immediate) T2: 1111 0Sii iiii iiii | 11J1 0J2i iiii iiiH (H = 0)
  def('BLX (immediate) T2', 4, 0xf800d001, 0xf000c000, (cpu, w) => {
    const s = (w >>> 26) & 1, j1 = (w >>> 13) & 1, j2 = (w >>> 11) & 1;
    const i1 = (j1 ^ s) ^ 1, i2 = (j2 ^ s) ^ 1;
    const imm = (((s << 24) | (i1 << 23) | (i2 << 22) | (((w >>> 16) & 0x3ff) << 12) | ((w & 0x7ff) << 1)) << 7) >> 7;
    cpu.r[14] = (cpu.curPc + 4) | 1;
    cpu.tbit = 0;
    cpu.attention = true;
    cpu.pc = ((cpu.r[15] & ~3) + imm) & ~3;
  }, disBlxImm),
  // MCR/MRC T1: 1110 1110 ooo L nnnn | tttt cccc ooo1 mmmm (CP14/CP15; CP10/11 go to the SIMD hook first)
  def('MCR/MRC T1', 4, 0xff000010, 0xee000010, (cpu, w) => {
    const rt = (w >>> 12) & 15;
    mrcMcrBody(cpu, w, rt === 13 || rt === 15 ? undefined : cpu.r[rt]);
  }, disMcrMrc, (w) => ((w >>> 8) & 14) === 14),
  // HLT T1: 1011 1010 10ii iiii
  def('HLT T1', 2, 0xffc0, 0xba80, (cpu, i) => cpu.hlt(i & 0x3f), (i) => `hlt 0x${(i & 0x3f).toString(16).padStart(4, '0')}`),
];

export const a9ThumbDefs: readonly InsnDef[] = [
  ...[...thumb16Defs, ...thumb32Defs, ...dspDefs].filter((d) => !DROPPED.has(d.name)),
  ...aProfileDefs,
];
export const a9ThumbTable = new InsnTable(a9ThumbDefs);

const wrapped = new Map<InsnDef, A9Op>();
function wrap(d: InsnDef): A9Op {
  let o = wrapped.get(d);
  if (o === undefined) {
    o = { name: d.name, size: d.size, arm: false, exec: d.exec as unknown as A9Exec };
    wrapped.set(d, o);
  }
  return o;
}

/** VFP/Advanced SIMD space of T32 (A6.3.18/A7.x): coprocessor 10/11, or the 111x1111 / 11111001 prefixes. */
function isSimdSpace(w: number): boolean {
  const hw1 = w >>> 16;
  if ((hw1 & 0xef00) === 0xef00) return true; // Advanced SIMD data processing
  if ((hw1 & 0xff10) === 0xf900) return true; // Advanced SIMD element/structure load/store
  if ((hw1 & 0xec00) === 0xec00 && ((w >>> 9) & 7) === 5) return true; // coprocessor 10/11
  return false;
}

/** Decode a T32 encoding (a halfword, or hw1:hw2 when `wide`). */
export function decodeThumb(w: number, wide: boolean, simd: SimdDecoder | null): A9Op | undefined {
  if (!wide) { const d = a9ThumbTable.decode16(w); return d === undefined ? undefined : wrap(d); }
  if (isSimdSpace(w)) return simd !== null ? simd(w, true) : undefined;
  const d = a9ThumbTable.decode32(w);
  return d === undefined ? undefined : wrap(d);
}
