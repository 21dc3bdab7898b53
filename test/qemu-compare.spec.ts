// Runs every prebuilt mps2-an386 sample (and the small bench builds) on QEMU and
// on Tandem's CLI, and requires the same UART bytes, semihosting bytes and exit
// status. QEMU's own output is first pinned to the reviewed files in expected/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, SAMPLE_DIR, TANDEM_CLI, haveTool, runOnQemu, runOnTandem, type FirmwareRun } from './firmware-run';

const SAMPLES = ['hello', 'fpmath', 'irq', 'faults', 'itblocks', 'mpu', 'semihost'];
const BENCH_SMALL = existsSync(join(BENCH_DIR, 'prebuilt'))
  ? readdirSync(join(BENCH_DIR, 'prebuilt')).filter((f) => f.endsWith('-small.elf')).sort()
  : [];
const qemuMissing = haveTool('qemu-system-arm') ? false : 'qemu-system-arm is not installed (scripts/setup.sh)';

const qemuRuns = new Map<string, FirmwareRun>();
function qemu(elf: string): FirmwareRun {
  let r = qemuRuns.get(elf);
  if (!r) {
    r = runOnQemu(elf);
    qemuRuns.set(elf, r);
  }
  return r;
}

function assertCleanQemuRun(elf: string, r: FirmwareRun): void {
  assert.equal(r.timedOut, false, `${elf}: QEMU did not exit within its timeout`);
  assert.equal(r.diagnostics, '', `${elf}: QEMU printed diagnostics`);
  assert.equal(r.mixedSemihostStreams, false,
    `${elf}: guest wrote to both semihosting streams, so QEMU's order is lost`);
}

function assertSameRun(elf: string, tandem: FirmwareRun, ref: FirmwareRun): void {
  assert.ok(existsSync(TANDEM_CLI), `${TANDEM_CLI} is missing: run \`npm run build\` first`);
  assert.equal(tandem.timedOut, false, `${elf}: Tandem did not exit within its timeout`);
  assert.equal(tandem.uart, ref.uart, `${elf}: UART output differs (Tandem stdout vs QEMU serial)`);
  assert.equal(tandem.semihost, ref.semihost, `${elf}: semihosting output differs (Tandem stderr vs QEMU)`);
  assert.equal(tandem.status, ref.status, `${elf}: exit status differs`);
}

const expectedStatus = JSON.parse(readFileSync(join(SAMPLE_DIR, 'expected', 'status.json'), 'utf8')) as Record<string, number>;

for (const name of SAMPLES) {
  const elf = join(SAMPLE_DIR, 'prebuilt', `${name}.elf`);

  test(`QEMU runs sample ${name} and prints the reviewed output`, { skip: qemuMissing }, () => {
    const r = qemu(elf);
    assertCleanQemuRun(elf, r);
    const expected = (kind: string) => readFileSync(join(SAMPLE_DIR, 'expected', `${name}.${kind}.txt`), 'latin1');
    assert.equal(r.uart, expected('uart'), `${name}: UART output changed`);
    assert.equal(r.semihost, expected('semihost'), `${name}: semihosting output changed`);
    assert.equal(r.status, expectedStatus[name], `${name}: exit status changed`);
    assert.ok(r.uart.length + r.semihost.length > 0, `${name}: printed nothing`);
  });

  test(`Tandem runs sample ${name} exactly like QEMU`, { skip: qemuMissing }, () => {
    const ref = qemu(elf);
    assertCleanQemuRun(elf, ref);
    assertSameRun(elf, runOnTandem(elf), ref);
  });
}

for (const file of BENCH_SMALL) {
  const elf = join(BENCH_DIR, 'prebuilt', file);

  test(`QEMU runs bench ${file} and prints a checksum`, { skip: qemuMissing }, () => {
    const r = qemu(elf);
    assertCleanQemuRun(elf, r);
    assert.match(r.semihost, /^\w+ checksum 0x[0-9a-f]{8}\n$/, `${file}: unexpected output`);
    assert.equal(r.status, 0, `${file}: exit status`);
  });

  test(`Tandem runs bench ${file} exactly like QEMU`, { skip: qemuMissing }, () => {
    const ref = qemu(elf);
    assertCleanQemuRun(elf, ref);
    assertSameRun(elf, runOnTandem(elf), ref);
  });
}

test('bench small builds are present for the comparison', () => {
  assert.ok(BENCH_SMALL.length >= 4, `expected 4 *-small.elf in ${join(BENCH_DIR, 'prebuilt')}, found ${BENCH_SMALL.length}`);
});
