// The DAP session: turns requests into calls on a `Target` and the answers of the images'
// `DebugInfo`, and target events into DAP events. It knows nothing of the emulator's
// insides (only the instruction table, for disassembly); the machine sits behind Target.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import {
  Breakpoint, Handles, InitializedEvent, LoggingDebugSession, OutputEvent, Scope, Source, StackFrame,
  StoppedEvent as DapStoppedEvent, TerminatedEvent, ExitedEvent, Thread, MemoryEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../dwarf';
import { ROW_END_SEQUENCE, ROW_STMT } from '../dwarf/lines';
import { parseLaunchConfig, LaunchConfigError, type LaunchConfig } from './launch-config';
import { MemoryCache } from './memory-cache';
import { buildStack, exceptionName, isFncReturn, le32, type FrameModel, type StackSecurity } from './stack';
import { parseQualifiedAddress, parseQualifiedName, formatQualifiedAddress } from './qualified-address';
import type { CoreId, CoreInfo, RegisterInfo, StoppedEvent, Target, World } from './target';
import { disassemble } from './disassemble';
import { VariableStore } from './variables';
import { BreakpointRules, type Decision, type RuleEvaluator } from './breakpoint-rules';
import { parse as parseExpression } from './evaluate';
import { accessOf, decodeDataId, describeWatchHit, encodeDataId, globalTarget, localTarget, type DataTarget } from './data-breakpoints';
import { EXCEPTION_FILTERS, toTargetFilters } from './exception-filters';

/** Builds the target for a board; the session never constructs the machine itself. */
export type TargetFactory = (board: string, log: (msg: string) => void) => Promise<Target>;

/** An ELF bound to a core and world, with its debug info. */
interface Image {
  program: string;
  core: CoreId;
  world?: 'secure' | 'non-secure';
  info: DebugInfo;
  entry: number;
}

type VarRef =
  | { kind: 'locals'; core: CoreId; frame: number }
  | { kind: 'registers'; core: CoreId; frame: number };

/** Instructions one step request may execute before it gives up (a runaway loop, a lockup). */
const STEP_BUDGET = 20_000_000;
/** Instructions a step in walks through code without source looking for a change of world. */
const TRAMPOLINE_WALK = 256;
/** Error codes of background queries whose failures are not shown in a pop-up (see answer()). */
const QUIET_ERRORS = new Set([5, 6, 7, 8, 9, 11, 12]);
/** Thread ids are core + 1: DAP clients treat 0 as "no thread". */
const threadOf = (core: CoreId) => core + 1;
const coreOf = (threadId: number) => threadId - 1;
const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

const DWARF_REG_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc'];

export class TandemSession extends LoggingDebugSession {
  private target: Target | undefined;
  private config: LaunchConfig | undefined;
  private images: Image[] = [];
  private coreList: readonly CoreInfo[] = [];
  private configured!: () => void;
  private readonly configDone = new Promise<void>((r) => { this.configured = r; });
  /** Resolves the current run-until-stop (a step that runs to a temporary breakpoint). */
  private stopWaiter: ((e: StoppedEvent) => void) | undefined;
  /** A step is in progress: stops belong to it, not to the user. */
  private stepping = false;
  private cancelStep = false;
  private readonly stacks = new Map<CoreId, FrameModel[]>();
  private readonly caches = new Map<CoreId, MemoryCache>();
  private frameHandles = new Handles<{ core: CoreId; index: number }>();
  private varHandles = new Handles<VarRef>();
  /** Target breakpoint ids per source path, per kind. */
  private readonly sourceBps = new Map<string, number[]>();
  private functionBps: number[] = [];
  private instructionBps: number[] = [];
  /** Target breakpoint id -> DAP breakpoint id. */
  private readonly dapIdOf = new Map<number, number>();
  /** Target breakpoint id -> where it is, so a step that lands on a user breakpoint reports it (ids not in dapIdOf are stale). */
  private readonly bpWhere = new Map<number, { address: number; core?: CoreId; world?: World }>();
  /** A pause arrived since the last resume or reported stop: a rule's "run on" must not swallow it. */
  private pausePending = false;
  private nextDapId = 1;
  /** Conditions, hit counts and logpoint messages, by DAP breakpoint id. */
  private readonly bpRules = new BreakpointRules((expr) => {
    // Names of typedefs are only known at a stop: accept the text when it parses either way.
    const fails = (isType?: (n: string) => boolean) => { try { parseExpression(expr, isType); return undefined; } catch (e) { return this.message(e); } };
    const plain = fails();
    return plain === undefined || fails(() => true) === undefined ? undefined : plain;
  });
  /** Target watchpoint id -> its DAP id and what it watches. */
  private readonly dataBps = new Map<number, { dapId: number; target: DataTarget }>();
  private unsubscribe: Array<() => void> = [];
  private terminated = false;

  constructor(private readonly targetFactory: TargetFactory) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ------------------------------------------------------------------ lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    const b: DebugProtocol.Capabilities = {};
    // VS Code sends breakpoints, then configurationDone, before the guest runs.
    b.supportsConfigurationDoneRequest = true;
    // Function breakpoints: 'main', 'SysTick_Handler', through DWARF or the symbol table.
    b.supportsFunctionBreakpoints = true;
    // Breakpoints on addresses from the Disassembly view.
    b.supportsInstructionBreakpoints = true;
    // The Disassembly view and instruction-granularity stepping.
    b.supportsDisassembleRequest = true;
    b.supportsSteppingGranularity = true;
    // Memory inspector / hex editor on variables and addresses.
    b.supportsReadMemoryRequest = true;
    // Deep stacks arrive a page at a time.
    b.supportsDelayedStackTraceLoading = true;
    // terminate stops the machine cleanly before disconnect.
    b.supportsTerminateRequest = true;
    // The emulator resets in-process: a restart keeps the session, its breakpoints and watches.
    b.supportsRestartRequest = true;
    // stackTrace's format (parameters, line, module) decorates frame names as VS Code asks.
    b.supportsValueFormattingOptions = true;
    // Conditions, hit counts and logpoints are evaluated at each hit (breakpoint-rules.ts).
    b.supportsConditionalBreakpoints = true;
    b.supportsHitConditionalBreakpoints = true;
    b.supportsLogPoints = true;
    // Watchpoints on variables and addresses, read/write/readWrite (data-breakpoints.ts).
    b.supportsDataBreakpoints = true;
    // Watch a raw address range (the memory view's "break on access").
    b.supportsDataBreakpointBytes = true;
    // Fault kinds and TrustZone/multi-core transitions as exception filters.
    b.exceptionBreakpointFilters = EXCEPTION_FILTERS;
    // Watch, hover, REPL and Set Value over DWARF types (variables.ts, evaluate.ts).
    b.supportsEvaluateForHovers = true;
    b.supportsSetVariable = true;
    b.supportsWriteMemoryRequest = true;
    b.supportsExceptionInfoRequest = true;
    b.supportsModulesRequest = true;
    b.supportsLoadedSourcesRequest = true;
    b.supportsCompletionsRequest = true;
    response.body = b;
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    try {
      const config = parseLaunchConfig(args);
      this.config = config;
      const target = await this.targetFactory(config.board, (m) => this.sendEvent(new OutputEvent(`${m}\n`, 'console')));
      this.target = target;
      this.coreList = await target.cores();
      this.unsubscribe.push(
        target.on('stopped', (e) => this.onTargetStopped(e)),
        target.on('output', (stream, text) => this.onOutput(stream, text)),
        target.on('exited', (code) => this.onExited(code)),
      );
      for (const [i, img] of config.images.entries()) {
        const core = this.coreIdFor(img.core, `images[${i}].core`);
        const bytes = readFileSync(img.program);
        const info = DebugInfo.open(bytes, img.program);
        let entry = info.elf.entry;
        if (img.load) entry = (await target.loadImage(core, bytes, img.program)).entry;
        this.images.push({ program: img.program, core, ...(img.world ? { world: img.world } : {}), info, entry });
      }
      // The loaded image replaced the memory the reset vector was read from. The reset's own
      // 'entry' stop is not the user's: startGuest reports the launch stop.
      this.stepping = true;
      try { await target.reset(); } finally { this.stepping = false; }
      this.sendEvent(new InitializedEvent());
      this.sendResponse(response);
      await this.configDone;
      await this.startGuest(config);
    } catch (e) {
      this.sendErrorResponse(response, 1, this.message(e));
    }
  }

  private async startGuest(config: LaunchConfig): Promise<void> {
    const target = this.target!;
    const core0 = this.images[0].core;
    if (config.stopAtEntry === 'entry') {
      this.report({ core: core0, reason: 'entry', description: 'Stopped at the reset vector' });
      return;
    }
    if (config.stopAtEntry === false) { await this.resume(); return; }
    const name = config.stopAtEntry.function;
    // The first image that defines it: a TrustZone pair whose secure boot is not called
    // `main` stops in the non-secure `main` (sample-workspaces/trustzone-m-hello).
    const img = this.images.find((i) => i.info.functionEntry(name) !== undefined) ?? this.images[0];
    const fn = img.info.functionEntry(name);
    if (fn === undefined) {
      this.sendEvent(new OutputEvent(`stopAtEntry: no function '${name}' in ${this.images.map((i) => i.program).join(', ')}; running without stopping\n`, 'console'));
      await this.resume();
      return;
    }
    const addr = this.afterPrologue(img.info, fn.lo, fn.hi);
    const id = await target.addBreakpoint({ address: addr, core: img.core, ...(img.world ? { world: img.world } : {}) });
    const e = await this.runUntilStop();
    await target.removeBreakpoint(id);
    const hitEntry = e.reason === 'breakpoint' && (e.hitBreakpoints ?? []).includes(id);
    this.report(hitEntry ? { ...e, reason: 'entry', description: `Stopped in ${name}` } : e);
  }

  /**
   * Where `break fn` stops, as gdb places it: the first statement of a line after the
   * function's opening line (the end of the prologue), or the entry when there is none.
   */
  private afterPrologue(info: DebugInfo, lo: number, hi: number): number {
    const lines = info.lines;
    const first = lines?.lookup(lo);
    if (lines === undefined || first === undefined) return lo;
    // Rows at the entry address itself that name another line: the prologue is empty (gdb's
    // skip_prologue_using_sal returns the entry then).
    // An end-of-sequence row at `lo` closes the previous function's sequence (-ffunction-sections
    // at -O0 puts functions back to back): it is not a row of this function.
    const s = first.program.raw();
    const ours = (i: number) => i >= 0 && first.row - i < 64 && s.address[i] === lo && (s.flags[i] & ROW_END_SEQUENCE) === 0;
    let firstLine = first.line;
    for (let i = first.row; ours(i); i--) firstLine = s.line[i];
    for (let i = first.row; ours(i); i--) {
      if (s.line[i] !== firstLine && s.line[i] !== 0 && (s.flags[i] & ROW_STMT) !== 0) return lo;
    }
    let addr = first.end;
    for (let guard = 0; guard < 10_000 && addr < hi; guard++) {
      const loc = lines.lookup(addr);
      if (loc === undefined || loc.end <= addr) break;
      if (loc.line !== firstLine && loc.line !== 0 && lines.isStatement(addr)) return addr;
      addr = loc.end;
    }
    return lo;
  }

  /**
   * Restart in place: halt, load the images again (RAM holds what the last run left), reset
   * the system, then stop as launch does. Breakpoints and watchpoints live in the target and
   * stay set; hit counts start from zero.
   */
  protected override async restartRequest(response: DebugProtocol.RestartResponse): Promise<void> {
    try {
      const target = this.requireTarget();
      const config = this.config!;
      this.cancelStep = true;
      // The halt's and the reset's own stops are not the user's; startGuest reports the stop.
      this.stepping = true;
      try {
        await target.halt();
        for (const [i, img] of this.images.entries()) {
          if (config.images[i]?.load) await target.loadImage(img.core, readFileSync(img.program), img.program);
        }
        await target.reset();
      } finally { this.stepping = false; this.cancelStep = false; }
      this.bpRules.resetHits();
      this.lastStop.clear();
      this.invalidate();
      this.sendResponse(response);
      await this.startGuest(config);
    } catch (e) {
      this.sendErrorResponse(response, 1, this.message(e));
    }
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.shutdownTarget();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.shutdownTarget();
    this.sendResponse(response);
  }

  private async shutdownTarget(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    this.cancelStep = true;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    try { await this.target?.dispose(); } catch { /* already gone */ }
  }

  private onExited(code: number | null): void {
    this.flushOutput();
    this.sendEvent(new OutputEvent(`The guest exited${code === null ? '' : ` with code ${code}`}\n`, 'console'));
    if (code !== null) this.sendEvent(new ExitedEvent(code));
    this.sendEvent(new TerminatedEvent());
  }

  // ------------------------------------------------------------------ stops

  private onTargetStopped(e: StoppedEvent): void {
    // A hit of a conditional breakpoint or logpoint while running (not inside a step's own
    // single-steps): decide first, and run on when none of the hit breakpoints wants to stop.
    const ruled = e.reason === 'breakpoint' && (e.hitBreakpoints ?? []).some((id) => this.bpRules.has(this.dapIdOf.get(id) ?? -1))
      // A watch hit with a condition or hit count is decided the same way (the new value is in memory).
      || e.watch !== undefined && this.bpRules.has(this.dataBps.get(e.watch.id)?.dapId ?? -1);
    if (ruled && (this.stopWaiter !== undefined || !this.stepping)) {
      void this.applyRules(e).then((kept) => (kept === undefined ? this.resumeAfterRules(e.core) : this.deliverStop(kept)));
      return;
    }
    this.deliverStop(e);
  }

  private deliverStop(e: StoppedEvent & { ruleError?: string }): void {
    const w = this.stopWaiter;
    if (w !== undefined) { this.stopWaiter = undefined; w(e); return; }
    if (this.stepping) return; // the step's own stops, answered through its promises
    this.report(e);
  }

  /** Resumes all cores and resolves with the next stop. */
  private async runUntilStop(): Promise<StoppedEvent> {
    const p = new Promise<StoppedEvent>((r) => { this.stopWaiter = r; });
    this.invalidate();
    await this.target!.run();
    return p;
  }

  private invalidate(): void {
    this.stacks.clear();
    this.topStacks.clear();
    this.caches.clear();
    this.frameHandles.reset();
    this.varHandles.reset();
    this.vars.reset();
    this.vars.forget();
  }

  private report(e: StoppedEvent & { ruleError?: string }): void {
    this.invalidate();
    this.pausePending = false;
    this.lastStop.set(e.core, e);
    this.flushOutput();
    const reason = e.reason === 'deadlock' ? 'pause' : e.reason;
    const ev = new DapStoppedEvent(reason, threadOf(e.core)) as DebugProtocol.StoppedEvent;
    ev.body.description = e.description;
    if (e.trace?.kind === 'world-switch') {
      const how = { sg: 'SG', bxns: 'BXNS', blxns: 'BLXNS', 'fnc-return': 'FNC_RETURN', smc: 'SMC', 'exception-entry': 'exception entry', 'exception-return': 'exception return' }[e.trace.how];
      ev.body.description = this.worldSwitchText(e.core, e.trace.from, e.trace.to, how, e.trace.insnAddr);
    }
    ev.body.allThreadsStopped = true;
    if (e.fault !== undefined) ev.body.text = `${e.fault.name}: ${e.fault.cause}`;
    const hits = (e.hitBreakpoints ?? []).map((id) => this.dapIdOf.get(id)).filter((x): x is number => x !== undefined);
    if (e.watch !== undefined) {
      const d = this.dataBps.get(e.watch.id);
      if (d !== undefined) hits.push(d.dapId);
      ev.body.description = describeWatchHit(e.watch, d?.target.label);
    }
    if (e.ruleError !== undefined) ev.body.text = e.ruleError;
    if (hits.length > 0) ev.body.hitBreakpointIds = hits;
    this.sendEvent(ev);
  }

  private async resume(): Promise<void> {
    this.invalidate();
    this.pausePending = false;
    await this.target!.run();
  }

  /**
   * Evaluates the rules of the breakpoints hit by `e`: prints logpoints, and returns the stop
   * with only the breakpoints that want it (undefined: nothing wants to stop, run on).
   * Breakpoints without rules (the session's own temporary ones) always keep the stop.
   */
  private async applyRules(e: StoppedEvent): Promise<(StoppedEvent & { ruleError?: string }) | undefined> {
    const core = e.core;
    const ev: RuleEvaluator = {
      // The ternary makes any scalar (int, pointer, float) a plain 0/1 int the evaluator formats as such.
      test: async (expr) => (await this.vars.evaluate(`(${expr}) ? 1 : 0`, core, 0)).result === '1',
      show: async (expr) => (await this.vars.evaluate(expr, core, 0)).result,
    };
    const kept: number[] = [];
    const logs: string[] = [];
    const errors: string[] = [];
    // Decide once per DAP breakpoint (one may map to several addresses in several images).
    const decided = new Map<number, Decision>();
    for (const id of e.hitBreakpoints ?? []) {
      const dapId = this.dapIdOf.get(id);
      if (dapId === undefined || !this.bpRules.has(dapId)) { kept.push(id); continue; }
      let d = decided.get(dapId);
      if (d === undefined) {
        d = await this.bpRules.decide(dapId, ev);
        decided.set(dapId, d);
        if (d.log !== undefined) logs.push(d.log);
        if (d.error !== undefined) errors.push(d.error);
      }
      if (d.stop) kept.push(id);
    }
    let watchKept = false;
    const w = e.watch !== undefined ? this.dataBps.get(e.watch.id) : undefined;
    if (w !== undefined) {
      const d = await this.bpRules.decide(w.dapId, ev);
      if (d.log !== undefined) logs.push(d.log);
      if (d.error !== undefined) errors.push(d.error);
      watchKept = d.stop;
    }
    for (const l of logs) this.sendEvent(new OutputEvent(`${l}\n`, 'console'));
    for (const m of errors) this.sendEvent(new OutputEvent(`${m}\n`, 'stderr'));
    if (kept.length === 0 && !watchKept) return undefined;
    return { ...e, hitBreakpoints: kept, ...(errors.length > 0 ? { ruleError: errors.join('; ') } : {}) };
  }

  /** Runs on after a hit whose rules did not want to stop; a waiting step keeps waiting. */
  private resumeAfterRules(core: CoreId): void {
    if (this.terminated || this.cancelStep && this.stopWaiter !== undefined) {
      const w = this.stopWaiter;
      this.stopWaiter = undefined;
      w?.({ core, reason: 'pause', description: 'Paused' });
      return;
    }
    // The pause came while the rule was evaluated: the target was already halted at the hit,
    // so halt() had nothing to stop and no 'pause' stop will follow; this is the pause's stop.
    if (this.pausePending && this.stopWaiter === undefined && !this.stepping) {
      this.report({ core, reason: 'pause', description: 'Paused' });
      return;
    }
    void this.guard(() => this.resume());
  }

  // ------------------------------------------------------------------ threads

  protected override async threadsRequest(response: DebugProtocol.ThreadsResponse): Promise<void> {
    if (this.target !== undefined) {
      try { this.coreList = await this.target.cores(); } catch { /* keep the last list */ }
    }
    response.body = { threads: this.coreList.map((c) => new Thread(threadOf(c.id), threadName(c))) };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ execution

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    await this.guard(() => this.resume());
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    this.cancelStep = true;
    this.pausePending = true;
    await this.guard(() => this.target!.halt());
    this.sendResponse(response);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.startStep(response, coreOf(args.threadId), 'over', args.granularity);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.startStep(response, coreOf(args.threadId), 'in', args.granularity);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.startStep(response, coreOf(args.threadId), 'out', args.granularity);
  }

  private startStep(response: DebugProtocol.Response, core: CoreId, kind: 'over' | 'in' | 'out', granularity: DebugProtocol.SteppingGranularity | undefined): void {
    if (this.target === undefined) { this.sendErrorResponse(response, 2, 'no target: launch first'); return; }
    if (this.stepping) { this.sendErrorResponse(response, 3, 'a step is already in progress'); return; }
    this.sendResponse(response);
    this.stepping = true;
    this.cancelStep = false;
    this.pausePending = false;
    this.invalidate();
    const work = granularity === 'instruction' && kind !== 'out' ? this.stepInstruction(core, kind) : kind === 'out' ? this.stepOut(core) : this.stepLine(core, kind);
    work.then((e) => { this.stepping = false; this.report(e); }, (err: unknown) => {
      this.stepping = false;
      this.sendEvent(new OutputEvent(`step failed: ${this.message(err)}\n`, 'stderr'));
      this.report({ core, reason: 'pause', description: 'Step failed' });
    });
  }

  private async regsOf(core: CoreId, known?: readonly RegisterInfo[]): Promise<Map<number, number>> {
    const all = known ?? await this.target!.readRegisters(core);
    const m = new Map<number, number>();
    for (const r of all) {
      const i = DWARF_REG_NAMES.indexOf(r.name);
      if (i >= 0) m.set(i, r.value >>> 0);
    }
    return m;
  }

  private async pcOf(core: CoreId): Promise<number> { return (await this.target!.readRegister(core, 'pc')) >>> 0; }

  /** The core's security state now (undefined without the Security Extension); refreshes the core list. */
  private async worldOf(core: CoreId): Promise<World | undefined> {
    // A core without the Security Extension never has a world: skip the query (every step asks).
    if (this.coreList.find((x) => x.id === core)?.hasSecurity === false) return undefined;
    try { this.coreList = await this.target!.cores(); } catch { /* keep the last list */ }
    const c = this.coreList.find((x) => x.id === core);
    return c?.hasSecurity ? c.world : undefined;
  }

  /**
   * The image that describes pc on core: with several images per core (one per world), one
   * of the given world (the core's current one when omitted) first, then any other.
   */
  private imageFor(core: CoreId, pc: number, world?: World): Image | undefined {
    const covers = (i: Image) => i.core === core && (i.info.lines?.lookup(pc) !== undefined || i.info.elf.symbolAt(pc) !== undefined);
    const w = world ?? this.coreList.find((c) => c.id === core)?.world;
    return (w !== undefined ? this.images.find((i) => i.world === w && covers(i)) : undefined) ?? this.images.find(covers);
  }

  /** The canonical frame address of the innermost frame (to tell callers from callees). */
  private async cfaOf(core: CoreId): Promise<number | undefined> {
    const regs = await this.regsOf(core);
    const pc = regs.get(15)! & ~1;
    const img = this.imageFor(core, pc);
    if (img === undefined) return regs.get(13);
    const cache = this.cacheFor(core);
    const u = await cache.settle(() => img.info.unwind(pc, regs, cache.read));
    return u.stop === 'unreadable' ? regs.get(13) : u.cfa;
  }

  /**
   * A step that ended on a user breakpoint is that breakpoint's hit, as in gdb: the target
   * reports 'step' there, and a stepper running on from this pc would step off it unseen.
   */
  private async landed(core: CoreId, e: StoppedEvent): Promise<StoppedEvent> {
    if (e.reason !== 'step') return e;
    const pc = await this.pcOf(core);
    const ids: number[] = [];
    let world: World | undefined | null = null; // read only when a breakpoint here is bound to a world
    for (const [id, w] of this.bpWhere) {
      if (w.address !== pc || (w.core !== undefined && w.core !== core) || !this.dapIdOf.has(id)) continue;
      if (w.world !== undefined) {
        if (world === null) world = await this.worldOf(core);
        if (world !== undefined && world !== w.world) continue;
      }
      ids.push(id);
    }
    return ids.length === 0 ? e : { ...e, reason: 'breakpoint', description: 'Breakpoint', hitBreakpoints: ids };
  }

  /** One instruction; a landing on a user breakpoint stops as a hit when its rules say so. */
  private async stepOnce(core: CoreId): Promise<StoppedEvent> {
    const e = await this.landed(core, await this.target!.step(core));
    if (e.reason !== 'breakpoint' || !(e.hitBreakpoints ?? []).some((id) => this.bpRules.has(this.dapIdOf.get(id) ?? -1))) return e;
    return (await this.applyRules(e)) ?? { ...e, reason: 'step', description: 'Step', hitBreakpoints: [] };
  }

  private async stepInstruction(core: CoreId, kind: 'over' | 'in'): Promise<StoppedEvent> {
    const target = this.target!;
    const pc = await this.pcOf(core);
    const before = await this.worldOf(core);
    const ipsrBefore = before === undefined ? 0 : (await target.readRegister(core, 'ipsr')) & 0x1ff;
    let e = await this.stepOnce(core);
    if (e.reason === 'step' && before !== undefined) {
      // Instruction stepping shows every change of world: SG, BXNS, BLXNS, FNC_RETURN, exceptions.
      const after = await this.worldOf(core);
      if (after !== undefined && after !== before) {
        const ipsr = (await target.readRegister(core, 'ipsr')) & 0x1ff;
        const how = ipsr !== ipsrBefore ? (ipsr > ipsrBefore || ipsrBefore === 0 ? 'exception entry' : 'exception return') : await this.mnemonicAt(core, pc, before);
        e = { ...e, description: `Step: ${this.worldSwitchText(core, before, after, how, pc)}` };
      }
    }
    if (e.reason !== 'step' || kind === 'in') return e;
    // Instruction 'next' steps over a BL/BLX: if the step entered a call, run to its return.
    const after = await this.pcOf(core);
    const lr = (await target.readRegister(core, 'lr')) >>> 0;
    if ((lr & ~1) === pc + 4 && after !== pc + 4 && (lr >>> 28) !== 0xf) return this.runTo(core, pc + 4, undefined);
    return e;
  }

  /** `NS→S via SG at 0x10100000 (s_mac)`: the stop text of a change of world at `at`. */
  private worldSwitchText(core: CoreId, from: World, to: World, how: string, at: number): string {
    const short = (w: World) => (w === 'secure' ? 'S' : 'NS');
    const sym = this.imageFor(core, at, from)?.info.symbolAt(at) ?? this.imageFor(core, at, to)?.info.symbolAt(at);
    // A secure entry function's body is `__acle_se_<name>`; users know it by <name>.
    const name = sym?.display.replace(/^__acle_se_/, '');
    return `${short(from)}→${short(to)} via ${how} at ${hex(at)}${name !== undefined ? ` (${name})` : ''}`;
  }

  /** The mnemonic of the instruction at pc, upper case (`SG`, `BXNS`), for stop texts. */
  private async mnemonicAt(core: CoreId, pc: number, world: World | undefined): Promise<string> {
    try {
      // An SG sits in secure (NSC) memory that a non-secure debug read may not see.
      const b = await this.readEither(core, pc, 4, world);
      if (b === undefined || this.target!.decodeInstruction === undefined) return 'an instruction';
      const hw1 = b[0] | (b[1] << 8), hw2 = b[2] | (b[3] << 8);
      const text = this.target!.decodeInstruction(core, hw1, hw2, pc, -1).text;
      return text.split(/\s/)[0].toUpperCase();
    } catch {
      return 'an instruction';
    }
  }

  /**
   * A trampoline a step goes through without stopping: an ARMv8-M SG veneer (`.gnu.sgstubs`)
   * or libgcc's `__gnu_cmse_nonsecure_call` (the BLXNS helper), whose assembly has line info
   * but no source a user has.
   */
  private isTrampoline(img: Image | undefined, pc: number): boolean {
    if (img === undefined) return false;
    const sg = img.info.elf.section('.gnu.sgstubs');
    if (sg !== undefined && pc >= sg.addr && pc < sg.addr + sg.size) return true;
    const sym = img.info.elf.symbolAt(pc);
    return sym !== undefined && sym.name === '__gnu_cmse_nonsecure_call';
  }

  /** Code with source lines to stop in: an image's line table covers pc and pc is no trampoline. */
  private sourceAt(core: CoreId, pc: number, world: World | undefined): Image | undefined {
    const img = this.imageFor(core, pc, world);
    return img !== undefined && img.info.lines?.lookup(pc) !== undefined && !this.isTrampoline(img, pc) ? img : undefined;
  }

  /** Where an SG veneer goes (SG; B.W target, as GNU ld writes them), or undefined. */
  private async veneerTarget(core: CoreId, pc: number): Promise<number | undefined> {
    const b = await this.readEither(core, pc, 8, 'secure');
    if (b === undefined) return undefined;
    const h = (i: number) => b[i] | (b[i + 1] << 8);
    if (h(0) !== 0xe97f || h(2) !== 0xe97f) return undefined;
    const hw1 = h(4), hw2 = h(6);
    if ((hw1 & 0xf800) !== 0xf000 || (hw2 & 0xd000) !== 0x9000) return undefined; // B.W T4
    // ARM ARM B T4: imm32 = SignExtend(S:I1:I2:imm10:imm11:'0'), I1 = NOT(J1 XOR S).
    const S = (hw1 >>> 10) & 1, j1 = (hw2 >>> 13) & 1, j2 = (hw2 >>> 11) & 1;
    const i1 = 1 - (j1 ^ S), i2 = 1 - (j2 ^ S);
    let imm = (S << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x3ff) << 12) | ((hw2 & 0x7ff) << 1);
    if (S) imm -= 1 << 25;
    return (pc + 8 + imm) >>> 0;
  }

  /** Stop in the function at pc: after its prologue when pc is its entry. */
  private async stopInFunction(core: CoreId, img: Image, pc: number): Promise<StoppedEvent> {
    const fn = img.info.scopesAt(pc).find((s) => s.kind === 'function');
    const range = fn?.ranges.find((x) => pc >= x.lo && pc < x.hi);
    const stop = range !== undefined && pc === range.lo ? this.afterPrologue(img.info, range.lo, range.hi) : pc;
    if (stop === pc) return { core, reason: 'step', description: 'Step' };
    return this.runTo(core, stop, undefined);
  }

  /**
   * Step in through a call into code without source (a veneer, the BLXNS helper, a library
   * routine): follow an SG veneer to its secure function; otherwise walk a bounded number of
   * instructions for a change of world into code with source (a non-secure callback); failing
   * that, finish the call at `ret` like gdb steps over functions without line info.
   */
  private async stepThrough(core: CoreId, pc: number, ret: number, retCfa: number | undefined, retWorld: World | undefined): Promise<StoppedEvent | 'returned'> {
    const target = this.target!;
    const dest = await this.veneerTarget(core, pc);
    if (dest !== undefined) {
      const img = this.sourceAt(core, dest, 'secure');
      if (img !== undefined) return this.stopInFunction(core, img, dest);
    }
    let world = await this.worldOf(core);
    for (let i = 0; world !== undefined && i < TRAMPOLINE_WALK; i++) {
      if (this.cancelStep) return { core, reason: 'pause', description: 'Paused' };
      const e = await this.stepOnce(core);
      if (e.reason !== 'step') return e;
      const now = await this.pcOf(core);
      const w = await this.worldOf(core);
      if (now === ret && w === retWorld) return 'returned';
      if (w !== retWorld) {
        const img = this.sourceAt(core, now, w);
        if (img !== undefined) return this.stopInFunction(core, img, now);
        const dest = await this.veneerTarget(core, now);
        const into = dest === undefined ? undefined : this.sourceAt(core, dest, 'secure');
        if (into !== undefined) return this.stopInFunction(core, into, dest!);
      }
      world = w;
    }
    const back = await this.runTo(core, ret, retCfa);
    return back.reason === 'step' ? 'returned' : back;
  }

  /** After a BLXNS: the return address BLXNS pushed on the secure stack (ARMv8-M B3.20). */
  private async fncReturnAddress(core: CoreId): Promise<number | undefined> {
    const target = this.target!;
    const ipsr = (await target.readRegister(core, 'ipsr')) & 0x1ff;
    const onPsp = ipsr === 0 && ((await target.readRegister(core, 'control_s')) & 2) !== 0;
    const sp = (await target.readRegister(core, onPsp ? 'psp_s' : 'msp_s')) >>> 0;
    const b = await this.readEither(core, sp, 4, 'secure');
    return b === undefined ? undefined : (le32(b, 0) & ~1) >>> 0;
  }

  /** The address an exception frame holds for the interrupted code (EXC_RETURN in LR at handler entry). */
  private async interruptedPc(core: CoreId, excReturn: number): Promise<number | undefined> {
    const target = this.target!;
    const world = await this.worldOf(core);
    let sp: number;
    if (world === undefined) {
      sp = (await target.readRegister(core, (excReturn & 4) !== 0 ? 'psp' : 'sp')) >>> 0;
    } else {
      // ARMv8-M: EXC_RETURN.S names the world whose stack holds the frame, SPSEL its stack;
      // DCRS = 0 puts the callee-saved context (0x28 bytes) below the basic frame.
      const bank = (excReturn & 0x40) !== 0 ? 's' : 'ns';
      sp = (await target.readRegister(core, `${(excReturn & 4) !== 0 ? 'psp' : 'msp'}_${bank}`)) >>> 0;
      if ((excReturn & 0x20) === 0) sp += 0x28;
    }
    const b = await this.readEither(core, (sp + 24) >>> 0, 4, world === undefined ? undefined : (excReturn & 0x40) !== 0 ? 'secure' : 'non-secure');
    return b === undefined ? undefined : le32(b, 0);
  }

  /**
   * `n` bytes at `address` read fresh from the target (a step just changed memory), with the
   * rights of `world` (the core's own when omitted), else of the other world; undefined when
   * neither can read all of them.
   */
  private async readEither(core: CoreId, address: number, n: number, world: World | undefined): Promise<Uint8Array | undefined> {
    const tries: Array<World | undefined> = world === undefined ? [undefined] : [world, world === 'secure' ? 'non-secure' : 'secure'];
    for (const w of tries) {
      const m = await this.target!.readMemory({ core, address, ...(w ? { world: w } : {}) }, n).catch(() => undefined);
      if (m !== undefined && m.data.length === n) return m.data;
    }
    return undefined;
  }

  /** Runs until `core` reaches `addr` with the stack no deeper than `cfa` (recursion), or something else stops it. */
  private async runTo(core: CoreId, addr: number, minCfa: number | undefined): Promise<StoppedEvent> {
    const target = this.target!;
    const id = await target.addBreakpoint({ address: addr & ~1, core });
    try {
      for (let guard = 0; guard < 10_000; guard++) {
        const e = await this.runUntilStop();
        const ours = e.reason === 'breakpoint' && (e.hitBreakpoints ?? []).includes(id);
        if (!ours) return e;
        if ((e.hitBreakpoints ?? []).some((b) => b !== id && this.dapIdOf.has(b))) return e;
        if (minCfa !== undefined) {
          // A recursive call returning to an inner activation (a deeper frame): keep going.
          const cfa = await this.cfaOf(core);
          if (cfa !== undefined && cfa < minCfa) continue;
        }
        return { ...e, reason: 'step', description: 'Step' };
      }
      return { core, reason: 'pause', description: 'Step gave up: the return address was hit 10000 times in deeper frames' };
    } finally {
      await target.removeBreakpoint(id).catch(() => undefined);
    }
  }

  /**
   * Step out: run to the return address of the innermost (physical) frame. Callers that are
   * trampolines (the BLXNS helper between a non-secure callback and its secure caller) are
   * run through to the first caller with source.
   */
  private async stepOut(core: CoreId): Promise<StoppedEvent> {
    const stack = await this.stackOf(core);
    let k = stack.findIndex((f, i) => i > 0 && f.inlineDepth === 0 && f.regs !== stack[0].regs);
    if (k < 0) return this.stepOnce(core);
    const caller0 = stack[k];
    if (caller0.exception !== undefined) {
      // Returning from a handler: stop where the interrupted code resumes.
      const resume = stack[k + 1];
      if (resume === undefined) return this.stepOnce(core);
      return this.runTo(core, resume.pc, undefined);
    }
    while (k + 1 < stack.length && stack[k].exception === undefined && this.isTrampoline(this.imageFor(core, stack[k].pc, stack[k].world), stack[k].pc)) k++;
    const caller = stack[k].exception === undefined ? stack[k] : caller0;
    // gdb finishes in the middle of the caller's line; a line step would then go on to the next
    // statement. We stop at the return address like `finish`.
    return this.runTo(core, caller.pc, caller.regs.get(13));
  }

  /**
   * Line step (next / step in): step while pc stays in the line's ranges; calls are stepped
   * over by running to their return address ('over'), or entered when they have line info
   * ('in'); an interrupt taken during the step is run through to its return. On ARMv8-M the
   * step follows calls and returns between the worlds: through SG veneers into secure
   * functions, through BLXNS into non-secure callbacks, back through BXNS and FNC_RETURN.
   */
  private async stepLine(core: CoreId, kind: 'over' | 'in'): Promise<StoppedEvent> {
    const target = this.target!;
    let pc = await this.pcOf(core);
    let world = await this.worldOf(core);
    let img = this.sourceAt(core, pc, world);
    if (img === undefined) return kind === 'over' ? this.stepInstruction(core, 'over') : this.stepOnce(core);
    // The frame the step belongs to: calls go deeper than its CFA (in its world's stack).
    let startCfa = await this.cfaOf(core);
    let startWorld = world;
    const startIpsr = (await target.readRegister(core, 'ipsr')) & 0x1ff;
    let ranges = img.info.stepRanges(pc);
    const inRanges = (a: number) => ranges.some((r) => a >= r.start && a < r.end);
    let budget = STEP_BUDGET;
    for (let guard = 0; guard < 1_000_000 && budget > 0; guard++) {
      if (this.cancelStep) return { core, reason: 'pause', description: 'Paused' };
      const r = world === startWorld ? ranges.find((x) => pc >= x.start && pc < x.end) : undefined;
      let e: StoppedEvent;
      if (r !== undefined && target.stepRange !== undefined) {
        e = await target.stepRange(core, r.start, r.end, Math.min(budget, 1_000_000));
        budget -= 1000;
      } else {
        e = await target.step(core);
        budget--;
      }
      e = await this.landed(core, e);
      // A conditional breakpoint or logpoint inside the stepped range: only a true one ends the step.
      if (e.reason === 'breakpoint' && (e.hitBreakpoints ?? []).some((id) => this.bpRules.has(this.dapIdOf.get(id) ?? -1))) {
        e = (await this.applyRules(e)) ?? { ...e, reason: 'step', description: 'Step' };
      }
      if (e.reason !== 'step') return e;
      const prev = pc;
      pc = await this.pcOf(core);
      world = await this.worldOf(core);
      // An interrupt arrived: run the handler to its return, to the interrupted instruction.
      const ipsr = (await target.readRegister(core, 'ipsr')) & 0x1ff;
      if (ipsr !== startIpsr && ipsr !== 0 && ipsr > 3) {
        const lr = (await target.readRegister(core, 'lr')) >>> 0;
        if ((lr >>> 24) === 0xff) {
          const ret = await this.interruptedPc(core, lr);
          if (ret !== undefined) {
            const back = await this.runTo(core, ret & ~1, undefined);
            if (back.reason !== 'step') return back;
            pc = await this.pcOf(core);
            world = await this.worldOf(core);
            continue;
          }
        }
      }
      if (world === startWorld && inRanges(pc)) continue;
      const lr = (await target.readRegister(core, 'lr')) >>> 0;
      // A call: the stack of the step's world grew; across worlds, a BLXNS (LR = FNC_RETURN)
      // or an SG entry (LR, its bit 0 cleared, returns into the line).
      let deeper: boolean;
      if (world === startWorld) {
        const cfa = await this.cfaOf(core);
        deeper = startCfa !== undefined && cfa !== undefined && cfa < startCfa;
      } else {
        deeper = isFncReturn(lr) || inRanges((lr & ~1) >>> 0);
      }
      if (deeper) {
        const ret = isFncReturn(lr) ? await this.fncReturnAddress(core) : (lr >>> 24) === 0xff ? undefined : (lr & ~1) >>> 0;
        const callee = this.sourceAt(core, pc, world);
        if (kind === 'in' && callee !== undefined) return this.stopInFunction(core, callee, pc);
        if (ret === undefined) return { core, reason: 'step', description: 'Step' };
        if (kind === 'in') {
          // Into code without source: through a veneer, or to a callback in the other world.
          const through = await this.stepThrough(core, pc, ret, startCfa, startWorld);
          if (through !== 'returned') return through;
        } else {
          // Over the call: run to the return address in LR (set by the BL that got us here).
          const back = await this.runTo(core, ret, world === startWorld ? startCfa : undefined);
          if (back.reason !== 'step') return back;
        }
        pc = await this.pcOf(core);
        world = await this.worldOf(core);
        if (world === startWorld && inRanges(pc)) continue;
      }
      const here = this.sourceAt(core, pc, world);
      if (here === undefined) {
        // Returned into code without source (the BLXNS helper after FNC_RETURN, a library
        // routine): finish like gdb's step does, one instruction at a time.
        if (prev === pc) return { core, reason: 'step', description: 'Step' };
        continue;
      }
      img = here;
      if (img.info.lines!.isStatement(pc)) return { core, reason: 'step', description: 'Step' };
      // Landed in the middle of a line (returned from the function, maybe into the other
      // world): finish that line too, as a step of the caller's frame.
      ranges = img.info.stepRanges(pc);
      startCfa = await this.cfaOf(core);
      startWorld = world;
    }
    return { core, reason: 'pause', description: 'Step stopped after its instruction budget' };
  }

  // ------------------------------------------------------------------ breakpoints

  /** Remove target breakpoints and forget their DAP ids and addresses. */
  private async dropBreakpoints(ids: readonly number[]): Promise<void> {
    for (const id of ids) { await this.target?.removeBreakpoint(id); this.dapIdOf.delete(id); this.bpWhere.delete(id); }
  }

  /** Arm one target breakpoint for DAP breakpoint `dapId`; records it so stops report the DAP id. */
  private async armBreakpoint(target: Target, dapId: number, address: number, core: CoreId | undefined, world: World | undefined, into: number[]): Promise<void> {
    const id = await target.addBreakpoint({ address, ...(core !== undefined ? { core } : {}), ...(world ? { world } : {}) });
    into.push(id);
    this.dapIdOf.set(id, dapId);
    this.bpWhere.set(id, { address, ...(core !== undefined ? { core } : {}), ...(world ? { world } : {}) });
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const target = this.target;
    const path = args.source.path ?? args.source.name ?? '';
    const old = this.sourceBps.get(path) ?? [];
    const ids: number[] = [];
    const out: DebugProtocol.Breakpoint[] = [];
    try {
      await this.dropBreakpoints(old);
      for (const sbp of args.breakpoints ?? []) {
        const dapId = this.nextDapId++;
        let line = sbp.line;
        const addrs: { img: Image; address: number }[] = [];
        for (const img of this.images) {
          const m = this.sourceMatch(img.info, path, sbp.line);
          if (m === undefined || m.addresses.length === 0) continue;
          line = m.line;
          for (const a of m.addresses) addrs.push({ img, address: a });
        }
        const bp = new Breakpoint(addrs.length > 0, line, undefined, new Source(path.split(/[\\/]/).pop() ?? path, path)) as DebugProtocol.Breakpoint;
        bp.id = dapId;
        const ruleError = this.bpRules.set(dapId, sbp);
        if (target === undefined) { bp.verified = false; bp.message = 'the session has not launched yet'; }
        else if (ruleError !== undefined) { bp.verified = false; bp.message = ruleError; }
        else if (addrs.length === 0) {
          bp.message = this.images.length === 0 ? 'no image is loaded' : `no code at ${path.split(/[\\/]/).pop()}:${sbp.line} or below in ${this.images.map((i) => i.program.split(/[\\/]/).pop()).join(', ')}`;
        } else {
          for (const a of addrs) await this.armBreakpoint(target, dapId, a.address, a.img.core, a.img.world, ids);
          bp.instructionReference = hex(addrs[0].address);
        }
        out.push(bp);
      }
      this.sourceBps.set(path, ids);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, 4, this.message(e));
    }
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    await this.answer(response, 4, async () => {
      const target = this.requireTarget();
      await this.dropBreakpoints(this.functionBps);
      this.functionBps = [];
      const out: DebugProtocol.Breakpoint[] = [];
      for (const fbp of args.breakpoints) {
        const dapId = this.nextDapId++;
        const bp: DebugProtocol.Breakpoint = { id: dapId, verified: false };
        const ruleError = this.bpRules.set(dapId, fbp);
        if (ruleError !== undefined) { out.push({ ...bp, message: ruleError }); continue; }
        let q: ReturnType<typeof parseQualifiedName>;
        try { q = parseQualifiedName(fbp.name, this.coreList); } catch (err) { out.push({ ...bp, message: this.message(err) }); continue; }
        // `s:secure_service` looks only in the images of that world (and core).
        const chosen = this.images.filter((i) => (q.core === undefined || i.core === q.core) && (q.world === undefined || i.world === undefined || i.world === q.world));
        for (const img of chosen) {
          const fns = img.info.functionAddresses(q.name);
          for (const f of fns) {
            const addr = f.inlined ? f.lo : this.afterPrologue(img.info, f.lo, f.hi);
            await this.armBreakpoint(target, dapId, addr, img.core, img.world ?? q.world, this.functionBps);
            if (!bp.verified) {
              bp.verified = true;
              bp.instructionReference = hex(addr);
              const loc = img.info.sourceAt(addr);
              if (loc !== undefined) { bp.line = loc.line; bp.source = new Source(loc.file.split(/[\\/]/).pop() ?? loc.file, loc.file); }
            }
          }
        }
        if (!bp.verified) bp.message = `no function '${q.name}' in ${chosen.map((i) => i.program.split(/[\\/]/).pop()).join(', ') || 'the images of that world/core'}`;
        out.push(bp);
      }
      response.body = { breakpoints: out };
    });
  }

  protected override async setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): Promise<void> {
    await this.answer(response, 4, async () => {
      const target = this.requireTarget();
      await this.dropBreakpoints(this.instructionBps);
      this.instructionBps = [];
      const out: DebugProtocol.Breakpoint[] = [];
      for (const ibp of args.breakpoints) {
        const dapId = this.nextDapId++;
        try {
          const ruleError = this.bpRules.set(dapId, ibp);
          if (ruleError !== undefined) throw new Error(ruleError);
          const q = parseQualifiedAddress(ibp.instructionReference, this.coreList);
          const address = (q.address + (ibp.offset ?? 0)) >>> 0;
          await this.armBreakpoint(target, dapId, address, q.core, q.world, this.instructionBps);
          out.push({ id: dapId, verified: true, instructionReference: hex(address) });
        } catch (e) {
          out.push({ id: dapId, verified: false, message: this.message(e) });
        }
      }
      response.body = { breakpoints: out };
    });
  }

  protected override async dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): Promise<void> {
    const none = (why: string) => { response.body = { dataId: null, description: why }; this.sendResponse(response); };
    try {
      this.requireTarget();
      let t: DataTarget | string | undefined;
      const ref = args.variablesReference !== undefined ? this.varHandles.get(args.variablesReference) ?? this.vars.scopeOf(args.variablesReference) : undefined;
      const fr = args.frameId !== undefined ? this.frameHandles.get(args.frameId) : undefined;
      const scope = ref?.kind === 'locals' ? { core: ref.core, frame: ref.frame } : fr !== undefined ? { core: fr.core, frame: fr.index } : undefined;
      if (ref?.kind === 'registers') return none(`'${args.name}' is a register: registers cannot be watched`);
      const name = args.name.trim();
      // A member of an expanded struct (or an element, a pointer target) watches its own address.
      const member = args.variablesReference !== undefined && this.varHandles.get(args.variablesReference) === undefined
        ? await this.vars.childTarget(args.variablesReference, name) : undefined;
      if (member !== undefined) {
        if (typeof member === 'string') return none(member);
        t = { ...member, ...(ref !== undefined ? { core: ref.core } : {}) };
      } else if (args.asAddress === true || /^(?:[a-z0-9]+:)*(?:0x[0-9a-f]+|\d+)$/i.test(name)) {
        const q = parseQualifiedAddress(name, this.coreList);
        t = { ...(q.core !== undefined ? { core: q.core } : {}), ...(q.world ? { world: q.world } : {}), address: q.address >>> 0, size: args.bytes ?? 4, label: name };
      } else if (scope !== undefined) {
        const frame = (await this.stackOf(scope.core))[scope.frame];
        const cache = this.cacheFor(scope.core);
        if (frame !== undefined) t = await cache.settle(() => localTarget(frame, name, cache.read));
        if (typeof t === 'string' && /^no variable/.test(t)) t = globalTarget(this.images, name) ?? t;
        if (typeof t === 'object' && t.core === undefined) t = { ...t, core: scope.core };
      } else {
        t = globalTarget(this.images, name) ?? `no global '${name}' in ${this.images.map((i) => i.program.split(/[\\/]/).pop()).join(', ')}`;
      }
      if (t === undefined) return none(`'${name}' cannot be watched here`);
      if (typeof t === 'string') return none(t);
      if (args.bytes !== undefined && args.bytes > 0) t = { ...t, size: args.bytes };
      response.body = {
        dataId: encodeDataId(t),
        description: `${t.label} (${t.size} byte(s) at ${hex(t.address)})`,
        accessTypes: ['write', 'read', 'readWrite'],
        // Globals and addresses outlive the stop; a local's address only its frame.
        canPersist: scope === undefined,
      };
      this.sendResponse(response);
    } catch (e) {
      none(this.message(e));
    }
  }

  protected override async setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): Promise<void> {
    await this.answer(response, 4, async () => {
      const target = this.requireTarget();
      for (const [id, d] of this.dataBps) { await target.removeWatchpoint(id); this.bpRules.delete(d.dapId); }
      this.dataBps.clear();
      const out: DebugProtocol.Breakpoint[] = [];
      for (const dbp of args.breakpoints) {
        const dapId = this.nextDapId++;
        try {
          const t = decodeDataId(dbp.dataId);
          const ruleError = this.bpRules.set(dapId, dbp);
          if (ruleError !== undefined) throw new Error(ruleError);
          const id = await target.addWatchpoint({
            address: t.address, size: t.size, access: accessOf(dbp.accessType),
            ...(t.core !== undefined ? { core: t.core } : {}), ...(t.world ? { world: t.world } : {}),
          });
          this.dataBps.set(id, { dapId, target: t });
          out.push({ id: dapId, verified: true, message: `${accessOf(dbp.accessType)} of ${t.label} (${t.size} byte(s) at ${hex(t.address)})` });
        } catch (e) {
          out.push({ id: dapId, verified: false, message: this.message(e) });
        }
      }
      response.body = { breakpoints: out };
    });
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    await this.answer(response, 4, async () => {
      const target = this.requireTarget();
      const ids = [...args.filters, ...(args.filterOptions ?? []).map((o) => o.filterId)];
      const { filters, unknown } = toTargetFilters(ids);
      await target.setExceptionFilters(filters);
      response.body = {
        breakpoints: ids.map((id) => (unknown.includes(id)
          ? { verified: false, message: `unknown exception filter '${id}' (known: ${EXCEPTION_FILTERS.map((f) => f.filter).join(', ')})` }
          : { verified: true })),
      };
    });
  }

  /**
   * Line-table paths are relative to a compilation directory that may not be the user's
   * (-ffile-prefix-map): try the path as given, then ever shorter tails of it.
   */
  private sourceMatch(info: DebugInfo, path: string, line: number) {
    const parts = path.split(/[\\/]/).filter((p) => p !== '');
    const tries = [path, ...parts.map((_, i) => parts.slice(i).join('/')).slice(1)];
    for (const t of tries) {
      const m = info.breakpointAddresses(t, line);
      if (m !== undefined && m.addresses.length > 0) return m;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ output

  private readonly pendingOut = new Map<string, string>();
  private outTimer: NodeJS.Timeout | undefined;

  /** Guest output comes a byte at a time from a UART: send whole lines, and the rest soon after. */
  private onOutput(stream: string, text: string): void {
    const buf = (this.pendingOut.get(stream) ?? '') + text;
    const nl = buf.lastIndexOf('\n');
    if (nl >= 0) this.emitOutput(stream, buf.slice(0, nl + 1));
    const rest = nl >= 0 ? buf.slice(nl + 1) : buf;
    if (rest === '') this.pendingOut.delete(stream); else this.pendingOut.set(stream, rest);
    if (this.pendingOut.size > 0 && this.outTimer === undefined) this.outTimer = setTimeout(() => this.flushOutput(), 20);
  }

  private flushOutput(): void {
    if (this.outTimer !== undefined) { clearTimeout(this.outTimer); this.outTimer = undefined; }
    for (const [stream, text] of this.pendingOut) this.emitOutput(stream, text);
    this.pendingOut.clear();
  }

  /** The console UART and semihosting go to stdout; other UARTs are grouped by device name. */
  private emitOutput(stream: string, text: string): void {
    const ev = new OutputEvent(text, stream === 'stdout' || stream === 'semihosting' ? 'stdout' : 'console', { stream }) as DebugProtocol.OutputEvent;
    this.sendEvent(ev);
  }

  // ------------------------------------------------------------------ stack

  private cacheFor(core: CoreId): MemoryCache {
    let c = this.caches.get(core);
    if (c === undefined) { c = new MemoryCache(this.target!, core); this.caches.set(core, c); }
    return c;
  }

  /** Innermost physical frame only (with its inlined frames), per core, until the next resume. */
  private readonly topStacks = new Map<CoreId, FrameModel[]>();

  /** The stack of core; with top, only as far as frame 0 needs (conditions evaluate there). */
  private async stackOf(core: CoreId, top = false): Promise<FrameModel[]> {
    const known = this.stacks.get(core) ?? (top ? this.topStacks.get(core) : undefined);
    if (known !== undefined) return known;
    const target = this.requireTarget();
    await this.worldOf(core); // the cores' states as of this stop (imageFor picks images by world)
    const all = await target.readRegisters(core);
    const regs = await this.regsOf(core, all);
    const reg = (name: string) => (all.find((r) => r.name === name)?.value ?? 0) >>> 0;
    const psp = reg('psp');
    const ipsr = reg('xpsr') & 0x1ff;
    const info = this.coreList.find((c) => c.id === core);
    const cache = this.cacheFor(core);
    const security: StackSecurity | undefined = info?.hasSecurity ? {
      world: info.world,
      msp: { secure: reg('msp_s'), 'non-secure': reg('msp_ns') },
      psp: { secure: reg('psp_s'), 'non-secure': reg('psp_ns') },
      spsel: { secure: (reg('control_s') & 2) !== 0, 'non-secure': (reg('control_ns') & 2) !== 0 },
    } : undefined;
    const stack = await cache.settle(() => buildStack({
      regs, psp, ipsr, profile: info?.profile ?? 'v7m', readMem: cache.read,
      infoFor: (pc, world) => this.imageFor(core, pc, world)?.info,
      ...(security !== undefined ? { security } : {}),
      ...(top ? { maxPhysical: 1 } : {}),
    }));
    (top ? this.topStacks : this.stacks).set(core, stack);
    return stack;
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    await this.answer(response, 5, async () => {
      const core = coreOf(args.threadId);
      const stack = await this.stackOf(core);
      const start = args.startFrame ?? 0;
      const levels = args.levels && args.levels > 0 ? args.levels : stack.length;
      const frames = stack.slice(start, start + levels).map((f, k) => {
        const index = start + k;
        const id = this.frameHandles.create({ core, index });
        const sf = new StackFrame(id, f.name) as DebugProtocol.StackFrame;
        const trampoline = f.exception === undefined && this.isTrampoline(this.imageFor(core, f.pc, f.world), f.pc);
        if (f.file !== undefined && f.line !== undefined && !trampoline) {
          sf.source = new Source(f.file.split(/[\\/]/).pop() ?? f.file, this.sourcePath(f.file));
          sf.line = f.line;
          sf.column = Math.max(1, f.column ?? 1);
        } else {
          sf.line = 0; sf.column = 0;
          if (f.exception === undefined) sf.presentationHint = 'subtle';
        }
        if (f.exception !== undefined) sf.presentationHint = 'label';
        else sf.instructionPointerReference = hex(f.pc);
        return sf;
      });
      if (args.format !== undefined) await this.formatFrames(core, start, stack, frames, args.format);
      // On a core with two worlds each frame says whose code it is: `s_mac [S]`, `main [NS]`.
      frames.forEach((sf, k) => { const w = stack[start + k].world; if (w !== undefined && stack[start + k].exception === undefined) sf.name += w === 'secure' ? ' [S]' : ' [NS]'; });
      response.body = { stackFrames: frames, totalFrames: stack.length };
    });
  }

  /** Decorates names as stackFrameFormat asks: `module!name(type name = value, ...) Line n`. */
  private async formatFrames(core: CoreId, start: number, stack: FrameModel[], frames: DebugProtocol.StackFrame[], fmt: DebugProtocol.StackFrameFormat): Promise<void> {
    const all = fmt.includeAll === true;
    for (const [k, sf] of frames.entries()) {
      const f = stack[start + k];
      if (f.exception !== undefined) continue;
      let name = sf.name;
      if (all || fmt.parameters || fmt.parameterTypes || fmt.parameterNames || fmt.parameterValues) {
        let params: Array<{ name: string; type?: string; value: string }> = [];
        try { params = f.info === undefined ? [] : await this.vars.frameArguments(core, start + k); } catch { params = []; }
        // With only `parameters`, VS Code's default shows names and values.
        const some = fmt.parameterTypes !== undefined || fmt.parameterNames !== undefined || fmt.parameterValues !== undefined;
        const show = (flag: boolean | undefined, byDefault = true) => all || (some ? flag === true : byDefault);
        const text = params.map((p) => {
          const head = [show(fmt.parameterTypes, false) ? p.type : undefined, show(fmt.parameterNames) ? p.name : undefined].filter((x) => x !== undefined).join(' ');
          if (!show(fmt.parameterValues)) return head;
          return head === '' ? p.value : show(fmt.parameterNames) ? `${head} = ${p.value}` : `${head} ${p.value}`;
        });
        name += `(${text.join(', ')})`;
      }
      if ((all || fmt.line) && sf.line > 0) name += ` Line ${sf.line}`;
      if (all || fmt.module) {
        const img = this.imageFor(core, f.pc);
        if (img !== undefined) name = `${basename(img.program)}!${name}`;
      }
      sf.name = name;
    }
  }

  /** Source paths in DWARF are relative to the compilation directory; resolve against cwd. */
  private sourcePath(file: string): string {
    if (isAbsolute(file)) return file;
    const bases = [this.config?.cwd, ...this.images.map((i) => dirname(dirname(i.program)))];
    for (const b of bases) if (b !== undefined && existsSync(resolve(b, file))) return resolve(b, file);
    return resolve(this.config?.cwd ?? '.', file);
  }

  // ------------------------------------------------------------------ scopes, variables

  /** The last stop per core, for exceptionInfo and the Fault status scope. */
  private readonly lastStop = new Map<CoreId, StoppedEvent>();
  /** Scopes, variables, evaluate and setVariable (variables.ts); its handles start high to stay apart from varHandles. */
  private readonly vars = new VariableStore({
    target: () => this.requireTarget(),
    frame: async (core, index) => (await this.stackOf(core, index === 0))[index],
    cache: (core) => this.cacheFor(core),
    coreInfo: (core) => this.coreList.find((c) => c.id === core),
    images: (core) => this.images.filter((i) => i.core === core).map((i) => i.info),
    changed: (core, what) => { this.caches.delete(core); if (what === 'registers') { this.stacks.delete(core); this.topStacks.delete(core); } },
    faulted: (core) => this.lastStop.get(core)?.fault !== undefined,
  });

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    await this.answer(response, 6, async () => {
      const f = this.frameHandles.get(args.frameId);
      if (f === undefined) throw new Error(`unknown frame ${args.frameId}: the target resumed since`);
      response.body = { scopes: await this.vars.scopes(f.core, f.index) };
    });
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.answer(response, 7, async () => {
      response.body = { variables: await this.vars.variables(args.variablesReference, args.filter, args.start, args.count) };
    });
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.answer(response, 10, async () => {
      this.requireTarget();
      const v = await this.vars.setVariable(args.variablesReference, args.name, args.value);
      response.body = { value: v.value, variablesReference: v.variablesReference, ...(v.type !== undefined ? { type: v.type } : {}), ...(v.memoryReference !== undefined ? { memoryReference: v.memoryReference } : {}) };
    });
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    await this.answer(response, 11, async () => {
      this.requireTarget();
      const f = args.frameId !== undefined ? this.frameHandles.get(args.frameId) : undefined;
      if (args.frameId !== undefined && f === undefined) throw new Error(`unknown frame ${args.frameId}: the target resumed since`);
      const core = f?.core ?? this.images[0]?.core ?? 0;
      const v = await this.vars.evaluate(args.expression, core, f?.index);
      response.body = { result: v.result, variablesReference: v.variablesReference };
      if (v.type !== undefined) response.body.type = v.type;
      if (v.memoryReference !== undefined) response.body.memoryReference = v.memoryReference;
      if (v.indexedVariables !== undefined) response.body.indexedVariables = v.indexedVariables;
    });
  }

  protected override async completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): Promise<void> {
    await this.answer(response, 12, async () => {
      const f = args.frameId !== undefined ? this.frameHandles.get(args.frameId) : undefined;
      const core = f?.core ?? this.images[0]?.core ?? 0;
      // The identifier (or $register) being typed ends at the cursor (1-based column).
      const upto = args.text.slice(0, Math.max(0, args.column - 1));
      const prefix = /[$A-Za-z_][\w$]*$/.exec(upto)?.[0] ?? '';
      const names = this.target === undefined ? [] : await this.vars.completions(core, f?.index, prefix);
      response.body = { targets: names.map((n) => ({ label: n, start: upto.length - prefix.length, length: prefix.length, type: n.startsWith('$') ? 'property' : 'variable' })) };
    });
  }

  protected override async writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): Promise<void> {
    try {
      const target = this.requireTarget();
      const q = parseQualifiedAddress(args.memoryReference, this.coreList);
      const address = (q.address + (args.offset ?? 0)) >>> 0;
      const data = Buffer.from(args.data, 'base64');
      if (data.length > 1 << 20) throw new Error(`writeMemory: ${data.length} bytes at ${hex(address)} is more than the 1 MiB limit`);
      const n = data.length === 0 ? 0 : await target.writeMemory({ ...q, address }, new Uint8Array(data));
      this.caches.clear();
      this.stacks.clear();
      this.topStacks.clear();
      response.body = { offset: args.offset ?? 0, bytesWritten: n };
      this.sendResponse(response);
      if (n > 0) this.sendEvent(new MemoryEvent(args.memoryReference, args.offset ?? 0, n));
    } catch (e) {
      this.sendErrorResponse(response, 13, this.message(e));
    }
  }

  protected override async exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): Promise<void> {
    await this.answer(response, 14, async () => {
      const core = coreOf(args.threadId);
      const e = this.lastStop.get(core);
      const fault = e?.fault;
      if (fault === undefined) {
        response.body = { exceptionId: e?.reason ?? 'none', description: e?.description ?? 'The core has not stopped on an exception', breakMode: 'never' };
      } else {
        const details: DebugProtocol.ExceptionDetails = {
          message: `${fault.cause} at pc ${hex(fault.pc)}${fault.address !== undefined ? `, address ${hex(fault.address)}` : ''}`,
          typeName: fault.name,
          stackTrace: `CFSR ${hex(fault.status.cfsr)}  HFSR ${hex(fault.status.hfsr)}  MMFAR ${hex(fault.status.mmfar)}  BFAR ${hex(fault.status.bfar)}`
            + (fault.status.sfsr !== undefined ? `  SFSR ${hex(fault.status.sfsr)}  SFAR ${hex(fault.status.sfar ?? 0)}` : '')
            + (fault.status.bits.length > 0 ? `\nbits: ${fault.status.bits.join(' ')}` : ''),
        };
        response.body = { exceptionId: fault.name, description: fault.status.summary || fault.cause, breakMode: 'always', details };
      }
    });
  }

  // The base class routes 'modules' to customRequest (it has no modulesRequest).
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === 'modules') { this.modulesRequest(response as DebugProtocol.ModulesResponse, (args ?? {}) as DebugProtocol.ModulesArguments); return; }
    super.customRequest(command, response, args);
  }

  private modulesRequest(response: DebugProtocol.ModulesResponse, args: DebugProtocol.ModulesArguments): void {
    const all = this.images.map((img, i): DebugProtocol.Module => {
      const load = img.info.elf.segments.filter((s) => s.type === 1 && s.memsz > 0);
      const lo = load.length > 0 ? Math.min(...load.map((s) => s.vaddr)) : undefined;
      const core = this.coreList.find((c) => c.id === img.core)?.name ?? `core ${img.core}`;
      const m: DebugProtocol.Module = {
        id: i, name: img.program.split(/[\\/]/).pop() ?? img.program, path: img.program,
        symbolStatus: img.info.hasDwarf() ? 'Symbols loaded.' : 'No DWARF: symbols only.',
        isOptimized: false,
      };
      if (lo !== undefined) m.addressRange = `${hex(lo)} (${core}${img.world ? `, ${img.world}` : ''})`;
      return m;
    });
    const start = args.startModule ?? 0;
    response.body = { modules: all.slice(start, args.moduleCount ? start + args.moduleCount : undefined), totalModules: all.length };
    this.sendResponse(response);
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    try {
      const seen = new Set<string>();
      const sources: DebugProtocol.Source[] = [];
      for (const img of this.images) {
        for (const file of (img.info.lines?.programs() ?? []).flatMap((p) => p.files.map((f) => f.path))) {
          if (file === '' || /^<.*>$/.test(file)) continue;
          const path = this.sourcePath(file);
          if (seen.has(path) || seen.size >= 10_000) continue;
          seen.add(path);
          sources.push(new Source(path.split(/[\\/]/).pop() ?? path, path));
        }
      }
      response.body = { sources };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, 15, this.message(e));
    }
  }

  // ------------------------------------------------------------------ memory, disassembly

  protected override async readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): Promise<void> {
    await this.answer(response, 8, async () => {
      const target = this.requireTarget();
      const q = parseQualifiedAddress(args.memoryReference, this.coreList);
      const address = (q.address + (args.offset ?? 0)) >>> 0;
      const count = Math.max(0, Math.min(args.count, 1 << 20));
      const r = await target.readMemory({ ...q, address }, count);
      response.body = { address: hex(address), data: Buffer.from(r.data).toString('base64'), unreadableBytes: r.unreadable };
    });
  }

  protected override async disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): Promise<void> {
    await this.answer(response, 9, async () => {
      const target = this.requireTarget();
      const q = parseQualifiedAddress(args.memoryReference, this.coreList);
      const core = q.core ?? this.images[0]?.core ?? 0;
      const address = (q.address + (args.offset ?? 0)) >>> 0;
      const insns = await disassemble({
        address, instructionOffset: args.instructionOffset ?? 0, count: Math.min(args.instructionCount, 4096),
        decode: (hw1, hw2, pc, itCond) => target.decodeInstruction(core, hw1, hw2, pc, itCond),
        read: async (a, n) => (await target.readMemory({ ...q, core, address: a }, n)).data,
        image: (pc) => this.imageFor(core, pc)?.info,
        ...(target.readSecurity !== undefined ? { security: (addrs: readonly number[]) => target.readSecurity!(core, addrs), imageWorld: (pc: number) => this.imageFor(core, pc)?.world } : {}),
      });
      response.body = {
        instructions: insns.map((i) => {
          const d: DebugProtocol.DisassembledInstruction = { address: hex(i.address), instruction: i.text, instructionBytes: i.bytes };
          if (i.symbol !== undefined) d.symbol = i.symbol;
          if (i.file !== undefined) { d.location = new Source(i.file.split(/[\\/]/).pop() ?? i.file, this.sourcePath(i.file)); d.line = i.line; }
          if (i.invalid) d.presentationHint = 'invalid';
          return d;
        }),
      };
    });
  }

  // ------------------------------------------------------------------ helpers

  private requireTarget(): Target {
    if (this.target === undefined) throw new Error('the session has not launched yet');
    return this.target;
  }

  /** Core named in launch.json (index, name) -> id; undefined means the first core. */
  private coreIdFor(spec: number | string | undefined, field: string): CoreId {
    if (spec === undefined) return this.coreList[0]?.id ?? 0;
    const want = String(spec).toLowerCase();
    const c = this.coreList.find((x) => String(x.id) === want || x.name.toLowerCase() === want || `cpu${x.id}` === want);
    if (c === undefined) throw new LaunchConfigError(`launch.json: ${field}: no core '${spec}' on this board (cores: ${this.coreList.map((x) => `${x.id} = ${x.name}`).join(', ')})`);
    return c.id;
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    try { await fn(); } catch (e) { this.sendEvent(new OutputEvent(`${this.message(e)}\n`, 'stderr')); }
  }

  private message(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
  }

  /**
   * The envelope of most requests: run `fill` (it sets response.body), then answer, or answer
   * with its error. Errors of the queries VS Code sends on its own (stack, scopes, variables,
   * hovers, completions, memory, disassembly) are not shown in a pop-up: a stale frame after a
   * resume is routine there, and the view shows the message itself.
   */
  private async answer(response: DebugProtocol.Response, code: number, fill: () => Promise<void>): Promise<void> {
    try {
      await fill();
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: code, format: this.message(e), showUser: !QUIET_ERRORS.has(code) });
    }
  }
}

/** `CPU0 [Thread]`, `M33 [Secure, Handler]`, `CPU1 (waiting)`. */
export function threadName(c: CoreInfo): string {
  if (c.state === 'held') return `${c.name} (waiting)`;
  if (c.state === 'exited') return `${c.name} (exited)`;
  const mode = c.mode === 'Handler' ? `Handler: ${c.exceptionName || exceptionName(c.exception)}` : 'Thread';
  const parts = c.hasSecurity ? [c.world === 'secure' ? 'Secure' : 'Non-secure', mode] : [mode];
  return `${c.name} [${parts.join(', ')}]${c.sleeping ? ' (sleeping)' : ''}`;
}

export { formatQualifiedAddress };
