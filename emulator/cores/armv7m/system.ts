// The ARMv7-M system level behind CoreSystem: reset, exception entry and return with
// tail-chaining, priority escalation and lockup, lazy FP context stacking, and the state
// of the SCB registers. The register decode lives in scs.ts, the NVIC in nvic.ts, the
// timer in systick.ts and the MPU in mpu.ts. Names follow the ARM ARM (DDI0403E) B1.5.
import { AddressSpace, ATTR_PRIV, BusError } from '../../bus';
import type { IrqLine } from '../../devices/device';
import {
  ACC_FETCH, ACC_READ, ACC_WRITE, CFSR_BFARVALID, CFSR_DACCVIOL, CFSR_IACCVIOL, CFSR_INVPC, CFSR_LSPERR, CFSR_MLSPERR,
  CFSR_MMARVALID, CFSR_MSTKERR, CFSR_MUNSTKERR, CFSR_STKERR, CFSR_UNSTKERR, CoreSystem, CortexM,
  EXC_BUSFAULT, EXC_DEBUGMON, EXC_HARDFAULT, EXC_MEMMANAGE, EXC_NMI, EXC_SVCALL, EXC_SYSTICK, EXC_USAGEFAULT,
} from './cpu';
import { Mpu } from './mpu';
import { Nvic, PRIORITY_BASE } from './nvic';
import { Scs, SCS_BASE, SCS_SIZE } from './scs';
import { SysTick } from './systick';

export interface ArmV7MSystemOptions {
  /** External interrupts (1..496). */
  numIrqs: number;
  /** Implemented priority bits (3..8), the top bits of each 8-bit priority field. */
  priorityBits: number;
  cpuid: number;
  hasFpu: boolean;
  /** AIRCR.SYSRESETREQ: the board resets the system. Without it the core alone is reset. */
  onSystemReset?: () => void;
  /** Processor cycles per SysTick external reference tick (CLKSOURCE = 0). Default 25 (1 MHz at 25 MHz). */
  refClockDivider?: number;
  /** One-line diagnostics (unmodelled SCS registers, warned once each). */
  warn?: (message: string) => void;
}

/** SCB bit positions (B3.2). */
export const CCR_NONBASETHRDENA = 1 << 0, CCR_USERSETMPEND = 1 << 1, CCR_UNALIGN_TRP = 1 << 3, CCR_DIV_0_TRP = 1 << 4,
  CCR_BFHFNMIGN = 1 << 8, CCR_STKALIGN = 1 << 9;
export const SCR_SLEEPONEXIT = 1 << 1, SCR_SLEEPDEEP = 1 << 2, SCR_SEVONPEND = 1 << 4;
export const HFSR_VECTTBL = 1 << 1, HFSR_FORCED = 1 << 30, HFSR_DEBUGEVT = 1 << 31;
export const DFSR_BKPT = 1 << 1;
export const SHCSR_MEMFAULTENA = 1 << 16, SHCSR_BUSFAULTENA = 1 << 17, SHCSR_USGFAULTENA = 1 << 18;
export const FPCCR_LSPACT = 1 << 0, FPCCR_USER = 1 << 1, FPCCR_THREAD = 1 << 3, FPCCR_HFRDY = 1 << 4, FPCCR_MMRDY = 1 << 5,
  FPCCR_BFRDY = 1 << 6, FPCCR_MONRDY = 1 << 8, FPCCR_LSPEN = 1 << 30, FPCCR_ASPEN = 1 << 31;
export const DEMCR_MON_EN = 1 << 16;
/** FPDSCR holds AHP, DN, FZ and RMode: FPSCR[26:22]. */
export const FPDSCR_MASK = 0x07c00000;

/** The PC value of a locked-up core (B1.5.15). */
export const LOCKUP_PC = 0xeffffffe;

const CONTROL_SPSEL = 2, CONTROL_FPCA = 4;

export class ArmV7MSystem implements CoreSystem {
  readonly nvic: Nvic;
  readonly systick: SysTick;
  readonly mpu: Mpu;
  readonly scs: Scs;
  readonly hasFpu: boolean;
  readonly cpuid: number;

  // ---- SCB state (B3.2); the SCS decode in scs.ts reads and writes these.
  vtor = 0;
  scr = 0;
  ccr = CCR_STKALIGN;
  actlr = 0;
  shcsrEnables = 0;
  cfsr = 0;
  hfsr = 0;
  dfsr = 0;
  mmfar = 0;
  bfar = 0;
  afsr = 0;
  cpacr = 0;
  fpccr = 0;
  fpcar = 0;
  fpdscr = 0;
  demcr = 0;

  /** AIRCR.SYSRESETREQ seen; acted on at the next service() so the storing instruction completes first. */
  private resetRequested = false;
  private readonly onSystemReset: (() => void) | undefined;

  constructor(readonly cpu: CortexM, opts: ArmV7MSystemOptions) {
    this.hasFpu = opts.hasFpu;
    this.cpuid = opts.cpuid >>> 0;
    this.onSystemReset = opts.onSystemReset;
    this.nvic = new Nvic(opts.numIrqs, opts.priorityBits, () => this.onPend(), () => { this.cpu.attention = true; });
    this.systick = new SysTick(cpu.clock, opts.refClockDivider ?? 25, () => this.nvic.setPending(EXC_SYSTICK));
    this.mpu = new Mpu((on) => { this.cpu.mpuActive = on; this.cpu.attention = true; });
    this.scs = new Scs(this, opts.warn ?? ((m) => console.warn(m)));
  }

  /** Map the System Control Space (0xE000E000, 4 KiB) into the core's address space. */
  mapInto(bus: AddressSpace): void { bus.mapDevice(SCS_BASE, SCS_SIZE, this.scs); }

  /** Input line of external interrupt `n` (exception 16 + n). */
  irqLine(n: number): IrqLine { return this.nvic.line(n); }
  /** The NMI input: a rising level or a pulse pends NMI (B1.5.2). */
  nmiLine(): IrqLine { return this.nvic.nmiLine(); }
  get numIrqs(): number { return this.nvic.numIrqs; }

  private onPend(): void {
    // SEVONPEND: a new pending interrupt is a WFE wake-up event (B1.5.18).
    if ((this.scr & SCR_SEVONPEND) !== 0) this.cpu.eventRegister = 1;
    this.cpu.attention = true;
  }

  /** AIRCR.SYSRESETREQ. */
  requestSystemReset(): void { this.resetRequested = true; this.cpu.attention = true; }

  /** Write SHCSR's enable bits, which gate MemManage, BusFault and UsageFault. */
  setShcsrEnables(v: number): void {
    this.shcsrEnables = v & (SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA);
    this.nvic.enabled[EXC_MEMMANAGE] = (v & SHCSR_MEMFAULTENA) !== 0 ? 1 : 0;
    this.nvic.enabled[EXC_BUSFAULT] = (v & SHCSR_BUSFAULTENA) !== 0 ? 1 : 0;
    this.nvic.enabled[EXC_USAGEFAULT] = (v & SHCSR_USGFAULTENA) !== 0 ? 1 : 0;
    this.cpu.attention = true;
  }
  setDemcr(v: number): void {
    this.demcr = v & 0x010f07f1;
    this.nvic.enabled[EXC_DEBUGMON] = (v & DEMCR_MON_EN) !== 0 ? 1 : 0;
    if ((v & (1 << 17)) !== 0) this.nvic.setPending(EXC_DEBUGMON); // MON_PEND
    this.cpu.attention = true;
  }

  // ------------------------------------------------------------------ CoreSystem getters

  get aspen(): boolean { return (this.fpccr & FPCCR_ASPEN) !== 0; }
  get lspact(): boolean { return (this.fpccr & FPCCR_LSPACT) !== 0; }
  get unalignTrap(): boolean { return (this.ccr & CCR_UNALIGN_TRP) !== 0; }
  get div0Trap(): boolean { return (this.ccr & CCR_DIV_0_TRP) !== 0; }

  /** ExecutionPriority() (B1.5.4): the active exceptions' group priority, boosted by the mask registers. */
  executionPriority(cpu: CortexM): number {
    const highest = this.nvic.activePriority();
    let boosted = PRIORITY_BASE;
    const basepri = cpu.basepri & this.nvic.prioMask;
    if (basepri !== 0) boosted = this.nvic.group(basepri);
    if ((cpu.primask & 1) !== 0) boosted = 0;
    if ((cpu.faultmask & 1) !== 0) boosted = -1;
    return boosted < highest ? boosted : highest;
  }

  /** ExecutionPriority() < 0 without the full scan: only FAULTMASK, NMI and HardFault get there. */
  private negativePriority(cpu: CortexM): boolean {
    return (cpu.faultmask & 1) !== 0 || this.nvic.active[EXC_NMI] !== 0 || this.nvic.active[EXC_HARDFAULT] !== 0;
  }

  // ------------------------------------------------------------------ reset

  reset(cpu: CortexM): void {
    this.nvic.reset();
    this.systick.reset();
    this.mpu.reset();
    this.vtor = 0;
    this.scr = 0;
    this.ccr = CCR_STKALIGN; // Cortex-M4 resets with 8-byte stack alignment on
    this.actlr = 0;
    this.setShcsrEnables(0);
    this.cfsr = this.hfsr = this.dfsr = this.mmfar = this.bfar = this.afsr = 0;
    this.cpacr = 0;
    this.fpccr = this.hasFpu ? (FPCCR_ASPEN | FPCCR_LSPEN) >>> 0 : 0;
    this.fpcar = 0;
    this.fpdscr = 0;
    this.setDemcr(0);
    this.resetRequested = false;
    cpu.mpuActive = false;
    cpu.msp = cpu.psp = 0;
    cpu.r[14] = -1; // LR resets to 0xFFFFFFFF on ARMv7-M
    // TakeReset (B1.5.5): SP_main from vector 0, PC and EPSR.T from vector 1.
    let sp: number, pc: number;
    try {
      sp = cpu.bus.read32(this.vtor, ATTR_PRIV);
      pc = cpu.bus.read32(this.vtor + 4, ATTR_PRIV);
    } catch (e) {
      if (!(e instanceof BusError)) throw e;
      this.hfsr |= HFSR_VECTTBL;
      this.lockup(cpu);
      return;
    }
    cpu.r[13] = sp & ~3;
    cpu.msp = sp & ~3;
    cpu.pc = pc & ~1;
    cpu.curPc = cpu.pc;
    cpu.tbit = pc & 1; // 0 gives INVSTATE on the first instruction
    cpu.attention = true;
  }

  // ------------------------------------------------------------------ taking exceptions

  service(cpu: CortexM): void {
    if (this.resetRequested) {
      this.resetRequested = false;
      if (this.onSystemReset !== undefined) this.onSystemReset(); else cpu.reset();
      return;
    }
    if (cpu.locked) return;
    // At most one entry per pending exception class; each entry raises the execution priority.
    for (let guard = 0; guard < 8; guard++) {
      const n = this.nvic.highestPending();
      if (n === 0 || this.nvic.groupPriority(n) >= this.executionPriority(cpu)) return;
      cpu.sleeping = false;
      this.exceptionEntry(cpu, n);
      if (cpu.locked) return;
    }
  }

  wakeupPending(cpu: CortexM): boolean {
    if (cpu.sleepOnWfe && cpu.eventRegister !== 0) { cpu.eventRegister = 0; return true; }
    const n = this.nvic.highestPending();
    if (n === 0) return false;
    // WFI wakes for an exception that would preempt if PRIMASK were clear (B1.5.19); WFE needs it to be taken.
    if (cpu.sleepOnWfe) return this.nvic.groupPriority(n) < this.executionPriority(cpu);
    const saved = cpu.primask;
    cpu.primask = 0;
    const ep = this.executionPriority(cpu);
    cpu.primask = saved;
    return this.nvic.groupPriority(n) < ep;
  }

  /** ExceptionEntry (B1.5.6): PushStack, then ExceptionTaken, with derived stacking faults taken by late arrival. */
  private exceptionEntry(cpu: CortexM, n: number): void {
    const priorBefore = this.executionPriority(cpu);
    const derived = this.pushStack(cpu, priorBefore);
    let target = n;
    if (derived !== 0 && this.nvic.pending[derived] !== 0 && this.nvic.groupPriority(derived) < this.nvic.groupPriority(n)) {
      target = derived; // the stacking fault has higher priority: it is taken instead, n stays pending
    }
    if (cpu.locked) return;
    this.exceptionTaken(cpu, target);
  }

  /** Stack write through the MPU and bus; returns 0 or the CFSR bit of the stacking error. */
  private stackWrite(cpu: CortexM, addr: number, v: number, priv: boolean, mpuBit: number, busBit: number): number {
    if (cpu.mpuActive && !this.mpu.allows(addr, 4, ACC_WRITE, priv, this.negativePriority(cpu))) return mpuBit;
    try { cpu.bus.write32(addr, v, priv ? ATTR_PRIV : 0); } catch (e) {
      if (e instanceof BusError) return busBit;
      throw e;
    }
    return 0;
  }
  private stackRead(cpu: CortexM, addr: number, priv: boolean): number {
    if (cpu.mpuActive && !this.mpu.allows(addr, 4, ACC_READ, priv, this.negativePriority(cpu))) throw CFSR_MUNSTKERR;
    try { return cpu.bus.read32(addr, priv ? ATTR_PRIV : 0) | 0; } catch (e) {
      if (e instanceof BusError) throw CFSR_UNSTKERR;
      throw e;
    }
  }

  /**
   * PushStack (B1.5.6). Returns the exception number of a derived fault that stacking
   * pended (MemManage/BusFault or HardFault by escalation), or 0.
   */
  private pushStack(cpu: CortexM, priorBefore: number): number {
    const fpca = this.hasFpu && (cpu.control & CONTROL_FPCA) !== 0;
    const framesize = fpca ? 0x68 : 0x20;
    const forcealign = fpca || (this.ccr & CCR_STKALIGN) !== 0;
    const sp = cpu.r[13];
    const frameptralign = forcealign ? (sp >>> 2) & 1 : 0;
    const frameptr = (sp - framesize) & (forcealign ? ~7 : ~3);
    cpu.r[13] = frameptr;
    const priv = cpu.isPrivileged();
    const r = cpu.r;
    const xpsr = (cpu.getXpsr() & ~(1 << 9)) | (frameptralign << 9);
    const words = [r[0], r[1], r[2], r[3], r[12], r[14], cpu.pc, xpsr];
    let err = 0;
    for (let i = 0; i < 8 && err === 0; i++) err = this.stackWrite(cpu, frameptr + 4 * i, words[i], priv, CFSR_MSTKERR, CFSR_STKERR);
    if (fpca) {
      if ((this.fpccr & FPCCR_LSPEN) === 0) {
        for (let i = 0; i < 16 && err === 0; i++) err = this.stackWrite(cpu, frameptr + 0x20 + 4 * i, cpu.sBits[i], priv, CFSR_MSTKERR, CFSR_STKERR);
        if (err === 0) err = this.stackWrite(cpu, frameptr + 0x60, cpu.fpscr, priv, CFSR_MSTKERR, CFSR_STKERR);
      } else {
        this.updateFpccr(cpu, frameptr, priorBefore);
      }
    }
    // EXC_RETURN (B1.5.8): bit 4 = NOT FPCA; Thread mode adds bit 3 and SPSEL in bit 2.
    const fpBit = fpca ? 0 : 0x10;
    r[14] = cpu.ipsr !== 0 ? (0xffffffe1 | fpBit) : (0xffffffe9 | fpBit | ((cpu.control & CONTROL_SPSEL) << 1));
    if (err === 0) return 0;
    this.cfsr |= err;
    return this.pendFault(cpu, err === CFSR_MSTKERR ? EXC_MEMMANAGE : EXC_BUSFAULT, priorBefore);
  }

  /** UpdateFPCCR (B1.5.7): reserve the FP frame and record who may take a lazy-stacking fault later. */
  private updateFpccr(cpu: CortexM, frameptr: number, prio: number): void {
    this.fpcar = (frameptr + 0x20) & ~7;
    let f = this.fpccr & ~(FPCCR_LSPACT | FPCCR_USER | FPCCR_THREAD | FPCCR_HFRDY | FPCCR_MMRDY | FPCCR_BFRDY | FPCCR_MONRDY);
    f |= FPCCR_LSPACT;
    if (!cpu.isPrivileged()) f |= FPCCR_USER;
    if (cpu.ipsr === 0) f |= FPCCR_THREAD;
    if (prio > -1) f |= FPCCR_HFRDY;
    if (this.nvic.enabled[EXC_BUSFAULT] !== 0 && prio > this.nvic.groupPriority(EXC_BUSFAULT)) f |= FPCCR_BFRDY;
    if (this.nvic.enabled[EXC_MEMMANAGE] !== 0 && prio > this.nvic.groupPriority(EXC_MEMMANAGE)) f |= FPCCR_MMRDY;
    if (this.nvic.enabled[EXC_DEBUGMON] !== 0 && prio > this.nvic.groupPriority(EXC_DEBUGMON)) f |= FPCCR_MONRDY;
    this.fpccr = f >>> 0;
  }

  /**
   * ExceptionTaken (B1.5.6): vector fetch through VTOR (a bus error there is a HardFault
   * with HFSR.VECTTBL, or lockup when HardFault/NMI itself cannot be fetched), Handler
   * mode on the main stack, FPCA cleared, exclusive monitor cleared, event register set.
   */
  private exceptionTaken(cpu: CortexM, n: number): void {
    let vec: number;
    try {
      vec = cpu.bus.read32(this.vtor + 4 * n, ATTR_PRIV);
    } catch (e) {
      if (!(e instanceof BusError)) throw e;
      this.hfsr |= HFSR_VECTTBL;
      if (n === EXC_HARDFAULT || n === EXC_NMI) { this.lockup(cpu); return; }
      this.nvic.setPending(n); // not taken: it stays pending behind the HardFault
      this.exceptionTaken(cpu, EXC_HARDFAULT);
      return;
    }
    const hadFpca = this.hasFpu && (cpu.control & CONTROL_FPCA) !== 0;
    this.nvic.activate(n);
    cpu.switchStack(n, cpu.control & ~(CONTROL_SPSEL | CONTROL_FPCA));
    cpu.pc = vec & ~1;
    cpu.curPc = cpu.pc;
    cpu.tbit = vec & 1;
    cpu.itstate = 0;
    cpu.itCur = 0;
    cpu.exclusiveAddr = -1;
    cpu.eventRegister = 1;
    // The handler's FP context gets FPDSCR at its first FP instruction (cpu.fpCheck).
    cpu.attention = true;
  }

  // ------------------------------------------------------------------ faults

  /**
   * Pend configurable fault `ex` if it is enabled and can preempt priority `prio`,
   * else escalate to HardFault (HFSR.FORCED), else lock up. Returns the exception pended (0 on lockup).
   */
  private pendFault(cpu: CortexM, ex: number, prio: number): number {
    if (this.nvic.enabled[ex] !== 0 && this.nvic.groupPriority(ex) < prio) { this.nvic.setPending(ex); return ex; }
    return this.escalate(cpu, prio, HFSR_FORCED);
  }
  private escalate(cpu: CortexM, prio: number, hfsrBit: number): number {
    this.hfsr |= hfsrBit;
    if (prio > -1) { this.nvic.setPending(EXC_HARDFAULT); return EXC_HARDFAULT; }
    this.lockup(cpu);
    return 0;
  }

  /** Lockup (B1.5.15): the core stops fetching; only reset (or a debugger) recovers it. */
  private lockup(cpu: CortexM): void {
    cpu.locked = true;
    cpu.pc = LOCKUP_PC;
    cpu.curPc = LOCKUP_PC;
    cpu.stop('lockup');
  }

  fault(cpu: CortexM, cfsrBits: number, address: number): void {
    this.cfsr = (this.cfsr | cfsrBits) >>> 0;
    if ((cfsrBits & CFSR_MMARVALID) !== 0) this.mmfar = address >>> 0;
    if ((cfsrBits & CFSR_BFARVALID) !== 0) this.bfar = address >>> 0;
    const ex = (cfsrBits & 0xff) !== 0 ? EXC_MEMMANAGE : (cfsrBits & 0xff00) !== 0 ? EXC_BUSFAULT : EXC_USAGEFAULT;
    this.pendFault(cpu, ex, this.executionPriority(cpu));
    cpu.attention = true;
  }

  svc(cpu: CortexM, _imm: number): void {
    const prio = this.executionPriority(cpu);
    // SVC is synchronous: when SVCall cannot preempt now it escalates (B1.5.4).
    if (this.nvic.groupPriority(EXC_SVCALL) < prio) this.nvic.setPending(EXC_SVCALL);
    else this.escalate(cpu, prio, HFSR_FORCED);
    cpu.attention = true;
  }

  debugEvent(cpu: CortexM): void {
    // BKPT with halting debug off: DebugMonitor when enabled and able, else HardFault (DEBUGEVT) (C1.4).
    this.dfsr |= DFSR_BKPT;
    const prio = this.executionPriority(cpu);
    if (this.nvic.enabled[EXC_DEBUGMON] !== 0 && this.nvic.groupPriority(EXC_DEBUGMON) < prio) this.nvic.setPending(EXC_DEBUGMON);
    else this.escalate(cpu, prio, HFSR_DEBUGEVT);
    cpu.attention = true;
  }

  mpuCheck(cpu: CortexM, addr: number, size: number, kind: number, priv: boolean): boolean {
    if (this.mpu.allows(addr, size, kind, priv, this.negativePriority(cpu))) return true;
    if (kind === ACC_FETCH) {
      // The fetch happens before the instruction starts: cpu.pc already is the faulting address.
      this.fault(cpu, CFSR_IACCVIOL, 0);
    } else {
      cpu.fault(CFSR_DACCVIOL | CFSR_MMARVALID, addr);
    }
    return false;
  }

  // ------------------------------------------------------------------ exception return

  /** ExceptionReturn (B1.5.8), with tail-chaining when a pending exception can preempt the returned-to context. */
  exceptionReturn(cpu: CortexM, excReturn: number): void {
    const nvic = this.nvic;
    const returning = cpu.ipsr;
    const nested = nvic.activeBitCount();
    const low = excReturn & 0xf;
    const reservedOk = this.hasFpu ? (excReturn & 0x0fffffe0) === 0x0fffffe0 : (excReturn & 0x0ffffff0) === 0x0ffffff0;
    cpu.attention = true;
    let bad = !reservedOk || nvic.active[returning] === 0 || (low !== 0x1 && low !== 0x9 && low !== 0xd);
    if (!bad && low !== 0x1 && nested !== 1 && (this.ccr & CCR_NONBASETHRDENA) === 0) bad = true;
    nvic.deactivate(returning);
    if (returning !== EXC_NMI) cpu.faultmask = 0;
    if (bad) { this.invpcNoStack(cpu, excReturn); return; }

    // Tail-chain: the frame stays on the stack and LR keeps this EXC_RETURN (B1.5.12).
    const p = nvic.highestPending();
    if (p !== 0 && nvic.groupPriority(p) < this.executionPriority(cpu)) {
      cpu.r[14] = excReturn | 0;
      this.exceptionTaken(cpu, p);
      return;
    }

    // PopStack: read the whole frame first so that an unstacking fault leaves the state unchanged.
    const toThread = low !== 0x1;
    const usePsp = low === 0xd;
    const extended = this.hasFpu && (excReturn & 0x10) === 0;
    const framesize = extended ? 0x68 : 0x20;
    const forcealign = extended || (this.ccr & CCR_STKALIGN) !== 0;
    const frameptr = usePsp ? cpu.psp : cpu.r[13]; // in Handler mode r[13] is SP_main
    const priv = !toThread || (cpu.control & 1) === 0;
    const frame = this.popBuf;
    const words = extended && !this.lspact ? 25 : 8;
    try {
      for (let i = 0; i < words; i++) frame[i] = this.stackRead(cpu, frameptr + 4 * i, priv);
    } catch (e) {
      if (typeof e !== 'number') throw e;
      this.cfsr |= e;
      const ex = this.pendFault(cpu, e === CFSR_MUNSTKERR ? EXC_MEMMANAGE : EXC_BUSFAULT, this.executionPriority(cpu));
      if (ex !== 0) { cpu.r[14] = excReturn | 0; nvic.clearPending(ex); this.exceptionTaken(cpu, ex); }
      return;
    }
    const r = cpu.r;
    r[0] = frame[0]; r[1] = frame[1]; r[2] = frame[2]; r[3] = frame[3]; r[12] = frame[4]; r[14] = frame[5];
    cpu.pc = frame[6] & ~1;
    cpu.curPc = cpu.pc;
    const psr = frame[7];
    if (extended) {
      if (this.lspact) this.fpccr &= ~FPCCR_LSPACT; // the registers still hold the state that was never saved
      else {
        for (let i = 0; i < 16; i++) cpu.sBits[i] = frame[8 + i];
        cpu.fpscr = frame[24] >>> 0;
      }
    }
    const newSp = ((frameptr + framesize) | ((forcealign && (psr & (1 << 9)) !== 0) ? 4 : 0)) | 0;
    if (usePsp) cpu.psp = newSp; else r[13] = newSp;
    let control = cpu.control & ~(CONTROL_SPSEL | CONTROL_FPCA);
    if (usePsp) control |= CONTROL_SPSEL;
    if (extended) control |= CONTROL_FPCA;
    cpu.setXpsr(psr);
    const psrIpsr = psr & 0x1ff;
    // The stacked IPSR must agree with the mode returned to (B1.5.8); otherwise INVPC on a fresh frame.
    if (toThread !== (psrIpsr === 0)) {
      cpu.switchStack(toThread ? 0 : returning, control);
      this.cfsr |= CFSR_INVPC;
      const ex = this.pendFault(cpu, EXC_USAGEFAULT, this.executionPriority(cpu));
      if (ex === 0) return;
      nvic.clearPending(ex);
      this.pushStack(cpu, this.executionPriority(cpu));
      r[14] = (0xf0000000 | (excReturn & 0x0fffffff)) | 0;
      this.exceptionTaken(cpu, ex);
      return;
    }
    cpu.switchStack(psrIpsr, control);
    cpu.exclusiveAddr = -1;
    cpu.eventRegister = 1;
    if (toThread && nested === 1 && (this.scr & SCR_SLEEPONEXIT) !== 0) {
      cpu.sleepOnWfe = false;
      cpu.sleeping = true;
    }
  }
  private readonly popBuf = new Int32Array(25);

  /** An integrity-check failure on return: UsageFault (INVPC) taken without stacking, escalated if it cannot preempt. */
  private invpcNoStack(cpu: CortexM, excReturn: number): void {
    this.cfsr |= CFSR_INVPC;
    const ex = this.pendFault(cpu, EXC_USAGEFAULT, this.executionPriority(cpu));
    if (ex === 0) return;
    this.nvic.clearPending(ex);
    cpu.r[14] = (0xf0000000 | (excReturn & 0x0fffffff)) | 0;
    this.exceptionTaken(cpu, ex);
  }

  // ------------------------------------------------------------------ FP

  fpAccessAllowed(cpu: CortexM): boolean {
    if (!this.hasFpu) return false;
    const cp10 = (this.cpacr >>> 20) & 3;
    if (cp10 === 3) return true;
    if (cp10 === 1) return cpu.isPrivileged();
    return false; // 0 access denied, 2 reserved
  }

  /** PreserveFPState (B1.5.7): store S0-S15 and FPSCR in the space reserved at FPCAR. */
  preserveFpState(cpu: CortexM): void {
    if (!this.lspact) return;
    const priv = (this.fpccr & FPCCR_USER) === 0;
    const base = this.fpcar & ~7;
    let err = 0;
    for (let i = 0; i < 17 && err === 0; i++) {
      err = this.stackWrite(cpu, base + 4 * i, i < 16 ? cpu.sBits[i] : cpu.fpscr, priv, CFSR_MLSPERR, CFSR_LSPERR);
    }
    this.fpccr &= ~FPCCR_LSPACT;
    if (err !== 0) {
      this.cfsr |= err;
      // The RDY bits captured at stacking time decide who can take the fault.
      const isMem = err === CFSR_MLSPERR;
      if ((this.fpccr & (isMem ? FPCCR_MMRDY : FPCCR_BFRDY)) !== 0) this.nvic.setPending(isMem ? EXC_MEMMANAGE : EXC_BUSFAULT);
      else if ((this.fpccr & FPCCR_HFRDY) !== 0) { this.hfsr |= HFSR_FORCED; this.nvic.setPending(EXC_HARDFAULT); }
      else this.lockup(cpu);
    }
    cpu.attention = true;
  }
}
