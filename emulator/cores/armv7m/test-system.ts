// Test utility: a CoreSystem stub that records faults, SVCs, exception returns and
// debug events instead of taking exceptions, plus a helper that builds a CortexM with
// 64 KiB of RAM at 0 running the full armv7mTable. Shared by the ISA specs.
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
  unalignTrap = false;
  div0Trap = false;
  aspen = false;
  lspact = false;
  reset(): void { /* tests set registers directly */ }
  service(): void { /* exceptions are recorded, never taken */ }
  wakeupPending(): boolean { return false; }
  /** Records the fault and stops the run loop (nothing takes the exception, so running on would re-fault forever). */
  fault(cpu: CortexM, cfsrBits: number, address: number): void {
    this.faults.push({ cfsr: cfsrBits, address, pc: cpu.curPc });
    cpu.stop('lockup');
  }
  exceptionReturn(_cpu: CortexM, excReturn: number): void { this.excReturns.push(excReturn); }
  svc(_cpu: CortexM, imm: number): void { this.svcs.push(imm); }
  mpuCheck(): boolean { return true; }
  preserveFpState(): void { /* no FP context */ }
  fpAccessAllowed(): boolean { return true; }
  executionPriority(cpu: CortexM): number { return cpu.faultmask ? -1 : cpu.primask ? 0 : 256; }
  debugEvent(): void { this.debugEvents++; }
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
