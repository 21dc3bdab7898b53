// Differential test of the DAP session against gdb: each prebuilt mps2-an386 sample runs under
// QEMU with gdb-multiarch attached (breakpoints on functions with interesting arguments); at
// every stop gdb prints the pc, the backtrace, `info args` and `info locals`. The adapter then
// runs the same ELF, stops at the same pcs, and its stackTrace and Locals scope must match.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { serve } from './main';

const samples = resolve(__dirname, '..', 'sample-workspaces');
const elf = (n: string) => (n === 'basics' ? join(samples, 'cortex-m4-basics', 'prebuilt', 'basics.elf') : join(samples, 'mps2-an386', 'prebuilt', `${n}.elf`));
const have = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const ready = have('qemu-system-arm') && have('gdb-multiarch');
const MAX_STOPS = 8;

/** Samples and the functions gdb breaks on. irq.elf is left out: QEMU's SysTick follows the
 * host clock, so which breakpoint comes first is not the same from run to run. */
const CASES: Array<{ sample: string; breaks: string[] }> = [
  { sample: 'faults', breaks: ['divide', 'fault_report', 'report', 'load_word'] },
  { sample: 'mpu', breaks: ['mpu_region', 'memmanage_report', 'show_fault'] },
  { sample: 'semihost', breaks: ['str_len', 'put_dec', 'check'] },
  { sample: 'itblocks', breaks: ['absdiff_ittee', 'itete_mix', 'chained'] },
  // cortex-m4-basics: structs, enums, pointers and recursion at -O0; inlining at -O2.
  { sample: 'basics', breaks: ['list_length', 'print_shape', 'checksum', 'area2', 'factorial'] },
];

/** A frame's function, line, and its arguments and locals by name. */
interface Frame { name: string; line: number; vars: Map<string, string>; path?: string }
interface Stop { pc: number; frames: Frame[] }

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => res(typeof a === 'object' && a ? a.port : 0)); });
  });
}

/** Waits (at most 5 s) until QEMU's gdb stub accepts connections on port. */
async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((res) => {
      const sock = connect(port, '127.0.0.1', () => { sock.destroy(); res(true); });
      sock.once('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`QEMU's gdb stub did not open 127.0.0.1:${port} within 5 s`);
}

// Per stop: the pc, each frame up to main (inline frames included, as the adapter shows them),
// then frame 0's `info args` and `info locals` verbatim.
const PY = `
import gdb
for stop in range(${MAX_STOPS}):
    try:
        gdb.execute('continue', to_string=True)
    except gdb.error as e:
        print('END', e)
        break
    f = gdb.newest_frame()
    print('STOP %x' % f.pc())
    n = 0
    while f is not None and n < 16:
        sal = f.find_sal()
        print('FRAME %s %d' % (f.name() or '??', sal.line))
        f.select()
        for kind in ('args', 'locals'):
            for l in gdb.execute('info ' + kind, to_string=True).splitlines():
                print('VAR ' + l)
        if f.name() == 'main':
            break
        f = f.older()
        n += 1
`;

/** `name = value` lines; the first of a repeated name wins (gdb lists the innermost scope first). */
function addVar(m: Map<string, string>, line: string): void {
  const v = /^(\w+) = (.*)$/.exec(line);
  if (v && !m.has(v[1])) m.set(v[1], v[2]);
}

async function gdbStops(file: string, breaks: string[]): Promise<Stop[]> {
  const port = await freePort();
  const qemu = spawn('qemu-system-arm', ['-machine', 'mps2-an386', '-cpu', 'cortex-m4', '-nographic', '-monitor', 'none',
    '-serial', 'null', '-semihosting', '-kernel', file, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  const script = join(tmpdir(), `tandem-gdb-diff-${process.pid}-${port}.py`);
  writeFileSync(script, PY);
  try {
    await waitForPort(port);
    const r = spawnSync('gdb-multiarch', ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set confirm off',
      '-ex', `target remote 127.0.0.1:${port}`, ...breaks.flatMap((b) => ['-ex', `break ${b}`]), '-x', script, file],
    { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', maxBuffer: 16 << 20 });
    if (r.status !== 0) throw new Error(`gdb-multiarch on ${file} failed (${r.status ?? r.signal}): ${r.stderr}`);
    const stops: Stop[] = [];
    for (const line of r.stdout.split('\n')) {
      const sp = line.indexOf(' ');
      const tag = line.slice(0, sp), rest = line.slice(sp + 1);
      const cur = stops[stops.length - 1];
      if (tag === 'STOP') stops.push({ pc: parseInt(rest, 16), frames: [] });
      else if (tag === 'FRAME') { const [name, l] = rest.split(' '); cur.frames.push({ name, line: Number(l), vars: new Map() }); }
      else if (tag === 'VAR') addVar(cur.frames[cur.frames.length - 1].vars, rest);
    }
    return stops;
  } finally {
    qemu.kill('SIGKILL');
    rmSync(script, { force: true });
  }
}

let server: Server | undefined;
let port = 0;
before(async () => { if (ready) ({ server, port } = await serve(0)); });
after(() => { server?.close(); });

/** Whether the stopped line (not yet run) assigns name: until it runs, the value is stack garbage. */
function assignedOn(f: Frame, name: string): boolean {
  if (f.path === undefined) return false;
  const text = readFileSync(f.path, 'utf8').split('\n')[f.line - 1] ?? '';
  return new RegExp(`\\b${name}\\s*=[^=]`).test(text);
}

async function tandemStops(file: string, theirs: Stop[]): Promise<Stop[]> {
  const pcs = theirs.map((s) => s.pc);
  const dc = new DebugClient('node', 'unused', 'tandem');
  dc.defaultTimeout = 10_000;
  await dc.start(port);
  try {
    await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    let stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ board: 'mps2-an386', program: file, stopAtEntry: true })]);
    await stopped;
    const uniq = [...new Set(pcs)];
    const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: uniq.map((a) => ({ instructionReference: `0x${a.toString(16)}` })) });
    assert.ok(ib.body.breakpoints.every((b: DebugProtocol.Breakpoint) => b.verified), `unverified breakpoints in ${file}`);
    const out: Stop[] = [];
    for (let i = 0; i < pcs.length; i++) {
      stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await dc.continueRequest({ threadId: 1 });
      const e = await Promise.race([stopped, new Promise<never>((_r, rej) => setTimeout(() => rej(new Error(`${file}: no stop ${i} within 15 s`)), 15_000).unref())]);
      const st = (await dc.stackTraceRequest({ threadId: e.body.threadId ?? 1 })).body.stackFrames;
      const frames: Frame[] = [];
      for (const f of st) {
        // Arguments and Locals (one scope today; two if an Arguments scope is added) as one map.
        const vars = new Map<string, string>();
        for (const s of (await dc.scopesRequest({ frameId: f.id })).body.scopes) {
          if (s.name !== 'Locals' && s.name !== 'Arguments') continue;
          for (const v of (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables) vars.set(v.name, v.value);
        }
        frames.push({ name: f.name, line: f.line, vars, path: f.source?.path });
        if (f.name === 'main') break;
      }
      const stop = { pc: parseInt(st[0].instructionPointerReference ?? '-1', 16), frames };
      out.push(stop);
    }
    return out;
  } finally {
    await dc.stop();
  }
}

/** Tandem's value in gdb's notation, where the two differ only in presentation (see below). */
function normalize(ours: string, theirs: string): string {
  // gdb's `info args` prints a pointer bare; the adapter prefixes its type like `print` does.
  const typed = /^\([^()]+\*\) (0x[0-9a-f]+.*)$/.exec(ours);
  if (typed && !theirs.startsWith('(')) ours = typed[1];
  // A null pointer: gdb names the symbol at address 0 (the vector table); the adapter does not.
  if (ours === '0x0' && /^0x0 <\w+>$/.test(theirs)) return theirs;
  // A char pointer to a data symbol: gdb names it before the string (`0x20000050 <buffer> "..."`).
  const named = /^(0x[0-9a-f]+) <[\w.+]+> (".*)$/.exec(theirs);
  if (named && ours === `${named[1]} ${named[2]}`) return theirs;
  // DW_OP_implicit_pointer to an object that no longer exists: same meaning, gdb's words.
  if (ours === '<value is an implicit pointer to an optimized-out object>') return '<synthetic pointer>';
  return ours;
}

// Listed differences, each checked rather than skipped:
// 1. At the first instruction of an inlined call gdb shows the call site (it treats the
//    inlined body as not entered yet, so a later `step` enters it); the adapter shows the
//    inlined frames already. The adapter's stack must then end with exactly gdb's frames.
// 2. (Fixed: each frame's Locals now hold only its own function's or inlined call's scopes,
//    so names and values must match gdb's frame exactly.)
// 3. Presentation only (normalize above): the typed pointer prefix, the implicit-pointer
//    wording, and gdb naming the symbol a null pointer or a string pointer points at.
// 4. (Fixed: newlib's discarded reent.c unit claims [0, 0xd8), overlapping faults.c; scope
//    lookup now prefers the unit with a function at the pc, so divide at 0xc0 has its Locals.)
// 5. (Fixed: resuming from a breakpoint runs the breakpointed instruction before a pending
//    interrupt, as gdb's stub steps off with SSTEP_NOIRQ, so no stop repeats; see step-off.spec.ts.)
// 6. A local that the stopped line assigns (`int32_t n = 0;` not yet run) holds whatever the
//    stack held; with SysTick running, exception frames leave different garbage on QEMU and
//    Tandem. Only frame 0, only names the line's source text assigns.
for (const c of CASES) {
  test(`${c.sample}.elf: stacks, arguments and locals match gdb on QEMU`, { skip: !ready && 'needs qemu-system-arm and gdb-multiarch', timeout: 90_000 }, async () => {
    const theirs = await gdbStops(elf(c.sample), c.breaks);
    assert.ok(theirs.length >= 2, `gdb stopped only ${theirs.length} times in ${c.sample}.elf`);
    const ours = await tandemStops(elf(c.sample), theirs);
    let compared = 0, uninit = 0;
    for (let i = 0; i < theirs.length; i++) {
      const g = theirs[i], t = ours[i];
      const at = `${c.sample}.elf stop ${i} at 0x${g.pc.toString(16)}`;
      if (process.env.GDB_DIFF_DUMP) console.log(at, JSON.stringify([g, t], (_k, v) => (v instanceof Map ? [...v] : v)));
      assert.equal(t.pc, g.pc, `${at}: the adapter stopped elsewhere`);
      const skip = t.frames.length - g.frames.length;
      assert.ok(skip >= 0, `${at}: the adapter shows fewer frames than gdb: ${t.frames.map((f) => f.name)} vs ${g.frames.map((f) => f.name)}`);
      const tf = t.frames.slice(skip);
      assert.deepEqual(tf.map((f) => [f.name, f.line]), g.frames.map((f) => [f.name, f.line]), `${at}: backtrace`);
      for (let j = 0; j < g.frames.length; j++) {
        const where = `${at} frame ${j} (${g.frames[j].name})`;
        for (const [name, value] of g.frames[j].vars) {
          const mine = tf[j].vars.get(name);
          assert.ok(mine !== undefined, `${where}: no '${name}' in the adapter's scopes`);
          const v = normalize(mine, value);
          if (v !== value && j === 0 && assignedOn(tf[0], name)) { uninit++; continue; }
          assert.equal(v, value, `${where}: ${name} is ${mine}, gdb says ${value}`);
          compared++;
        }
        for (const name of tf[j].vars.keys()) {
          assert.ok(g.frames[j].vars.has(name), `${where}: the adapter lists '${name}', gdb shows it only in other frames or none`);
        }
      }
    }
    if (process.env.GDB_DIFF_DUMP) console.log(`${c.sample}.elf: ${theirs.length} stops, ${compared} values equal, ${uninit} not yet assigned`);
    assert.ok(compared >= theirs.length, `only ${compared} values compared in ${c.sample}.elf`);
  });
}
