// Fuzzing the whole reader over real ELFs: bit flips, byte and word overwrites (offsets and
// counts rewritten to point anywhere), runaway LEB128s and truncations, aimed at the ELF
// headers, symbol tables and every DWARF section. Every case must end in results or typed
// errors (ElfError/DwarfError) within 1 s. CI runs 100,000 cases (about 3-5 ms each); local
// runs default to 10,000. TANDEM_FUZZ_CASES and TANDEM_FUZZ_SEED override; a failure prints
// the seed and case index; TANDEM_FUZZ_ONLY=<index> replays just that case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { DebugInfo, DwarfError, ElfError, ElfFile, demangle } from './index';
import { formatValue } from './values';
import { buildElf, corpusElf, corpusSources, TESTDATA_DIR } from './test-corpus';

const CASES = Number(process.env.TANDEM_FUZZ_CASES ?? (process.env.CI ? 100_000 : 10_000));
const SEED = Number(process.env.TANDEM_FUZZ_SEED ?? 0x7a4d3);
const CASE_LIMIT_MS = 1000;
// Replays one case: the generator still runs through the earlier cases to reach the same state.
const ONLY = process.env.TANDEM_FUZZ_ONLY === undefined ? -1 : Number(process.env.TANDEM_FUZZ_ONLY);

const inflate = (d: Uint8Array) => new Uint8Array(inflateSync(d));

/** xorshift32: deterministic, so a failing case replays from (seed, index). */
class Rng {
  constructor(private s: number) { if (this.s === 0) this.s = 1; }
  u32(): number { let x = this.s; x ^= x << 13; x ^= x >>> 17; x ^= x << 5; this.s = x >>> 0; return this.s; }
  below(n: number): number { return n <= 0 ? 0 : this.u32() % n; }
  pick<T>(a: readonly T[]): T { return a[this.below(a.length)]; }
}

/**
 * Which consumers read a region. A mutation can only change what reads the mutated bytes, so a
 * case runs those consumers (and always the ELF layer); header mutations run everything.
 */
type Area = 'all' | 'symbols' | 'attributes' | 'lines' | 'info' | 'frames' | 'bytes';
interface Region { name: string; start: number; end: number; area: Area }

function areaOf(section: string): Area {
  if (section === '.symtab' || section === '.strtab') return 'symbols';
  if (section === '.ARM.attributes') return 'attributes';
  if (section === '.shstrtab') return 'all';
  if (section === '.debug_line' || section === '.debug_line_str' || section === '.zdebug_line') return 'lines';
  if (section === '.debug_frame' || section === '.eh_frame') return 'frames';
  // .debug_macro has no reader: only section access runs.
  if (section === '.debug_macro') return 'bytes';
  return 'info';
}

/** The parts of an ELF worth aiming at: headers, section table, symbols and each debug section. */
function regionsOf(bytes: Uint8Array): Region[] {
  const elf = ElfFile.parse(bytes, 'base', { inflate });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = dv.getUint32(32, true);
  const out: Region[] = [
    { name: 'ELF header', start: 0, end: 52, area: 'all' },
    { name: 'section headers', start: shoff, end: shoff + elf.sections.length * 40, area: 'all' },
  ];
  const phoff = dv.getUint32(28, true);
  if (phoff) out.push({ name: 'program headers', start: phoff, end: phoff + elf.segments.length * 32, area: 'all' });
  for (const s of elf.sections) {
    if (s.size === 0 || s.type === 8) continue;
    if (s.name.startsWith('.debug_') || s.name.startsWith('.zdebug_') || s.name === '.eh_frame' || s.name === '.symtab' || s.name === '.strtab' || s.name === '.ARM.attributes' || s.name === '.shstrtab') {
      out.push({ name: s.name, start: s.offset, end: s.offset + s.size, area: areaOf(s.name) });
    }
  }
  return out;
}

const INTERESTING = [0, 1, 2, 4, 8, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0];

/** Applies one mutation in place; returns the bytes to parse, a description and an undo. */
function mutate(base: Uint8Array, regions: Region[], rng: Rng): { bytes: Uint8Array; what: string; area: Area; undo: () => void } {
  const r = rng.pick(regions);
  const len = Math.max(1, r.end - r.start);
  const at = r.start + rng.below(len);
  const kind = rng.below(10);
  if (kind === 9) {
    const cut = at;
    // Truncation removes everything after the cut, so every consumer is affected.
    return { bytes: base.subarray(0, cut), what: `truncate at 0x${cut.toString(16)} (${r.name})`, area: 'all', undo: () => {} };
  }
  const span = kind <= 3 ? 1 : kind <= 7 ? 4 : 12;
  const p = Math.min(at, base.length - span);
  const saved = base.slice(p, p + span);
  const undo = () => base.set(saved, p);
  const dv = new DataView(base.buffer, base.byteOffset, base.byteLength);
  let what: string;
  if (kind <= 2) {
    const bit = rng.below(8);
    base[p] ^= 1 << bit;
    what = `flip bit ${bit} at 0x${p.toString(16)}`;
  } else if (kind === 3) {
    base[p] = rng.below(256);
    what = `byte 0x${base[p].toString(16)} at 0x${p.toString(16)}`;
  } else if (kind <= 7) {
    // Offsets, sizes and counts rewritten to point anywhere: in the file, in the region, or extreme.
    const v = kind === 4 ? rng.below(base.length * 2) : kind === 5 ? rng.below(len + 16) : kind === 6 ? rng.pick(INTERESTING) : rng.u32();
    dv.setUint32(p, v >>> 0, true);
    what = `word 0x${(v >>> 0).toString(16)} at 0x${p.toString(16)}`;
  } else {
    // A runaway LEB128 / unterminated string: continuation bits with no end.
    for (let i = 0; i < span; i++) base[p + i] = rng.below(2) ? 0x80 | rng.below(128) : 0xff;
    what = `runaway LEB at 0x${p.toString(16)}`;
  }
  return { bytes: base, what: `${what} (${r.name})`, area: r.area, undo };
}

const zeroMem = (_a: bigint, n: number) => (n >= 0 && n <= 1 << 16 ? new Uint8Array(n) : undefined);

/** Drives every entry point the debugger uses; each may end in a typed error, independently. */
function exercise(bytes: Uint8Array, pcs: readonly number[], errors: { count: number }, area: Area = 'all'): void {
  const run = (a: Area) => area === 'all' || area === a;
  const step = (f: () => void) => {
    try { f(); } catch (e) {
      if (e instanceof DwarfError || e instanceof ElfError) { errors.count++; return; }
      throw e;
    }
  };
  let dbg: DebugInfo | undefined;
  step(() => { dbg = DebugInfo.open(bytes, 'fuzz.elf', { inflate }); });
  if (dbg === undefined) return;
  const d = dbg;
  if (run('symbols')) step(() => {
    const syms = d.elf.symbols();
    for (let i = 0; i < syms.length; i += 7) demangle(syms[i].name);
    d.elf.mappingSymbols();
    for (const pc of pcs) d.symbolAt(pc);
  });
  if (run('attributes')) step(() => { d.elf.armAttributes(); });
  step(() => { for (const s of d.elf.sections) d.elf.sectionBytes(s); });
  if (run('lines')) {
    step(() => {
      const lines = d.lines;
      if (lines === undefined) return;
      for (const p of lines.programs()) p.raw();
    });
    step(() => { d.breakpointAddresses('main.c', 20); d.breakpointAddresses('loops.c', 5); });
  }
  // sourceAt reads lines, scopes (info) and symbols.
  if (run('frames')) {
    // Every FDE's table, the rules at each pc and one unwind step (CFI, else the prologue scan).
    step(() => { const f = d.frames; if (f) for (const fde of f.fdes()) f.rows(fde); });
    const regs = new Map([[13, 0x20001000], [14, 0x8001], [7, 0x20001000]]);
    const mem = (a: number, n: number) => zeroMem(BigInt(a), n);
    for (const pc of pcs) step(() => { d.rulesAt(pc); d.unwind(pc, regs, mem); d.backtrace(new Map([...regs, [15, pc]]), mem); });
  }
  if (area !== 'attributes' && area !== 'bytes' && area !== 'frames') for (const pc of pcs) step(() => { d.sourceAt(pc); d.stepRanges(pc); });
  if (run('info') || run('symbols')) step(() => { d.functionAddresses('main'); d.functionAddresses('fill'); });
  if (!run('info')) return;
  step(() => { for (const u of d.info.units()) u.root()?.attrs(); });
  for (const pc of pcs) {
    step(() => {
      for (const s of d.scopesAt(pc)) {
        for (const v of s.variables) {
          const val = d.scopes.evaluateVariable(v, pc, { readReg: () => 0x20001000n, readMem: zeroMem, cfa: () => 0x20001000n });
          if (val.bytes) formatValue(val.type, val.bytes, { readMem: zeroMem, maxElements: 16, maxString: 32 });
        }
      }
    });
  }
}

test(`fuzz: ${CASES} mutated corpus ELFs end in results or typed errors, each within ${CASE_LIMIT_MS} ms`, { timeout: 30 * 60_000 }, () => {
  const bases = [
    corpusElf({ opt: '-O2', dwarf: 5, g3: false }).path,
    corpusElf({ opt: '-O0', dwarf: 4, g3: false }).path,
    corpusElf({ opt: '-Os', dwarf: 4, g3: true }).path,
    buildElf(TESTDATA_DIR, corpusSources(), ['-O2', '-gdwarf-5', '-gz=zlib'], 'gz'),
  ].map((p) => {
    const bytes = new Uint8Array(readFileSync(p));
    const pristine = DebugInfo.open(bytes, p, { inflate });
    // pcs the debugger would ask about: function starts and middles with debug info.
    const pcs = ['main', 'fill', 'dot', 'hash_words', 'fnptr_main', 'inline_main']
      .flatMap((n) => pristine.functionAddresses(n).slice(0, 1).flatMap((f) => [f.lo, (f.lo + f.hi) >>> 1 & ~1]));
    assert.ok(pcs.length >= 6, `${p}: corpus functions found`);
    return { path: p, bytes, regions: regionsOf(bytes), pcs };
  });
  // The unmutated files must exercise cleanly, or the fuzz cases prove nothing.
  for (const b of bases) {
    const errors = { count: 0 };
    exercise(b.bytes, b.pcs, errors);
    assert.equal(errors.count, 0, `${b.path} parses without errors`);
  }
  const rng = new Rng(SEED);
  const failures: string[] = [];
  let typed = 0, clean = 0, slowest = 0, slowestWhat = '';
  const t0 = performance.now();
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const b = bases[i % bases.length];
    const m = mutate(b.bytes, b.regions, rng);
    if (ONLY >= 0 && i !== ONLY) { m.undo(); continue; }
    const errors = { count: 0 };
    const start = performance.now();
    try {
      exercise(m.bytes, b.pcs, errors, m.area);
    } catch (e) {
      failures.push(`case ${i} (seed ${SEED}) ${m.what} on ${b.path}: ${(e as Error)?.stack ?? String(e)}`);
    } finally {
      m.undo();
    }
    const ms = performance.now() - start;
    if (ms > slowest) { slowest = ms; slowestWhat = `case ${i}: ${m.what}`; }
    if (ms > CASE_LIMIT_MS) failures.push(`case ${i} (seed ${SEED}) ${m.what} on ${b.path}: took ${ms.toFixed(0)} ms`);
    if (errors.count) typed++; else clean++;
  }
  const total = performance.now() - t0;
  process.stdout.write(`# fuzz: ${CASES} cases in ${(total / 1000).toFixed(1)} s; ${typed} ended in typed errors, ${clean} parsed; slowest ${slowest.toFixed(1)} ms (${slowestWhat})\n`);
  assert.deepEqual(failures, []);
  // A fuzzer whose every case errors out early (or never does) is not exploring the reader.
  if (ONLY < 0) assert.ok(typed > CASES * 0.05 && clean > CASES * 0.05, `${typed} typed / ${clean} clean`);
});
