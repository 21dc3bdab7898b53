// `tandem elf <command> <elf> [args]`: the ELF/DWARF reader's answers as text, for
// users and for the differential tests. Each command lives in dwarf/cli/<command>.ts.
import { readFileSync } from 'node:fs';
import * as symbols from './cli/symbols';
import * as lines from './cli/lines';
import * as frame from './cli/frame';
import * as vars from './cli/vars';

/** What a command gets: the file's bytes and name, its extra arguments, and output sinks. */
export interface ElfCommandContext {
  file: string;
  bytes: Uint8Array;
  args: string[];
  out(text: string): void;
  err(text: string): void;
}
export interface ElfCommand { readonly usage: string; run(ctx: ElfCommandContext): number }

const commands: Record<string, ElfCommand> = { symbols, lines, frame, vars };

const usage = () => `usage:\n${Object.entries(commands).map(([n, c]) => `  tandem elf ${n} ${c.usage}`).join('\n')}\n`;

export function elfMain(argv: string[]): number {
  const [name, file, ...args] = argv;
  const cmd = name === undefined ? undefined : commands[name];
  if (cmd === undefined || file === undefined) {
    process.stderr.write(`${name && !cmd ? `tandem: unknown elf command '${name}'\n` : ''}${usage()}`);
    return 2;
  }
  let bytes: Uint8Array;
  try { bytes = new Uint8Array(readFileSync(file)); } catch (e) {
    process.stderr.write(`tandem: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  const chunks: string[] = [];
  const flush = () => { if (chunks.length) { process.stdout.write(chunks.join('')); chunks.length = 0; } };
  try {
    return cmd.run({
      file, bytes, args,
      out: (t) => { chunks.push(t); if (chunks.length > 4096) flush(); },
      err: (t) => process.stderr.write(t),
    });
  } catch (e) {
    process.stderr.write(`tandem: ${file}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    flush();
  }
}
