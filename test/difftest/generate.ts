// Case generation for the differential tests. Three sources, all from one seed:
// (a) random fills of the don't-care bits of our own InsnDefs, (b) IT blocks built from
// those, and (c) random words that capstone accepts, which catches encodings our table
// lacks. States are random with a bias to edge values; memory bases point into the data page.
import { InsnDef, InsnTable, isThumb32 } from '../../emulator/cores/armv7m/insn';
import { Prng } from './prng';
import { capstoneDecode } from './py-tools';
import { CODE_AT, DATA_BASE, DiffCase, PAGE } from './wire';

export interface GenOptions {
  seed: number;
  count: number;
  defs: readonly InsnDef[];
  table: InsnTable;
  /** Number of initial data pages (cases pick one). */
  pages?: number;
}

export interface Generated { pages: Uint8Array[]; cases: DiffCase[] }

/** Sleep, exceptions and system-register access: the stub system has no NVIC/SCB, so these are out of scope. */
export function excludedText(text: string): boolean {
  const t = text.trim().toLowerCase();
  const mn = t.split(/[\s.]/)[0];
  if (/^(wfi|wfe|svc|bkpt|cpsie|cpsid|cps)$/.test(mn)) return true;
  if (/^it[te]{0,3}$/.test(mn)) return true;
  // MRS/MSR are in scope only for the APSR views (not IAPSR/EAPSR/xPSR, which need the system).
  if (mn === 'mrs' || mn === 'msr') return !/\bapsr/.test(t);
  return false;
}

function wordOf(hws: readonly number[]): number {
  return hws.length === 2 ? ((hws[0] << 16) | hws[1]) >>> 0 : hws[0];
}

export function decodeHws(table: InsnTable, hws: readonly number[]): InsnDef | undefined {
  return hws.length === 2 ? table.decode32(wordOf(hws)) : table.decode16(hws[0]);
}

/** FP/coprocessor encoding space (A5.3.18 / A6): 111x 11xx in the first halfword. */
export function isFpSpace(hws: readonly number[]): boolean {
  return hws.length === 2 && (hws[0] & 0xec00) === 0xec00;
}

/** Registers that probably serve as a base (and an index) for memory access, by encoding. */
function memRegs(hws: readonly number[]): { base: number; index: number; imm12: number } {
  const none = { base: -1, index: -1, imm12: 0 };
  const h = hws[0];
  if (hws.length === 1) {
    if (h >= 0x5000 && h < 0x6000) return { base: (h >> 3) & 7, index: (h >> 6) & 7, imm12: 0 };
    if (h >= 0x6000 && h < 0x9000) return { base: (h >> 3) & 7, index: -1, imm12: 0 };
    if (h >= 0xc000 && h < 0xd000) return { base: (h >> 8) & 7, index: -1, imm12: 0 };
    return none;
  }
  const h2 = hws[1];
  if ((h & 0xfe00) === 0xe800) return { base: h & 15, index: h2 & 15, imm12: 0 };  // LDM/STM/LDRD/exclusives/TBB
  if ((h & 0xfe00) === 0xf800) return { base: h & 15, index: h2 & 15, imm12: (h & 0x80) ? h2 & 0xfff : 0 };
  if ((h & 0xee00) === 0xec00) return { base: h & 15, index: -1, imm12: 0 };        // VLDR/VSTR/VLDM/VSTM
  return none;
}

function dataPointer(p: Prng, imm12: number): number {
  const span = imm12 > 0 ? Math.max(8, PAGE - imm12 - 8) : 0x800;
  const lo = imm12 > 0 ? 0 : 0x400;
  let a = DATA_BASE + lo + p.below(span);
  const k = p.below(10);
  if (k < 7) a &= ~3; else if (k < 8) a &= ~1;
  return a >>> 0;
}

function randomFpscr(p: Prng): number {
  // NZCV, AHP, DN, FZ, RMode and the cumulative exception flags; the rest are reserved (A2.5.3).
  let v = p.next() & 0xf0000000;
  if (p.chance(0.3)) v |= p.next() & 0x07c00000;
  if (p.chance(0.3)) v |= p.next() & 0x9f;
  return v >>> 0;
}

function makeCase(p: Prng, group: string, hws: number[], nInsns: number, fp: boolean, npages: number, memHws: number[][]): DiffCase {
  const r = new Uint32Array(16);
  for (let k = 0; k < 13; k++) r[k] = p.chance(0.08) ? dataPointer(p, 0) : p.edge32();
  r[13] = (DATA_BASE + 0x400 + p.below(0x800)) & ~(p.chance(0.5) ? 7 : 3);
  r[14] = p.chance(0.5) ? (p.edge32() | 1) >>> 0 : p.edge32();
  for (const m of memHws) {
    const { base, index, imm12 } = memRegs(m);
    if (index >= 0 && index < 13 && index !== base) r[index] = p.chance(0.8) ? p.below(64) : p.edge32();
    if (base >= 0 && base < 13) r[base] = dataPointer(p, imm12);
  }
  let apsr = (p.next() & 0xf8000000) | ((p.next() & 0xf) << 16);
  const s = new Uint32Array(32);
  let fpscr = 0;
  if (fp) {
    for (let k = 0; k < 32; k++) s[k] = p.float32Bits();
    fpscr = randomFpscr(p);
  }
  return { group, hws, nInsns, pageIdx: p.below(npages), fp, r, apsr: apsr >>> 0, fpscr, s };
}

/**
 * Conservative: may this instruction write the PC? Inside an IT block only the last
 * instruction may (A7.3.3), so the IT generator leaves these out altogether.
 */
export function mayWritePc(hws: readonly number[]): boolean {
  const h = hws[0];
  if (hws.length === 1) {
    return (h & 0xf000) === 0xd000 || (h & 0xf800) === 0xe000 || (h & 0xf500) === 0xb100 ||
      (h & 0xfc00) === 0x4400 || (h & 0xff00) === 0xbd00;
  }
  const h2 = hws[1];
  if ((h & 0xf800) === 0xf000 && (h2 & 0x8000) !== 0) return true;                                   // branches, misc control
  if ((h & 0xfe00) === 0xe800 && (h & 0x10) !== 0 && (h2 & 0x8000) !== 0) return true;               // LDM with PC, TBB/TBH
  if ((h & 0xfe00) === 0xf800 && (h & 0x10) !== 0 && (h2 >>> 12) === 15) return true;               // loads to PC
  if (((h & 0xee00) === 0xea00 || (h & 0xf800) === 0xf000) && ((h2 >>> 8) & 15) === 15) return true; // Rd = PC
  return false;
}

/** MOVS (register) T2 is UNPREDICTABLE inside an IT block (A7.7.77); so are CPS and IT itself. */
function badInIt(hws: readonly number[]): boolean {
  // Hints are fine inside IT (A7.3.3), but Unicorn ends its translation block at YIELD and
  // then reports the rest of the block as UNDEFINED, so they are left out here.
  const hint = hws.length === 1 && (hws[0] & 0xff0f) === 0xbf00;
  return mayWritePc(hws) || hint || (hws.length === 1 && (hws[0] & 0xffc0) === 0x0000);
}

function hwsOf(def: InsnDef, w: number): number[] {
  return def.size === 4 ? [(w >>> 16) & 0xffff, w & 0xffff] : [w & 0xffff];
}

/** A random encoding of `def` (don't-care bits filled), or null when none decodes back to a usable entry. */
function fillDef(p: Prng, table: InsnTable, def: InsnDef): { def: InsnDef; hws: number[] } | null {
  for (let tries = 0; tries < 24; tries++) {
    let w = def.size === 4 ? ((def.match | (p.next() & ~def.mask)) >>> 0) : ((def.match | (p.next() & ~def.mask)) & 0xffff);
    // FPv4-SP has no double precision: a free sz bit (bit 8) would make half the FP cases UNDEFINED.
    if (def.cls === 'fp' && def.size === 4 && (def.mask & 0x100) === 0 && p.chance(0.85)) w = (w & ~0x100) >>> 0;
    const hws = hwsOf(def, w);
    const got = decodeHws(table, hws);
    if (got === undefined || got.cls === 'sys') continue;
    if (got.unpredictable !== undefined && got.unpredictable(w)) continue;
    if (excludedText(got.disasm(w, CODE_AT, -1))) continue;
    return { def: got, hws };
  }
  return null;
}

function randomPages(p: Prng, n: number): Uint8Array[] {
  const pages: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const pg = new Uint8Array(PAGE);
    const w = new Uint32Array(pg.buffer);
    for (let k = 0; k < w.length; k++) w[k] = p.chance(0.5) ? p.edge32() : p.float32Bits();
    pages.push(pg);
  }
  return pages;
}

const TABLE_SHARE = 0.7, IT_SHARE = 0.1;

export async function generateCases(o: GenOptions): Promise<Generated> {
  const p = new Prng(o.seed);
  const npages = o.pages ?? 16;
  const pages = randomPages(p, npages);
  const cases: DiffCase[] = [];

  // (a) our table, class first so that classes with many entries do not crowd out the rest.
  const byCls = new Map<string, InsnDef[]>();
  for (const d of o.defs) {
    if (d.cls === 'sys' || d.name.startsWith('IT ')) continue;
    const l = byCls.get(d.cls) ?? [];
    l.push(d);
    byCls.set(d.cls, l);
  }
  const classes = [...byCls.keys()].sort();
  const nTable = Math.floor(o.count * TABLE_SHARE);
  for (let i = 0, guard = 0; i < nTable && classes.length > 0 && guard < nTable * 4; guard++) {
    const def = p.pick(byCls.get(p.pick(classes)) as InsnDef[]);
    const got = fillDef(p, o.table, def);
    if (got === null) continue;
    const fp = got.def.cls === 'fp' || isFpSpace(got.hws);
    cases.push(makeCase(p, got.def.cls, got.hws, 1, fp, npages, [got.hws]));
    i++;
  }

  // (b) IT blocks: IT + 1-4 instructions from the non-branch classes (ARM ARM A7.3.3).
  const inIt = classes.filter((c) => c !== 'branch');
  const nIt = Math.floor(o.count * IT_SHARE);
  for (let i = 0, guard = 0; i < nIt && inIt.length > 0 && guard < nIt * 4; guard++) {
    const len = 1 + p.below(4);
    const firstcond = p.below(14);                       // not AL: with AL every else-slot is UNPREDICTABLE
    let mask = 0;
    for (let k = 1; k < len; k++) mask |= (p.chance(0.5) ? (firstcond & 1) : (~firstcond & 1)) << (4 - k);
    mask |= 1 << (4 - len);
    const hws = [0xbf00 | (firstcond << 4) | mask];
    const mem: number[][] = [];
    let fp = false;
    for (let k = 0; k < len; k++) {
      const got = fillDef(p, o.table, p.pick(byCls.get(p.pick(inIt)) as InsnDef[]));
      if (got === null || got.def.name.startsWith('IT ') || got.def.cls === 'branch' || badInIt(got.hws)) { hws.length = 0; break; }
      hws.push(...got.hws);
      mem.push(got.hws);
      fp ||= got.def.cls === 'fp' || isFpSpace(got.hws);
    }
    if (hws.length === 0) continue;
    cases.push(makeCase(p, 'it', hws, len + 1, fp, npages, mem));
    i++;
  }

  // (c) random words that capstone decodes, whatever our table says about them.
  const nCs = o.count - cases.length;
  const cands: number[][] = [];
  for (let i = 0; i < nCs * 3; i++) {
    cands.push(p.chance(0.4) ? [p.below(0xe800)] : [0xe800 + p.below(0x1800), p.below(0x10000)]);
  }
  const cs = nCs > 0 ? await capstoneDecode(cands.map((hws) => ({ hws, addr: CODE_AT }))) : [];
  for (let i = 0; i < cands.length && cases.length < o.count; i++) {
    const c = cs[i];
    const hws = cands[i];
    if (c === null || c.size !== hws.length * 2) continue;
    if (excludedText(`${c.mnemonic} ${c.operands}`)) continue;
    const def = decodeHws(o.table, hws);
    // Encodings we do not decode that name SP or PC are mostly UNPREDICTABLE uses of them
    // (e.g. ADD.W with Rd = PC), where our UNDEFINED is as right as QEMU's choice.
    if (def === undefined && /\b(pc|sp|r13|r15)\b/.test(c.operands)) continue;
    if (def !== undefined && (def.cls === 'sys' || (def.unpredictable !== undefined && def.unpredictable(wordOf(hws))))) continue;
    if (def !== undefined && excludedText(def.disasm(wordOf(hws), CODE_AT, -1))) continue;
    const fp = isFpSpace(hws) || def?.cls === 'fp';
    cases.push(makeCase(p, `cs:${def?.cls ?? 'undecoded'}`, hws, 1, fp, npages, [hws]));
  }
  return { pages, cases };
}

export { isThumb32, wordOf };
