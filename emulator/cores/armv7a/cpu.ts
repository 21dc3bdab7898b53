// The Cortex-A9 (ARMv7-A with Security Extensions and Multiprocessing Extensions) core:
// register banks, CPSR/SPSR, exception entry and return (ARM ARM B1.8/B1.9), the run loop
// with a per-halfword decode cache, and memory accesses through the MMU (mmu.ts). A32 is
// decoded in isa-arm.ts, T32 in isa-thumb.ts, CP15 lives in cp15.ts.
import { AddressSpace, ATTR_PRIV, ATTR_SECURE, BusError, PAGE_MASK, PAGE_SHIFT } from '../../bus';
import type { Clock } from '../../clock';
import type { TraceBus, World } from '../../trace';
import type { StopReason } from '../armv7m/cpu';
import { isThumb32 } from '../armv7m/insn';
import {
  A9_ABORT, bankOf, BANK_MON, describeFsr, FS_ALIGNMENT, FS_DEBUG, FS_SYNC_EXTERNAL, modeName, MODE_ABT, MODE_FIQ, MODE_IRQ, MODE_MON,
  MODE_SVC, MODE_SYS, MODE_UND, MODE_USR, VEC_DABT, VEC_FIQ, VEC_IRQ, VEC_PABT, VEC_SVC, VEC_UNDEF,
} from './modes';
import { Cp15 } from './cp15';
import { Mmu, ACC_READ, ACC_WRITE, ACC_FETCH, MmuFault } from './mmu';
import { decodeA32, type A9Op } from './isa-arm';
import { decodeThumb } from './isa-thumb';

export type { StopReason };

// Module-local copies: under tsx/CommonJS an imported binding is a getter call on every use,
// which the hot loop would pay per instruction (esbuild bundles inline them anyway).
const P_SHIFT = PAGE_SHIFT, P_MASK = PAGE_MASK, A_PRIV = ATTR_PRIV, A_SECURE = ATTR_SECURE;
const M_USR = MODE_USR, M_MON = MODE_MON;

export { A9_ABORT };

export interface CortexA9Options {
  cpuIndex: number;
  /** MPIDR value; default 0x80000000 | cpuIndex (MP Extensions format, cluster 0). */
  mpidr?: number;
  /** Security Extensions present (default true, as on Cortex-A9). */
  hasSecurity?: boolean;
  /** SCTLR.V at reset (the VINITHI pin): vectors at 0xFFFF0000. */
  highVectors?: boolean;
  /** Base address of the MPCore private region, read through CBAR (CP15 c15, op1 4). */
  periphBase?: number;
}

export class CortexA9 {
  // ---- integer state. r holds the CURRENT mode's view of r0-r15.
  readonly r = new Int32Array(16);
  /** CPSR fields: flags 0/1, GE 4 bits, ITSTATE 8 bits, T (tbit) 0/1, E, A, I, F masks, mode. */
  n = 0; z = 0; c = 0; v = 0; q = 0; ge = 0;
  itstate = 0; itCur = 0;
  tbit = 0;
  e = 0; aMask = 1; iMask = 1; fMask = 1;
  mode = MODE_SVC;
  /** Banked r13/r14/SPSR per bank (modes.ts BANK_*), r8-r12 of the usr and fiq banks. */
  readonly r13b = new Int32Array(7);
  readonly r14b = new Int32Array(7);
  readonly spsrb = new Int32Array(7);
  readonly usrHi = new Int32Array(5);
  readonly fiqHi = new Int32Array(5);

  /** Address of the executing instruction, and the address execution continues at. */
  curPc = 0; pc = 0;
  /** Local exclusive monitor: tagged (physical) address, or -1 when open. */
  exclusiveAddr = -1;
  /** Second word of an LDREXD pair, as it was read (STREXD compares nothing, but keeps the pair tagged). */
  eventRegister = 0;
  sleeping = false;
  sleepOnWfe = false;
  /** Level inputs from the GIC CPU interface. */
  irqLine = false; fiqLine = false;

  readonly cp15: Cp15;
  readonly mmu: Mmu;
  readonly hasSecurity: boolean;
  readonly coreIndexAtBuild: number;
  coreIndex: number;

  // ---- run-loop control (mirrors CortexM so the machine's turns work the same way)
  attention = false;
  private haltRequested = false;
  private stopReason: StopReason | null = null;
  exitCode: number | null = null;
  held = false;
  instret = 0;
  breakpoints: Set<number> | null = null;
  private resumeOverBreakpoint = false;
  setResumeOverBreakpoint(on: boolean): void { this.resumeOverBreakpoint = on; }
  debuggerAttached = false;
  semihost: ((cpu: CortexA9) => void) | null = null;
  sevHook: (() => void) | null = null;
  trace: TraceBus | null = null;
  /** Called once per encoding the core does not implement (it raises Undefined Instruction). */
  onUnknownEncoding: ((message: string) => void) | null = null;
  private readonly reportedUnknown = new Set<string>();
  /** VFP/Advanced SIMD hook for A9-SIMD: decode a coprocessor 10/11 or Advanced SIMD encoding, or return undefined. */
  simdDecoder: ((insn: number, thumb: boolean) => A9Op | undefined) | null = null;
  /** Most recent abort or undefined instruction, for diagnostics. */
  readonly lastFault = { kind: '', fsr: 0, address: 0, pc: 0, count: 0 };
  /** Thumb-table compatibility: M-profile integer code reads these (see isa-thumb.ts). */
  readonly system = { div0Trap: false, unalignTrap: false, executionPriority: (): number => 0 };
  primask = 0; faultmask = 0;

  constructor(readonly name: string, readonly bus: AddressSpace, readonly clock: Clock, opts: CortexA9Options) {
    this.coreIndex = opts.cpuIndex;
    this.coreIndexAtBuild = opts.cpuIndex;
    this.hasSecurity = opts.hasSecurity ?? true;
    this.cp15 = new Cp15(this, {
      mpidr: opts.mpidr ?? ((0x80000000 | (opts.cpuIndex & 3)) >>> 0),
      highVectors: opts.highVectors ?? false,
      periphBase: opts.periphBase ?? 0,
    });
    this.mmu = new Mmu(this);
    if (bus.onCodeWrite === null) bus.onCodeWrite = () => { this.attention = true; };
  }

  get thumb(): boolean { return this.tbit !== 0; }
  set thumb(t: boolean) { this.tbit = t ? 1 : 0; this.attention = true; }

  // ---------------------------------------------------------------- reset/run

  /** Architectural reset (B1.8.2): Secure SVC, ARM state (or SCTLR.TE), A/I/F set, PC at the reset vector. */
  reset(): void {
    this.r.fill(0); this.r13b.fill(0); this.r14b.fill(0); this.spsrb.fill(0); this.usrHi.fill(0); this.fiqHi.fill(0);
    this.n = this.z = this.c = this.v = this.q = this.ge = 0;
    this.itstate = this.itCur = 0;
    this.mode = MODE_SVC;
    this.aMask = this.iMask = this.fMask = 1;
    this.e = 0;
    this.exclusiveAddr = -1;
    this.eventRegister = 0;
    this.sleeping = false;
    this.exitCode = null;
    this.stopReason = null;
    this.cp15.reset();
    this.mmu.flush();
    this.tbit = (this.cp15.sctlr() >>> 30) & 1;
    this.pc = (this.cp15.sctlr() & (1 << 13)) !== 0 ? 0xffff0000 | 0 : 0;
    this.curPc = this.pc;
    this.attention = true;
  }

  requestHalt(): void { this.haltRequested = true; this.attention = true; }
  stop(reason: StopReason | string): void { this.stopReason = reason as StopReason; this.attention = true; }

  setIrq(level: boolean): void { if (level !== this.irqLine) { this.irqLine = level; this.attention = true; } }
  setFiq(level: boolean): void { if (level !== this.fiqLine) { this.fiqLine = level; this.attention = true; } }

  /** Run until `maxInsns` retire, the virtual clock reaches `cycleLimit`, or something stops the core. */
  run(maxInsns: number, cycleLimit = Infinity): StopReason {
    const clock = this.clock;
    const endInsn = this.instret + maxInsns;
    this.attention = true;
    for (;;) {
      if (this.attention) {
        this.attention = false;
        if (this.haltRequested) { this.haltRequested = false; return 'halt'; }
        if (this.stopReason !== null) { const s = this.stopReason; this.stopReason = null; return s; }
        if (this.held) return 'limit';
        clock.fireDue();
        const pc0 = this.pc;
        this.serviceInterrupts();
        if (this.pc !== pc0) this.resumeOverBreakpoint = false;
        if (this.stopReason !== null) { const s = this.stopReason; this.stopReason = null; return s; }
        if (this.sleeping) {
          if (this.wakeup()) { this.sleeping = false; this.attention = true; continue; }
          const d = clock.nextDeadline();
          if (d === Infinity && cycleLimit === Infinity) return 'deadlock';
          clock.now = Math.max(clock.now, Math.min(d, cycleLimit));
          if (clock.now >= cycleLimit) return 'limit';
          this.attention = true;
          continue;
        }
      }
      if (this.instret >= endInsn || clock.now >= cycleLimit) return 'limit';
      const limitInsn = Math.min(endInsn, this.instret + Math.max(1, Math.min(clock.nextDeadline(), cycleLimit) - clock.now));
      try {
        this.runLoop(limitInsn);
      } catch (e) {
        this.handleThrow(e);
      }
      if (clock.now >= clock.nextDeadline()) this.attention = true;
    }
  }

  /** The interpreter loop: one decode-cache lookup per instruction, one fetch translation per page. */
  private runLoop(limitInsn: number): void {
    const r = this.r;
    const clock = this.clock;
    const frames = this.bus.frames;
    const mmu = this.mmu;
    const bps = this.breakpoints;
    let fetchVPage = -1;
    let f = frames[0];
    let paBase = 0;
    while (this.instret < limitInsn && !this.attention) {
      const pc = this.pc;
      if (bps !== null && bps.has(pc >>> 0)) {
        if (!this.resumeOverBreakpoint) { this.resumeOverBreakpoint = true; this.stop('breakpoint'); return; }
        this.resumeOverBreakpoint = false;
      }
      const vpage = pc >>> P_SHIFT;
      if (vpage !== fetchVPage) {
        this.curPc = pc;
        paBase = mmu.enabled ? mmu.translateFetch(pc) & ~P_MASK : pc & ~P_MASK;
        f = frames[paBase >>> P_SHIFT];
        if (f === undefined) { this.prefetchAbort(FS_SYNC_EXTERNAL, pc, true); this.instret++; clock.now++; return; }
        fetchVPage = vpage;
      }
      const fr = f as NonNullable<typeof f>;
      const slot = (pc & P_MASK) >> 1;
      let op: A9Op | undefined;
      let insn: number;
      const cache = fr.code as (A9Op | undefined)[] | null;
      if (cache !== null && (op = cache[slot]) !== undefined && op.arm === (this.tbit === 0)) {
        insn = (fr.codeWords as Int32Array)[slot];
      } else {
        this.curPc = pc;
        op = this.decodeAt(pc, paBase | (pc & P_MASK));
        // An instruction that raised an exception at fetch or decode still takes a step, so
        // that an exception loop (vectors in unmapped memory) cannot spin inside run().
        if (op === undefined) { this.instret++; clock.now++; return; }
        insn = this.lastDecodedWord;
      }
      this.curPc = pc;
      this.instret++;
      clock.now++;
      if (op.arm) {
        r[15] = pc + 8;
        this.pc = pc + 4;
        const cond = insn >>> 28;
        if (cond < 14 && !this.conditionPassed(cond)) continue;
        op.exec(this, insn);
      } else {
        r[15] = pc + 4;
        this.pc = pc + op.size;
        const it = this.itstate;
        if (it !== 0) {
          this.itCur = it;
          this.itstate = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
          if (!this.conditionPassed(it >> 4)) { this.itCur = 0; continue; }
          op.exec(this, insn);
          this.itCur = 0;
        } else op.exec(this, insn);
      }
    }
  }

  private lastDecodedWord = 0;

  /** Decode at virtual `pc` (physical `pa`), caching in the frame. Undefined: an exception was taken. */
  private decodeAt(pc: number, pa: number): A9Op | undefined {
    const f = this.bus.frames[pa >>> P_SHIFT];
    if (f === undefined) { this.prefetchAbort(FS_SYNC_EXTERNAL, pc, true); return undefined; }
    const slot = (pa & P_MASK) >> 1;
    let word: number;
    let op: A9Op | undefined;
    let cacheable = true;
    if (this.tbit === 0) {
      if ((pc & 3) !== 0) { this.prefetchAbort(FS_ALIGNMENT, pc, false); return undefined; }
      word = f.i32[(pa & P_MASK) >> 2];
      op = decodeA32(word >>> 0, this.simdDecoder);
    } else {
      const hw1 = f.u16[slot];
      if (isThumb32(hw1)) {
        let hw2: number;
        if ((pa & P_MASK) === P_MASK - 1) {
          cacheable = false;
          const pa2 = this.mmu.enabled ? this.mmu.translateFetch(pc + 2) : pc + 2;
          const f2 = this.bus.frames[pa2 >>> P_SHIFT];
          if (f2 === undefined) { this.prefetchAbort(FS_SYNC_EXTERNAL, pc + 2, true); return undefined; }
          hw2 = f2.u16[(pa2 & P_MASK) >> 1];
        } else hw2 = f.u16[slot + 1];
        word = ((hw1 << 16) | hw2) | 0;
      } else word = hw1;
      op = decodeThumb(word >>> 0, isThumb32(hw1), this.simdDecoder);
    }
    if (op === undefined) {
      this.unknownEncoding(word >>> 0);
      return undefined;
    }
    this.lastDecodedWord = word;
    if (cacheable) {
      if (f.code === null) { f.code = new Array(f.u16.length); f.codeWords = new Int32Array(f.u16.length); }
      f.code[slot] = op;
      (f.codeWords as Int32Array)[slot] = word;
    }
    return op;
  }

  /** An encoding nothing decodes: Undefined Instruction, with a one-time diagnostic naming it. */
  private unknownEncoding(word: number): void {
    const text = this.tbit === 0 ? `A32 0x${word.toString(16).padStart(8, '0')}`
      : word > 0xffff ? `T32 0x${word.toString(16).padStart(8, '0')}` : `T16 0x${word.toString(16).padStart(4, '0')}`;
    if (this.onUnknownEncoding !== null && !this.reportedUnknown.has(text) && this.reportedUnknown.size < 256) {
      this.reportedUnknown.add(text);
      this.onUnknownEncoding(`${this.name}: undefined or unimplemented encoding ${text} at 0x${(this.curPc >>> 0).toString(16)}`);
    }
    this.takeUndef();
  }

  private handleThrow(e: unknown): void {
    if (e === A9_ABORT) return;
    if (e instanceof MmuFault) return; // the abort was taken where the fault was found
    if (e instanceof BusError) {
      // A bus error inside an instruction: a precise synchronous external abort (B3.13.3).
      this.dataAbort(FS_SYNC_EXTERNAL, e.address, e.write, 0, true);
      return;
    }
    throw e;
  }

  // ---------------------------------------------------------------- state

  /** Secure state: monitor mode, or SCR.NS clear (B1.5.1). */
  isSecure(): boolean { return !this.hasSecurity ? false : this.mode === M_MON || (this.cp15.scr & 1) === 0; }
  isPrivileged(): boolean { return this.mode !== M_USR; }
  world(): World { return this.isSecure() ? 'secure' : 'non-secure'; }

  cpsr(): number {
    const it = this.itstate;
    return ((this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28) | (this.q << 27)
      | ((it & 3) << 25) | (this.ge << 16) | ((it >> 2) << 10) | (this.e << 9) | (this.aMask << 8)
      | (this.iMask << 7) | (this.fMask << 6) | (this.tbit << 5) | this.mode) >>> 0;
  }

  /** Write every CPSR field (debugger, exception return, reset code). An invalid mode is ignored. */
  setCpsr(v: number): void {
    this.n = (v >>> 31) & 1; this.z = (v >>> 30) & 1; this.c = (v >>> 29) & 1; this.v = (v >>> 28) & 1; this.q = (v >>> 27) & 1;
    this.ge = (v >>> 16) & 0xf;
    this.itstate = ((v >>> 25) & 3) | (((v >>> 10) & 0x3f) << 2);
    this.e = (v >>> 9) & 1; this.aMask = (v >>> 8) & 1; this.iMask = (v >>> 7) & 1; this.fMask = (v >>> 6) & 1;
    this.tbit = (v >>> 5) & 1;
    if (bankOf(v) >= 0) this.setMode(v & 0x1f);
    this.attention = true;
  }

  getApsr(): number {
    return ((this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28) | (this.q << 27) | (this.ge << 16)) >>> 0;
  }
  setApsrNZCVQ(v: number): void {
    this.n = (v >>> 31) & 1; this.z = (v >>> 30) & 1; this.c = (v >>> 29) & 1; this.v = (v >>> 28) & 1; this.q = (v >>> 27) & 1;
  }

  /** Switch mode, swapping the banked registers in r[] (B1.3.2). `m` must be a valid mode. */
  setMode(m: number): void {
    const from = bankOf(this.mode), to = bankOf(m);
    const r = this.r;
    if (from !== to) {
      this.r13b[from] = r[13]; this.r14b[from] = r[14];
      if (from === 1 || to === 1) {
        const save = from === 1 ? this.fiqHi : this.usrHi;
        const load = to === 1 ? this.fiqHi : this.usrHi;
        for (let k = 0; k < 5; k++) { save[k] = r[8 + k]; r[8 + k] = load[k]; }
      }
      r[13] = this.r13b[to]; r[14] = this.r14b[to];
    }
    const wasSecure = this.isSecure();
    this.mode = m;
    if (this.isSecure() !== wasSecure) this.mmu.flushFetch();
    this.attention = true;
  }

  /** SPSR of the current mode; usr/sys have none (UNPREDICTABLE; reads as 0). */
  getSpsr(): number { const b = bankOf(this.mode); return b <= 0 ? 0 : this.spsrb[b] >>> 0; }
  setSpsr(v: number): void { const b = bankOf(this.mode); if (b > 0) this.spsrb[b] = v; }

  /** Read a register of another mode (MRS banked, SRS, LDM/STM user forms, the debugger). */
  getBanked(mode: number, reg: number): number {
    if (reg < 8 || reg === 15) return this.r[reg];
    const b = bankOf(mode), cur = bankOf(this.mode);
    if (reg < 13) {
      if ((b === 1) === (cur === 1)) return this.r[reg];
      return (b === 1 ? this.fiqHi : this.usrHi)[reg - 8];
    }
    if (b === cur) return this.r[reg];
    return reg === 13 ? this.r13b[b] : this.r14b[b];
  }
  setBanked(mode: number, reg: number, v: number): void {
    if (reg < 8 || reg === 15) { this.r[reg] = v; return; }
    const b = bankOf(mode), cur = bankOf(this.mode);
    if (reg < 13) {
      if ((b === 1) === (cur === 1)) this.r[reg] = v;
      else (b === 1 ? this.fiqHi : this.usrHi)[reg - 8] = v;
      return;
    }
    if (b === cur) this.r[reg] = v;
    else if (reg === 13) this.r13b[b] = v; else this.r14b[b] = v;
  }

  /**
   * CPSRWriteByInstr (B1.3.3, as MSR and CPS use it): bytes selected by `mask` (bit3 flags,
   * bit2 status, bit1 extension, bit0 control). Unprivileged code writes only the flags and
   * GE; mode changes to an invalid mode, or to monitor from Non-secure, are ignored.
   */
  cpsrWriteByInstr(val: number, mask: number, isExcReturn: boolean): void {
    const priv = this.isPrivileged();
    const secure = this.isSecure();
    if ((mask & 8) !== 0) {
      this.setApsrNZCVQ(val);
      if (isExcReturn) this.itstate = (this.itstate & 0xfc) | ((val >>> 25) & 3);
    }
    if ((mask & 4) !== 0) this.ge = (val >>> 16) & 0xf;
    if ((mask & 2) !== 0) {
      if (isExcReturn) this.itstate = (this.itstate & 3) | (((val >>> 10) & 0x3f) << 2);
      // The ARM ARM lets PL0 write E; QEMU does not, and big-endian data is not modelled here, so PL0 E writes are ignored.
      // Non-secure code changes A only when SCR.AW allows it (B1.3.3 CPSRWriteByInstr).
      if (priv) { this.e = (val >>> 9) & 1; if (secure || (this.cp15.scr & 0x20) !== 0) this.aMask = (val >>> 8) & 1; }
    }
    if ((mask & 1) !== 0) {
      if (priv) {
        this.iMask = (val >>> 7) & 1;
        if (secure || (this.cp15.scr & 0x10) !== 0) this.fMask = (val >>> 6) & 1; // ... and F only when SCR.FW does
      }
      if (isExcReturn) this.tbit = (val >>> 5) & 1;
      const m = val & 0x1f;
      if (priv && bankOf(m) >= 0 && !(m === M_MON && !this.isSecure())) this.setMode(m);
    }
    this.attention = true;
  }

  // ---------------------------------------------------------------- PC writes (A2.3.1)

  branchWritePC(addr: number): void { this.pc = this.tbit !== 0 ? addr & ~1 : addr & ~3; }
  bxWritePC(addr: number): void {
    if ((addr & 1) !== 0) { if (this.tbit === 0) { this.tbit = 1; this.attention = true; } this.pc = addr & ~1; }
    // An ARM target with bit 1 set is UNPREDICTABLE; as QEMU does, keep the address, and the fetch then takes a Prefetch Abort.
    else { if (this.tbit !== 0) { this.tbit = 0; this.attention = true; } this.pc = addr & ~1; }
  }
  loadWritePC(addr: number): void { this.bxWritePC(addr); }
  aluWritePC(addr: number): void { if (this.tbit === 0) this.bxWritePC(addr); else this.branchWritePC(addr); }

  /**
   * Exception return (SUBS PC, LR; MOVS PC; LDM ^ with PC; RFE): CPSR from `spsr`, then
   * the PC per the new instruction set state (B1.9.10). Records a world-switch trace when a
   * monitor return changes the security state.
   */
  exceptionReturn(target: number, spsr: number): void {
    const fromPc = this.curPc, wasSecure = this.isSecure(), wasMon = this.mode === M_MON;
    this.cpsrWriteByInstr(spsr, 0xf, true);
    this.tbit = (spsr >>> 5) & 1;
    this.pc = this.tbit !== 0 ? target & ~1 : target & ~3;
    this.exclusiveAddr = -1;
    this.attention = true;
    if (this.trace !== null && wasMon && this.mode !== M_MON) {
      this.trace.emit({ kind: 'world-switch', core: this.coreIndex, how: 'exception-return',
        from: wasSecure ? 'secure' : 'non-secure', to: this.world(), insnAddr: fromPc >>> 0, fromPc: fromPc >>> 0,
        toPc: this.pc >>> 0, cycle: this.clock.now });
    }
  }

  // ---------------------------------------------------------------- exceptions (B1.8)

  /**
   * Take an exception to `targetMode` at vector offset `vec` with the return link `lr`.
   * Monitor mode uses MVBAR; others SCTLR.V high vectors or VBAR of the current world.
   */
  takeException(targetMode: number, vec: number, lr: number, setA: boolean, setF: boolean): void {
    const old = this.cpsr();
    const fromWorld = this.world();
    const fromPc = this.curPc;
    if (targetMode === M_MON && this.hasSecurity) {
      // Entry to monitor mode from Non-secure clears nothing in SCR; the mode makes it Secure.
    }
    this.setMode(targetMode);
    this.spsrb[bankOf(targetMode)] = old;
    this.r[14] = lr;
    this.itstate = 0;
    this.itCur = 0;
    const sctlr = this.cp15.sctlr();
    this.tbit = (sctlr >>> 30) & 1;
    this.e = (sctlr >>> 25) & 1;
    this.iMask = 1;
    // Outside monitor mode, a Non-secure entry sets A/F only where SCR.AW/FW let Non-secure code own them (B1.8.x).
    const nsKeeps = targetMode !== M_MON && this.hasSecurity && (this.cp15.scr & 1) !== 0;
    if (setA && !(nsKeeps && (this.cp15.scr & 0x20) === 0)) this.aMask = 1;
    if (setF && !(nsKeeps && (this.cp15.scr & 0x10) === 0)) this.fMask = 1;
    let base: number;
    if (targetMode === M_MON) base = this.cp15.mvbar;
    else if ((sctlr & (1 << 13)) !== 0) base = 0xffff0000 | 0;
    else base = this.cp15.vbar();
    this.pc = (base + vec) | 0;
    this.exclusiveAddr = -1;
    this.sleeping = false;
    this.attention = true;
    if (this.trace !== null && targetMode === M_MON) {
      // Monitor vector 0x08 is the SMC's; the others are IRQ/FIQ/aborts that SCR routes to monitor.
      this.trace.emit({ kind: 'world-switch', core: this.coreIndex, how: vec === 0x08 ? 'smc' : 'exception-entry', from: fromWorld, to: 'secure',
        insnAddr: fromPc >>> 0, fromPc: fromPc >>> 0, toPc: this.pc >>> 0, cycle: this.clock.now });
    }
  }

  /** Undefined Instruction for the executing instruction (B1.9.6); returns into the vector. */
  takeUndef(): void {
    this.noteFault('undefined instruction', 0, 0);
    this.emitFault('UndefinedInstruction', 0, undefined, 1, `undefined instruction (${this.tbit !== 0 ? 'Thumb' : 'ARM'} state)`);
    this.takeException(MODE_UND, VEC_UNDEF, this.curPc + (this.tbit !== 0 ? 2 : 4), false, false);
  }
  undefinedInstruction(): never { this.takeUndef(); throw A9_ABORT; }
  /** Thumb-table compatibility: an M-profile fault becomes an alignment data abort or UNDEF. */
  abort(_cfsrBits: number, address: number): never {
    if (address !== 0) this.dataAbort(FS_ALIGNMENT, address, false, 0, false);
    else this.takeUndef();
    throw A9_ABORT;
  }

  private noteFault(kind: string, fsr: number, address: number): void {
    // A synchronous exception returns to the faulting instruction: SPSR.IT must be its own IT state,
    // not the one the run loop already advanced to for the next instruction.
    if (this.itCur !== 0) { this.itstate = this.itCur; this.itCur = 0; }
    this.lastFault.kind = kind; this.lastFault.fsr = fsr; this.lastFault.address = address >>> 0;
    this.lastFault.pc = this.curPc >>> 0; this.lastFault.count++;
  }

  /**
   * A 'fault' trace event in the M33's shape: `exception` is the vector number (1 undef,
   * 3 prefetch abort, 4 data abort), `cfsr` carries the DFSR/IFSR value, `cause` its decoding.
   */
  private emitFault(name: string, fsr: number, address: number | undefined, exception: number, cause = describeFsr(fsr)): void {
    if (this.trace === null) return;
    this.trace.emit({ kind: 'fault', core: this.coreIndex, exception, name, cause, cfsr: fsr >>> 0,
      hfsr: 0, sfsr: 0, address: address === undefined ? undefined : address >>> 0, pc: this.curPc >>> 0, cycle: this.clock.now });
  }

  /** Data Abort (B1.9.8): DFSR/DFAR of the current world, then the abort vector (or monitor, by SCR.EA). */
  dataAbort(fs: number, address: number, write: boolean, domain: number, external: boolean): void {
    const fsr = (fs & 0xf) | ((fs & 0x10) << 6) | ((domain & 0xf) << 4) | (write ? 0x800 : 0) | (external ? 0x1000 : 0);
    this.cp15.setDfsr(fsr);
    this.cp15.setDfar(address);
    this.noteFault('data abort', fsr, address);
    this.emitFault('DataAbort', fsr, address, 4);
    const toMon = external && (this.cp15.scr & 8) !== 0 && this.hasSecurity;
    this.takeException(toMon ? M_MON : MODE_ABT, VEC_DABT, this.curPc + 8, true, toMon);
  }

  /** Prefetch Abort (B1.9.7) for the instruction at `address`. */
  prefetchAbort(fs: number, address: number, external: boolean): void {
    const fsr = (fs & 0xf) | ((fs & 0x10) << 6) | (external ? 0x1000 : 0);
    this.cp15.setIfsr(fsr);
    this.cp15.setIfar(address);
    this.noteFault('prefetch abort', fsr, address);
    this.emitFault('PrefetchAbort', fsr, address, 3);
    const toMon = external && (this.cp15.scr & 8) !== 0 && this.hasSecurity;
    this.takeException(toMon ? M_MON : MODE_ABT, VEC_PABT, this.curPc + 4, true, toMon);
  }

  /** IRQ/FIQ, taken between instructions when unmasked (B1.8.6); SCR.IRQ/FIQ route them to monitor. */
  private serviceInterrupts(): void {
    if (this.fiqLine && this.fMask === 0) {
      const toMon = (this.cp15.scr & 4) !== 0 && this.hasSecurity;
      this.sleeping = false;
      this.takeException(toMon ? M_MON : MODE_FIQ, VEC_FIQ, this.pc + 4, true, true);
      return;
    }
    if (this.irqLine && this.iMask === 0) {
      const toMon = (this.cp15.scr & 2) !== 0 && this.hasSecurity;
      this.sleeping = false;
      this.takeException(toMon ? M_MON : MODE_IRQ, VEC_IRQ, this.pc + 4, true, toMon);
    }
  }

  /** WFI wakes on an asserted IRQ/FIQ even when masked (B1.8.12); WFE also on an event. */
  private wakeup(): boolean {
    if (this.irqLine || this.fiqLine) return true;
    if (this.sleepOnWfe && this.eventRegister !== 0) { this.eventRegister = 0; return true; }
    return false;
  }

  svc(imm: number): void {
    if (this.semihost !== null && (this.tbit === 0 ? imm === 0x123456 : imm === 0xab)) { this.semihost(this); return; }
    this.takeException(MODE_SVC, VEC_SVC, this.pc, false, false);
  }

  /** SMC (B1.9.9): monitor mode, from privileged modes only (UNDEF from user). */
  smc(): void {
    if (!this.hasSecurity || !this.isPrivileged()) { this.undefinedInstruction(); }
    this.takeException(M_MON, VEC_SVC, this.pc, true, true);
  }

  /** BKPT: a debugger stop, or a Prefetch Abort with a debug-event IFSR. */
  bkpt(_imm: number): void {
    if (this.debuggerAttached) { this.pc = this.curPc; this.stop('breakpoint'); return; }
    this.prefetchAbort(FS_DEBUG, this.curPc, false);
  }
  /** HLT semihosting (A32 HLT 0xF000 = 0xE10F0070, T32 HLT 0x3C = 0xBABC); other HLT immediates are UNDEFINED on ARMv7. */
  hlt(imm: number): void {
    if (imm === (this.tbit !== 0 ? 0x3c : 0xf000) && this.semihost !== null) { this.semihost(this); return; }
    this.undefinedInstruction();
  }

  wfi(): void { this.sleepOnWfe = false; this.sleeping = true; this.attention = true; }
  wfe(): void {
    if (this.eventRegister !== 0) { this.eventRegister = 0; return; }
    this.sleepOnWfe = true; this.sleeping = true; this.attention = true;
  }
  sev(): void { if (this.sevHook !== null) this.sevHook(); else this.eventRegister = 1; }
  signalEvent(): void { this.eventRegister = 1; this.attention = true; }

  // ---------------------------------------------------------------- conditions

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
      default: return true;
    }
    return (cond & 1) !== 0 ? !result : result;
  }
  inITBlock(): boolean { return this.itCur !== 0; }
  lastInITBlock(): boolean { return (this.itCur & 0xf) === 0x8; }

  // ---------------------------------------------------------------- memory (B2.4, B3)

  /** Bus attributes for the current state with MMU off; with it on, the MMU adds the NS bit. */
  attrs(): number { return (this.mode !== M_USR ? A_PRIV : 0) | (this.isSecure() ? A_SECURE : 0); }

  /** SCTLR.A: every unaligned access faults. */
  private alignCheck(a: number, size: number, write = false): void {
    if ((a & (size - 1)) !== 0 && (this.cp15.sctlrCache & 2) !== 0) this.alignmentFault(a, write);
  }
  private alignmentFault(a: number, write: boolean): never {
    this.dataAbort(FS_ALIGNMENT, a, write, 0, false);
    throw A9_ABORT;
  }

  /** Translate a data access (MMU on); sets this.mmu.lastAttrs. */
  private xlate(a: number, size: number, kind: number, priv: boolean): number {
    return this.mmu.translate(a, size, kind, priv);
  }

  /** A_SECURE when the current world is Secure (kept by mmu.flushFetch on every world change). */
  secAttr = A_SECURE;

  readSized(a: number, size: 1 | 2 | 4, priv: boolean): number {
    if (!this.mmu.enabled) {
      const at = (priv ? A_PRIV : 0) | this.secAttr;
      return size === 1 ? this.bus.read8(a, at) : size === 2 ? this.bus.read16(a, at) : this.bus.read32(a, at);
    }
    if (size > 1 && ((a & P_MASK) + size) > PAGE_SIZE_A9) {
      let v = 0;
      for (let k = 0; k < size; k++) v |= this.readSized(a + k, 1, priv) << (8 * k);
      return v >>> 0;
    }
    const pa = this.xlate(a, size, ACC_READ, priv);
    const at = this.mmu.lastAttrs;
    return size === 1 ? this.bus.read8(pa, at) : size === 2 ? this.bus.read16(pa, at) : this.bus.read32(pa, at);
  }
  writeSized(a: number, size: 1 | 2 | 4, v: number, priv: boolean): void {
    if (!this.mmu.enabled) {
      const at = (priv ? A_PRIV : 0) | this.secAttr;
      if (size === 1) this.bus.write8(a, v, at); else if (size === 2) this.bus.write16(a, v, at); else this.bus.write32(a, v, at);
      return;
    }
    if (size > 1 && ((a & P_MASK) + size) > PAGE_SIZE_A9) {
      // Check every byte's page before writing any, so a fault leaves memory untouched.
      for (let k = 0; k < size; k++) this.xlate(a + k, 1, ACC_WRITE, priv);
      for (let k = 0; k < size; k++) this.writeSized(a + k, 1, v >>> (8 * k), priv);
      return;
    }
    const pa = this.xlate(a, size, ACC_WRITE, priv);
    const at = this.mmu.lastAttrs;
    if (size === 1) this.bus.write8(pa, v, at); else if (size === 2) this.bus.write16(pa, v, at); else this.bus.write32(pa, v, at);
  }

  read8(a: number): number { return this.readSized(a, 1, this.mode !== M_USR); }
  read16(a: number): number { this.alignCheck(a, 2); return this.readSized(a, 2, this.mode !== M_USR); }
  read32(a: number): number { this.alignCheck(a, 4); return this.readSized(a, 4, this.mode !== M_USR); }
  write8(a: number, v: number): void { this.writeSized(a, 1, v, this.mode !== M_USR); }
  write16(a: number, v: number): void { this.alignCheck(a, 2, true); this.writeSized(a, 2, v, this.mode !== M_USR); }
  write32(a: number, v: number): void { this.alignCheck(a, 4, true); this.writeSized(a, 4, v, this.mode !== M_USR); }
  /** LDM/STM, LDRD/STRD, exclusives: word alignment required whatever SCTLR.A says (A3.2.1). */
  read32Aligned(a: number): number { if ((a & 3) !== 0) this.alignmentFault(a, false); return this.readSized(a, 4, this.mode !== M_USR); }
  write32Aligned(a: number, v: number): void { if ((a & 3) !== 0) this.alignmentFault(a, true); this.writeSized(a, 4, v, this.mode !== M_USR); }
  read16Aligned(a: number): number { if ((a & 1) !== 0) this.alignmentFault(a, false); return this.readSized(a, 2, this.mode !== M_USR); }
  write16Aligned(a: number, v: number): void { if ((a & 1) !== 0) this.alignmentFault(a, true); this.writeSized(a, 2, v, this.mode !== M_USR); }
  /** LDRT/STRT family: the access is checked as unprivileged. */
  readUnpriv(a: number, size: 1 | 2 | 4): number { if (size > 1) this.alignCheck(a, size); return this.readSized(a, size, false); }
  writeUnpriv(a: number, size: 1 | 2 | 4, v: number): void { if (size > 1) this.alignCheck(a, size, true); this.writeSized(a, size, v, false); }

  /** Physical address of a data access (for the exclusive monitor), faulting like the access would. */
  physAddr(a: number, kind: number): number {
    return this.mmu.enabled ? this.xlate(a, 4, kind, this.mode !== M_USR) : a >>> 0;
  }

  // ---------------------------------------------------------------- coprocessors (CP14/CP15)

  /** MRC/MCR to CP15 or CP14; false means UNDEFINED. */
  coprocRead(cp: number, crn: number, op1: number, crm: number, op2: number): number | undefined {
    if (cp === 15) return this.cp15.access(crn, op1, crm, op2, false, 0);
    if (cp === 14) return this.cp15.debugRead(crn, op1, crm, op2);
    return undefined;
  }
  coprocWrite(cp: number, crn: number, op1: number, crm: number, op2: number, v: number): boolean {
    if (cp === 15) return this.cp15.access(crn, op1, crm, op2, true, v) !== undefined;
    if (cp === 14) return this.cp15.debugWrite(crn, op1, crm, op2, v);
    return false;
  }

  /** Human-readable one-line state, for CLI diagnostics. */
  describe(): string {
    return `${this.name}: pc=0x${(this.pc >>> 0).toString(16)} cpsr=0x${this.cpsr().toString(16)} (${modeName(this.mode)}, ${this.world()}, ${this.tbit ? 'Thumb' : 'ARM'})`;
  }
}

const PAGE_SIZE_A9 = 1 << P_SHIFT;

export { MODE_USR, MODE_FIQ, MODE_IRQ, MODE_SVC, MODE_MON, MODE_ABT, MODE_UND, MODE_SYS, BANK_MON, ACC_FETCH };
