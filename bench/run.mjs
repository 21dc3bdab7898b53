// Speed benchmark: runs each workload ELF on Tandem and on QEMU in the same
// session and prints guest MIPS for both plus their ratio (Tandem / QEMU, so
// 1.0 means "as fast as QEMU"). Wall-clock timing is fine here: only the
// emulator itself must never read the host clock.
//
// Usage: node bench/run.mjs [--runs N] [--icount] [workload...]
//   workloads: the mps2-an386 ones below, an521-<name> for the mps2-an521
//   builds (secure boot, then the workload as the non-secure image), and
//   a9-<name> for the sabrelite builds (A32 on the Cortex-A9); the last two are
//   reported after the an386 geomean and are not part of it.
//   --runs N   time each engine N times per workload and keep the fastest (default 1)
//   --icount   run QEMU with `-icount shift=0` instead of plain TCG. Plain TCG is
//              the default: it is how people run QEMU, and it was faster here
//              (crc32 0.57 s vs 0.73 s, fp 1.42 s vs 1.68 s with icount).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const cli = join(root, 'dist', 'cli.js');
const prebuilt = join(here, 'prebuilt');
const WORKLOADS = ['crc32', 'matmul', 'branchy', 'fp'];
const AN521_WORKLOADS = ['an521-crc32'];
const A9_WORKLOADS = ['a9-crc32'];
const TIMEOUT_MS = 600_000;

function parseArgs(argv) {
  const opts = { runs: 1, icount: false, names: [], an521: [], a9: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') {
      opts.runs = Number(argv[++i]);
      if (!Number.isInteger(opts.runs) || opts.runs < 1) fail(`--runs needs a positive whole number, got '${argv[i]}'`);
    } else if (a === '--icount') opts.icount = true;
    else if (a.startsWith('-')) fail(`unknown option ${a}`);
    else if (WORKLOADS.includes(a)) opts.names.push(a);
    else if (AN521_WORKLOADS.includes(a)) opts.an521.push(a);
    else if (A9_WORKLOADS.includes(a)) opts.a9.push(a);
    else fail(`unknown workload '${a}' (have: ${[...WORKLOADS, ...AN521_WORKLOADS, ...A9_WORKLOADS].join(', ')})`);
  }
  if (opts.names.length === 0 && opts.an521.length === 0 && opts.a9.length === 0) {
    opts.names = WORKLOADS;
    opts.an521 = AN521_WORKLOADS;
    opts.a9 = A9_WORKLOADS;
  }
  return opts;
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function elfPath(name) {
  const p = join(prebuilt, `${name}.elf`);
  if (!existsSync(p)) fail(`${p} is missing: run \`make prebuilt\` in bench/`);
  return p;
}

/** One timed run; returns seconds, output and status. */
function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) fail(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return { seconds, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1'), status: r.status };
}

/** One QEMU run: `machine` picks the board and CPU, `load` the images. WRITE0 output lands on QEMU's stderr. */
function runQemuOn(machine, load, icount) {
  const args = [...machine, '-display', 'none', '-monitor', 'none',
    '-serial', 'none', '-semihosting', ...(icount ? ['-icount', 'shift=0'] : []), ...load];
  const r = timed('qemu-system-arm', args);
  return { seconds: r.seconds, output: r.stdout + r.stderr, status: r.status };
}

const runQemu = (elf, icount) => runQemuOn(['-machine', 'mps2-an386', '-cpu', 'cortex-m4'], ['-kernel', elf], icount);

function runTandem(elf, statsFile) {
  const r = timed(process.execPath, [cli, 'run', '--board', 'mps2-an386', '--quiet', '--stats-json', statsFile, elf]);
  let stats;
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  } catch (e) {
    fail(`${elf}: Tandem wrote no readable --stats-json (${e.message}); its stderr: ${r.stderr.slice(0, 400)}`);
  }
  if (!Number.isFinite(stats.instructions) || stats.instructions <= 0) fail(`${elf}: bad instruction count in stats: ${JSON.stringify(stats)}`);
  return { seconds: r.seconds, output: r.stdout + r.stderr, status: r.status, instructions: stats.instructions };
}

function fastest(n, fn) {
  let best;
  for (let i = 0; i < n; i++) {
    const r = fn();
    if (!best || r.seconds < best.seconds) best = r;
  }
  return best;
}

function checksumOf(name, engine, r) {
  const m = /^(\w+) checksum (0x[0-9a-f]{8})$/m.exec(r.output);
  if (!m || r.status !== 0) fail(`${name}: ${engine} exited ${r.status} without a checksum line; output: ${JSON.stringify(r.output.slice(0, 400))}`);
  return m[2];
}

// mps2-an521: every workload shares the secure image; `elf` is the NS image.
const an521Secure = () => elfPath('an521-secure');
const runQemuAn521 = (nsElf, icount) =>
  runQemuOn(['-machine', 'mps2-an521', '-cpu', 'cortex-m33'], ['-kernel', an521Secure(), '-device', `loader,file=${nsElf}`], icount);
const runTandemAn521 = (nsElf, statsFile) => runTandemOrError('mps2-an521', statsFile, [an521Secure(), '--load', nsElf]);

// sabrelite: the workload in A32 on core 0 of QEMU's four Cortex-A9s (as the board file has).
const runQemuA9 = (elf, icount) => runQemuOn(['-machine', 'sabrelite', '-smp', '4'], ['-kernel', elf], icount);
const runTandemA9 = (elf, statsFile) => runTandemOrError('sabrelite', statsFile, [elf]);

/** Like runTandem, but reports a failure instead of ending the bench: the
 *  an521 and sabrelite boards are newer than the an386 lines, which must still print. */
function runTandemOrError(board, statsFile, files) {
  rmSync(statsFile, { force: true });
  const r = timed(process.execPath, [cli, 'run', '--board', board, '--quiet', '--stats-json', statsFile, ...files]);
  let stats;
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  } catch (e) {
    return { error: `no readable --stats-json (exit ${r.status}): ${r.stderr.slice(0, 300).trim()}` };
  }
  if (!Number.isFinite(stats.instructions) || stats.instructions <= 0) return { error: `bad stats ${JSON.stringify(stats)}` };
  return { seconds: r.seconds, output: r.stdout + r.stderr, status: r.status, instructions: stats.instructions };
}

/**
 * The an521 and sabrelite lines: each workload against QEMU, start-up cost taken from
 * `emptyName`'s run on each engine. A Tandem failure prints on its line and sets the exit code.
 */
function benchBoard(opts, stats, names, emptyName, elfName, qemu, tandem) {
  const empty = elfPath(emptyName);
  const qemuStart = fastest(Math.max(opts.runs, 3), () => qemu(empty, opts.icount)).seconds;
  const tEmpty = tandem(empty, stats);
  for (const name of names) {
    const elf = elfPath(elfName(name));
    const q = fastest(Math.max(opts.runs, 3), () => qemu(elf, opts.icount));
    const qSum = checksumOf(name, 'QEMU', q);
    let t = tEmpty.error ? tEmpty : undefined;
    if (!t) {
      const tandemStart = fastest(Math.max(opts.runs, 3), () => tandem(empty, stats)).seconds;
      t = fastest(opts.runs, () => tandem(elf, stats));
      if (!t.error) t = { ...t, start: tandemStart };
    }
    const m = t.error ? null : /^(\w+) checksum (0x[0-9a-f]{8})$/m.exec(t.output);
    if (t.error || !m || t.status !== 0 || m[2] !== qSum) {
      console.log(`bench ${name}: FAILED on Tandem: ${t.error ?? `exit ${t.status}, output ${JSON.stringify(t.output.slice(0, 200))}, QEMU checksum ${qSum}`}`);
      process.exitCode = 1;
      continue;
    }
    const tm = t.instructions / Math.max(t.seconds - t.start, 1e-3) / 1e6;
    const qm = t.instructions / Math.max(q.seconds - qemuStart, 1e-3) / 1e6;
    console.log(`bench ${name}: tandem ${fmt(tm)} MIPS, qemu ${fmt(qm)} MIPS, ratio ${(tm / qm).toFixed(3)}`);
  }
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

const opts = parseArgs(process.argv.slice(2));
if (!existsSync(cli)) fail(`${cli} is missing: run \`npm run build\` (npm run bench does it)`);
const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
try {
  const stats = join(dir, 'stats.json');
  if (opts.names.length > 0) benchAn386(opts, stats);
  if (opts.an521.length > 0) benchBoard(opts, stats, opts.an521, 'an521-empty-ns', (n) => `${n}-ns`, runQemuAn521, runTandemAn521);
  if (opts.a9.length > 0) benchBoard(opts, stats, opts.a9, 'a9-empty', (n) => n, runQemuA9, runTandemA9);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function benchAn386(opts, stats) {
  // Fixed start-up cost of each engine (process start, board build, ELF load).
  const empty = elfPath('empty');
  const qemuStart = fastest(Math.max(opts.runs, 3), () => runQemu(empty, opts.icount)).seconds;
  const tandemStart = fastest(Math.max(opts.runs, 3), () => runTandem(empty, stats)).seconds;

  const tandemMips = [], qemuMips = [];
  for (const name of opts.names) {
    const elf = elfPath(name);
    const t = fastest(opts.runs, () => runTandem(elf, stats));
    // QEMU finishes 2e8 instructions in well under a second, close to its own
    // start-up jitter, so it always gets at least 3 tries; they are cheap.
    const q = fastest(Math.max(opts.runs, 3), () => runQemu(elf, opts.icount));
    const tSum = checksumOf(name, 'Tandem', t), qSum = checksumOf(name, 'QEMU', q);
    if (tSum !== qSum) fail(`${name}: checksums differ (Tandem ${tSum}, QEMU ${qSum}): Tandem computed a wrong result`);
    // The same ELF executes the same instruction stream on both engines.
    const tm = t.instructions / Math.max(t.seconds - tandemStart, 1e-3) / 1e6;
    const qm = t.instructions / Math.max(q.seconds - qemuStart, 1e-3) / 1e6;
    tandemMips.push(tm);
    qemuMips.push(qm);
    console.log(`bench ${name}: tandem ${fmt(tm)} MIPS, qemu ${fmt(qm)} MIPS, ratio ${(tm / qm).toFixed(3)}`);
  }
  const gt = geomean(tandemMips), gq = geomean(qemuMips);
  console.log(`bench geomean: tandem ${fmt(gt)} MIPS, qemu ${fmt(gq)} MIPS, ratio ${(gt / gq).toFixed(3)}`);
}
