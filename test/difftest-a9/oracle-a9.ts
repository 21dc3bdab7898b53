// Runs oracle-a9.py (Unicorn as a Cortex-A9) on batches of cases, split over child
// processes. Python must be /usr/bin/python3: the interpreter that has unicorn.
import { join } from 'node:path';
import { DiffCase, decodeResults, encodeBatch, OracleResult } from '../difftest/wire';
import { inJobs, PYTHON, runProcess } from '../difftest/py-tools';

const here = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test', 'difftest-a9');

/** Run A32 (or T32) cases on Unicorn's Cortex-A9; results in case order. */
export function runOracleA9(pages: readonly Uint8Array[], cases: readonly DiffCase[], thumb: boolean, jobs = 2): Promise<OracleResult[]> {
  const args = [join(here, 'oracle-a9.py'), ...(thumb ? ['--thumb'] : [])];
  return inJobs(cases, jobs, (slice) => runProcess(PYTHON, args, encodeBatch(pages, slice)).then((b) => decodeResults(b, slice.length)));
}
