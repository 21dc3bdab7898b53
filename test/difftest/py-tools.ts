// Runs the Python helpers (Unicorn oracle, capstone) and objdump as child processes for
// the differential tests. Python must be /usr/bin/python3: that is the interpreter with
// unicorn/capstone installed, not the one first on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffCase, decodeResults, encodeBatch, OracleResult } from './wire';

export const PYTHON = process.env.TANDEM_PYTHON ?? '/usr/bin/python3';
// The specs run as CommonJS under tsx; fall back to the repository layout otherwise.
const here = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test', 'difftest');

/** Runs `cmd` with `input` on stdin; resolves with its stdout, rejects with the tail of stderr on a non-zero exit. */
export function runProcess(cmd: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', (e) => reject(new Error(`${cmd} ${args.join(' ')}: ${e.message}`)));
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString().slice(-2000)}`));
      else resolve(Buffer.concat(out));
    });
    p.stdin.on('error', () => { /* reported through 'close' */ });
    p.stdin.end(input);
  });
}

/** Run cases on Unicorn, split over `jobs` oracle processes. Results are in case order. `m33`: Unicorn's MCLASS core. */
export function runOracle(pages: readonly Uint8Array[], cases: readonly DiffCase[], jobs = 2, m33 = false): Promise<OracleResult[]> {
  const args = [join(here, 'oracle.py'), ...(m33 ? ['--m33'] : [])];
  return inJobs(cases, jobs, (slice) => runProcess(PYTHON, args, encodeBatch(pages, slice)).then((b) => decodeResults(b, slice.length)));
}

/** Splits `cases` into `jobs` contiguous slices run at once (one oracle process each); results in case order. */
export async function inJobs<C, R>(cases: readonly C[], jobs: number, run: (slice: readonly C[]) => Promise<R[]>): Promise<R[]> {
  const per = Math.ceil(cases.length / jobs);
  const parts: Promise<R[]>[] = [];
  for (let j = 0; j < jobs; j++) {
    const slice = cases.slice(j * per, (j + 1) * per);
    if (slice.length > 0) parts.push(run(slice));
  }
  return (await Promise.all(parts)).flat();
}

export interface CsInsn { size: number; mnemonic: string; operands: string }

function hexBytes(hws: readonly number[]): string {
  return hws.map((h) => (h & 0xff).toString(16).padStart(2, '0') + ((h >> 8) & 0xff).toString(16).padStart(2, '0')).join('');
}

/** Capstone's decoding of the first instruction of each item (null: capstone rejects it). */
export async function capstoneDecode(items: readonly { hws: readonly number[]; addr: number }[]): Promise<(CsInsn | null)[]> {
  const input = items.map((it) => `${it.addr.toString(16)} ${hexBytes(it.hws)}`).join('\n') + '\n';
  const out = (await runProcess(PYTHON, [join(here, 'cs-decode.py')], Buffer.from(input))).toString().split('\n');
  return items.map((_, i) => {
    const line = out[i] ?? '-';
    if (line === '-' || line === '') return null;
    const [size, mnemonic, operands] = line.split('\t');
    return { size: Number(size), mnemonic, operands: operands ?? '' };
  });
}

/**
 * objdump's text for each instruction. Items are laid out back to back in one binary at
 * `base`; the result is keyed by address. IT instructions would make objdump print
 * condition suffixes on what follows, so callers leave them out.
 */
export function objdumpDecode(items: readonly { hws: readonly number[] }[], base: number): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-objdump-'));
  try {
    const bin = join(dir, 'code.bin');
    const bytes: number[] = [];
    for (const it of items) for (const h of it.hws) bytes.push(h & 0xff, (h >> 8) & 0xff);
    writeFileSync(bin, Buffer.from(bytes));
    const r = spawnSync('arm-none-eabi-objdump', ['-D', '-b', 'binary', '-marm', '-Mforce-thumb', `--adjust-vma=0x${base.toString(16)}`, bin],
      { maxBuffer: 1 << 28, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`arm-none-eabi-objdump failed on ${bin}: ${r.stderr}`);
    const map = new Map<number, string>();
    // Lines look like "   10800:\tf3af 8000 \tnop.w" (the text may contain further tabs).
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
      if (m) map.set(parseInt(m[1], 16), m[2]);
    }
    return map;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
