// Human names for CFSR bits (ARM ARM B3.2.15), for the CLI and the debugger's
// exception stop reasons ("UsageFault: UNDEFINSTR").
import * as C from './cores/armv7m/cpu';

export const CFSR_NAMES = {
  IACCVIOL: C.CFSR_IACCVIOL, DACCVIOL: C.CFSR_DACCVIOL, MUNSTKERR: C.CFSR_MUNSTKERR, MSTKERR: C.CFSR_MSTKERR,
  MLSPERR: C.CFSR_MLSPERR, MMARVALID: C.CFSR_MMARVALID, IBUSERR: C.CFSR_IBUSERR, PRECISERR: C.CFSR_PRECISERR,
  IMPRECISERR: C.CFSR_IMPRECISERR, UNSTKERR: C.CFSR_UNSTKERR, STKERR: C.CFSR_STKERR, LSPERR: C.CFSR_LSPERR,
  BFARVALID: C.CFSR_BFARVALID, UNDEFINSTR: C.CFSR_UNDEFINSTR, INVSTATE: C.CFSR_INVSTATE, INVPC: C.CFSR_INVPC,
  NOCP: C.CFSR_NOCP, UNALIGNED: C.CFSR_UNALIGNED, DIVBYZERO: C.CFSR_DIVBYZERO,
} as const;

/** e.g. 'UsageFault (UNDEFINSTR)' or 'BusFault (PRECISERR)'. */
export function describeCfsr(cfsr: number): string {
  const names = Object.entries(CFSR_NAMES).filter(([n, b]) => (cfsr & b) !== 0 && !n.endsWith('VALID')).map(([n]) => n);
  const kind = (cfsr & 0xff) !== 0 ? 'MemManage' : (cfsr & 0xff00) !== 0 ? 'BusFault' : (cfsr & 0xffff0000) !== 0 ? 'UsageFault' : 'fault';
  return `${kind} (${names.join(', ') || 'no status'})`;
}
