// Shared fixture for the system-level specs: a core with RAM for code and vectors,
// SRAM for stacks, the SCS mapped, and a tiny instruction table (NOP, BX, SVC, WFI)
// so that the run loop can be driven before the full ISA is linked in. makeV8Kit adds a
// Cortex-M33 with the Security Extension and a second (Non-secure) vector table.
import { AddressSpace, ATTR_PRIV, ATTR_SECURE, Memory } from '../../bus';
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

/** The Non-secure vector table of the v8-M kit; NS handler n lives at NS_HANDLERS + 0x10 * n. */
export const NS_VTOR = 0x2000;
export const NS_HANDLERS = 0x2400;
export const NS_STACK_TOP = 0x20004000;
export function nsHandlerOf(n: number): number { return NS_HANDLERS + 0x10 * n; }

/**
 * A Cortex-M33 (arch v8m, Security Extension, 8 SAU and 8 MPU regions) on the kit's memory:
 * Secure vectors at 0 as in makeKit, Non-secure vectors at NS_VTOR (VTOR_NS), MSP_NS at NS_STACK_TOP.
 * No SAU attribution is installed, so the tests here exercise the system level alone.
 */
export function makeV8Kit(opts: Partial<ArmV7MSystemOptions> = {}, numIrqs = 32): Kit {
  const k = makeKit({ arch: 'v8m', hasSecurity: true, cpuid: 0x410fd213, hasFpu: false, initialVtorNs: NS_VTOR, ...opts }, numIrqs);
  const { bus, cpu } = k;
  bus.write32(NS_VTOR, NS_STACK_TOP);
  bus.write32(NS_VTOR + 4, CODE | 1);
  for (let n = 2; n < 16 + numIrqs && 4 * n < NS_HANDLERS - NS_VTOR; n++) bus.write32(NS_VTOR + 4 * n, nsHandlerOf(n) | 1);
  for (let n = 2; n < 16 + numIrqs; n++) {
    const h = nsHandlerOf(n);
    if (h + 0x10 > 0x4000) break;
    for (let j = 0; j < 6; j++) bus.write16(h + 2 * j, 0xbf00);
    bus.write16(h + 12, 0x4770);
  }
  cpu.reset();
  cpu.other.msp = NS_STACK_TOP;
  return k;
}

/** Secure privileged access (the Secure bank on the main SCS window, or the NS bank through 0xE002xxxx). */
export function sRead(k: Kit, addr: number): number { return k.bus.read32(addr, ATTR_PRIV | ATTR_SECURE); }
export function sWrite(k: Kit, addr: number, v: number): void { k.bus.write32(addr, v, ATTR_PRIV | ATTR_SECURE); }
/** Non-secure privileged access. */
export function nsRead(k: Kit, addr: number): number { return k.bus.read32(addr, ATTR_PRIV); }
export function nsWrite(k: Kit, addr: number, v: number): void { k.bus.write32(addr, v, ATTR_PRIV); }
