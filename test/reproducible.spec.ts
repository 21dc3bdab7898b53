// Rebuilds the mps2-an386, mps2-an521, cortex-m4-basics and trustzone-m-hello samples and the bench workloads with make into a
// temporary directory and requires byte-identical ELFs to the committed
// prebuilt/ ones, so the checked-in binaries are known to come from the sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, SAMPLE_DIR, haveTool } from './firmware-run';
import { AN521_SAMPLE_DIR } from './firmware-run-an521';

const BASICS_DIR = join(SAMPLE_DIR, '..', 'cortex-m4-basics');
const TZ_HELLO_DIR = join(SAMPLE_DIR, '..', 'trustzone-m-hello');

const gccMissing = haveTool('arm-none-eabi-gcc') ? false : 'arm-none-eabi-gcc is not installed (scripts/setup.sh)';

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

function rebuildAndCompare(projectDir: string): void {
  const out = mkdtempSync(join(tmpdir(), 'tandem-repro-'));
  try {
    const r = spawnSync('make', ['-C', projectDir, '-s', '-B', `OUT=${out}`, 'all'], { timeout: 240_000, encoding: 'utf8' });
    assert.equal(r.status, 0, `make in ${projectDir} failed: ${r.stderr || r.error}`);
    const prebuiltDir = join(projectDir, 'prebuilt');
    const committed = readdirSync(prebuiltDir).filter((f) => f.endsWith('.elf')).sort();
    const rebuilt = readdirSync(out).filter((f) => f.endsWith('.elf')).sort();
    assert.deepEqual(rebuilt, committed, `${prebuiltDir}: the set of ELFs differs from what make builds`);
    assert.ok(committed.length > 0, `${prebuiltDir}: no ELFs`);
    for (const f of committed) {
      const want = readFileSync(join(prebuiltDir, f));
      const got = readFileSync(join(out, f));
      const at = firstDifference(want, got);
      assert.ok(want.length === got.length && at === want.length,
        `${join(prebuiltDir, f)} differs from a fresh build at byte ${at} (sizes ${want.length} vs ${got.length}); run \`make prebuilt\` and commit`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('make rebuilds the mps2-an386 sample ELFs byte for byte', { skip: gccMissing }, () => {
  rebuildAndCompare(SAMPLE_DIR);
});

test('make rebuilds the bench ELFs byte for byte', { skip: gccMissing }, () => {
  rebuildAndCompare(BENCH_DIR);
});

test('make rebuilds the mps2-an521 TrustZone sample ELFs byte for byte', { skip: gccMissing }, () => {
  rebuildAndCompare(AN521_SAMPLE_DIR);
});

test('make rebuilds the cortex-m4-basics sample ELF byte for byte', { skip: gccMissing }, () => {
  rebuildAndCompare(BASICS_DIR);
});

test('make rebuilds the trustzone-m-hello sample ELFs byte for byte', { skip: gccMissing }, () => {
  rebuildAndCompare(TZ_HELLO_DIR);
});
