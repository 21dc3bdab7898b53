// Test fixture for the FP specs: a CortexM over 64 KiB of RAM with only the VFP table and
// the shared TestSystem stub, plus a helper that executes one 32-bit instruction word
// through the real run loop.
import { AddressSpace, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CortexM } from './cpu';
import { TestSystem } from './test-system';
import { InsnTable } from './insn';
import { vfpDefs } from './isa-vfp';

export interface FpTestCpu {
  cpu: CortexM;
  bus: AddressSpace;
  sys: TestSystem;
  /** CFSR bits of every fault raised, in order (clear with `t.faults.length = 0`). */
  faults: number[];
  /** Set false to make fpAccessAllowed deny (CPACR off): FP instructions then raise NOCP. */
  fpEnabled: boolean;
}

export const CODE_ADDR = 0x100;

export function makeFpCpu(): FpTestCpu {
  const bus = new AddressSpace('fp-test');
  bus.mapMemory(0, new Memory('ram', 0x10000));
  const cpu = new CortexM('fp-test', bus, new Clock(), new InsnTable(vfpDefs));
  const sys = new TestSystem();
  cpu.system = sys;
  const faults: number[] = [];
  // Keep the plain number list the FP specs read, fed from the shared stub.
  const record = sys.fault.bind(sys);
  sys.fault = (c, bits, addr) => { faults.push(bits); record(c, bits, addr); };
  return {
    cpu, bus, sys, faults,
    get fpEnabled() { return sys.fpEnabled; },
    set fpEnabled(v: boolean) { sys.fpEnabled = v; },
  };
}

/** Execute one 32-bit instruction (hw1 << 16 | hw2) at CODE_ADDR. */
export function exec32(t: FpTestCpu, word: number, addr = CODE_ADDR): void {
  t.bus.write16(addr, word >>> 16, 1);
  t.bus.write16(addr + 2, word & 0xffff, 1);
  t.cpu.pc = addr;
  t.cpu.run(1);
}
