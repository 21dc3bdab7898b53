// Test utility: assemble a Thumb snippet with arm-none-eabi-as (cortex-m4, unified
// syntax) and return the .text bytes. Results are cached in os.tmpdir() by content
// hash so repeated spec runs do not re-spawn the toolchain.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CACHE = join(tmpdir(), 'tandem-test-asm');

/** Assemble `src` (one instruction per line) for Cortex-M4; returns the raw .text bytes. */
export function assemble(src: string, cpu = 'cortex-m4'): Uint8Array {
  const text = `.syntax unified\n.thumb\n${src}\n`;
  const key = createHash('sha1').update(cpu + '\0' + text).digest('hex');
  const bin = join(CACHE, `${key}.bin`);
  if (existsSync(bin)) return new Uint8Array(readFileSync(bin));
  mkdirSync(CACHE, { recursive: true });
  const s = join(CACHE, `${key}.s`), o = join(CACHE, `${key}.o`);
  writeFileSync(s, text);
  try {
    execFileSync('arm-none-eabi-as', [`-mcpu=${cpu}`, '-mthumb', '-mimplicit-it=never', s, '-o', o], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`test-asm: arm-none-eabi-as rejected the snippet:\n${err.stderr?.toString() ?? String(e)}\n--- source ---\n${text}`);
  }
  execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', o, bin]);
  return new Uint8Array(readFileSync(bin));
}

/** Objdump's disassembly of `src` as [address, halfword text, instruction text] rows. */
export function objdumpLines(src: string, cpu = 'cortex-m4'): { addr: number; text: string }[] {
  assemble(src, cpu);
  const text = `.syntax unified\n.thumb\n${src}\n`;
  const key = createHash('sha1').update(cpu + '\0' + text).digest('hex');
  const out = execFileSync('arm-none-eabi-objdump', ['-d', '-M', 'force-thumb', join(CACHE, `${key}.o`)], { maxBuffer: 1 << 26 }).toString();
  const rows: { addr: number; text: string }[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{4}(?: [0-9a-f]{4})?\s+\t(.*)$/.exec(line);
    if (m) rows.push({ addr: parseInt(m[1], 16), text: m[2] });
  }
  return rows;
}
