#!/usr/bin/env node
// `tandem` command line: run firmware on a built-in or user board without an editor.
// UART console → stdout, semihosting → stderr (as QEMU does); exit status is the
// guest's semihosting exit code. Bad input gets one clear line and a non-zero exit.
import { readFileSync, writeFileSync } from 'node:fs';
import { Machine, BoardError, builtinBoards } from './machine';
import { ElfError } from './elf-loader';
import { DtsError } from '../devicetree';
import { CFSR_NAMES, describeCfsr } from './fault-names';

const USAGE = `usage:
  tandem run --board <name|file.dts> <elf> [--load <elf>]... [--max-insns N] [--trace N] [--stats-json FILE]
  tandem boards
  tandem elf symbols|lines|frame|vars <elf> [args]   (ELF/DWARF queries; run tandem elf for help)
  tandem --help | --version

run options:
  --board B        built-in board name (${'see `tandem boards`'}) or path to a .dts board file
  --load ELF       load another ELF image as well (placed by its program headers)
  --max-insns N    stop after N instructions (exit status 124)
  --trace N        print the first N executed instructions with disassembly to stderr
  --stats-json F   write {"instructions", "cycles"} to F at exit
  --quiet          do not print warnings about unmodelled device registers`;

class UsageError extends Error {}

interface RunArgs { board?: string; elf?: string; loads: string[]; maxInsns: number; trace: number; statsJson?: string; quiet: boolean }

function parseRunArgs(argv: string[]): RunArgs {
  const a: RunArgs = { loads: [], maxInsns: Infinity, trace: 0, quiet: false };
  const num = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new UsageError(`${flag} needs a whole number, got '${v ?? ''}'`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new UsageError(`${s} needs a value`); return argv[++i]; };
    if (s === '--board') a.board = next();
    else if (s.startsWith('--board=')) a.board = s.slice(8);
    else if (s === '--load') a.loads.push(next());
    else if (s === '--max-insns') a.maxInsns = num(s, next());
    else if (s === '--trace') a.trace = num(s, next());
    else if (s === '--stats-json') a.statsJson = next();
    else if (s === '--quiet') a.quiet = true;
    else if (s.startsWith('-')) throw new UsageError(`unknown option ${s}`);
    else if (a.elf === undefined) a.elf = s;
    else throw new UsageError(`unexpected argument '${s}' (one ELF; use --load for more)`);
  }
  if (!a.board) throw new UsageError('--board is required');
  if (!a.elf) throw new UsageError('an ELF file is required');
  return a;
}

function hex(n: number): string { return `0x${(n >>> 0).toString(16).padStart(8, '0')}`; }

function readInput(file: string): Uint8Array {
  try { return readFileSync(file); } catch (e) {
    throw new ElfError(file, 'file', (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`);
  }
}

function run(args: RunArgs): number {
  const out = (fd: 1 | 2, b: Uint8Array) => { if (b.length) writeFileSync(fd, b); };
  const warned = new Set<string>();
  const machine = Machine.fromBoard(args.board!, {
    cmdline: [args.elf!, ...args.loads].join(' '),
    onOutput: (stream, bytes) => {
      if (stream === 'stdout') out(1, bytes);
      else if (stream === 'semihosting') out(2, bytes);
    },
    onWarning: (m) => { if (!args.quiet && !warned.has(m)) { warned.add(m); process.stderr.write(`tandem: warning: ${m}\n`); } },
  });
  for (const f of [args.elf!, ...args.loads]) machine.loadElf(readInput(f), f);
  machine.reset();
  if (machine.a9Cores.length > 0) return runA9(machine, args);
  const core = machine.cores[0];
  const cpu = core.cpu;

  if (args.trace > 0) {
    let left = args.trace;
    cpu.traceHook = (c, def, insn) => {
      const pc = c.pc;
      const size = def.size;
      const hw1 = size === 4 ? insn >>> 16 : insn & 0xffff;
      const hw2 = size === 4 ? insn & 0xffff : 0;
      // The decoded entry disassembles itself, whichever architecture's table it came from.
      const d = { size, text: def.disasm(size === 4 ? insn >>> 0 : insn & 0xffff, pc, c.itstate !== 0 ? c.itstate >> 4 : -1) };
      const enc = d.size === 4 ? `${hw1.toString(16).padStart(4, '0')} ${hw2.toString(16).padStart(4, '0')}` : `${hw1.toString(16).padStart(4, '0')}     `;
      process.stderr.write(`${hex(pc)}: ${enc}  ${d.text}\n`);
      if (--left <= 0) c.traceHook = null;
    };
  }

  let reason;
  let budget = args.maxInsns;
  for (;;) {
    const slice = Math.min(budget, 5_000_000);
    const before = cpu.instret;
    reason = machine.run(slice);
    budget -= cpu.instret - before;
    if (reason === 'limit' && budget > 0) continue;
    break;
  }
  if (args.statsJson) writeFileSync(args.statsJson, JSON.stringify({ instructions: cpu.instret, cycles: machine.clock.now }) + '\n');

  const lastFault = () => {
    const f = cpu.lastFault;
    if (f.count === 0) return '';
    let enc = '';
    try {
      const hw1 = core.bus.read16(f.pc, 8);
      const hw2 = (hw1 & 0xf800) >= 0xe800 ? core.bus.read16(f.pc + 2, 8) : -1;
      enc = hw2 >= 0 ? ` encoding ${hw1.toString(16).padStart(4, '0')} ${hw2.toString(16).padStart(4, '0')}` : ` encoding ${hw1.toString(16).padStart(4, '0')}`;
    } catch { enc = ' (PC not in memory)'; }
    return `last fault: ${describeCfsr(f.cfsr)} at pc ${hex(f.pc)}${enc}${(f.cfsr & (CFSR_NAMES.MMARVALID | CFSR_NAMES.BFARVALID)) ? `, address ${hex(f.address)}` : ''}`;
  };
  switch (reason) {
    case 'exit': return machine.exitCode ?? 0;
    case 'limit':
      process.stderr.write(`tandem: stopped after ${cpu.instret} instructions (--max-insns) at pc ${hex(cpu.pc)}${cpu.lastFault.count ? `; ${lastFault()}` : ''}\n`);
      return 124;
    case 'lockup':
      process.stderr.write(`tandem: core locked up (unrecoverable fault) after ${cpu.instret} instructions; ${lastFault() || 'no fault recorded'}\n`);
      return 1;
    case 'deadlock':
      process.stderr.write(`tandem: core is sleeping (WFI/WFE) with no interrupt source that could wake it, pc ${hex(cpu.pc)}\n`);
      return 1;
    case 'breakpoint':
      process.stderr.write(`tandem: BKPT at pc ${hex(cpu.pc)}\n`);
      return 1;
    default:
      process.stderr.write(`tandem: stopped (${reason}) at pc ${hex(cpu.pc)}\n`);
      return 1;
  }
}

/** The run loop for A-profile boards (sabrelite): all cores together, faults as DFSR/IFSR text. */
function runA9(machine: Machine, args: RunArgs): number {
  if (args.trace > 0) process.stderr.write('tandem: warning: --trace is not available for Cortex-A cores yet; ignored\n');
  let reason;
  let budget = args.maxInsns;
  for (;;) {
    const slice = Math.min(budget, 5_000_000);
    const before = machine.instret;
    reason = machine.run(slice);
    budget -= machine.instret - before;
    if (reason === 'limit' && budget > 0) continue;
    break;
  }
  if (args.statsJson) writeFileSync(args.statsJson, JSON.stringify({ instructions: machine.instret, cycles: machine.clock.now }) + '\n');
  const core = machine.a9Cores[machine.stoppedCore] ?? machine.a9Cores[0];
  const cpu = core.cpu;
  const f = cpu.lastFault;
  const fault = f.count === 0 ? '' : `; last ${f.kind} at pc ${hex(f.pc)}, FSR 0x${f.fsr.toString(16)}, address ${hex(f.address)}`;
  switch (reason) {
    case 'exit': return machine.exitCode ?? 0;
    case 'limit':
      process.stderr.write(`tandem: stopped after ${machine.instret} instructions (--max-insns) at ${core.name} pc ${hex(cpu.pc)}${fault}\n`);
      return 124;
    case 'deadlock':
      process.stderr.write(`tandem: every core is sleeping (WFI/WFE) or held with no interrupt source that could wake it, ${core.name} pc ${hex(cpu.pc)}${fault}\n`);
      return 1;
    case 'breakpoint':
      process.stderr.write(`tandem: BKPT on ${core.name} at pc ${hex(cpu.pc)}\n`);
      return 1;
    default:
      process.stderr.write(`tandem: stopped (${reason}) on ${core.name} at pc ${hex(cpu.pc)}${fault}\n`);
      return 1;
  }
}

export function main(argv: string[]): number {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') { process.stdout.write(USAGE + '\n'); return cmd === undefined ? 2 : 0; }
    if (cmd === '--version') { process.stdout.write('tandem 0.1.0\n'); return 0; }
    if (cmd === 'boards') { process.stdout.write(builtinBoards().join('\n') + '\n'); return 0; }
    if (cmd === 'run') return run(parseRunArgs(rest));
    throw new UsageError(`unknown command '${cmd}'`);
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`tandem: ${e.message}\n${USAGE}\n`); return 2; }
    if (e instanceof ElfError || e instanceof DtsError || e instanceof BoardError) { process.stderr.write(`tandem: ${e.message}\n`); return 2; }
    const err = e as Error;
    process.stderr.write(`tandem: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.TANDEM_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    return 70;
  }
}

// Entry point: cli/tandem.ts (the bin), which also dispatches the elf commands.
