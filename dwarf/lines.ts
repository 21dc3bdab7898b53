// DWARF line programs (.debug_line, versions 2 to 5): headers with their directory and file
// tables, the line-number state machine, and the indexes the debugger needs (pc -> line,
// file:line -> breakpoint addresses, line-stepping ranges). Headers are read on first use,
// each program's rows are decoded on first use into flat typed arrays, and kept.
import { ByteReader, DwarfError, readCString } from './reader';

/** The sections a line program can refer to. Only `line` is required. */
export interface LineSections {
  line: Uint8Array;
  /** .debug_line_str (DW_FORM_line_strp, DWARF 5). */
  lineStr?: Uint8Array;
  /** .debug_str (DW_FORM_strp in a v5 entry format). */
  str?: Uint8Array;
}

export interface LineTableOptions {
  /**
   * The DW_AT_comp_dir of the unit whose DW_AT_stmt_list is `offset`. DWARF 2-4 headers do not
   * carry it (directory index 0 means "the compilation directory"), so the info reader supplies
   * it; without it, relative paths stay relative.
   */
  compDir?: (programOffset: number) => string | undefined;
  /** Address size to assume for DWARF 2-4 programs (v5 headers say it). Default 4. */
  addressSize?: number;
}

export interface LineFile {
  /** The name as written in the file table. */
  readonly name: string;
  /** The directory it is relative to ('' when none). */
  readonly dir: string;
  /** dir joined with name, unless name is already absolute. */
  readonly path: string;
  readonly mtime?: number;
  readonly size?: number;
  /** DW_LNCT_MD5 (DWARF 5), 16 bytes. */
  readonly md5?: Uint8Array;
}

export interface LineProgramHeader {
  /** Offset of the program in .debug_line (what DW_AT_stmt_list holds). */
  readonly offset: number;
  readonly version: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
  readonly minInstLength: number;
  readonly maxOpsPerInst: number;
  readonly defaultIsStmt: boolean;
  readonly lineBase: number;
  readonly lineRange: number;
  readonly opcodeBase: number;
  readonly standardOpcodeLengths: readonly number[];
  readonly includeDirs: readonly string[];
  /** Indexed by the file register: entry 0 is real in DWARF 5 and a placeholder (the unit's primary file, if known) in 2-4. */
  readonly files: readonly LineFile[];
  readonly programStart: number;
  /** End of this unit in .debug_line (exclusive). */
  readonly unitEnd: number;
}

/** One row of the line-number matrix (DWARF 5 §6.2.2). */
export interface LineRow {
  readonly address: number;
  readonly opIndex: number;
  /** Index into the program's `files`. */
  readonly file: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly basicBlock: boolean;
  readonly endSequence: boolean;
  readonly prologueEnd: boolean;
  readonly epilogueBegin: boolean;
  readonly isa: number;
  readonly discriminator: number;
}

export const ROW_STMT = 1, ROW_BASIC_BLOCK = 2, ROW_END_SEQUENCE = 4, ROW_PROLOGUE_END = 8, ROW_EPILOGUE_BEGIN = 16;

// Standard opcodes (DWARF 5 §6.2.5.2) and extended opcodes (§6.2.5.3).
const DW_LNS_copy = 1, DW_LNS_advance_pc = 2, DW_LNS_advance_line = 3, DW_LNS_set_file = 4, DW_LNS_set_column = 5,
  DW_LNS_negate_stmt = 6, DW_LNS_set_basic_block = 7, DW_LNS_const_add_pc = 8, DW_LNS_fixed_advance_pc = 9,
  DW_LNS_set_prologue_end = 10, DW_LNS_set_epilogue_begin = 11, DW_LNS_set_isa = 12;
const DW_LNE_end_sequence = 1, DW_LNE_set_address = 2, DW_LNE_define_file = 3, DW_LNE_set_discriminator = 4;
// Entry-format content types (§6.2.4.1).
const DW_LNCT_path = 1, DW_LNCT_directory_index = 2, DW_LNCT_timestamp = 3, DW_LNCT_size = 4, DW_LNCT_MD5 = 5;

const SECTION = '.debug_line';

/** Growable struct-of-arrays for rows, so a large table costs a few typed arrays, not objects. */
class RowStore {
  n = 0;
  address = new Float64Array(64);
  file = new Uint32Array(64);
  line = new Uint32Array(64);
  column = new Uint32Array(64);
  flags = new Uint8Array(64);
  discriminator = new Uint32Array(64);
  opIndex = new Uint32Array(64);
  isa = new Uint32Array(64);

  push(address: number, opIndex: number, file: number, line: number, column: number, flags: number, isa: number, discriminator: number): void {
    if (this.n === this.address.length) this.grow();
    const i = this.n++;
    this.address[i] = address;
    this.opIndex[i] = opIndex;
    this.file[i] = file;
    this.line[i] = line;
    this.column[i] = column;
    this.flags[i] = flags;
    this.isa[i] = isa;
    this.discriminator[i] = discriminator;
  }

  private grow(): void {
    const m = this.address.length * 2;
    const g = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (k: number) => T): T => { const b = make(m); b.set(a); return b; };
    this.address = g(this.address, (k) => new Float64Array(k));
    this.opIndex = g(this.opIndex, (k) => new Uint32Array(k));
    this.file = g(this.file, (k) => new Uint32Array(k));
    this.line = g(this.line, (k) => new Uint32Array(k));
    this.column = g(this.column, (k) => new Uint32Array(k));
    this.flags = g(this.flags, (k) => new Uint8Array(k));
    this.isa = g(this.isa, (k) => new Uint32Array(k));
    this.discriminator = g(this.discriminator, (k) => new Uint32Array(k));
  }
}

/** One line-number program: its header, and its rows decoded on first use. */
export class LineProgram {
  private store: RowStore | undefined;
  /** [firstRow, endRowInclusive] per sequence, filled with the rows. */
  private seqs: number[] = [];
  /** Files added by DW_LNE_define_file (DWARF 2-4) while decoding. */
  private defined: LineFile[] = [];

  constructor(readonly header: LineProgramHeader, private readonly sections: LineSections, private readonly compDir: string | undefined) {}

  get offset(): number { return this.header.offset; }
  get version(): number { return this.header.version; }

  /** The file table, including files defined inside the program once it has been decoded. */
  get files(): readonly LineFile[] {
    this.decode();
    return this.defined.length ? [...this.header.files, ...this.defined] : this.header.files;
  }

  /** The path of file register value `index`, or `<file N>` for an index outside the table. */
  filePath(index: number): string {
    const f = this.header.files[index] ?? this.defined[index - this.header.files.length];
    return f ? f.path : `<file ${index}>`;
  }

  rowCount(): number { return this.decode().n; }

  row(i: number): LineRow {
    const s = this.decode();
    if (!(i >= 0 && i < s.n)) throw new RangeError(`row ${i} is outside 0..${s.n - 1} of the line program at ${SECTION}+0x${this.offset.toString(16)}`);
    const f = s.flags[i];
    return {
      address: s.address[i], opIndex: s.opIndex[i], file: s.file[i], line: s.line[i], column: s.column[i],
      isStmt: (f & ROW_STMT) !== 0, basicBlock: (f & ROW_BASIC_BLOCK) !== 0, endSequence: (f & ROW_END_SEQUENCE) !== 0,
      prologueEnd: (f & ROW_PROLOGUE_END) !== 0, epilogueBegin: (f & ROW_EPILOGUE_BEGIN) !== 0,
      isa: s.isa[i], discriminator: s.discriminator[i],
    };
  }

  rows(): LineRow[] {
    const n = this.rowCount();
    const out: LineRow[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.row(i);
    return out;
  }

  /** Row ranges of the sequences: pairs [first, last] where `last` is the end_sequence row. */
  sequences(): readonly number[] { this.decode(); return this.seqs; }

  /** The flat row arrays, for indexes built over many programs. */
  raw(): Readonly<RowStore> { return this.decode(); }

  /** Runs the state machine of DWARF 5 §6.2.2 over the whole program. */
  private decode(): RowStore {
    if (this.store) return this.store;
    const h = this.header;
    const s = new RowStore();
    const r = new ByteReader(this.sections.line, SECTION, h.programStart, h.unitEnd);
    const maxOps = h.maxOpsPerInst || 1;
    const minInst = h.minInstLength;
    const lineRange = h.lineRange;
    const opcodeBase = h.opcodeBase;
    const lengths = h.standardOpcodeLengths;
    const addrMask = h.addressSize >= 8 ? Number.MAX_SAFE_INTEGER : h.addressSize === 4 ? 0x1_0000_0000 : 2 ** (8 * h.addressSize);
    const wrap = (a: number): number => (a >= 0 && a < addrMask ? a : ((a % addrMask) + addrMask) % addrMask);
    const stmtDefault = h.defaultIsStmt ? ROW_STMT : 0;

    let address = 0, opIndex = 0, file = 1, line = 1, column = 0, flags = stmtDefault, isa = 0, disc = 0, seqStart = 0;
    const advance = (operationAdvance: number): void => {
      if (maxOps === 1) {
        address = wrap(address + minInst * operationAdvance);
      } else {
        const t = opIndex + operationAdvance;
        address = wrap(address + minInst * Math.floor(t / maxOps));
        opIndex = t % maxOps;
      }
    };
    const needRange = (at: number): void => {
      if (lineRange === 0) throw new DwarfError('line_range is 0 but the program uses an opcode that divides by it', SECTION, at);
    };

    // Every iteration consumes at least one byte, so the loop ends within the unit.
    while (r.pos < r.end) {
      const at = r.pos;
      const op = r.u8();
      if (op >= opcodeBase) {
        needRange(at);
        const adj = op - opcodeBase;
        advance(Math.floor(adj / lineRange));
        line = (line + h.lineBase + (adj % lineRange)) >>> 0;
        s.push(address, opIndex, file, line, column, flags, isa, disc);
        flags &= ~(ROW_BASIC_BLOCK | ROW_PROLOGUE_END | ROW_EPILOGUE_BEGIN);
        disc = 0;
        continue;
      }
      switch (op) {
        case 0: {
          const len = r.uleb();
          if (len === 0) throw new DwarfError('extended opcode with length 0', SECTION, at);
          const body = r.pos;
          if (len > r.end - body) throw new DwarfError(`extended opcode length ${len} runs past the end of the program at 0x${r.end.toString(16)}`, SECTION, at);
          const sub = r.u8();
          switch (sub) {
            case DW_LNE_end_sequence:
              s.push(address, opIndex, file, line, column, flags | ROW_END_SEQUENCE, isa, disc);
              this.seqs.push(seqStart, s.n - 1);
              seqStart = s.n;
              address = 0; opIndex = 0; file = 1; line = 1; column = 0; flags = stmtDefault; isa = 0; disc = 0;
              break;
            case DW_LNE_set_address: {
              const size = len - 1;
              if (size !== 1 && size !== 2 && size !== 4 && size !== 8) throw new DwarfError(`DW_LNE_set_address with a ${size}-byte operand`, SECTION, at);
              address = r.addr(size);
              opIndex = 0;
              break;
            }
            case DW_LNE_define_file: {
              const name = r.cstr();
              const dirIndex = r.uleb();
              const mtime = r.uleb();
              const size = r.uleb();
              this.defined.push(makeFile(name, h.includeDirs[dirIndex] ?? '', mtime, size));
              break;
            }
            case DW_LNE_set_discriminator:
              disc = r.uleb();
              break;
            default:
              // DW_LNE_lo_user..hi_user and unknown opcodes: the length lets us skip them.
              break;
          }
          r.pos = body + len;
          break;
        }
        case DW_LNS_copy:
          s.push(address, opIndex, file, line, column, flags, isa, disc);
          flags &= ~(ROW_BASIC_BLOCK | ROW_PROLOGUE_END | ROW_EPILOGUE_BEGIN);
          disc = 0;
          break;
        case DW_LNS_advance_pc: advance(r.uleb()); break;
        case DW_LNS_advance_line: line = (line + r.sleb()) >>> 0; break;
        case DW_LNS_set_file: file = r.uleb() >>> 0; break;
        case DW_LNS_set_column: column = r.uleb() >>> 0; break;
        case DW_LNS_negate_stmt: flags ^= ROW_STMT; break;
        case DW_LNS_set_basic_block: flags |= ROW_BASIC_BLOCK; break;
        case DW_LNS_const_add_pc: needRange(at); advance(Math.floor((255 - opcodeBase) / lineRange)); break;
        case DW_LNS_fixed_advance_pc: address = wrap(address + r.u16()); opIndex = 0; break;
        case DW_LNS_set_prologue_end: flags |= ROW_PROLOGUE_END; break;
        case DW_LNS_set_epilogue_begin: flags |= ROW_EPILOGUE_BEGIN; break;
        case DW_LNS_set_isa: isa = r.uleb() >>> 0; break;
        default: {
          // A standard opcode this reader does not know: skip its ULEB operands (§6.2.5.2 end).
          const n = lengths[op - 1] ?? 0;
          for (let k = 0; k < n; k++) r.uleb();
        }
      }
    }
    // Rows after the last end_sequence belong to no sequence (a truncated program): keep them
    // for listing, but close them as a sequence so indexes see a bounded range.
    if (seqStart < s.n) this.seqs.push(seqStart, s.n - 1);
    this.store = s;
    return s;
  }

  /** The primary source of the unit (for DWARF 2-4 headers, file 1; DWARF 5, file 0). */
  primaryFile(): LineFile | undefined { return this.header.files[this.version >= 5 ? 0 : 1]; }

  /** The compilation directory given to the table (DWARF 2-4), or directory 0 (DWARF 5). */
  get compilationDir(): string | undefined { return this.version >= 5 ? this.header.includeDirs[0] : this.compDir; }
}

function isAbsolute(p: string): boolean { return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'); }

function joinPath(dir: string, name: string): string {
  if (!dir || isAbsolute(name)) return name;
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : `${dir}/${name}`;
}

function makeFile(name: string, dir: string, mtime?: number, size?: number, md5?: Uint8Array): LineFile {
  const f: { name: string; dir: string; path: string; mtime?: number; size?: number; md5?: Uint8Array } = { name, dir, path: joinPath(dir, name) };
  if (mtime) f.mtime = mtime;
  if (size) f.size = size;
  if (md5) f.md5 = md5;
  return f;
}

// Forms allowed in a DWARF 5 entry format (§6.2.4.1), plus the fixed-size ones a producer might use.
const DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04, DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07,
  DW_FORM_string = 0x08, DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a, DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c,
  DW_FORM_sdata = 0x0d, DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_sec_offset = 0x17, DW_FORM_flag_present = 0x19,
  DW_FORM_strx = 0x1a, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e, DW_FORM_line_strp = 0x1f,
  DW_FORM_strx1 = 0x25, DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28;

type EntryValue = string | number | Uint8Array | undefined;

function readForm(r: ByteReader, form: number, offsetSize: 4 | 8, sections: LineSections): EntryValue {
  switch (form) {
    case DW_FORM_string: return r.cstr();
    case DW_FORM_line_strp: {
      const at = r.pos;
      const off = r.offsetSized(offsetSize);
      if (!sections.lineStr) throw new DwarfError('DW_FORM_line_strp but the file has no .debug_line_str', SECTION, at);
      return readCString(sections.lineStr, off, '.debug_line_str');
    }
    case DW_FORM_strp: {
      const at = r.pos;
      const off = r.offsetSized(offsetSize);
      if (!sections.str) throw new DwarfError('DW_FORM_strp but the file has no .debug_str', SECTION, at);
      return readCString(sections.str, off, '.debug_str');
    }
    case DW_FORM_strp_sup: case DW_FORM_sec_offset: r.offsetSized(offsetSize); return undefined;
    // strx needs the unit's DW_AT_str_offsets_base, which a line header cannot name.
    case DW_FORM_strx: return `<strx ${r.uleb()}>`;
    case DW_FORM_strx1: return `<strx ${r.u8()}>`;
    case DW_FORM_strx2: return `<strx ${r.u16()}>`;
    case DW_FORM_strx3: { const lo = r.u16(); return `<strx ${lo + r.u8() * 0x10000}>`; }
    case DW_FORM_strx4: return `<strx ${r.u32()}>`;
    case DW_FORM_udata: return r.uleb();
    case DW_FORM_sdata: return r.sleb();
    case DW_FORM_data1: case DW_FORM_flag: return r.u8();
    case DW_FORM_data2: return r.u16();
    case DW_FORM_data4: return r.u32();
    case DW_FORM_data8: { const lo = r.u32(); const hi = r.u32(); return hi * 0x1_0000_0000 + lo; }
    case DW_FORM_data16: return r.bytes(16);
    case DW_FORM_block: return r.bytes(r.uleb());
    case DW_FORM_block1: return r.bytes(r.u8());
    case DW_FORM_block2: return r.bytes(r.u16());
    case DW_FORM_block4: return r.bytes(r.u32());
    case DW_FORM_flag_present: return 1;
    default: return r.fail(`form 0x${form.toString(16)} is not allowed in a line-table entry format`);
  }
}

/** Reads a DWARF 5 directory or file table: format pairs, a count, then the entries (§6.2.4.1). */
function readEntryTable(r: ByteReader, offsetSize: 4 | 8, sections: LineSections, what: string): Map<number, EntryValue>[] {
  const formatCount = r.u8();
  const format: number[] = [];
  for (let i = 0; i < formatCount; i++) format.push(r.uleb(), r.uleb());
  const countAt = r.pos;
  const count = r.uleb();
  // Each entry with a non-empty format takes at least one byte; an empty format gives empty
  // entries, so a count larger than the bytes left is malformed either way.
  if (formatCount !== 0 ? count > r.remaining() : count > 0x10000) {
    throw new DwarfError(`${what} count ${count} is larger than the ${r.remaining()} bytes left in the header`, SECTION, countAt);
  }
  const out: Map<number, EntryValue>[] = [];
  for (let i = 0; i < count; i++) {
    const e = new Map<number, EntryValue>();
    for (let k = 0; k < format.length; k += 2) e.set(format[k], readForm(r, format[k + 1], offsetSize, sections));
    out.push(e);
  }
  return out;
}

function str(v: EntryValue): string { return typeof v === 'string' ? v : v === undefined ? '' : String(v); }
function num(v: EntryValue): number { return typeof v === 'number' ? v : 0; }

/** Parses the header of the program at `offset` (DWARF 5 §6.2.4). */
export function parseLineHeader(sections: LineSections, offset: number, opts: LineTableOptions = {}): LineProgramHeader {
  const data = sections.line;
  const r = new ByteReader(data, SECTION, offset, data.length);
  let unitLength = r.u32();
  let offsetSize: 4 | 8 = 4;
  if (unitLength === 0xffffffff) { offsetSize = 8; unitLength = r.u64n(); }
  else if (unitLength >= 0xfffffff0) throw new DwarfError(`reserved unit_length 0x${unitLength.toString(16)}`, SECTION, offset);
  const unitEnd = r.pos + unitLength;
  if (unitEnd > data.length) throw new DwarfError(`unit_length 0x${unitLength.toString(16)} runs past the end of the section (size 0x${data.length.toString(16)})`, SECTION, offset);
  const u = new ByteReader(data, SECTION, r.pos, unitEnd);
  const versionAt = u.pos;
  const version = u.u16();
  if (version < 2 || version > 5) throw new DwarfError(`line table version ${version} is not 2 to 5`, SECTION, versionAt);
  let addressSize = opts.addressSize ?? 4;
  if (version >= 5) {
    addressSize = u.u8();
    const segSel = u.u8();
    if (addressSize !== 1 && addressSize !== 2 && addressSize !== 4 && addressSize !== 8) throw new DwarfError(`address_size ${addressSize}`, SECTION, versionAt + 2);
    if (segSel !== 0) throw new DwarfError(`segment_selector_size ${segSel} (segmented addresses are not supported)`, SECTION, versionAt + 3);
  }
  const hlAt = u.pos;
  const headerLength = u.offsetSized(offsetSize);
  const programStart = u.pos + headerLength;
  if (programStart > unitEnd) throw new DwarfError(`header_length 0x${headerLength.toString(16)} runs past the end of the unit at 0x${unitEnd.toString(16)}`, SECTION, hlAt);
  const hr = new ByteReader(data, SECTION, u.pos, programStart);
  const minInstLength = hr.u8();
  const maxOpsPerInst = version >= 4 ? hr.u8() : 1;
  const defaultIsStmt = hr.u8() !== 0;
  const lineBase = hr.i8();
  const lineRange = hr.u8();
  const opcodeBase = hr.u8();
  if (opcodeBase === 0) throw new DwarfError('opcode_base is 0', SECTION, hr.pos - 1);
  const standardOpcodeLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardOpcodeLengths.push(hr.u8());
  const includeDirs: string[] = [];
  const files: LineFile[] = [];
  if (version >= 5) {
    for (const e of readEntryTable(hr, offsetSize, sections, 'directories')) includeDirs.push(str(e.get(DW_LNCT_path)));
    for (const e of readEntryTable(hr, offsetSize, sections, 'file_names')) {
      const md5 = e.get(DW_LNCT_MD5);
      files.push(makeFile(str(e.get(DW_LNCT_path)), includeDirs[num(e.get(DW_LNCT_directory_index))] ?? '', num(e.get(DW_LNCT_timestamp)), num(e.get(DW_LNCT_size)),
        md5 instanceof Uint8Array && md5.length === 16 ? md5 : undefined));
    }
  } else {
    const compDir = opts.compDir?.(offset) ?? '';
    // Directory 0 is the compilation directory (DWARF 4 §6.2.4 item 11); entries are 1-based.
    includeDirs.push(compDir);
    // Each entry consumes at least its NUL, so these loops end within the header.
    for (;;) { const d = hr.cstr(); if (d === '') break; includeDirs.push(joinPath(compDir, d)); }
    files.push(makeFile('', compDir)); // index 0: no file in DWARF 2-4
    for (;;) {
      const name = hr.cstr();
      if (name === '') break;
      const dirIndex = hr.uleb();
      const mtime = hr.uleb();
      const size = hr.uleb();
      files.push(makeFile(name, includeDirs[dirIndex] ?? '', mtime, size));
    }
    if (files.length > 1) files[0] = files[1];
  }
  return {
    offset, version, offsetSize, addressSize, minInstLength, maxOpsPerInst, defaultIsStmt, lineBase, lineRange, opcodeBase,
    standardOpcodeLengths, includeDirs, files, programStart, unitEnd,
  };
}

/** Where a pc is in the source. */
export interface LineLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Address of the row that covers the pc, and the end of that row's range. */
  readonly address: number;
  readonly end: number;
  readonly isStmt: boolean;
  readonly discriminator: number;
  readonly program: LineProgram;
  readonly row: number;
}

export interface BreakpointMatch {
  /** The line the addresses belong to: the requested one, or the nearest line that has code. */
  readonly line: number;
  /** Paths of the files that matched the requested name. */
  readonly files: readonly string[];
  readonly addresses: readonly number[];
}

export interface AddressRange { readonly start: number; readonly end: number }

/** Every line program of a file, with lazily built indexes. */
export class LineTable {
  private headerList: LineProgram[] | undefined;
  private byOffset = new Map<number, LineProgram>();
  private index: { seqProg: LineProgram[]; seqFirst: Uint32Array; seqLast: Uint32Array; start: Float64Array; end: Float64Array; maxEnd: Float64Array } | undefined;

  constructor(readonly sections: LineSections, private readonly opts: LineTableOptions = {}) {}

  /** A table over an ELF's sections (anything with ElfFile's `sectionData`). Undefined when there is no .debug_line. */
  static fromElf(elf: { sectionData(name: string): Uint8Array | undefined }, opts: LineTableOptions = {}): LineTable | undefined {
    const line = elf.sectionData('.debug_line');
    if (!line) return undefined;
    return new LineTable({ line, lineStr: elf.sectionData('.debug_line_str'), str: elf.sectionData('.debug_str') }, opts);
  }

  /** The program at a .debug_line offset (a unit's DW_AT_stmt_list). */
  program(offset: number): LineProgram {
    let p = this.byOffset.get(offset);
    if (!p) {
      p = new LineProgram(parseLineHeader(this.sections, offset, this.opts), this.sections, this.opts.compDir?.(offset));
      this.byOffset.set(offset, p);
    }
    return p;
  }

  /** All programs, found by walking the section unit by unit (headers only; rows stay lazy). */
  programs(): readonly LineProgram[] {
    if (this.headerList) return this.headerList;
    const list: LineProgram[] = [];
    const data = this.sections.line;
    // Each program is at least its 4-byte length, so the walk ends within the section.
    for (let off = 0; off < data.length;) {
      const p = this.program(off);
      list.push(p);
      off = p.header.unitEnd;
    }
    this.headerList = list;
    return list;
  }

  /** Sequences of every program sorted by start address, with a running max of ends for stabbing queries. */
  private buildIndex() {
    if (this.index) return this.index;
    const items: { p: LineProgram; first: number; last: number; start: number; end: number }[] = [];
    for (const p of this.programs()) {
      const s = p.raw();
      const seqs = p.sequences();
      for (let k = 0; k < seqs.length; k += 2) {
        const first = seqs[k], last = seqs[k + 1];
        const start = s.address[first], end = s.address[last];
        if (end > start) items.push({ p, first, last, start, end });
      }
    }
    items.sort((a, b) => a.start - b.start || b.end - a.end);
    const n = items.length;
    const idx = {
      seqProg: items.map((x) => x.p), seqFirst: new Uint32Array(n), seqLast: new Uint32Array(n),
      start: new Float64Array(n), end: new Float64Array(n), maxEnd: new Float64Array(n),
    };
    let m = -1;
    items.forEach((x, i) => {
      idx.seqFirst[i] = x.first; idx.seqLast[i] = x.last; idx.start[i] = x.start; idx.end[i] = x.end;
      m = Math.max(m, x.end); idx.maxEnd[i] = m;
    });
    this.index = idx;
    return idx;
  }

  /** The sequence covering pc: the one with the greatest start among those containing it. */
  private sequenceAt(pc: number): number {
    const ix = this.buildIndex();
    let lo = 0, hi = ix.start.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (ix.start[mid] <= pc) lo = mid + 1; else hi = mid; }
    // Walk back while an earlier sequence could still reach pc; maxEnd bounds the walk.
    for (let i = lo - 1; i >= 0 && ix.maxEnd[i] > pc; i--) if (ix.end[i] > pc) return i;
    return -1;
  }

  /** pc -> the row covering it (the last row at or below pc in its sequence). */
  lookup(pc: number): LineLocation | undefined {
    const si = this.sequenceAt(pc);
    if (si < 0) return undefined;
    const ix = this.index!;
    const p = ix.seqProg[si];
    const s = p.raw();
    let lo = ix.seqFirst[si], hi = ix.seqLast[si];
    // Last row with address <= pc (rows are in address order within a sequence).
    while (lo < hi) { const mid = (lo + hi + 1) >>> 1; if (s.address[mid] <= pc) lo = mid; else hi = mid - 1; }
    let next = lo + 1;
    while (next < ix.seqLast[si] && s.address[next] === s.address[lo]) next++;
    // Several rows at one address: the last one is the one that covers the code (the earlier ones are empty).
    const row = next - 1;
    return {
      file: p.filePath(s.file[row]), line: s.line[row], column: s.column[row], address: s.address[row], end: s.address[next],
      isStmt: (s.flags[row] & ROW_STMT) !== 0, discriminator: s.discriminator[row], program: p, row,
    };
  }

  /** Every distinct file path that some program names. */
  files(): string[] {
    const set = new Set<string>();
    for (const p of this.programs()) for (const f of p.header.files) if (f.name) set.add(f.path);
    return [...set].sort();
  }

  /**
   * (file, line) -> breakpoint addresses (DWARF 5 §6.2.5.1 is_stmt: only recommended breakpoint
   * locations count). `file` matches a path exactly or by trailing path components ("main.c",
   * "src/main.c"). When no statement has that line, the nearest following line with code is used,
   * else the nearest preceding one. Within one block (by default a sequence, i.e. a function under
   * -ffunction-sections; pass `blockOf` from the scope reader to use functions and inlined
   * instances) only the lowest address is kept, the way gdb places one location per block.
   */
  breakpointAddresses(file: string, line: number, blockOf?: (address: number) => string | number | undefined): BreakpointMatch | undefined {
    const want = normalize(file);
    const matched = new Set<string>();
    // Candidate rows per program: [program, row] with the matched file.
    type Hit = { p: LineProgram; row: number; seq: number };
    const byLine = new Map<number, Hit[]>();
    for (const p of this.programs()) {
      const fileOk: boolean[] = [];
      let any = false;
      for (let i = 0; i < p.header.files.length; i++) {
        const f = p.header.files[i];
        const ok = f.name !== '' && pathMatches(normalize(f.path), want);
        fileOk.push(ok);
        if (ok) { any = true; matched.add(f.path); }
      }
      if (!any) continue;
      const s = p.raw();
      const seqs = p.sequences();
      for (let k = 0; k < seqs.length; k += 2) {
        const last = seqs[k + 1];
        for (let i = seqs[k]; i < last; i++) {
          // Rows that share an address with the next one still count: at -O2 a function's
          // opening line often has no bytes of its own, and gdb places `break f.c:<that line>` there.
          if (!(s.flags[i] & ROW_STMT) || !fileOk[s.file[i]]) continue;
          const l = s.line[i];
          let list = byLine.get(l);
          if (!list) byLine.set(l, (list = []));
          list.push({ p, row: i, seq: k });
        }
      }
    }
    if (byLine.size === 0) return undefined;
    let chosen = line;
    if (!byLine.has(line)) {
      let above = Infinity, below = -Infinity;
      for (const l of byLine.keys()) { if (l > line && l < above) above = l; if (l < line && l > below) below = l; }
      chosen = above !== Infinity ? above : below;
    }
    const best = new Map<string | number, number>();
    for (const h of byLine.get(chosen)!) {
      const a = h.p.raw().address[h.row];
      const key = blockOf?.(a) ?? `${h.p.offset}:${h.seq}`;
      const cur = best.get(key);
      if (cur === undefined || a < cur) best.set(key, a);
    }
    return { line: chosen, files: [...matched].sort(), addresses: [...new Set(best.values())].sort((x, y) => x - y) };
  }

  /**
   * The address ranges a line step from `pc` stays inside: every range of the same file and line
   * in pc's sequence. A line interrupted by inlined code (or by scheduling) shows up as several
   * ranges; stepping continues while pc is in any of them and stops on the first statement
   * (`isStatement`) outside. `within` narrows the search to one function's range.
   */
  stepRanges(pc: number, within?: AddressRange): AddressRange[] {
    const here = this.lookup(pc);
    if (!here) return [];
    const si = this.sequenceAt(pc);
    const ix = this.index!;
    const s = here.program.raw();
    const fileIdx = s.file[here.row], line = here.line;
    const out: AddressRange[] = [];
    let openAt = -1;
    const last = ix.seqLast[si];
    for (let i = ix.seqFirst[si]; i <= last; i++) {
      const same = i < last && s.file[i] === fileIdx && s.line[i] === line;
      if (same && openAt < 0) openAt = s.address[i];
      else if (!same && openAt >= 0) {
        const end = s.address[i];
        if (end > openAt) {
          const prev = out[out.length - 1];
          if (prev && prev.end === openAt) out[out.length - 1] = { start: prev.start, end };
          else out.push({ start: openAt, end });
        }
        openAt = -1;
      }
    }
    return within ? out.filter((r) => r.end > within.start && r.start < within.end).map((r) => ({ start: Math.max(r.start, within.start), end: Math.min(r.end, within.end) })) : out;
  }

  /** True when a row with is_stmt starts at `address` (a place a line step may stop). */
  isStatement(address: number): boolean {
    const loc = this.lookup(address);
    if (!loc) return false;
    const s = loc.program.raw();
    // Any row at exactly this address that is a statement counts (the empty ones too: they name the line being entered).
    for (let i = loc.row; i >= 0 && s.address[i] === address && !(s.flags[i] & ROW_END_SEQUENCE); i--) if (s.flags[i] & ROW_STMT) return true;
    return false;
  }

  /**
   * Every row of every program, sequences ordered by start address (ties keep file order), rows
   * in program order within a sequence. `visit` gets the program and the row index.
   */
  forEachRowInAddressOrder(visit: (p: LineProgram, row: number) => void): void {
    const seqs: { p: LineProgram; first: number; last: number; start: number; order: number }[] = [];
    let order = 0;
    for (const p of this.programs()) {
      const s = p.raw();
      const q = p.sequences();
      for (let k = 0; k < q.length; k += 2) seqs.push({ p, first: q[k], last: q[k + 1], start: s.address[q[k]], order: order++ });
    }
    seqs.sort((a, b) => a.start - b.start || a.order - b.order);
    for (const q of seqs) for (let i = q.first; i <= q.last; i++) visit(q.p, i);
  }
}

function normalize(p: string): string {
  const parts: string[] = [];
  const abs = p.startsWith('/');
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(seg);
  }
  return (abs ? '/' : '') + parts.join('/');
}

/** `path` equals `want`, or ends with it at a component boundary. */
function pathMatches(path: string, want: string): boolean {
  if (path === want) return true;
  if (want.startsWith('/')) return false;
  return path.endsWith(want) && path[path.length - want.length - 1] === '/';
}
