// DWARF benchmark: generates a ~5,000-function C program (bench/dwarf/gen.mjs), builds it with
// -O0 -g3 and every struct type in every unit (tens of MB of DWARF; cached in os.tmpdir() by a
// hash of the sources and flags), then times, from a cold process start, Tandem resolving
// file:line to an address and listing the locals of one function against `gdb-multiarch -batch`
// doing `info line` and `info scope` (and, for reference, `info line` alone). Prints
// `bench dwarf: tandem <s> s, gdb <s> s, ratio <r>` (ratio = Tandem time / gdb time: below 1
// means Tandem is faster). Both must give the same address and the same local names.
// Wall-clock timing is fine here: only the emulator must never read the host clock.
//
// Usage: node bench/dwarf/run.mjs [--runs N]   (fastest of N runs per side, default 3)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { FILES, FUNCS_PER_FILE, generate } from './gen.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FLAGS = ['-mcpu=cortex-m4', '-mthumb', '-ffunction-sections', '--specs=nosys.specs', '-O0', '-g3', '-fno-eliminate-unused-debug-types'];
const TIMEOUT_MS = 600_000;

function fail(message) {
  console.error(`bench dwarf: ${message}`);
  process.exit(2);
}

let runs = 3;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') {
    runs = Number(argv[++i]);
    if (!Number.isInteger(runs) || runs < 1) fail(`--runs needs a positive whole number, got '${argv[i]}'`);
  } else fail(`unknown argument '${argv[i]}'`);
}

const cache = join(tmpdir(), 'tandem-bench-dwarf');
const src = join(cache, 'src');
const sources = generate(src);
const hash = createHash('sha256');
hash.update(execFileSync('arm-none-eabi-gcc', ['--version'], { encoding: 'utf8' })).update(FLAGS.join(' '));
for (const f of [...sources, 'types.h']) hash.update(f).update(readFileSync(join(src, f)));
const elf = join(cache, `bench-${hash.digest('hex').slice(0, 16)}.elf`);
if (!existsSync(elf)) {
  process.stderr.write(`bench dwarf: building ${sources.length} files with arm-none-eabi-gcc (once; cached in ${cache})...\n`);
  const tmp = `${elf}.${process.pid}.tmp`;
  const r = spawnSync('arm-none-eabi-gcc', [...FLAGS, '-o', tmp, ...sources], { cwd: src, encoding: 'utf8', timeout: TIMEOUT_MS });
  if (r.status !== 0) { rmSync(tmp, { force: true }); fail(`arm-none-eabi-gcc failed: ${(r.stderr || r.error?.message || '').slice(0, 600)}`); }
  renameSync(tmp, elf);
}

// Bundle the Tandem query the way dist/ is built, so its start-up is node + the bundle.
const bundle = join(cache, 'query.js');
mkdirSync(cache, { recursive: true });
try {
  buildSync({ entryPoints: [join(here, 'query.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning' });
} catch (e) {
  fail(`esbuild failed: ${e.message}`);
}

// A line inside the loop of a function in the middle of the program.
const fileNo = Math.floor(FILES / 2) + 7, funcNo = fileNo * FUNCS_PER_FILE + FUNCS_PER_FILE / 2;
const srcLines = readFileSync(join(src, `bench${fileNo}.c`), 'utf8').split('\n');
const fnLine = srcLines.findIndex((l) => l.startsWith(`int f${funcNo}(`)) + 1;
if (fnLine <= 0) fail(`f${funcNo} not found in bench${fileNo}.c`);
const target = `bench${fileNo}.c:${fnLine + 6}`;

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || '').slice(0, 400)}`);
  return { seconds, out: r.stdout };
}
function fastest(fn) {
  let best;
  for (let i = 0; i < runs; i++) { const r = fn(); if (!best || r.seconds < best.seconds) best = r; }
  return best;
}

const tandem = fastest(() => timed(process.execPath, [bundle, elf, target, `f${funcNo}`]));
// gdb's cache of indexes would make later runs warm: keep it off so every run is cold.
const gdbArgs = (extra) => ['-nx', '-batch', '-iex', 'set index-cache enabled off', '-ex', `info line ${target}`, ...extra, elf];
const gdbLine = fastest(() => timed('gdb-multiarch', gdbArgs([])));
const gdbFull = fastest(() => timed('gdb-multiarch', gdbArgs(['-ex', `info scope f${funcNo}`])));

// Both must agree on the address (gdb: "Line N of "file" starts at address 0x... <fN+k>").
const tm = /at (0x[0-9a-f]+)/.exec(tandem.out);
const gm = /starts at address (0x[0-9a-f]+)/.exec(gdbLine.out);
if (!tm || !gm) fail(`could not read the addresses: tandem ${JSON.stringify(tandem.out)}, gdb ${JSON.stringify(gdbLine.out.slice(0, 300))}`);
if (Number(tm[1]) !== Number(gm[1])) fail(`${target}: Tandem says ${tm[1]}, gdb says ${gm[1]}`);
// And on the locals: gdb prints "Symbol <name> is ..." per symbol in the function's scope.
const ours = (/^locals of \S+: (.*)$/m.exec(tandem.out)?.[1] ?? '').split(', ').filter(Boolean).map((l) => l.split(':')[0]).sort();
const theirs = [...gdbFull.out.matchAll(/^Symbol (\w+) is/gm)].map((x) => x[1]).sort();
if (ours.length === 0 || ours.join() !== theirs.join()) fail(`locals of f${funcNo}: Tandem lists [${ours}], gdb [${theirs}]`);

const mb = (statSync(elf).size / 1e6).toFixed(1);
const f = (s) => s.toFixed(3);
console.log(`bench dwarf: tandem ${f(tandem.seconds)} s, gdb ${f(gdbFull.seconds)} s, ratio ${(tandem.seconds / gdbFull.seconds).toFixed(3)}` +
  ` (${target} -> ${tm[1]} and the ${ours.length} locals of f${funcNo} in a ${mb} MB ELF; gdb info line alone: ${f(gdbLine.seconds)} s)`);
