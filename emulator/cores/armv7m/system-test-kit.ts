// Shared fixture for the system-level specs: a core with RAM for code and vectors,
// SRAM for stacks, the SCS mapped, and a tiny instruction table (NOP, BX, SVC, WFI)
// so that the run loop can be driven before the full ISA is linked in.
import { AddressSpace, ATTR_PRIV, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CortexM } from './cpu';
import { InsnDef, InsnTable } from './insn';
import { ArmV7MSystem, ArmV7MSystemOptions } from './system';

const noDisasm = (): string => '';
/** Just enough Thumb for the run loop: NOP, BX Rm, SVC #imm, WFI, WFE. */
export const kitTable = new InsnTable([
  { name: 'NOP T1', size: 2, mask: 0xffff, match: 0xbf00, cls: 'misc', exec: () => {}, disasm: noDisasm },
  { name: 'WFI T1', size: 2, mask: 0xffff, match: 0xbf30, cls: 'misc', exec: (c) => c.wfi(), disasm: noDisasm },
  { name: 'WFE T1', size: 2, mask: 0xffff, match: 0xbf20, cls: 'misc', exec: (c) => c.wfe(), disasm: noDisasm },
  { name: 'BX T1', size: 2, mask: 0xff87, match: 0x4700, cls: 'branch', exec: (c, i) => c.bxWritePC(c.r[(i >> 3) & 15]), disasm: noDisasm },
  { name: 'SVC T1', size: 2, mask: 0xff00, match: 0xdf00, cls: 'sys', exec: (c, i) => c.svc(i & 0xff), disasm: noDisasm },
] satisfies InsnDef[]);

export const CODE = 0x400;
export const STACK_TOP = 0x20008000;
/** Handler for exception n lives at HANDLERS + 0x10 * n (each is NOPs then BX LR). */
export const HANDLERS = 0x1000;

export interface Kit { bus: AddressSpace; clock: Clock; cpu: CortexM; sys: ArmV7MSystem; warnings: string[] }

export function makeKit(opts: Partial<ArmV7MSystemOptions> = {}, numIrqs = 64): Kit {
  const bus = new AddressSpace('test');
  bus.mapMemory(0, new Memory('flash', 0x4000));
  bus.mapMemory(0x20000000, new Memory('sram', 0x10000));
  const clock = new Clock(25_000_000);
  const cpu = new CortexM('cpu0', bus, clock, kitTable);
  const warnings: string[] = [];
  const sys = new ArmV7MSystem(cpu, { numIrqs, priorityBits: 3, cpuid: 0x410fc241, hasFpu: true, warn: (m) => warnings.push(m), ...opts });
  cpu.system = sys;
  sys.mapInto(bus);
  bus.write32(0, STACK_TOP);
  bus.write32(4, CODE | 1);
  for (let n = 2; n < 16 + numIrqs && 4 * n < CODE; n++) bus.write32(4 * n, (HANDLERS + 0x10 * n) | 1);
  for (let a = CODE; a < HANDLERS; a += 2) bus.write16(a, 0xbf00);
  for (let n = 2; n < 16 + numIrqs; n++) {
    const h = HANDLERS + 0x10 * n;
    if (h + 0x10 > 0x4000) break;
    for (let k = 0; k < 6; k++) bus.write16(h + 2 * k, 0xbf00);
    bus.write16(h + 12, 0x4770); // BX LR
  }
  cpu.reset();
  return { bus, clock, cpu, sys, warnings };
}

/** Privileged word access to an SCS register by absolute address. */
export function scsRead(k: Kit, addr: number): number { return k.bus.read32(addr, ATTR_PRIV); }
export function scsWrite(k: Kit, addr: number, v: number): void { k.bus.write32(addr, v, ATTR_PRIV); }
export function handlerOf(n: number): number { return HANDLERS + 0x10 * n; }
