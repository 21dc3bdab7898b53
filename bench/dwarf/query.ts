// The Tandem side of the DWARF benchmark, bundled by bench/dwarf/run.mjs and started cold:
// read the ELF, resolve `file:line` to breakpoint addresses, and print them. The locals of a
// function are not listed yet: that waits for the info reader's scope API (issue 4, D4).
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { ElfFile } from '../../dwarf/elf';
import { LineTable } from '../../dwarf/lines';

function main(argv: string[]): number {
  const [elfPath, fileLine] = argv;
  const m = fileLine ? /^(.*):(\d+)$/.exec(fileLine) : null;
  if (!elfPath || !m) {
    process.stderr.write('usage: query <elf> <file>:<line>\n');
    return 2;
  }
  const elf = ElfFile.parse(new Uint8Array(readFileSync(elfPath)), elfPath, { inflate: (d) => new Uint8Array(inflateSync(d)) });
  const lines = LineTable.fromElf(elf);
  const bp = lines?.breakpointAddresses(m[1], Number(m[2]));
  if (!bp) {
    process.stderr.write(`${elfPath}: no code for ${fileLine}\n`);
    return 1;
  }
  process.stdout.write(`line ${bp.line} at ${bp.addresses.map((a) => `0x${a.toString(16)}`).join(' ')}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
