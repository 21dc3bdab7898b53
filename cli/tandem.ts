#!/usr/bin/env node
// The `tandem` command: dispatches to the emulator's runner and the ELF/DWARF tools.
// It sits above both layers so that emulator/ and dwarf/ never import each other.
import { main as emulatorMain } from '../emulator/cli';
import { elfMain } from '../dwarf/cli-elf';

export function main(argv: string[]): number {
  if (argv[0] === 'elf') return elfMain(argv.slice(1));
  return emulatorMain(argv);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
