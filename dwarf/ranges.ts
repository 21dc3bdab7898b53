// Address ranges and location lists: .debug_ranges / .debug_rnglists (DWARF 5 section 2.17.3),
// .debug_loc / .debug_loclists (section 2.6.2) and .debug_aranges (section 6.1.2).
// Every entry is resolved to absolute [lo, hi) addresses using the unit's base address.
import { ByteReader, DwarfError } from './reader';
import { DW_AT, DW_FORM, type Die, type Unit, type DwarfSections } from './info';

export interface AddrRange { lo: number; hi: number }
/** One location-list entry; `lo === -1` marks a DW_LLE_default_location entry. */
export interface LocListEntry { lo: number; hi: number; expr: Uint8Array }

// Bounds the entries of one list: a malformed list ends in a clear error, not a long walk.
const MAX_LIST_ENTRIES = 1 << 20;

const DW_RLE = { end_of_list: 0, base_addressx: 1, startx_endx: 2, startx_length: 3, offset_pair: 4, base_address: 5, start_end: 6, start_length: 7 } as const;
const DW_LLE = { end_of_list: 0, base_addressx: 1, startx_endx: 2, startx_length: 3, offset_pair: 4, default_location: 5, base_address: 6, start_end: 7, start_length: 8, GNU_view_pair: 9 } as const;

function maxAddr(size: number): number { return size >= 8 ? Number.MAX_SAFE_INTEGER : 2 ** (size * 8) - 1; }

/** Reads a range list at a section offset (v2-4 .debug_ranges, v5 .debug_rnglists). */
export function readRangeList(u: Unit, offset: number, base = u.baseAddress): AddrRange[] {
  const out: AddrRange[] = [];
  const s = u.info.sections;
  if (u.version < 5) {
    if (!s.ranges) throw new DwarfError(`range list 0x${offset.toString(16)} used but .debug_ranges is missing`, u.section, u.offset);
    const r = new ByteReader(s.ranges, '.debug_ranges', offset);
    const max = u.addrSize >= 8 ? -1 : maxAddr(u.addrSize);
    for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
      const a = u.addrSize >= 8 ? Number(r.u64()) : r.addr(u.addrSize);
      const b = u.addrSize >= 8 ? Number(r.u64()) : r.addr(u.addrSize);
      if (a === 0 && b === 0) return out;
      if (a === max || (u.addrSize >= 8 && a >= 2 ** 64 - 1)) { base = b; continue; }
      out.push({ lo: base + a, hi: base + b });
    }
    throw new DwarfError('range list has too many entries', '.debug_ranges', offset);
  }
  if (!s.rnglists) throw new DwarfError(`range list 0x${offset.toString(16)} used but .debug_rnglists is missing`, u.section, u.offset);
  const r = new ByteReader(s.rnglists, '.debug_rnglists', offset);
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const at = r.pos;
    const kind = r.u8();
    let lo: number, hi: number;
    switch (kind) {
      case DW_RLE.end_of_list: return out;
      case DW_RLE.base_addressx: base = u.info.readAddrx(u, r.uleb()); continue;
      case DW_RLE.base_address: base = r.addr(u.addrSize); continue;
      case DW_RLE.startx_endx: lo = u.info.readAddrx(u, r.uleb()); hi = u.info.readAddrx(u, r.uleb()); break;
      case DW_RLE.startx_length: lo = u.info.readAddrx(u, r.uleb()); hi = lo + r.uleb(); break;
      case DW_RLE.offset_pair: lo = base + r.uleb(); hi = base + r.uleb(); break;
      case DW_RLE.start_end: lo = r.addr(u.addrSize); hi = r.addr(u.addrSize); break;
      case DW_RLE.start_length: lo = r.addr(u.addrSize); hi = lo + r.uleb(); break;
      default: throw new DwarfError(`unknown range list entry kind ${kind}`, '.debug_rnglists', at);
    }
    out.push({ lo, hi });
  }
  throw new DwarfError('range list has too many entries', '.debug_rnglists', offset);
}

/** Reads a location list at a section offset (v2-4 .debug_loc, v5 .debug_loclists). */
export function readLocList(u: Unit, offset: number, base = u.baseAddress): LocListEntry[] {
  const out: LocListEntry[] = [];
  const s = u.info.sections;
  if (u.version < 5) {
    if (!s.loc) throw new DwarfError(`location list 0x${offset.toString(16)} used but .debug_loc is missing`, u.section, u.offset);
    const r = new ByteReader(s.loc, '.debug_loc', offset);
    const max = maxAddr(u.addrSize);
    for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
      const a = u.addrSize >= 8 ? Number(r.u64()) : r.addr(u.addrSize);
      const b = u.addrSize >= 8 ? Number(r.u64()) : r.addr(u.addrSize);
      if (a === 0 && b === 0) return out;
      if (a === max || (u.addrSize >= 8 && a >= 2 ** 64 - 1)) { base = b; continue; }
      const expr = r.bytes(r.u16());
      out.push({ lo: base + a, hi: base + b, expr });
    }
    throw new DwarfError('location list has too many entries', '.debug_loc', offset);
  }
  if (!s.loclists) throw new DwarfError(`location list 0x${offset.toString(16)} used but .debug_loclists is missing`, u.section, u.offset);
  const r = new ByteReader(s.loclists, '.debug_loclists', offset);
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const at = r.pos;
    const kind = r.u8();
    let lo: number, hi: number;
    switch (kind) {
      case DW_LLE.end_of_list: return out;
      case DW_LLE.base_addressx: base = u.info.readAddrx(u, r.uleb()); continue;
      case DW_LLE.base_address: base = r.addr(u.addrSize); continue;
      case DW_LLE.GNU_view_pair: r.uleb(); r.uleb(); continue;
      case DW_LLE.startx_endx: lo = u.info.readAddrx(u, r.uleb()); hi = u.info.readAddrx(u, r.uleb()); break;
      case DW_LLE.startx_length: lo = u.info.readAddrx(u, r.uleb()); hi = lo + r.uleb(); break;
      case DW_LLE.offset_pair: lo = base + r.uleb(); hi = base + r.uleb(); break;
      case DW_LLE.default_location: lo = -1; hi = -1; break;
      case DW_LLE.start_end: lo = r.addr(u.addrSize); hi = r.addr(u.addrSize); break;
      case DW_LLE.start_length: lo = r.addr(u.addrSize); hi = lo + r.uleb(); break;
      default: throw new DwarfError(`unknown location list entry kind ${kind}`, '.debug_loclists', at);
    }
    out.push({ lo, hi, expr: r.bytes(r.uleb()) });
  }
  throw new DwarfError('location list has too many entries', '.debug_loclists', offset);
}

/** True when the attribute's form makes it a location/range list rather than an expression or constant. */
export function isListForm(u: Unit, form: number): boolean {
  if (form === DW_FORM.sec_offset || form === DW_FORM.loclistx || form === DW_FORM.rnglistx) return true;
  // DWARF 2/3 encode list pointers as data4/data8 (DWARF 3 section 7.5.4, class loclistptr).
  return u.version <= 3 && (form === DW_FORM.data4 || form === DW_FORM.data8);
}

/** The location list of a DIE attribute (DW_AT_location, DW_AT_frame_base...), or undefined if not a list. */
export function dieLocList(d: Die, at: number): LocListEntry[] | undefined {
  const a = d.attr(at);
  if (!a || !isListForm(d.unit, a.form)) return undefined;
  const off = a.form === DW_FORM.loclistx ? d.unit.loclistOffset(a.value as number) : Number(a.value);
  return readLocList(d.unit, off);
}

/**
 * The address ranges of a DIE: DW_AT_ranges, or DW_AT_low_pc with DW_AT_high_pc (an address, or
 * an offset from low_pc when high_pc has a constant form, DWARF 4 section 2.17.2).
 */
export function dieRanges(d: Die): AddrRange[] {
  const rng = d.attr(DW_AT.ranges);
  if (rng) {
    const u = d.unit;
    let off: number;
    if (rng.form === DW_FORM.rnglistx) off = u.rnglistOffset(rng.value as number);
    else off = Number(rng.value);
    return readRangeList(u, off);
  }
  const lo = d.attr(DW_AT.low_pc);
  if (!lo || typeof lo.value !== 'number') return [];
  const hiA = d.attr(DW_AT.high_pc);
  if (!hiA) return [{ lo: lo.value, hi: lo.value + 1 }];
  const hv = Number(hiA.value);
  const hi = hiA.form === DW_FORM.addr || (hiA.form >= DW_FORM.addrx1 && hiA.form <= DW_FORM.addrx4) || hiA.form === DW_FORM.addrx ? hv : lo.value + hv;
  return hi > lo.value ? [{ lo: lo.value, hi }] : [];
}

export function rangesContain(rs: readonly AddrRange[], pc: number): boolean {
  for (const r of rs) if (pc >= r.lo && pc < r.hi) return true;
  return false;
}

/** One .debug_aranges set: the ranges covered by the unit at `infoOffset`. */
export interface ArangeSet { infoOffset: number; ranges: AddrRange[] }

export function readAranges(s: DwarfSections): ArangeSet[] {
  const data = s.aranges;
  if (!data) return [];
  const out: ArangeSet[] = [];
  let pos = 0;
  while (pos < data.length) {
    const r = new ByteReader(data, '.debug_aranges', pos);
    let len = r.u32(), offsetSize: 4 | 8 = 4;
    if (len === 0xffffffff) { len = r.u64n(); offsetSize = 8; }
    const hdr = r.pos;
    const end = hdr + len;
    if (end > data.length) throw new DwarfError(`set length 0x${len.toString(16)} runs past the section end`, '.debug_aranges', pos);
    const sr = new ByteReader(data, '.debug_aranges', hdr, end);
    const version = sr.u16();
    if (version !== 2) throw new DwarfError(`unsupported .debug_aranges version ${version}`, '.debug_aranges', hdr);
    const infoOffset = sr.offsetSized(offsetSize);
    const addrSize = sr.u8(), segSize = sr.u8();
    if (segSize !== 0) throw new DwarfError(`segment selectors (size ${segSize}) are not supported`, '.debug_aranges', hdr + 2 + offsetSize + 1);
    // Tuples start at a multiple of twice the address size from the set start (section 6.1.2).
    const tupleAlign = 2 * addrSize;
    const rel = sr.pos - pos;
    sr.skip((tupleAlign - (rel % tupleAlign)) % tupleAlign);
    const ranges: AddrRange[] = [];
    while (sr.remaining() >= 2 * addrSize) {
      const a = sr.addr(addrSize), l = sr.addr(addrSize);
      if (a === 0 && l === 0) break;
      if (l > 0) ranges.push({ lo: a, hi: a + l });
    }
    out.push({ infoOffset, ranges });
    pos = end;
  }
  return out;
}
