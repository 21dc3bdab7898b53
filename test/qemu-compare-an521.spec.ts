// Runs every prebuilt mps2-an521 TrustZone-M sample pair (and the small an521
// bench build) on QEMU and on Tandem's CLI and requires the same UART bytes,
// semihosting bytes and exit status. QEMU's output is first pinned to the
// reviewed files in sample-workspaces/mps2-an521/expected/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, TANDEM_CLI, haveTool, runOnQemu, type FirmwareRun } from './firmware-run';
import { AN521_SAMPLE_DIR, runPairOnQemu, runPairOnTandem, type ImagePair } from './firmware-run-an521';

const SAMPLES = ['boot', 'services', 'callback', 'securefault', 'systick', 'mhu'];
const qemuMissing = haveTool('qemu-system-arm') ? false : 'qemu-system-arm is not installed (scripts/setup.sh)';

/**
 * Lines where QEMU 7.2 departs from the Armv8-M architecture. The QEMU run
 * must still print `qemu` (so a QEMU upgrade is noticed); Tandem must print
 * `arch` in its place. Everything else is compared byte for byte.
 */
interface Deviation { qemu: string; arch: string; why: string }
const QEMU_DEVIATIONS: Record<string, Deviation[]> = {
  securefault: [{
    qemu: 'secure: SecureFault, SFSR = 0x00000008, SFAR = 0x00000000, EXC_RETURN = 0xffffffb9\n',
    arch: 'secure: SecureFault, SFSR = 0x00000048, SFAR = 0x38000000, EXC_RETURN = 0xffffffb9\n',
    why: 'a non-secure data access to secure memory sets SFSR.AUVIOL and also SFARVALID with SFAR = the address '
      + '(Armv8-M ARM, SecureFault from ValidateAddress); QEMU 7.2 sets only AUVIOL for data accesses',
  }, {
    qemu: 'secure: SecureFault, SFSR = 0x00000001, SFAR = 0x00000000, EXC_RETURN = 0xffffffb9\n',
    arch: 'secure: SecureFault, SFSR = 0x00000001, SFAR = 0x38000000, EXC_RETURN = 0xffffffb9\n',
    why: 'INVEP does not set SFARVALID, so SFAR keeps the address of the previous AUVIOL fault; '
      + 'it reads 0 on QEMU only because QEMU never wrote it (the deviation above)',
  }],
};

function pairFor(dir: string, name: string): ImagePair {
  return { secure: join(dir, `${name}-s.elf`), nonSecure: join(dir, `${name}-ns.elf`) };
}

const qemuRuns = new Map<string, FirmwareRun>();
function qemu(pair: ImagePair): FirmwareRun {
  let r = qemuRuns.get(pair.secure);
  if (!r) {
    r = runPairOnQemu(pair);
    qemuRuns.set(pair.secure, r);
  }
  return r;
}

function assertCleanQemuRun(what: string, r: FirmwareRun): void {
  assert.equal(r.timedOut, false, `${what}: QEMU did not exit within its timeout`);
  assert.equal(r.diagnostics, '', `${what}: QEMU printed diagnostics`);
  assert.equal(r.mixedSemihostStreams, false, `${what}: guest wrote to both semihosting streams`);
}

/** QEMU's run with each known deviation replaced by the architectural text. */
function architecturalReference(name: string, r: FirmwareRun): FirmwareRun {
  let uart = r.uart;
  for (const d of QEMU_DEVIATIONS[name] ?? []) {
    assert.ok(uart.includes(d.qemu), `${name}: QEMU no longer prints the known deviation ${JSON.stringify(d.qemu)}; `
      + 'if QEMU was fixed, drop it from QEMU_DEVIATIONS and refresh expected/');
    uart = uart.replace(d.qemu, d.arch);
  }
  return { ...r, uart };
}

function assertSameRun(what: string, tandem: FirmwareRun, ref: FirmwareRun): void {
  assert.ok(existsSync(TANDEM_CLI), `${TANDEM_CLI} is missing: run \`npm run build\` first`);
  assert.equal(tandem.timedOut, false, `${what}: Tandem did not exit within its timeout`);
  assert.equal(tandem.uart, ref.uart, `${what}: UART output differs (Tandem stdout vs QEMU serial); `
    + `Tandem exited ${tandem.status} with stderr ${JSON.stringify(tandem.semihost.slice(0, 300))}`);
  assert.equal(tandem.semihost, ref.semihost, `${what}: semihosting output differs (Tandem stderr vs QEMU)`);
  assert.equal(tandem.status, ref.status, `${what}: exit status differs`);
}

const expectedStatus = JSON.parse(
  readFileSync(join(AN521_SAMPLE_DIR, 'expected', 'status.json'), 'utf8')) as Record<string, number>;

test('the an521 prebuilt/ holds exactly one secure and one non-secure ELF per sample', () => {
  const have = readdirSync(join(AN521_SAMPLE_DIR, 'prebuilt')).filter((f) => f.endsWith('.elf')).sort();
  const want = SAMPLES.flatMap((s) => [`${s}-ns.elf`, `${s}-s.elf`]).sort();
  assert.deepEqual(have, want);
  assert.deepEqual(Object.keys(expectedStatus).sort(), [...SAMPLES].sort(), 'expected/status.json lists other samples');
});

for (const name of SAMPLES) {
  const pair = pairFor(join(AN521_SAMPLE_DIR, 'prebuilt'), name);

  test(`QEMU runs an521 sample ${name} and prints the reviewed output`, { skip: qemuMissing }, () => {
    const r = qemu(pair);
    assertCleanQemuRun(name, r);
    const expected = (kind: string) => readFileSync(join(AN521_SAMPLE_DIR, 'expected', `${name}.${kind}.txt`), 'latin1');
    assert.equal(r.uart, expected('uart'), `${name}: UART output changed`);
    assert.equal(r.semihost, expected('semihost'), `${name}: semihosting output changed`);
    assert.equal(r.status, expectedStatus[name], `${name}: exit status changed`);
    assert.ok(r.uart.length > 0, `${name}: printed nothing`);
  });

  test(`Tandem runs an521 sample ${name} exactly like QEMU`, { skip: qemuMissing }, () => {
    const ref = qemu(pair);
    assertCleanQemuRun(name, ref);
    assertSameRun(name, runPairOnTandem(pair), architecturalReference(name, ref));
  });
}

const benchPair: ImagePair = {
  secure: join(BENCH_DIR, 'prebuilt', 'an521-secure.elf'),
  nonSecure: join(BENCH_DIR, 'prebuilt', 'an521-crc32-small-ns.elf'),
};

test('QEMU runs the small an521 crc32 bench build and prints a checksum', { skip: qemuMissing }, () => {
  const r = qemu(benchPair);
  assertCleanQemuRun('an521-crc32-small', r);
  assert.match(r.semihost, /^crc32 checksum 0x[0-9a-f]{8}\n$/, 'an521-crc32-small: unexpected output');
  assert.equal(r.status, 0, 'an521-crc32-small: exit status');
  // The same C and iteration count as bench/prebuilt/crc32-small.elf (M4, an386).
  const m4 = runOnQemu(join(BENCH_DIR, 'prebuilt', 'crc32-small.elf'));
  assert.equal(r.semihost, m4.semihost, 'an521 and an386 crc32-small builds disagree on the checksum');
});

test('Tandem runs the small an521 crc32 bench build exactly like QEMU', { skip: qemuMissing }, () => {
  const ref = qemu(benchPair);
  assertCleanQemuRun('an521-crc32-small', ref);
  assertSameRun('an521-crc32-small', runPairOnTandem(benchPair), ref);
});
