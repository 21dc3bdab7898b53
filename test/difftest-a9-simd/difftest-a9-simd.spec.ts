// Differential test of the Cortex-A9 VFPv3-D32/NEON unit against Unicorn 2.0.1's cortex-a9:
// random encodings from generate.ts with special-value register state, run on both, comparing
// r0-r14, NZCV, FPSCR, D0-D31 and the data page. TANDEM_A9SIMD_SEED / _CASES / _SHOW tune it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataPages, generateCases, VFP_TEMPLATES } from './generate';
import { NEON_TEMPLATES } from './generate-neon';
import { compare, runOracle, runOurs, SimdCase, SimdResult } from './wire';

const SEED = Number(process.env.TANDEM_A9SIMD_SEED ?? 1);
const COUNT = Number(process.env.TANDEM_A9SIMD_CASES ?? 25_000);
const SHOW = Number(process.env.TANDEM_A9SIMD_SHOW ?? 3);

const hex = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

function describe(c: SimdCase): string {
  const d = [];
  for (let k = 0; k < 32; k++) d.push(`d${k}=${hex(c.d[2 * k + 1])}_${hex(c.d[2 * k])}`);
  return `${c.thumb ? 'T32' : 'A32'} ${hex(c.insn)} fpscr=${hex(c.fpscr)} fpexc=${hex(c.fpexc)} nzcv=${c.nzcv.toString(2)} r=${[...c.r].map(hex).join(',')}\n    ${d.join(' ')}`;
}

async function runGroup(name: string, seed: number, count: number, templates: Parameters<typeof generateCases>[2]): Promise<void> {
  const pages = dataPages(seed);
  const cases = generateCases(seed, count, templates);
  const t0 = performance.now();
  const theirs = await runOracle(pages, cases, 2);
  const t1 = performance.now();
  const stats = new Map<string, { n: number; bad: number; undef: number; reports: string[] }>();
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    let s = stats.get(c.group);
    if (s === undefined) stats.set(c.group, s = { n: 0, bad: 0, undef: 0, reports: [] });
    s.n++;
    const ours: SimdResult = runOurs(c, pages[c.pageIdx]);
    const diff = compare(ours, theirs[i]);
    if (ours.status === 1 && theirs[i].status === 1) s.undef++;
    if (diff.length > 0) {
      s.bad++;
      if (s.reports.length < SHOW) s.reports.push(`  #${i} ${describe(c)}\n    ${diff.slice(0, 6).join('\n    ')}`);
    }
  }
  const t2 = performance.now();
  const lines = [...stats.entries()].sort().map(([g, s]) => `  ${g}: ${s.n} cases, ${s.bad} mismatches, ${s.undef} undefined on both`);
  console.log(`difftest ${name}: ${cases.length} cases, unicorn ${(t1 - t0).toFixed(0)} ms, ours+compare ${(t2 - t1).toFixed(0)} ms\n${lines.join('\n')}`);
  const bad = [...stats.entries()].filter(([, s]) => s.bad > 0);
  assert.equal(bad.length, 0, `${name} mismatches against Unicorn:\n${bad.map(([g, s]) => `${g}:\n${s.reports.join('\n')}`).join('\n')}`);
}

test('VFPv3-D32 agrees with Unicorn cortex-a9', { timeout: 120_000 }, async () => {
  await runGroup('vfp', SEED, COUNT, VFP_TEMPLATES);
});


test('NEON agrees with Unicorn cortex-a9', { timeout: 120_000 }, async () => {
  await runGroup('neon', SEED + 1000, COUNT, NEON_TEMPLATES);
});
