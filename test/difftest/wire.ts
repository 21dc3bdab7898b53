// The byte format shared with oracle.py (keep both in step): one fixed-size record per
// case going in, one variable-size record per case coming back. Also the fixed memory
// layout both emulators use: a code page and a data page.

export const CODE_BASE = 0x10000;
/** Test code sits mid-page so short branches either way stay in the page (oracle.py fills it with UDF). */
export const CODE_AT = 0x10800;
export const DATA_BASE = 0x20000;
export const PAGE = 0x1000;
export const MAX_CODE = 20;
export const REC_IN = 4 + MAX_CODE + 16 * 4 + 8 + 32 * 4;
const OUT_FIXED = 4 + 16 * 4 + 8 + 32 * 4;

/** Oracle status codes. */
export const ST_OK = 0, ST_UNDEF = 1, ST_MEMFAULT = 2, ST_EXCEPTION = 3, ST_ERROR = 4;

export interface DiffCase {
  /** Report group, e.g. 'dp', 'ls', 'fp', 'it', 'cs:dsp' (cs: found by capstone-filtered random words). */
  group: string;
  /** Instruction halfwords in order (IT block: the IT first). */
  hws: number[];
  nInsns: number;
  pageIdx: number;
  /** FP state is set and compared. */
  fp: boolean;
  r: Uint32Array;   // r0-r15; r15 is ignored (code runs at CODE_AT)
  apsr: number;
  fpscr: number;
  s: Uint32Array;   // s0-s31 raw bits
}

export interface OracleResult {
  status: number;
  intno: number;
  r: Uint32Array;
  xpsr: number;
  fpscr: number;
  s: Uint32Array;
  /** Data-page offset -> new byte value, for bytes that changed. */
  mem: Map<number, number>;
}

export function encodeBatch(pages: readonly Uint8Array[], cases: readonly DiffCase[]): Buffer {
  const buf = Buffer.alloc(8 + pages.length * PAGE + cases.length * REC_IN);
  buf.write('TDF1', 0, 'latin1');
  buf.writeUInt32LE(pages.length, 4);
  let o = 8;
  for (const p of pages) { buf.set(p, o); o += PAGE; }
  for (const c of cases) {
    if (c.hws.length * 2 > MAX_CODE) throw new Error(`difftest: case has ${c.hws.length} halfwords, more than ${MAX_CODE / 2}`);
    buf[o] = c.hws.length * 2; buf[o + 1] = c.nInsns; buf[o + 2] = c.pageIdx; buf[o + 3] = c.fp ? 1 : 0;
    c.hws.forEach((h, k) => buf.writeUInt16LE(h, o + 4 + 2 * k));
    let q = o + 4 + MAX_CODE;
    for (let k = 0; k < 16; k++, q += 4) buf.writeUInt32LE(c.r[k] >>> 0, q);
    buf.writeUInt32LE(c.apsr >>> 0, q); buf.writeUInt32LE(c.fpscr >>> 0, q + 4); q += 8;
    for (let k = 0; k < 32; k++, q += 4) buf.writeUInt32LE(c.s[k] >>> 0, q);
    o += REC_IN;
  }
  return buf;
}

export function decodeResults(buf: Buffer, count: number): OracleResult[] {
  const out: OracleResult[] = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    if (o + OUT_FIXED > buf.length) throw new Error(`difftest: oracle output ends after ${i} of ${count} results`);
    const status = buf[o], intno = buf[o + 1], nDiff = buf.readUInt16LE(o + 2);
    const r = new Uint32Array(16);
    let q = o + 4;
    for (let k = 0; k < 16; k++, q += 4) r[k] = buf.readUInt32LE(q);
    const xpsr = buf.readUInt32LE(q), fpscr = buf.readUInt32LE(q + 4); q += 8;
    const s = new Uint32Array(32);
    for (let k = 0; k < 32; k++, q += 4) s[k] = buf.readUInt32LE(q);
    const mem = new Map<number, number>();
    if (q + nDiff * 4 > buf.length) throw new Error(`difftest: oracle output truncated in result ${i}`);
    for (let k = 0; k < nDiff; k++, q += 4) mem.set(buf.readUInt16LE(q), buf[q + 2]);
    out.push({ status, intno, r, xpsr, fpscr, s, mem });
    o = q;
  }
  return out;
}
