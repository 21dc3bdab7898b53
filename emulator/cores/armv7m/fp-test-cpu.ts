// Test fixture for the FP specs: a CortexM over 64 KiB of RAM with only the VFP table and
// a stub system that allows FP access and records faults, plus a helper that executes one
// 32-bit instruction word through the real run loop.
import { AddressSpace, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CortexM, CoreSystem } from './cpu';
import { InsnTable } from './insn';
import { vfpDefs } from './isa-vfp';

export interface FpTestCpu {
  cpu: CortexM;
  bus: AddressSpace;
  /** CFSR bits of every fault raised, in order. */
  faults: number[];
  /** Set false to make fpAccessAllowed deny (CPACR off): FP instructions then raise NOCP. */
  fpEnabled: boolean;
}

export const CODE_ADDR = 0x100;

export function makeFpCpu(): FpTestCpu {
  const bus = new AddressSpace('fp-test');
  bus.mapMemory(0, new Memory('ram', 0x10000));
  const t: FpTestCpu = { cpu: undefined as unknown as CortexM, bus, faults: [], fpEnabled: true };
  const cpu = new CortexM('fp-test', bus, new Clock(), new InsnTable(vfpDefs));
  const sys: CoreSystem = {
    reset: () => {},
    service: () => {},
    wakeupPending: () => false,
    // Stop the loop: nothing pends an exception here, so it would refetch the faulting instruction forever.
    fault: (c, bits) => { t.faults.push(bits); c.stop('halt'); },
    exceptionReturn: () => {},
    svc: () => {},
    mpuCheck: () => true,
    preserveFpState: () => {},
    fpAccessAllowed: () => t.fpEnabled,
    aspen: false,
    lspact: false,
    unalignTrap: false,
    div0Trap: false,
    executionPriority: () => 0,
    debugEvent: () => {},
  };
  cpu.system = sys;
  t.cpu = cpu;
  return t;
}

/** Execute one 32-bit instruction (hw1 << 16 | hw2) at CODE_ADDR. */
export function exec32(t: FpTestCpu, word: number, addr = CODE_ADDR): void {
  t.bus.write16(addr, word >>> 16, 1);
  t.bus.write16(addr + 2, word & 0xffff, 1);
  // Writes through the bus go around the decode cache; drop it so a new word is decoded.
  const f = t.bus.frames[addr >>> 12];
  if (f !== undefined) { f.code = null; f.codeWords = null; }
  t.cpu.pc = addr;
  t.cpu.run(1);
}
