// `tandem elf lines <elf>`: every row of every line program, one per line, in address order:
// `0xADDR file line column` plus ` stmt` where is_stmt is set (the format), and
// ` end_sequence` on the row that closes a sequence (it marks the first address after it).
import type { ElfCommandContext } from '../cli-elf';
import { inflateSync } from 'node:zlib';
import { ElfFile } from '../elf';
import { LineTable, ROW_END_SEQUENCE, ROW_STMT } from '../lines';

export const usage = '<elf>';

export function run(ctx: ElfCommandContext): number {
  const elf = ElfFile.parse(ctx.bytes, ctx.file, { inflate: (d) => new Uint8Array(inflateSync(d)) });
  const table = LineTable.fromElf(elf);
  if (!table) {
    ctx.err(`tandem: ${ctx.file}: no .debug_line section (was it built with -g?)\n`);
    return 1;
  }
  const width = elf.is64 ? 16 : 8;
  table.forEachRowInAddressOrder((p, i) => {
    const s = p.raw();
    const f = s.flags[i];
    ctx.out(`0x${s.address[i].toString(16).padStart(width, '0')} ${p.filePath(s.file[i])} ${s.line[i]} ${s.column[i]}${f & ROW_STMT ? ' stmt' : ''}${f & ROW_END_SEQUENCE ? ' end_sequence' : ''}\n`);
  });
  return 0;
}
