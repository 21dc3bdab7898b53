// The DAP `disassemble` request for Thumb code: decodes target memory through the Target's
// decoder (for the emulator, the core's own instruction table), tracking IT blocks, and labels
// instructions with symbols and source lines from the images' debug info. On TrustZone-M cores
// each range is marked with its world ([S], [NSC], [NS]) and CMSE veneers are named as such.
import type { DebugInfo } from '../dwarf';
import type { ElfSymbol } from '../dwarf/elf';
import { worldTag } from './security-scope';
import type { Attribution, DecodedInstruction, SecurityInfo, World } from './target';

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
  /** The world the address is attributed to (TrustZone-M cores only). */
  world?: WorldMark;
}

export type WorldMark = ReturnType<typeof worldTag>;

export interface DisassembleInput {
  address: number;
  /** Instructions before (negative) or after the one at `address` to start from. */
  instructionOffset: number;
  count: number;
  /** The core's decoder (Target.decodeInstruction bound to the core). */
  decode(hw1: number, hw2: number, address: number, itCond: number): DecodedInstruction;
  read(addr: number, n: number): Promise<Uint8Array>;
  image(pc: number): DebugInfo | undefined;
  /** The Security Extension state with the attribution of `addresses` (Target.readSecurity); absent or undefined: no world marks. */
  security?(addresses: readonly number[]): Promise<SecurityInfo | undefined>;
  /** The world of the image that holds pc, if the launch gave one. */
  imageWorld?(pc: number): World | undefined;
}

/** Longest code stretch decoded for one request: bounds work on a huge instructionOffset. */
const MAX_BYTES = 64 * 1024;

export async function disassemble(req: DisassembleInput): Promise<DisassembledLine[]> {
  // Plain arithmetic, not `& ~1` alone: that is signed, and code above 0x80000000 exists.
  const addr = (req.address & ~1) >>> 0;
  const before = Math.max(0, -req.instructionOffset);
  const after = Math.max(0, req.count + req.instructionOffset);
  // Thumb cannot be decoded backwards: start at the enclosing function (a known instruction
  // boundary) when it is near, else far enough back that the decoder has resynchronised.
  const sym = req.image(addr)?.symbolAt(addr);
  let start = addr - before * 4 - 32;
  const symStart = sym === undefined ? 0 : (sym.symbol.value & ~1) >>> 0;
  if (sym !== undefined && sym.symbol.type === 2 && addr - symStart <= before * 4 + 4096) start = Math.min(start, symStart);
  if (addr - start > MAX_BYTES) start = addr - MAX_BYTES;
  start = Math.max(0, start);
  start -= start % 2;
  const end = Math.min(0x1_0000_0000, addr + after * 4 + 4);
  let bytes = await req.read(start, end - start);
  // A read stops at the first unreadable byte, so a range that begins below a memory region
  // (secure flash at 0x10000000 has nothing under it) comes back empty: start again nearer.
  if (start + bytes.length < addr + 2) {
    // Bisect for the region's first halfword: at most 15 reads over MAX_BYTES.
    let lo = start + bytes.length, hi = addr;
    while (hi - lo > 2) {
      const mid = (lo + Math.floor((hi - lo) / 4) * 2) >>> 0;
      if ((await req.read(mid, 2)).length === 2) hi = mid; else lo = mid;
    }
    const retry = await req.read(hi, end - hi);
    if (retry.length > bytes.length) { start = hi; bytes = retry; }
  }

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
  const worlds = await worldMarks(req, out);
  let lastFile: string | undefined, lastLine: number | undefined, lastLabel: string | undefined;
  const byAddr = new Map(lines.map((l) => [l.address, l]));
  for (const l of out) {
    if (l.invalid && l.text === '??') continue;
    const info = req.image(l.address);
    const s = info?.symbolAt(l.address);
    const world = worlds.get((l.address & ~31) >>> 0);
    if (world !== undefined) l.world = world;
    const name = s === undefined ? undefined : symbolLabel(s.symbol, s.display, (a) => byAddr.get(a));
    const mark = world !== undefined ? `[${world}]` : undefined;
    const label = [name, mark].filter((x) => x !== undefined).join(' ');
    if (label !== '' && label !== lastLabel) {
      l.symbol = label;
      // VS Code's disassembly view shows neither `symbol` nor a label row: where a function or a
      // world begins, say so after the instruction as objdump's `<name>:` line would.
      if (lastLabel !== undefined || s?.offset === 0) l.text += `\t; ${[name !== undefined ? `<${name}>` : undefined, mark].filter((x) => x !== undefined).join(' ')}`;
    }
    lastLabel = label;
    const loc = info?.lines?.lookup(l.address);
    if (loc !== undefined && (loc.file !== lastFile || loc.line !== lastLine)) {
      l.file = loc.file; l.line = loc.line; lastFile = loc.file; lastLine = loc.line;
    }
  }
  return out;
}

/** SG's encoding, both halfwords (ARMv8-M SG: 1110 1001 0111 1111 twice). */
const SG_BYTES = 'e97f e97f';

/**
 * A symbol's name as the disassembly shows it. CMSE (ARM ECM0359818 "ACLE extensions for
 * Armv8-M security", 5.x) leaves three kinds of names around a secure entry function `f`:
 * `f` at the SG veneer in `.gnu.sgstubs`, `__acle_se_f` at the function body, and in the
 * non-secure image the linker's long-branch stub `__f_veneer` that reaches the SG veneer.
 */
export function symbolLabel(sym: ElfSymbol, display: string, lineAt: (addr: number) => DisassembledLine | undefined): string {
  const acle = /^__acle_se_(.+)$/.exec(sym.name);
  if (acle !== null) return `${acle[1]} (secure entry, ${sym.name})`;
  // The import library gives the non-secure image absolute copies of the veneer symbols, so the
  // section alone does not tell: an SG at the symbol's own address does.
  if (sym.section === '.gnu.sgstubs' || lineAt(sym.value & ~1)?.bytes === SG_BYTES) return `${display} (SG veneer)`;
  const stub = /^__(.+)_veneer$/.exec(sym.name);
  if (stub !== null) return `${sym.name} (branch to ${stub[1]})`;
  return display;
}

/**
 * The world mark of each 32-byte granule (the SAU's resolution, ARMv8-M D1.2 SAU_RBAR) the lines
 * touch. With the SAU disabled everything is still attributed (Secure, or Non-secure with ALLNS,
 * or as the IDAU says), but before secure boot has set it up that is not what the code is meant
 * for: then the image's declared world wins where there is one.
 */
async function worldMarks(req: DisassembleInput, lines: readonly DisassembledLine[]): Promise<Map<number, WorldMark>> {
  const out = new Map<number, WorldMark>();
  if (req.security === undefined) return out;
  const granules = [...new Set(lines.filter((l) => !(l.invalid && l.text === '??')).map((l) => (l.address & ~31) >>> 0))];
  if (granules.length === 0) return out;
  const info = await req.security(granules);
  if (info === undefined) return out;
  const sauOn = (info.sauCtrl & 1) !== 0;
  granules.forEach((g, i) => {
    const a: Attribution | undefined = info.attributions[i];
    const declared = sauOn ? undefined : req.imageWorld?.(g);
    if (declared !== undefined) out.set(g, declared === 'secure' ? 'S' : 'NS');
    else if (a !== undefined) out.set(g, worldTag(a.kind));
  });
  return out;
}
