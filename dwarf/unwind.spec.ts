// Unwinding compared with gdb: dwarf/testdata/unwind/unwind.c (-O0 and -O2) runs under QEMU
// mps2-an386; at breakpoints in a function prologue, after it and deep in a recursion, gdb
// reports registers, the stack bytes and its physical frames (pc, sp, r4-r11, integer locals);
// Tandem's DebugInfo.backtrace and localsAt, given the same registers and stack, must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugInfo, type Variable } from './index';
import { decodeExpr } from './location';
import { buildElf, haveGcc, TESTDATA_DIR } from './test-corpus';

const DIR = join(TESTDATA_DIR, 'unwind');
const STACK_TOP = 0x20010000;
const STOPS = 8;
// In a prologue, locals live below sp until it moves: dump that much of the stack under sp too.
const BELOW_SP = 256;

const have = (cmd: string, arg: string) => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const ready = haveGcc() && have('qemu-system-arm', '--version') && have('gdb-multiarch', '--version');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => resolve(typeof a === 'object' && a ? a.port : 0)); });
  });
}

interface GdbFrame { pc: number; sp: number; name: string; regs: Map<number, number>; locals: Map<string, number> }
interface GdbStop { regs: Map<number, number>; sp: number; memLo: number; stack: Uint8Array; frames: GdbFrame[]; tailCalls: number }

// Prints, per stop: the innermost registers, the stack from sp to its top, and each physical
// (non-inline) frame with the callee-saved registers gdb can recover. gdb also shows "tail call"
// frames it infers from DW_TAG_call_site (a caller that jumped to the callee and left no frame);
// they are not on the stack, so the CFI unwinder cannot see them: they are listed and skipped.
// Stops end at leaf, the last breakpoint the program reaches before its final loop.
const PY = (stops: number) => `
import gdb
names = ['r%d' % i for i in range(13)] + ['sp', 'lr', 'pc']
for stop in range(${stops}):
    try:
        gdb.execute('continue', to_string=True)
    except gdb.error as e:
        print('END', e)
        break
    f = gdb.newest_frame()
    print('STOP ' + ' '.join('%x' % (int(f.read_register(n)) & 0xffffffff) for n in names))
    sp = int(f.read_register('sp')) & 0xffffffff
    lo = sp - ${BELOW_SP}
    print('MEM %x %s' % (lo, bytes(gdb.selected_inferior().read_memory(lo, ${STACK_TOP} - lo)).hex()))
    last = f.name() == 'leaf'
    while f is not None:
        if f.type() == gdb.TAILCALL_FRAME:
            print('TAILCALL %x' % f.pc())
        elif f.type() != gdb.INLINE_FRAME:
            regs = []
            for r in range(4, 12):
                try:
                    regs.append('%x' % (int(f.read_register('r%d' % r)) & 0xffffffff))
                except Exception:
                    regs.append('-')
            print('FRAME %x %x %s %s' % (f.pc(), int(f.read_register('sp')) & 0xffffffff, f.name() or '??', ' '.join(regs)))
            try:
                b = f.block()
            except RuntimeError:
                b = None
            while b is not None:
                for sym in b:
                    if not (sym.is_argument or sym.is_variable):
                        continue
                    try:
                        v = sym.value(f)
                        if not v.is_optimized_out and v.type.strip_typedefs().code == gdb.TYPE_CODE_INT:
                            print('LOCAL %s %d' % (sym.name, int(v)))
                    except Exception:
                        pass
                if b.function is not None:
                    break
                b = b.superblock
        f = f.older()
    if last:
        break
`;

async function gdbStops(elf: string, breaks: string[]): Promise<GdbStop[]> {
  const port = await freePort();
  const qemu = spawn('qemu-system-arm', ['-machine', 'mps2-an386', '-cpu', 'cortex-m4', '-nographic', '-monitor', 'none', '-serial', 'null',
    '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  const script = join(tmpdir(), `tandem-unwind-${process.pid}-${port}.py`);
  writeFileSync(script, PY(STOPS));
  try {
    await new Promise((r) => setTimeout(r, 300));
    const args = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set confirm off', '-ex', 'set backtrace past-main on',
      '-ex', `target remote 127.0.0.1:${port}`, ...breaks.flatMap((b) => ['-ex', `break ${b}`]), '-x', script, elf];
    const r = spawnSync('gdb-multiarch', args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`gdb-multiarch failed: ${r.stderr}`);
    const stops: GdbStop[] = [];
    for (const line of r.stdout.split('\n')) {
      const w = line.split(' ');
      if (w[0] === 'STOP') {
        const regs = new Map(w.slice(1).map((h, i) => [i, parseInt(h, 16)]));
        stops.push({ regs, sp: regs.get(13)!, memLo: 0, stack: new Uint8Array(), frames: [], tailCalls: 0 });
      } else if (w[0] === 'MEM') {
        stops[stops.length - 1].memLo = parseInt(w[1], 16);
        stops[stops.length - 1].stack = new Uint8Array(Buffer.from(w[2], 'hex'));
      } else if (w[0] === 'TAILCALL') {
        stops[stops.length - 1].tailCalls++;
      } else if (w[0] === 'FRAME') {
        const regs = new Map<number, number>();
        w.slice(4).forEach((h, i) => { if (h !== '-') regs.set(4 + i, parseInt(h, 16)); });
        stops[stops.length - 1].frames.push({ pc: parseInt(w[1], 16), sp: parseInt(w[2], 16), name: w[3], regs, locals: new Map() });
      } else if (w[0] === 'LOCAL') {
        const fr = stops[stops.length - 1].frames;
        fr[fr.length - 1].locals.set(w[1], Number(w[2]));
      }
    }
    return stops;
  } finally {
    qemu.kill('SIGKILL');
    rmSync(script, { force: true });
  }
}

/** Whether any location of the variable uses DW_OP_entry_value / DW_OP_GNU_entry_value. */
function hasEntryValue(v: Variable): boolean {
  const exprs: Uint8Array[] = [];
  const loc = v.location as unknown;
  const walk = (x: unknown, depth: number) => {
    if (depth > 4 || x === null || typeof x !== 'object') return;
    if (x instanceof Uint8Array) { exprs.push(x); return; }
    for (const y of Object.values(x)) walk(y, depth + 1);
  };
  walk(loc, 0);
  return exprs.some((e) => {
    try { return decodeExpr(e, { addrSize: 4, offsetSize: 4 }).some((o) => o.code === 0xa3 || o.code === 0xf3); } catch { return false; }
  });
}

for (const opt of ['-O0', '-O2']) {
  test(`backtraces match gdb on QEMU mps2-an386 (unwind.c ${opt})`, { skip: !ready && 'needs arm-none-eabi-gcc, qemu-system-arm and gdb-multiarch', timeout: 120_000 }, async () => {
    const elf = buildElf(DIR, ['unwind.c'], [opt, '-g', '-nostdlib', '-T', 'unwind.ld'], `unwind${opt}`);
    const bytes = new Uint8Array(readFileSync(elf));
    const dbg = DebugInfo.open(bytes, elf);
    // The same ELF with its CFI hidden (section renamed), to check the prologue-scan fallback.
    const noCfiBytes = bytes.slice();
    const nameAt = Buffer.from(noCfiBytes).indexOf('.debug_frame\0');
    assert.ok(nameAt > 0);
    noCfiBytes[nameAt + 1] = 0x78; // ".xebug_frame"
    const noCfi = DebugInfo.open(noCfiBytes, `${elf} without CFI`);
    assert.equal(noCfi.frames, undefined);
    const sym = (n: string) => dbg.elf.symbols().find((s) => s.name === n)!.value;
    // In middle's body, in recurse's prologue (after its first instruction), and at leaf.
    const stops = await gdbStops(elf, ['middle', `*0x${(sym('recurse') + 2).toString(16)}`, 'leaf']);
    assert.ok(stops.length >= 5, `${stops.length} stops`);
    let frames = 0, deepest = 0, tailCalls = 0, locals = 0, entryValues = 0;
    for (const [i, s] of stops.entries()) {
      const readMem = (addr: number, n: number) => (addr >= s.memLo && addr + n <= STACK_TOP ? s.stack.subarray(addr - s.memLo, addr - s.memLo + n) : undefined);
      const bt = dbg.backtrace(s.regs, readMem);
      const ours = bt.frames.map((f) => `${f.pc.toString(16)} sp=${f.regs.get(13)!.toString(16)}`);
      const theirs = s.frames.map((f) => `${f.pc.toString(16)} sp=${f.sp.toString(16)}`);
      assert.deepEqual(ours, theirs, `stop ${i} at ${s.frames[0]?.name}: ${s.frames.map((f) => f.name).join(' <- ')}`);
      // Callee-saved registers as gdb recovers them in every frame.
      for (const [k, f] of s.frames.entries()) {
        for (const [r, v] of f.regs) {
          const mine = bt.frames[k].regs.get(r);
          if (mine !== undefined) assert.equal(mine, v, `stop ${i} frame ${k} (${f.name}) r${r}`);
        }
      }
      // Integer locals and arguments in every frame, as gdb prints them: DebugInfo.localsAt with
      // the unwound registers, the CFA for DW_OP_call_frame_cfa frame bases coming from CFI.
      for (const [k, f] of s.frames.entries()) {
        const regs = bt.frames[k].regs;
        const target = {
          readReg: (r: number) => { const v = regs.get(r); return v === undefined ? undefined : BigInt(v); },
          readMem: (a: bigint, n: number) => readMem(Number(a), n),
        };
        // A caller's pc is a return address: look scopes and locations up inside the call.
        const views = dbg.localsAt(k === 0 ? f.pc : f.pc - 1, target);
        for (const [name, v] of f.locals) {
          const mine = views.find((x) => x.name === name);
          assert.ok(mine, `stop ${i} frame ${k} (${f.name}): ${name} listed`);
          // Known difference: gdb recovers DW_OP_entry_value(reg) from the caller's
          // DW_TAG_call_site_parameter values; Tandem reports "optimized out" (issue 4 allows it).
          if (mine.value === undefined && /optimized out/.test(mine.error ?? '') && hasEntryValue(mine.variable)) { entryValues++; continue; }
          assert.equal(Number(mine.value), v, `stop ${i} frame ${k} (${f.name}): ${name} = ${mine.value ?? mine.error}, gdb ${v}`);
          locals++;
        }
      }
      // The outermost frame is Reset_Handler, whose return address is the reset value of lr.
      assert.equal(s.frames[s.frames.length - 1].name, 'Reset_Handler');
      assert.equal(bt.last?.stop, 'exception', `stop ${i}: unwinding ends at EXC_RETURN-like lr`);
      assert.ok(bt.frames.slice(1).every((f) => f.method === 'cfi'));
      // Without CFI: the symbol + prologue scan finds the same frames (these functions keep
      // their prologues to the form the scanner knows, and no breakpoint is in an epilogue).
      const h = noCfi.backtrace(s.regs, readMem);
      assert.deepEqual(h.frames.map((f) => `${f.pc.toString(16)} sp=${f.regs.get(13)!.toString(16)}`), theirs, `heuristic, stop ${i}`);
      assert.ok(h.frames.slice(1).every((f) => f.method === 'heuristic'));
      frames += bt.frames.length;
      tailCalls += s.tailCalls;
      deepest = Math.max(deepest, bt.frames.length);
    }
    assert.ok(deepest >= 7, `deepest backtrace ${deepest} frames`);
    assert.ok(locals >= 20, `${locals} locals compared`);
    // At -O2 recurse(0) tail-calls leaf: gdb infers one frame there that is not on the stack.
    if (opt === '-O2') assert.ok(tailCalls >= 1, 'gdb inferred the tail call recurse -> leaf');
    process.stdout.write(`# unwind ${opt}: ${stops.length} stops, ${frames} frames and ${locals} integer locals equal to gdb's (${tailCalls} gdb tail-call frames and ${entryValues} entry values gdb recovered from call sites skipped)\n`);
  });
}
