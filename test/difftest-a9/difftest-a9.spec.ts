// Differential test of the Cortex-A9 core against Unicorn 2.0.1's Cortex-A9: random A32
// cases from templates of every ARM ARM A5 instruction group, and random T32 cases from the
// shared Thumb table (plus capstone-accepted words and IT blocks). Every mismatch fails the
// test with the case printed. TANDEM_DIFFTEST_SEED picks the seed, TANDEM_DIFFTEST_A9_COUNT
// the cases per class (default 100000: 200,000 per run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCases } from '../difftest/generate';
import { a9ThumbDefs, a9ThumbTable } from '../../emulator/cores/armv7a/isa-thumb';
import { generateA32, randomPages, A32_GROUPS } from './gen-a32';
import { A9Runner, describeCase } from './run-a9';
import { runOracleA9 } from './oracle-a9';
import type { DiffCase } from '../difftest/wire';
import { Prng } from '../difftest/prng';

const SEED = Number(process.env.TANDEM_DIFFTEST_SEED ?? 0xa9) | 0;
const COUNT = Number(process.env.TANDEM_DIFFTEST_A9_COUNT ?? 100000);

async function check(label: string, thumb: boolean, pages: Uint8Array[], cases: DiffCase[]): Promise<void> {
  const theirs = await runOracleA9(pages, cases, thumb);
  const runner = new A9Runner(thumb);
  const failures: string[] = [];
  const perGroup = new Map<string, number>();
  let deviations = 0;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    perGroup.set(c.group, (perGroup.get(c.group) ?? 0) + 1);
    const o = runner.run(c, pages[c.pageIdx], theirs[i]);
    if (o.deviation !== undefined) deviations++;
    if (!o.ok && failures.length < 20) failures.push(`${describeCase(c, thumb)}\n    ${o.diffs.join('; ')}`);
    else if (!o.ok) failures.push('');
  }
  const groups = [...perGroup.entries()].map(([g, n]) => `${g}:${n}`).join(' ');
  console.log(`${label}: ${cases.length} cases (seed ${SEED}), ${failures.length} mismatches, ${deviations} known alignment deviations; ${groups}`);
  assert.equal(failures.length, 0, `${failures.length} ${label} mismatches against Unicorn:\n${failures.filter((f) => f !== '').join('\n')}`);
}

test('A32 against Unicorn Cortex-A9', { timeout: 600_000 }, async () => {
  const pages = randomPages(SEED, 16);
  const { cases } = generateA32(SEED, COUNT, pages.length);
  assert.ok(new Set(cases.map((c) => c.group)).size === A32_GROUPS.length, 'every A32 group is generated');
  await check('A32', false, pages, cases);
});

/** The A-profile T32 system encodings the shared generator leaves out: MRS/MSR of the CPSR, CPS. */
function thumbSystemCases(n: number): DiffCase[] {
  const p = new Prng(SEED ^ 0x7457);
  const out: DiffCase[] = [];
  for (let i = 0; i < n; i++) {
    const rd = p.below(13), rn = p.below(13);
    let hws: number[];
    switch (p.below(4)) {
      case 0: hws = [0xf3ef, 0x8000 | (rd << 8)]; break; // MRS rd, CPSR
      case 1: hws = [0xf380 | rn, 0x8000 | (p.pick([8, 4, 12, 9, 1, 2]) << 8)]; break; // MSR CPSR_<f,s,fs,fc,c,x>, rn
      case 2: hws = [0xb660 | (p.below(2) << 4) | (1 + p.below(7))]; break; // CPSIE/CPSID T1
      default: hws = [0xf3af, 0x8000 | (p.pick([2, 3]) << 9) | ((1 + p.below(7)) << 5)]; break; // CPS T2 without a mode change
    }
    const r = new Uint32Array(16);
    for (let k = 0; k < 15; k++) r[k] = p.edge32();
    // MSR writes of the control byte keep SVC (no bank switch), with random A/I/F.
    r[rn] = ((r[rn] & ~0x3f) | 0x13) >>> 0;
    out.push({ group: 'a-profile-sys', hws, nInsns: 1, pageIdx: 0, fp: false, r, apsr: ((p.next() & 0xf8000000) | ((p.next() & 0xf) << 16)) >>> 0, fpscr: 0, s: new Uint32Array(32) });
  }
  return out;
}

test('T32 against Unicorn Cortex-A9', { timeout: 600_000 }, async () => {
  const { pages, cases } = await generateCases({ seed: SEED, count: COUNT, defs: a9ThumbDefs, table: a9ThumbTable, pages: 16 });
  cases.push(...thumbSystemCases(Math.max(200, Math.floor(COUNT / 50))));
  await check('T32', true, pages, cases);
});
