// Test utility for the Cortex-A9 specs: assemble A32/T32 snippets for cortex-a9 with
// arm-none-eabi-as (cached by content hash) and build a bare core with RAM at 0.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressSpace, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CortexA9 } from './cpu';

const CACHE = join(tmpdir(), 'tandem-test-asm-a9');

/** Assemble `src` for Cortex-A9 (ARM state unless it says .thumb); returns the .text bytes. */
export function assembleA9(src: string): Uint8Array {
  const text = `.syntax unified\n.arch armv7-a\n.arch_extension sec\n.arch_extension mp\n.arm\n${src}\n`;
  const key = createHash('sha1').update(text).digest('hex');
  const bin = join(CACHE, `${key}.bin`);
  if (existsSync(bin)) return new Uint8Array(readFileSync(bin));
  mkdirSync(CACHE, { recursive: true });
  const s = join(CACHE, `${key}.s`), o = join(CACHE, `${key}.o`);
  writeFileSync(s, text);
  try {
    execFileSync('arm-none-eabi-as', ['-mcpu=cortex-a9', s, '-o', o], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`test-kit: arm-none-eabi-as rejected the snippet:\n${err.stderr?.toString() ?? String(e)}\n--- source ---\n${text}`);
  }
  execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', o, bin]);
  return new Uint8Array(readFileSync(bin));
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
