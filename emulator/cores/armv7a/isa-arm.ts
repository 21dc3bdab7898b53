// The A32 (ARM state) instruction set of ARMv7-A as on Cortex-A9: the decode tree of ARM
// ARM chapter A5 leading to one execute function per instruction group. Decode runs once
// per word (the core caches the result per address); execute re-reads its fields.
// VFP and Advanced SIMD encodings go to the SIMD decoder hook (A9-SIMD's files).
import type { CortexA9 } from './cpu';
import { A9_ABORT, MODE_USR, MODE_SYS, MODE_MON, bankOf } from './modes';
import { ACC_READ, ACC_WRITE } from './mmu';
import { specializeA32 } from './isa-arm-fast';
import * as aluMod from '../armv7m/alu';

/** A decoded instruction: the execute function and what the run loop needs to step it. */
export interface A9Op {
  readonly name: string;
  /** 4 for A32 and 32-bit T32, 2 for 16-bit T32. */
  readonly size: 2 | 4;
  /** ARM state encoding (the run loop checks the condition field itself). */
  readonly arm: boolean;
  readonly exec: (cpu: CortexA9, insn: number) => void;
}

// Module-local handles on the shared ALU helpers: under tsx/CommonJS each use of an imported
// binding is a getter call, which the execute functions would pay per instruction.
const { alu, addWithCarry, shiftC, shiftImmC, mul64, add64, mulOut, rbit32 } = aluMod;

export type SimdDecoder = (insn: number, thumb: boolean) => A9Op | undefined;

function op(name: string, exec: (cpu: CortexA9, w: number) => void): A9Op { return { name, size: 4, arm: true, exec }; }

// ---------------------------------------------------------------- helpers

/** ARMExpandImm_C (A5.2.4): rotated 8-bit immediate; carry-out to alu.c. */
function armExpandImmC(imm12: number, carryIn: number): number {
  const rot = (imm12 >>> 8) * 2;
  const imm8 = imm12 & 0xff;
  if (rot === 0) { alu.c = carryIn; return imm8; }
  const v = (imm8 >>> rot) | (imm8 << (32 - rot));
  alu.c = (v >>> 31) & 1;
  return v;
}

function signedSat(x: number, n: number): number {
  const max = 2 ** (n - 1) - 1, min = -(2 ** (n - 1));
  if (x > max) { satHit = true; return max; }
  if (x < min) { satHit = true; return min; }
  return x;
}
function unsignedSat(x: number, n: number): number {
  const max = 2 ** n - 1;
  if (x > max) { satHit = true; return max; }
  if (x < 0) { satHit = true; return 0; }
  return x;
}
let satHit = false;

function sx16(x: number): number { return (x << 16) >> 16; }
function sx8(x: number): number { return (x << 24) >> 24; }

function popcount16(x: number): number { let n = 0; for (let i = 0; i < 16; i++) n += (x >>> i) & 1; return n; }

const scratch = new Int32Array(16);

// ---------------------------------------------------------------- data processing (A5.2.1-A5.2.3)

function operand2(cpu: CortexA9, w: number): number {
  if ((w & 0x02000000) !== 0) return armExpandImmC(w & 0xfff, cpu.c);
  const rm = cpu.r[w & 15];
  const type = (w >>> 5) & 3;
  if ((w & 0x10) === 0) return shiftImmC(rm, type, (w >>> 7) & 31, cpu.c);
  return shiftC(rm, type, cpu.r[(w >>> 8) & 15] & 0xff, cpu.c);
}

function execDp(cpu: CortexA9, w: number): void {
  const opc = (w >>> 21) & 15, s = (w & 0x00100000) !== 0, rd = (w >>> 12) & 15;
  // Register-shifted-register forms read PC as the address + 12 on real cores; the ARM ARM calls it UNPREDICTABLE.
  const b = operand2(cpu, w);
  let carry = alu.c, ovf = cpu.v;
  const a = cpu.r[(w >>> 16) & 15];
  let res: number;
  switch (opc) {
    case 0: case 8: res = a & b; break;
    case 1: case 9: res = a ^ b; break;
    case 2: case 10: res = addWithCarry(a, ~b, 1); carry = alu.c; ovf = alu.v; break;
    case 3: res = addWithCarry(~a, b, 1); carry = alu.c; ovf = alu.v; break;
    case 4: case 11: res = addWithCarry(a, b, 0); carry = alu.c; ovf = alu.v; break;
    case 5: res = addWithCarry(a, b, cpu.c); carry = alu.c; ovf = alu.v; break;
    case 6: res = addWithCarry(a, ~b, cpu.c); carry = alu.c; ovf = alu.v; break;
    case 7: res = addWithCarry(~a, b, cpu.c); carry = alu.c; ovf = alu.v; break;
    case 12: res = a | b; break;
    case 13: res = b | 0; break;
    case 14: res = a & ~b; break;
    default: res = ~b; break;
  }
  if (opc >= 8 && opc <= 11) {
    cpu.n = res >>> 31; cpu.z = res === 0 ? 1 : 0; cpu.c = carry; cpu.v = ovf;
    return;
  }
  if (rd === 15) {
    // SUBS PC, LR and relatives: exception return (B9.3.20); without S an interworking branch.
    if (s) cpu.exceptionReturn(res, cpu.getSpsr());
    else cpu.aluWritePC(res);
    return;
  }
  cpu.r[rd] = res;
  if (s) { cpu.n = res >>> 31; cpu.z = res === 0 ? 1 : 0; cpu.c = carry; cpu.v = ovf; }
}

function execMovw(cpu: CortexA9, w: number): void {
  cpu.r[(w >>> 12) & 15] = ((w >>> 4) & 0xf000) | (w & 0xfff);
}
function execMovt(cpu: CortexA9, w: number): void {
  const rd = (w >>> 12) & 15;
  cpu.r[rd] = (cpu.r[rd] & 0xffff) | ((((w >>> 4) & 0xf000) | (w & 0xfff)) << 16);
}

// ---------------------------------------------------------------- multiplies (A5.2.5, A5.2.7)

function execMul(cpu: CortexA9, w: number): void {
  const op4 = (w >>> 20) & 15, s = (w & 0x00100000) !== 0;
  const rd = (w >>> 16) & 15, ra = (w >>> 12) & 15, m = cpu.r[(w >>> 8) & 15], n = cpu.r[w & 15];
  switch (op4 >>> 1) {
    case 0: case 1: { // MUL, MLA
      const res = (Math.imul(n, m) + (op4 >= 2 ? cpu.r[ra] : 0)) | 0;
      cpu.r[rd] = res;
      if (s) { cpu.n = res >>> 31; cpu.z = res === 0 ? 1 : 0; }
      return;
    }
    case 2: { // UMAAL
      mul64(n, m, false);
      add64(cpu.r[ra], 0);
      add64(cpu.r[rd], 0);
      cpu.r[ra] = mulOut.lo; cpu.r[rd] = mulOut.hi;
      return;
    }
    case 3: cpu.r[rd] = (cpu.r[ra] - Math.imul(n, m)) | 0; return; // MLS
    default: { // UMULL, UMLAL, SMULL, SMLAL
      mul64(n, m, op4 >= 12);
      if ((op4 & 2) !== 0) add64(cpu.r[ra], cpu.r[rd]);
      cpu.r[ra] = mulOut.lo; cpu.r[rd] = mulOut.hi;
      if (s) { cpu.n = mulOut.hi >>> 31; cpu.z = (mulOut.hi | mulOut.lo) === 0 ? 1 : 0; }
    }
  }
}

function execHalfMul(cpu: CortexA9, w: number): void {
  const op1 = (w >>> 21) & 3, x = (w >>> 5) & 1, y = (w >>> 6) & 1;
  const rd = (w >>> 16) & 15, ra = (w >>> 12) & 15, rm = cpu.r[(w >>> 8) & 15], rn = cpu.r[w & 15];
  const nh = x !== 0 ? rn >> 16 : sx16(rn);
  const mh = y !== 0 ? rm >> 16 : sx16(rm);
  switch (op1) {
    case 0: { // SMLA<x><y>
      const res = nh * mh + cpu.r[ra];
      if (res !== (res | 0)) cpu.q = 1;
      cpu.r[rd] = res | 0;
      return;
    }
    case 1: { // SMLAW<y> (bit5 = 0) / SMULW<y> (bit5 = 1)
      const prod = Math.floor((rn * mh) / 65536);
      if (x === 0) {
        const res = prod + cpu.r[ra];
        if (res !== (res | 0)) cpu.q = 1;
        cpu.r[rd] = res | 0;
      } else cpu.r[rd] = prod | 0;
      return;
    }
    case 2: { // SMLAL<x><y>
      const p = nh * mh;
      const hiP = p < 0 ? -1 : 0;
      const lo = (cpu.r[ra] >>> 0) + (p >>> 0);
      cpu.r[ra] = lo | 0;
      cpu.r[rd] = (cpu.r[rd] + hiP + (lo > 0xffffffff ? 1 : 0)) | 0;
      return;
    }
    default: cpu.r[rd] = (nh * mh) | 0; // SMUL<x><y>
  }
}

// ---------------------------------------------------------------- misc (A5.2.12)

/** MRS reads the CPSR without the execution state bits (B9.3.8). */
function execMrs(cpu: CortexA9, w: number): void { mrsBody(cpu, (w >>> 22) & 1, (w >>> 12) & 15); }
export function mrsBody(cpu: CortexA9, spsr: number, rd: number): void {
  if (spsr !== 0) {
    if (bankOf(cpu.mode) <= 0) cpu.undefinedInstruction();
    cpu.r[rd] = cpu.getSpsr();
  } else cpu.r[rd] = (cpu.cpsr() & 0xf8ff03df) | 0;
}

function msrCommon(cpu: CortexA9, w: number, val: number): void { msrBody(cpu, (w >>> 22) & 1, (w >>> 16) & 15, val); }
/** MSR body shared with T32: `spsr` selects the SPSR, `mask` is the 4-bit field mask. */
export function msrBody(cpu: CortexA9, spsrSel: number, mask: number, val: number): void {
  if (spsrSel !== 0) { // SPSR
    if (bankOf(cpu.mode) <= 0) cpu.undefinedInstruction();
    let s = cpu.getSpsr();
    for (let k = 0; k < 4; k++) if ((mask & (1 << k)) !== 0) s = (s & ~(0xff << (8 * k))) | (val & (0xff << (8 * k)));
    cpu.setSpsr(s);
    return;
  }
  cpu.cpsrWriteByInstr(val, mask, false);
}
function execMsrReg(cpu: CortexA9, w: number): void { msrCommon(cpu, w, cpu.r[w & 15]); }
function execMsrImm(cpu: CortexA9, w: number): void { msrCommon(cpu, w, armExpandImmC(w & 0xfff, cpu.c)); }

/**
 * MRS/MSR (banked register) (B9.3.9/B9.3.12): SYSm = R:M1:M selects another mode's
 * r8-r14 or SPSR. These are Virtualization Extensions encodings that a real Cortex-A9
 * treats as UNDEFINED; modelled because the issue asks for them (kernels probe safely).
 */
function bankedTarget(r: number, sysm: number): { mode: number; reg: number } | undefined {
  if (r === 0) {
    if (sysm <= 6) return { mode: MODE_USR, reg: 8 + sysm };
    if (sysm >= 8 && sysm <= 14) return { mode: 0x11, reg: 8 + (sysm - 8) };
    if (sysm >= 16 && sysm <= 23) {
      const modes = [0x12, 0x12, 0x13, 0x13, 0x17, 0x17, 0x1b, 0x1b];
      return { mode: modes[sysm - 16], reg: (sysm & 1) === 0 ? 14 : 13 };
    }
    if (sysm === 28 || sysm === 29) return { mode: MODE_MON, reg: sysm === 28 ? 14 : 13 };
    return undefined;
  }
  const spsrModes: Record<number, number> = { 14: 0x11, 16: 0x12, 18: 0x13, 20: 0x17, 22: 0x1b, 28: MODE_MON };
  const m = spsrModes[sysm];
  return m === undefined ? undefined : { mode: m, reg: -1 };
}
/** MRS (banked register) body, shared with T32: R selects SPSR, sysm = M1:M. */
export function mrsBanked(cpu: CortexA9, r: number, sysm: number, rd: number): void {
  const t = bankedTarget(r, sysm);
  if (t === undefined || !cpu.isPrivileged() || (t.mode === MODE_MON && !cpu.isSecure())
    || (t.reg >= 0 && bankOf(t.mode) === bankOf(cpu.mode) && (t.reg >= 13 || (t.mode === 0x11) === (cpu.mode === 0x11)))) cpu.undefinedInstruction();
  cpu.r[rd] = t.reg < 0 ? cpu.spsrb[bankOf(t.mode)] : cpu.getBanked(t.mode, t.reg);
}
export function msrBanked(cpu: CortexA9, r: number, sysm: number, v: number): void {
  const t = bankedTarget(r, sysm);
  if (t === undefined || !cpu.isPrivileged() || (t.mode === MODE_MON && !cpu.isSecure())
    || (t.reg >= 0 && bankOf(t.mode) === bankOf(cpu.mode) && (t.reg >= 13 || (t.mode === 0x11) === (cpu.mode === 0x11)))) cpu.undefinedInstruction();
  if (t.reg < 0) cpu.spsrb[bankOf(t.mode)] = v; else cpu.setBanked(t.mode, t.reg, v);
}
function execMrsBanked(cpu: CortexA9, w: number): void {
  mrsBanked(cpu, (w >>> 22) & 1, ((w >>> 16) & 15) | ((w >>> 4) & 0x10), (w >>> 12) & 15);
}
function execMsrBanked(cpu: CortexA9, w: number): void {
  msrBanked(cpu, (w >>> 22) & 1, ((w >>> 16) & 15) | ((w >>> 4) & 0x10), cpu.r[w & 15]);
}

function execBx(cpu: CortexA9, w: number): void { cpu.bxWritePC(cpu.r[w & 15]); }
function execBlxReg(cpu: CortexA9, w: number): void {
  const target = cpu.r[w & 15];
  cpu.r[14] = cpu.curPc + 4;
  cpu.bxWritePC(target);
}
function execClz(cpu: CortexA9, w: number): void { cpu.r[(w >>> 12) & 15] = Math.clz32(cpu.r[w & 15]); }

function execQAddSub(cpu: CortexA9, w: number): void {
  const op = (w >>> 21) & 3, rd = (w >>> 12) & 15, m = cpu.r[w & 15];
  let n = cpu.r[(w >>> 16) & 15];
  satHit = false;
  if ((op & 2) !== 0) n = signedSat(2 * n, 32);
  const res = signedSat((op & 1) === 0 ? m + n : m - n, 32);
  if (satHit) cpu.q = 1;
  cpu.r[rd] = res;
}

function execBkpt(cpu: CortexA9, w: number): void { cpu.bkpt(((w >>> 4) & 0xfff0) | (w & 15)); }
function execHlt(cpu: CortexA9, w: number): void { cpu.hlt(((w >>> 4) & 0xfff0) | (w & 15)); }
function execSmc(cpu: CortexA9, _w: number): void { cpu.smc(); }

// ---------------------------------------------------------------- hints (A5.2.11)

function execHint(cpu: CortexA9, w: number): void {
  switch (w & 0xff) {
    case 2: cpu.wfe(); break;
    case 3: cpu.wfi(); break;
    case 4: cpu.sev(); break;
    default: break; // NOP, YIELD, DBG
  }
}

// ---------------------------------------------------------------- load/store (A5.3, A5.2.8)

function execLsWordByte(cpu: CortexA9, w: number): void {
  const p = (w >>> 24) & 1, u = (w >>> 23) & 1, b = (w >>> 22) & 1, wb = (w >>> 21) & 1, l = (w >>> 20) & 1;
  const rn = (w >>> 16) & 15, rt = (w >>> 12) & 15;
  const off = (w & 0x02000000) !== 0 ? shiftImmC(cpu.r[w & 15], (w >>> 5) & 3, (w >>> 7) & 31, cpu.c) : w & 0xfff;
  const base = cpu.r[rn];
  const offAddr = u !== 0 ? (base + off) | 0 : (base - off) | 0;
  const addr = p !== 0 ? offAddr : base;
  const unpriv = p === 0 && wb !== 0;
  const wback = p === 0 || wb !== 0;
  if (l !== 0) {
    const v = unpriv ? cpu.readUnpriv(addr, b !== 0 ? 1 : 4) : b !== 0 ? cpu.read8(addr) : cpu.read32(addr);
    if (wback) cpu.r[rn] = offAddr;
    if (rt === 15) cpu.loadWritePC(v); else cpu.r[rt] = v;
  } else {
    const v = cpu.r[rt];
    if (unpriv) cpu.writeUnpriv(addr, b !== 0 ? 1 : 4, v);
    else if (b !== 0) cpu.write8(addr, v); else cpu.write32(addr, v);
    if (wback) cpu.r[rn] = offAddr;
  }
}

function execExtraLs(cpu: CortexA9, w: number): void {
  const p = (w >>> 24) & 1, u = (w >>> 23) & 1, wb = (w >>> 21) & 1, l = (w >>> 20) & 1;
  const rn = (w >>> 16) & 15, rt = (w >>> 12) & 15, op2 = (w >>> 5) & 3;
  const off = (w & 0x00400000) !== 0 ? ((w >>> 4) & 0xf0) | (w & 15) : cpu.r[w & 15];
  const base = cpu.r[rn];
  const offAddr = u !== 0 ? (base + off) | 0 : (base - off) | 0;
  const addr = p !== 0 ? offAddr : base;
  const unpriv = p === 0 && wb !== 0;
  const wback = p === 0 || wb !== 0;
  if (op2 === 1) {
    if (l !== 0) {
      const v = unpriv ? cpu.readUnpriv(addr, 2) : cpu.read16(addr);
      if (wback) cpu.r[rn] = offAddr;
      cpu.r[rt] = v;
    } else {
      if (unpriv) cpu.writeUnpriv(addr, 2, cpu.r[rt]); else cpu.write16(addr, cpu.r[rt]);
      if (wback) cpu.r[rn] = offAddr;
    }
    return;
  }
  if (l !== 0) { // LDRSB (op2 2) / LDRSH (op2 3)
    let v: number;
    if (op2 === 2) v = sx8(unpriv ? cpu.readUnpriv(addr, 1) : cpu.read8(addr));
    else v = sx16(unpriv ? cpu.readUnpriv(addr, 2) : cpu.read16(addr));
    if (wback) cpu.r[rn] = offAddr;
    cpu.r[rt] = v;
    return;
  }
  // LDRD (op2 2) / STRD (op2 3): Rt even; word alignment required (A3.2.1).
  if ((rt & 1) !== 0 || unpriv) cpu.undefinedInstruction();
  if (op2 === 2) {
    const v1 = cpu.read32Aligned(addr), v2 = cpu.read32Aligned((addr + 4) | 0);
    if (wback) cpu.r[rn] = offAddr;
    cpu.r[rt] = v1; cpu.r[rt + 1] = v2;
  } else {
    cpu.write32Aligned(addr, cpu.r[rt]);
    cpu.write32Aligned((addr + 4) | 0, cpu.r[rt + 1]);
    if (wback) cpu.r[rn] = offAddr;
  }
}

function execLdmStm(cpu: CortexA9, w: number): void {
  const p = (w >>> 24) & 1, u = (w >>> 23) & 1, s = (w >>> 22) & 1, wb = (w >>> 21) & 1, l = (w >>> 20) & 1;
  const rn = (w >>> 16) & 15, list = w & 0xffff;
  if (list === 0) cpu.undefinedInstruction();
  const n = popcount16(list);
  const base = cpu.r[rn];
  let addr = u !== 0 ? (p !== 0 ? base + 4 : base) : (p !== 0 ? base - 4 * n : base - 4 * n + 4);
  addr |= 0;
  const wbVal = (u !== 0 ? base + 4 * n : base - 4 * n) | 0;
  const userRegs = s !== 0 && (l === 0 || (list & 0x8000) === 0);
  if (userRegs && (cpu.mode === MODE_USR || cpu.mode === MODE_SYS)) {
    // LDM/STM (user registers) are UNPREDICTABLE in User and System mode; run them as plain forms.
  }
  if (l !== 0) {
    for (let i = 0, a = addr; i < 16; i++) if ((list & (1 << i)) !== 0) { scratch[i] = cpu.read32Aligned(a); a = (a + 4) | 0; }
    if (wb !== 0 && !userRegs) cpu.r[rn] = wbVal;
    for (let i = 0; i < 15; i++) {
      if ((list & (1 << i)) === 0) continue;
      if (userRegs) cpu.setBanked(MODE_USR, i, scratch[i]); else cpu.r[i] = scratch[i];
    }
    if ((list & 0x8000) !== 0) {
      if (s !== 0) cpu.exceptionReturn(scratch[15], cpu.getSpsr());
      else cpu.loadWritePC(scratch[15]);
    }
  } else {
    for (let i = 0, a = addr; i < 16; i++) {
      if ((list & (1 << i)) === 0) continue;
      const v = i === 15 ? cpu.curPc + 8 : userRegs ? cpu.getBanked(MODE_USR, i) : cpu.r[i];
      cpu.write32Aligned(a, v);
      a = (a + 4) | 0;
    }
    if (wb !== 0) cpu.r[rn] = wbVal;
  }
}

// ---------------------------------------------------------------- synchronization (A5.2.10)

function execSwp(cpu: CortexA9, w: number): void {
  // SCTLR.SW enables SWP/SWPB on ARMv7 with the Multiprocessing Extensions (B4.1.130).
  if ((cpu.cp15.sctlr() & (1 << 10)) === 0) cpu.undefinedInstruction();
  const rn = cpu.r[(w >>> 16) & 15], rt = (w >>> 12) & 15, rt2 = cpu.r[w & 15];
  if ((w & 0x00400000) !== 0) {
    const v = cpu.read8(rn); cpu.write8(rn, rt2); cpu.r[rt] = v;
  } else {
    const v = cpu.read32Aligned(rn); cpu.write32Aligned(rn, rt2); cpu.r[rt] = v;
  }
}

function execExclusive(cpu: CortexA9, w: number): void {
  exclusiveBody(cpu, (w >>> 20) & 15, (w >>> 16) & 15, (w >>> 12) & 15, w & 15, (w >>> 12) & 15);
}
/**
 * LDREX/STREX and their B/H/D forms (A8.8.x): `op` as A32 bits[23:20] (bit0 load; bits[2:1] 0 word, 1 dual,
 * 2 byte, 3 half). Loads write rt (and rt+1, or rt2 in T32); stores report in rd.
 */
export function exclusiveBody(cpu: CortexA9, op: number, rn: number, rtLoad: number, rtStore: number, rd: number, rt2 = -1): void {
  const addr = cpu.r[rn];
  const load = (op & 1) !== 0;
  const size = (op >>> 1) & 3; // 0 word, 1 doubleword, 2 byte, 3 halfword
  const align = size === 0 ? 3 : size === 1 ? 7 : size === 2 ? 0 : 1;
  if ((addr & align) !== 0) { cpu.dataAbort(1, addr, !load, 0, false); throw A9_ABORT; }
  if (load) {
    const rt = rtLoad;
    const pa = cpu.physAddr(addr, ACC_READ);
    if (size === 0) cpu.r[rt] = cpu.read32(addr);
    else if (size === 2) cpu.r[rt] = cpu.read8(addr);
    else if (size === 3) cpu.r[rt] = cpu.read16(addr);
    else {
      if (rt2 < 0 && ((rt & 1) !== 0 || rt === 14)) cpu.undefinedInstruction();
      const lo = cpu.read32(addr), hi = cpu.read32((addr + 4) | 0);
      cpu.r[rt] = lo; cpu.r[rt2 < 0 ? rt + 1 : rt2] = hi;
    }
    cpu.exclusiveAddr = pa;
    return;
  }
  const rt = rtStore;
  const pa = cpu.physAddr(addr, ACC_WRITE);
  if (cpu.exclusiveAddr === pa) {
    if (size === 0) cpu.write32(addr, cpu.r[rt]);
    else if (size === 2) cpu.write8(addr, cpu.r[rt]);
    else if (size === 3) cpu.write16(addr, cpu.r[rt]);
    else {
      if (rt2 < 0 && ((rt & 1) !== 0 || rt === 14)) cpu.undefinedInstruction();
      cpu.write32(addr, cpu.r[rt]); cpu.write32((addr + 4) | 0, cpu.r[rt2 < 0 ? rt + 1 : rt2]);
    }
    cpu.r[rd] = 0;
  } else cpu.r[rd] = 1;
  cpu.exclusiveAddr = -1;
}

// ---------------------------------------------------------------- media (A5.4)

/**
 * Parallel add/subtract (A5.4.1/A5.4.2). `u`: unsigned; `kind`: 1 modular (sets GE),
 * 2 saturating, 3 halving; `opc`: 0 ADD16, 1 ASX, 2 SAX, 3 SUB16, 4 ADD8, 7 SUB8.
 */
export function parallelAddSub(cpu: { ge: number }, u: boolean, kind: number, opc: number, a: number, b: number): number | undefined {
  let res = 0, ge = 0;
  if (opc <= 3) {
    const a0 = u ? a & 0xffff : sx16(a), a1 = u ? a >>> 16 : a >> 16;
    const b0 = u ? b & 0xffff : sx16(b), b1 = u ? b >>> 16 : b >> 16;
    let r0: number, r1: number;
    switch (opc) {
      case 0: r0 = a0 + b0; r1 = a1 + b1; break;
      case 1: r0 = a0 - b1; r1 = a1 + b0; break;
      case 2: r0 = a0 + b1; r1 = a1 - b0; break;
      default: r0 = a0 - b0; r1 = a1 - b1; break;
    }
    const lanes = [r0, r1];
    for (let k = 0; k < 2; k++) {
      let x = lanes[k];
      const isAdd = opc === 0 || (opc === 1 && k === 1) || (opc === 2 && k === 0);
      if (kind === 1) {
        if (u ? (isAdd ? x >= 0x10000 : x >= 0) : x >= 0) ge |= 3 << (2 * k);
      } else if (kind === 2) x = u ? unsignedSat(x, 16) : signedSat(x, 16);
      else x = x >> 1;
      res |= (x & 0xffff) << (16 * k);
    }
  } else if (opc === 4 || opc === 7) {
    for (let k = 0; k < 4; k++) {
      const ak = u ? (a >>> (8 * k)) & 0xff : sx8(a >>> (8 * k));
      const bk = u ? (b >>> (8 * k)) & 0xff : sx8(b >>> (8 * k));
      let x = opc === 4 ? ak + bk : ak - bk;
      if (kind === 1) {
        if (u ? (opc === 4 ? x >= 0x100 : x >= 0) : x >= 0) ge |= 1 << k;
      } else if (kind === 2) x = u ? unsignedSat(x, 8) : signedSat(x, 8);
      else x = x >> 1;
      res |= (x & 0xff) << (8 * k);
    }
  } else return undefined;
  if (kind === 1) cpu.ge = ge;
  return res | 0;
}

function execParallel(cpu: CortexA9, w: number): void {
  const u = (w & 0x00400000) !== 0, kind = (w >>> 20) & 3, opc = (w >>> 5) & 7;
  const res = parallelAddSub(cpu, u, kind, opc, cpu.r[(w >>> 16) & 15], cpu.r[w & 15]);
  if (res === undefined || kind === 0) { cpu.undefinedInstruction(); }
  cpu.r[(w >>> 12) & 15] = res as number;
}

function ror(x: number, n: number): number { return n === 0 ? x | 0 : (x >>> n) | (x << (32 - n)); }

function execPacking(cpu: CortexA9, w: number): void {
  const op1 = (w >>> 20) & 7, op2 = (w >>> 5) & 7;
  const rd = (w >>> 12) & 15, rnI = (w >>> 16) & 15, rm = cpu.r[w & 15], rn = cpu.r[rnI];
  if (op1 === 0 && (op2 & 1) === 0) { // PKHBT / PKHTB
    const tb = (w >>> 6) & 1, imm5 = (w >>> 7) & 31;
    const sh = shiftImmC(rm, tb !== 0 ? 2 : 0, imm5, cpu.c);
    cpu.r[rd] = tb !== 0 ? (rn & 0xffff0000) | (sh & 0xffff) : (rn & 0xffff) | (sh & 0xffff0000);
    return;
  }
  if ((op1 & 2) !== 0 && (op2 & 1) === 0) { // SSAT / USAT
    const unsigned = (op1 & 4) !== 0;
    const satImm = (w >>> 16) & 31;
    const sh = (w >>> 6) & 1, imm5 = (w >>> 7) & 31;
    const operand = shiftImmC(cpu.r[w & 15], sh !== 0 ? 2 : 0, imm5, cpu.c);
    satHit = false;
    const res = unsigned ? unsignedSat(operand, satImm) : signedSat(operand, satImm + 1);
    if (satHit) cpu.q = 1;
    cpu.r[rd] = res;
    return;
  }
  if (op2 === 3) { // extend (and add)
    const rot = ror(rm, ((w >>> 10) & 3) * 8);
    const add = rnI !== 15;
    let v: number;
    switch (op1) {
      case 0: { // SXTB16 / SXTAB16
        const lo = sx8(rot) + (add ? rn : 0), hi = sx8(rot >>> 16) + (add ? rn >> 16 : 0);
        v = (lo & 0xffff) | (hi << 16);
        break;
      }
      case 2: v = sx8(rot) + (add ? rn : 0); break; // SXTB / SXTAB
      case 3: v = sx16(rot) + (add ? rn : 0); break; // SXTH / SXTAH
      case 4: { // UXTB16 / UXTAB16
        const lo = (rot & 0xff) + (add ? rn : 0), hi = ((rot >>> 16) & 0xff) + (add ? rn >>> 16 : 0);
        v = (lo & 0xffff) | (hi << 16);
        break;
      }
      case 6: v = (rot & 0xff) + (add ? rn : 0); break; // UXTB / UXTAB
      case 7: v = (rot & 0xffff) + (add ? rn : 0); break; // UXTH / UXTAH
      default: cpu.undefinedInstruction();
    }
    cpu.r[rd] = v | 0;
    return;
  }
  if (op1 === 0 && op2 === 5) { // SEL
    let res = 0;
    for (let k = 0; k < 4; k++) res |= (((cpu.ge >>> k) & 1) !== 0 ? rn : rm) & (0xff << (8 * k));
    cpu.r[rd] = res;
    return;
  }
  if ((op1 === 2 || op1 === 6) && op2 === 1) { // SSAT16 / USAT16
    const unsigned = op1 === 6, satImm = (w >>> 16) & 15;
    satHit = false;
    const lo = unsigned ? unsignedSat(sx16(rm), satImm) : signedSat(sx16(rm), satImm + 1);
    const hi = unsigned ? unsignedSat(rm >> 16, satImm) : signedSat(rm >> 16, satImm + 1);
    if (satHit) cpu.q = 1;
    cpu.r[rd] = (lo & 0xffff) | (hi << 16);
    return;
  }
  if (op1 === 3 && op2 === 1) { cpu.r[rd] = ((rm >>> 24) | ((rm >>> 8) & 0xff00) | ((rm << 8) & 0xff0000) | (rm << 24)); return; } // REV
  if (op1 === 3 && op2 === 5) { cpu.r[rd] = ((rm >>> 8) & 0x00ff00ff) | ((rm << 8) & 0xff00ff00); return; } // REV16
  if (op1 === 7 && op2 === 1) { cpu.r[rd] = rbit32(rm); return; } // RBIT
  if (op1 === 7 && op2 === 5) { cpu.r[rd] = sx16(((rm >>> 8) & 0xff) | ((rm & 0xff) << 8)); return; } // REVSH
  cpu.undefinedInstruction();
}

function execSignedMul(cpu: CortexA9, w: number): void {
  const op1 = (w >>> 20) & 7, op2 = (w >>> 5) & 7;
  const rdI = (w >>> 16) & 15, raI = (w >>> 12) & 15;
  const n = cpu.r[w & 15];
  let m = cpu.r[(w >>> 8) & 15];
  if (op1 === 5) { // SMMLA / SMMUL / SMMLS
    const round = (op2 & 1) !== 0;
    const prod = BigInt(n) * BigInt(m);
    const acc = raI === 15 && (op2 & 6) === 0 ? 0n : BigInt(cpu.r[raI]) << 32n;
    let res = (op2 & 6) === 6 ? acc - prod : acc + prod;
    if (round) res += 0x80000000n;
    cpu.r[rdI] = Number(BigInt.asIntN(32, res >> 32n));
    return;
  }
  if ((op2 & 1) !== 0) m = ror(m, 16);
  const p1 = sx16(n) * sx16(m), p2 = (n >> 16) * (m >> 16);
  const sub = (op2 & 2) !== 0;
  if (op1 === 0) { // SMLAD / SMUAD / SMLSD / SMUSD
    let res = sub ? p1 - p2 : p1 + p2;
    if (raI !== 15) res += cpu.r[raI];
    if (res !== (res | 0)) cpu.q = 1;
    cpu.r[rdI] = res | 0;
    return;
  }
  if (op1 === 4) { // SMLALD / SMLSLD
    const sum = BigInt(sub ? p1 - p2 : p1 + p2);
    const acc = (BigInt(cpu.r[rdI]) << 32n) | BigInt(cpu.r[raI] >>> 0);
    const res = BigInt.asIntN(64, acc + sum);
    cpu.r[raI] = Number(BigInt.asIntN(32, res));
    cpu.r[rdI] = Number(BigInt.asIntN(32, res >> 32n));
    return;
  }
  cpu.undefinedInstruction(); // SDIV/UDIV: not implemented on Cortex-A9
}

function execUsad(cpu: CortexA9, w: number): void {
  const n = cpu.r[w & 15], m = cpu.r[(w >>> 8) & 15], ra = (w >>> 12) & 15;
  let s = 0;
  for (let k = 0; k < 4; k++) s += Math.abs(((n >>> (8 * k)) & 0xff) - ((m >>> (8 * k)) & 0xff));
  cpu.r[(w >>> 16) & 15] = (s + (ra === 15 ? 0 : cpu.r[ra])) | 0;
}

function execBitfield(cpu: CortexA9, w: number): void {
  const op1 = (w >>> 21) & 3, rd = (w >>> 12) & 15, rn = w & 15;
  const lsb = (w >>> 7) & 31, hi = (w >>> 16) & 31;
  if (op1 === 2) { // BFC / BFI: msb = hi
    if (hi < lsb) cpu.undefinedInstruction();
    const width = hi - lsb + 1;
    const mask = (width === 32 ? -1 : ((1 << width) - 1)) << lsb;
    const src = rn === 15 ? 0 : cpu.r[rn] << lsb;
    cpu.r[rd] = (cpu.r[rd] & ~mask) | (src & mask);
    return;
  }
  // SBFX (op1 1) / UBFX (op1 3): widthminus1 = hi
  const width = hi + 1;
  if (lsb + width > 32) cpu.undefinedInstruction();
  const v = cpu.r[rn] << (32 - lsb - width);
  cpu.r[rd] = op1 === 1 ? v >> (32 - width) : v >>> (32 - width);
}

// ---------------------------------------------------------------- branches, coprocessors, system

function execB(cpu: CortexA9, w: number): void {
  const off = (w << 8) >> 6;
  if ((w & 0x01000000) !== 0) cpu.r[14] = cpu.curPc + 4;
  cpu.pc = (cpu.r[15] + off) & ~3;
}
function execBlxImm(cpu: CortexA9, w: number): void {
  const off = ((w << 8) >> 6) | ((w >>> 23) & 2);
  cpu.r[14] = cpu.curPc + 4;
  cpu.tbit = 1;
  cpu.attention = true;
  cpu.pc = (cpu.r[15] + off) & ~1;
}
function execSvc(cpu: CortexA9, w: number): void { cpu.svc(w & 0xffffff); }

function execMrcMcr(cpu: CortexA9, w: number): void {
  const rt = (w >>> 12) & 15;
  mrcMcrBody(cpu, w, rt === 15 ? cpu.curPc + 8 : cpu.r[rt]);
}
/**
 * MRC/MCR, the same fields in A32 and T32: MRC to Rt 15 sets the flags; `mcrValue` is what
 * an MCR writes (undefined: the encoding's Rt is UNDEFINED there).
 */
export function mrcMcrBody(cpu: CortexA9, w: number, mcrValue: number | undefined): void {
  const cp = (w >>> 8) & 15, op1 = (w >>> 21) & 7, crn = (w >>> 16) & 15, rt = (w >>> 12) & 15, op2 = (w >>> 5) & 7, crm = w & 15;
  if ((w & 0x00100000) !== 0) {
    const v = cpu.coprocRead(cp, crn, op1, crm, op2);
    if (v === undefined) cpu.undefinedInstruction();
    if (rt === 15) cpu.setApsrNZCVQ(((v as number) & 0xf0000000) | (cpu.q << 27));
    else cpu.r[rt] = v as number;
  } else if (mcrValue === undefined || !cpu.coprocWrite(cp, crn, op1, crm, op2, mcrValue)) cpu.undefinedInstruction();
}

function execCps(cpu: CortexA9, w: number): void { cpsBody(cpu, (w >>> 18) & 3, (w & 0x20000) !== 0, (w >>> 6) & 7, w & 0x1f); }
/** CPS (B9.3.2): `aif` is A:I:F, imod 10 enables, 11 disables. */
export function cpsBody(cpu: CortexA9, imod: number, changeMode: boolean, aif: number, mode: number): void {
  if (!cpu.isPrivileged()) return; // CPS is a NOP in User mode
  let v = cpu.cpsr(), mask = 0;
  if ((imod & 2) !== 0) {
    const set = imod === 3;
    const flags = aif << 6;
    v = set ? v | flags : v & ~flags;
    mask |= 3; // A is in the extension byte, I/F in the control byte
  }
  if (changeMode) { v = (v & ~0x1f) | mode; mask |= 1; }
  cpu.cpsrWriteByInstr(v, mask, false);
}

function execSetend(cpu: CortexA9, w: number): void {
  // Big-endian data accesses are not modelled: SETEND BE raises Undefined with a diagnostic rather than run wrongly.
  if ((w & 0x200) !== 0) { unimplemented(cpu, w, 'SETEND BE (big-endian data)'); return; }
  cpu.e = 0;
}

function execSrs(cpu: CortexA9, w: number): void { srsBody(cpu, (w >>> 24) & 1, (w >>> 23) & 1, (w >>> 21) & 1, w & 0x1f); }
/** SRS (B9.3.16): store LR and SPSR to the stack of `mode`. */
export function srsBody(cpu: CortexA9, p: number, u: number, wb: number, mode: number): void {
  if (bankOf(mode) < 0 || bankOf(cpu.mode) <= 0 || (mode === MODE_MON && !cpu.isSecure())) cpu.undefinedInstruction();
  const base = cpu.getBanked(mode, 13);
  let addr = u !== 0 ? (p !== 0 ? base + 4 : base) : (p !== 0 ? base - 8 : base - 4);
  addr |= 0;
  cpu.write32Aligned(addr, cpu.r[14]);
  cpu.write32Aligned((addr + 4) | 0, cpu.getSpsr());
  if (wb !== 0) cpu.setBanked(mode, 13, (u !== 0 ? base + 8 : base - 8) | 0);
}

function execRfe(cpu: CortexA9, w: number): void { rfeBody(cpu, (w >>> 24) & 1, (w >>> 23) & 1, (w >>> 21) & 1, (w >>> 16) & 15); }
/** RFE (B9.3.13): load PC and CPSR from memory, an exception return. */
export function rfeBody(cpu: CortexA9, p: number, u: number, wb: number, rn: number): void {
  if (!cpu.isPrivileged()) cpu.undefinedInstruction();
  const base = cpu.r[rn];
  let addr = u !== 0 ? (p !== 0 ? base + 4 : base) : (p !== 0 ? base - 8 : base - 4);
  addr |= 0;
  const newPc = cpu.read32Aligned(addr), spsr = cpu.read32Aligned((addr + 4) | 0);
  if (wb !== 0) cpu.r[rn] = (u !== 0 ? base + 8 : base - 8) | 0;
  cpu.exceptionReturn(newPc, spsr);
}

function execClrex(cpu: CortexA9, _w: number): void { cpu.exclusiveAddr = -1; }
function execNop(_cpu: CortexA9, _w: number): void { /* barriers, preload hints */ }
function execUndef(cpu: CortexA9, _w: number): void { cpu.undefinedInstruction(); }

function unimplemented(cpu: CortexA9, w: number, what: string): void {
  cpu.onUnknownEncoding?.(`${cpu.name}: ${what} (A32 0x${(w >>> 0).toString(16).padStart(8, '0')}) at 0x${(cpu.curPc >>> 0).toString(16)} is not modelled`);
  cpu.undefinedInstruction();
}

// ---------------------------------------------------------------- decode tree

const OP_DP = op('data processing', execDp);
const OP_MOVW = op('MOVW', execMovw);
const OP_MOVT = op('MOVT', execMovt);
const OP_MUL = op('multiply', execMul);
const OP_HMUL = op('halfword multiply', execHalfMul);
const OP_MRS = op('MRS', execMrs);
const OP_MSR_REG = op('MSR (register)', execMsrReg);
const OP_MSR_IMM = op('MSR (immediate)', execMsrImm);
const OP_MRS_BANKED = op('MRS (banked register)', execMrsBanked);
const OP_MSR_BANKED = op('MSR (banked register)', execMsrBanked);
const OP_BX = op('BX', execBx);
const OP_BLX_REG = op('BLX (register)', execBlxReg);
const OP_CLZ = op('CLZ', execClz);
const OP_QADD = op('QADD/QSUB/QDADD/QDSUB', execQAddSub);
const OP_BKPT = op('BKPT', execBkpt);
const OP_HLT = op('HLT', execHlt);
const OP_SMC = op('SMC', execSmc);
const OP_HINT = op('hint', execHint);
const OP_LS = op('load/store word/byte', execLsWordByte);
const OP_XLS = op('load/store halfword/dual/signed', execExtraLs);
const OP_LDMSTM = op('LDM/STM', execLdmStm);
const OP_SWP = op('SWP/SWPB', execSwp);
const OP_EXCL = op('load/store exclusive', execExclusive);
const OP_PAR = op('parallel add/subtract', execParallel);
const OP_PACK = op('packing/saturation/reversal', execPacking);
const OP_SMUL = op('signed multiply (dual, most significant)', execSignedMul);
const OP_USAD = op('USAD8/USADA8', execUsad);
const OP_BITF = op('BFC/BFI/SBFX/UBFX', execBitfield);
const OP_B = op('B/BL', execB);
const OP_BLX_IMM = op('BLX (immediate)', execBlxImm);
const OP_SVC = op('SVC', execSvc);
const OP_MRC_MCR = op('MRC/MCR', execMrcMcr);
const OP_CPS = op('CPS', execCps);
const OP_SETEND = op('SETEND', execSetend);
const OP_SRS = op('SRS', execSrs);
const OP_RFE = op('RFE', execRfe);
const OP_CLREX = op('CLREX', execClrex);
const OP_NOP = op('barrier/hint', execNop);
const OP_UDF = op('UDF', execUndef);

/** Decode an A32 word (A5.1). Undefined: no instruction (the core raises Undefined Instruction). */
export function decodeA32(w: number, simd: SimdDecoder | null): A9Op | undefined {
  const cond = w >>> 28;
  if (cond === 15) return decodeUnconditional(w, simd);
  const fast = specializeA32(w);
  if (fast !== undefined) return fast;
  const op1 = (w >>> 25) & 7;
  switch (op1) {
    case 0: case 1: return decodeDpMisc(w);
    case 2: return OP_LS;
    case 3:
      if ((w & 0x10) === 0) return OP_LS;
      return decodeMedia(w);
    case 4: return OP_LDMSTM;
    case 5: return OP_B;
    default: return decodeCoproc(w, simd);
  }
}

function decodeDpMisc(w: number): A9Op | undefined {
  const isImm = (w & 0x02000000) !== 0;
  const op1 = (w >>> 20) & 0x1f, op2 = (w >>> 4) & 15;
  const miscSpace = (op1 & 0x19) === 0x10; // 10xx0
  if (!isImm) {
    if (!miscSpace && (op2 & 1) === 0) return OP_DP;
    if (!miscSpace && (op2 & 9) === 1) return OP_DP;
    if (miscSpace && (op2 & 8) === 0) return decodeMisc(w);
    if (miscSpace && (op2 & 9) === 8) return OP_HMUL;
    if (op2 === 9) {
      if ((op1 & 0x10) === 0) {
        const op4 = op1 & 15; // 0-1 MUL, 2-3 MLA, 4 UMAAL, 6 MLS, 8-15 UMULL/UMLAL/SMULL/SMLAL
        return op4 === 5 || op4 === 7 ? undefined : OP_MUL;
      }
      if ((op1 & 0x1b) === 0x10) return OP_SWP; // 10x00
      if ((op1 & 0x18) === 0x18) return OP_EXCL; // 11xxx
      return undefined;
    }
    if (op2 === 0xb || op2 === 0xd || op2 === 0xf) return OP_XLS;
    return undefined;
  }
  if (!miscSpace) return OP_DP;
  if (op1 === 0x10) return OP_MOVW;
  if (op1 === 0x14) return OP_MOVT;
  // MSR (immediate) and hints: op1 10x10
  if ((w & 0x00400000) === 0 && ((w >>> 16) & 15) === 0) {
    const hint = w & 0xff;
    return hint <= 4 || (hint & 0xf0) === 0xf0 ? OP_HINT : OP_NOP;
  }
  if ((w & 0x00400000) === 0 && ((w >>> 16) & 15) === 0) return undefined;
  return OP_MSR_IMM;
}

function decodeMisc(w: number): A9Op | undefined {
  const op2 = (w >>> 4) & 7, op = (w >>> 21) & 3;
  switch (op2) {
    case 0:
      if ((w & 0x200) !== 0) return (op & 1) === 0 ? OP_MRS_BANKED : OP_MSR_BANKED;
      if ((op & 1) === 0) return OP_MRS;
      return OP_MSR_REG;
    case 1: return op === 1 ? OP_BX : op === 3 ? OP_CLZ : undefined;
    case 2: return op === 1 ? OP_BX : undefined; // BXJ: no Jazelle, behaves as BX (A4.? trivial Jazelle)
    case 3: return op === 1 ? OP_BLX_REG : undefined;
    case 5: return OP_QADD;
    case 7:
      if (op === 1) return (w >>> 28) === 14 ? OP_BKPT : undefined;
      if (op === 3) return OP_SMC;
      if (op === 0) return OP_HLT;
      return undefined;
    default: return undefined;
  }
}

function decodeMedia(w: number): A9Op | undefined {
  const op1 = (w >>> 20) & 0x1f, op2 = (w >>> 5) & 7;
  if ((op1 & 0x18) === 0) return (op1 & 3) === 0 || op2 === 5 || op2 === 6 ? undefined : OP_PAR;
  if ((op1 & 0x18) === 0x08) return OP_PACK;
  if ((op1 & 0x18) === 0x10) {
    const o = op1 & 7;
    if (o === 0 && op2 <= 3) return OP_SMUL;
    if (o === 4 && op2 <= 3) return OP_SMUL;
    if (o === 5 && (op2 <= 1 || op2 >= 6)) return OP_SMUL;
    return undefined;
  }
  if (op1 === 0x18 && op2 === 0) return OP_USAD;
  if ((op1 & 0x1e) === 0x1a && (op2 & 3) === 2) return OP_BITF;
  if ((op1 & 0x1e) === 0x1c && (op2 & 3) === 0) return OP_BITF;
  if ((op1 & 0x1e) === 0x1e && (op2 & 3) === 2) return OP_BITF;
  if (op1 === 0x1f && op2 === 7) return OP_UDF;
  return undefined;
}

function decodeCoproc(w: number, simd: SimdDecoder | null): A9Op | undefined {
  const op1 = (w >>> 20) & 0x3f, cp = (w >>> 8) & 15;
  if ((op1 & 0x30) === 0x30) return OP_SVC;
  if ((cp & 0xe) === 0xa) return simd !== null ? simd(w, false) : undefined;
  if ((op1 & 0x20) === 0x20 && (w & 0x10) !== 0 && (cp === 14 || cp === 15)) return OP_MRC_MCR;
  return undefined; // CDP, LDC/STC, MCRR/MRRC: nothing on CP14/CP15 answers them on Cortex-A9
}

function decodeUnconditional(w: number, simd: SimdDecoder | null): A9Op | undefined {
  const op1 = (w >>> 20) & 0xff;
  if ((op1 & 0x80) === 0) {
    const o = op1 & 0x7f;
    if (o === 0x10) {
      if ((w & 0x10000) === 0 && (w & 0x20) === 0) return OP_CPS;
      if ((w & 0x10000) !== 0 && (w & 0xf0) === 0) return OP_SETEND;
      return undefined;
    }
    if ((o & 0x60) === 0x20) return simd !== null ? simd(w, false) : undefined; // Advanced SIMD data processing
    if ((o & 0x71) === 0x40) return simd !== null ? simd(w, false) : undefined; // Advanced SIMD element/structure load/store
    if ((o & 0x77) === 0x41) return OP_NOP; // unallocated memory hint (NOP on MP)
    if ((o & 0x77) === 0x45) return OP_NOP; // PLI (immediate, literal)
    if ((o & 0x77) === 0x51 || (o & 0x77) === 0x55) return OP_NOP; // PLDW/PLD (immediate, literal)
    if (o === 0x57) {
      const op2 = (w >>> 4) & 15;
      if (op2 === 1) return OP_CLREX;
      if (op2 === 4 || op2 === 5 || op2 === 6) return OP_NOP; // DSB, DMB, ISB
      return undefined;
    }
    if ((o & 0x77) === 0x61 || (o & 0x77) === 0x65 || (o & 0x77) === 0x71 || (o & 0x77) === 0x75) {
      return (w & 0x10) === 0 ? OP_NOP : undefined; // PLDW/PLI/PLD (register)
    }
    return undefined;
  }
  if ((op1 & 0xe5) === 0x84) return OP_SRS; // 100xx1x0
  if ((op1 & 0xe5) === 0x81) return OP_RFE; // 100xx0x1
  if ((op1 & 0xe0) === 0xa0) return OP_BLX_IMM;
  return undefined; // LDC2/STC2/MCR2/MRC2/CDP2: no coprocessor answers
}

export { ACC_READ, ACC_WRITE };
