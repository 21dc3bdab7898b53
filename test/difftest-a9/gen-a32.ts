// A32 case generation for the Cortex-A9 differential tests: one template per instruction
// group of ARM ARM chapter A5, each filling its fields at random while keeping out of the
// UNPREDICTABLE corners (PC as a destination, writeback onto the transfer register...).
// Registers that serve as bases point into the data page. Same seed, same cases.
import { Prng } from '../difftest/prng';
import { CODE_AT, DATA_BASE, DiffCase, PAGE } from '../difftest/wire';

interface Built { words: number[]; /** index registers that must stay multiples of 4 */ small4?: number[]; /** registers to point into the data page, with the alignment they need */ bases: { reg: number; align: number; room: number }[]; small: number[] }

type Template = (p: Prng) => Built;

const reg = (p: Prng, avoid: number[] = []): number => { for (;;) { const r = p.below(15); if (!avoid.includes(r)) return r; } };
const lowReg = (p: Prng, avoid: number[] = []): number => { for (;;) { const r = p.below(13); if (!avoid.includes(r)) return r; } };
function cond(p: Prng): number { return p.chance(0.75) ? 14 : p.below(14); }
const one = (w: number, extra: Partial<Built> = {}): Built => ({ words: [w >>> 0], bases: extra.bases ?? [], small: extra.small ?? [], small4: extra.small4 });

const templates: Record<string, Template> = {
  'dp-imm': (p) => {
    const opc = p.below(16);
    const s = opc >= 8 && opc <= 11 ? 1 : p.below(2);
    const rn = opc === 13 || opc === 15 ? 0 : p.chance(0.1) ? 15 : reg(p);
    const rd = opc >= 8 && opc <= 11 ? 0 : reg(p);
    return one((cond(p) << 28) | (1 << 25) | (opc << 21) | (s << 20) | (rn << 16) | (rd << 12) | p.below(4096));
  },
  'dp-reg': (p) => {
    const opc = p.below(16);
    const s = opc >= 8 && opc <= 11 ? 1 : p.below(2);
    const rn = opc === 13 || opc === 15 ? 0 : reg(p);
    const rd = opc >= 8 && opc <= 11 ? 0 : reg(p);
    return one((cond(p) << 28) | (opc << 21) | (s << 20) | (rn << 16) | (rd << 12) | (p.below(32) << 7) | (p.below(4) << 5) | reg(p));
  },
  'dp-rsr': (p) => {
    const opc = p.below(16);
    const s = opc >= 8 && opc <= 11 ? 1 : p.below(2);
    const rn = opc === 13 || opc === 15 ? 0 : reg(p);
    const rd = opc >= 8 && opc <= 11 ? 0 : reg(p);
    return one((cond(p) << 28) | (opc << 21) | (s << 20) | (rn << 16) | (rd << 12) | (reg(p) << 8) | (p.below(4) << 5) | 0x10 | reg(p));
  },
  'movw-movt': (p) => one((cond(p) << 28) | (p.chance(0.5) ? 0x03000000 : 0x03400000) | (p.below(16) << 16) | (reg(p) << 12) | p.below(4096)),
  mul: (p) => {
    const op4 = p.pick([0, 1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 14, 15]);
    const long = op4 >= 8 || op4 === 4;
    const rd = reg(p), ra = long ? reg(p, [rd]) : reg(p);
    return one((cond(p) << 28) | (op4 << 20) | (rd << 16) | ((op4 < 2 ? 0 : ra) << 12) | (reg(p) << 8) | 0x90 | reg(p));
  },
  'half-mul': (p) => {
    const op1 = p.below(4);
    const rd = reg(p), ra = op1 === 2 ? reg(p, [rd]) : op1 === 3 ? 0 : reg(p);
    const x = p.below(2), y = p.below(2);
    const raF = op1 === 1 && x === 1 ? 0 : ra; // SMULW has no accumulator
    return one((cond(p) << 28) | 0x01000080 | (op1 << 21) | (rd << 16) | (raF << 12) | (reg(p) << 8) | (y << 6) | (x << 5) | reg(p));
  },
  clz: (p) => one((cond(p) << 28) | 0x016f0f10 | (reg(p) << 12) | reg(p)),
  qaddsub: (p) => one((cond(p) << 28) | 0x01000050 | (p.below(4) << 21) | (reg(p) << 16) | (reg(p) << 12) | reg(p)),
  'mrs-msr': (p) => {
    if (p.chance(0.4)) return one((cond(p) << 28) | 0x010f0000 | (reg(p) << 12));
    const mask = p.pick([8, 4, 12]);
    if (p.chance(0.5)) return one((cond(p) << 28) | 0x0120f000 | (mask << 16) | reg(p));
    return one((cond(p) << 28) | 0x0320f000 | (mask << 16) | p.below(4096));
  },
  'ls-imm': (p) => {
    const pb = p.below(2), u = p.below(2), b = p.below(2), l = p.below(2);
    const w = pb === 0 ? p.below(2) : p.below(2);
    const rn = lowReg(p), rt = (pb === 0 || w === 1) ? reg(p, [rn]) : reg(p);
    return one((cond(p) << 28) | 0x04000000 | (pb << 24) | (u << 23) | (b << 22) | (w << 21) | (l << 20) | (rn << 16) | (rt << 12) | p.below(0x300),
      { bases: [{ reg: rn, align: b === 1 || p.chance(0.2) ? 1 : 4, room: 0x300 }] });
  },
  'ls-reg': (p) => {
    const pb = p.below(2), u = p.below(2), b = p.below(2), l = p.below(2), w = p.below(2);
    const rn = lowReg(p), rm = lowReg(p, [rn]), rt = (pb === 0 || w === 1) ? reg(p, [rn]) : reg(p);
    const type = p.below(3), imm5 = type === 0 ? p.below(4) : 1 + p.below(31);
    return one((cond(p) << 28) | 0x06000000 | (pb << 24) | (u << 23) | (b << 22) | (w << 21) | (l << 20) | (rn << 16) | (rt << 12) | (imm5 << 7) | (type << 5) | rm,
      { bases: [{ reg: rn, align: b === 1 || p.chance(0.2) ? 1 : 4, room: 0x200 }], small: [rm] });
  },
  'ls-extra': (p) => {
    const op2 = 1 + p.below(3), l = p.below(2), pb = p.below(2), u = p.below(2), imm = p.below(2);
    const dual = op2 >= 2 && l === 0;
    const w = pb === 0 ? 0 : p.below(2);
    const wback = pb === 0 || w === 1;
    const rn = lowReg(p);
    let rt = dual ? 2 * p.below(6) : reg(p);
    if (wback && (rt === rn || (dual && rt + 1 === rn))) rt = dual ? (rn >= 2 ? 0 : 4) : (rn + 1) % 13;
    const rm = lowReg(p, [rn, rt, rt + 1]);
    const off = dual ? p.below(0x40) & ~3 : p.below(0x100);
    const lo = imm ? off & 15 : rm, hi = imm ? (off >>> 4) & 15 : 0;
    return one((cond(p) << 28) | (pb << 24) | (u << 23) | (imm << 22) | (w << 21) | (l << 20) | (rn << 16) | (rt << 12) | (hi << 8) | 0x90 | (op2 << 5) | lo,
      { bases: [{ reg: rn, align: dual ? 8 : op2 === 2 ? 1 : p.chance(0.2) ? 1 : 2, room: 0x100 }], small: imm || dual ? [] : [rm], small4: !imm && dual ? [rm] : [] });
  },
  'ldm-stm': (p) => {
    const pb = p.below(2), u = p.below(2), w = p.below(2), l = p.below(2);
    const rn = lowReg(p);
    let list = p.next() & 0x7fff;
    if (w === 1 || l === 0) list &= ~(1 << rn);
    if (list === 0) list = rn === 0 ? 2 : 1;
    return one((cond(p) << 28) | 0x08000000 | (pb << 24) | (u << 23) | (w << 21) | (l << 20) | (rn << 16) | list,
      { bases: [{ reg: rn, align: 4, room: 0x48 }] });
  },
  exclusive: (p) => {
    // LDREX{,B,H,D} then STREX{,B,H,D} to the same address (the monitor state is then defined).
    const size = p.below(4); // 0 word, 1 dual, 2 byte, 3 half
    const rn = lowReg(p);
    let rt = size === 1 ? 2 * p.below(6) : lowReg(p, [rn]);
    if (size === 1 && (rt === rn || rt + 1 === rn)) rt = rn >= 4 ? 0 : 6; // the base must survive for the STREX
    const rt2 = size === 1 ? rt + 1 : -1;
    const rs = size === 1 ? 2 * p.below(6) : lowReg(p, [rn]);
    const rd = lowReg(p, [rn, rs, rs + (size === 1 ? 1 : 0)]);
    const ld = 0x01900f9f | (size << 21) | (rn << 16) | (rt << 12);
    const st = 0x01800f90 | (size << 21) | (rn << 16) | (rd << 12) | rs;
    void rt2;
    const words = p.chance(0.2) ? [(0xe << 28) | st] : [(0xe << 28) | ld, (0xe << 28) | st];
    if (words.length === 2 && p.chance(0.2)) words.splice(1, 0, 0xf57ff01f); // CLREX in between: the store fails
    return { words: words.map((x) => x >>> 0), bases: [{ reg: rn, align: size === 1 ? 8 : size === 3 ? 2 : size === 0 ? 4 : 1, room: 16 }], small: [] };
  },
  swp: (p) => { // runs with SCTLR.SW set (run-a9.ts): Unicorn, like QEMU, ignores that enable bit
    const rn = lowReg(p), rt = reg(p, [rn]), rt2 = reg(p, [rn]);
    const b = p.below(2);
    return one((cond(p) << 28) | 0x01000090 | (b << 22) | (rn << 16) | (rt << 12) | rt2, { bases: [{ reg: rn, align: b !== 0 ? 1 : 4, room: 8 }] });
  },
  parallel: (p) => {
    const op1 = 1 + p.below(3), opc = p.pick([0, 1, 2, 3, 4, 7]), u = p.below(2);
    return one((cond(p) << 28) | 0x06000010 | (u << 22) | (op1 << 20) | (reg(p) << 16) | (reg(p) << 12) | 0xf00 | (opc << 5) | reg(p));
  },
  packing: (p) => {
    const c = cond(p) << 28;
    const rd = reg(p), rn = reg(p), rm = reg(p);
    switch (p.below(9)) {
      case 0: return one(c | 0x06800010 | (rn << 16) | (rd << 12) | (p.below(32) << 7) | (p.below(2) << 6) | rm); // PKH
      case 1: { // SXT*/UXT* (with add when Rn != 15)
        const op1 = p.pick([0, 2, 3, 4, 6, 7]);
        return one(c | 0x06800070 | (op1 << 20) | ((p.chance(0.4) ? 15 : rn) << 16) | (rd << 12) | (p.below(4) << 10) | rm);
      }
      case 2: return one(c | 0x06800fb0 | (rn << 16) | (rd << 12) | rm); // SEL
      case 3: return one(c | 0x06a00010 | (p.below(2) << 22) | (p.below(32) << 16) | (rd << 12) | (p.below(32) << 7) | (p.below(2) << 6) | rm); // SSAT/USAT
      case 4: return one(c | 0x06a00f30 | (p.below(2) << 22) | (p.below(16) << 16) | (rd << 12) | rm); // SSAT16/USAT16
      case 5: return one(c | 0x06bf0f30 | (rd << 12) | rm); // REV
      case 6: return one(c | 0x06bf0fb0 | (rd << 12) | rm); // REV16
      case 7: return one(c | 0x06ff0f30 | (rd << 12) | rm); // RBIT
      default: return one(c | 0x06ff0fb0 | (rd << 12) | rm); // REVSH
    }
  },
  'signed-mul': (p) => {
    const c = cond(p) << 28;
    const rd = reg(p), rm = reg(p), rn = reg(p);
    switch (p.below(3)) {
      case 0: return one(c | 0x07000010 | (rd << 16) | ((p.chance(0.3) ? 15 : reg(p)) << 12) | (rm << 8) | (p.below(4) << 5) | rn); // SMLAD/SMUAD/SMLSD/SMUSD
      case 1: { const lo = reg(p, [rd]); return one(c | 0x07400010 | (rd << 16) | (lo << 12) | (rm << 8) | (p.below(4) << 5) | rn); } // SMLALD/SMLSLD
      default: {
        const op2 = p.pick([0, 1, 6, 7]);
        return one(c | 0x07500010 | (rd << 16) | ((op2 < 2 && p.chance(0.3) ? 15 : reg(p)) << 12) | (rm << 8) | (op2 << 5) | rn); // SMMLA/SMMUL/SMMLS
      }
    }
  },
  'usad-bitfield': (p) => {
    const c = cond(p) << 28;
    const rd = reg(p), rn = reg(p);
    switch (p.below(4)) {
      case 0: return one(c | 0x07800010 | (rd << 16) | ((p.chance(0.3) ? 15 : reg(p)) << 12) | (reg(p) << 8) | rn); // USAD8/USADA8
      case 1: { const lsb = p.below(32); return one(c | 0x07c00010 | ((lsb + p.below(32 - lsb)) << 16) | (rd << 12) | (lsb << 7) | (p.chance(0.2) ? 15 : rn)); } // BFI/BFC
      default: { const lsb = p.below(32); return one(c | (p.chance(0.5) ? 0x07a00050 : 0x07e00050) | (p.below(32 - lsb) << 16) | (rd << 12) | (lsb << 7) | rn); } // SBFX/UBFX
    }
  },
  branch: (p) => {
    const c = cond(p) << 28;
    switch (p.below(4)) {
      case 0: return one(c | 0x0a000000 | (p.below(2) << 24) | ((p.below(0x1f0) - 0xf8) & 0xffffff)); // B/BL within the code page
      case 1: { const r = lowReg(p); return one(c | 0x012fff10 | r, { bases: [{ reg: r, align: -1, room: 0 }] }); } // BX
      case 2: { const r = lowReg(p); return one(c | 0x012fff30 | r, { bases: [{ reg: r, align: -1, room: 0 }] }); } // BLX (register)
      default: return one(0xfa000000 | (p.below(2) << 24) | ((p.below(0x1f0) - 0xf8) & 0xffffff)); // BLX (immediate)
    }
  },
  // Runs in User mode (see USER_GROUPS): privileged CPSR fields, CPS and the T forms as PL0 sees them.
  'user-mode': (p) => {
    const c = cond(p) << 28;
    switch (p.below(5)) {
      case 0: return one(c | 0x010f0000 | (reg(p) << 12)); // MRS
      case 1: return one(c | 0x0120f000 | (p.below(16) << 16) | reg(p)); // MSR CPSR_<any>, Rn
      case 2: return one(c | 0x0320f000 | ((1 + p.below(15)) << 16) | p.below(4096)); // MSR CPSR_<any>, #imm
      case 3: { // CPS: a NOP at PL0 (mode bits only with M; A:I:F not all zero, else UNPREDICTABLE)
        const m = p.below(2);
        return one(0xf1000000 | (p.pick([2, 3]) << 18) | (m << 17) | ((1 + p.below(7)) << 6) | (m !== 0 ? p.pick([0x10, 0x13, 0x1f]) : 0));
      }
      default: { // LDRT/STRT/LDRBT/STRBT (post-indexed, immediate)
        const rn = lowReg(p), rt = reg(p, [rn]);
        return one(c | 0x04200000 | (p.below(2) << 23) | (p.below(2) << 22) | (p.below(2) << 20) | (rn << 16) | (rt << 12) | p.below(0x100),
          { bases: [{ reg: rn, align: 4, room: 0x100 }] });
      }
    }
  },
  cp15: (p) => {
    // ID reads that Unicorn models as the TRM gives them: MIDR, ID_PFR0/1, ID_ISAR0-4, ID_MMFR0-3. (Unicorn's CTR
    // 0x80038003 and CLIDR 0x09000003, ID_MMFR3 0x2111 differ from the r4p1 TRM's 0x83338003, 0x09200003, 0x00102111, which we follow.)
    const regs = [[0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1], [0, 0, 2, 0], [0, 0, 2, 1], [0, 0, 2, 2], [0, 0, 2, 3], [0, 0, 2, 4],
      [0, 0, 1, 4], [0, 0, 1, 5], [0, 0, 1, 6]];
    const [crn, op1, crm, op2] = p.pick(regs);
    return one((cond(p) << 28) | 0x0e100f10 | (op1 << 21) | (crn << 16) | (reg(p) << 12) | (op2 << 5) | crm);
  },
};

export const A32_GROUPS = Object.keys(templates);
/** Groups whose cases start in User mode instead of SVC. */
export const USER_GROUPS = new Set(['user-mode']);

function dataPointer(p: Prng, align: number, room: number): number {
  const lo = room + 8, hi = PAGE - room - 16;
  let a = DATA_BASE + lo + p.below(Math.max(1, hi - lo));
  if (align > 1) a &= ~(align - 1);
  return a >>> 0;
}

/** `count` A32 cases over every group (round robin), from `seed`. */
export function generateA32(seed: number, count: number, npages: number): { cases: DiffCase[] } {
  const p = new Prng(seed ^ 0xa9a9);
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const group = A32_GROUPS[i % A32_GROUPS.length];
    const b = templates[group](p);
    const r = new Uint32Array(16);
    for (let k = 0; k < 15; k++) r[k] = p.edge32();
    for (const k of b.small) r[k] = p.chance(0.8) ? p.below(64) : p.below(0x100);
    for (const k of b.small4 ?? []) r[k] = p.below(16) * 4;
    for (const base of b.bases) {
      // Branch targets: Thumb (odd) or word-aligned ARM (an ARM target with bit 1 set is UNPREDICTABLE).
      if (base.align < 0) r[base.reg] = (CODE_AT + ((p.below(0x100) - 0x80) & ~3) + (p.chance(0.5) ? 1 : 0)) >>> 0;
      else r[base.reg] = dataPointer(p, base.align, base.room);
    }
    const apsr = ((p.next() & 0xf8000000) | ((p.next() & 0xf) << 16)) >>> 0;
    const hws: number[] = [];
    for (const w of b.words) hws.push(w & 0xffff, w >>> 16);
    // The fpscr slot (unused by A32 integer cases) carries the starting mode for the oracle.
    const mode = USER_GROUPS.has(group) ? 0x10 : 0x13;
    cases.push({ group, hws, nInsns: b.words.length, pageIdx: p.below(npages), fp: false, r, apsr, fpscr: mode, s: new Uint32Array(32) });
  }
  return { cases };
}

export function randomPages(seed: number, n: number): Uint8Array[] {
  const p = new Prng(seed ^ 0x5a5a);
  const pages: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const pg = new Uint8Array(PAGE);
    const w = new Uint32Array(pg.buffer);
    for (let k = 0; k < w.length; k++) w[k] = p.edge32();
    pages.push(pg);
  }
  return pages;
}
