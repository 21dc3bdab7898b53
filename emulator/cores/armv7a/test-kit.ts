// Test utility for the Cortex-A9 specs: assemble A32/T32 snippets for cortex-a9 with
// arm-none-eabi-as (cached by content hash) and build a bare core with RAM at 0.
import { AddressSpace, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CortexA9 } from './cpu';
import { assembleCached } from '../armv7m/test-asm';

/** Assemble `src` for Cortex-A9 (ARM state unless it says .thumb); returns the .text bytes. */
export function assembleA9(src: string): Uint8Array {
  const text = `.syntax unified\n.arch armv7-a\n.arch_extension sec\n.arch_extension mp\n.arm\n${src}\n`;
  return assembleCached(text, ['-mcpu=cortex-a9'], 'tandem-test-asm-a9', 'test-kit').bytes;
}

/** A core with 1 MiB of RAM at 0 holding `code` at 0, reset (Secure SVC, ARM state, pc 0). */
export function makeCore(code: Uint8Array, ramSize = 0x100000): { cpu: CortexA9; bus: AddressSpace; ram: Memory; clock: Clock } {
  const bus = new AddressSpace('a9-test');
  const ram = new Memory('ram', ramSize);
  bus.mapMemory(0, ram);
  bus.loadBytes(0, code);
  const clock = new Clock();
  const cpu = new CortexA9('cpu0', bus, clock, { cpuIndex: 0 });
  cpu.reset();
  return { cpu, bus, ram, clock };
}

/** Run until the core executes `b .` (a branch to itself), or `max` instructions. */
export function runToSelfLoop(cpu: CortexA9, max = 100000): void {
  for (let i = 0; i < max; i++) {
    const pc = cpu.pc;
    cpu.run(1);
    if (cpu.pc === pc && !cpu.sleeping) return;
  }
  throw new Error(`no self-loop reached within ${max} instructions (pc 0x${(cpu.pc >>> 0).toString(16)})`);
}
