// DAP benchmark: drives the built adapter (dist/debug-adapter.js, over stdio as VS Code does)
// on bench/dap/loop.c and times launch-to-main, a line step with the stackTrace/scopes/variables
// requests VS Code sends after it, and a conditional breakpoint evaluated on every iteration;
// then times the same steps with gdb-multiarch on QEMU (next + bt + info locals) for the ratio,
// and a stepIn that crosses into the secure world beside a plain one (trustzone-m-hello).
// Wall-clock timing is fine here: only the emulator must never read the host clock.
//
// Usage: node bench/dap/run.mjs [--steps N]   (steps per side, default 40; run `npm run build` first)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const adapter = join(root, 'dist', 'debug-adapter.js');
const sampleDir = join(root, 'sample-workspaces', 'mps2-an386');
const LAUNCHES = 5;
const ITERATIONS = 20000; // loop.c's ITERATIONS
const TIMEOUT_MS = 60_000;

function fail(message) {
  console.error(`bench dap: ${message}`);
  process.exit(2);
}

let steps = 40;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--steps') {
    steps = Number(argv[++i]);
    if (!Number.isInteger(steps) || steps < 1 || steps > 10_000) fail(`--steps needs a whole number from 1 to 10000, got '${argv[i]}'`);
  } else fail(`unknown argument '${argv[i]}'`);
}
if (!existsSync(adapter)) fail(`${adapter} is missing: run npm run build`);

// Build loop.c with the an386 sample's startup and flags (as its Makefile does), at -O0 so
// every statement is its own line and the locals live in memory.
const out = join(tmpdir(), 'tandem-bench-dap');
mkdirSync(out, { recursive: true });
const elf = join(out, 'loop.elf');
const ARCH = ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'];
const cc = spawnSync('arm-none-eabi-gcc', [...ARCH, '-g', '-O0', '-std=c11', `-I${join(sampleDir, 'src')}`, '-o', elf,
  join(here, 'loop.c'), join(sampleDir, 'src', 'startup.c'), join(sampleDir, 'src', 'uart.c'),
  '-nostartfiles', '--specs=rdimon.specs', '-T', join(sampleDir, 'mps2-an386.ld'), '-Wl,--gc-sections'],
{ encoding: 'utf8', timeout: TIMEOUT_MS });
if (cc.status !== 0) fail(`arm-none-eabi-gcc failed on loop.c: ${(cc.stderr || cc.error?.message || '').slice(0, 600)}`);
const loopC = join(here, 'loop.c');
const sinkLine = readFileSync(loopC, 'utf8').split('\n').findIndex((l) => l.includes('sink = total;')) + 1;
if (sinkLine <= 0) fail(`no line 'sink = total;' in ${loopC}`);

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const withTimeout = (p, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} timed out`)), TIMEOUT_MS).unref())]);

async function startClient() {
  const dc = new DebugClient(process.execPath, adapter, 'tandem');
  dc.defaultTimeout = TIMEOUT_MS;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return dc;
}

/** launch → stopped at main; returns the ms from sending launch to the stopped event. */
async function launchToMain(dc) {
  const t0 = process.hrtime.bigint();
  const stopped = dc.waitForEvent('stopped');
  await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
    dc.launch({ board: 'mps2-an386', program: elf, stopAtEntry: 'main' })]);
  const e = await stopped;
  const t = ms(t0);
  const top = (await dc.stackTraceRequest({ threadId: e.body.threadId })).body.stackFrames[0];
  if (top.name !== 'main') fail(`launch stopped in ${top.name}, not main`);
  return { t, threadId: e.body.threadId };
}

/** One `next` and what VS Code asks after it; returns ms and the line reached. */
async function stepRound(dc, threadId) {
  const t0 = process.hrtime.bigint();
  const stopped = dc.waitForEvent('stopped');
  await dc.nextRequest({ threadId });
  await stopped;
  const st = (await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 })).body.stackFrames;
  const scopes = (await dc.scopesRequest({ frameId: st[0].id })).body.scopes;
  const locals = scopes.find((s) => s.name === 'Locals') ?? scopes[0];
  const vars = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
  const t = ms(t0);
  if (st[0].name !== 'main' || !vars.some((v) => v.name === 'total')) fail(`step ended in ${st[0].name}:${st[0].line} with locals [${vars.map((v) => v.name)}]`);
  return { t, line: st[0].line };
}

async function tandem() {
  const launches = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const dc = await startClient();
    try { launches.push((await withTimeout(launchToMain(dc), 'launch')).t); } finally { await dc.stop(); }
  }
  const dc = await startClient();
  try {
    const { threadId } = await launchToMain(dc);
    const rounds = [];
    const lines = [];
    for (let i = 0; i < steps; i++) { const r = await withTimeout(stepRound(dc, threadId), 'next'); rounds.push(r.t); lines.push(r.line); }
    // A condition true only on the last iteration: every other hit is evaluated and resumed.
    const bp = await dc.setBreakpointsRequest({ source: { path: loopC }, breakpoints: [{ line: sinkLine, condition: `i == ${ITERATIONS - 1}` }] });
    if (!bp.body.breakpoints[0].verified) fail(`breakpoint at loop.c:${sinkLine} unverified: ${bp.body.breakpoints[0].message}`);
    const stopped = dc.waitForEvent('stopped');
    const t0 = process.hrtime.bigint();
    await dc.continueRequest({ threadId });
    await withTimeout(stopped, 'conditional breakpoint');
    const condMs = ms(t0);
    const ev = await dc.evaluateRequest({ expression: 'i', frameId: (await dc.stackTraceRequest({ threadId })).body.stackFrames[0].id, context: 'watch' }).catch((e) => ({ body: { result: `error: ${e.message}` } }));
    if (ev.body.result !== String(ITERATIONS - 1)) fail(`the conditional breakpoint stopped with i = ${ev.body.result}, not ${ITERATIONS - 1}`);
    return { launches, rounds, lines, condMs };
  } finally { await dc.stop(); }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => res(a.port)); });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((res) => { const c = connect(port, '127.0.0.1', () => { c.destroy(); res(true); }); c.once('error', () => res(false)); });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  fail(`QEMU's gdb stub did not open 127.0.0.1:${port} within 5 s`);
}

/** The same steps with gdb on QEMU: break main, then `next`, `bt`, `info locals` per round. */
async function gdbQemu() {
  const port = await freePort();
  const qemu = spawn('qemu-system-arm', ['-machine', 'mps2-an386', '-cpu', 'cortex-m4', '-nographic', '-monitor', 'none',
    '-serial', 'null', '-semihosting', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  const script = join(out, `steps-${process.pid}.py`);
  writeFileSync(script, `
import gdb, time
gdb.execute('break main', to_string=True)
gdb.execute('continue', to_string=True)
for k in range(${steps}):
    t0 = time.perf_counter()
    gdb.execute('next', to_string=True)
    gdb.execute('bt', to_string=True)
    loc = gdb.execute('info locals', to_string=True)
    t = time.perf_counter() - t0
    print('ROUND %.4f %d %s' % (t * 1000, gdb.selected_frame().find_sal().line, 'total' in loc))
`);
  try {
    await waitForPort(port);
    const r = spawnSync('gdb-multiarch', ['-nx', '-batch', '-ex', 'set pagination off', '-ex', `target remote 127.0.0.1:${port}`, '-x', script, elf],
      { encoding: 'utf8', timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
    if (r.status !== 0) fail(`gdb-multiarch failed (${r.status ?? r.signal}): ${(r.stderr || '').slice(0, 400)}`);
    const rounds = [], lines = [];
    for (const m of r.stdout.matchAll(/^ROUND (\S+) (\d+) (\w+)$/gm)) { rounds.push(Number(m[1])); lines.push(Number(m[2])); if (m[3] !== 'True') fail('gdb lost the locals of main'); }
    if (rounds.length !== steps) fail(`gdb ran ${rounds.length} of ${steps} steps: ${r.stdout.slice(-400)}`);
    return { rounds, lines };
  } finally {
    qemu.kill('SIGKILL');
    rmSync(script, { force: true });
  }
}

/**
 * stepIn timing on trustzone-m-hello: into secure_add through its NS stub and SG veneer (a
 * world switch), beside a plain stepIn into uart_puts in the same world. Each sample is one
 * launch stopped at the calling line; only the stepIn (request to stopped event) is timed.
 */
async function worldSteps(runs) {
  const hello = join(root, 'sample-workspaces', 'trustzone-m-hello');
  const nsC = join(hello, 'src', 'ns.c');
  const lineOf = (text) => { const i = readFileSync(nsC, 'utf8').split('\n').findIndex((l) => l.includes(text)); if (i < 0) fail(`no '${text}' in ${nsC}`); return i + 1; };
  const cases = [
    { what: 'cross', line: lineOf('int32_t sum = secure_add(3, 4);'), want: 'secure.c' },
    { what: 'plain', line: lineOf('uart_puts("ns: hello from the non-secure world\\n");'), want: 'uart.c' },
  ];
  const times = { cross: [], plain: [] };
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const dc = await startClient();
      try {
        let stopped = dc.waitForEvent('stopped');
        await Promise.all([
          dc.waitForEvent('initialized').then(async () => { await dc.setBreakpointsRequest({ source: { path: nsC }, breakpoints: [{ line: c.line }] }); await dc.configurationDoneRequest(); }),
          dc.launch({ board: 'mps2-an521', stopAtEntry: false, images: [{ program: join(hello, 'prebuilt', 'secure.elf'), world: 'secure' }, { program: join(hello, 'prebuilt', 'ns.elf'), world: 'non-secure' }] }),
        ]);
        const e = await withTimeout(stopped, 'breakpoint');
        stopped = dc.waitForEvent('stopped');
        const t0 = process.hrtime.bigint();
        await dc.stepInRequest({ threadId: e.body.threadId });
        await withTimeout(stopped, 'stepIn');
        times[c.what].push(ms(t0));
        const top = (await dc.stackTraceRequest({ threadId: e.body.threadId, levels: 1 })).body.stackFrames[0];
        if (top.source?.name !== c.want) fail(`stepIn (${c.what}) ended in ${top.name} ${top.source?.name}:${top.line}, not in ${c.want}`);
      } finally { await dc.stop(); }
    }
  }
  return times;
}

const t = await tandem();
const w = await worldSteps(LAUNCHES * 2);
const g = await gdbQemu();
// Both sides must walk the same lines, or the step times are not comparable.
if (t.lines.join() !== g.lines.join()) fail(`the steps went different ways: tandem ${t.lines.join(',')} vs gdb ${g.lines.join(',')}`);
const f = (x) => x.toFixed(2);
const launchMs = median(t.launches), stepMs = median(t.rounds), gdbMs = median(g.rounds);
console.log(`bench dap-launch: tandem ${f(launchMs)} ms (median of ${LAUNCHES}, launch request to stopped at main; goal <= 300)`);
console.log(`bench dap-step: tandem ${f(stepMs)} ms, gdb+qemu ${f(gdbMs)} ms, ratio ${(stepMs / gdbMs).toFixed(3)}` +
  ` (median of ${steps} next + stackTrace + scopes + variables rounds; gdb: next + bt + info locals; goal <= 5)`);
console.log(`bench dap-condition: ${Math.round(ITERATIONS / (t.condMs / 1000))} evaluations/s (condition 'i == ${ITERATIONS - 1}' on loop.c:${sinkLine}, ${ITERATIONS} hits in ${f(t.condMs)} ms)`);
console.log(`bench dap-world-step: stepIn across worlds ${f(median(w.cross))} ms, plain stepIn ${f(median(w.plain))} ms, ratio ${(median(w.cross) / median(w.plain)).toFixed(2)}` +
  ` (median of ${w.cross.length}; trustzone-m-hello: into secure_add through the NS stub and SG veneer vs into uart_puts)`);
