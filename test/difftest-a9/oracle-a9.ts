// Runs oracle-a9.py (Unicorn as a Cortex-A9) on batches of cases, split over child
// processes. Python must be /usr/bin/python3: the interpreter that has unicorn.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DiffCase, decodeResults, encodeBatch, OracleResult } from '../difftest/wire';
import { PYTHON } from '../difftest/py-tools';

const here = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test', 'difftest-a9');

function runProcess(args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', (e) => reject(new Error(`${PYTHON} ${args.join(' ')}: ${e.message}`)));
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`${PYTHON} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString().slice(-2000)}`));
      else resolve(Buffer.concat(out));
    });
    p.stdin.on('error', () => { /* reported through 'close' */ });
    p.stdin.end(input);
  });
}

/** Run A32 (or T32) cases on Unicorn's Cortex-A9; results in case order. */
export async function runOracleA9(pages: readonly Uint8Array[], cases: readonly DiffCase[], thumb: boolean, jobs = 2): Promise<OracleResult[]> {
  const per = Math.ceil(cases.length / jobs);
  const parts: Promise<OracleResult[]>[] = [];
  for (let j = 0; j < jobs; j++) {
    const slice = cases.slice(j * per, (j + 1) * per);
    if (slice.length === 0) continue;
    const args = [join(here, 'oracle-a9.py'), ...(thumb ? ['--thumb'] : [])];
    parts.push(runProcess(args, encodeBatch(pages, slice)).then((b) => decodeResults(b, slice.length)));
  }
  return (await Promise.all(parts)).flat();
}
