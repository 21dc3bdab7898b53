// Specialised A32 executors for the encodings compilers emit most (data processing with
// an immediate or an unshifted register, word/byte loads and stores with an immediate
// offset): built once per decoded word with the fields folded in, so the hot path skips
// the generic field extraction of isa-arm.ts. Anything else returns undefined and takes
// the generic path. The Unicorn comparison (test/difftest-a9) runs whatever decodeA32 picks.
import type { CortexA9 } from './cpu';
import type { A9Op } from './isa-arm';

type Exec = (cpu: CortexA9, w: number) => void;
const mk = (name: string, exec: Exec): A9Op => ({ name, size: 4, arm: true, exec });

function expandImm(imm12: number): number {
  const rot = (imm12 >>> 8) * 2, imm8 = imm12 & 0xff;
  return rot === 0 ? imm8 : ((imm8 >>> rot) | (imm8 << (32 - rot))) | 0;
}

/** A specialised op for `w`, or undefined when the generic executor must run it. */
export function specializeA32(w: number): A9Op | undefined {
  const top = (w >>> 25) & 7;
  if (top === 1 || (top === 0 && (w & 0x00000ff0) === 0)) return dp(w, top === 1);
  if (top === 2) return lsImm(w);
  if (top === 5) {
    const off = ((w << 8) >> 6) + 8;
    if ((w & 0x01000000) !== 0) return mk('BL', (c) => { c.r[14] = c.curPc + 4; c.pc = (c.curPc + off) | 0; });
    return mk('B', (c) => { c.pc = (c.curPc + off) | 0; });
  }
  return undefined;
}

function dp(w: number, isImm: boolean): A9Op | undefined {
  const opc = (w >>> 21) & 15, s = (w >>> 20) & 1, rn = (w >>> 16) & 15, rd = (w >>> 12) & 15;
  if (rd === 15) return undefined;
  if ((opc & 0xc) === 0x8 && s === 0) return undefined; // misc/MSR/MOVW space
  if (isImm) {
    if ((w & 0x0fb00000) === 0x03000000 || (w & 0x0fb00000) === 0x03200000) return undefined; // MOVW/MOVT/MSR
    const imm = expandImm(w & 0xfff);
    // Flag-setting logical ops need the shifter carry; leave them (and ADC/SBC/RSC) generic.
    if (s === 0) {
      switch (opc) {
        case 0: return mk('AND imm', (c) => { c.r[rd] = c.r[rn] & imm; });
        case 1: return mk('EOR imm', (c) => { c.r[rd] = c.r[rn] ^ imm; });
        case 2: return mk('SUB imm', (c) => { c.r[rd] = (c.r[rn] - imm) | 0; });
        case 3: return mk('RSB imm', (c) => { c.r[rd] = (imm - c.r[rn]) | 0; });
        case 4: return mk('ADD imm', (c) => { c.r[rd] = (c.r[rn] + imm) | 0; });
        case 12: return mk('ORR imm', (c) => { c.r[rd] = c.r[rn] | imm; });
        case 13: return mk('MOV imm', (c) => { c.r[rd] = imm; });
        case 14: return mk('BIC imm', (c) => { c.r[rd] = c.r[rn] & ~imm; });
        case 15: return mk('MVN imm', (c) => { c.r[rd] = ~imm; });
        default: return undefined;
      }
    }
    switch (opc) {
      case 2: if (rd === 15) return undefined; return mk('SUBS imm', (c) => { c.r[rd] = subFlags(c, c.r[rn], imm); });
      case 4: return mk('ADDS imm', (c) => { c.r[rd] = addFlags(c, c.r[rn], imm); });
      case 10: return mk('CMP imm', (c) => { subFlags(c, c.r[rn], imm); });
      case 11: return mk('CMN imm', (c) => { addFlags(c, c.r[rn], imm); });
      default: return undefined;
    }
  }
  const rm = w & 15;
  if (s === 0) {
    switch (opc) {
      case 0: return mk('AND reg', (c) => { c.r[rd] = c.r[rn] & c.r[rm]; });
      case 1: return mk('EOR reg', (c) => { c.r[rd] = c.r[rn] ^ c.r[rm]; });
      case 2: return mk('SUB reg', (c) => { c.r[rd] = (c.r[rn] - c.r[rm]) | 0; });
      case 4: return mk('ADD reg', (c) => { c.r[rd] = (c.r[rn] + c.r[rm]) | 0; });
      case 12: return mk('ORR reg', (c) => { c.r[rd] = c.r[rn] | c.r[rm]; });
      case 13: return mk('MOV reg', (c) => { c.r[rd] = c.r[rm]; });
      case 14: return mk('BIC reg', (c) => { c.r[rd] = c.r[rn] & ~c.r[rm]; });
      default: return undefined;
    }
  }
  switch (opc) {
    case 2: return mk('SUBS reg', (c) => { c.r[rd] = subFlags(c, c.r[rn], c.r[rm]); });
    case 4: return mk('ADDS reg', (c) => { c.r[rd] = addFlags(c, c.r[rn], c.r[rm]); });
    case 10: return mk('CMP reg', (c) => { subFlags(c, c.r[rn], c.r[rm]); });
    case 11: return mk('CMN reg', (c) => { addFlags(c, c.r[rn], c.r[rm]); });
    default: return undefined;
  }
}

function subFlags(c: CortexA9, a: number, b: number): number {
  const res = (a - b) | 0;
  c.n = res >>> 31; c.z = res === 0 ? 1 : 0;
  c.c = (a >>> 0) >= (b >>> 0) ? 1 : 0;
  c.v = (((a ^ b) & (a ^ res)) >>> 31);
  return res;
}
function addFlags(c: CortexA9, a: number, b: number): number {
  const res = (a + b) | 0;
  c.n = res >>> 31; c.z = res === 0 ? 1 : 0;
  c.c = (a >>> 0) + (b >>> 0) > 0xffffffff ? 1 : 0;
  c.v = ((~(a ^ b) & (a ^ res)) >>> 31);
  return res;
}

/** LDR/STR/LDRB/STRB with an immediate offset, no writeback, Rt != PC. */
function lsImm(w: number): A9Op | undefined {
  const p = (w >>> 24) & 1, u = (w >>> 23) & 1, b = (w >>> 22) & 1, wb = (w >>> 21) & 1, l = (w >>> 20) & 1;
  const rn = (w >>> 16) & 15, rt = (w >>> 12) & 15;
  if (p === 0 || wb !== 0 || rt === 15) return undefined;
  const off = u !== 0 ? w & 0xfff : -(w & 0xfff);
  if (l !== 0) {
    return b !== 0 ? mk('LDRB imm', (c) => { c.r[rt] = c.read8((c.r[rn] + off) | 0); })
      : mk('LDR imm', (c) => { c.r[rt] = c.read32((c.r[rn] + off) | 0); });
  }
  return b !== 0 ? mk('STRB imm', (c) => { c.write8((c.r[rn] + off) | 0, c.r[rt]); })
    : mk('STR imm', (c) => { c.write32((c.r[rn] + off) | 0, c.r[rt]); });
}
