// Test utility: the one CoreSystem stub for instruction-level tests. It records faults,
// SVCs, exception returns and debug events instead of taking exceptions (Unicorn has no
// NVIC either), plus a helper that builds a CortexM with 64 KiB of RAM at 0.
import { AddressSpace, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CortexM, type CoreSystem } from './cpu';
import { armv7mTable } from './isa';
import type { InsnTable } from './insn';

export class TestSystem implements CoreSystem {
  faults: { cfsr: number; address: number; pc: number }[] = [];
  svcs: number[] = [];
  excReturns: number[] = [];
  debugEvents = 0;
  /** OR of every CFSR bit raised since clear(). */
  cfsr = 0;
  /** What last stopped the core: 'fault', 'svc', 'exception return', 'debug event', or ''. */
  event = '';
  /** Also stop the core on SVC, exception return and BKPT (run one block, then read back). */
  stopOnEvents = false;
  /** CPACR stand-in: false makes FP instructions raise NOCP. */
  fpEnabled = true;
  unalignTrap = false;
  div0Trap = false;
  aspen = false;
  lspact = false;
  clear(): void {
    this.faults.length = 0; this.svcs.length = 0; this.excReturns.length = 0;
    this.debugEvents = 0; this.cfsr = 0; this.event = '';
  }
  private note(cpu: CortexM, event: string): void {
    this.event = event;
    if (this.stopOnEvents) cpu.stop('halt');
  }
  reset(): void { /* tests set registers directly */ }
  service(): void { /* exceptions are recorded, never taken */ }
  wakeupPending(): boolean { return false; }
  /** Records the fault and stops the run loop (nothing takes the exception, so running on would re-fault forever). */
  fault(cpu: CortexM, cfsrBits: number, address: number): void {
    this.faults.push({ cfsr: cfsrBits, address, pc: cpu.curPc });
    this.cfsr |= cfsrBits;
    this.event = 'fault';
    cpu.stop('lockup');
  }
  exceptionReturn(cpu: CortexM, excReturn: number): void { this.excReturns.push(excReturn); this.note(cpu, 'exception return'); }
  svc(cpu: CortexM, imm: number): void { this.svcs.push(imm); this.note(cpu, 'svc'); }
  mpuCheck(): boolean { return true; }
  preserveFpState(): void { /* no FP context */ }
  fpAccessAllowed(): boolean { return this.fpEnabled; }
  executionPriority(cpu: CortexM): number { return cpu.faultmask ? -1 : cpu.primask ? 0 : 256; }
  debugEvent(cpu: CortexM): void { this.debugEvents++; this.note(cpu, 'debug event'); }
}

export interface TestCore { cpu: CortexM; sys: TestSystem; bus: AddressSpace; ram: Memory }

/** A core with RAM at 0..0xffff, `code` loaded at 0, SP at 0x8000, PC at 0, privileged Thread mode. */
export function makeTestCore(code: Uint8Array, table: InsnTable = armv7mTable): TestCore {
  const bus = new AddressSpace('t');
  const ram = new Memory('ram', 0x10000);
  bus.mapMemory(0, ram);
  const cpu = new CortexM('t', bus, new Clock(), table);
  const sys = new TestSystem();
  cpu.system = sys;
  bus.loadBytes(0, code);
  cpu.pc = 0;
  cpu.r[13] = 0x8000;
  cpu.msp = 0x8000;
  return { cpu, sys, bus, ram };
}
