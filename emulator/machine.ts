// A machine built from a board device tree: cores with their address views, memories,
// device models found by `compatible`, interrupt wiring, semihosting and the shared
// virtual clock. This is what the CLI, the GDB stub and the debug adapter drive.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import {
  parseDts, DtsError, DtNode, DtTree, propU32, propCells, propString, propStrings, getProp,
  decodeReg, interruptParent, nodeByPhandle,
} from '../devicetree';
import { AddressSpace, ATTR_DEBUG, ATTR_PRIV, Memory, PAGE_SIZE } from './bus';
import { Clock } from './clock';
import { CortexM, StopReason } from './cores/armv7m/cpu';
import { CortexA9 } from './cores/armv7a/cpu';
import { installSimd } from './cores/armv7a/vfp-a9';
import { ArmV7MSystem } from './cores/armv7m/system';
import { tableFor, MArch } from './cores/armv7m/tables';
import { installSecurity, Sau, type Idau } from './cores/armv7m/security';
import { findDeviceType } from './devices/registry';
import type { CpuControl, DeviceContext, DeviceModel, DeviceProps, IrqLine } from './devices/device';
import { TraceBus } from './trace';
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
  /** The core waits at reset until a system controller releases it (CPUWAIT, SRC). */
  readonly heldAtReset: boolean;
}

/** One Cortex-A9 core (A-profile): its CPU (with CP15, MMU, GIC CPU-interface inputs) and its view of the bus. */
export interface A9Core {
  readonly id: number;
  readonly name: string;
  readonly node: string;
  readonly cpu: CortexA9;
  readonly bus: AddressSpace;
  /** Secondary cores wait until the SRC (or another controller) starts them. */
  readonly heldAtReset: boolean;
}

/** What the machine's run loop needs from any core model; CortexM and CortexA9 both provide it. */
interface RunnableCpu {
  held: boolean;
  readonly sleeping: boolean;
  attention: boolean;
  instret: number;
  pc: number;
  sevHook: (() => void) | null;
  trace: TraceBus | null;
  reset(): void;
  run(maxInsns: number, cycleLimit?: number): StopReason;
  requestHalt(): void;
  signalEvent(): void;
}

/** Any core, as the machine schedules it (index = core id across profiles). */
interface CoreUnit {
  readonly id: number; readonly node: string; readonly cpu: RunnableCpu; readonly bus: AddressSpace; readonly heldAtReset: boolean;
  /** Called when the core gets the clock after another core ran (A9: clear its exclusive monitor). */
  readonly switchIn?: () => void;
}

/** Where one `interrupts` entry goes: an NVIC input of a core, or cells for an interrupt-controller model. */
interface IrqWire { core: number; n: number; ctl?: DeviceModel; cells?: number[] }

/** Instructions each core runs before the next one gets the shared clock (multi-core boards only). */
export const QUANTUM = 1000;

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
  /** M-profile cores (the debugger's view). Empty on an A-profile board; see a9Cores. */
  readonly cores: Core[] = [];
  /** Cortex-A9 cores (A-profile boards such as sabrelite). */
  readonly a9Cores: A9Core[] = [];
  /** Every core in id order, whatever its profile: what run, reset and wiring iterate. */
  private readonly units: CoreUnit[] = [];
  /** ELF images loaded so far, reloaded on a guest-requested system reset as QEMU's rom_reset does. */
  private readonly images: Array<{ data: Uint8Array; file: string; bus: AddressSpace }> = [];
  /** Entry point of the first ELF loaded for an A-profile boot core (QEMU -kernel starts it there). */
  private bootEntry: number | undefined;
  readonly devices = new Map<string, { model: DeviceModel; base: number; node: DtNode }>();
  readonly memories: Array<{ mem: Memory; base: number; aliases: number[]; node: DtNode }> = [];
  readonly model: string;
  exitCode: number | null = null;
  /** Trace events (world switches, faults, reset release, doorbells); free when nobody listens. */
  readonly trace = new TraceBus();
  private readonly semihosting: Semihosting;
  /** NVIC node path → index of the core whose NVIC it is. */
  private readonly nvicCore = new Map<string, number>();
  private readonly deferred: Array<() => void> = [];
  private stdoutDevice: string | undefined;
  private resetRequested = false;

  constructor(readonly tree: DtTree, readonly boardFile: string, private readonly opts: MachineOptions = {}) {
    const root = tree.root;
    this.model = propString(root, 'model') ?? basename(boardFile);
    const cpuNodes = (root.children.find((c) => c.name === 'cpus')?.children ?? []).filter((n) => n.name === 'cpu');
    if (cpuNodes.length === 0) throw this.err(root, 'the board has no /cpus/cpu@N node');
    const hz = propU32(cpuNodes[0], 'clock-frequency') ?? 25_000_000;
    this.clock = new Clock(hz);

    for (const [i, node] of cpuNodes.entries()) {
      const compat = propStrings(node, 'compatible') ?? [];
      if (compat.includes('arm,cortex-a9')) {
        const c = this.buildA9Core(i, node);
        this.a9Cores.push(c);
        // Cores take turns, so another core's stores between this core's LDREX and STREX
        // are only possible across a turn: clearing the local monitor there keeps STREX
        // failing whenever it must (a global monitor, ARM ARM A3.4.2); software retries.
        this.units.push({ ...c, switchIn: () => { c.cpu.exclusiveAddr = -1; } });
      } else {
        if (this.a9Cores.length > 0) throw this.err(node, 'this build cannot mix Cortex-M and Cortex-A cores on one board yet');
        const c = this.buildCore(i, node);
        this.cores.push(c);
        this.units.push(c);
      }
    }
    if (this.a9Cores.length > 0 && this.cores.length > 0) throw this.err(root, 'this build cannot mix Cortex-M and Cortex-A cores on one board yet');
    this.trace.onActiveChange = (on) => { for (const c of this.units) c.cpu.trace = on ? this.trace : null; };
    if (this.units.length > 1) {
      const broadcast = () => { for (const c of this.units) c.cpu.signalEvent(); };
      for (const c of this.units) c.cpu.sevHook = broadcast;
    }

    const chosen = root.children.find((c) => c.name === 'chosen');
    const stdoutPath = chosen ? this.refPath(chosen, 'stdout-path') : undefined;

    // Memories and devices: every node with a compatible outside /cpus and /chosen.
    // Interrupt controllers first, so that devices can take their inputs while being built.
    const order: Array<{ node: DtNode; compat: string[] }> = [];
    const visit = (n: DtNode, depth: number) => {
      if (depth > 64) throw this.err(n, 'device tree nested too deeply');
      for (const c of n.children) {
        if (c.deleted || c.name === 'cpus' || c.name === 'chosen' || c.name === 'aliases') continue;
        if (propString(c, 'status') === 'disabled') continue;
        const compat = propStrings(c, 'compatible');
        if (compat !== undefined) order.push({ node: c, compat });
        visit(c, depth + 1);
      }
    };
    visit(root, 0);
    const isController = (n: DtNode) => getProp(n, 'interrupt-controller') !== undefined;
    for (const { node, compat } of order) if (isController(node)) this.instantiate(node, compat, stdoutPath);
    for (const { node, compat } of order) if (!isController(node)) this.instantiate(node, compat, stdoutPath);
    this.connectInterruptControllers();
    if (getProp(root, 'tandem,unmapped-reads-zero') !== undefined) this.ignoreUnmapped();
    for (const f of this.deferred) f(); // MPCs take charge of memories once every node exists
    for (const d of this.devices.values()) {
      if (d.model.idau === undefined) continue;
      for (const c of this.cores) {
        if (!c.cpu.hasSecurity) throw this.err(d.node, 'this board has an IDAU but its CPU has no Security Extension (needs arm,cortex-m33)');
        c.system.setIdau(d.model.idau as Idau);
      }
    }
    this.semihosting = new Semihosting({
      write: (b) => this.emit('semihosting', b),
      stdin: opts.stdin,
      cmdline: opts.cmdline ?? '',
      heapInfo: () => this.heapInfo(),
      exit: (code) => { this.exitCode = code; for (const c of this.cores) c.cpu.stop('exit'); for (const c of this.a9Cores) c.cpu.stop('exit'); },
      warn: (m) => this.warn(m),
    });
    for (const c of this.cores) c.cpu.semihost = (cpu) => this.semihosting.call(cpu);
    for (const c of this.a9Cores) c.cpu.semihost = (cpu) => this.semihosting.call(cpu);
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
    const known = compat.find((c) => /^arm,cortex-m(3|4|4f|33|33f)$/.test(c));
    if (!known) throw this.err(node, `unsupported CPU compatible '${compat.join(', ')}': this build models arm,cortex-m4(f), arm,cortex-m33 and arm,cortex-a9`);
    const arch: MArch = known.startsWith('arm,cortex-m33') ? 'v8m' : 'v7m';
    const table = tableFor(arch);
    if (table === undefined) throw this.err(node, `${known} (${arch}) is not available in this build yet`);
    const bus = new AddressSpace(`${node.name}@${node.unitAddress ?? id}`);
    const cpu = new CortexM(`cpu${id}`, bus, this.clock, table);
    cpu.coreIndex = id;
    cpu.arch = arch;
    cpu.hasSecurity = arch === 'v8m' && getProp(node, 'arm,no-security-extension') === undefined;
    const hasFpu = known === 'arm,cortex-m4f' || known === 'arm,cortex-m33f';
    const options = {
      numIrqs: propU32(node, 'arm,num-irqs') ?? 32,
      priorityBits: propU32(node, 'arm,num-irq-priority-bits') ?? 3,
      cpuid: propU32(node, 'arm,cpuid') ?? (arch === 'v8m' ? 0x410fd213 : 0x410fc241),
      hasFpu,
      arch,
      hasSecurity: cpu.hasSecurity,
      numSauRegions: propU32(node, 'arm,sau-regions') ?? 8,
      mpuRegions: propU32(node, 'arm,mpu-regions') ?? 8,
      // The vector table the core reads at reset (AN521: INITSVTOR0/1 reset to 0x10000000).
      initialVtorS: propU32(node, 'tandem,initial-vtor') ?? 0,
      onSystemReset: () => { this.resetRequested = true; cpu.requestHalt(); },
      warn: (m: string) => this.warn(`${cpu.name}: ${m}`),
    };
    const system = new ArmV7MSystem(cpu, options as ConstructorParameters<typeof ArmV7MSystem>[1]);
    cpu.system = system;
    system.mapInto(bus);
    if (cpu.hasSecurity) system.setSau(installSecurity(cpu, new Sau(options.numSauRegions)));
    return { id, name: `CPU${id}`, node: node.path, cpu, system, bus, heldAtReset: getProp(node, 'tandem,held-at-reset') !== undefined };
  }

  /** A Cortex-A9 core: MPIDR from its `reg`, CBAR from `arm,periph-base`, secondaries held. */
  private buildA9Core(id: number, node: DtNode): A9Core {
    const bus = new AddressSpace(`${node.name}@${node.unitAddress ?? id}`);
    const reg = propU32(node, 'reg') ?? id;
    const cpu = new CortexA9(`cpu${id}`, bus, this.clock, {
      cpuIndex: reg & 3,
      periphBase: propU32(node, 'arm,periph-base') ?? 0,
      hasSecurity: getProp(node, 'arm,no-security-extension') === undefined,
    });
    cpu.onUnknownEncoding = (m) => this.warn(`${cpu.name}: ${m}`);
    // VFPv3-D32 and NEON, as every i.MX6 Cortex-A9 has (`arm,no-neon` leaves them out).
    if (getProp(node, 'arm,no-neon') === undefined) installSimd(cpu);
    return { id, name: `CPU${id}`, node: node.path, cpu, bus, heldAtReset: getProp(node, 'tandem,held-at-reset') !== undefined };
  }

  /** A device's line into an interrupt-controller model (the GIC), for core `core`'s per-CPU inputs. */
  private controllerInput(node: DtNode, w: IrqWire, core: number): IrqLine {
    const line = w.ctl!.interruptInput!(w.cells!, core);
    if (line === undefined) {
      this.warn(`${node.path}: interrupts entry <${w.cells!.join(' ')}> names no input of its interrupt controller; not wired`);
      return NO_IRQ;
    }
    return line;
  }

  /** The core a node names with `tandem,cpu = <&cpuN>`, or undefined. */
  private namedCore(node: DtNode): number | undefined {
    const ph = propCells(node, 'tandem,cpu', this.tree);
    if (ph === undefined || ph.length === 0) return undefined;
    const cpuNode = nodeByPhandle(this.tree, ph[0]);
    const i = this.units.findIndex((c) => c.node === cpuNode?.path);
    if (i < 0) throw this.err(node, 'tandem,cpu does not point at a /cpus/cpu node');
    return i;
  }

  /**
   * The core an NVIC node belongs to (`tandem,cpu = <&cpuN>`, else core 0), or -1 for a
   * node marked `tandem,all-cpus`: a line split to the same input of every core's NVIC
   * (the SSE-200's "common" and expansion interrupts).
   */
  private coreOfNvic(nvic: DtNode): number {
    const known = this.nvicCore.get(nvic.path);
    if (known !== undefined) return known;
    const idx = getProp(nvic, 'tandem,all-cpus') !== undefined ? -1 : this.namedCore(nvic) ?? 0;
    this.nvicCore.set(nvic.path, idx);
    return idx;
  }

  /**
   * A node's interrupts as (core, input) pairs: `interrupts` + `interrupt-parent`, or
   * `interrupts-extended`. When the parent is an interrupt-controller device model (the
   * GIC), each entry carries that model and its `#interrupt-cells` cells instead.
   */
  private interruptsOf(node: DtNode): Array<IrqWire | undefined> {
    const isNvic = (n: DtNode | undefined) => n !== undefined && (propStrings(n, 'compatible') ?? []).includes('arm,v7m-nvic');
    const irqs0 = propCells(node, 'interrupts', this.tree) ?? [];
    const parent0 = irqs0.length > 0 ? interruptParent(this.tree, node) : undefined;
    const ctlModel = parent0 === undefined ? undefined : [...this.devices.values()].find((d) => d.node === parent0)?.model;
    if (ctlModel?.interruptInput !== undefined) {
      const n = propU32(parent0!, '#interrupt-cells') ?? 1;
      if (n < 1 || irqs0.length % n !== 0) throw this.err(node, `interrupts has ${irqs0.length} cells, not a multiple of ${parent0!.path}'s #interrupt-cells = <${n}>`);
      const out: IrqWire[] = [];
      for (let i = 0; i < irqs0.length; i += n) out.push({ core: 0, n: 0, ctl: ctlModel, cells: irqs0.slice(i, i + n) });
      return out;
    }
    const ext = propCells(node, 'interrupts-extended', this.tree);
    if (ext !== undefined) {
      const out: Array<{ core: number; n: number } | undefined> = [];
      for (let i = 0; i + 1 < ext.length; i += 2) {
        const ctl = nodeByPhandle(this.tree, ext[i]);
        if (!isNvic(ctl)) { this.warn(`${node.path}: interrupts-extended entry ${i / 2} does not point at an NVIC; not wired`); out.push(undefined); continue; }
        out.push({ core: this.coreOfNvic(ctl!), n: ext[i + 1] | 0 });
      }
      return out;
    }
    const irqs = propCells(node, 'interrupts', this.tree) ?? [];
    if (irqs.length === 0) return [];
    const parent = interruptParent(this.tree, node);
    if (!isNvic(parent)) {
      this.warn(`${node.path}: interrupt-parent ${parent?.path ?? '(none)'} is not an NVIC; its interrupts are not wired`);
      return irqs.map(() => undefined);
    }
    const core = this.coreOfNvic(parent!);
    return irqs.map((n) => ({ core, n: n | 0 }));
  }

  private cpuControl(): CpuControl {
    return {
      count: this.units.length,
      setHeld: (i, held) => {
        const c = this.units[i];
        if (c === undefined) return;
        const was = c.cpu.held;
        // A released core starts from its reset vector, read now (INITSVTOR may have changed).
        if (was && !held) c.cpu.reset();
        c.cpu.held = held;
        if (was && !held && this.trace.active) this.trace.emit({ kind: 'reset-release', core: i, pc: c.cpu.pc >>> 0, cycle: this.clock.now });
      },
      setInitialVtor: (i, addr) => { this.cores[i]?.system.setInitialVtor(true, addr >>> 0); },
      resetCore: (i) => { const c = this.units[i]; if (c) { c.cpu.reset(); } },
      powerOn: (i, entry, r0) => {
        const c = this.a9Cores.find((x) => x.id === i);
        if (c === undefined) { this.warn(`core ${i} cannot be started at an address (not a Cortex-A core)`); return; }
        c.cpu.reset();
        c.cpu.thumb = (entry & 1) !== 0;
        c.cpu.pc = entry & ~1;
        c.cpu.curPc = c.cpu.pc;
        c.cpu.r[0] = r0 | 0;
        c.cpu.held = false;
        if (this.trace.active) this.trace.emit({ kind: 'reset-release', core: i, pc: c.cpu.pc >>> 0, cycle: this.clock.now });
      },
    };
  }

  /**
   * Accesses nothing claims read 0 and ignore writes instead of raising a bus error, as on
   * QEMU machines with ignore_memory_transaction_failures (sabrelite). Each 64 KiB block is
   * reported once, so the firmware's use of unmodelled hardware stays visible.
   */
  private ignoreUnmapped(): void {
    const seen = new Set<number>();
    const report = (a: number, what: string, attrs: number) => {
      if ((attrs & ATTR_DEBUG) !== 0 || seen.size >= 256 || seen.has(a >>> 16)) return;
      seen.add(a >>> 16);
      this.warn(`${what} unmapped address ${hex(a)}: nothing is modelled there; reads 0, writes are ignored (as QEMU does on this board)`);
    };
    const dev = {
      name: 'unmapped',
      read: (a: number, _s: number, attrs: number) => { report(a, 'read from', attrs); return 0; },
      write: (a: number, _s: number, _v: number, attrs: number) => { report(a, 'write to', attrs); },
    };
    for (const u of this.units) u.bus.background = dev;
  }

  /** Hand every interrupt controller model the IRQ/FIQ inputs of the Cortex-A cores. */
  private connectInterruptControllers(): void {
    for (const d of this.devices.values()) {
      if (d.model.connectCpu === undefined) continue;
      for (const c of this.a9Cores) {
        const cpu = c.cpu;
        d.model.connectCpu(c.id, { set: (l) => cpu.setIrq(l), pulse: () => { cpu.setIrq(true); cpu.setIrq(false); } },
          { set: (l) => cpu.setFiq(l), pulse: () => { cpu.setFiq(true); cpu.setFiq(false); } });
      }
    }
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
    const wiring = this.interruptsOf(node);
    const sources: IrqLine[] = [];
    const bus0 = this.units[0].bus;
    const ctx: DeviceContext = {
      name,
      clock: this.clock,
      props,
      irq: (i: number): IrqLine => {
        const w = wiring[i];
        if (w === undefined) return NO_IRQ;
        if (w.ctl !== undefined) return (sources[i] ??= this.controllerInput(node, w, 0));
        return (sources[i] ??= this.irqSource(node, w.core, w.n));
      },
      cpuIrq: (i: number, core: number): IrqLine => {
        const w = wiring[i];
        if (w === undefined) return NO_IRQ;
        if (w.ctl !== undefined) return this.controllerInput(node, w, core);
        return core === w.core ? (sources[i] ??= this.irqSource(node, w.core, w.n)) : NO_IRQ;
      },
      output: (_stream, bytes) => this.emit(isStdout ? 'stdout' : name, bytes),
      warn: (m) => this.warn(`${name}: ${m}`),
      requestReset: () => { this.resetRequested = true; for (const c of this.units) c.cpu.requestHalt(); },
      memory: {
        read8: (a) => bus0.read8(a, ATTR_PRIV), read32: (a) => bus0.read32(a, ATTR_PRIV),
        write8: (a, v) => bus0.write8(a, v, ATTR_PRIV), write32: (a, v) => bus0.write32(a, v, ATTR_PRIV),
      },
      cpus: this.cpuControl(),
      get tracing() { return trace.active; },
      trace: (e) => { if (trace.active) trace.emit(e); },
    };
    const trace = this.trace;
    let model: DeviceModel;
    try {
      model = type.create(ctx);
    } catch (e) {
      // A model that rejects its node's properties: report it at the node.
      if (e instanceof BoardError) throw e;
      throw this.err(node, (e as Error).message);
    }
    const size = regs[0].size || model.size || PAGE_SIZE;
    const bases = [regs[0].address, ...(propCells(node, 'tandem,aliases', this.tree) ?? [])];
    const ppcRef = propCells(node, 'tandem,ppc', this.tree);
    const mapAll = () => {
      let gateOwner: DeviceModel | undefined;
      if (ppcRef !== undefined) {
        const ppcNode = nodeByPhandle(this.tree, ppcRef[0]);
        gateOwner = [...this.devices.values()].find((d) => d.node === ppcNode)?.model;
        if (gateOwner?.gate === undefined) throw this.err(node, 'tandem,ppc does not point at a protection controller model');
      }
      // A node with tandem,cpu is private to that core (per-CPU blocks at a shared address).
      const only = this.namedCore(node);
      const cores = only === undefined ? this.units : [this.units[only]];
      for (const base of bases) {
        const mapped = gateOwner ? gateOwner.gate!(ppcRef![1] ?? 0, model, base >>> 0, name) : model;
        for (const core of cores) core.bus.mapDevice(base, size, model.mmioFor?.(core.id, 0) ?? mapped);
      }
      // Further reg entries of a banked model (the GIC CPU interface is its second window).
      for (let r = 1; r < regs.length && model.mmioFor !== undefined; r++) {
        for (const core of cores) {
          const view = model.mmioFor(core.id, r);
          if (view !== undefined) core.bus.mapDevice(regs[r].address, regs[r].size || PAGE_SIZE, view);
        }
      }
    };
    // A PPC may be declared after the devices it gates: map those once every node exists.
    if (ppcRef !== undefined) this.deferred.push(mapAll); else mapAll();
    this.devices.set(name, { model, base: regs[0].address, node });
  }

  /**
   * One device's connection to an NVIC input. Several devices may share an input
   * (the an386 UART overrun lines all go to IRQ 12), so each input is a wired-OR of
   * its sources' levels. Input -14 (the CMSIS number of NMI) is the NMI line.
   */
  private irqSource(node: DtNode, core: number, n: number): IrqLine {
    if (core < 0) {
      const lines = this.cores.map((_, i) => this.irqSource(node, i, n));
      return { set(l: boolean) { for (const x of lines) x.set(l); }, pulse() { for (const x of lines) x.pulse(); } };
    }
    const system = this.cores[core]?.system;
    if (system === undefined) { this.warn(`${node.path}: interrupt ${n} names core ${core}, which has no NVIC; not wired`); return NO_IRQ; }
    const key = core * 65536 + n;
    let gate = this.irqGates.get(key);
    if (gate === undefined) {
      let line: IrqLine;
      if (n === -14) line = system.nmiLine();
      else if (n >= 0 && n < system.numIrqs) line = system.irqLine(n);
      else { this.warn(`${node.path}: interrupt ${n} is outside the NVIC's ${system.numIrqs} inputs; not wired`); return NO_IRQ; }
      gate = { line, high: 0 };
      this.irqGates.set(key, gate);
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
    for (const core of this.units) {
      core.bus.mapMemory(address, mem);
      for (const a of aliases) core.bus.mapMemory(a, mem);
    }
    this.memories.push({ mem, base: address, aliases, node });
    const mpcRef = propCells(node, 'tandem,mpc', this.tree);
    if (mpcRef !== undefined) {
      this.deferred.push(() => {
        const mpcNode = nodeByPhandle(this.tree, mpcRef[0]);
        const mpc = [...this.devices.values()].find((d) => d.node === mpcNode)?.model;
        if (mpc?.attachMemory === undefined) throw this.err(node, 'tandem,mpc does not point at a memory protection controller model');
        mpc.attachMemory({ mem, base: address, aliases, spaces: this.units.map((c) => c.bus) });
      });
    }
  }

  /** HEAPINFO as QEMU answers it: the RAM marked tandem,semihosting-heap (else the largest RAM). */
  private heapInfo(): [number, number, number, number] {
    const marked = this.memories.find((m) => getProp(m.node, 'tandem,semihosting-heap') !== undefined);
    const m = marked ?? [...this.memories].sort((a, b) => b.mem.size - a.mem.size)[0];
    if (!m) return [0, 0, 0, 0];
    const end = m.base + m.mem.size;
    // QEMU's A-profile answer (common_semi_rambase = the boot RAM): the heap is the upper half.
    if (this.a9Cores.length > 0) return [m.base + m.mem.size / 2, end, end, m.base];
    return [m.base, end, end, m.base];
  }

  /** Name of the device whose output is the console (chosen/stdout-path). */
  get consoleDevice(): string | undefined { return this.stdoutDevice; }

  /** Load an ELF through core `coreIndex`'s view. */
  loadElf(data: Uint8Array, file: string, coreIndex = 0): LoadedElf {
    const core = this.units[coreIndex];
    if (!core) throw new BoardError(`no core ${coreIndex} on this board`);
    const elf = loadElf(core.bus, data, file);
    this.images.push({ data, file, bus: core.bus });
    // An A-profile core has no vector table to boot from: like QEMU's -kernel with a bare
    // ELF, the first image's entry point is where the boot core starts after reset.
    if (this.a9Cores.length > 0 && this.bootEntry === undefined) this.bootEntry = elf.entry >>> 0;
    return elf;
  }

  /** System reset: devices, then cores (which read their vector tables, or start at the boot ELF's entry). */
  reset(): void {
    for (const d of this.devices.values()) d.model.reset?.();
    for (const c of this.units) { c.cpu.reset(); c.cpu.held = c.heldAtReset; }
    const boot = this.a9Cores.find((c) => !c.heldAtReset);
    if (boot !== undefined && this.bootEntry !== undefined) {
      boot.cpu.thumb = (this.bootEntry & 1) !== 0;
      boot.cpu.pc = this.bootEntry & ~1;
      boot.cpu.curPc = boot.cpu.pc;
    }
  }

  /** Instructions retired by all cores. */
  get instret(): number { let n = 0; for (const c of this.units) n += c.cpu.instret; return n; }

  /**
   * Run until a stop or until `maxInsns` instructions have retired on all cores together.
   * One core runs straight through; several take turns of QUANTUM cycles, always in
   * core order, so a run is deterministic. A guest-requested system
   * reset (AIRCR.SYSRESETREQ) resets the machine and continues.
   */
  run(maxInsns: number): StopReason {
    let left = maxInsns;
    for (let guard = 0; guard < 1_000_000_000 && left > 0; guard++) {
      const before = this.instret;
      const r = this.units.length === 1 ? this.runSingle(left) : this.runWindow(left);
      left -= this.instret - before;
      if (r === 'halt' && this.resetRequested) {
        this.resetRequested = false;
        // QEMU copies the loaded images into memory again on a system reset, so .data
        // starts over; only the A-profile path depends on it so far (a watchdog reset).
        if (this.a9Cores.length > 0) for (const im of this.images) loadElf(im.bus, im.data, im.file);
        this.reset();
        continue;
      }
      if (r !== 'limit') return r;
    }
    return 'limit';
  }

  /** The core that stopped the machine last (the one a debugger should show). */
  stoppedCore = 0;
  /** The core that had the clock last (multi-core turns). */
  private lastRan = -1;

  private runSingle(n: number): StopReason {
    const cpu = this.units[0].cpu;
    if (cpu.held) return 'deadlock';
    return cpu.run(n);
  }

  /**
   * One round: each runnable core in turn executes up to QUANTUM cycles. The clock is
   * monotonic (devices compute lazily from it): time advances by every instruction any
   * core retires, as QEMU's round-robin TCG does under icount. A sleeping core lets
   * its share of time pass.
   */
  private runWindow(left: number): StopReason {
    let anyRan = false;
    for (const c of this.units) {
      if (c.cpu.held) continue;
      anyRan = true;
      if (this.lastRan !== c.id) { c.switchIn?.(); this.lastRan = c.id; }
      const end = this.clock.now + Math.min(QUANTUM, left);
      const r = c.cpu.run(Infinity, end);
      if (r !== 'limit' && r !== 'deadlock') { this.stoppedCore = c.id; return r; }
    }
    // Asleep with nothing that might wake it: another core may just have pended an
    // interrupt or sent an event, which sets attention. (system.wakeupPending would
    // answer too, but it consumes the WFE event register.)
    const idle = this.units.every((c) => c.cpu.held || (c.cpu.sleeping && !c.cpu.attention));
    if ((!anyRan || idle) && this.clock.nextDeadline() === Infinity) return 'deadlock';
    return 'limit';
  }
}

export { DtsError };
