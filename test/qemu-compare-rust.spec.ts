// Runs the prebuilt Rust TrustZone-M sample (sample-workspaces/trustzone-m-rust: secure
// boot -> BLXNS -> NS hello -> NSC service -> FNC_RETURN) on QEMU's mps2-an521 and on
// Tandem's CLI, and requires the same UART bytes and exit status. QEMU is first pinned
// to the reviewed expected/uart.txt, so a QEMU change cannot silently move the target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AN521, REPO_ROOT, TANDEM_CLI, haveTool, runImagesOnQemu, runImagesOnTandem, type FirmwareRun } from './firmware-run';

const DIR = join(REPO_ROOT, 'sample-workspaces', 'trustzone-m-rust');
const SECURE = join(DIR, 'prebuilt', 'secure.elf');
const NS = join(DIR, 'prebuilt', 'ns.elf');
const qemuMissing = haveTool('qemu-system-arm') ? false : 'qemu-system-arm is not installed (scripts/setup.sh)';

type Run = FirmwareRun;
const runQemu = (): Run => runImagesOnQemu(AN521, [SECURE, NS]);
const runTandem = (): Run => runImagesOnTandem(AN521, [SECURE, NS], 120_000, 50_000_000);

let qemuRun: Run | undefined;
const qemu = (): Run => (qemuRun ??= runQemu());

test('the Rust sample ships both prebuilt images and its import library', () => {
  for (const f of [SECURE, NS, join(DIR, 'prebuilt', 'secure_cmse_lib.o')]) assert.ok(existsSync(f), `${f} is missing: run ${DIR}/build.sh prebuilt`);
  // The secure image must carry an SG veneer in its NSC block: SG is E97F E97F (ARMv8-M C2.4.162).
  const elf = readFileSync(SECURE);
  const sg = Buffer.from([0x7f, 0xe9, 0x7f, 0xe9]);
  assert.ok(elf.indexOf(sg) >= 0, `${SECURE}: no SG instruction found; the CMSE veneers were not generated`);
});

test('QEMU runs the Rust TrustZone-M sample and prints the reviewed output', { skip: qemuMissing }, () => {
  const r = qemu();
  assert.equal(r.timedOut, false, 'QEMU did not exit within 20 s');
  assert.equal(r.diagnostics, '', 'QEMU printed diagnostics');
  assert.equal(r.uart, readFileSync(join(DIR, 'expected', 'uart.txt'), 'latin1'), 'UART output changed against expected/uart.txt');
  assert.equal(r.status, 0, 'exit status (semihosting SYS_EXIT from the secure world)');
  // The round trips really crossed worlds: NS output between secure lines, the service ran twice.
  assert.match(r.uart, /\[NS\] hello[^\n]*\n\[S\] secure_service\(0x2a\), call 1\n\[NS\] secure_service\(42\) = 0x[0-9a-f]{8}\n/);
  assert.match(r.uart, /\[S\] secure_service\(0x7\), call 2\n\[NS\] tandem green: add 3 \+ 4 -> /);
  assert.match(r.uart, /\[S\] back in the secure world: NS returned 0, service calls 2\n$/);
});

// Until the M33 core and the mps2-an521 board are both in the build, the CLI refuses the
// board with "not available in this build yet"; the comparison is then reported as a
// todo (it still runs and shows its failure). Any other difference fails outright.
const tandemPending = (() => {
  if (!existsSync(TANDEM_CLI)) return false;
  const r = spawnSync(process.execPath, [TANDEM_CLI, 'run', '--board', 'mps2-an521', '--max-insns', '1', SECURE], { timeout: 30_000 });
  const msg = (r.stderr?.toString() ?? '') + (r.stdout?.toString() ?? '');
  return /not available in this build yet|unknown board/i.test(msg) ? `Tandem cannot run mps2-an521 yet: ${msg.trim().split('\n')[0]}` : false;
})();

test('Tandem runs the Rust TrustZone-M sample exactly like QEMU', { skip: qemuMissing, todo: tandemPending }, () => {
  assert.ok(existsSync(TANDEM_CLI), `${TANDEM_CLI} is missing: run \`npm run build\` first`);
  const ref = qemu();
  assert.equal(ref.timedOut, false, 'QEMU reference run timed out');
  const t = runTandem();
  assert.equal(t.timedOut, false, 'Tandem did not exit within its timeout');
  assert.equal(t.uart, ref.uart, 'UART output differs (Tandem stdout vs QEMU serial)');
  assert.equal(t.semihost, ref.semihost, 'semihosting output differs');
  assert.equal(t.status, ref.status, 'exit status differs');
});

// Rebuilding needs Debian's Rust (TANDEM_RUST=1 scripts/setup.sh), which CI does not
// install by default; when present, the rebuilt ELFs must equal the committed ones.
const rustMissing = existsSync('/usr/bin/cargo') && existsSync('/usr/lib/rustlib/src/rust/library/core')
  ? false : 'Debian rustc/cargo/rust-src not installed (TANDEM_RUST=1 scripts/setup.sh)';

test('build.sh rebuilds the committed ELFs byte for byte', { skip: rustMissing || process.env.TANDEM_RUST_REBUILD !== '1' && 'set TANDEM_RUST_REBUILD=1 (about 1-2 min)', timeout: 600_000 }, () => {
  const r = spawnSync('bash', [join(DIR, 'build.sh')], { timeout: 590_000, encoding: 'utf8' });
  assert.equal(r.status, 0, `build.sh failed:\n${r.stderr}`);
  for (const f of ['secure.elf', 'ns.elf', 'secure_cmse_lib.o']) {
    assert.ok(readFileSync(join(DIR, 'build', f)).equals(readFileSync(join(DIR, 'prebuilt', f))), `build/${f} differs from prebuilt/${f}`);
  }
});
