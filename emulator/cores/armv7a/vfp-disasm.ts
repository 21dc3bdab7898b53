// Disassembly of VFPv3 and Advanced SIMD encodings in GNU objdump's unified syntax (lower case,
// operands separated by ", "), for the Cortex-A9 disassembler and the debugger. Input is the
// A32 form (T32 words go through thumbToA32 first); `cond` is the condition suffix to print
// ('' outside IT blocks for T32, and for unconditional NEON encodings).
import { neonDisasm } from './neon-disasm';
import { sd, sn, sm, dd, dn, dm } from '../vfp-fields';

export const REG_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
const R = (n: number) => REG_NAMES[n & 15];
export const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];

/** The float an 8-bit VFP immediate stands for (VFPExpandImm), as objdump prints it in its comment. */
function immValue(imm8: number): number {
  const sign = (imm8 & 0x80) !== 0 ? -1 : 1;
  const exp = ((imm8 >>> 4) & 7) ^ 4; // b:cd with b inverted, biased by 3 -> -3..4
  const e = (exp & 4) !== 0 ? exp - 8 : exp;
  return sign * (16 + (imm8 & 0xf)) / 16 * Math.pow(2, e + 1);
}

function regList(first: number, count: number, dbl: boolean): string {
  const p = dbl ? 'd' : 's';
  return count === 1 ? `{${p}${first}}` : `{${p}${first}-${p}${first + count - 1}}`;
}

const SYS_REGS: Record<number, string> = { 0: 'fpsid', 1: 'fpscr', 6: 'mvfr1', 7: 'mvfr0', 8: 'fpexc', 9: 'fpinst', 10: 'fpinst2' };

/** Disassemble a VFP (coprocessor 10/11) A32 word; undefined if this is not one we name. */
function vfpDisasm(i: number, c: string): string | undefined {
  const top = (i >>> 24) & 0xf;
  const dbl = (i & 0x100) !== 0;
  const F = dbl ? '.f64' : '.f32';
  const vD = dbl ? `d${dd(i)}` : `s${sd(i)}`, vN = dbl ? `d${dn(i)}` : `s${sn(i)}`, vM = dbl ? `d${dm(i)}` : `s${sm(i)}`;
  if (top === 0xe && (i & 0x10) === 0) {
    const opc1 = ((i >>> 20) & 0xf) & 0b1011, op6 = (i & 0x40) !== 0;
    const three = (m: string) => `${m}${c}${F}\t${vD}, ${vN}, ${vM}`;
    switch (opc1) {
      case 0b0000: return three(op6 ? 'vmls' : 'vmla');
      case 0b0001: return three(op6 ? 'vnmla' : 'vnmls');
      case 0b0010: return three(op6 ? 'vnmul' : 'vmul');
      case 0b0011: return three(op6 ? 'vsub' : 'vadd');
      case 0b1000: return op6 ? undefined : three('vdiv');
      case 0b1011: break;
      default: return undefined;
    }
    const opc2 = (i >>> 16) & 0xf, opc3 = (i >>> 6) & 3;
    if ((opc3 & 1) === 0) {
      if ((i & 0xa0) !== 0) return undefined;
      const imm8 = ((i >>> 12) & 0xf0) | (i & 0xf);
      return `vmov${c}${F}\t${vD}, #${imm8}\t@ 0x${immBits(imm8, dbl)} ${formatFloat(immValue(imm8))}`;
    }
    switch (opc2) {
      case 0: return `${opc3 === 1 ? 'vmov' : 'vabs'}${c}${F}\t${vD}, ${vM}`;
      case 1: return `${opc3 === 1 ? 'vneg' : 'vsqrt'}${c}${F}\t${vD}, ${vM}`;
      case 2: case 3: {
        if (dbl) return undefined;
        const t = (i & 0x80) !== 0 ? 'vcvtt' : 'vcvtb';
        return opc2 === 2 ? `${t}${c}.f32.f16\ts${sd(i)}, s${sm(i)}` : `${t}${c}.f16.f32\ts${sd(i)}, s${sm(i)}`;
      }
      case 4: return `${(i & 0x80) !== 0 ? 'vcmpe' : 'vcmp'}${c}${F}\t${vD}, ${vM}`;
      case 5: return (i & 0x2f) !== 0 ? undefined : `${(i & 0x80) !== 0 ? 'vcmpe' : 'vcmp'}${c}${F}\t${vD}, #0.0`;
      case 7: return opc3 !== 3 ? undefined : dbl ? `vcvt${c}.f32.f64\ts${sd(i)}, d${dm(i)}` : `vcvt${c}.f64.f32\td${dd(i)}, s${sm(i)}`;
      case 8: return `vcvt${c}${F}.${(i & 0x80) !== 0 ? 's32' : 'u32'}\t${vD}, s${sm(i)}`;
      case 12: case 13: {
        const t = opc2 === 13 ? 's32' : 'u32';
        return `${(i & 0x80) !== 0 ? 'vcvt' : 'vcvtr'}${c}.${t}${F}\ts${sd(i)}, ${vM}`;
      }
      case 10: case 11: case 14: case 15: {
        const size = (i & 0x80) !== 0 ? 32 : 16;
        const imm5 = ((i & 0xf) << 1) | ((i >>> 5) & 1);
        const t = `${(i & 0x10000) !== 0 ? 'u' : 's'}${size}`;
        const frac = size - imm5;
        return (i & 0x40000) !== 0 ? `vcvt${c}.${t}${F}\t${vD}, ${vD}, #${frac}` : `vcvt${c}${F}.${t}\t${vD}, ${vD}, #${frac}`;
      }
      default: return undefined;
    }
  }
  if (top === 0xe) {
    const t = (i >>> 12) & 0xf;
    const cbit = (i & 0x100) !== 0, a = (i >>> 21) & 7, l = (i & 0x100000) !== 0;
    if (!cbit && a === 0) return l ? `vmov${c}\t${R(t)}, s${sn(i)}` : `vmov${c}\ts${sn(i)}, ${R(t)}`;
    if (!cbit && a === 7) {
      const reg = SYS_REGS[(i >>> 16) & 0xf];
      if (reg === undefined) return undefined;
      if (l) return `vmrs${c}\t${t === 15 && reg === 'fpscr' ? 'APSR_nzcv' : R(t)}, ${reg}`;
      return `vmsr${c}\t${reg}, ${R(t)}`;
    }
    if (!cbit) return undefined;
    const opc = (((i >>> 21) & 3) << 2) | ((i >>> 5) & 3);
    if (!l && (a & 4) !== 0) {
      const be = (((i >>> 22) & 1) << 1) | ((i >>> 5) & 1);
      if (be === 3) return undefined;
      return `vdup${c}.${be === 2 ? 8 : be === 1 ? 16 : 32}\t${(i & 0x200000) !== 0 ? `q${dn(i) >> 1}` : `d${dn(i)}`}, ${R(t)}`;
    }
    const u = (i & 0x800000) !== 0;
    let size: number, idx: number;
    if ((opc & 8) !== 0) { size = 8; idx = opc & 7; } else if ((opc & 1) !== 0) { size = 16; idx = (opc >>> 1) & 3; } else if ((opc & 2) === 0) { size = 32; idx = (opc >>> 2) & 1; } else return undefined;
    if (!l) return `vmov${c}.${size}\td${dn(i)}[${idx}], ${R(t)}`;
    if (size === 32 && u) return undefined;
    return `vmov${c}.${size === 32 ? '32' : (u ? 'u' : 's') + size}\t${R(t)}, d${dn(i)}[${idx}]`;
  }
  if ((top & 0xe) !== 0xc) return undefined;
  const opcode = (i >>> 20) & 0x1f;
  const n = (i >>> 16) & 0xf;
  if ((opcode & 0x1e) === 0x04) {
    if ((i & 0xd0) !== 0x10) return undefined;
    const t = (i >>> 12) & 0xf, t2 = (i >>> 16) & 0xf, toCore = (i & 0x100000) !== 0;
    const regs = dbl ? `d${dm(i)}` : `s${sm(i)}, s${sm(i) + 1}`;
    return toCore ? `vmov${c}\t${R(t)}, ${R(t2)}, ${regs}` : `vmov${c}\t${regs}, ${R(t)}, ${R(t2)}`;
  }
  const load = (i & 0x100000) !== 0;
  if ((opcode & 0x12) === 0x10) {
    const off = (i & 0xff) << 2, up = (i & 0x800000) !== 0;
    const addr = off === 0 && up ? `[${R(n)}]` : `[${R(n)}, #${up ? '' : '-'}${off}]`;
    return `${load ? 'vldr' : 'vstr'}${c}\t${vD}, ${addr}`;
  }
  const pu = opcode >>> 3, w = (opcode >>> 1) & 1;
  if (pu !== 1 && !(pu === 2 && w === 1)) return undefined;
  const imm8 = i & 0xff;
  const x = dbl && (imm8 & 1) === 1;
  const count = dbl ? imm8 >>> 1 : imm8;
  const list = regList(dbl ? dd(i) : sd(i), count, dbl);
  if (n === 13 && w === 1 && !x && ((load && pu === 1) || (!load && pu === 2))) return `${load ? 'vpop' : 'vpush'}${c}\t${list}`;
  const mode = pu === 1 ? 'ia' : 'db';
  const base = x ? (load ? 'fldm' : 'fstm') + mode + 'x' : (load ? 'vldm' : 'vstm') + mode;
  return `${base}${c}\t${R(n)}${w ? '!' : ''}, ${list}`;
}

function immBits(imm8: number, dbl: boolean): string {
  // objdump's comment shows the single-precision pattern even for .f64.
  void dbl;
  const a = (imm8 >>> 7) & 1, b = (imm8 >>> 6) & 1;
  const bits = ((a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | ((imm8 & 0x3f) << 19)) >>> 0;
  return bits.toString(16).padStart(8, '0');
}
/** C's %g-like formatting objdump uses for the immediate comment. */
function formatFloat(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/**
 * Disassemble a VFP or Advanced SIMD encoding (A32 form). `cond` is the condition code
 * (0..14) for A32 VFP and T32 IT blocks, or -1. Undefined when the encoding is not one we name.
 */
export function disasmSimd(insn: number, cond: number): string | undefined {
  const c = cond >= 0 && cond < 14 ? COND[cond] : '';
  if ((insn >>> 28) !== 0xf) return vfpDisasm(insn >>> 0, (insn >>> 28) < 14 ? COND[insn >>> 28] : c);
  return neonDisasm(insn >>> 0, c);
}
