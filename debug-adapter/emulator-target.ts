// EmulatorTarget: the Target seam over the in-process Machine. It runs the machine in
// slices and yields to the event loop between them, so the adapter answers while the guest
// runs; every stop is all-stop (one virtual instant for all cores).
import { Machine, type MachineOptions, type Core } from '../emulator/machine';
import { AddressSpace, ATTR_DEBUG, ATTR_PRIV, ATTR_SECURE, BusError, PAGE_MASK, PAGE_SIZE } from '../emulator/bus';
import type { TraceEvent } from '../emulator/trace';
import { faultCauseNames } from '../emulator/cores/armv7m/system';
import { isThumb32 } from '../emulator/cores/armv7m/insn';
import { Sau } from '../emulator/cores/armv7m/security';
import {
  TargetError, type BreakpointSpec, type CoreId, type CoreInfo, type DecodedInstruction, type ExceptionFilter, type FaultHit, type FaultStatus,
  type MemoryRead, type QualifiedAddress, type RegisterInfo, type StopReason, type StoppedEvent, type Target,
  type TargetEvents, type WatchHit, type WatchpointSpec, type World, type Attribution, type SauRegion, type SecurityInfo,
} from './target';

/** Instructions per slice between yields: ~1-10 ms of guest time, so halt() answers well inside 50 ms. */
export const SLICE_INSNS = 100_000;
/** Largest single debugger memory read or write, so a bad request cannot stall the adapter. */
const MAX_ACCESS = 16 << 20;

const EXC_NAMES: Record<number, string> = {
  0: 'Thread', 1: 'Reset', 2: 'NMI', 3: 'HardFault', 4: 'MemManage', 5: 'BusFault', 6: 'UsageFault', 7: 'SecureFault',
  11: 'SVCall', 12: 'DebugMonitor', 14: 'PendSV', 15: 'SysTick',
};
export function exceptionName(n: number): string { return EXC_NAMES[n] ?? (n >= 16 ? `IRQ${n - 16}` : `exception ${n}`); }

/** SCB fault status registers (ARM ARM B3.2.15-B3.2.18; ARMv8-M SFSR/SFAR at 0xE000EDE4/8). */
const CFSR = 0xe000ed28, HFSR = 0xe000ed2c, MMFAR = 0xe000ed34, BFAR = 0xe000ed38, SFSR = 0xe000ede4, SFAR = 0xe000ede8;

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

interface Bp { id: number; address: number; core?: CoreId; world?: World }
interface Wp { id: number; address: number; end: number; read: boolean; write: boolean; core?: CoreId; world?: World }

type Listeners = { [K in keyof TargetEvents]: Set<TargetEvents[K]> };

export interface EmulatorTargetOptions {
  onWarning?(message: string): void;
  cmdline?: string;
  stdin?: Uint8Array;
}

export class EmulatorTarget implements Target {
  readonly machine: Machine;
  readonly description: string;
  private runState: 'running' | 'halted' | 'exited' = 'halted';
  private readonly listeners: Listeners = { stopped: new Set(), output: new Set(), trace: new Set(), exited: new Set() };
  private readonly decoders = new Map<string, TextDecoder>();
  private nextId = 1;
  private readonly bps = new Map<number, Bp>();
  private readonly wps = new Map<number, Wp>();
  private filters = new Set<ExceptionFilter>();
  /** Why the current run stopped, recorded by hooks before the machine returns. */
  private pendingWatch: WatchHit & { core: CoreId } | null = null;
  private pendingTrace: { reason: StopReason; e: TraceEvent; core: CoreId } | null = null;
  private haltWanted = false;
  private haltWaiters: Array<() => void> = [];
  private unsubscribeTrace: () => void;
  private disposed = false;
  /** Watch wrappers installed per core bus (own properties shadowing AddressSpace methods). */
  private readonly watchedBuses = new Set<number>();
  private watchDepth = 0;

  constructor(board: string, opts: EmulatorTargetOptions = {}) {
    const mopts: MachineOptions = {
      onOutput: (stream, bytes) => this.output(stream, bytes),
      onWarning: opts.onWarning,
      cmdline: opts.cmdline,
      stdin: opts.stdin,
    };
    this.machine = Machine.fromBoard(board, mopts);
    if (this.machine.cores.length === 0) {
      throw new TargetError(`${this.machine.model}: the debugger does not drive Cortex-A cores yet; run this board with \`tandem run --board ${board} <elf>\``);
    }
    this.description = `${this.machine.model} (built-in emulator)`;
    for (const c of this.machine.cores) {
      c.cpu.debuggerAttached = true;
      c.cpu.breakpointFilter = (cpu, pc) => this.breakpointMatches(c.id, cpu.secure, pc);
    }
    this.unsubscribeTrace = this.machine.trace.subscribe((e) => this.onTrace(e));
  }

  get state(): 'running' | 'halted' | 'exited' { return this.runState; }

  on<K extends keyof TargetEvents>(event: K, listener: TargetEvents[K]): () => void {
    const set = this.listeners[event] as Set<TargetEvents[K]>;
    set.add(listener);
    return () => { set.delete(listener); };
  }

  private emitStopped(e: StoppedEvent): void { for (const l of this.listeners.stopped) l(e); }

  private output(stream: string, bytes: Uint8Array): void {
    let d = this.decoders.get(stream);
    if (d === undefined) { d = new TextDecoder('utf-8'); this.decoders.set(stream, d); }
    const text = d.decode(bytes, { stream: true });
    if (text !== '') for (const l of this.listeners.output) l(stream, text);
  }

  // ------------------------------------------------------------------ cores

  private core(id: CoreId | undefined): Core {
    const c = this.machine.cores[id ?? 0];
    if (c === undefined) throw new TargetError(`no core ${id} on ${this.machine.model} (cores 0-${this.machine.cores.length - 1})`);
    return c;
  }

  private info(c: Core): CoreInfo {
    const cpu = c.cpu;
    const state = this.runState === 'exited' ? 'exited' : cpu.held ? 'held' : this.runState === 'running' ? 'running' : 'halted';
    return {
      id: c.id, name: c.name, profile: cpu.arch, node: c.node, hasSecurity: cpu.hasSecurity, hasFpu: c.system.hasFpu,
      state, sleeping: cpu.sleeping, mode: cpu.ipsr === 0 ? 'Thread' : 'Handler', exception: cpu.ipsr,
      exceptionName: exceptionName(cpu.ipsr), world: cpu.secure ? 'secure' : 'non-secure', privileged: cpu.isPrivileged(),
      pc: cpu.pc >>> 0,
    };
  }

  async cores(): Promise<readonly CoreInfo[]> { return this.machine.cores.map((c) => this.info(c)); }

  // ------------------------------------------------------------------ execution

  async run(): Promise<void> {
    if (this.runState === 'exited') throw new TargetError('the program has exited; restart to run it again');
    if (this.runState === 'running') return;
    // Continue steps over a breakpoint at the current pc (as after a stop there), running that
    // instruction before any pending exception as gdb's stub does, so the stop cannot repeat.
    for (const c of this.machine.cores) this.armStepOff(c);
    this.runState = 'running';
    this.haltWanted = false;
    setImmediate(() => this.slice());
  }

  /** Sets up the next run of a core stopped at a breakpoint to execute the breakpointed instruction first. */
  private armStepOff(c: Core): boolean {
    const at = c.cpu.breakpoints?.has(c.cpu.pc) === true;
    c.cpu.setResumeOverBreakpoint(at);
    c.cpu.holdExceptionsForOneInstruction = at;
    return at;
  }

  /** One slice of guest execution; reschedules itself until something stops the machine. */
  private slice(): void {
    if (this.runState !== 'running' || this.disposed) return;
    if (this.haltWanted) { this.stopWith(this.stopped(this.machine.stoppedCore, 'pause', 'Paused')); return; }
    let r: ReturnType<Machine['run']>;
    try {
      r = this.machine.run(SLICE_INSNS);
    } catch (e) {
      // An emulator bug must not take the adapter down: report it as a stop.
      this.stopWith(this.stopped(this.machine.stoppedCore, 'pause', `emulator error: ${(e as Error).message}`));
      return;
    }
    if (r === 'limit') { setImmediate(() => this.slice()); return; }
    if (r === 'exit') {
      this.runState = 'exited';
      for (const l of this.listeners.exited) l(this.machine.exitCode);
      this.releaseHaltWaiters();
      return;
    }
    const core = this.machine.cores.length > 1 ? this.machine.stoppedCore : 0;
    this.stopWith(this.classify(r, core));
  }

  private stopWith(e: StoppedEvent): void {
    this.runState = 'halted';
    this.emitStopped(e);
    this.releaseHaltWaiters();
  }

  private releaseHaltWaiters(): void {
    const w = this.haltWaiters;
    this.haltWaiters = [];
    for (const f of w) f();
  }

  private stopped(core: CoreId, reason: StopReason, description: string, extra: Partial<StoppedEvent> = {}): StoppedEvent {
    return { core, reason, description, ...extra };
  }

  /** Turn a machine stop (and what the hooks recorded) into a stopped event. */
  private classify(r: string, core: CoreId): StoppedEvent {
    const watch = this.pendingWatch, tr = this.pendingTrace;
    this.pendingWatch = null;
    this.pendingTrace = null;
    if (watch !== null) {
      const { core: wc, ...hit } = watch;
      return this.stopped(wc, 'data breakpoint', `${hit.access} of ${hit.size} byte(s) at ${hex(hit.address)} = ${hex(hit.value)}`, { watch: hit });
    }
    if (tr !== null) return this.traceStop(tr.reason, tr.e, tr.core);
    const cpu = this.core(core).cpu;
    switch (r) {
      case 'breakpoint': {
        const ids = this.breakpointsAt(core, cpu.secure, cpu.pc);
        if (ids.length > 0) return this.stopped(core, 'breakpoint', 'Breakpoint', { hitBreakpoints: ids });
        return this.stopped(core, 'breakpoint', `BKPT instruction at ${hex(cpu.pc)}`);
      }
      case 'lockup': {
        const status = this.faultStatusOf(core);
        const fault: FaultHit = { exception: 0, name: 'Lockup', cause: status.summary, pc: cpu.pc >>> 0, status };
        return this.stopped(core, 'exception', `Lockup: ${status.summary}`, { fault });
      }
      case 'deadlock': return this.stopped(core, 'deadlock', 'every core sleeps (WFI/WFE) with nothing that could wake it');
      default: return this.stopped(core, 'pause', 'Paused');
    }
  }

  private traceStop(reason: StopReason, e: TraceEvent, core: CoreId): StoppedEvent {
    if (e.kind === 'fault') {
      const status = this.faultStatusOf(e.core);
      const cause = `${e.name}${e.cause ? ` (${e.cause})` : ''}`;
      const fault: FaultHit = { exception: e.exception, name: e.name, cause, pc: e.pc, ...(e.address !== undefined ? { address: e.address } : {}), status };
      return this.stopped(e.core, 'exception', cause + (e.address !== undefined ? ` at ${hex(e.address)}` : ''), { fault, trace: e });
    }
    if (e.kind === 'world-switch') return this.stopped(e.core, reason, `${e.from} → ${e.to} (${e.how})`, { trace: e });
    if (e.kind === 'reset-release') return this.stopped(e.core, reason, `${this.core(e.core).name} released from reset`, { trace: e });
    return this.stopped(core, reason, e.kind, { trace: e });
  }

  async halt(): Promise<void> {
    if (this.runState !== 'running') return;
    this.haltWanted = true;
    await new Promise<void>((res) => this.haltWaiters.push(res));
  }

  private assertHalted(what: string): void {
    if (this.runState === 'running') throw new TargetError(`cannot ${what} while the target runs; pause first`);
  }

  async step(coreId: CoreId): Promise<StoppedEvent> {
    this.assertHalted('step');
    if (this.runState === 'exited') throw new TargetError('the program has exited');
    const c = this.core(coreId);
    if (c.cpu.held) throw new TargetError(`${c.name} is held in reset; it cannot step until released`);
    const e = this.stepOne(c);
    this.emitStopped(e);
    return e;
  }

  /** Execute one instruction (or exception entry plus the handler's first instruction) on one core. */
  private stepOne(c: Core): StoppedEvent {
    const cpu = c.cpu;
    if (!this.armStepOff(c)) cpu.setResumeOverBreakpoint(true);
    const ipsr0 = cpu.ipsr;
    let r: string;
    try { r = cpu.run(1); } catch (e) { return this.stopped(c.id, 'pause', `emulator error: ${(e as Error).message}`); }
    cpu.setResumeOverBreakpoint(false);
    cpu.holdExceptionsForOneInstruction = false;
    if (r === 'exit') {
      this.runState = 'exited';
      for (const l of this.listeners.exited) l(this.machine.exitCode);
      return this.stopped(c.id, 'pause', 'exited');
    }
    if (r === 'limit' || r === 'halt' || r === 'breakpoint') {
      if (this.pendingWatch !== null || this.pendingTrace !== null) return this.classify(r, c.id);
      if (r === 'breakpoint') return this.classify(r, c.id);
      // The step ended by exception entry (or return) at a breakpoint: that is a hit, or
      // a stepper resuming from here would run past a breakpoint at a handler's entry.
      if (cpu.ipsr !== ipsr0) {
        const ids = this.breakpointsAt(c.id, cpu.secure, cpu.pc);
        if (ids.length > 0) return this.stopped(c.id, 'breakpoint', 'Breakpoint', { hitBreakpoints: ids });
      }
      return this.stopped(c.id, 'step', 'Step');
    }
    return this.classify(r, c.id);
  }

  async stepRange(coreId: CoreId, start: number, end: number, maxInsns = 1_000_000): Promise<StoppedEvent> {
    this.assertHalted('step');
    if (this.runState === 'exited') throw new TargetError('the program has exited');
    const c = this.core(coreId);
    if (c.cpu.held) throw new TargetError(`${c.name} is held in reset; it cannot step until released`);
    const lo = start >>> 0, hi = end >>> 0;
    let e: StoppedEvent = this.stopped(c.id, 'step', 'Step');
    for (let i = 0; i < maxInsns; i++) {
      e = this.stepOne(c);
      if (e.reason !== 'step' || this.state === 'exited') break;
      const pc = c.cpu.pc >>> 0;
      if (pc < lo || pc >= hi) break;
      const ids = this.breakpointsAt(c.id, c.cpu.secure, pc);
      if (ids.length > 0) { e = this.stopped(c.id, 'breakpoint', 'Breakpoint', { hitBreakpoints: ids }); break; }
      // Yield now and then so a long range (a busy loop) does not block the adapter.
      if ((i & 0x3fff) === 0x3fff) await new Promise((res) => setImmediate(res));
    }
    this.emitStopped(e);
    return e;
  }

  async reset(): Promise<void> {
    if (this.runState === 'running') await this.halt();
    this.machine.exitCode = null;
    this.machine.reset();
    this.pendingWatch = null;
    this.pendingTrace = null;
    this.runState = 'halted';
    this.emitStopped(this.stopped(0, 'entry', 'Reset'));
  }

  async loadImage(coreId: CoreId, data: Uint8Array, file: string): Promise<{ entry: number }> {
    this.assertHalted('load an image');
    this.core(coreId);
    const elf = this.machine.loadElf(data, file, coreId);
    return { entry: elf.entry >>> 0 };
  }

  // ------------------------------------------------------------------ registers

  private regAccess(c: Core, name: string): { get(): number; set?(v: number): void; group: RegisterInfo['group'] } {
    const cpu = c.cpu;
    const n = name.toLowerCase().trim();
    const m = /^r([0-9]|1[0-2])$/.exec(n);
    if (m !== null) { const i = Number(m[1]); return { group: 'core', get: () => cpu.r[i] >>> 0, set: (v) => { cpu.r[i] = v | 0; } }; }
    const fp = /^s([0-9]|[12][0-9]|3[01])$/.exec(n);
    if (fp !== null && c.system.hasFpu) { const i = Number(fp[1]); return { group: 'fp', get: () => cpu.sBits[i], set: (v) => { cpu.sBits[i] = v >>> 0; } }; }
    switch (n) {
      case 'sp': case 'r13': return { group: 'core', get: () => cpu.r[13] >>> 0, set: (v) => { cpu.r[13] = v & ~3; } };
      case 'lr': case 'r14': return { group: 'core', get: () => cpu.r[14] >>> 0, set: (v) => { cpu.r[14] = v | 0; } };
      case 'pc': case 'r15': return { group: 'core', get: () => cpu.pc >>> 0, set: (v) => { cpu.pc = v & ~1; cpu.curPc = cpu.pc; } };
      case 'xpsr': return { group: 'core', get: () => cpu.getXpsr(), set: (v) => { cpu.setXpsr(v); } };
      case 'apsr': return { group: 'special', get: () => cpu.getApsr() };
      case 'ipsr': return { group: 'special', get: () => cpu.ipsr >>> 0 };
      case 'epsr': return { group: 'special', get: () => cpu.getEpsr() };
      case 'fpscr': if (c.system.hasFpu) return { group: 'fp', get: () => cpu.fpscr >>> 0, set: (v) => { cpu.fpscr = v | 0; } }; break;
      default: break;
    }
    const b = /^(msp|psp|msplim|psplim|control|primask|basepri|faultmask)(?:_(s|ns))?$/.exec(n);
    if (b !== null) return this.bankedAccess(c, b[1], b[2] as 's' | 'ns' | undefined, name);
    const vt = /^vtor(?:_(s|ns))?$/.exec(n);
    if (vt !== null) return this.vtorAccess(c, vt[1] as 's' | 'ns' | undefined, name);
    throw new TargetError(`${c.name} has no register '${name}'${/^(s\d+|fpscr)$/.test(n) ? ' (this core has no FPU)' : ''}`);
  }

  /** A special register of the current state, or of the given security state's bank (ARMv8-M B3.x). */
  private bankedAccess(c: Core, reg: string, bank: 's' | 'ns' | undefined, asked: string): { get(): number; set?(v: number): void; group: RegisterInfo['group'] } {
    const cpu = c.cpu;
    const v8only = reg === 'msplim' || reg === 'psplim';
    if (v8only && cpu.arch !== 'v8m') throw new TargetError(`${c.name} (ARMv7-M) has no register '${asked}'`);
    if (bank !== undefined && !cpu.hasSecurity) throw new TargetError(`${c.name} has no Security Extension, so no banked '${asked}'; use '${reg}'`);
    const current = bank === undefined || (bank === 's') === cpu.secure;
    const group: RegisterInfo['group'] = bank === undefined ? 'special' : 'banked';
    if (current) {
      switch (reg) {
        case 'msp': return { group, get: () => cpu.getMsp() >>> 0, set: (v) => cpu.setMsp(v & ~3) };
        case 'psp': return { group, get: () => cpu.getPsp() >>> 0, set: (v) => cpu.setPsp(v & ~3) };
        case 'msplim': return { group, get: () => cpu.msplim >>> 0, set: (v) => { cpu.msplim = v & ~7; } };
        case 'psplim': return { group, get: () => cpu.psplim >>> 0, set: (v) => { cpu.psplim = v & ~7; } };
        // SFPA (bit 3) is visible to Secure only, as MRS reads it (DDI0553 B3.x CONTROL).
        case 'control': return { group, get: () => (cpu.control & (cpu.secure ? 0xf : 7)) >>> 0, set: (v) => { cpu.switchStack(cpu.ipsr, cpu.ipsr === 0 ? v & 0xf : (v & 0xd) | (cpu.control & 2)); } };
        case 'primask': return { group, get: () => cpu.primask, set: (v) => { cpu.primask = v & 1; cpu.attention = true; } };
        case 'basepri': return { group, get: () => cpu.basepri, set: (v) => { cpu.basepri = v & 0xff; cpu.attention = true; } };
        default: return { group, get: () => cpu.faultmask, set: (v) => { cpu.faultmask = v & 1; cpu.attention = true; } };
      }
    }
    const o = cpu.other;
    switch (reg) {
      case 'msp': return { group, get: () => o.msp >>> 0, set: (v) => { o.msp = v & ~3; } };
      case 'psp': return { group, get: () => o.psp >>> 0, set: (v) => { o.psp = v & ~3; } };
      case 'msplim': return { group, get: () => o.msplim >>> 0, set: (v) => { o.msplim = v & ~7; } };
      case 'psplim': return { group, get: () => o.psplim >>> 0, set: (v) => { o.psplim = v & ~7; } };
      // FPCA and SFPA are not banked: they stay with the core (see CortexM.setSecurityState).
      case 'control': return { group, get: () => ((o.control & 3) | (cpu.control & (bank === 's' ? 0xc : 4))) >>> 0, set: (v) => { o.control = v & 3; } };
      case 'primask': return { group, get: () => o.primask, set: (v) => { o.primask = v & 1; cpu.attention = true; } };
      case 'basepri': return { group, get: () => o.basepri, set: (v) => { o.basepri = v & 0xff; cpu.attention = true; } };
      default: return { group, get: () => o.faultmask, set: (v) => { o.faultmask = v & 1; cpu.attention = true; } };
    }
  }

  /** The SCB VTOR of the current state or of one bank (ARMv8-M D1.2 VTOR_S/VTOR_NS; TBLOFF is bits 31:7). */
  private vtorAccess(c: Core, bank: 's' | 'ns' | undefined, asked: string): { get(): number; set?(v: number): void; group: RegisterInfo['group'] } {
    if (bank !== undefined && !c.cpu.hasSecurity) throw new TargetError(`${c.name} has no Security Extension, so no banked '${asked}'; use 'vtor'`);
    const scb = () => c.system.bank(bank === undefined ? c.cpu.secure : bank === 's');
    return { group: bank === undefined ? 'special' : 'banked', get: () => scb().vtor >>> 0, set: (v) => { scb().vtor = (v & 0xffffff80) >>> 0; } };
  }

  async readRegister(core: CoreId, name: string): Promise<number> {
    return this.regAccess(this.core(core), name).get();
  }

  async writeRegister(core: CoreId, name: string, value: number): Promise<void> {
    this.assertHalted('write a register');
    const c = this.core(core);
    if (!Number.isFinite(value)) throw new TargetError(`value for ${name} is not a number`);
    const a = this.regAccess(c, name);
    if (a.set === undefined) throw new TargetError(`${c.name}: register '${name}' is read-only; write xpsr instead`);
    a.set(value >>> 0);
  }

  async readRegisters(core: CoreId): Promise<readonly RegisterInfo[]> {
    const c = this.core(core);
    const names = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc', 'xpsr',
      'msp', 'psp', 'control', 'primask', 'basepri', 'faultmask', 'vtor'];
    if (c.cpu.arch === 'v8m') names.push('msplim', 'psplim');
    if (c.cpu.hasSecurity) {
      for (const b of ['s', 'ns']) for (const r of ['msp', 'psp', 'msplim', 'psplim', 'control', 'primask', 'basepri', 'faultmask', 'vtor']) names.push(`${r}_${b}`);
    }
    if (c.system.hasFpu) { for (let i = 0; i < 32; i++) names.push(`s${i}`); names.push('fpscr'); }
    return names.map((name) => { const a = this.regAccess(c, name); return { name, group: a.group, value: a.get() >>> 0 }; });
  }

  // ------------------------------------------------------------------ memory

  private view(at: QualifiedAddress): { c: Core; attrs: number } {
    const c = this.core(at.core);
    if (at.world === 'secure' && !c.cpu.hasSecurity) throw new TargetError(`${c.name} has no secure world (no Security Extension); drop the 's:' qualifier`);
    const secure = at.world === undefined ? c.cpu.secure : at.world === 'secure';
    return { c, attrs: ATTR_PRIV | ATTR_DEBUG | (secure ? ATTR_SECURE : 0) };
  }

  decodeInstruction(core: CoreId, hw1: number, hw2: number, address: number, itCond: number): DecodedInstruction {
    const isa = this.core(core).cpu.isa;
    if (isThumb32(hw1)) {
      const w = ((hw1 << 16) | (hw2 & 0xffff)) >>> 0;
      const def = isa.decode32(w);
      return { size: 4, valid: def !== undefined, text: def === undefined ? `.inst.w 0x${w.toString(16).padStart(8, '0')} (undefined)` : def.disasm(w, address, itCond) };
    }
    const def = isa.decode16(hw1 & 0xffff);
    return { size: 2, valid: def !== undefined, text: def === undefined ? `.inst.n 0x${(hw1 & 0xffff).toString(16).padStart(4, '0')} (undefined)` : def.disasm(hw1 & 0xffff, address, itCond) };
  }

  async readMemory(at: QualifiedAddress, length: number): Promise<MemoryRead> {
    if (!Number.isInteger(length) || length < 0 || length > MAX_ACCESS) throw new TargetError(`read of ${length} bytes at ${hex(at.address)}: length must be 0..${MAX_ACCESS}`);
    const { c, attrs } = this.view(at);
    const bus = c.bus;
    const visible = this.nsVisible(c, at, length);
    const out = new Uint8Array(length);
    let i = 0;
    try {
      while (i < visible) {
        const a = (at.address + i) >>> 0;
        if ((a & 3) === 0 && visible - i >= 4 && !bus.isMemory(a)) {
          // Device registers are read as words: many only answer 32-bit accesses.
          const v = AddressSpace.prototype.read32.call(bus, a, attrs);
          out[i] = v; out[i + 1] = v >>> 8; out[i + 2] = v >>> 16; out[i + 3] = v >>> 24;
          i += 4;
        } else {
          out[i] = AddressSpace.prototype.read8.call(bus, a, attrs);
          i++;
        }
      }
    } catch (e) {
      if (!(e instanceof BusError)) throw e;
    }
    return { data: out.subarray(0, i), unreadable: length - i };
  }

  /**
   * How many of `length` bytes at `at` an explicit `ns:` view may touch: Secure and NSC memory is
   * not visible to a Non-secure access (SecurityCheck(), DDI0553), checked per 32-byte granule
   * (the SAU's resolution). Other views see everything.
   */
  private nsVisible(c: Core, at: QualifiedAddress, length: number): number {
    const sau = c.system.sau;
    if (at.world !== 'non-secure' || !c.cpu.hasSecurity || !(sau instanceof Sau)) return length;
    let n = 0;
    while (n < length) {
      const r = sau.check((at.address + n) >>> 0, false, false);
      if (!r.ns && !r.exempt) break;
      n += 32 - ((at.address + n) & 31);
    }
    return Math.min(n, length);
  }

  async writeMemory(at: QualifiedAddress, data: Uint8Array): Promise<number> {
    if (data.length > MAX_ACCESS) throw new TargetError(`write of ${data.length} bytes at ${hex(at.address)} is larger than ${MAX_ACCESS}`);
    const { c, attrs } = this.view(at);
    const bus = c.bus;
    const visible = this.nsVisible(c, at, data.length);
    if (visible === 0 && data.length > 0) throw new TargetError(`cannot write ${hex(at.address)} as non-secure: Secure memory (SAU/IDAU attribution); use s:${hex(at.address)}`);
    if (visible < data.length) data = data.subarray(0, visible);
    let i = 0;
    try {
      while (i < data.length) {
        const a = (at.address + i) >>> 0;
        if (bus.isLoadable(a)) {
          // RAM, and ROM too: the debugger may patch flash as a probe's flash loader would.
          const n = Math.min(data.length - i, PAGE_SIZE - (a & PAGE_MASK));
          bus.loadBytes(a, data.subarray(i, i + n));
          i += n;
        } else if ((a & 3) === 0 && data.length - i >= 4) {
          const v = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
          AddressSpace.prototype.write32.call(bus, a, v, attrs);
          i += 4;
        } else {
          AddressSpace.prototype.write8.call(bus, a, data[i], attrs);
          i++;
        }
      }
    } catch (e) {
      if (!(e instanceof BusError)) throw e;
      if (i === 0) throw new TargetError(`cannot write ${hex((at.address + i) >>> 0)} through ${c.name}: ${e.message}`);
    }
    return i;
  }

  // ------------------------------------------------------------------ breakpoints

  private breakpointMatches(core: CoreId, secure: boolean, pc: number): boolean {
    for (const b of this.bps.values()) {
      if (b.address === pc && (b.core === undefined || b.core === core)
        && (b.world === undefined || (b.world === 'secure') === secure)) return true;
    }
    return false;
  }

  private breakpointsAt(core: CoreId, secure: boolean, pc: number): number[] {
    const ids: number[] = [];
    for (const b of this.bps.values()) {
      if (b.address === (pc >>> 0) && (b.core === undefined || b.core === core)
        && (b.world === undefined || (b.world === 'secure') === secure)) ids.push(b.id);
    }
    return ids;
  }

  /** Rebuild each core's address set (the cpu's hot check) from the qualified breakpoints. */
  private syncBreakpoints(): void {
    for (const c of this.machine.cores) {
      const set = new Set<number>();
      for (const b of this.bps.values()) if (b.core === undefined || b.core === c.id) set.add(b.address | 0);
      c.cpu.breakpoints = set.size > 0 ? set : null;
    }
  }

  async addBreakpoint(spec: BreakpointSpec): Promise<number> {
    if (spec.core !== undefined) {
      const c = this.core(spec.core);
      if (spec.world === 'secure' && !c.cpu.hasSecurity) throw new TargetError(`${c.name} has no secure world; a secure breakpoint at ${hex(spec.address)} would never hit`);
    }
    if (!Number.isInteger(spec.address) || spec.address < 0 || spec.address > 0xffffffff) throw new TargetError(`breakpoint address ${spec.address} is not a 32-bit address`);
    const id = this.nextId++;
    this.bps.set(id, { id, address: (spec.address & ~1) >>> 0, core: spec.core, world: spec.world });
    this.syncBreakpoints();
    return id;
  }

  async removeBreakpoint(id: number): Promise<void> {
    this.bps.delete(id);
    this.syncBreakpoints();
  }

  // ------------------------------------------------------------------ watchpoints

  async addWatchpoint(spec: WatchpointSpec): Promise<number> {
    if (!Number.isInteger(spec.size) || spec.size < 1 || spec.size > 4096) throw new TargetError(`watchpoint at ${hex(spec.address)}: size ${spec.size} must be 1..4096 bytes`);
    if (spec.core !== undefined) this.core(spec.core);
    const id = this.nextId++;
    const address = spec.address >>> 0;
    this.wps.set(id, {
      id, address, end: address + spec.size, read: spec.access !== 'write', write: spec.access !== 'read',
      core: spec.core, world: spec.world,
    });
    this.syncWatch();
    return id;
  }

  async removeWatchpoint(id: number): Promise<void> {
    this.wps.delete(id);
    this.syncWatch();
  }

  /**
   * Install or remove the watch wrappers. A core bus gets own-property read/write methods
   * only while a watchpoint could match on it; without any, the bus runs its prototype
   * methods untouched, so an unwatched machine pays nothing.
   */
  private syncWatch(): void {
    for (const c of this.machine.cores) {
      const want = [...this.wps.values()].some((w) => w.core === undefined || w.core === c.id);
      const has = this.watchedBuses.has(c.id);
      if (want && !has) { this.installWatch(c); this.watchedBuses.add(c.id); }
      if (!want && has) { this.removeWatch(c); this.watchedBuses.delete(c.id); }
    }
  }

  private installWatch(c: Core): void {
    const bus = c.bus as AddressSpace & Record<string, unknown>;
    const proto = AddressSpace.prototype;
    const self = this;
    const wrapRead = (m: 'read8' | 'read16' | 'read32', size: number) => function (this: AddressSpace, a: number, attrs = 0): number {
      self.watchDepth++;
      let v: number;
      try { v = proto[m].call(this, a, attrs); } finally { self.watchDepth--; }
      if (self.watchDepth === 0 && (attrs & ATTR_DEBUG) === 0) self.checkWatch(c, a >>> 0, size, false, v, attrs);
      return v;
    };
    const wrapWrite = (m: 'write8' | 'write16' | 'write32', size: number) => function (this: AddressSpace, a: number, v: number, attrs = 0): void {
      self.watchDepth++;
      try { proto[m].call(this, a, v, attrs); } finally { self.watchDepth--; }
      if (self.watchDepth === 0 && (attrs & ATTR_DEBUG) === 0) self.checkWatch(c, a >>> 0, size, true, v, attrs);
    };
    bus.read8 = wrapRead('read8', 1); bus.read16 = wrapRead('read16', 2); bus.read32 = wrapRead('read32', 4);
    bus.write8 = wrapWrite('write8', 1); bus.write16 = wrapWrite('write16', 2); bus.write32 = wrapWrite('write32', 4);
  }

  private removeWatch(c: Core): void {
    // Assign the prototype methods back rather than `delete`, which would turn the hot bus
    // object into a dictionary-mode object for good.
    const bus = c.bus as AddressSpace & Record<string, unknown>;
    const proto = AddressSpace.prototype;
    bus.read8 = proto.read8; bus.read16 = proto.read16; bus.read32 = proto.read32;
    bus.write8 = proto.write8; bus.write16 = proto.write16; bus.write32 = proto.write32;
  }

  private checkWatch(c: Core, a: number, size: number, write: boolean, value: number, attrs: number): void {
    if (this.pendingWatch !== null) return; // first hit of the instruction wins
    const secure = (attrs & ATTR_SECURE) !== 0;
    for (const w of this.wps.values()) {
      if (!(write ? w.write : w.read)) continue;
      if (w.core !== undefined && w.core !== c.id) continue;
      if (w.world !== undefined && (w.world === 'secure') !== secure) continue;
      if (a >= w.end || a + size <= w.address) continue;
      const mask = size === 4 ? 0xffffffff : (1 << (size * 8)) - 1;
      this.pendingWatch = { core: c.id, id: w.id, access: write ? 'write' : 'read', address: a, size, value: (value & mask) >>> 0, pc: c.cpu.curPc >>> 0 };
      // Like the DWT: the access completes, the core stops after the instruction.
      c.cpu.stop('breakpoint');
      return;
    }
  }

  // ------------------------------------------------------------------ exceptions and trace

  async setExceptionFilters(filters: readonly ExceptionFilter[]): Promise<void> {
    const known: readonly ExceptionFilter[] = ['hardfault', 'memmanage', 'busfault', 'usagefault', 'securefault', 'any-fault', 'world-switch', 'reset-release'];
    for (const f of filters) if (!known.includes(f)) throw new TargetError(`unknown exception filter '${f}' (known: ${known.join(', ')})`);
    this.filters = new Set(filters);
  }

  private faultWanted(name: string): boolean {
    const f = this.filters;
    if (f.has('any-fault')) return true;
    switch (name) {
      case 'HardFault': case 'Lockup': return f.has('hardfault');
      case 'MemManage': return f.has('memmanage');
      case 'BusFault': return f.has('busfault');
      case 'UsageFault': return f.has('usagefault');
      case 'SecureFault': return f.has('securefault');
      default: return false;
    }
  }

  private onTrace(e: TraceEvent): void {
    for (const l of this.listeners.trace) l(e);
    if (this.pendingTrace !== null) return;
    let reason: StopReason | undefined;
    if (e.kind === 'fault' && this.faultWanted(e.name)) reason = 'exception';
    else if (e.kind === 'world-switch' && this.filters.has('world-switch')) reason = 'world switch';
    else if (e.kind === 'reset-release' && this.filters.has('reset-release')) reason = 'reset released';
    if (reason === undefined || !('core' in e)) return;
    this.pendingTrace = { reason, e, core: e.core };
    // Faults stop before the handler is entered (pc at the faulting instruction, the
    // exception pending); a world switch stops after the switching instruction; a released
    // core stops before its first instruction.
    this.core(e.core).cpu.requestHalt();
  }

  // ------------------------------------------------------------------ fault status

  private faultStatusOf(coreId: CoreId): FaultStatus {
    const c = this.core(coreId);
    const rd = (a: number, secure: boolean) => {
      try { return AddressSpace.prototype.read32.call(c.bus, a, ATTR_PRIV | ATTR_DEBUG | (secure ? ATTR_SECURE : 0)) >>> 0; } catch { return 0; }
    };
    const sec = c.cpu.secure;
    const cfsr = rd(CFSR, sec), hfsr = rd(HFSR, sec), mmfar = rd(MMFAR, sec), bfar = rd(BFAR, sec);
    const sfsr = c.cpu.hasSecurity ? rd(SFSR, true) : undefined;
    const sfar = c.cpu.hasSecurity ? rd(SFAR, true) : undefined;
    const names = faultCauseNames(cfsr, sfsr ?? 0, hfsr);
    const bits = names === '' ? [] : names.split(', ');
    const kind = (hfsr & (1 << 30)) !== 0 && cfsr === 0 && (sfsr ?? 0) === 0 ? 'HardFault'
      : (sfsr ?? 0) !== 0 ? 'SecureFault'
      : (cfsr & 0xff) !== 0 ? 'MemManage' : (cfsr & 0xff00) !== 0 ? 'BusFault' : (cfsr & 0xffff0000) !== 0 ? 'UsageFault'
      : hfsr !== 0 ? 'HardFault' : 'no fault';
    let where = '';
    if ((cfsr & (1 << 7)) !== 0) where = ` at ${hex(mmfar)}`;
    else if ((cfsr & (1 << 15)) !== 0) where = ` at ${hex(bfar)}`;
    else if (((sfsr ?? 0) & (1 << 6)) !== 0) where = ` at ${hex(sfar ?? 0)}`;
    const summary = kind === 'no fault' ? 'no fault recorded' : `${kind} (${names || 'no status bits'})${where}`;
    return { cfsr, hfsr, mmfar, bfar, ...(sfsr !== undefined ? { sfsr, sfar } : {}), bits, summary };
  }

  async readFaultStatus(core: CoreId): Promise<FaultStatus> { return this.faultStatusOf(core); }

  async readSecurity(coreId: CoreId, addresses: readonly number[] = []): Promise<SecurityInfo | undefined> {
    const c = this.core(coreId);
    const sau = c.system.sau;
    if (!c.cpu.hasSecurity || !(sau instanceof Sau)) return undefined;
    if (addresses.length > 65536) throw new TargetError(`readSecurity: ${addresses.length} addresses asked; at most 65536`);
    const regions: SauRegion[] = [];
    for (let i = 0; i < sau.regions; i++) {
      const lar = sau.rlar[i];
      regions.push({ index: i, base: (sau.rbar[i] & ~0x1f) >>> 0, limit: (lar | 0x1f) >>> 0, enabled: (lar & 1) !== 0, nsc: (lar & 2) !== 0 });
    }
    // The attribution a Secure data access sees (SecurityCheck(), DDI0553); the debugger's own view.
    const attributions = addresses.map((a): Attribution => {
      const r = sau.check(a >>> 0, false, true);
      const kind = r.exempt ? 'exempt' : r.ns ? 'non-secure' : r.nsc ? 'nsc' : 'secure';
      return { address: a >>> 0, kind, ...(r.srvalid ? { sauRegion: r.sregion } : {}), ...(r.irvalid ? { idauRegion: r.iregion } : {}) };
    });
    return { sauCtrl: sau.readCtrl(), sauType: sau.readType(), regions, idau: sau.idau !== null, sfsr: c.system.sfsr >>> 0, sfar: c.system.sfar >>> 0, attributions };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.runState = 'halted';
    this.releaseHaltWaiters();
    this.unsubscribeTrace();
    for (const c of this.machine.cores) { c.cpu.breakpoints = null; c.cpu.breakpointFilter = null; }
    for (const id of this.watchedBuses) this.removeWatch(this.core(id));
    this.watchedBuses.clear();
  }
}
