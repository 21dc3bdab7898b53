// Runs every prebuilt sabrelite (i.MX6Q, Cortex-A9) sample on QEMU 7.2
// (`-machine sabrelite -smp 4`) and on Tandem's CLI and requires the same UART1 bytes,
// semihosting bytes and exit status. QEMU's output is first pinned to the reviewed files
// in sample-workspaces/sabrelite/expected/. The samples are also rebuilt with make and
// must match the committed ELFs byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, TANDEM_CLI, haveTool, runImagesOnTandem, type FirmwareRun } from './firmware-run';

const DIR = join(REPO_ROOT, 'sample-workspaces', 'sabrelite');
const SAMPLES = ['hello', 'faults', 'mmu', 'gpt-irq', 'gic', 'secure', 'smp', 'vfp', 'thumb', 'wdog'];
const SABRELITE = { qemuMachine: 'sabrelite', qemuCpu: 'cortex-a9', board: 'sabrelite' };
const qemuMissing = haveTool('qemu-system-arm') ? false : 'qemu-system-arm is not installed (scripts/setup.sh)';
const gccMissing = haveTool('arm-none-eabi-gcc') ? false : 'arm-none-eabi-gcc is not installed (scripts/setup.sh)';
const QEMU_DIAG = /^qemu-system-arm: .*$\n?/gm;

/** QEMU with all four cores (the board file has four; QEMU's default is one). UART1 goes to a file. */
function runOnQemu(elf: string, timeoutMs = 20_000): FirmwareRun {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-qemu-a9-'));
  const serial = join(dir, 'uart1.txt');
  try {
    const r = spawnSync('qemu-system-arm', [
      '-machine', 'sabrelite', '-smp', '4', '-display', 'none', '-monitor', 'none',
      '-serial', `file:${serial}`, '-semihosting', '-kernel', elf,
    ], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
    const out = r.stdout?.toString('latin1') ?? '';
    const errAll = r.stderr?.toString('latin1') ?? '';
    return {
      uart: existsSync(serial) ? readFileSync(serial).toString('latin1') : '',
      semihost: out + errAll.replace(QEMU_DIAG, ''),
      status: r.status,
      diagnostics: (errAll.match(QEMU_DIAG) ?? []).join('') + (r.error ? String(r.error) : ''),
      timedOut: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
      mixedSemihostStreams: out.length > 0 && errAll.replace(QEMU_DIAG, '').length > 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const qemuRuns = new Map<string, FirmwareRun>();
function qemu(name: string): FirmwareRun {
  let r = qemuRuns.get(name);
  if (!r) {
    r = runOnQemu(join(DIR, 'prebuilt', `${name}.elf`));
    qemuRuns.set(name, r);
  }
  return r;
}

const expectedStatus = JSON.parse(readFileSync(join(DIR, 'expected', 'status.json'), 'utf8')) as Record<string, number>;

test('the sabrelite prebuilt/ holds exactly one ELF per sample and expected/ covers them', () => {
  const have = readdirSync(join(DIR, 'prebuilt')).filter((f) => f.endsWith('.elf')).sort();
  assert.deepEqual(have, SAMPLES.map((s) => `${s}.elf`).sort());
  assert.deepEqual(Object.keys(expectedStatus).sort(), [...SAMPLES].sort(), 'expected/status.json lists other samples');
});

for (const name of SAMPLES) {
  test(`QEMU runs sabrelite sample ${name} and prints the reviewed output`, { skip: qemuMissing, timeout: 60_000 }, () => {
    const r = qemu(name);
    assert.equal(r.timedOut, false, `${name}: QEMU did not exit within its timeout`);
    assert.equal(r.diagnostics, '', `${name}: QEMU printed diagnostics`);
    const expected = (kind: string) => readFileSync(join(DIR, 'expected', `${name}.${kind}.txt`), 'latin1');
    assert.equal(r.uart, expected('uart'), `${name}: UART1 output changed`);
    assert.equal(r.semihost, expected('semihost'), `${name}: semihosting output changed`);
    assert.equal(r.status, expectedStatus[name], `${name}: exit status changed`);
    assert.ok(r.uart.length > 0, `${name}: printed nothing`);
  });

  test(`Tandem runs sabrelite sample ${name} exactly like QEMU`, { skip: qemuMissing, timeout: 120_000 }, () => {
    assert.ok(existsSync(TANDEM_CLI), `${TANDEM_CLI} is missing: run \`npm run build\` first`);
    const ref = qemu(name);
    const t = runImagesOnTandem(SABRELITE, [join(DIR, 'prebuilt', `${name}.elf`)], 110_000, 200_000_000);
    assert.equal(t.timedOut, false, `${name}: Tandem did not exit within its timeout`);
    assert.equal(t.uart, ref.uart, `${name}: UART1 output differs (Tandem stdout vs QEMU serial); `
      + `Tandem exited ${t.status} with stderr ${JSON.stringify(t.semihost.slice(0, 300))}`);
    assert.equal(t.semihost, ref.semihost, `${name}: semihosting output differs`);
    assert.equal(t.status, ref.status, `${name}: exit status differs`);
  });
}

test('make rebuilds the sabrelite sample ELFs byte for byte', { skip: gccMissing, timeout: 240_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'tandem-repro-a9-'));
  try {
    const r = spawnSync('make', ['-C', DIR, '-s', '-B', `OUT=${out}`, 'all'], { timeout: 230_000, encoding: 'utf8' });
    assert.equal(r.status, 0, `make in ${DIR} failed: ${r.stderr || r.error}`);
    const committed = readdirSync(join(DIR, 'prebuilt')).filter((f) => f.endsWith('.elf')).sort();
    assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.elf')).sort(), committed);
    for (const f of committed) {
      assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(DIR, 'prebuilt', f))),
        `${join(DIR, 'prebuilt', f)} differs from a fresh build; run \`make prebuilt\` and commit`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
