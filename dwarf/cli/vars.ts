// `tandem elf vars <elf> <pc>`: the scopes around pc (innermost first) and the variables and
// parameters of each, with type and location description at that pc.
import { inflateSync } from 'node:zlib';
import type { ElfCommandContext } from '../cli-elf';
import { ElfFile } from '../elf';
import { DW_AT, DwarfInfo, sectionsFrom } from '../info';
import { LineTable } from '../lines';
import { decodeExpr, formatExpr } from '../location';
import { Scopes, type Scope, type Variable } from '../scopes';
import { typeName } from '../types';

export const usage = '<elf> <pc>';

const hex = (n: number) => `0x${n.toString(16)}`;

export function describeLocation(v: Variable): string {
  const u = v.die.unit;
  const fmt = { addrSize: u.addrSize, offsetSize: u.offsetSize };
  const l = v.location;
  switch (l.kind) {
    case 'optimized-out': return `optimized out (${l.reason})`;
    case 'const': return `constant ${l.value instanceof Uint8Array ? Array.from(l.value, (b) => b.toString(16).padStart(2, '0')).join('') : String(l.value)}`;
    case 'expr': return formatExpr(decodeExpr(l.expr, fmt));
    case 'list': return `[${hex(l.entry.lo)}, ${hex(l.entry.hi)}) ${formatExpr(decodeExpr(l.entry.expr, fmt))}`;
  }
}

export function run(ctx: ElfCommandContext): number {
  const pcArg = ctx.args[0];
  const pc = pcArg === undefined ? NaN : Number(pcArg);
  if (!Number.isInteger(pc) || pc < 0) {
    ctx.err(`tandem: elf vars: '${pcArg ?? ''}' is not an address (use e.g. 0x8000 or 32768)\n`);
    return 2;
  }
  const elf = ElfFile.parse(ctx.bytes, ctx.file, { inflate: (d) => new Uint8Array(inflateSync(d)) });
  const scopes = new Scopes(new DwarfInfo(sectionsFrom((n) => elf.sectionData(n))));
  const chain = scopes.scopesAt(pc);
  if (chain.length === 0) {
    ctx.err(`tandem: ${ctx.file}: no function with debug information covers ${hex(pc)}\n`);
    return 1;
  }
  let lines: LineTable | undefined | null = null;
  // The call site's file is an index into the unit's line-program file table.
  const callFile = (s: Scope): string => {
    if (s.callFile === undefined) return '?';
    try {
      if (lines === null) lines = LineTable.fromElf(elf);
      const off = s.die.unit.root()?.num(DW_AT.stmt_list);
      if (lines && off !== undefined) return lines.program(off).filePath(s.callFile);
    } catch { /* fall back to the index: a bad line table should not hide the variables */ }
    return `#${s.callFile}`;
  };
  for (const s of chain) {
    const where = s.ranges.map((r) => `[${hex(r.lo)}, ${hex(r.hi)})`).join(' ');
    const call = s.kind === 'inlined' && s.callLine !== undefined ? ` called at ${callFile(s)}:${s.callLine}` : '';
    ctx.out(`${s.kind}${s.name !== undefined ? ` ${s.name}` : ''} ${where}${call}\n`);
    for (const v of s.variables) {
      ctx.out(`  ${v.isParam ? 'param' : 'var  '} ${v.name}: ${typeName(v.type)} @ ${describeLocation(v)}\n`);
    }
  }
  return 0;
}
