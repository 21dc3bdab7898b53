// The ARMv7-M core state and its run loop. Instruction semantics live in the
// declarative tables (isa-*.ts); exceptions, NVIC, SCB, SysTick and the MPU live
// behind the CoreSystem interface (system.ts). Names follow the ARM ARM pseudocode.
import { AddressSpace, ATTR_PRIV, ATTR_SECURE, BusError, PAGE_MASK, PAGE_SHIFT } from '../../bus';
import type { Clock } from '../../clock';
import { InsnDef, InsnTable, isThumb32 } from './insn';
import type { TraceBus } from '../../trace';
import { BlockFn, compileBlock, HEAT_THRESHOLD, MAX_BLOCK } from './block-compiler';

/** Exception numbers (ARM ARM B1.5.2). External interrupt n is 16 + n. */
export const EXC_RESET = 1, EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4, EXC_BUSFAULT = 5,
  EXC_USAGEFAULT = 6, EXC_SVCALL = 11, EXC_DEBUGMON = 12, EXC_PENDSV = 14, EXC_SYSTICK = 15;

/** CFSR bits (B3.2.15). MMFSR [7:0], BFSR [15:8], UFSR [31:16]. */
export const CFSR_IACCVIOL = 1 << 0, CFSR_DACCVIOL = 1 << 1, CFSR_MUNSTKERR = 1 << 3, CFSR_MSTKERR = 1 << 4,
  CFSR_MLSPERR = 1 << 5, CFSR_MMARVALID = 1 << 7,
  CFSR_IBUSERR = 1 << 8, CFSR_PRECISERR = 1 << 9, CFSR_IMPRECISERR = 1 << 10, CFSR_UNSTKERR = 1 << 11,
  CFSR_STKERR = 1 << 12, CFSR_LSPERR = 1 << 13, CFSR_BFARVALID = 1 << 15,
  CFSR_UNDEFINSTR = 1 << 16, CFSR_INVSTATE = 1 << 17, CFSR_INVPC = 1 << 18, CFSR_NOCP = 1 << 19,
  CFSR_UNALIGNED = 1 << 24, CFSR_DIVBYZERO = 1 << 25,
  /** ARMv8-M UFSR.STKOF: an SP write below MSPLIM/PSPLIM. */
  CFSR_STKOF = 1 << 20;

/**
 * Security attribution of a 4 KiB page, as cached by the SAU (security.ts): unknown (not yet
 * looked up), Non-secure, Secure, Non-secure callable, exempt, or mixed (decided per address).
 */
export const SEC_PG_UNKNOWN = 0, SEC_PG_NS = 1, SEC_PG_S = 2, SEC_PG_NSC = 3, SEC_PG_EXEMPT = 4, SEC_PG_MIXED = 5;

/** Kinds of memory access, for MPU checks. */
export const ACC_READ = 0, ACC_WRITE = 1, ACC_FETCH = 2;

/** Why run() returned. */
export type StopReason =
  | 'limit'        // instruction budget used up
  | 'exit'         // semihosting exit (see cpu.exitCode)
  | 'breakpoint'   // debugger breakpoint or BKPT with a debugger attached
  | 'halt'         // requestHalt()
  | 'lockup'       // unrecoverable fault (ARM ARM B1.5.15)
  | 'deadlock';    // WFI/WFE with no event that could ever wake the core

/**
 * What the core needs from the system-level model (NVIC, SCB, SysTick, MPU,
 * exception entry/return). Implemented in system.ts.
 */
export interface CoreSystem {
  /** Reset the system state and perform the reset exception (load SP and PC from the vector table). */
  reset(cpu: CortexM): void;
  /** Called by the run loop when cpu.attention is set. Takes a pending exception if one may preempt. */
  service(cpu: CortexM): void;
  /** Is some exception pending that would wake a WFI (ignoring PRIMASK, per B1.5.19)? */
  wakeupPending(cpu: CortexM): boolean;
  /** Record a synchronous fault (CFSR bits, with the faulting address when MMARVALID/BFARVALID) and pend or escalate it. */
  fault(cpu: CortexM, cfsrBits: number, address: number): void;
  /** ExceptionReturn(EXC_RETURN) for a BX/POP/LDR to PC of 0xFxxxxxxx in Handler mode. */
  exceptionReturn(cpu: CortexM, excReturn: number): void;
  /** SVC: pend SVCall (escalating to HardFault when it cannot be taken). */
  svc(cpu: CortexM, imm: number): void;
  /** MPU check for a data access or fetch; false means a MemManage fault was recorded. Only called while cpu.mpuActive. */
  mpuCheck(cpu: CortexM, addr: number, size: number, kind: number, priv: boolean): boolean;
  /** Lazy FP state preservation when FPCCR.LSPACT is set (B1.5.7). */
  preserveFpState(cpu: CortexM): void;
  /** FP access allowed by CPACR for the current privilege? */
  fpAccessAllowed(cpu: CortexM): boolean;
  /** FPCCR.ASPEN, FPCCR.LSPACT. */
  readonly aspen: boolean;
  readonly lspact: boolean;
  /** FPDSCR: default FPSCR fields for a new FP context. */
  readonly fpdscr?: number;
  /** CCR.UNALIGN_TRP and CCR.DIV_0_TRP. */
  readonly unalignTrap: boolean;
  readonly div0Trap: boolean;
  /** Priority grouping etc. are the system's business; the core only asks for the execution priority. */
  executionPriority(cpu: CortexM): number;
  /** A BKPT the debugger did not claim: HardFault with HFSR.DEBUGEVT, or lockup when it cannot be taken. */
  debugEvent(cpu: CortexM): void;
  /** ARMv8-M: record SFSR bits (and SFAR when SFARVALID) and pend SecureFault. */
  secureFault?(cpu: CortexM, sfsrBits: number, address: number): void;
  /** ARMv8-M: the MPU region and permissions of `addr` for TT (the given state's MPU and privilege). */
  mpuRegionFor?(addr: number, secure: boolean, priv: boolean): { region: number; valid: boolean; r: boolean; rw: boolean; nr?: boolean; nrw?: boolean };
}

/**
 * The Security Extension's core-side behaviour, installed by security.ts (installSecurity)
 * on v8-M cores that have it; null on every other core, so v7-M never pays for it.
 */
export interface SecurityHooks {
  /** The SAU (its registers are decoded by the SCS). */
  readonly sau: { readCtrl(): number; invalidate(): void };
  /** May the instruction at `pc` be fetched in the current state? False: SecureFault raised. */
  fetchCheck(cpu: CortexM, pc: number): boolean;
  /**
   * May every instruction in `pc`'s 4 KiB page be fetched in the current state without
   * a per-address check? False for pages fetchCheck must decide address by address.
   */
  fetchPageAllowed(cpu: CortexM, pc: number): boolean;
  /** The attribution cache, SEC_PG_* per page (SEC_PG_UNKNOWN until dataAttrs or fetchCheck looks the page up). */
  readonly pageCodes: Uint8Array;
  /** Bus attributes of a data access at `addr` (ATTR_SECURE from the attribution); throws ABORT after a SecureFault. */
  dataAttrs(cpu: CortexM, addr: number, priv: boolean): number;
  /** FunctionReturn() for a branch to FNC_RETURN. */
  functionReturn(cpu: CortexM): void;
}

/** Thrown inside an instruction when it aborted with a fault already recorded. */
class Abort { }
export const ABORT = new Abort();

export class CortexM {
  // ---- integer state
  readonly r = new Int32Array(16);
  /** APSR flags, each 0 or 1; GE is 4 bits. */
  n = 0; z = 0; c = 0; v = 0; q = 0; ge = 0;
  /** ITSTATE as in EPSR/IT (8 bits); itCur is the value that applied to the executing instruction. */
  itstate = 0; itCur = 0;
  /** EPSR.T. Writing 0 makes the next instruction raise INVSTATE. */
  tbit = 1;
  ipsr = 0;
  /** Banked stack pointers; r[13] holds the active one. */
  msp = 0; psp = 0;
  control = 0; primask = 0; faultmask = 0; basepri = 0;
  /** Address of the executing instruction, and the address execution continues at. */
  curPc = 0; pc = 0;
  /** Local exclusive monitor: tagged address, or -1 when open. */
  exclusiveAddr = -1;
  /** Event register for WFE/SEV. */
  eventRegister = 0;
  sleeping = false;
  sleepOnWfe = false;
  locked = false;

  // ---- ARMv8-M (Cortex-M33). The fields above hold the CURRENT security state's
  // registers; `other` holds the inactive state's banked copies (ARMv8-M B3.x), swapped
  // by setSecurityState(). v7-M cores leave all of this at its defaults.
  /** 'v7m' (Cortex-M4) or 'v8m' (ARMv8-M Mainline, Cortex-M33). */
  arch: 'v7m' | 'v8m' = 'v7m';
  /** Security Extension implemented. */
  hasSecurity = false;
  /** Current security state. A core without the Security Extension is always non-secure. */
  secure = false;
  /** Stack limits of the current state (ARMv8-M; 0 = no limit). */
  msplim = 0; psplim = 0;
  /** Banked registers of the inactive security state. */
  readonly other = { msp: 0, psp: 0, msplim: 0, psplim: 0, control: 0, primask: 0, basepri: 0, faultmask: 0 };

  /**
   * Switch security state, swapping every banked register (and the active SP in r[13]).
   * CONTROL.FPCA and CONTROL.SFPA are not banked and stay with the core.
   */
  setSecurityState(secure: boolean): void {
    if (secure === this.secure) return;
    if (this.usingPsp()) this.psp = this.r[13]; else this.msp = this.r[13];
    const o = this.other;
    let t = this.msp; this.msp = o.msp; o.msp = t;
    t = this.psp; this.psp = o.psp; o.psp = t;
    t = this.msplim; this.msplim = o.msplim; o.msplim = t;
    t = this.psplim; this.psplim = o.psplim; o.psplim = t;
    const shared = this.control & 0xc; // FPCA (bit 2), SFPA (bit 3)
    t = this.control; this.control = (o.control & ~0xc) | shared; o.control = t & ~0xc;
    t = this.primask; this.primask = o.primask; o.primask = t;
    t = this.basepri; this.basepri = o.basepri; o.basepri = t;
    t = this.faultmask; this.faultmask = o.faultmask; o.faultmask = t;
    this.secure = secure;
    this.r[13] = this.usingPsp() ? this.psp : this.msp;
    this.attention = true;
  }

  // ---- FP state (FPv4-SP): 32 single registers, also viewed as raw bits.
  readonly sBits = new Uint32Array(32);
  readonly s = new Float32Array(this.sBits.buffer);
  fpscr = 0;

  // ---- run-loop control
  /** Set by anyone who needs the loop to stop and look (pending exception, halt request, T-bit cleared...). */
  attention = false;
  private haltRequested = false;
  exitCode: number | null = null;
  /** Breakpoint addresses (halfword aligned); null when none are armed, so the hot loop pays one compare. */
  breakpoints: Set<number> | null = null;
  /** Set when the last stop was a breakpoint hit, so the next run() steps over it. */
  private resumeOverBreakpoint = false;
  /** Debugger: qualify a breakpoint address hit (e.g. by security world); null or true means stop. */
  breakpointFilter: ((cpu: CortexM, pc: number) => boolean) | null = null;
  /** Debugger: the next run() executes (true) or stops at (false) a breakpoint at the current pc. */
  setResumeOverBreakpoint(on: boolean): void { this.resumeOverBreakpoint = on; }
  /**
   * Debugger, one-shot: the next run() executes one instruction before it takes any pending
   * exception, as gdb steps off a breakpoint with interrupts masked (QEMU's SSTEP_NOIRQ), so
   * resuming from a breakpoint always runs the breakpointed instruction.
   */
  holdExceptionsForOneInstruction = false;
  /** True while the MPU is enabled: memory accesses go through system.mpuCheck. */
  mpuActive = false;
  /** Semihosting (BKPT 0xAB) handler; returns true when it handled the call. */
  semihost: ((cpu: CortexM) => void) | null = null;
  /** A debugger is attached: BKPT stops instead of faulting. */
  debuggerAttached = false;
  /** Instructions retired since reset. */
  instret = 0;
  /** Optional per-instruction trace hook (nullable; checked once per slice, see run()). */
  traceHook: ((cpu: CortexM, def: InsnDef, insn: number) => void) | null = null;
  private stopReason: StopReason | null = null;

  system!: CoreSystem;
  /** ARMv8-M Security Extension (security.ts installSecurity), or null. */
  security: SecurityHooks | null = null;
  /** Trace sink, non-null only while someone listens (see emulator/trace.ts). */
  trace: TraceBus | null = null;
  /** Index of this core in its machine (trace events and DAP thread ids use it). */
  coreIndex = 0;
  /** Held in reset or waiting (CPUWAIT, SRC M4 enable): the machine does not run it. */
  held = false;
  /** The most recent synchronous fault, for diagnostics (CLI, debugger). */
  readonly lastFault = { cfsr: 0, pc: 0, address: 0, count: 0, sfsr: 0 };

  constructor(readonly name: string, readonly bus: AddressSpace, readonly clock: Clock, readonly isa: InsnTable) {
    // A store into decoded code ends a compiled block after the store, so the rest of the
    // block is fetched again (self-modifying code behaves as in the interpreter).
    if (bus.onCodeWrite === null) bus.onCodeWrite = () => { this.attention = true; };
  }

  // ---------------------------------------------------------------- reset/run

  reset(): void {
    this.r.fill(0);
    this.n = this.z = this.c = this.v = this.q = this.ge = 0;
    this.itstate = this.itCur = 0;
    this.tbit = 1;
    this.ipsr = 0;
    this.control = this.primask = this.faultmask = this.basepri = 0;
    this.exclusiveAddr = -1;
    this.eventRegister = 0;
    this.sleeping = this.locked = false;
    this.msplim = this.psplim = 0;
    for (const k of Object.keys(this.other) as (keyof CortexM['other'])[]) this.other[k] = 0;
    this.secure = this.hasSecurity; // ARMv8-M resets into the secure state when it has one
    this.sBits.fill(0);
    this.fpscr = 0;
    this.exitCode = null;
    this.stopReason = null;
    this.system.reset(this);
  }

  requestHalt(): void { this.haltRequested = true; this.attention = true; }

  /** Stop the run loop with a reason (used by semihosting exit, lockup, breakpoints). */
  stop(reason: StopReason): void { this.stopReason = reason; this.attention = true; }

  /**
   * Run until `maxInsns` instructions retire or something stops the core.
   * WFI with nothing to do skips virtual time to the next clock event.
   */
  run(maxInsns: number, cycleLimit = Infinity): StopReason {
    const clock = this.clock;
    const endInsn = this.instret + maxInsns;
    this.attention = true;
    let held = false;
    for (;;) {
      // -- slow path: everything that is not "execute the next instruction"
      if (this.attention) {
        this.attention = false;
        if (this.haltRequested) { this.haltRequested = false; return 'halt'; }
        if (this.stopReason !== null) { const s = this.stopReason; this.stopReason = null; return s; }
        clock.fireDue();
        if (this.locked) return 'lockup';
        // Held: a timer that fired above has pended its exception; it waits one instruction.
        if (this.holdExceptionsForOneInstruction && !this.sleeping) { held = true; this.attention = false; }
        else {
          const pc0 = this.pc;
          this.system.service(this);
          // Exception entry moved pc: a breakpoint at the handler's first instruction is a new hit.
          if (this.pc !== pc0) this.resumeOverBreakpoint = false;
        }
        if (this.stopReason !== null) { const s = this.stopReason; this.stopReason = null; return s; }
        if (this.sleeping) {
          if (this.system.wakeupPending(this)) { this.sleeping = false; this.attention = true; continue; }
          const d = clock.nextDeadline();
          if (d === Infinity && cycleLimit === Infinity) return 'deadlock';
          // WFI skips time; the skipped cycles count as time, not as instructions.
          // With other cores in the machine, never past the shared time window.
          clock.now = Math.max(clock.now, Math.min(d, cycleLimit));
          // Still asleep at the window's end; run() re-checks the wake-up on entry.
          if (clock.now >= cycleLimit) return 'limit';
          this.attention = true;
          continue;
        }
        // EPSR.T is 0: the instruction at pc faults (the stacked PC is that target, not the BX).
        if (this.tbit === 0) { this.curPc = this.pc; this.fault(CFSR_INVSTATE, 0); continue; }
      }
      if (this.instret >= endInsn || clock.now >= cycleLimit) return 'limit';
      const limitInsn = held ? this.instret + 1 : Math.min(endInsn, this.instret + Math.max(1, Math.min(clock.nextDeadline(), cycleLimit) - clock.now));
      try {
        if (this.traceHook !== null || this.breakpoints !== null || this.mpuActive) this.runSlow(limitInsn);
        else this.runFast(limitInsn);
      } catch (e) {
        this.handleThrow(e);
      }
      // Cleared only once the instruction ran: a run() that ends at its window first keeps it.
      if (held) { held = false; this.holdExceptionsForOneInstruction = false; this.attention = true; }
      if (clock.now >= clock.nextDeadline()) this.attention = true;
      if (this.resumeOverBreakpoint && this.stopReason === 'breakpoint') { /* stop now */ }
    }
  }

  /** Compile hot blocks (see block-compiler.ts). */
  blocksEnabled = true;

  /**
   * The hot loop: no allocation, no closures; one decode-cache lookup per instruction,
   * and compiled blocks for code that has run HEAT_THRESHOLD times. A block is entered
   * only outside IT blocks and with at least MAX_BLOCK instructions of budget left, so
   * the budget (and clock deadlines inside it) are never overrun.
   *
   * With the Security Extension the fetch check (SecurityCheck on each instruction fetch)
   * is done once per page: `okPage` is the page proved fetchable in the current state. It
   * lives only for this call; a state change or an SAU/IDAU change raises attention, which
   * ends the call (and any block, after the instruction that raised it). Pages that need a
   * per-address answer (NSC seen from Non-secure, mixed SAU pages) are checked per
   * instruction and never run compiled blocks.
   */
  private runFast(limitInsn: number): void {
    const r = this.r;
    const clock = this.clock;
    const frames = this.bus.frames;
    const blocks = this.blocksEnabled;
    const sec = this.security;
    let okPage = -1;
    let instret = this.instret;
    try {
      while (instret < limitInsn && !this.attention) {
        const pc = this.pc;
        const page = pc >>> PAGE_SHIFT;
        if (sec !== null && page !== okPage) {
          if (sec.fetchPageAllowed(this, pc)) okPage = page;
          else if (!sec.fetchCheck(this, pc)) { this.attention = true; break; }
        }
        const f = frames[page];
        let def: InsnDef | undefined;
        let insn = 0;
        const slot = (pc & PAGE_MASK) >> 1;
        if (f !== undefined && f.code !== null && (def = f.code[slot] as InsnDef | undefined) !== undefined) {
          if (blocks && this.itstate === 0 && limitInsn - instret >= MAX_BLOCK && (sec === null || page === okPage)) {
            const b = f.blocks !== null ? (f.blocks[slot] as BlockFn | undefined) : undefined;
            // A frame mapped at several addresses (aliases) holds blocks compiled for one of them.
            if (b !== undefined && b.entry === (pc | 0)) {
              // The block counts its own instructions (it may stop early or throw).
              this.instret = instret;
              instret = -1;
              b(this);
              instret = this.instret;
              continue;
            }
            const heat = f.heat ?? (f.heat = new Uint8Array(f.u16.length));
            if (++heat[slot] === HEAT_THRESHOLD) compileBlock(this, f, pc);
          }
          insn = (f.codeWords as Int32Array)[slot];
        } else {
          def = this.decodeAt(pc);
          if (def === undefined) break;
          insn = this.lastDecodedWord;
        }
        this.curPc = pc;
        r[15] = pc + 4;
        this.pc = pc + def.size;
        instret++;
        clock.now++;
        const it = this.itstate;
        if (it !== 0) {
          this.itCur = it;
          this.itstate = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
          if (!this.conditionPassed(it >> 4)) { this.itCur = 0; continue; }
          def.exec(this, insn);
          this.itCur = 0;
        } else {
          def.exec(this, insn);
        }
      }
    } finally {
      if (instret >= 0) this.instret = instret;
    }
  }

  /** The same loop with breakpoints, trace and MPU fetch checks. */
  private runSlow(limitInsn: number): void {
    const r = this.r;
    const clock = this.clock;
    while (this.instret < limitInsn && !this.attention) {
      const pc = this.pc;
      if (this.breakpoints !== null && this.breakpoints.has(pc) && !this.resumeOverBreakpoint
        && (this.breakpointFilter === null || this.breakpointFilter(this, pc))) {
        this.resumeOverBreakpoint = true;
        this.stop('breakpoint');
        return;
      }
      this.resumeOverBreakpoint = false;
      if (this.security !== null && !this.security.fetchCheck(this, pc)) { this.attention = true; return; }
      if (this.mpuActive && !this.system.mpuCheck(this, pc, 2, ACC_FETCH, this.isPrivileged())) { this.attention = true; return; }
      const def = this.decodeAt(pc);
      if (def === undefined) return;
      const insn = this.lastDecodedWord;
      if (this.traceHook !== null) this.traceHook(this, def, insn);
      this.curPc = pc;
      r[15] = pc + 4;
      this.pc = pc + def.size;
      this.instret++;
      clock.now++;
      const it = this.itstate;
      if (it !== 0) {
        this.itCur = it;
        this.itstate = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
        if (!this.conditionPassed(it >> 4)) { this.itCur = 0; continue; }
        def.exec(this, insn);
        this.itCur = 0;
      } else {
        def.exec(this, insn);
      }
    }
  }

  private lastDecodedWord = 0;

  /**
   * Fetch and decode at `pc`, caching the result in the frame. On a fetch fault or an
   * UNDEFINED encoding the fault is raised and undefined is returned.
   */
  decodeAt(pc: number): InsnDef | undefined {
    const f = this.bus.frames[pc >>> PAGE_SHIFT];
    if (f === undefined || (pc >>> 0) >= 0xe0000000) {
      // Execute from MMIO/unmapped: instruction bus error (or MemManage XN for the system region).
      this.curPc = pc;
      if ((pc >>> 0) >= 0xe0000000) this.fault(CFSR_IACCVIOL, 0); else this.fault(CFSR_IBUSERR, 0);
      return undefined;
    }
    const slot = (pc & PAGE_MASK) >> 1;
    if (f.code !== null) {
      const d = f.code[slot] as InsnDef | undefined;
      if (d !== undefined) { this.lastDecodedWord = (f.codeWords as Int32Array)[slot]; return d; }
    }
    const hw1 = f.u16[slot];
    let def: InsnDef | undefined;
    let word: number;
    const crossesPage = isThumb32(hw1) && (pc & PAGE_MASK) === PAGE_MASK - 1;
    if (isThumb32(hw1)) {
      const a2 = pc + 2;
      const f2 = this.bus.frames[a2 >>> PAGE_SHIFT];
      if (f2 === undefined) { this.curPc = pc; this.fault(CFSR_IBUSERR, 0); return undefined; }
      const hw2 = f2.u16[(a2 & PAGE_MASK) >> 1];
      word = ((hw1 << 16) | hw2) | 0;
      def = this.isa.decode32(word >>> 0);
    } else {
      word = hw1;
      def = this.isa.decode16(hw1);
    }
    if (def === undefined) {
      this.curPc = pc;
      this.fault(CFSR_UNDEFINSTR, 0);
      return undefined;
    }
    this.lastDecodedWord = word;
    if (!crossesPage) {
      if (f.code === null) { f.code = new Array(f.u16.length); f.codeWords = new Int32Array(f.u16.length); }
      f.code[slot] = def;
      (f.codeWords as Int32Array)[slot] = word;
    }
    return def;
  }

  private handleThrow(e: unknown): void {
    if (e === ABORT) return; // fault already recorded and pending
    if (e instanceof BusError) {
      // A bus error inside an instruction: a precise data bus fault (B3.2.15, BFSR.PRECISERR).
      this.fault(CFSR_PRECISERR | CFSR_BFARVALID, e.address);
      return;
    }
    throw e;
  }

  // ---------------------------------------------------------------- conditions, faults

  /** ConditionPassed() for a 4-bit condition (A7.3). */
  conditionPassed(cond: number): boolean {
    let result: boolean;
    switch (cond >> 1) {
      case 0: result = this.z === 1; break;
      case 1: result = this.c === 1; break;
      case 2: result = this.n === 1; break;
      case 3: result = this.v === 1; break;
      case 4: result = this.c === 1 && this.z === 0; break;
      case 5: result = this.n === this.v; break;
      case 6: result = this.n === this.v && this.z === 0; break;
      default: return true; // 1110 AL, and 1111 in IT treated as AL
    }
    return (cond & 1) !== 0 ? !result : result;
  }

  /** Inside an IT block (for the executing instruction)? */
  inITBlock(): boolean { return this.itCur !== 0; }
  /** Last instruction of an IT block? */
  lastInITBlock(): boolean { return (this.itCur & 0xf) === 0x8; }

  /**
   * Raise a synchronous fault for the executing instruction: the instruction has no
   * effect, PC and ITSTATE go back to it, and the system pends the exception.
   */
  fault(cfsrBits: number, address: number): void {
    this.lastFault.sfsr = 0;
    this.lastFault.cfsr = cfsrBits;
    this.lastFault.pc = this.curPc >>> 0;
    this.lastFault.address = address >>> 0;
    this.lastFault.count++;
    this.pc = this.curPc;
    if (this.itCur !== 0) this.itstate = this.itCur;
    this.itCur = 0;
    this.system.fault(this, cfsrBits, address);
    this.attention = true;
  }

  /** Fault and abort the instruction (for use inside exec and memory helpers). */
  abort(cfsrBits: number, address: number): never {
    this.fault(cfsrBits, address);
    throw ABORT;
  }

  undefinedInstruction(): never { return this.abort(CFSR_UNDEFINSTR, 0); }

  /**
   * ARMv8-M SecureFault for the executing instruction (SFSR bits; SFAR when SFARVALID).
   * A system without secureFault() gets a HardFault-bound fault with no CFSR bits.
   */
  secureFault(sfsrBits: number, address: number): void {
    this.lastFault.cfsr = 0;
    this.lastFault.sfsr = sfsrBits;
    this.lastFault.pc = this.curPc >>> 0;
    this.lastFault.address = address >>> 0;
    this.lastFault.count++;
    this.pc = this.curPc;
    if (this.itCur !== 0) this.itstate = this.itCur;
    this.itCur = 0;
    if (this.system.secureFault !== undefined) this.system.secureFault(this, sfsrBits, address);
    else this.system.fault(this, 0, address);
    this.attention = true;
  }

  // ---------------------------------------------------------------- privilege and stacks

  isPrivileged(): boolean { return this.ipsr !== 0 || (this.control & 1) === 0; }
  /** Current mode is Handler? */
  handlerMode(): boolean { return this.ipsr !== 0; }
  /** Is the PSP the active stack? */
  usingPsp(): boolean { return this.ipsr === 0 && (this.control & 2) !== 0; }

  /** Read the banked stack pointers with r[13] folded in. */
  getMsp(): number { return this.usingPsp() ? this.msp : this.r[13]; }
  getPsp(): number { return this.usingPsp() ? this.r[13] : this.psp; }
  setMsp(v: number): void { if (this.usingPsp()) this.msp = v | 0; else this.r[13] = v; }
  setPsp(v: number): void { if (this.usingPsp()) this.r[13] = v; else this.psp = v | 0; }

  /** Change mode/SPSEL while keeping r[13] the active SP. Call with the new ipsr and control. */
  switchStack(newIpsr: number, newControl: number): void {
    const wasPsp = this.usingPsp();
    const cur = this.r[13];
    if (wasPsp) this.psp = cur; else this.msp = cur;
    this.ipsr = newIpsr;
    this.control = newControl;
    this.r[13] = this.usingPsp() ? this.psp : this.msp;
  }

  // ---------------------------------------------------------------- PC writes (A2.3.1)

  branchWritePC(addr: number): void { this.pc = addr & ~1; }
  /** BXWritePC / LoadWritePC: interworking, and exception return in Handler mode. */
  bxWritePC(addr: number): void {
    if ((addr >>> 28) === 0xf) {
      // v7-M: EXC_RETURN is 0xFxxxxxxx; v8-M: 0xFFxxxxxx, and FNC_RETURN (0xFEFFFFFx) with the Security Extension.
      if (this.arch !== 'v8m') {
        if (this.ipsr !== 0) { this.system.exceptionReturn(this, addr >>> 0); return; }
      } else if (this.ipsr !== 0 && (addr >>> 24) === 0xff) {
        this.system.exceptionReturn(this, addr >>> 0); return;
      } else if (this.security !== null && (addr >>> 1) === 0x7f7fffff) {
        this.security.functionReturn(this); return;
      }
    }
    if ((addr & 1) === 0) { this.tbit = 0; this.attention = true; }
    this.pc = addr & ~1;
  }
  loadWritePC(addr: number): void { this.bxWritePC(addr); }
  aluWritePC(addr: number): void { this.branchWritePC(addr); }

  // ---------------------------------------------------------------- xPSR

  getApsr(): number {
    return ((this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28) | (this.q << 27) | (this.ge << 16)) >>> 0;
  }
  setApsrNZCVQ(v: number): void {
    this.n = (v >>> 31) & 1; this.z = (v >>> 30) & 1; this.c = (v >>> 29) & 1; this.v = (v >>> 28) & 1; this.q = (v >>> 27) & 1;
  }
  getEpsr(): number {
    const it = this.itstate;
    return ((this.tbit << 24) | ((it & 3) << 25) | ((it >> 2) << 10)) >>> 0;
  }
  getXpsr(): number { return (this.getApsr() | this.getEpsr() | this.ipsr) >>> 0; }
  /** Restore from a stacked xPSR (exception return): APSR, IT, T and IPSR. */
  setXpsr(v: number): void {
    this.setApsrNZCVQ(v);
    this.ge = (v >>> 16) & 0xf;
    this.itstate = ((v >>> 25) & 3) | (((v >>> 10) & 0x3f) << 2);
    this.tbit = (v >>> 24) & 1;
    if (this.tbit === 0) this.attention = true;
  }

  /** MRS (B5.2.2): SYSm values 0-3,5-7 xPSR views, 8 MSP, 9 PSP, 16-20 masks and CONTROL. */
  readSpecial(sysm: number): number {
    const priv = this.isPrivileged();
    switch (sysm) {
      case 0: case 1: case 2: case 3: case 5: case 6: case 7: {
        let v = 0;
        if ((sysm & 4) === 0) v |= this.getApsr();
        if ((sysm & 1) !== 0) v |= priv ? this.ipsr : 0; // IPSR reads as zero unprivileged? (reads are allowed; see B5.2.2)
        return v >>> 0; // EPSR reads as zero
      }
      case 8: return priv ? this.getMsp() >>> 0 : 0;
      case 9: return priv ? this.getPsp() >>> 0 : 0;
      case 16: return this.primask & 1;
      case 17: case 18: return this.basepri & 0xff;
      case 19: return this.faultmask & 1;
      case 20: return this.control & (this.secure ? 0xf : 7); // SFPA (bit 3) is visible to Secure only
      case 10: return this.arch === 'v8m' && priv ? this.msplim >>> 0 : 0;
      case 11: return this.arch === 'v8m' && priv ? this.psplim >>> 0 : 0;
      default: return sysm >= 0x80 ? this.readSpecialNs(sysm, priv) : 0;
    }
  }

  /** ARMv8-M MRS of the Non-secure banked registers (SYSm | 0x80), from Secure state only. */
  private readSpecialNs(sysm: number, priv: boolean): number {
    if (this.arch !== 'v8m' || !this.secure) return 0;
    const o = this.other;
    if (sysm === 0x94) return ((o.control & 3) | (this.control & 4)) >>> 0; // FPCA is not banked
    if (!priv) return 0;
    switch (sysm) {
      case 0x88: return o.msp >>> 0;
      case 0x89: return o.psp >>> 0;
      case 0x8a: return o.msplim >>> 0;
      case 0x8b: return o.psplim >>> 0;
      case 0x90: return o.primask & 1;
      case 0x91: return o.basepri & 0xff;
      case 0x93: return o.faultmask & 1;
      case 0x98: return (this.ipsr === 0 && (o.control & 2) !== 0 ? o.psp : o.msp) >>> 0; // SP_NS
      default: return 0;
    }
  }

  /** ARMv8-M MSR of the Non-secure banked registers, from privileged Secure state only. */
  private writeSpecialNs(sysm: number, val: number): void {
    if (this.arch !== 'v8m' || !this.secure) return;
    const o = this.other;
    switch (sysm) {
      case 0x88: o.msp = val & ~3; break;
      case 0x89: o.psp = val & ~3; break;
      case 0x8a: o.msplim = val & ~7; break;
      case 0x8b: o.psplim = val & ~7; break;
      case 0x90: o.primask = val & 1; this.attention = true; break;
      case 0x91: o.basepri = val & 0xff; this.attention = true; break;
      case 0x93: o.faultmask = val & 1; this.attention = true; break;
      case 0x94: o.control = (o.control & ~3) | (val & 3); break;
      case 0x98: if (this.ipsr === 0 && (o.control & 2) !== 0) o.psp = val & ~3; else o.msp = val & ~3; break;
      default: break;
    }
  }

  /** MSR (B5.2.3). `mask` is the 2-bit mask field for APSR writes (bit1 = NZCVQ, bit0 = GE). */
  writeSpecial(sysm: number, val: number, mask: number): void {
    const priv = this.isPrivileged();
    if (sysm <= 3) {
      if ((sysm & 4) === 0) {
        if ((mask & 2) !== 0) this.setApsrNZCVQ(val);
        if ((mask & 1) !== 0) this.ge = (val >>> 16) & 0xf; // DSP extension present
      }
      return;
    }
    if (!priv) return; // other special registers are privileged-only; writes ignored
    switch (sysm) {
      case 8: this.setMsp(val & ~3); break;
      case 9: this.setPsp(val & ~3); break;
      case 16: this.primask = val & 1; this.attention = true; break;
      case 17: this.basepri = val & 0xff; this.attention = true; break;
      case 18: {
        const v = val & 0xff;
        if (v !== 0 && (v < this.basepri || this.basepri === 0)) this.basepri = v;
        this.attention = true;
        break;
      }
      case 19: if (this.system.executionPriority(this) > -1) this.faultmask = val & 1; this.attention = true; break;
      case 20: {
        // nPRIV and SPSEL (SPSEL only in Thread mode); FPCA when the FPU is present.
        let c = (this.control & ~1) | (val & 1);
        if (this.ipsr === 0) c = (c & ~2) | (val & 2);
        c = (c & ~4) | (val & 4);
        if (this.arch === 'v8m' && this.secure) c = (c & ~8) | (val & 8); // SFPA
        this.switchStack(this.ipsr, c);
        break;
      }
      case 10: if (this.arch === 'v8m') this.msplim = val & ~7; break;
      case 11: if (this.arch === 'v8m') this.psplim = val & ~7; break;
      default: if (sysm >= 0x80) this.writeSpecialNs(sysm, val); break;
    }
  }

  // ---------------------------------------------------------------- memory (A3, B3)

  /** Attributes for a data access at the current privilege (and security state, on v8-M). */
  attrs(): number { return (this.isPrivileged() ? ATTR_PRIV : 0) | (this.secure ? ATTR_SECURE : 0); }

  private mpu(addr: number, size: number, kind: number, priv: boolean): void {
    if (!this.system.mpuCheck(this, addr, size, kind, priv)) throw ABORT;
  }

  /**
   * The checked access path (MPU enabled, or the Security Extension attributing addresses):
   * SecurityCheck first, then the MPU; returns the bus attributes.
   */
  private checked(a: number, size: number, kind: number, priv: boolean): number {
    const sec = this.security;
    let at = priv ? ATTR_PRIV : 0;
    if (sec !== null) {
      // The common answers straight from the page cache; the rest (and faults) in dataAttrs.
      const code = sec.pageCodes[a >>> PAGE_SHIFT];
      if (code === SEC_PG_NS) { /* a Non-secure bus access from either state */ }
      else if (this.secure && code >= SEC_PG_S && code <= SEC_PG_EXEMPT) at |= ATTR_SECURE;
      else at = sec.dataAttrs(this, a, priv);
      // A device write (an MPC's LUT, say) may remap the frames code runs from: end any
      // compiled block there, so that the next fetch sees the new map as the interpreter's does.
      if (kind === ACC_WRITE && this.bus.frames[a >>> PAGE_SHIFT] === undefined) this.attention = true;
    }
    if (this.mpuActive) this.mpu(a, size, kind, priv);
    return at;
  }

  private unaligned(addr: number): never { return this.abort(CFSR_UNALIGNED, addr); }

  read8(a: number): number {
    if (this.mpuActive || this.security !== null) return this.bus.read8(a, this.checked(a, 1, ACC_READ, this.isPrivileged()));
    return this.bus.read8(a, this.attrs());
  }
  read16(a: number): number {
    if ((a & 1) !== 0 && this.system.unalignTrap) this.unaligned(a);
    if (this.mpuActive || this.security !== null) return this.bus.read16(a, this.checked(a, 2, ACC_READ, this.isPrivileged()));
    return this.bus.read16(a, this.attrs());
  }
  read32(a: number): number {
    if ((a & 3) !== 0 && this.system.unalignTrap) this.unaligned(a);
    if (this.mpuActive || this.security !== null) return this.bus.read32(a, this.checked(a, 4, ACC_READ, this.isPrivileged()));
    return this.bus.read32(a, this.attrs());
  }
  write8(a: number, v: number): void {
    if (this.mpuActive || this.security !== null) { this.bus.write8(a, v, this.checked(a, 1, ACC_WRITE, this.isPrivileged())); return; }
    this.bus.write8(a, v, this.attrs());
  }
  write16(a: number, v: number): void {
    if ((a & 1) !== 0 && this.system.unalignTrap) this.unaligned(a);
    if (this.mpuActive || this.security !== null) { this.bus.write16(a, v, this.checked(a, 2, ACC_WRITE, this.isPrivileged())); return; }
    this.bus.write16(a, v, this.attrs());
  }
  write32(a: number, v: number): void {
    if ((a & 3) !== 0 && this.system.unalignTrap) this.unaligned(a);
    if (this.mpuActive || this.security !== null) { this.bus.write32(a, v, this.checked(a, 4, ACC_WRITE, this.isPrivileged())); return; }
    this.bus.write32(a, v, this.attrs());
  }
  /** Accesses that must be aligned whatever CCR says (LDM/STM, LDRD/STRD, exclusives, VLDR...). */
  read32Aligned(a: number): number {
    if ((a & 3) !== 0) this.unaligned(a);
    return this.read32(a);
  }
  write32Aligned(a: number, v: number): void {
    if ((a & 3) !== 0) this.unaligned(a);
    this.write32(a, v);
  }
  read16Aligned(a: number): number {
    if ((a & 1) !== 0) this.unaligned(a);
    return this.read16(a);
  }
  write16Aligned(a: number, v: number): void {
    if ((a & 1) !== 0) this.unaligned(a);
    this.write16(a, v);
  }
  /** Unprivileged accesses (LDRT/STRT family). */
  readUnpriv(a: number, size: 1 | 2 | 4): number {
    if (size > 1 && (a & (size - 1)) !== 0 && this.system.unalignTrap) this.unaligned(a);
    const at = this.mpuActive || this.security !== null ? this.checked(a, size, ACC_READ, false) : 0;
    return size === 1 ? this.bus.read8(a, at) : size === 2 ? this.bus.read16(a, at) : this.bus.read32(a, at);
  }
  writeUnpriv(a: number, size: 1 | 2 | 4, v: number): void {
    if (size > 1 && (a & (size - 1)) !== 0 && this.system.unalignTrap) this.unaligned(a);
    const at = this.mpuActive || this.security !== null ? this.checked(a, size, ACC_WRITE, false) : 0;
    if (size === 1) this.bus.write8(a, v, at); else if (size === 2) this.bus.write16(a, v, at); else this.bus.write32(a, v, at);
  }

  // ---------------------------------------------------------------- FP preamble

  /** ExecuteFPCheck() (B1.5.7 / A7.7.1). Returns false when a NOCP fault was raised (the caller returns). */
  fpCheck(): boolean {
    if (!this.system.fpAccessAllowed(this)) { this.fault(CFSR_NOCP, 0); return false; }
    if (this.system.lspact) this.system.preserveFpState(this);
    // A new FP context starts from the FPDSCR defaults (AHP, DN, FZ, RMode).
    if (this.system.aspen && (this.control & 4) === 0) {
      this.fpscr = (this.fpscr & ~0x07c00000) | ((this.system.fpdscr ?? 0) & 0x07c00000);
      this.control |= 4;
    }
    return true;
  }

  // ---------------------------------------------------------------- BKPT, SVC, hints

  bkpt(imm: number): void {
    if (imm === 0xab && this.semihost !== null) { this.semihost(this); return; }
    if (this.debuggerAttached) { this.pc = this.curPc; this.stop('breakpoint'); return; }
    this.pc = this.curPc;
    this.system.debugEvent(this);
    this.attention = true;
  }
  svc(imm: number): void { this.system.svc(this, imm); this.attention = true; }
  wfi(): void { this.sleepOnWfe = false; this.sleeping = true; this.attention = true; }
  wfe(): void {
    if (this.eventRegister !== 0) { this.eventRegister = 0; return; }
    this.sleepOnWfe = true; this.sleeping = true; this.attention = true;
  }
  /** SEV signals every core in the machine (the machine sets sevHook to broadcast). */
  sev(): void { if (this.sevHook !== null) this.sevHook(); else this.eventRegister = 1; }
  sevHook: (() => void) | null = null;
  /** An event from outside (SEV on another core): sets the event register and wakes WFE. */
  signalEvent(): void { this.eventRegister = 1; this.attention = true; }
}
