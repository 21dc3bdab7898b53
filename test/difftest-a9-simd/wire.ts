// Batch format shared with oracle.py (the Unicorn side) for the Cortex-A9 VFP/NEON
// differential tests, plus running a case on our unit and comparing the two results.
import { join } from 'node:path';
import { SimdTestHost } from '../../emulator/cores/armv7a/vfp-test-host';
import { decodeSimdA32, decodeSimdT32, thumbToA32 } from '../../emulator/cores/armv7a/vfp-decode';
import { inJobs, PYTHON, runProcess } from '../difftest/py-tools';

export const CODE_BASE = 0x10000;
export const DATA_BASE = 0x20000;
export const PAGE = 0x1000;
const REC_IN = 4 + 4 + 15 * 4 + 12 + 64 * 4;
const REC_OUT = 4 + 15 * 4 + 8 + 64 * 4;

export interface SimdCase {
  group: string;
  thumb: boolean;
  /** A32 word, or T32 (hw1 << 16) | hw2. */
  insn: number;
  pageIdx: number;
  /** Bit 0: run in User mode; bits 2:1: CPACR.cp10/cp11 (0 no access, 1 PL1 only, 3 full). */
  access: number;
  r: Uint32Array;   // r0..r14
  nzcv: number;     // CPSR bits 31:28 as bits 3:0
  fpscr: number;
  fpexc: number;
  d: Uint32Array;   // 64 words, D0 lo, D0 hi, ...
}

export interface SimdResult {
  status: number;   // 0 ran, 1 undefined, 2 data abort, 3 other exception, 4 error
  r: Uint32Array;
  nzcv: number;
  fpscr: number;
  d: Uint32Array;
  /** Changed data-page bytes: offset -> value. */
  mem: Map<number, number>;
  why?: string;
}

export function encodeBatch(pages: readonly Uint8Array[], cases: readonly SimdCase[]): Buffer {
  const head = Buffer.alloc(8);
  head.write('A9S1', 0, 'latin1');
  head.writeUInt32LE(pages.length, 4);
  const body = Buffer.alloc(cases.length * REC_IN);
  let o = 0;
  for (const c of cases) {
    body.writeUInt8(c.thumb ? 1 : 0, o); body.writeUInt8(c.pageIdx, o + 1); body.writeUInt16LE(c.access, o + 2);
    body.writeUInt32LE(c.insn >>> 0, o + 4);
    o += 8;
    for (let k = 0; k < 15; k++, o += 4) body.writeUInt32LE(c.r[k] >>> 0, o);
    body.writeUInt32LE((c.nzcv << 28) >>> 0, o); body.writeUInt32LE(c.fpscr >>> 0, o + 4); body.writeUInt32LE(c.fpexc >>> 0, o + 8);
    o += 12;
    for (let k = 0; k < 64; k++, o += 4) body.writeUInt32LE(c.d[k] >>> 0, o);
  }
  return Buffer.concat([head, ...pages.map((p) => Buffer.from(p)), body]);
}

export function decodeResults(b: Buffer, n: number): SimdResult[] {
  const out: SimdResult[] = [];
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (o + REC_OUT > b.length) throw new Error(`oracle output truncated at record ${i} of ${n} (byte ${o})`);
    const status = b.readUInt8(o), ndiff = b.readUInt16LE(o + 2);
    o += 4;
    const r = new Uint32Array(15);
    for (let k = 0; k < 15; k++, o += 4) r[k] = b.readUInt32LE(o);
    const cpsr = b.readUInt32LE(o), fpscr = b.readUInt32LE(o + 4);
    o += 8;
    const d = new Uint32Array(64);
    for (let k = 0; k < 64; k++, o += 4) d[k] = b.readUInt32LE(o);
    const mem = new Map<number, number>();
    for (let k = 0; k < ndiff; k++, o += 4) mem.set(b.readUInt16LE(o), b.readUInt8(o + 2));
    out.push({ status, r, nzcv: cpsr >>> 28, fpscr, d, mem });
  }
  return out;
}

const here = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test', 'difftest-a9-simd');
export { PYTHON };

/** Run the cases on Unicorn in `jobs` processes; results in case order. */
export function runOracle(pages: readonly Uint8Array[], cases: readonly SimdCase[], jobs = 2): Promise<SimdResult[]> {
  const args = [join(here, 'oracle.py')];
  return inJobs(cases, jobs, (slice) => runProcess(PYTHON, args, encodeBatch(pages, slice)).then((b) => decodeResults(b, slice.length)));
}

/** Run one case on our VFP/NEON unit through the test host. */
export function runOurs(c: SimdCase, page: Uint8Array): SimdResult {
  const h = new SimdTestHost();
  const mem = new Uint8Array(page);
  h.map(DATA_BASE, mem);
  // The code page as the oracle has it: the instruction, then zeros (VLDR can read it PC-relative).
  const code = new Uint8Array(PAGE);
  if (c.thumb) { code[0] = (c.insn >>> 16) & 0xff; code[1] = c.insn >>> 24; code[2] = c.insn & 0xff; code[3] = (c.insn >>> 8) & 0xff; }
  else { code[0] = c.insn & 0xff; code[1] = (c.insn >>> 8) & 0xff; code[2] = (c.insn >>> 16) & 0xff; code[3] = c.insn >>> 24; }
  h.map(CODE_BASE, code);
  h.thumb = c.thumb;
  h.privileged = (c.access & 1) === 0;
  const cp = (c.access >>> 1) & 3;
  h.accessAllowed = cp === 3 || (cp === 1 && h.privileged);
  h.pc = CODE_BASE;
  h.r.set(c.r);
  h.nzcv = c.nzcv;
  h.simd.fpscr = c.fpscr >>> 0;
  h.simd.fpexc = c.fpexc >>> 0;
  h.simd.u32.set(c.d);
  const exec = c.thumb ? decodeSimdT32(c.insn) : decodeSimdA32(c.insn);
  let status = 1;
  let why = 'not a VFP/NEON encoding';
  if (exec !== undefined) {
    const s = h.run(exec, c.thumb ? thumbToA32(c.insn) : c.insn);
    status = s === 'ok' ? 0 : s === 'undef' ? 1 : 2;
    why = h.undef ?? h.abort ?? '';
  }
  const diff = new Map<number, number>();
  for (let k = 0; k < PAGE; k++) if (mem[k] !== page[k]) diff.set(k, mem[k]);
  return { status, r: h.r.slice(0, 15), nzcv: h.nzcv, fpscr: h.simd.fpscr >>> 0, d: new Uint32Array(h.simd.u32), mem: diff, why };
}


const h8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

/** Differences between our result and the oracle's, as text lines (empty: agree). */
export function compare(ours: SimdResult, theirs: SimdResult): string[] {
  const out: string[] = [];
  if (ours.status !== theirs.status) { out.push(`status ours ${ours.status} (${ours.why ?? ''}) unicorn ${theirs.status}`); return out; }
  if (ours.status !== 0) return out;
  for (let k = 0; k < 15; k++) if (ours.r[k] !== theirs.r[k]) out.push(`r${k} ours ${h8(ours.r[k])} unicorn ${h8(theirs.r[k])}`);
  if (ours.nzcv !== theirs.nzcv) out.push(`nzcv ours ${ours.nzcv.toString(2)} unicorn ${theirs.nzcv.toString(2)}`);
  if (ours.fpscr !== theirs.fpscr) out.push(`fpscr ours ${h8(ours.fpscr)} unicorn ${h8(theirs.fpscr)}`);
  for (let k = 0; k < 32; k++) {
    if (ours.d[2 * k] !== theirs.d[2 * k] || ours.d[2 * k + 1] !== theirs.d[2 * k + 1]) {
      out.push(`d${k} ours ${h8(ours.d[2 * k + 1])}_${h8(ours.d[2 * k])} unicorn ${h8(theirs.d[2 * k + 1])}_${h8(theirs.d[2 * k])}`);
    }
  }
  const keys = new Set([...ours.mem.keys(), ...theirs.mem.keys()]);
  for (const k of keys) if (ours.mem.get(k) !== theirs.mem.get(k)) { out.push(`mem +0x${k.toString(16)} ours ${ours.mem.get(k)} unicorn ${theirs.mem.get(k)}`); break; }
  return out;
}
