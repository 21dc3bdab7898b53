// Test utility: assemble a Thumb snippet with arm-none-eabi-as (cortex-m4, unified
// syntax) and return the .text bytes. Results are cached in os.tmpdir() by content
// hash so repeated spec runs do not re-spawn the toolchain.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Assemble `text` with arm-none-eabi-as `args`, cached under tmpdir()/`cache` by a hash of
 * both; returns the object file's path and the .text bytes. `who` names the caller in errors.
 */
export function assembleCached(text: string, args: readonly string[], cache: string, who: string): { obj: string; bytes: Uint8Array } {
  const dir = join(tmpdir(), cache);
  const key = createHash('sha1').update(args.join(' ') + '\0' + text).digest('hex');
  const bin = join(dir, `${key}.bin`), obj = join(dir, `${key}.o`);
  if (existsSync(bin)) return { obj, bytes: new Uint8Array(readFileSync(bin)) };
  mkdirSync(dir, { recursive: true });
  const s = join(dir, `${key}.s`);
  writeFileSync(s, text);
  try {
    execFileSync('arm-none-eabi-as', [...args, s, '-o', obj], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`${who}: arm-none-eabi-as rejected the snippet:\n${err.stderr?.toString() ?? String(e)}\n--- source ---\n${text}`);
  }
  execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', obj, bin]);
  return { obj, bytes: new Uint8Array(readFileSync(bin)) };
}

function assembleThumb(src: string, cpu: string): { obj: string; bytes: Uint8Array } {
  return assembleCached(`.syntax unified\n.thumb\n${src}\n`, [`-mcpu=${cpu}`, '-mthumb', '-mimplicit-it=never'], 'tandem-test-asm', 'test-asm');
}

/** Assemble `src` (one instruction per line) for Cortex-M4; returns the raw .text bytes. */
export function assemble(src: string, cpu = 'cortex-m4'): Uint8Array {
  return assembleThumb(src, cpu).bytes;
}

/** Objdump's disassembly of `src` as [address, halfword text, instruction text] rows. */
export function objdumpLines(src: string, cpu = 'cortex-m4'): { addr: number; text: string }[] {
  const { obj } = assembleThumb(src, cpu);
  const out = execFileSync('arm-none-eabi-objdump', ['-d', '-M', 'force-thumb', obj], { maxBuffer: 1 << 26 }).toString();
  const rows: { addr: number; text: string }[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{4}(?: [0-9a-f]{4})?\s+\t(.*)$/.exec(line);
    if (m) rows.push({ addr: parseInt(m[1], 16), text: m[2] });
  }
  return rows;
}
