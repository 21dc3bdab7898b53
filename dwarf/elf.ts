// ELF32/ELF64 little-endian reader: headers, sections (incl. SHF_COMPRESSED and .zdebug_*),
// segments, symbols with ARM mapping symbols, and the .ARM.attributes essentials.
// Field layouts follow the System V gABI (ELF-64 Object File Format 1.5) and the ARM ELF
// ABI (IHI 0044) / build-attributes addenda (IHI 0045). Everything is parsed lazily and cached.
import { ByteReader, DwarfError, decodeUtf8 } from './reader';

/** Malformed or unsupported ELF, located by file and header field. */
export class ElfError extends Error {
  constructor(message: string, readonly file: string, readonly field: string) {
    super(`${file}: ${field}: ${message}`);
    this.name = 'ElfError';
  }
}

export interface ElfSection {
  name: string;
  index: number;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfSymbol {
  name: string;
  /** Address, with the Thumb bit of ARM function symbols cleared (see `thumb`). */
  value: number;
  size: number;
  /** STT_* (low nibble of st_info). */
  type: number;
  /** STB_* (high nibble of st_info). */
  bind: number;
  /** STV_* (low two bits of st_other). */
  visibility: number;
  /** st_shndx, or the SHT_SYMTAB_SHNDX entry when st_shndx is SHN_XINDEX (then it may exceed 0xff00). */
  shndx: number;
  /** Name of the section at shndx, when shndx is an ordinary section index. */
  section?: string;
  /** ARM: a T32 function (bit 0 of st_value set, IHI 0044 §5.5.3) or a `$t` mapping symbol. */
  thumb: boolean;
  /** Which table it came from. */
  table: '.symtab' | '.dynsym';
}

export interface ArmAttributes {
  /** Tag_CPU_arch as readelf prints it, e.g. "v7E-M". */
  arch?: string;
  /** Tag_CPU_arch_profile: 'A', 'R', 'M', 'S' (classic) when set. */
  profile?: 'A' | 'R' | 'M' | 'S';
  /** Tag_CPU_name, e.g. "cortex-m4" (gcc writes it as given to -mcpu). */
  cpuName?: string;
  /** Tag_FP_arch as readelf prints it, e.g. "VFPv4-D16". */
  fpArch?: string;
  /** From Tag_ABI_VFP_args and Tag_FP_arch: how floats are passed. */
  fpAbi?: 'soft' | 'softfp' | 'hard';
  /** Tag_THUMB_ISA_use: 1 = Thumb-1, 2 = Thumb-2, 3 = as Tag_CPU_arch says. */
  thumbIsa?: number;
  /** Every public ("aeabi") file-scope attribute by tag number. */
  tags: Map<number, number | string>;
}

export type MappingKind = 'a' | 't' | 'd';

export const SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8, SHT_DYNSYM = 11, SHT_SYMTAB_SHNDX = 18;
export const SHT_ARM_ATTRIBUTES = 0x70000003;
export const SHF_COMPRESSED = 0x800;
export const SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2, SHN_XINDEX = 0xffff;
export const STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4, STT_COMMON = 5, STT_TLS = 6;
export const STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2;
export const EM_ARM = 40, EM_AARCH64 = 183;
const ELFCOMPRESS_ZLIB = 1;

const STT_NAMES = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS'];
const STB_NAMES = ['LOCAL', 'GLOBAL', 'WEAK'];
const STV_NAMES = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'];
/** The readelf spelling of a symbol type, e.g. "FUNC"; unknown values as "<n>". */
export function symbolTypeName(t: number): string { return STT_NAMES[t] ?? (t === 10 ? 'IFUNC' : `<${t}>`); }
export function symbolBindName(b: number): string { return STB_NAMES[b] ?? (b === 10 ? 'UNIQUE' : `<${b}>`); }
export function symbolVisibilityName(v: number): string { return STV_NAMES[v & 3]; }

// Tag_CPU_arch values (IHI 0045 §3.3.5.2) in readelf's spelling.
const CPU_ARCH = ['Pre-v4', 'v4', 'v4T', 'v5T', 'v5TE', 'v5TEJ', 'v6', 'v6KZ', 'v6T2', 'v6K', 'v7', 'v6-M', 'v6S-M',
  'v7E-M', 'v8', 'v8-R', 'v8-M.baseline', 'v8-M.mainline', 'v8.1-A', 'v8.2-A', 'v8.3-A', 'v8.1-M.mainline', 'v9'];
// Tag_FP_arch values (IHI 0045 §3.3.5.3).
const FP_ARCH = ['No', 'VFPv1', 'VFPv2', 'VFPv3', 'VFPv3-D16', 'VFPv4', 'VFPv4-D16', 'FP for ARMv8', 'FPv5/FP-D16 for ARMv8'];

// A symbol table larger than the file can describe is corrupt; this caps per-section work.
const MAX_SECTIONS = 1 << 20;

export interface ElfParseOptions {
  /** zlib inflate (RFC 1950) for compressed sections; without it they raise ElfError when read. */
  inflate?: (data: Uint8Array) => Uint8Array;
}

export class ElfFile {
  readonly is64: boolean;
  readonly machine: number;
  readonly type: number;
  readonly entry: number;
  readonly flags: number;
  readonly sections: ElfSection[];
  readonly segments: ElfSegment[];
  private readonly byName = new Map<string, ElfSection>();
  private readonly dataCache = new Map<number, Uint8Array>();
  private syms?: ElfSymbol[];
  private mapping?: { addr: number; kind: MappingKind }[];
  private sortedSyms?: ElfSymbol[];
  private attrs?: ArmAttributes;

  private constructor(readonly bytes: Uint8Array, readonly fileName: string, private readonly opts: ElfParseOptions) {
    const f = (field: string, msg: string): never => { throw new ElfError(msg, fileName, field); };
    if (bytes.length < 16) f('e_ident', `file is ${bytes.length} bytes, too short for an ELF header`);
    if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) f('e_ident', 'not an ELF file (bad magic)');
    const cls = bytes[4];
    if (cls !== 1 && cls !== 2) f('e_ident[EI_CLASS]', `unknown class ${cls}`);
    if (bytes[5] !== 1) f('e_ident[EI_DATA]', bytes[5] === 2 ? 'big-endian ELF is not supported' : `unknown data encoding ${bytes[5]}`);
    this.is64 = cls === 2;
    const r = new ByteReader(bytes, fileName, 0);
    const hdrSize = this.is64 ? 64 : 52;
    if (bytes.length < hdrSize) f('e_ehsize', `file is ${bytes.length} bytes, too short for the ${hdrSize}-byte ELF header`);
    r.pos = 16;
    this.type = r.u16();
    this.machine = r.u16();
    r.u32(); // e_version
    const word = () => this.is64 ? this.u64(r, 'header') : r.u32();
    this.entry = word();
    const phoff = word();
    const shoff = word();
    this.flags = r.u32();
    r.u16(); // e_ehsize
    const phentsize = r.u16();
    let phnum = r.u16();
    const shentsize = r.u16();
    let shnum = r.u16();
    let shstrndx = r.u16();

    const shdrSize = this.is64 ? 64 : 40;
    const phdrSize = this.is64 ? 56 : 32;
    const sections: ElfSection[] = [];
    const nameOffs: number[] = [];
    if (shoff !== 0) {
      if (shentsize < shdrSize) f('e_shentsize', `${shentsize} is smaller than a section header (${shdrSize})`);
      const readShdr = (i: number): ElfSection => {
        const at = shoff + i * shentsize;
        if (at + shdrSize > bytes.length) f(`section header ${i}`, `at file offset 0x${at.toString(16)} runs past the end of the file (0x${bytes.length.toString(16)})`);
        r.pos = at;
        const nameOff = r.u32();
        const type = r.u32();
        const flags = this.is64 ? this.u64(r, `section header ${i} sh_flags`) : r.u32();
        const addr = this.is64 ? this.u64(r, `section header ${i} sh_addr`) : r.u32();
        const offset = this.is64 ? this.u64(r, `section header ${i} sh_offset`) : r.u32();
        const size = this.is64 ? this.u64(r, `section header ${i} sh_size`) : r.u32();
        const link = r.u32();
        const info = r.u32();
        const addralign = this.is64 ? this.u64(r, `section header ${i} sh_addralign`) : r.u32();
        const entsize = this.is64 ? this.u64(r, `section header ${i} sh_entsize`) : r.u32();
        nameOffs[i] = nameOff;
        return { name: '', index: i, type, flags, addr, offset, size, link, info, addralign, entsize };
      };
      // gABI "Extended section numbering": counts too large for the header live in section 0.
      const s0 = readShdr(0);
      if (shnum === 0) shnum = s0.size;
      if (shstrndx === SHN_XINDEX) shstrndx = s0.link;
      if (phnum === 0xffff) phnum = s0.info;
      if (shnum > MAX_SECTIONS || shoff + shnum * shentsize > bytes.length) {
        f('e_shnum', `${shnum} section headers at 0x${shoff.toString(16)} do not fit in the file (size 0x${bytes.length.toString(16)})`);
      }
      for (let i = 0; i < shnum; i++) sections.push(i === 0 ? s0 : readShdr(i));
      const strtab = sections[shstrndx];
      if (shnum > 0 && strtab === undefined) f('e_shstrndx', `section ${shstrndx} does not exist (${shnum} sections)`);
      if (strtab !== undefined && strtab.type !== SHT_NOBITS) {
        if (strtab.offset + strtab.size > bytes.length) f('e_shstrndx', `section name table [${shstrndx}] runs past the end of the file`);
        const names = bytes.subarray(strtab.offset, strtab.offset + strtab.size);
        for (const s of sections) {
          const off = nameOffs[s.index];
          if (off >= names.length) f(`section header ${s.index} sh_name`, `offset 0x${off.toString(16)} is outside the section name table`);
          let end = names.indexOf(0, off);
          if (end < 0) end = names.length;
          s.name = decodeUtf8(names, off, end);
        }
      }
    }
    this.sections = sections;
    for (const s of sections) if (s.name !== '' && !this.byName.has(s.name)) this.byName.set(s.name, s);

    const segments: ElfSegment[] = [];
    if (phoff !== 0 && phnum > 0) {
      if (phentsize < phdrSize) f('e_phentsize', `${phentsize} is smaller than a program header (${phdrSize})`);
      if (phoff + phnum * phentsize > bytes.length) f('e_phnum', `${phnum} program headers at 0x${phoff.toString(16)} do not fit in the file`);
      for (let i = 0; i < phnum; i++) {
        r.pos = phoff + i * phentsize;
        const fld = `program header ${i}`;
        if (this.is64) {
          const type = r.u32(), flags = r.u32();
          const offset = this.u64(r, fld), vaddr = this.u64(r, fld), paddr = this.u64(r, fld);
          const filesz = this.u64(r, fld), memsz = this.u64(r, fld), align = this.u64(r, fld);
          segments.push({ type, flags, offset, vaddr, paddr, filesz, memsz, align });
        } else {
          const type = r.u32(), offset = r.u32(), vaddr = r.u32(), paddr = r.u32();
          const filesz = r.u32(), memsz = r.u32(), flags = r.u32(), align = r.u32();
          segments.push({ type, flags, offset, vaddr, paddr, filesz, memsz, align });
        }
      }
    }
    this.segments = segments;
  }

  private u64(r: ByteReader, field: string): number {
    try { return r.u64n(); } catch (e) {
      if (e instanceof DwarfError) throw new ElfError('64-bit value does not fit in 53 bits', this.fileName, field);
      throw e;
    }
  }

  /** Parses the headers; section contents and symbols are read on first use. */
  static parse(bytes: Uint8Array, fileName: string, opts: ElfParseOptions = {}): ElfFile {
    try {
      return new ElfFile(bytes, fileName, opts);
    } catch (e) {
      if (e instanceof DwarfError) throw new ElfError(e.message, fileName, 'header');
      throw e;
    }
  }

  section(name: string): ElfSection | undefined { return this.byName.get(name); }

  /**
   * The section's contents, decompressed if it is SHF_COMPRESSED or a GNU `.zdebug_*` section
   * (asking for `.debug_x` finds `.zdebug_x`). SHT_NOBITS sections read as empty.
   */
  sectionData(name: string): Uint8Array | undefined {
    let s = this.byName.get(name);
    if (s === undefined && name.startsWith('.debug_')) s = this.byName.get(`.z${name.slice(1)}`);
    return s === undefined ? undefined : this.sectionBytes(s);
  }

  /** Contents of the section at a given index (decompressed, cached). */
  sectionBytes(s: ElfSection): Uint8Array {
    const cached = this.dataCache.get(s.index);
    if (cached !== undefined) return cached;
    let data: Uint8Array;
    if (s.type === SHT_NOBITS || s.type === SHT_NULL) {
      data = new Uint8Array(0);
    } else {
      if (s.offset + s.size > this.bytes.length) {
        throw new ElfError(`contents [0x${s.offset.toString(16)}, +0x${s.size.toString(16)}) run past the end of the file (0x${this.bytes.length.toString(16)})`, this.fileName, `section ${s.name || s.index}`);
      }
      data = this.bytes.subarray(s.offset, s.offset + s.size);
      if (s.flags & SHF_COMPRESSED) data = this.decompress(s, data);
      else if (s.name.startsWith('.zdebug_') && data.length >= 12 && decodeUtf8(data, 0, 4) === 'ZLIB') data = this.decompressGnu(s, data);
    }
    this.dataCache.set(s.index, data);
    return data;
  }

  private inflateChecked(s: ElfSection, packed: Uint8Array, expected: number): Uint8Array {
    const field = `section ${s.name}`;
    if (this.opts.inflate === undefined) throw new ElfError('is compressed and no inflate function was provided', this.fileName, field);
    let out: Uint8Array;
    try { out = this.opts.inflate(packed); } catch (e) {
      throw new ElfError(`zlib data is corrupt (${(e as Error).message})`, this.fileName, field);
    }
    if (out.length !== expected) throw new ElfError(`decompressed to ${out.length} bytes, header says ${expected}`, this.fileName, field);
    return out;
  }

  // gABI "Section Compression": an Elf32_Chdr/Elf64_Chdr precedes the zlib stream.
  private decompress(s: ElfSection, data: Uint8Array): Uint8Array {
    const r = new ByteReader(data, s.name);
    const hdr = this.is64 ? 24 : 12;
    if (data.length < hdr) throw new ElfError(`compressed section is ${data.length} bytes, shorter than its header`, this.fileName, `section ${s.name}`);
    const type = r.u32();
    if (this.is64) r.u32();
    const size = this.is64 ? this.u64(r, `section ${s.name} ch_size`) : r.u32();
    if (type !== ELFCOMPRESS_ZLIB) throw new ElfError(`unsupported compression type ${type}`, this.fileName, `section ${s.name} ch_type`);
    return this.inflateChecked(s, data.subarray(hdr), size);
  }

  // GNU .zdebug_*: "ZLIB" then the size as a 64-bit big-endian number.
  private decompressGnu(s: ElfSection, data: Uint8Array): Uint8Array {
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const hi = v.getUint32(4, false), lo = v.getUint32(8, false);
    if (hi >= 0x20_0000) throw new ElfError('uncompressed size is too large', this.fileName, `section ${s.name}`);
    return this.inflateChecked(s, data.subarray(12), hi * 0x1_0000_0000 + lo);
  }

  /** All symbols of .symtab then .dynsym, in table order (index 0, the null symbol, omitted). */
  symbols(): ElfSymbol[] {
    if (this.syms !== undefined) return this.syms;
    const out: ElfSymbol[] = [];
    for (const s of this.sections) {
      if (s.type === SHT_SYMTAB || s.type === SHT_DYNSYM) this.readSymtab(s, out);
    }
    this.syms = out;
    return out;
  }

  private readSymtab(s: ElfSection, out: ElfSymbol[]): void {
    const field = `section ${s.name || s.index}`;
    const entSize = this.is64 ? 24 : 16;
    if (s.entsize !== 0 && s.entsize < entSize) throw new ElfError(`sh_entsize ${s.entsize} is smaller than a symbol (${entSize})`, this.fileName, field);
    const stride = s.entsize || entSize;
    const strSec = this.sections[s.link];
    if (strSec === undefined) throw new ElfError(`sh_link ${s.link} names no section`, this.fileName, field);
    const data = this.sectionBytes(s);
    const strs = this.sectionBytes(strSec);
    const isArm = this.machine === EM_ARM;
    const table = s.type === SHT_DYNSYM ? '.dynsym' : '.symtab';
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const n = Math.floor(data.length / stride);
    // gABI "Extended Section Indexes": st_shndx = SHN_XINDEX defers to a parallel u32 table.
    const xs = this.sections.find((x) => x.type === SHT_SYMTAB_SHNDX && x.link === s.index);
    const xdata = xs === undefined ? undefined : this.sectionBytes(xs);
    const xview = xdata === undefined ? undefined : new DataView(xdata.buffer, xdata.byteOffset, xdata.byteLength);
    for (let i = 1; i < n; i++) {
      const p = i * stride;
      let nameOff: number, info: number, other: number, shndx: number, value: number, size: number;
      if (this.is64) {
        nameOff = view.getUint32(p, true); info = data[p + 4]; other = data[p + 5]; shndx = view.getUint16(p + 6, true);
        value = Number(view.getBigUint64(p + 8, true)); size = Number(view.getBigUint64(p + 16, true));
      } else {
        nameOff = view.getUint32(p, true); value = view.getUint32(p + 4, true); size = view.getUint32(p + 8, true);
        info = data[p + 12]; other = data[p + 13]; shndx = view.getUint16(p + 14, true);
      }
      if (nameOff >= strs.length && nameOff !== 0) {
        throw new ElfError(`symbol ${i} st_name 0x${nameOff.toString(16)} is outside ${strSec.name || 'its string table'}`, this.fileName, field);
      }
      let end = strs.indexOf(0, nameOff);
      if (end < 0) end = strs.length;
      const name = nameOff < strs.length ? decodeUtf8(strs, nameOff, end) : '';
      let extended = false;
      if (shndx === SHN_XINDEX) {
        extended = true;
        if (xview === undefined || i * 4 + 4 > xview.byteLength) {
          throw new ElfError(`symbol ${i} uses SHN_XINDEX but there is no SHT_SYMTAB_SHNDX entry for it`, this.fileName, field);
        }
        shndx = xview.getUint32(i * 4, true);
      }
      const type = info & 0xf;
      let thumb = false;
      if (isArm) {
        if (type === STT_FUNC && (value & 1)) { thumb = true; value -= 1; }
        else if (name.charCodeAt(0) === 0x24 /* $ */ && name[1] === 't' && (name.length === 2 || name[2] === '.')) thumb = true;
      }
      const sec = extended || (shndx !== SHN_UNDEF && shndx < SHN_LORESERVE) ? this.sections[shndx]?.name : undefined;
      const sym: ElfSymbol = { name, value, size, type, bind: info >> 4, visibility: other & 3, shndx, thumb, table };
      if (sec !== undefined) sym.section = sec;
      out.push(sym);
    }
  }

  /** ARM mapping symbols ($a A32, $t T32, $d data; IHI 0044 §5.5.5), sorted by address. */
  mappingSymbols(): { addr: number; kind: MappingKind }[] {
    if (this.mapping !== undefined) return this.mapping;
    const out: { addr: number; kind: MappingKind }[] = [];
    if (this.machine === EM_ARM) {
      for (const s of this.symbols()) {
        const k = mappingKindOf(s.name);
        if (k !== undefined && s.shndx !== SHN_UNDEF) out.push({ addr: s.value, kind: k });
      }
      out.sort((a, b) => a.addr - b.addr);
    }
    this.mapping = out;
    return out;
  }

  /** The mapping kind in force at addr (the last mapping symbol at or below it). */
  mappingAt(addr: number): MappingKind | undefined {
    const m = this.mappingSymbols();
    let lo = 0, hi = m.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (m[mid].addr <= addr) lo = mid + 1; else hi = mid; }
    return lo === 0 ? undefined : m[lo - 1].kind;
  }

  /**
   * The function or object symbol that contains addr: one whose [value, value+size) covers it,
   * else the nearest symbol at or below it with size 0 in a section that covers addr.
   * Globals win over locals at one address.
   */
  symbolAt(addr: number): ElfSymbol | undefined {
    const sorted = this.sortedSyms ??= this.buildSorted();
    let lo = 0, hi = sorted.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid].value <= addr) lo = mid + 1; else hi = mid; }
    let zeroSized: ElfSymbol | undefined;
    // Bounded backward walk: nested or overlapping symbols are rare, 64 covers them.
    for (let i = lo - 1, k = 0; i >= 0 && k < 64; i--, k++) {
      const s = sorted[i];
      if (s.size > 0 && addr < s.value + s.size) return s;
      if (s.size === 0 && zeroSized === undefined && k === 0) {
        // Unsized labels (assembly, linker symbols) only cover the rest of their own section.
        const sec = s.shndx < SHN_LORESERVE ? this.sections[s.shndx] : undefined;
        if (sec !== undefined && addr < sec.addr + sec.size) zeroSized = s;
      }
    }
    return zeroSized;
  }

  private buildSorted(): ElfSymbol[] {
    const list = this.symbols().filter((s) =>
      (s.type === STT_FUNC || s.type === STT_OBJECT || s.type === STT_NOTYPE || s.type === STT_COMMON) &&
      s.shndx !== SHN_UNDEF && s.name !== '' && mappingKindOf(s.name) === undefined && s.table === '.symtab');
    if (list.length === 0) for (const s of this.symbols()) if (s.table === '.dynsym' && s.shndx !== SHN_UNDEF && s.name !== '') list.push(s);
    const rank = (s: ElfSymbol) => (s.bind === STB_GLOBAL ? 0 : s.bind === STB_WEAK ? 1 : 2) + (s.type === STT_FUNC || s.type === STT_OBJECT ? 0 : 4);
    // Ascending by address; at one address the preferred symbol comes last, so the walk meets it first.
    list.sort((a, b) => a.value - b.value || rank(b) - rank(a));
    return list;
  }

  /** The public "aeabi" file attributes of .ARM.attributes (IHI 0045 §2.2), or undefined if absent. */
  armAttributes(): ArmAttributes | undefined {
    if (this.attrs !== undefined) return this.attrs;
    const s = this.sections.find((x) => x.type === SHT_ARM_ATTRIBUTES) ?? this.byName.get('.ARM.attributes');
    if (s === undefined) return undefined;
    const tags = new Map<number, number | string>();
    const r = new ByteReader(this.sectionBytes(s), s.name);
    if (r.u8() !== 0x41 /* 'A' */) r.fail('unknown attributes format version (expected \'A\')', 0);
    while (!r.atEnd()) {
      const subStart = r.pos;
      const len = r.u32();
      if (len < 4) r.fail(`subsection length ${len} is too small`, subStart);
      const sub = r.sub(subStart, Math.min(len, r.end - subStart));
      sub.pos = subStart + 4;
      r.pos = sub.end;
      const vendor = sub.cstr();
      if (vendor !== 'aeabi') continue;
      while (!sub.atEnd()) {
        const tagStart = sub.pos;
        const tag = sub.uleb();
        const size = sub.u32();
        if (size < 5) sub.fail(`attribute block size ${size} is too small`, tagStart);
        const blk = sub.sub(tagStart, Math.min(size, sub.end - tagStart));
        blk.pos = sub.pos;
        sub.pos = blk.end;
        if (tag !== 1) continue; // Tag_File; section/symbol scoped attributes are not needed here.
        while (!blk.atEnd()) {
          const t = blk.uleb();
          // IHI 0045 §2.2.6: 4, 5, 67 are strings; 32 (Tag_compatibility) is ULEB then string;
          // other tags < 32 are ULEB; above 32, odd tags are strings and even tags ULEB.
          if (t === 4 || t === 5 || t === 67) tags.set(t, blk.cstr());
          else if (t === 32) { const flag = blk.uleb(); tags.set(t, `${flag} ${blk.cstr()}`); }
          else if (t < 32 || t % 2 === 0) tags.set(t, blk.uleb());
          else tags.set(t, blk.cstr());
        }
      }
    }
    const a: ArmAttributes = { tags };
    const arch = tags.get(6);
    if (typeof arch === 'number') a.arch = CPU_ARCH[arch] ?? `<unknown: ${arch}>`;
    const prof = tags.get(7);
    if (typeof prof === 'number' && (prof === 0x41 || prof === 0x52 || prof === 0x4d || prof === 0x53)) a.profile = String.fromCharCode(prof) as 'A' | 'R' | 'M' | 'S';
    const cpu = tags.get(5);
    if (typeof cpu === 'string') a.cpuName = cpu;
    const fp = tags.get(10);
    if (typeof fp === 'number') a.fpArch = FP_ARCH[fp] ?? `<unknown: ${fp}>`;
    const thumb = tags.get(9);
    if (typeof thumb === 'number') a.thumbIsa = thumb;
    // Tag_ABI_VFP_args = 1 means floats in VFP registers; otherwise the base (integer) PCS, which
    // is "softfp" when FP hardware is still used inside functions.
    const vfpArgs = tags.get(28);
    a.fpAbi = vfpArgs === 1 ? 'hard' : (typeof fp === 'number' && fp > 0) ? 'softfp' : 'soft';
    this.attrs = a;
    return a;
  }
}

/** 'a' | 't' | 'd' for the ARM mapping symbols "$a", "$t", "$d" and their "$x.suffix" forms. */
export function mappingKindOf(name: string): MappingKind | undefined {
  if (name.charCodeAt(0) !== 0x24 || (name.length !== 2 && name[2] !== '.')) return undefined;
  const k = name[1];
  return k === 'a' || k === 't' || k === 'd' ? k : undefined;
}
