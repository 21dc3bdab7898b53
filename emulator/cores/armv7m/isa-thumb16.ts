// The 16-bit Thumb integer instructions of ARMv7-M (ARM ARM DDI0403E A5.2 decode,
// A7.7 instruction pages): execute and objdump-style disassembly for each encoding.
// 16-bit data-processing sets flags only outside an IT block (A7.3.3).
import type { CortexM } from './cpu';
import type { InsnDef } from './insn';
import { alu, addWithCarry, shiftC, SR_LSL, SR_LSR, SR_ASR, SR_ROR } from './alu';
import { regName as R, regList, condSuffix, condName, hex, fmt } from './disasm-util';

/** Scratch for multi-register loads, so a faulting LDM/POP leaves registers untouched. */
const loadBuf = new Int32Array(16);

function popcount16(x: number): number {
  let n = 0;
  for (let i = 0; i < 16; i++) n += (x >> i) & 1;
  return n;
}

/** Mnemonic with 's' outside an IT block or the IT condition inside one (16-bit flag-setting forms). */
function ms(base: string, itCond: number): string { return itCond < 0 ? base + 's' : base + condSuffix(itCond); }
function mc(base: string, itCond: number): string { return base + condSuffix(itCond); }

const rd3 = (i: number) => i & 7;
const rn3 = (i: number) => (i >> 3) & 7;
const rm3 = (i: number) => (i >> 6) & 7;

function setNZ(cpu: CortexM, v: number): void { cpu.n = v >>> 31; cpu.z = v === 0 ? 1 : 0; }

// ---------------------------------------------------------------- shift (imm), add, sub, mov, cmp

function execShiftImm(cpu: CortexM, i: number): void {
  const op = (i >> 11) & 3;
  const imm5 = (i >> 6) & 31;
  const amount = imm5 === 0 && op !== 0 ? 32 : imm5;
  const type = op === 0 ? SR_LSL : op === 1 ? SR_LSR : SR_ASR;
  const res = shiftC(cpu.r[rn3(i)], type, amount, cpu.c);
  cpu.r[rd3(i)] = res;
  if (!cpu.inITBlock()) { setNZ(cpu, res); cpu.c = alu.c; }
}
const SHIFT_MN = ['lsl', 'lsr', 'asr'];
function disShiftImm(i: number, _pc: number, it: number): string {
  const op = (i >> 11) & 3;
  const imm5 = (i >> 6) & 31;
  return fmt(ms(SHIFT_MN[op], it), `${R(rd3(i))}, ${R(rn3(i))}, #${imm5 === 0 && op !== 0 ? 32 : imm5}`);
}

function execMovsReg(cpu: CortexM, i: number): void {
  // MOV (register) T2: always sets flags; UNPREDICTABLE in an IT block.
  const v = cpu.r[rn3(i)];
  cpu.r[rd3(i)] = v;
  setNZ(cpu, v);
}

function execAddSub3(cpu: CortexM, i: number): void {
  const isImm = (i >> 10) & 1;
  const sub = (i >> 9) & 1;
  const op2 = isImm ? rm3(i) : cpu.r[rm3(i)];
  const res = sub ? addWithCarry(cpu.r[rn3(i)], ~op2, 1) : addWithCarry(cpu.r[rn3(i)], op2, 0);
  cpu.r[rd3(i)] = res;
  if (!cpu.inITBlock()) { setNZ(cpu, res); cpu.c = alu.c; cpu.v = alu.v; }
}
function disAddSub3(i: number, _pc: number, it: number): string {
  const isImm = (i >> 10) & 1;
  const mn = ms((i >> 9) & 1 ? 'sub' : 'add', it);
  return fmt(mn, `${R(rd3(i))}, ${R(rn3(i))}, ${isImm ? '#' + rm3(i) : R(rm3(i))}`);
}

function execImm8(cpu: CortexM, i: number): void {
  const op = (i >> 11) & 3;
  const d = (i >> 8) & 7;
  const imm = i & 0xff;
  const inIT = cpu.inITBlock();
  switch (op) {
    case 0: // MOV (immediate) T1
      cpu.r[d] = imm;
      if (!inIT) { cpu.n = 0; cpu.z = imm === 0 ? 1 : 0; }
      return;
    case 1: { // CMP (immediate) T1: flags always
      const res = addWithCarry(cpu.r[d], ~imm, 1);
      setNZ(cpu, res); cpu.c = alu.c; cpu.v = alu.v;
      return;
    }
    default: {
      const res = op === 2 ? addWithCarry(cpu.r[d], imm, 0) : addWithCarry(cpu.r[d], ~imm, 1);
      cpu.r[d] = res;
      if (!inIT) { setNZ(cpu, res); cpu.c = alu.c; cpu.v = alu.v; }
    }
  }
}
const IMM8_MN = ['mov', 'cmp', 'add', 'sub'];
function disImm8(i: number, _pc: number, it: number): string {
  const op = (i >> 11) & 3;
  const mn = op === 1 ? mc('cmp', it) : ms(IMM8_MN[op], it);
  return fmt(mn, `${R((i >> 8) & 7)}, #${i & 0xff}`);
}

// ---------------------------------------------------------------- data processing (register) A5.2.2

function execDpReg(cpu: CortexM, i: number): void {
  const op = (i >> 6) & 15;
  const dn = i & 7;
  const r = cpu.r;
  const a = r[dn];
  const b = r[(i >> 3) & 7];
  const sf = !cpu.inITBlock();
  let res: number;
  switch (op) {
    case 0: res = a & b; break;                                             // AND
    case 1: res = a ^ b; break;                                             // EOR
    case 2: case 3: case 4: case 7: {                                       // LSL/LSR/ASR/ROR (register)
      const type = op === 2 ? SR_LSL : op === 3 ? SR_LSR : op === 4 ? SR_ASR : SR_ROR;
      res = shiftC(a, type, b & 0xff, cpu.c);
      r[dn] = res;
      if (sf) { setNZ(cpu, res); cpu.c = alu.c; }
      return;
    }
    case 5: case 6: case 9: case 10: case 11: {                             // ADC/SBC/RSB/CMP/CMN
      if (op === 5) res = addWithCarry(a, b, cpu.c);
      else if (op === 6) res = addWithCarry(a, ~b, cpu.c);
      else if (op === 9) res = addWithCarry(~b, 0, 1);                      // RSB Rd, Rn, #0: Rn is bits 5:3
      else if (op === 10) res = addWithCarry(a, ~b, 1);
      else res = addWithCarry(a, b, 0);
      if (op < 10) r[dn] = res;
      if (sf || op >= 10) { setNZ(cpu, res); cpu.c = alu.c; cpu.v = alu.v; }
      return;
    }
    case 8: res = a & b; setNZ(cpu, res); return;                           // TST: flags always
    case 12: res = a | b; break;                                            // ORR
    case 13: res = Math.imul(a, b); r[dn] = res; if (sf) setNZ(cpu, res); return; // MUL: C unchanged
    case 14: res = a & ~b; break;                                           // BIC
    default: res = ~b; break;                                               // MVN
  }
  r[dn] = res;
  if (sf) setNZ(cpu, res);
}
const DP_MN = ['and', 'eor', 'lsl', 'lsr', 'asr', 'adc', 'sbc', 'ror', 'tst', 'neg', 'cmp', 'cmn', 'orr', 'mul', 'bic', 'mvn'];
function disDpReg(i: number, _pc: number, it: number): string {
  const op = (i >> 6) & 15;
  const dn = R(i & 7), m = R((i >> 3) & 7);
  if (op === 8 || op === 10 || op === 11) return fmt(mc(DP_MN[op], it), `${dn}, ${m}`);
  if (op === 9) return fmt(ms('neg', it), `${dn}, ${m}`);
  if (op === 13) return fmt(ms('mul', it), `${dn}, ${m}`);
  return fmt(ms(DP_MN[op], it), `${dn}, ${m}`);
}

// ---------------------------------------------------------------- special data, BX, BLX A5.2.3

function execAddHi(cpu: CortexM, i: number): void {
  const dn = ((i >> 4) & 8) | (i & 7);
  const m = (i >> 3) & 15;
  const res = (cpu.r[dn] + cpu.r[m]) | 0;
  if (dn === 15) cpu.aluWritePC(res); else cpu.r[dn] = res;
}
function disAddHi(i: number, _pc: number, it: number): string {
  const dn = ((i >> 4) & 8) | (i & 7);
  const m = (i >> 3) & 15;
  // objdump prints the SP-relative forms with two operands when Rdn is SP.
  if (dn === 13 || m === 13) return fmt(mc('add', it), m === 13 ? `${R(dn)}, sp` : `sp, ${R(m)}`);
  return fmt(mc('add', it), `${R(dn)}, ${R(m)}`);
}
function unpredAddHi(i: number): boolean {
  const dn = ((i >> 4) & 8) | (i & 7);
  const m = (i >> 3) & 15;
  return dn === 15 && m === 15;
}

function execCmpHi(cpu: CortexM, i: number): void {
  const n = ((i >> 4) & 8) | (i & 7);
  const res = addWithCarry(cpu.r[n], ~cpu.r[(i >> 3) & 15], 1);
  setNZ(cpu, res); cpu.c = alu.c; cpu.v = alu.v;
}
function disCmpHi(i: number, _pc: number, it: number): string {
  return fmt(mc('cmp', it), `${R(((i >> 4) & 8) | (i & 7))}, ${R((i >> 3) & 15)}`);
}

function execMovHi(cpu: CortexM, i: number): void {
  const d = ((i >> 4) & 8) | (i & 7);
  const v = cpu.r[(i >> 3) & 15];
  if (d === 15) cpu.aluWritePC(v); else cpu.r[d] = v;
}
function disMovHi(i: number, _pc: number, it: number): string {
  if (i === 0x46c0) return mc('nop', it); // objdump's name for the pre-v6T2 NOP 'mov r8, r8'
  return fmt(mc('mov', it), `${R(((i >> 4) & 8) | (i & 7))}, ${R((i >> 3) & 15)}`);
}

function execBx(cpu: CortexM, i: number): void { cpu.bxWritePC(cpu.r[(i >> 3) & 15]); }
function execBlx(cpu: CortexM, i: number): void {
  const target = cpu.r[(i >> 3) & 15];
  cpu.r[14] = (cpu.curPc + 2) | 1;
  blxWritePC(cpu, target);
}
/** BLXWritePC (A2.3.1): interworking, but never an exception return. */
export function blxWritePC(cpu: CortexM, target: number): void {
  if ((target & 1) === 0) { cpu.tbit = 0; cpu.attention = true; }
  cpu.pc = target & ~1;
}

// ---------------------------------------------------------------- loads and stores A5.2.4

function execLdrLit(cpu: CortexM, i: number): void {
  cpu.r[(i >> 8) & 7] = cpu.read32(((cpu.r[15] & ~3) + ((i & 0xff) << 2)) | 0);
}
function disLdrLit(i: number, _pc: number, it: number): string {
  return fmt(mc('ldr', it), `${R((i >> 8) & 7)}, [pc, #${(i & 0xff) << 2}]`);
}

function execLsReg(cpu: CortexM, i: number): void {
  const r = cpu.r;
  const a = (r[rn3(i)] + r[rm3(i)]) | 0;
  const t = rd3(i);
  switch ((i >> 9) & 7) {
    case 0: cpu.write32(a, r[t]); break;
    case 1: cpu.write16(a, r[t]); break;
    case 2: cpu.write8(a, r[t]); break;
    case 3: r[t] = (cpu.read8(a) << 24) >> 24; break;
    case 4: r[t] = cpu.read32(a); break;
    case 5: r[t] = cpu.read16(a); break;
    case 6: r[t] = cpu.read8(a); break;
    default: r[t] = (cpu.read16(a) << 16) >> 16; break;
  }
}
const LSREG_MN = ['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'];
function disLsReg(i: number, _pc: number, it: number): string {
  return fmt(mc(LSREG_MN[(i >> 9) & 7], it), `${R(rd3(i))}, [${R(rn3(i))}, ${R(rm3(i))}]`);
}

/** LDR/STR/LDRB/STRB/LDRH/STRH (immediate) T1. */
function execLsImm(cpu: CortexM, i: number): void {
  const r = cpu.r;
  const imm5 = (i >> 6) & 31;
  const t = rd3(i);
  const load = (i >> 11) & 1;
  const base = r[rn3(i)];
  switch (i >> 12) {
    case 6: { const a = (base + (imm5 << 2)) | 0; if (load) r[t] = cpu.read32(a); else cpu.write32(a, r[t]); break; }
    case 7: { const a = (base + imm5) | 0; if (load) r[t] = cpu.read8(a); else cpu.write8(a, r[t]); break; }
    default: { const a = (base + (imm5 << 1)) | 0; if (load) r[t] = cpu.read16(a); else cpu.write16(a, r[t]); break; }
  }
}
function disLsImm(i: number, _pc: number, it: number): string {
  const imm5 = (i >> 6) & 31;
  const load = (i >> 11) & 1;
  const k = i >> 12;
  const mn = (load ? 'ldr' : 'str') + (k === 6 ? '' : k === 7 ? 'b' : 'h');
  const off = k === 6 ? imm5 << 2 : k === 7 ? imm5 : imm5 << 1;
  return fmt(mc(mn, it), `${R(rd3(i))}, [${R(rn3(i))}, #${off}]`);
}

function execLsSp(cpu: CortexM, i: number): void {
  const t = (i >> 8) & 7;
  const a = (cpu.r[13] + ((i & 0xff) << 2)) | 0;
  if ((i >> 11) & 1) cpu.r[t] = cpu.read32(a); else cpu.write32(a, cpu.r[t]);
}
function disLsSp(i: number, _pc: number, it: number): string {
  return fmt(mc((i >> 11) & 1 ? 'ldr' : 'str', it), `${R((i >> 8) & 7)}, [sp, #${(i & 0xff) << 2}]`);
}

function execAdr(cpu: CortexM, i: number): void { cpu.r[(i >> 8) & 7] = ((cpu.r[15] & ~3) + ((i & 0xff) << 2)) | 0; }
function disAdr(i: number, _pc: number, it: number): string {
  return fmt(mc('add', it), `${R((i >> 8) & 7)}, pc, #${(i & 0xff) << 2}`);
}
function execAddSpImm(cpu: CortexM, i: number): void { cpu.r[(i >> 8) & 7] = (cpu.r[13] + ((i & 0xff) << 2)) | 0; }
function disAddSpImm(i: number, _pc: number, it: number): string {
  return fmt(mc('add', it), `${R((i >> 8) & 7)}, sp, #${(i & 0xff) << 2}`);
}

// ---------------------------------------------------------------- miscellaneous A5.2.5

function execAdjSp(cpu: CortexM, i: number): void {
  const imm = (i & 0x7f) << 2;
  cpu.r[13] = (i & 0x80) ? (cpu.r[13] - imm) | 0 : (cpu.r[13] + imm) | 0;
}
function disAdjSp(i: number, _pc: number, it: number): string {
  return fmt(mc(i & 0x80 ? 'sub' : 'add', it), `sp, #${(i & 0x7f) << 2}`);
}

function cbzOffset(i: number): number { return ((i >> 3) & 0x40) | ((i >> 2) & 0x3e); }
function execCbz(cpu: CortexM, i: number): void {
  const nonzero = (i >> 11) & 1;
  if ((cpu.r[i & 7] !== 0 ? 1 : 0) === nonzero) cpu.branchWritePC(cpu.r[15] + cbzOffset(i));
}
function disCbz(i: number, pc: number): string {
  return fmt((i >> 11) & 1 ? 'cbnz' : 'cbz', `${R(i & 7)}, ${hex(pc + 4 + cbzOffset(i))}`);
}

function execExtend16(cpu: CortexM, i: number): void {
  const m = cpu.r[(i >> 3) & 7];
  let v: number;
  switch ((i >> 6) & 3) {
    case 0: v = (m << 16) >> 16; break;
    case 1: v = (m << 24) >> 24; break;
    case 2: v = m & 0xffff; break;
    default: v = m & 0xff; break;
  }
  cpu.r[i & 7] = v;
}
const EXT_MN = ['sxth', 'sxtb', 'uxth', 'uxtb'];
function disExtend16(i: number, _pc: number, it: number): string {
  return fmt(mc(EXT_MN[(i >> 6) & 3], it), `${R(i & 7)}, ${R((i >> 3) & 7)}`);
}

function execPush(cpu: CortexM, i: number): void {
  const list = (i & 0xff) | ((i & 0x100) << 6);
  const sp = cpu.r[13];
  let a = (sp - (popcount16(list) << 2)) | 0;
  const start = a;
  for (let k = 0; k < 15; k++) {
    if ((list >> k) & 1) { cpu.write32Aligned(a, cpu.r[k]); a = (a + 4) | 0; }
  }
  cpu.r[13] = start;
}
function disPush(i: number, _pc: number, it: number): string {
  return fmt(mc('push', it), regList((i & 0xff) | ((i & 0x100) << 6)));
}

/** Load `list` from ascending addresses starting at `a` into the scratch buffer (nothing is written back yet). */
function loadMultiple(cpu: CortexM, list: number, a: number): void {
  for (let k = 0; k < 16; k++) {
    if ((list >> k) & 1) { loadBuf[k] = cpu.read32Aligned(a); a = (a + 4) | 0; }
  }
}
/** Commit loaded registers (except PC), then the base writeback, then the PC write (which may be an exception return). */
export function commitLoadMultiple(cpu: CortexM, list: number, n: number, wback: boolean, newBase: number): void {
  for (let k = 0; k < 15; k++) if ((list >> k) & 1) cpu.r[k] = loadBuf[k];
  if (wback) cpu.r[n] = newBase;
  if ((list >> 15) & 1) cpu.loadWritePC(loadBuf[15]);
}
/** Shared by the 32-bit LDM/LDMDB/POP encodings. */
export function ldmCore(cpu: CortexM, list: number, n: number, wback: boolean, start: number, newBase: number): void {
  loadMultiple(cpu, list, start);
  commitLoadMultiple(cpu, list, n, wback, newBase);
}

function execPop(cpu: CortexM, i: number): void {
  const list = (i & 0xff) | ((i & 0x100) << 7);
  const sp = cpu.r[13];
  ldmCore(cpu, list, 13, true, sp, (sp + (popcount16(list) << 2)) | 0);
}
function disPop(i: number, _pc: number, it: number): string {
  return fmt(mc('pop', it), regList((i & 0xff) | ((i & 0x100) << 7)));
}

function execCps(cpu: CortexM, i: number): void {
  if (!cpu.isPrivileged()) return;
  const disable = (i >> 4) & 1;
  if (i & 2) cpu.primask = disable;
  if (i & 1) { if (!disable) cpu.faultmask = 0; else if (cpu.system.executionPriority(cpu) > -1) cpu.faultmask = 1; }
  cpu.attention = true;
}
function disCps(i: number): string {
  return fmt((i >> 4) & 1 ? 'cpsid' : 'cpsie', ((i & 2) ? 'i' : '') + ((i & 1) ? 'f' : ''));
}

function rev32(v: number): number { return ((v >>> 24) | ((v >> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) | 0; }
function rev16(v: number): number { return (((v >> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8)) | 0; }
function revsh(v: number): number { return (((v & 0xff) << 24) >> 16) | ((v >> 8) & 0xff); }
export { rev32, rev16, revsh };

function execRev16b(cpu: CortexM, i: number): void {
  const m = cpu.r[(i >> 3) & 7];
  const op = (i >> 6) & 3;
  cpu.r[i & 7] = op === 0 ? rev32(m) : op === 1 ? rev16(m) : revsh(m);
}
const REV_MN = ['rev', 'rev16', '', 'revsh'];
function disRev16b(i: number, _pc: number, it: number): string {
  return fmt(mc(REV_MN[(i >> 6) & 3], it), `${R(i & 7)}, ${R((i >> 3) & 7)}`);
}

function execBkpt(cpu: CortexM, i: number): void { cpu.bkpt(i & 0xff); }
function disBkpt(i: number): string { return fmt('bkpt', `0x${(i & 0xff).toString(16).padStart(4, '0')}`); }

function execIt(cpu: CortexM, i: number): void { cpu.itstate = i & 0xff; }
function disIt(i: number): string {
  const first = (i >> 4) & 15;
  const mask = i & 15;
  const tz = mask & 1 ? 0 : mask & 2 ? 1 : mask & 4 ? 2 : 3;
  let s = 'it';
  for (let k = 3; k > tz; k--) s += ((mask >> k) & 1) === (first & 1) ? 't' : 'e';
  return fmt(s, condName(first) || 'al');
}
function unpredIt(i: number): boolean {
  const first = (i >> 4) & 15;
  const mask = i & 15;
  return first === 15 || (first === 14 && (mask & (mask - 1)) !== 0);
}

function execHint(cpu: CortexM, i: number): void {
  switch ((i >> 4) & 15) {
    case 2: cpu.wfe(); break;
    case 3: cpu.wfi(); break;
    case 4: cpu.sev(); break;
    default: break; // NOP, YIELD and the reserved hints execute as NOP
  }
}
const HINT_MN = ['nop', 'yield', 'wfe', 'wfi', 'sev'];
function disHint(i: number, _pc: number, it: number): string {
  const op = (i >> 4) & 15;
  if (op < 5) return mc(HINT_MN[op], it);
  return fmt(mc('nop', it), `{${op}}`);
}

// ---------------------------------------------------------------- LDM/STM, branches, SVC

function execStm(cpu: CortexM, i: number): void {
  const n = (i >> 8) & 7;
  const list = i & 0xff;
  let a = cpu.r[n];
  for (let k = 0; k < 8; k++) {
    if ((list >> k) & 1) { cpu.write32Aligned(a, cpu.r[k]); a = (a + 4) | 0; }
  }
  cpu.r[n] = a;
}
function disStm(i: number, _pc: number, it: number): string {
  return fmt(mc('stmia', it), `${R((i >> 8) & 7)}!, ${regList(i & 0xff)}`);
}
function unpredStm(i: number): boolean {
  const n = (i >> 8) & 7;
  const list = i & 0xff;
  // Rn in the list and not the lowest register stores an UNKNOWN value.
  return list === 0 || (((list >> n) & 1) !== 0 && (list & ((1 << n) - 1)) !== 0);
}
function execLdm(cpu: CortexM, i: number): void {
  const n = (i >> 8) & 7;
  const list = i & 0xff;
  const base = cpu.r[n];
  const wback = ((list >> n) & 1) === 0;
  ldmCore(cpu, list, n, wback, base, (base + (popcount16(list) << 2)) | 0);
}
function disLdm(i: number, _pc: number, it: number): string {
  const n = (i >> 8) & 7;
  return fmt(mc('ldmia', it), `${R(n)}${((i >> n) & 1) === 0 ? '!' : ''}, ${regList(i & 0xff)}`);
}

function execBcond(cpu: CortexM, i: number): void {
  if (cpu.conditionPassed((i >> 8) & 15)) cpu.branchWritePC(cpu.r[15] + (((i & 0xff) << 24) >> 23));
}
function disBcond(i: number, pc: number): string {
  return fmt(`b${condName((i >> 8) & 15)}.n`, hex(pc + 4 + (((i & 0xff) << 24) >> 23)));
}
function execSvc(cpu: CortexM, i: number): void { cpu.svc(i & 0xff); }
function disSvc(i: number, _pc: number, it: number): string { return fmt(mc('svc', it), `${i & 0xff}`); }
function execUdf(cpu: CortexM): void { cpu.undefinedInstruction(); }
function disUdf(i: number, _pc: number, it: number): string { return fmt(mc('udf', it), `#${i & 0xff}`); }

function execB(cpu: CortexM, i: number): void { cpu.branchWritePC(cpu.r[15] + (((i & 0x7ff) << 21) >> 20)); }
function disB(i: number, pc: number, it: number): string {
  return fmt(mc('b', it) + '.n', hex(pc + 4 + (((i & 0x7ff) << 21) >> 20)));
}

// ---------------------------------------------------------------- the table

export const thumb16Defs: InsnDef[] = [
  // LSL/LSR/ASR (immediate) T1: 000o oiii iimm mddd (op 11 is add/sub)
  { name: 'LSL/LSR/ASR (immediate) T1', size: 2, mask: 0xe000, match: 0x0000, when: (i) => (i & 0x1800) !== 0x1800, cls: 'dp', exec: execShiftImm, disasm: disShiftImm },
  // MOV (register) T2: 0000 0000 00mm mddd (MOVS)
  { name: 'MOV (register) T2', size: 2, mask: 0xffc0, match: 0x0000, cls: 'dp', exec: execMovsReg, disasm: (i) => fmt('movs', `${R(rd3(i))}, ${R(rn3(i))}`) },
  // ADD/SUB (register) T1, ADD/SUB (immediate) T1: 0001 1Iom mmnn nddd
  { name: 'ADD/SUB (register / imm3) T1', size: 2, mask: 0xf800, match: 0x1800, cls: 'dp', exec: execAddSub3, disasm: disAddSub3 },
  // MOV/CMP/ADD/SUB (immediate) imm8: 001o oddd iiii iiii
  { name: 'MOV/CMP/ADD/SUB (immediate) imm8', size: 2, mask: 0xe000, match: 0x2000, cls: 'dp', exec: execImm8, disasm: disImm8 },
  // Data processing (register): 0100 00oo oomm mddd
  { name: 'data processing (register) 16', size: 2, mask: 0xfc00, match: 0x4000, cls: 'dp', exec: execDpReg, disasm: disDpReg },
  // ADD (register) T2: 0100 0100 Dmmm mddd
  { name: 'ADD (register) T2', size: 2, mask: 0xff00, match: 0x4400, unpredictable: unpredAddHi, cls: 'dp', exec: execAddHi, disasm: disAddHi },
  // CMP (register) T2: 0100 0101 Nmmm mnnn
  {
    name: 'CMP (register) T2', size: 2, mask: 0xff00, match: 0x4500, cls: 'dp', exec: execCmpHi, disasm: disCmpHi,
    unpredictable: (i) => { const n = ((i >> 4) & 8) | (i & 7), m = (i >> 3) & 15; return (n < 8 && m < 8) || n === 15 || m === 15; },
  },
  // MOV (register) T1: 0100 0110 Dmmm mddd
  { name: 'MOV (register) T1', size: 2, mask: 0xff00, match: 0x4600, cls: 'dp', exec: execMovHi, disasm: disMovHi },
  // BX T1: 0100 0111 0mmm m000
  { name: 'BX T1', size: 2, mask: 0xff80, match: 0x4700, unpredictable: (i) => (i & 7) !== 0, cls: 'branch', exec: execBx, disasm: (i, _pc, it) => fmt(mc((i & 7) === 4 ? 'bxns' : 'bx', it), R((i >> 3) & 15)) },
  // BLX (register) T1: 0100 0111 1mmm m000
  { name: 'BLX (register) T1', size: 2, mask: 0xff80, match: 0x4780, unpredictable: (i) => (i & 0x7f) === 0x78 || (i & 7) !== 0, cls: 'branch', exec: execBlx, disasm: (i, _pc, it) => fmt(mc((i & 7) === 4 ? 'blxns' : 'blx', it), R((i >> 3) & 15)) },
  // LDR (literal) T1: 0100 1ttt iiii iiii
  { name: 'LDR (literal) T1', size: 2, mask: 0xf800, match: 0x4800, cls: 'ls', exec: execLdrLit, disasm: disLdrLit },
  // Load/store (register offset): 0101 ooom mmnn nttt
  { name: 'load/store (register) 16', size: 2, mask: 0xf000, match: 0x5000, cls: 'ls', exec: execLsReg, disasm: disLsReg },
  // STR/LDR (immediate) T1: 0110 Liii iinn nttt; STRB/LDRB T1: 0111 ...; STRH/LDRH T1: 1000 ...
  { name: 'STR/LDR (immediate) T1', size: 2, mask: 0xf000, match: 0x6000, cls: 'ls', exec: execLsImm, disasm: disLsImm },
  { name: 'STRB/LDRB (immediate) T1', size: 2, mask: 0xf000, match: 0x7000, cls: 'ls', exec: execLsImm, disasm: disLsImm },
  { name: 'STRH/LDRH (immediate) T1', size: 2, mask: 0xf000, match: 0x8000, cls: 'ls', exec: execLsImm, disasm: disLsImm },
  // STR/LDR (immediate) T2, SP-relative: 1001 Lttt iiii iiii
  { name: 'STR/LDR (SP immediate) T2', size: 2, mask: 0xf000, match: 0x9000, cls: 'ls', exec: execLsSp, disasm: disLsSp },
  // ADR T1: 1010 0ddd iiii iiii; ADD (SP plus immediate) T1: 1010 1ddd iiii iiii
  { name: 'ADR T1', size: 2, mask: 0xf800, match: 0xa000, cls: 'dp', exec: execAdr, disasm: disAdr },
  { name: 'ADD (SP plus immediate) T1', size: 2, mask: 0xf800, match: 0xa800, cls: 'dp', exec: execAddSpImm, disasm: disAddSpImm },
  // ADD/SUB (SP plus immediate) T2/T1: 1011 0000 Siii iiii
  { name: 'ADD/SUB (SP plus immediate) 16', size: 2, mask: 0xff00, match: 0xb000, cls: 'dp', exec: execAdjSp, disasm: disAdjSp },
  // CBZ/CBNZ T1: 1011 o0i1 iiii innn
  { name: 'CBZ/CBNZ T1', size: 2, mask: 0xf500, match: 0xb100, cls: 'branch', exec: execCbz, disasm: disCbz },
  // SXTH/SXTB/UXTH/UXTB T1: 1011 0010 oomm mddd
  { name: 'SXTH/SXTB/UXTH/UXTB T1', size: 2, mask: 0xff00, match: 0xb200, cls: 'misc', exec: execExtend16, disasm: disExtend16 },
  // PUSH T1: 1011 010M rrrr rrrr
  { name: 'PUSH T1', size: 2, mask: 0xfe00, match: 0xb400, unpredictable: (i) => (i & 0x1ff) === 0, cls: 'ls', exec: execPush, disasm: disPush },
  // CPS T1: 1011 0110 011m 00IF (A bit reads as 0 on M-profile)
  { name: 'CPS T1', size: 2, mask: 0xffec, match: 0xb660, unpredictable: (i) => (i & 3) === 0, cls: 'sys', exec: execCps, disasm: disCps },
  // REV/REV16/REVSH T1: 1011 1010 oomm mddd (op 10 undefined)
  { name: 'REV/REV16/REVSH T1', size: 2, mask: 0xff00, match: 0xba00, when: (i) => (i & 0xc0) !== 0x80, cls: 'misc', exec: execRev16b, disasm: disRev16b },
  // POP T1: 1011 110P rrrr rrrr
  { name: 'POP T1', size: 2, mask: 0xfe00, match: 0xbc00, unpredictable: (i) => (i & 0x1ff) === 0, cls: 'ls', exec: execPop, disasm: disPop },
  // BKPT T1: 1011 1110 iiii iiii
  { name: 'BKPT T1', size: 2, mask: 0xff00, match: 0xbe00, cls: 'sys', exec: execBkpt, disasm: disBkpt },
  // IT T1: 1011 1111 cccc mmmm (mask != 0)
  { name: 'IT T1', size: 2, mask: 0xff00, match: 0xbf00, when: (i) => (i & 15) !== 0, unpredictable: unpredIt, cls: 'misc', exec: execIt, disasm: disIt },
  // NOP/YIELD/WFE/WFI/SEV T1: 1011 1111 oooo 0000
  { name: 'hints T1', size: 2, mask: 0xff0f, match: 0xbf00, cls: 'misc', exec: execHint, disasm: disHint },
  // STM T1: 1100 0nnn rrrr rrrr; LDM T1: 1100 1nnn rrrr rrrr
  { name: 'STM T1', size: 2, mask: 0xf800, match: 0xc000, unpredictable: unpredStm, cls: 'ls', exec: execStm, disasm: disStm },
  { name: 'LDM T1', size: 2, mask: 0xf800, match: 0xc800, unpredictable: (i) => (i & 0xff) === 0, cls: 'ls', exec: execLdm, disasm: disLdm },
  // B T1: 1101 cccc iiii iiii (cond 1110 UDF, 1111 SVC)
  { name: 'B T1', size: 2, mask: 0xf000, match: 0xd000, when: (i) => (i & 0x0e00) !== 0x0e00, cls: 'branch', exec: execBcond, disasm: disBcond },
  { name: 'UDF T1', size: 2, mask: 0xff00, match: 0xde00, cls: 'misc', exec: execUdf, disasm: disUdf },
  { name: 'SVC T1', size: 2, mask: 0xff00, match: 0xdf00, cls: 'sys', exec: execSvc, disasm: disSvc },
  // B T2: 1110 0iii iiii iiii
  { name: 'B T2', size: 2, mask: 0xf800, match: 0xe000, cls: 'branch', exec: execB, disasm: disB },
];
