// A machine built from a board device tree: cores with their address views, memories,
// device models found by `compatible`, interrupt wiring, semihosting and the shared
// virtual clock. This is what the CLI, the GDB stub and the debug adapter drive.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import {
  parseDts, DtsError, DtNode, DtTree, propU32, propCells, propString, propStrings, getProp,
  decodeReg, interruptParent,
} from '../devicetree';
import { AddressSpace, ATTR_PRIV, Memory, PAGE_SIZE } from './bus';
import { Clock } from './clock';
import { CortexM, StopReason } from './cores/armv7m/cpu';
import { ArmV7MSystem } from './cores/armv7m/system';
import { armv7mTable } from './cores/armv7m/isa';
import { findDeviceType } from './devices/registry';
import type { DeviceContext, DeviceModel, DeviceProps, IrqLine } from './devices/device';
import { NO_IRQ } from './devices/device';
import { loadElf, LoadedElf } from './elf-loader';
import { Semihosting } from './semihosting';

export class BoardError extends Error {
  constructor(message: string, readonly file?: string) { super(message); }
}

/** One core: its CPU, system block (NVIC/SCB/...), and its own view of the bus. */
export interface Core {
  readonly id: number;
  readonly name: string;
  readonly node: string;
  readonly cpu: CortexM;
  readonly system: ArmV7MSystem;
  readonly bus: AddressSpace;
}

export interface MachineOptions {
  /** Bytes from a device (UART TX) or semihosting. stream is 'stdout' for the console UART, 'semihosting', or a device name. */
  onOutput?(stream: string, bytes: Uint8Array): void;
  onWarning?(message: string): void;
  /** Command line for semihosting GET_CMDLINE (QEMU gives the kernel path as typed). */
  cmdline?: string;
  stdin?: Uint8Array;
}

const here = typeof __dirname === 'string' ? __dirname : '.';
/** Folders searched for built-in boards (source tree under tsx, or next to dist/). */
function builtinBoardDirs(): string[] {
  return [join(here, 'boards'), join(here, '..', 'emulator', 'boards')].filter((d) => existsSync(d));
}

export function builtinBoards(): string[] {
  const names = new Set<string>();
  for (const d of builtinBoardDirs()) for (const f of readdirSync(d)) if (f.endsWith('.dts')) names.add(f.slice(0, -4));
  return [...names].sort();
}

/** Resolve a board given by name (built-in) or by path to a .dts file. */
export function resolveBoardFile(board: string): string {
  if (board.endsWith('.dts') || board.includes('/') || board.includes('\\')) {
    const p = resolve(board);
    if (!existsSync(p)) throw new BoardError(`board file not found: ${board}`);
    return p;
  }
  for (const d of builtinBoardDirs()) {
    const p = join(d, `${board}.dts`);
    if (existsSync(p)) return p;
  }
  throw new BoardError(`unknown board '${board}'. Built-in boards: ${builtinBoards().join(', ') || '(none found)'}; or give a path to a .dts file`);
}

export function parseBoardFile(file: string): DtTree {
  const text = readFileSync(file, 'utf8');
  const includeDirs = builtinBoardDirs();
  return parseDts(text, file, {
    readFile(path: string, fromFile: string) {
      for (const dir of [dirname(fromFile), ...includeDirs]) {
        const p = resolve(dir, path);
        if (existsSync(p)) return { path: p, text: readFileSync(p, 'utf8') };
      }
      return undefined;
    },
  });
}

function hex(n: number): string { return `0x${(n >>> 0).toString(16).padStart(8, '0')}`; }

export class Machine {
  readonly clock: Clock;
  readonly cores: Core[] = [];
  readonly devices = new Map<string, { model: DeviceModel; base: number; node: DtNode }>();
  readonly memories: Array<{ mem: Memory; base: number; aliases: number[]; node: DtNode }> = [];
  readonly model: string;
  exitCode: number | null = null;
  private readonly semihosting: Semihosting;
  private stdoutDevice: string | undefined;
  private resetRequested = false;

  constructor(readonly tree: DtTree, readonly boardFile: string, private readonly opts: MachineOptions = {}) {
    const root = tree.root;
    this.model = propString(root, 'model') ?? basename(boardFile);
    const cpuNodes = (root.children.find((c) => c.name === 'cpus')?.children ?? []).filter((n) => n.name === 'cpu');
    if (cpuNodes.length === 0) throw this.err(root, 'the board has no /cpus/cpu@N node');
    const hz = propU32(cpuNodes[0], 'clock-frequency') ?? 25_000_000;
    this.clock = new Clock(hz);

    for (const [i, node] of cpuNodes.entries()) this.cores.push(this.buildCore(i, node));

    const chosen = root.children.find((c) => c.name === 'chosen');
    const stdoutPath = chosen ? this.refPath(chosen, 'stdout-path') : undefined;

    // Memories and devices: every node with a compatible outside /cpus and /chosen.
    const visit = (n: DtNode, depth: number) => {
      if (depth > 64) throw this.err(n, 'device tree nested too deeply');
      for (const c of n.children) {
        if (c.deleted || c.name === 'cpus' || c.name === 'chosen' || c.name === 'aliases') continue;
        if (propString(c, 'status') === 'disabled') continue;
        const compat = propStrings(c, 'compatible');
        if (compat !== undefined) this.instantiate(c, compat, stdoutPath);
        visit(c, depth + 1);
      }
    };
    visit(root, 0);
    this.semihosting = new Semihosting({
      write: (b) => this.emit('semihosting', b),
      stdin: opts.stdin,
      cmdline: opts.cmdline ?? '',
      heapInfo: () => this.heapInfo(),
      exit: (code) => { this.exitCode = code; for (const c of this.cores) c.cpu.stop('exit'); },
      warn: (m) => this.warn(m),
    });
    for (const c of this.cores) c.cpu.semihost = (cpu) => this.semihosting.call(cpu);
    this.reset();
  }

  static fromBoard(board: string, opts: MachineOptions = {}): Machine {
    const file = resolveBoardFile(board);
    return new Machine(parseBoardFile(file), file, opts);
  }

  private err(node: DtNode, msg: string): BoardError {
    return new BoardError(`${node.loc.file}:${node.loc.line}:${node.loc.col}: ${node.path}: ${msg}`, node.loc.file);
  }

  private warn(msg: string): void { this.opts.onWarning?.(msg); }

  private emit(stream: string, bytes: Uint8Array): void { this.opts.onOutput?.(stream, bytes); }

  private refPath(node: DtNode, prop: string): string | undefined {
    const p = getProp(node, prop);
    if (!p || p.values.length === 0) return undefined;
    const v = p.values[0];
    if (v.kind === 'ref') {
      const target = this.tree.labels.get(v.ref.replace(/^\{|\}$/g, '')) ;
      return target?.path ?? v.ref.replace(/^\{|\}$/g, '');
    }
    if (v.kind === 'string') return v.value.split(':')[0];
    return undefined;
  }

  private buildCore(id: number, node: DtNode): Core {
    const compat = propStrings(node, 'compatible') ?? [];
    const known = compat.find((c) => /^arm,cortex-m(3|4|4f|7)$/.test(c));
    if (!known) throw this.err(node, `unsupported CPU compatible '${compat.join(', ')}': this build models arm,cortex-m4f and arm,cortex-m4`);
    const bus = new AddressSpace(`${node.name}@${node.unitAddress ?? id}`);
    const cpu = new CortexM(`cpu${id}`, bus, this.clock, armv7mTable);
    const hasFpu = known === 'arm,cortex-m4f';
    const system = new ArmV7MSystem(cpu, {
      numIrqs: propU32(node, 'arm,num-irqs') ?? 32,
      priorityBits: propU32(node, 'arm,num-irq-priority-bits') ?? 3,
      cpuid: propU32(node, 'arm,cpuid') ?? 0x410fc241,
      hasFpu,
      onSystemReset: () => { this.resetRequested = true; cpu.requestHalt(); },
      warn: (m: string) => this.warn(`${cpu.name}: ${m}`),
    });
    cpu.system = system;
    system.mapInto(bus);
    return { id, name: `CPU${id}`, node: node.path, cpu, system, bus };
  }

  private instantiate(node: DtNode, compat: string[], stdoutPath: string | undefined): void {
    if (compat.includes('tandem,ram') || compat.includes('tandem,rom')) { this.addMemory(node, compat.includes('tandem,ram')); return; }
    if (compat.includes('arm,v7m-nvic')) return; // the NVIC is part of each core's system block
    const type = compat.map((c) => findDeviceType(c)).find((t) => t !== undefined);
    if (type === undefined) {
      this.warn(`${node.loc.file}:${node.loc.line}: ${node.path}: no model for compatible '${compat.join("', '")}'; the node is ignored`);
      return;
    }
    const regs = decodeReg(this.tree, node);
    if (regs.length === 0) throw this.err(node, 'device node has no reg property');
    const name = node.unitAddress ? `${node.name}@${node.unitAddress}` : node.name;
    const isStdout = stdoutPath !== undefined && (node.path === stdoutPath || node.labels.some((l) => `&${l}` === stdoutPath));
    if (isStdout) this.stdoutDevice = name;
    const props: DeviceProps = {
      cells: (p) => propCells(node, p, this.tree),
      u32: (p, d) => propU32(node, p) ?? d,
      string: (p) => propString(node, p),
      has: (p) => getProp(node, p) !== undefined,
    };
    const irqs = propCells(node, 'interrupts', this.tree) ?? [];
    const parent = irqs.length ? interruptParent(this.tree, node) : undefined;
    const sources: IrqLine[] = [];
    const bus0 = this.cores[0].bus;
    const ctx: DeviceContext = {
      name,
      clock: this.clock,
      props,
      irq: (i: number): IrqLine => {
        if (i >= irqs.length || parent === undefined) return NO_IRQ;
        const compatP = propStrings(parent, 'compatible') ?? [];
        if (!compatP.includes('arm,v7m-nvic')) {
          this.warn(`${node.path}: interrupt-parent ${parent.path} is not an NVIC; interrupt ${i} is not wired`);
          return NO_IRQ;
        }
        return (sources[i] ??= this.irqSource(node, irqs[i] | 0));
      },
      output: (_stream, bytes) => this.emit(isStdout ? 'stdout' : name, bytes),
      warn: (m) => this.warn(`${name}: ${m}`),
      requestReset: () => { this.resetRequested = true; for (const c of this.cores) c.cpu.requestHalt(); },
      memory: {
        read8: (a) => bus0.read8(a, ATTR_PRIV), read32: (a) => bus0.read32(a, ATTR_PRIV),
        write8: (a, v) => bus0.write8(a, v, ATTR_PRIV), write32: (a, v) => bus0.write32(a, v, ATTR_PRIV),
      },
    };
    const model = type.create(ctx);
    const size = regs[0].size || model.size || PAGE_SIZE;
    for (const core of this.cores) core.bus.mapDevice(regs[0].address, size, model);
    this.devices.set(name, { model, base: regs[0].address, node });
  }

  /**
   * One device's connection to an NVIC input. Several devices may share an input
   * (the an386 UART overrun lines all go to IRQ 12), so each input is a wired-OR of
   * its sources' levels. Input -14 (the CMSIS number of NMI) is the NMI line.
   */
  private irqSource(node: DtNode, n: number): IrqLine {
    const system = this.cores[0].system;
    let gate = this.irqGates.get(n);
    if (gate === undefined) {
      let line: IrqLine;
      if (n === -14) line = system.nmiLine();
      else if (n >= 0 && n < system.numIrqs) line = system.irqLine(n);
      else { this.warn(`${node.path}: interrupt ${n} is outside the NVIC's ${system.numIrqs} inputs; not wired`); return NO_IRQ; }
      gate = { line, high: 0 };
      this.irqGates.set(n, gate);
    }
    const g = gate;
    let level = false;
    return {
      set(l: boolean) {
        if (l === level) return;
        level = l;
        g.high += l ? 1 : -1;
        g.line.set(g.high > 0);
      },
      pulse() { g.line.pulse(); },
    };
  }
  private readonly irqGates = new Map<number, { line: IrqLine; high: number }>();

  private addMemory(node: DtNode, writable: boolean): void {
    const regs = decodeReg(this.tree, node);
    if (regs.length === 0) throw this.err(node, 'memory node has no reg property');
    const { address, size } = regs[0];
    if (size === 0 || size % PAGE_SIZE !== 0 || address % PAGE_SIZE !== 0) throw this.err(node, `memory at ${hex(address)} size 0x${size.toString(16)} must be 4 KiB aligned and a multiple of 4 KiB`);
    const mem = new Memory(node.path, size, writable);
    const aliases = propCells(node, 'tandem,aliases', this.tree) ?? [];
    for (const core of this.cores) {
      core.bus.mapMemory(address, mem);
      for (const a of aliases) core.bus.mapMemory(a, mem);
    }
    this.memories.push({ mem, base: address, aliases, node });
  }

  /** HEAPINFO as QEMU answers it: the RAM marked tandem,semihosting-heap (else the largest RAM). */
  private heapInfo(): [number, number, number, number] {
    const marked = this.memories.find((m) => getProp(m.node, 'tandem,semihosting-heap') !== undefined);
    const m = marked ?? [...this.memories].sort((a, b) => b.mem.size - a.mem.size)[0];
    if (!m) return [0, 0, 0, 0];
    const end = m.base + m.mem.size;
    return [m.base, end, end, m.base];
  }

  /** Name of the device whose output is the console (chosen/stdout-path). */
  get consoleDevice(): string | undefined { return this.stdoutDevice; }

  /** Load an ELF through core `coreIndex`'s view. */
  loadElf(data: Uint8Array, file: string, coreIndex = 0): LoadedElf {
    const core = this.cores[coreIndex];
    if (!core) throw new BoardError(`no core ${coreIndex} on this board`);
    return loadElf(core.bus, data, file);
  }

  /** System reset: devices, then cores (which read their vector tables). */
  reset(): void {
    for (const d of this.devices.values()) d.model.reset?.();
    for (const c of this.cores) c.cpu.reset();
  }

  /**
   * Run until a stop or `maxInsns` instructions. A guest-requested system reset
   * (AIRCR.SYSRESETREQ) resets the machine and continues.
   */
  run(maxInsns: number): StopReason {
    const cpu = this.cores[0].cpu;
    let left = maxInsns;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const before = cpu.instret;
      const r = cpu.run(left);
      left -= cpu.instret - before;
      if (r === 'halt' && this.resetRequested) {
        this.resetRequested = false;
        this.reset();
        if (left > 0) continue;
        return 'limit';
      }
      return r;
    }
    return 'limit';
  }
}

export { DtsError };
