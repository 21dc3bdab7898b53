// `tandem elf vars`: placeholder until the reader provides it (replaced by its owner).
import type { ElfCommandContext } from '../cli-elf';

export const usage = '<elf> <pc>';
export function run(ctx: ElfCommandContext): number {
  ctx.err('tandem: elf vars is not implemented yet\n');
  return 2;
}
