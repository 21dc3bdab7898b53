// The exception breakpoint filters the adapter offers VS Code (fault kinds by vector, and the
// machine's own transitions: TrustZone world switches, secondary cores leaving reset), and
// their mapping onto the Target's ExceptionFilter names.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ExceptionFilter } from './target';

/** Listed in initialize; ids are the Target filter names so the mapping is the identity. */
export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  // On by default: a HardFault is nearly always a bug the user wants to see where it happened.
  { filter: 'hardfault', label: 'HardFault', default: true, description: 'Stop at the instruction that raised a HardFault (or escalated to one), or at a lockup' },
  { filter: 'memmanage', label: 'MemManage fault', description: 'MPU violations and faulting instruction fetches (CFSR.MMFSR)' },
  { filter: 'busfault', label: 'BusFault', description: 'Bus errors on loads, stores, fetches and stacking (CFSR.BFSR)' },
  { filter: 'usagefault', label: 'UsageFault', description: 'Undefined instructions, invalid state, unaligned access and divide by zero traps (CFSR.UFSR)' },
  { filter: 'securefault', label: 'SecureFault', description: 'TrustZone-M: security violations (SFSR), Armv8-M boards only' },
  { filter: 'any-fault', label: 'Any fault', description: 'Every fault exception, whatever its kind' },
  { filter: 'world-switch', label: 'World switch', description: 'TrustZone-M: every change between the secure and non-secure worlds (BXNS/BLXNS, SG, exceptions)' },
  { filter: 'reset-release', label: 'Core released from reset', description: 'Multi-core boards: a core held at reset starts running' },
];

const KNOWN = new Set(EXCEPTION_FILTERS.map((f) => f.filter));

/** Target filters for the ids VS Code sent; unknown ids are returned separately for the reply. */
export function toTargetFilters(ids: readonly string[]): { filters: ExceptionFilter[]; unknown: string[] } {
  const filters: ExceptionFilter[] = [];
  const unknown: string[] = [];
  for (const id of ids) (KNOWN.has(id) ? filters.push(id as ExceptionFilter) : unknown.push(id));
  return { filters, unknown };
}
