// Decoders for the Registers, Fault status and Security scopes: xPSR into flags, IT state and
// the exception, CONTROL and FPSCR into their fields, and CFSR/HFSR/SFSR into named status
// bits. Pure functions over register values; the session turns their fields into DAP variables.
import { exceptionName } from './stack';

/** One decoded field: `N = 1`, `IPSR = 15 (SysTick)`. */
export interface Field { name: string; value: string }

const bit = (v: number, n: number) => (v >>> n) & 1;

/** xPSR (ARM ARM v7-M B1.4.2; ARMv8-M the same layout): APSR flags, EPSR T/IT/ICI, IPSR. */
export function decodeXpsr(xpsr: number, opts: { world?: 'secure' | 'non-secure'; hasSecurity?: boolean; privileged?: boolean } = {}): Field[] {
  const v = xpsr >>> 0;
  const ipsr = v & 0x1ff;
  // ITSTATE[7:0] = EPSR[15:10]:EPSR[26:25] (B1.4.2 "The ITSTATE field").
  const it = (((v >>> 10) & 0x3f) << 2) | ((v >>> 25) & 3);
  const fields: Field[] = [
    { name: 'N', value: String(bit(v, 31)) }, { name: 'Z', value: String(bit(v, 30)) },
    { name: 'C', value: String(bit(v, 29)) }, { name: 'V', value: String(bit(v, 28)) },
    { name: 'Q', value: String(bit(v, 27)) },
    { name: 'GE', value: `0b${((v >>> 16) & 0xf).toString(2).padStart(4, '0')}` },
    { name: 'T', value: String(bit(v, 24)) },
    { name: 'IT', value: it === 0 ? '0x00 (not in an IT block)' : `0x${it.toString(16).padStart(2, '0')} (cond ${(it >>> 4).toString(2).padStart(4, '0')}, mask ${(it & 0xf).toString(2).padStart(4, '0')})` },
    { name: 'IPSR', value: `${ipsr} (${ipsr === 0 ? 'Thread' : exceptionName(ipsr)})` },
    { name: 'Mode', value: ipsr === 0 ? `Thread${opts.privileged === false ? ' (unprivileged)' : opts.privileged ? ' (privileged)' : ''}` : 'Handler' },
  ];
  if (opts.hasSecurity) fields.push({ name: 'Security', value: opts.world === 'secure' ? 'Secure' : 'Non-secure' });
  return fields;
}

/** FPSCR (ARM ARM v7-M A2.5.3 / B1.4.x): flags, AHP/DN/FZ, rounding mode, cumulative exceptions. */
export function decodeFpscr(fpscr: number): Field[] {
  const v = fpscr >>> 0;
  const rmode = ['RN (to nearest)', 'RP (towards +inf)', 'RM (towards -inf)', 'RZ (towards zero)'][(v >>> 22) & 3];
  const exc = [['IOC', 0], ['DZC', 1], ['OFC', 2], ['UFC', 3], ['IXC', 4], ['IDC', 7]] as const;
  return [
    { name: 'N', value: String(bit(v, 31)) }, { name: 'Z', value: String(bit(v, 30)) },
    { name: 'C', value: String(bit(v, 29)) }, { name: 'V', value: String(bit(v, 28)) },
    { name: 'AHP', value: String(bit(v, 26)) }, { name: 'DN', value: String(bit(v, 25)) },
    { name: 'FZ', value: String(bit(v, 24)) }, { name: 'RMode', value: rmode },
    ...exc.map(([n, b]) => ({ name: n, value: String(bit(v, b)) })),
  ];
}

/**
 * CONTROL (B1.4.4; ARMv8-M B3.x adds SFPA): nPRIV, SPSEL, FPCA and, on a core with the Security
 * Extension, SFPA. FPCA and SFPA are not banked: CONTROL_NS has no SFPA (RES0), so `register`
 * ('control_ns') leaves it out; without options SFPA is listed only when set, as before.
 */
export function decodeControl(control: number, opts: { register?: string; hasSecurity?: boolean } = {}): Field[] {
  const v = control >>> 0;
  const fields: Field[] = [
    { name: 'nPRIV', value: `${bit(v, 0)} (${bit(v, 0) ? 'unprivileged' : 'privileged'} in Thread mode)` },
    { name: 'SPSEL', value: `${bit(v, 1)} (${bit(v, 1) ? 'PSP' : 'MSP'} in Thread mode)` },
    { name: 'FPCA', value: `${bit(v, 2)} (${bit(v, 2) ? 'FP context active' : 'no FP context'})` },
  ];
  const nsBank = opts.register?.toLowerCase() === 'control_ns';
  if (opts.hasSecurity === true ? !nsBank : bit(v, 3) === 1) {
    fields.push({ name: 'SFPA', value: `${bit(v, 3)} (${bit(v, 3) ? 'the FP registers hold Secure state' : 'no Secure FP state'})` });
  }
  return fields;
}

/** An s register's IEEE single bits as the float they hold. */
export function floatOfBits(bits: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, bits >>> 0, true);
  return dv.getFloat32(0, true);
}

/** The float's raw bits, for writing an s register. */
export function bitsOfFloat(f: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, f, true);
  return dv.getUint32(0, true);
}

/** Bit names of CFSR = UFSR:BFSR:MMFSR (B3.2.15-B3.2.17; STKOF is ARMv8-M only). */
const CFSR_BITS: [number, string, string][] = [
  [0, 'IACCVIOL', 'MemManage: instruction access violation'], [1, 'DACCVIOL', 'MemManage: data access violation'],
  [3, 'MUNSTKERR', 'MemManage on exception return unstacking'], [4, 'MSTKERR', 'MemManage on exception entry stacking'],
  [5, 'MLSPERR', 'MemManage during lazy FP state preservation'], [7, 'MMARVALID', 'MMFAR holds the faulting address'],
  [8, 'IBUSERR', 'BusFault on instruction fetch'], [9, 'PRECISERR', 'precise data BusFault'],
  [10, 'IMPRECISERR', 'imprecise data BusFault'], [11, 'UNSTKERR', 'BusFault on exception return unstacking'],
  [12, 'STKERR', 'BusFault on exception entry stacking'], [13, 'LSPERR', 'BusFault during lazy FP state preservation'],
  [15, 'BFARVALID', 'BFAR holds the faulting address'],
  [16, 'UNDEFINSTR', 'undefined instruction'], [17, 'INVSTATE', 'invalid state (EPSR.T or IT)'],
  [18, 'INVPC', 'invalid EXC_RETURN or PC load'], [19, 'NOCP', 'no coprocessor (FPU disabled?)'],
  [20, 'STKOF', 'stack overflow (stack limit)'], [24, 'UNALIGNED', 'unaligned access'], [25, 'DIVBYZERO', 'divide by zero'],
];
/** HFSR (B3.2.16). */
const HFSR_BITS: [number, string, string][] = [
  [1, 'VECTTBL', 'BusFault reading the vector table'], [30, 'FORCED', 'escalated from a configurable fault'],
  [31, 'DEBUGEVT', 'debug event'],
];
/** SFSR (ARMv8-M, Security Extension). */
const SFSR_BITS: [number, string, string][] = [
  [0, 'INVEP', 'invalid Secure entry point'], [1, 'INVIS', 'invalid integrity signature on unstacking'],
  [2, 'INVER', 'invalid exception return'], [3, 'AUVIOL', 'attribution unit violation'],
  [4, 'INVTRAN', 'invalid transition to Non-secure'], [5, 'LSPERR', 'lazy state preservation error'],
  [6, 'SFARVALID', 'SFAR holds the faulting address'], [7, 'LSERR', 'lazy state error'],
];

function setBits(v: number, table: [number, string, string][]): Field[] {
  return table.filter(([b]) => bit(v, b) === 1).map(([, n, d]) => ({ name: n, value: d }));
}

export interface FaultRegisters { cfsr: number; hfsr: number; mmfar: number; bfar: number; sfsr?: number; sfar?: number }

/** One register of the Fault status scope, with its set bits decoded. */
export interface FaultRegister { name: string; value: number; bits: Field[] }

export function decodeFaultRegisters(f: FaultRegisters): FaultRegister[] {
  const out: FaultRegister[] = [
    { name: 'CFSR', value: f.cfsr >>> 0, bits: setBits(f.cfsr, CFSR_BITS) },
    { name: 'HFSR', value: f.hfsr >>> 0, bits: setBits(f.hfsr, HFSR_BITS) },
    // MMFAR/BFAR are only meaningful while their VALID bits are set.
    { name: 'MMFAR', value: f.mmfar >>> 0, bits: bit(f.cfsr, 7) ? [] : [{ name: 'note', value: 'not valid (MMARVALID clear)' }] },
    { name: 'BFAR', value: f.bfar >>> 0, bits: bit(f.cfsr, 15) ? [] : [{ name: 'note', value: 'not valid (BFARVALID clear)' }] },
  ];
  if (f.sfsr !== undefined) out.push(...decodeSecureFault(f.sfsr, f.sfar));
  return out;
}

/**
 * SFSR with its set bits, and SFAR when given (ARMv8-M D1.2 SFSR/SFAR): shared by the Fault
 * status and Security scopes. SFAR says "not valid" unless SFSR.SFARVALID is set.
 */
export function decodeSecureFault(sfsr: number, sfar?: number): FaultRegister[] {
  const out: FaultRegister[] = [{ name: 'SFSR', value: sfsr >>> 0, bits: setBits(sfsr, SFSR_BITS) }];
  if (sfar !== undefined) out.push({ name: 'SFAR', value: sfar >>> 0, bits: bit(sfsr, 6) ? [] : [{ name: 'note', value: 'not valid (SFARVALID clear)' }] });
  return out;
}

/** Whether any fault status bit is set (the Fault status scope is shown then). */
export function anyFault(f: FaultRegisters): boolean {
  return (f.cfsr | f.hfsr | (f.sfsr ?? 0)) !== 0;
}
