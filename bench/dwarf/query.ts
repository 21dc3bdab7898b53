// The Tandem side of the DWARF benchmark, bundled by bench/dwarf/run.mjs and started cold:
// open the ELF through the DebugInfo facade, resolve `file:line` to breakpoint addresses, then
// list the locals (parameters and variables, with their types) at the entry of one function,
// the work gdb does for `info line` plus `info scope`.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { DebugInfo } from '../../dwarf/index';

function main(argv: string[]): number {
  const [elfPath, fileLine, func] = argv;
  const m = fileLine ? /^(.*):(\d+)$/.exec(fileLine) : null;
  if (!elfPath || !m || !func) {
    process.stderr.write('usage: query <elf> <file>:<line> <function>\n');
    return 2;
  }
  const dbg = DebugInfo.open(new Uint8Array(readFileSync(elfPath)), elfPath, { inflate: (d) => new Uint8Array(inflateSync(d)) });
  const bp = dbg.breakpointAddresses(m[1], Number(m[2]));
  if (!bp) {
    process.stderr.write(`${elfPath}: no code for ${fileLine}\n`);
    return 1;
  }
  process.stdout.write(`line ${bp.line} at ${bp.addresses.map((a) => `0x${a.toString(16)}`).join(' ')}\n`);
  const fn = dbg.functionEntry(func);
  if (!fn) {
    process.stderr.write(`${elfPath}: no function ${func}\n`);
    return 1;
  }
  const locals = dbg.localsAt(fn.lo);
  process.stdout.write(`locals of ${func}: ${locals.map((l) => `${l.name}: ${l.type}`).join(', ')}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
