// Compares our core's result for one case with Unicorn's and formats readable mismatch
// reports. Documented QEMU deviations from the ARM ARM are classified, not failed.
import { CFSR_INVSTATE, CFSR_UNALIGNED, CFSR_UNDEFINSTR } from '../../emulator/cores/armv7m/cpu';
import type { OurResult } from './run-ours';
import { DiffCase, OracleResult, ST_EXCEPTION, ST_OK } from './wire';

export type Verdict = 'agree' | 'mismatch' | 'deviation';

export interface Outcome { verdict: Verdict; diffs: string[] }

const hex = (v: number, w = 8) => '0x' + (v >>> 0).toString(16).padStart(w, '0');
const FLAG_NAMES = ['N', 'Z', 'C', 'V', 'Q'];

export function compareCase(c: DiffCase, ours: OurResult, theirs: OracleResult): Outcome {
  const oursRan = ours.event === '';
  const theirsRan = theirs.status === ST_OK;
  if (!oursRan && !theirsRan) return { verdict: 'agree', diffs: [] };
  if (!oursRan && theirsRan && ours.cfsr === CFSR_UNALIGNED) {
    // QEMU 5 (Unicorn 2.0.1) does not check alignment for LDM/STM/LDRD/STRD/exclusives/VLDR;
    // ARM ARM A3.2.1 requires an UNALIGNED UsageFault for them whatever CCR.UNALIGN_TRP says.
    return { verdict: 'deviation', diffs: ['unaligned access: ours UsageFault (A3.2.1), unicorn completed it'] };
  }
  if (!oursRan && theirsRan && ours.cfsr === CFSR_INVSTATE && ((theirs.xpsr >>> 24) & 1) === 0) {
    // An interworking branch to an even address: both cleared EPSR.T (A2.3.1); the INVSTATE
    // UsageFault belongs to the next instruction, which our run loop raises on its way out.
    return { verdict: 'agree', diffs: [] };
  }
  if (!oursRan && theirsRan && ours.cfsr === CFSR_UNDEFINSTR && c.hws.length === 2 && (c.hws[0] & 0xff10) === 0xf900) {
    // 1111 1001 xxx0: Advanced SIMD element/structure load/store. ARMv7-M has no such
    // group (A5.3.1 table A5-9: op2 = 001xxx0 is UNDEFINED); QEMU 5 executes them anyway.
    return { verdict: 'deviation', diffs: ['Advanced SIMD structure load/store: UNDEFINED on ARMv7-M (A5.3.1), unicorn executed it'] };
  }
  if (oursRan && theirs.status === ST_EXCEPTION && theirs.intno === 8 && (ours.r[15] >>> 0) >= 0xfe000000) {
    // M33 in Secure state: QEMU traps every branch to 0xFExxxxxx+ (FNC_RETURN works in Thread
    // mode too) as its internal EXCP_EXCEPTION_EXIT (8), then does the plain branch that
    // BXWritePC makes of it in Thread mode; Unicorn's hook stops at the trap. Oracle artefact.
    return { verdict: 'deviation', diffs: ['branch to a magic address in Thread mode: unicorn stopped at QEMU\'s internal exception-exit trap'] };
  }
  if (oursRan !== theirsRan) {
    return {
      verdict: 'mismatch',
      diffs: [`ours ${oursRan ? 'ran' : `raised ${ours.event} (CFSR ${hex(ours.cfsr)})`}, unicorn ${theirsRan ? 'ran' : describeStatus(theirs)}`],
    };
  }
  const diffs: string[] = [];
  for (let k = 0; k < 16; k++) {
    if (ours.r[k] !== theirs.r[k]) diffs.push(`${k === 15 ? 'pc' : k === 13 ? 'sp' : k === 14 ? 'lr' : 'r' + k}: ours ${hex(ours.r[k])} unicorn ${hex(theirs.r[k])}`);
  }
  for (let b = 0; b < 5; b++) {
    const o = (ours.apsr >>> (31 - b)) & 1, t = (theirs.xpsr >>> (31 - b)) & 1;
    if (o !== t) diffs.push(`${FLAG_NAMES[b]}: ours ${o} unicorn ${t}`);
  }
  const geO = (ours.apsr >>> 16) & 15, geT = (theirs.xpsr >>> 16) & 15;
  if (geO !== geT) diffs.push(`GE: ours ${geO.toString(2).padStart(4, '0')} unicorn ${geT.toString(2).padStart(4, '0')}`);
  const itT = ((theirs.xpsr >>> 25) & 3) | (((theirs.xpsr >>> 10) & 0x3f) << 2);
  if (ours.itstate !== itT) diffs.push(`ITSTATE: ours ${hex(ours.itstate, 2)} unicorn ${hex(itT, 2)}`);
  if (c.fp) {
    if (ours.fpscr !== theirs.fpscr) diffs.push(`FPSCR: ours ${hex(ours.fpscr)} unicorn ${hex(theirs.fpscr)}`);
    for (let k = 0; k < 32; k++) if (ours.s[k] !== theirs.s[k]) diffs.push(`s${k}: ours ${hex(ours.s[k])} unicorn ${hex(theirs.s[k])}`);
  }
  const offs = new Set<number>([...ours.mem.keys(), ...theirs.mem.keys()]);
  const memDiffs: string[] = [];
  for (const off of [...offs].sort((a, b) => a - b)) {
    const o = ours.mem.get(off), t = theirs.mem.get(off);
    if (o !== t) memDiffs.push(`[+${hex(off, 3)}] ours ${o === undefined ? 'unchanged' : hex(o, 2)} unicorn ${t === undefined ? 'unchanged' : hex(t, 2)}`);
  }
  if (memDiffs.length > 0) diffs.push(`memory: ${memDiffs.slice(0, 8).join(', ')}${memDiffs.length > 8 ? ` (+${memDiffs.length - 8} more)` : ''}`);
  return { verdict: diffs.length === 0 ? 'agree' : 'mismatch', diffs };
}

export function describeStatus(t: OracleResult): string {
  switch (t.status) {
    case 0: return 'ran';
    case 1: return 'UNDEFINED';
    case 2: return 'memory fault';
    case 3: return `exception ${t.intno}`;
    default: return 'error';
  }
}

/** The case's inputs, for a mismatch report. */
export function describeInputs(c: DiffCase): string {
  const regs = Array.from(c.r.subarray(0, 15), (v, k) => `r${k}=${hex(v)}`).join(' ');
  let s = `    in: ${regs} apsr=${hex(c.apsr)}`;
  if (c.fp) s += `\n    fp: fpscr=${hex(c.fpscr)} ` + Array.from(c.s, (v, k) => `s${k}=${hex(v)}`).join(' ');
  return s;
}
