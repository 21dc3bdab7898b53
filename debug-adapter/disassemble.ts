// The DAP `disassemble` request for Thumb code: decodes target memory through the Target's
// decoder (for the emulator, the core's own instruction table), tracking IT blocks, and labels
// instructions with symbols and source lines from the images' debug info.
import type { DebugInfo } from '../dwarf';
import type { DecodedInstruction } from './target';

/** First halfword of a 32-bit Thumb encoding (ARM ARM A5.1). */
const isThumb32 = (hw1: number) => (hw1 & 0xf800) >= 0xe800;

export interface DisassembledLine {
  address: number;
  text: string;
  bytes: string;
  symbol?: string;
  file?: string;
  line?: number;
  invalid?: boolean;
}

export interface DisassembleInput {
  address: number;
  /** Instructions before (negative) or after the one at `address` to start from. */
  instructionOffset: number;
  count: number;
  /** The core's decoder (Target.decodeInstruction bound to the core). */
  decode(hw1: number, hw2: number, address: number, itCond: number): DecodedInstruction;
  read(addr: number, n: number): Promise<Uint8Array>;
  image(pc: number): DebugInfo | undefined;
}

/** Longest code stretch decoded for one request: bounds work on a huge instructionOffset. */
const MAX_BYTES = 64 * 1024;

export async function disassemble(req: DisassembleInput): Promise<DisassembledLine[]> {
  const addr = req.address & ~1;
  const before = Math.max(0, -req.instructionOffset);
  const after = Math.max(0, req.count + req.instructionOffset);
  // Thumb cannot be decoded backwards: start at the enclosing function (a known instruction
  // boundary) when it is near, else far enough back that the decoder has resynchronised.
  const sym = req.image(addr)?.symbolAt(addr);
  let start = addr - before * 4 - 32;
  if (sym !== undefined && sym.symbol.type === 2 && addr - (sym.symbol.value & ~1) <= before * 4 + 4096) start = Math.min(start, sym.symbol.value & ~1);
  if (addr - start > MAX_BYTES) start = addr - MAX_BYTES;
  start = Math.max(0, start) & ~1;
  const end = Math.min(0x1_0000_0000, addr + after * 4 + 4);
  const bytes = await req.read(start, end - start);

  const lines: DisassembledLine[] = [];
  let itstate = 0;
  let i = 0;
  for (; i + 2 <= bytes.length && lines.length < 100_000;) {
    const pc = start + i;
    const hw1 = bytes[i] | (bytes[i + 1] << 8);
    let hw2 = 0;
    if (isThumb32(hw1)) {
      if (i + 4 > bytes.length) break;
      hw2 = bytes[i + 2] | (bytes[i + 3] << 8);
    }
    const itCond = itstate !== 0 ? (itstate >> 4) & 15 : -1;
    const d = req.decode(hw1, hw2, pc, itCond);
    const size = d.size;
    const hexBytes = size === 4 ? `${hw1.toString(16).padStart(4, '0')} ${hw2.toString(16).padStart(4, '0')}` : hw1.toString(16).padStart(4, '0');
    const line: DisassembledLine = { address: pc, text: d.text, bytes: hexBytes };
    if (!d.valid) line.invalid = true;
    lines.push(line);
    // ITSTATE advance (ARM ARM A7.3.3 ITAdvance()).
    if (itstate !== 0) itstate = (itstate & 7) === 0 ? 0 : (itstate & 0xe0) | ((itstate << 1) & 0x1f);
    if (size === 2 && (hw1 & 0xff00) === 0xbf00 && (hw1 & 0xf) !== 0) itstate = hw1 & 0xff;
    i += size;
  }

  let at = lines.findIndex((l) => l.address >= addr);
  if (at < 0) at = lines.length;
  const out: DisassembledLine[] = [];
  for (let k = at + req.instructionOffset; out.length < req.count; k++) {
    const l = lines[k];
    if (l === undefined) {
      // Outside what could be read: DAP wants exactly `count` entries, marked invalid.
      const a = k < 0 ? start - 2 * (-k) : (lines[lines.length - 1]?.address ?? addr) + 2 * (k - lines.length + 1);
      out.push({ address: a >>> 0, text: '??', bytes: '', invalid: true });
      continue;
    }
    out.push(l);
  }
  let lastFile: string | undefined, lastLine: number | undefined, lastSym: string | undefined;
  for (const l of out) {
    if (l.invalid && l.text === '??') continue;
    const info = req.image(l.address);
    const s = info?.symbolAt(l.address);
    if (s !== undefined && s.display !== lastSym) { l.symbol = s.display; lastSym = s.display; }
    const loc = info?.lines?.lookup(l.address);
    if (loc !== undefined && (loc.file !== lastFile || loc.line !== lastLine)) {
      l.file = loc.file; l.line = loc.line; lastFile = loc.file; lastLine = loc.line;
    }
  }
  return out;
}
