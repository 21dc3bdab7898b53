// Advanced SIMD element and structure loads/stores for the Cortex-A9 (ARM ARM DDI0406C A7.7,
// Table A7-21; pages A8.8.320-A8.8.331 and A8.8.404-A8.8.411): VLD1-4/VST1-4 of multiple
// structures, of a single structure to one lane, and VLD1-4 to all lanes. Elements are read with
// MemU (unaligned allowed unless SCTLR.A); the :64/:128/:256 qualifiers fault if misaligned.
import type { SimdHost } from './vfp-host';
import type { SimdRegs } from './vfp-regs';
import { vfpEnabled } from './vfp';

const hex = (i: number) => '0x' + (i >>> 0).toString(16).padStart(8, '0');

function readElem(h: SimdHost, r: SimdRegs, addr: number, ebytes: number, d: number, e: number): void {
  switch (ebytes) {
    case 1: r.u8[(d << 3) + e] = h.read8(addr); break;
    case 2: r.u16[(d << 2) + e] = h.read16(addr, 0); break;
    case 4: r.u32[(d << 1) + e] = h.read32(addr, 0); break;
    default: { const lo = h.read32(addr, 0), hi = h.read32((addr + 4) >>> 0, 0); r.u32[d << 1] = lo; r.u32[(d << 1) + 1] = hi; }
  }
}
function writeElem(h: SimdHost, r: SimdRegs, addr: number, ebytes: number, d: number, e: number): void {
  switch (ebytes) {
    case 1: h.write8(addr, r.u8[(d << 3) + e]); break;
    case 2: h.write16(addr, r.u16[(d << 2) + e], 0); break;
    case 4: h.write32(addr, r.u32[(d << 1) + e], 0); break;
    default: h.write32(addr, r.u32[d << 1], 0); h.write32((addr + 4) >>> 0, r.u32[(d << 1) + 1], 0);
  }
}
/** Replicate the element just loaded into lane 0 of D d across the register. */
function replicate(r: SimdRegs, d: number, ebytes: number, into: number): void {
  for (let k = 0; k < 8; k += ebytes) for (let b = 0; b < ebytes; b++) r.u8[(into << 3) + k + b] = r.u8[(d << 3) + b];
}

function bad(h: SimdHost, i: number, why: string): void {
  h.undefinedInstruction(`${(i & 0x200000) !== 0 ? 'VLD' : 'VST'} (A32 ${hex(i)}): ${why}`);
}

export function neonLoadStore(h: SimdHost, i: number): void {
  const aBit = (i >>> 23) & 1, load = (i & 0x200000) !== 0;
  const n = (i >>> 16) & 0xf, m = i & 0xf;
  const d = (((i >>> 22) & 1) << 4) | ((i >>> 12) & 0xf);
  const type = (i >>> 8) & 0xf, size = (i >>> 6) & 3, align = (i >>> 4) & 3;
  if (n === 15) { bad(h, i, 'Rn = PC is UNPREDICTABLE'); return; }
  let regs = 0, inc = 1, nstruct = 1, ebytes = 1 << size, alignment = 1;
  let mode: 'multi' | 'lane' | 'all';
  let index = 0, allRegs = 1;
  if (aBit === 0) {
    mode = 'multi';
    switch (type) {
      case 0b0111: regs = 1; if (align & 2) { bad(h, i, 'align'); return; } break;
      case 0b1010: regs = 2; if (align === 3) { bad(h, i, 'align'); return; } break;
      case 0b0110: regs = 3; if (align & 2) { bad(h, i, 'align'); return; } break;
      case 0b0010: regs = 4; break;
      case 0b1000: case 0b1001: nstruct = 2; regs = 1; inc = type === 0b1001 ? 2 : 1; if (size === 3 || align === 3) { bad(h, i, 'size/align'); return; } break;
      case 0b0011: nstruct = 2; regs = 2; inc = 2; if (size === 3) { bad(h, i, 'size'); return; } break;
      case 0b0100: case 0b0101: nstruct = 3; regs = 1; inc = type === 0b0101 ? 2 : 1; if (size === 3 || (align & 2)) { bad(h, i, 'size/align'); return; } break;
      case 0b0000: case 0b0001: nstruct = 4; regs = 1; inc = type === 0b0001 ? 2 : 1; if (size === 3) { bad(h, i, 'size'); return; } break;
      default: bad(h, i, 'unallocated type'); return;
    }
    alignment = align === 0 ? 1 : 4 << align;
    const last = nstruct === 1 ? d + regs - 1 : d + (regs - 1) + (nstruct - 1) * inc;
    if (last > 31) { bad(h, i, 'register list past D31 is UNPREDICTABLE'); return; }
  } else if (((i >>> 10) & 3) !== 3) {
    mode = 'lane';
    const sz = (i >>> 10) & 3, ia = (i >>> 4) & 0xf;
    nstruct = ((i >>> 8) & 3) + 1;
    ebytes = 1 << sz;
    index = ia >>> (sz + 1);
    const b0 = ia & 1, b1 = (ia >>> 1) & 1, b2 = (ia >>> 2) & 1;
    switch (nstruct) {
      case 1:
        if (sz === 0 && b0) { bad(h, i, 'index_align'); return; }
        if (sz === 1 && b1) { bad(h, i, 'index_align'); return; }
        if (sz === 2 && (b2 || (ia & 3) === 1 || (ia & 3) === 2)) { bad(h, i, 'index_align'); return; }
        alignment = sz === 0 ? 1 : sz === 1 ? (b0 ? 2 : 1) : ((ia & 3) === 3 ? 4 : 1);
        break;
      case 2:
        if (sz === 2 && b1) { bad(h, i, 'index_align'); return; }
        inc = sz === 0 ? 1 : sz === 1 ? (b1 ? 2 : 1) : (b2 ? 2 : 1);
        alignment = b0 ? 2 * ebytes : 1;
        break;
      case 3:
        if ((sz === 0 && b0) || (sz === 1 && b0) || (sz === 2 && (ia & 3) !== 0)) { bad(h, i, 'index_align'); return; }
        inc = sz === 0 ? 1 : sz === 1 ? (b1 ? 2 : 1) : (b2 ? 2 : 1);
        break;
      default:
        if (sz === 2 && (ia & 3) === 3) { bad(h, i, 'index_align'); return; }
        inc = sz === 0 ? 1 : sz === 1 ? (b1 ? 2 : 1) : (b2 ? 2 : 1);
        alignment = sz === 0 ? (b0 ? 4 : 1) : sz === 1 ? (b0 ? 8 : 1) : ((ia & 3) === 0 ? 1 : 4 << (ia & 3));
    }
    if (d + (nstruct - 1) * inc > 31) { bad(h, i, 'register list past D31 is UNPREDICTABLE'); return; }
  } else {
    mode = 'all';
    if (!load) { bad(h, i, 'VST to all lanes is UNDEFINED'); return; }
    nstruct = ((i >>> 8) & 3) + 1;
    const t = (i >>> 5) & 1, a = (i >>> 4) & 1;
    switch (nstruct) {
      case 1: if (size === 3 || (size === 0 && a)) { bad(h, i, 'size/a'); return; } allRegs = t ? 2 : 1; alignment = a ? ebytes : 1; break;
      case 2: if (size === 3) { bad(h, i, 'size'); return; } inc = t ? 2 : 1; alignment = a ? 2 * ebytes : 1; break;
      case 3: if (size === 3 || a) { bad(h, i, 'size/a'); return; } inc = t ? 2 : 1; break;
      default:
        if (size === 3 && !a) { bad(h, i, 'size/a'); return; }
        inc = t ? 2 : 1;
        if (size === 3) { ebytes = 4; alignment = 16; } else alignment = a ? (size === 2 ? 8 : 4 * ebytes) : 1;
    }
    const last = nstruct === 1 ? d + allRegs - 1 : d + (nstruct - 1) * inc;
    if (last > 31) { bad(h, i, 'register list past D31 is UNPREDICTABLE'); return; }
  }
  if (!vfpEnabled(h, true, load ? 'VLD' : 'VST', i)) return;
  const r = h.simd;
  const base = h.readReg(n) >>> 0;
  h.alignmentCheck(base, alignment, !load);
  let addr = base;
  if (mode === 'multi') {
    const elements = 8 / ebytes;
    if (nstruct === 1) {
      for (let rr = 0; rr < regs; rr++) for (let e = 0; e < elements; e++) {
        if (load) readElem(h, r, addr, ebytes, d + rr, e); else writeElem(h, r, addr, ebytes, d + rr, e);
        addr = (addr + ebytes) >>> 0;
      }
    } else {
      for (let rr = 0; rr < regs; rr++) for (let e = 0; e < elements; e++) for (let s = 0; s < nstruct; s++) {
        const reg = d + rr + s * inc;
        if (load) readElem(h, r, addr, ebytes, reg, e); else writeElem(h, r, addr, ebytes, reg, e);
        addr = (addr + ebytes) >>> 0;
      }
    }
  } else if (mode === 'lane') {
    for (let s = 0; s < nstruct; s++) {
      const reg = d + s * inc;
      if (load) readElem(h, r, addr, ebytes, reg, index); else writeElem(h, r, addr, ebytes, reg, index);
      addr = (addr + ebytes) >>> 0;
    }
  } else {
    for (let s = 0; s < nstruct; s++) {
      const reg = d + s * inc;
      readElem(h, r, addr, ebytes, reg, 0);
      replicate(r, reg, ebytes, reg);
      if (nstruct === 1 && allRegs === 2) replicate(r, reg, ebytes, reg + 1);
      addr = (addr + ebytes) >>> 0;
    }
  }
  if (m !== 15) {
    const total = (addr - base) >>> 0;
    h.writeReg(n, m === 13 ? (base + total) >>> 0 : (base + (h.readReg(m) >>> 0)) >>> 0);
  }
}
