// `tandem elf frame <elf> <pc>`: the CFA rule and register rules in force at a pc, in the form of
// `readelf --debug-dump=frames-interp` (one header and one row), plus which FDE/CIE they came from
// and any DWARF expressions spelled out. <pc> is a number (0x... or decimal) or a function name.
import { inflateSync } from 'node:zlib';
import type { ElfCommandContext } from '../cli-elf';
import { DebugInfo } from '../index';
import { formatCfa, formatRule, armRegName, type RegRule } from '../frames';
import { decodeExpr, formatExpr } from '../location';

export const usage = '<elf> <pc|function>';

const hex = (n: number) => `0x${n.toString(16)}`;

export function run(ctx: ElfCommandContext): number {
  const arg = ctx.args[0];
  if (arg === undefined) { ctx.err(`usage: tandem elf frame ${usage}\n`); return 2; }
  const dbg = DebugInfo.open(ctx.bytes, ctx.file, { inflate: (d) => new Uint8Array(inflateSync(d)) });
  let pc: number;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(arg)) {
    pc = Number(arg);
  } else {
    const f = dbg.functionAddresses(arg).find((r) => !r.inlined);
    if (f === undefined) { ctx.err(`tandem: ${ctx.file}: no function named '${arg}' (give a pc as 0x...)\n`); return 1; }
    pc = f.lo;
  }
  if (!Number.isSafeInteger(pc) || pc < 0) { ctx.err(`tandem: bad pc '${arg}'\n`); return 2; }
  const rules = dbg.rulesAt(pc);
  if (rules === undefined) {
    const sym = dbg.symbolAt(pc);
    ctx.out(`${hex(pc)}${sym ? ` <${sym.display}+${sym.offset}>` : ''}: no call frame information covers this pc; ` +
      `the unwinder falls back to ${sym ? 'the symbol and a prologue scan' : 'a leaf frame (return address in lr)'}\n`);
    return 1;
  }
  const { fde, row } = rules;
  const cie = fde.cie;
  const sym = dbg.symbolAt(pc);
  ctx.out(`${hex(pc)}${sym ? ` <${sym.display}+${sym.offset}>` : ''}: FDE ${fde.section}+${hex(fde.offset)} pc=${hex(fde.lo)}..${hex(fde.hi)}` +
    `, CIE ${cie.section}+${hex(cie.offset)} version ${cie.version}${cie.augmentation ? ` "${cie.augmentation}"` : ''}` +
    ` cf=${cie.codeAlign} df=${cie.dataAlign} ra=${armRegName(cie.raReg)}${cie.signalFrame ? ' signal-frame' : ''}\n`);
  const regs = [...row.regs.keys()].sort((a, b) => a - b);
  const name = (r: number) => (r === cie.raReg ? 'ra' : armRegName(r));
  ctx.out(`   LOC   CFA      ${regs.map((r) => name(r).padEnd(5)).join(' ')}\n`.trimEnd() + '\n');
  ctx.out(`${row.loc.toString(16).padStart(8, '0')} ${formatCfa(row.cfa).padEnd(8)} ${regs.map((r) => formatRule(row.regs.get(r)).padEnd(5)).join(' ')}`.trimEnd() + '\n');
  const fmt = { addrSize: cie.addrSize, offsetSize: 4 as const };
  if (row.cfa.kind === 'expr') ctx.out(`  CFA = ${formatExpr(decodeExpr(row.cfa.expr, fmt))}\n`);
  for (const r of regs) {
    const rule = row.regs.get(r) as RegRule;
    if (rule.kind === 'expr' || rule.kind === 'val-expr') ctx.out(`  ${name(r)} = ${rule.kind === 'expr' ? '*' : ''}[${formatExpr(decodeExpr(rule.expr, fmt))}] (CFA pushed first)\n`);
  }
  if (row.argsSize) ctx.out(`  args_size ${row.argsSize}\n`);
  return 0;
}
