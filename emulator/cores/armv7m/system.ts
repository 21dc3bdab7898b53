// The ARMv7-M / ARMv8-M system level behind CoreSystem: reset, exception entry and return
// with tail-chaining, escalation and lockup, lazy FP stacking, the SCB state (banked per
// Security state on ARMv8-M), and exceptions that cross Security states. Register decode is
// in scs.ts, NVIC nvic.ts, timers systick.ts, MPUs mpu.ts/mpu-v8m.ts. DDI0403E B1.5, DDI0553 B3.
import { AddressSpace, ATTR_PRIV, ATTR_SECURE, BusError } from '../../bus';
import type { IrqLine } from '../../devices/device';
import {
  ACC_FETCH, ACC_READ, ACC_WRITE, CFSR_BFARVALID, CFSR_DACCVIOL, CFSR_IACCVIOL, CFSR_INVPC, CFSR_LSPERR, CFSR_MLSPERR,
  CFSR_MMARVALID, CFSR_MSTKERR, CFSR_MUNSTKERR, CFSR_STKERR, CFSR_UNSTKERR, CoreSystem, CortexM,
  CFSR_NOCP, EXC_BUSFAULT, EXC_DEBUGMON, EXC_HARDFAULT, EXC_MEMMANAGE, EXC_NMI, EXC_SVCALL, EXC_SYSTICK, EXC_USAGEFAULT,
} from './cpu';
import { Mpu } from './mpu';
import { MpuRegionInfo, MpuV8m } from './mpu-v8m';
import { Nvic, PRIORITY_BASE } from './nvic';
import type { Idau } from './security';
import {
  AIRCR_BFHFNMINS, AIRCR_PRIS, AIRCR_SYSRESETREQS, CCR_BANKED, EXC_SECUREFAULT, FPCCR_BANKED, LocalSau, SauRegisters, Scs,
  SCS_BASE, SCS_NS_ALIAS, SCS_SIZE, ScsNsAlias, SHCSR_SECUREFAULTENA,
} from './scs';

export { AIRCR_BFHFNMINS, AIRCR_PRIS, AIRCR_SYSRESETREQS, CCR_BANKED, EXC_SECUREFAULT, FPCCR_BANKED, SHCSR_SECUREFAULTENA };
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
  /** 'v8m' for ARMv8-M Mainline (Cortex-M33): banked SCB, v8-M MPU, EXC_RETURN with S/ES/DCRS. */
  arch?: 'v7m' | 'v8m';
  /** ARMv8-M Security Extension (TrustZone-M). */
  hasSecurity?: boolean;
  /** SAU regions (SAU_TYPE.SREGION), default 8. Used by the local SAU until a real one is attached. */
  numSauRegions?: number;
  /** v8-M MPU regions per Security state (MPU_TYPE.DREGION), default 8. */
  mpuRegions?: number;
  /** Reset values of VTOR_S / VTOR_NS (SSE-200 INITSVTOR0; VTOR_NS resets to 0 on the M33). */
  initialVtorS?: number;
  initialVtorNs?: number;
}

/** SCB state that ARMv8-M banks between Security states (DDI0553 D1.2). The system object is the Secure (or only) bank. */
export interface ScbBank {
  vtor: number;
  scr: number;
  /** The banked CCR bits; the unbanked ones live in the Secure bank. */
  ccr: number;
  /** MMFSR and UFSR (banked); BFSR lives in the Secure bank only. */
  cfsr: number;
  mmfar: number;
  cpacr: number;
  /** The banked FPCCR bits (LSPACT, USER, THREAD, MMRDY, UFRDY, SPLIMVIOL). */
  fpccr: number;
  fpcar: number;
  fpdscr: number;
  prigroup?: number;
}

/** The Non-secure bank of the SCB plus the Non-secure SysTick and MPU. */
export class NsBank implements ScbBank {
  vtor = 0; scr = 0; ccr = 0; cfsr = 0; mmfar = 0; cpacr = 0; fpccr = 0; fpcar = 0; fpdscr = 0;
  constructor(readonly systick: SysTick | null, readonly mpu8: MpuV8m | null) {}
}

/** SFSR bits (DDI0553 D1.2.x SFSR). */
export const SFSR_INVEP = 1 << 0, SFSR_INVIS = 1 << 1, SFSR_INVER = 1 << 2, SFSR_AUVIOL = 1 << 3, SFSR_INVTRAN = 1 << 4,
  SFSR_LSPERR = 1 << 5, SFSR_SFARVALID = 1 << 6, SFSR_LSERR = 1 << 7;
/** UFSR.STKOF (ARMv8-M): stack limit violation. */
export const CFSR_STKOF = 1 << 20;
/** FPCCR fields the Security Extension adds. */
export const FPCCR_S = 1 << 2, FPCCR_SFRDY = 1 << 7, FPCCR_UFRDY = 1 << 10, FPCCR_SPLIMVIOL = 1 << 9, FPCCR_TS = 1 << 26,
  FPCCR_CLRONRETS = 1 << 27, FPCCR_CLRONRET = 1 << 28, FPCCR_LSPENS = 1 << 29;

/** EXC_RETURN fields (DDI0553 B3.19). */
const EXCRET_ES = 1 << 0, EXCRET_SPSEL = 1 << 2, EXCRET_MODE = 1 << 3, EXCRET_FTYPE = 1 << 4, EXCRET_DCRS = 1 << 5,
  EXCRET_S = 1 << 6, EXCRET_RES0 = 1 << 1;
/** The integrity signature at the bottom of the additional state context (B3.19); bit 0 is FType. */
export const INTEGRITY_SIG = 0xfefa125a;

const CFSR_NAMES: readonly [number, string][] = [
  [1 << 0, 'IACCVIOL'], [1 << 1, 'DACCVIOL'], [1 << 3, 'MUNSTKERR'], [1 << 4, 'MSTKERR'], [1 << 5, 'MLSPERR'],
  [1 << 8, 'IBUSERR'], [1 << 9, 'PRECISERR'], [1 << 10, 'IMPRECISERR'], [1 << 11, 'UNSTKERR'], [1 << 12, 'STKERR'],
  [1 << 13, 'LSPERR'], [1 << 16, 'UNDEFINSTR'], [1 << 17, 'INVSTATE'], [1 << 18, 'INVPC'], [1 << 19, 'NOCP'],
  [1 << 20, 'STKOF'], [1 << 24, 'UNALIGNED'], [1 << 25, 'DIVBYZERO'],
];
const SFSR_NAMES: readonly [number, string][] = [
  [SFSR_INVEP, 'INVEP'], [SFSR_INVIS, 'INVIS'], [SFSR_INVER, 'INVER'], [SFSR_AUVIOL, 'AUVIOL'], [SFSR_INVTRAN, 'INVTRAN'],
  [SFSR_LSPERR, 'LSPERR'], [SFSR_LSERR, 'LSERR'],
];
const EXC_NAMES: Record<number, string> = {
  2: 'NMI', 3: 'HardFault', 4: 'MemManage', 5: 'BusFault', 6: 'UsageFault', 7: 'SecureFault', 11: 'SVCall', 12: 'DebugMonitor',
};

/** Decoded fault-cause names for CFSR and SFSR bits, e.g. 'DACCVIOL, MMARVALID' -> 'DACCVIOL'. */
export function faultCauseNames(cfsrBits: number, sfsrBits = 0, hfsrBits = 0): string {
  const out: string[] = [];
  for (const [b, n] of CFSR_NAMES) if ((cfsrBits & b) !== 0) out.push(n);
  for (const [b, n] of SFSR_NAMES) if ((sfsrBits & b) !== 0) out.push(n);
  if ((hfsrBits & HFSR_VECTTBL) !== 0) out.push('VECTTBL');
  if ((hfsrBits & HFSR_FORCED) !== 0) out.push('FORCED');
  if ((hfsrBits & HFSR_DEBUGEVT) !== 0) out.push('DEBUGEVT');
  return out.join(', ');
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

const CONTROL_SPSEL = 2, CONTROL_FPCA = 4, CONTROL_SFPA = 8;

export class ArmV7MSystem implements CoreSystem {
  readonly nvic: Nvic;
  readonly systick: SysTick;
  readonly mpu: Mpu;
  readonly scs: Scs;
  readonly hasFpu: boolean;
  readonly cpuid: number;
  /** ARMv8-M Mainline. */
  readonly v8: boolean;
  readonly hasSecurity: boolean;
  /** ARMv8-M MPU of the Secure (or only) state; null on ARMv7-M. */
  readonly mpu8: MpuV8m | null;
  /** The Non-secure SCB bank, SysTick and MPU (ARMv8-M with the Security Extension). */
  readonly ns: NsBank;
  /** SAU register block (the core's SAU once attached with setSau). */
  sau: SauRegisters;
  /** The board's IDAU, handed over by the machine and passed on to the SAU's attribution. */
  idau: Idau | null = null;
  /** AIRCR Secure-only fields: BFHFNMINS, PRIS, SYSRESETREQS. */
  aircrS = 0;
  sfsr = 0;
  sfar = 0;
  nsacr = 0;
  private initialVtorS: number;
  private initialVtorNs: number;

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
    this.v8 = opts.arch === 'v8m';
    this.hasSecurity = this.v8 && opts.hasSecurity === true;
    if (this.v8) { cpu.arch = 'v8m'; cpu.hasSecurity = this.hasSecurity; }
    this.initialVtorS = (opts.initialVtorS ?? 0) & 0xffffff80;
    this.initialVtorNs = (opts.initialVtorNs ?? 0) & 0xffffff80;
    this.nvic = new Nvic(opts.numIrqs, opts.priorityBits, () => this.onPend(), () => { this.cpu.attention = true; }, this.hasSecurity);
    const div = opts.refClockDivider ?? 25;
    this.systick = new SysTick(cpu.clock, div, () => this.nvic.setPending(EXC_SYSTICK));
    const nsBase = this.nvic.nsBase;
    const nsTick = this.hasSecurity ? new SysTick(cpu.clock, div, () => this.nvic.setPending(nsBase + EXC_SYSTICK)) : null;
    this.mpu = new Mpu((on) => { this.cpu.mpuActive = on; this.cpu.attention = true; });
    const regions = opts.mpuRegions ?? 8;
    const onEnable8 = (): void => {
      this.cpu.mpuActive = (this.mpu8?.enabled ?? false) || (this.ns.mpu8?.enabled ?? false);
      this.cpu.attention = true;
    };
    this.mpu8 = this.v8 ? new MpuV8m(regions, onEnable8) : null;
    this.ns = new NsBank(nsTick, this.hasSecurity ? new MpuV8m(regions, onEnable8) : null);
    this.sau = new LocalSau(opts.numSauRegions ?? 8);
    this.scs = new Scs(this, opts.warn ?? ((m) => console.warn(m)));
  }

  /** Map the System Control Space (0xE000E000, 4 KiB), and its Non-secure alias with the Security Extension. */
  mapInto(bus: AddressSpace): void {
    bus.mapDevice(SCS_BASE, SCS_SIZE, this.scs);
    if (this.hasSecurity) bus.mapDevice(SCS_NS_ALIAS, SCS_SIZE, new ScsNsAlias(this.scs));
  }

  /** Attach the core's SAU register block (security.ts) in place of the local stand-in. */
  setSau(sau: SauRegisters): void { this.sau = sau; }
  /** The board's IDAU (AN521: address bit 28), forwarded to the SAU that does the attribution. */
  setIdau(idau: Idau | null): void { this.idau = idau; this.sau.setIdau?.(idau); this.cpu.attention = true; }
  /** SSE-200 INITSVTOR: the Secure VTOR value loaded at the next reset. */
  setInitialVtor(secure: boolean, addr: number): void {
    if (secure || !this.hasSecurity) this.initialVtorS = addr & 0xffffff80;
    else this.initialVtorNs = addr & 0xffffff80;
  }

  /** The SCB bank of a Security state: the system itself for Secure (or without the Security Extension). */
  bank(secure: boolean): ScbBank { return secure || !this.hasSecurity ? this : this.ns; }
  /** AIRCR.BFHFNMINS: BusFault, HardFault and NMI target Non-secure state. */
  get bfhfnmins(): boolean { return (this.aircrS & AIRCR_BFHFNMINS) !== 0; }

  /** MPU region lookup for TT/TTT (DDI0553 C2.4.252); the Secure or Non-secure MPU by `secure`. */
  mpuRegionFor(addr: number, secure: boolean, priv: boolean): MpuRegionInfo {
    const m = secure || !this.hasSecurity ? this.mpu8 : this.ns.mpu8;
    if (m === null) return { region: 0, valid: false, r: true, rw: true, nr: true, nrw: true };
    return m.regionFor(addr, priv);
  }

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
  get lspact(): boolean { return (this.lazyBank().fpccr & FPCCR_LSPACT) !== 0; }
  /** The bank that holds the lazy FP state: the one FPCCR_S.S names (DDI0553 B3.21). */
  private lazyBank(): ScbBank { return this.hasSecurity && (this.fpccr & FPCCR_S) === 0 ? this.ns : this; }
  get unalignTrap(): boolean { return ((this.hasSecurity ? this.bank(this.cpu.secure) : this).ccr & CCR_UNALIGN_TRP) !== 0; }
  get div0Trap(): boolean { return (this.ccr & CCR_DIV_0_TRP) !== 0; }

  /** ExecutionPriority() (B1.5.4): the active exceptions' group priority, boosted by the mask registers. */
  executionPriority(cpu: CortexM): number {
    if (this.hasSecurity) return this.executionPriorityS(cpu);
    const highest = this.nvic.activePriority();
    let boosted = PRIORITY_BASE;
    const basepri = cpu.basepri & this.nvic.prioMask;
    if (basepri !== 0) boosted = this.nvic.group(basepri);
    if ((cpu.primask & 1) !== 0) boosted = 0;
    if ((cpu.faultmask & 1) !== 0) boosted = -1;
    return boosted < highest ? boosted : highest;
  }

  /**
   * ExecutionPriority() with the Security Extension (DDI0553 B3.9): the Non-secure masks are
   * applied first (mapped by PRIS), then the Secure ones; FAULTMASK reaches -1 or -3 by BFHFNMINS.
   */
  private executionPriorityS(cpu: CortexM): number {
    const nvic = this.nvic;
    const o = cpu.other;
    const s = cpu.secure;
    const basepriS = s ? cpu.basepri : o.basepri, basepriNs = s ? o.basepri : cpu.basepri;
    const primaskS = s ? cpu.primask : o.primask, primaskNs = s ? o.primask : cpu.primask;
    const faultmaskS = s ? cpu.faultmask : o.faultmask, faultmaskNs = s ? o.faultmask : cpu.faultmask;
    const pris = (this.aircrS & AIRCR_PRIS) !== 0;
    let boosted = PRIORITY_BASE;
    const bpNs = basepriNs & nvic.prioMask;
    if (bpNs !== 0) boosted = nvic.groupNs(bpNs);
    if ((primaskNs & 1) !== 0) boosted = Math.min(boosted, pris ? 0x80 : 0);
    if ((faultmaskNs & 1) !== 0) boosted = Math.min(boosted, this.bfhfnmins ? -1 : pris ? 0x80 : 0);
    const bpS = basepriS & nvic.prioMask;
    if (bpS !== 0) boosted = Math.min(boosted, nvic.group(bpS));
    if ((primaskS & 1) !== 0) boosted = Math.min(boosted, 0);
    if ((faultmaskS & 1) !== 0) boosted = Math.min(boosted, this.bfhfnmins ? -3 : -1);
    return Math.min(boosted, nvic.activePriority());
  }

  /** ExecutionPriority() < 0 without the full scan: only FAULTMASK, NMI and HardFault get there. */
  private negativePriority(cpu: CortexM): boolean {
    if (this.hasSecurity) return this.executionPriority(cpu) < 0;
    return (cpu.faultmask & 1) !== 0 || this.nvic.active[EXC_NMI] !== 0 || this.nvic.active[EXC_HARDFAULT] !== 0;
  }

  // ------------------------------------------------------------------ reset

  reset(cpu: CortexM): void {
    if (this.v8) { this.resetV8(cpu); return; }
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

  /** Reset for ARMv8-M (DDI0553 B3.4 TakeReset): both banks, VTOR from INITSVTOR, the Secure vector table. */
  private resetV8(cpu: CortexM): void {
    this.nvic.reset();
    this.systick.reset();
    this.ns.systick?.reset();
    this.mpu.reset();
    this.mpu8?.reset();
    this.ns.mpu8?.reset();
    this.sau.reset?.();
    this.vtor = this.initialVtorS;
    this.ns.vtor = this.initialVtorNs;
    this.scr = this.ns.scr = 0;
    // STKALIGN and NONBASETHRDENA are RES1 on ARMv8-M (QEMU's M33 reads CCR = 0x201).
    this.ccr = CCR_STKALIGN | CCR_NONBASETHRDENA;
    this.ns.ccr = 0;
    this.actlr = 0;
    this.setShcsrEnables(0);
    this.nvic.enabled[EXC_SECUREFAULT] = 0;
    this.cfsr = this.hfsr = this.dfsr = this.mmfar = this.bfar = this.afsr = 0;
    this.ns.cfsr = this.ns.mmfar = 0;
    this.cpacr = this.ns.cpacr = 0;
    this.nsacr = 0;
    this.fpccr = this.hasFpu ? (FPCCR_ASPEN | FPCCR_LSPEN | (this.hasSecurity ? FPCCR_S : 0)) >>> 0 : 0;
    this.ns.fpccr = 0;
    this.fpcar = this.ns.fpcar = 0;
    this.fpdscr = this.ns.fpdscr = 0;
    this.aircrS = 0;
    this.applyAircrS();
    this.sfsr = this.sfar = 0;
    this.setDemcr(0);
    this.resetRequested = false;
    cpu.mpuActive = false;
    cpu.msp = cpu.psp = 0;
    cpu.r[14] = -1;
    let sp: number, pc: number;
    const attrs = ATTR_PRIV | (cpu.secure ? ATTR_SECURE : 0);
    try {
      sp = cpu.bus.read32(this.vtor, attrs);
      pc = cpu.bus.read32(this.vtor + 4, attrs);
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
    cpu.tbit = pc & 1;
    cpu.attention = true;
  }

  /** AIRCR.BFHFNMINS moves BusFault and NMI to Non-secure and Secure HardFault to priority -3 (DDI0553 B3.9). */
  applyAircrS(): void {
    const nvic = this.nvic;
    nvic.pris = (this.aircrS & AIRCR_PRIS) !== 0;
    if (!this.hasSecurity) return;
    const ns = this.bfhfnmins ? 1 : 0;
    nvic.targetNs[EXC_NMI] = ns;
    nvic.targetNs[EXC_BUSFAULT] = ns;
    nvic.prio[EXC_HARDFAULT] = ns ? -3 : -1;
    nvic.enabled[nvic.nsBase + EXC_HARDFAULT] = ns;
    this.cpu.attention = true;
  }

  // ------------------------------------------------------------------ ARMv8-M exceptions (DDI0553 B3.19-B3.23)

  private exceptionEntryV8(cpu: CortexM, slot: number): void {
    const prio = this.executionPriority(cpu);
    const returnPc = cpu.pc;
    const derived = this.pushStackV8(cpu, prio);
    let target = slot;
    const nvic = this.nvic;
    if (derived !== 0 && nvic.pending[derived] !== 0 && nvic.groupPriority(derived) < nvic.groupPriority(slot)) target = derived;
    if (cpu.locked) return;
    this.exceptionTakenV8(cpu, target, cpu.r[14] >>> 0, false, returnPc);
  }

  /** The MPU that checks accesses of the current Security state. */
  private stateMpu(cpu: CortexM): Mpu | MpuV8m {
    if (!this.v8) return this.mpu;
    return (cpu.secure || !this.hasSecurity ? this.mpu8 : this.ns.mpu8) as MpuV8m;
  }
  private stackAttrs(cpu: CortexM, priv: boolean): number { return (priv ? ATTR_PRIV : 0) | (cpu.secure ? ATTR_SECURE : 0); }

  /** Record a stacking/unstacking error bit in the right CFSR bank and pend its fault. */
  private stackingFault(cpu: CortexM, bit: number, prio: number): number {
    const s = cpu.secure;
    if ((bit & 0xff) !== 0) { this.bank(s).cfsr |= bit; return this.pendFaultV8(cpu, this.nvic.slotOf(EXC_MEMMANAGE, s), prio); }
    this.cfsr |= bit;
    return this.pendFaultV8(cpu, EXC_BUSFAULT, prio);
  }

  /**
   * PushStack for ARMv8-M: the basic frame (and FP frame, with S16-S31 when FPCCR.TS and
   * Secure), the stack-limit check (STKOF: SP set to the limit, nothing written), and the
   * EXC_RETURN base value in LR (S, DCRS, FType, Mode; ES and SPSEL are filled in when taken).
   */
  private pushStackV8(cpu: CortexM, prio: number): number {
    const s = cpu.secure;
    const fpca = this.hasFpu && (cpu.control & CONTROL_FPCA) !== 0;
    const ts = fpca && s && (this.fpccr & FPCCR_TS) !== 0;
    const framesize = fpca ? (ts ? 0xa8 : 0x68) : 0x20;
    const sp = cpu.r[13];
    const frameptralign = (sp >>> 2) & 1; // CCR.STKALIGN is RES1
    const frameptr = (sp - framesize) & ~7;
    const priv = cpu.isPrivileged();
    const r = cpu.r;
    let xpsr = (cpu.getXpsr() & ~((1 << 9) | (1 << 20))) | (frameptralign << 9);
    if (s && (cpu.control & CONTROL_SFPA) !== 0) xpsr |= 1 << 20;
    const lr = (0xffffff80 | (this.hasSecurity && s ? EXCRET_S : 0) | EXCRET_DCRS | (fpca ? 0 : EXCRET_FTYPE) | (cpu.ipsr === 0 ? EXCRET_MODE : 0)) | 0;
    const limit = cpu.usingPsp() ? cpu.psplim : cpu.msplim;
    if ((frameptr >>> 0) < (limit >>> 0)) {
      // Stack limit violation: pushes below the limit never happen (DDI0553 B3.20 PushStack).
      r[13] = limit;
      r[14] = lr;
      this.bank(s).cfsr |= CFSR_STKOF;
      const ex = this.pendFaultV8(cpu, this.nvic.slotOf(EXC_USAGEFAULT, s), prio);
      this.traceFault(cpu, ex, CFSR_STKOF, 0, 0);
      return ex;
    }
    r[13] = frameptr;
    const words = [r[0], r[1], r[2], r[3], r[12], r[14], cpu.pc, xpsr];
    let err = 0;
    for (let i = 0; i < 8 && err === 0; i++) err = this.stackWrite(cpu, frameptr + 4 * i, words[i], priv, CFSR_MSTKERR, CFSR_STKERR);
    let derived = 0;
    if (fpca) {
      if (this.hasSecurity && (this.lazyBank().fpccr & FPCCR_LSPACT) !== 0) {
        // FPCA and LSPACT both set: the lazy state was never restored (DDI0553 B3.21).
        this.sfsr |= SFSR_LSERR;
        derived = this.pendFaultV8(cpu, EXC_SECUREFAULT, prio);
      } else if (this.hasSecurity && !s && (this.nsacr & (1 << 10)) === 0) {
        this.cfsr |= CFSR_NOCP;
        derived = this.pendFaultV8(cpu, EXC_USAGEFAULT, prio);
      } else if ((this.fpccr & FPCCR_LSPEN) === 0) {
        for (let i = 0; i < 16 && err === 0; i++) err = this.stackWrite(cpu, frameptr + 0x20 + 4 * i, cpu.sBits[i], priv, CFSR_MSTKERR, CFSR_STKERR);
        if (err === 0) err = this.stackWrite(cpu, frameptr + 0x60, cpu.fpscr, priv, CFSR_MSTKERR, CFSR_STKERR);
        for (let i = 16; ts && i < 32 && err === 0; i++) err = this.stackWrite(cpu, frameptr + 0x68 + 4 * (i - 16), cpu.sBits[i], priv, CFSR_MSTKERR, CFSR_STKERR);
        // The stacked registers are cleared so the handler cannot see them (QEMU zeroes them too).
        if (this.fpAccessAllowed(cpu)) { cpu.sBits.fill(0, 0, ts ? 32 : 16); cpu.fpscr = 0; }
      } else {
        this.updateFpccrV8(cpu, frameptr, prio);
      }
    }
    r[14] = lr;
    if (err !== 0) return this.stackingFault(cpu, err, prio);
    return derived;
  }

  /** UpdateFPCCR with the Security Extension: banked LSPACT/USER/THREAD/MMRDY, FPCCR_S.S records the state. */
  private updateFpccrV8(cpu: CortexM, frameptr: number, prio: number): void {
    const s = cpu.secure;
    const b = this.bank(s);
    const nvic = this.nvic;
    b.fpcar = (frameptr + 0x20) & ~7;
    let f = b.fpccr & ~(FPCCR_LSPACT | FPCCR_USER | FPCCR_THREAD | FPCCR_MMRDY | FPCCR_UFRDY);
    f |= FPCCR_LSPACT;
    if (!cpu.isPrivileged()) f |= FPCCR_USER;
    if (cpu.ipsr === 0) f |= FPCCR_THREAD;
    const mm = nvic.slotOf(EXC_MEMMANAGE, s);
    if (nvic.enabled[mm] !== 0 && prio > nvic.groupPriority(mm)) f |= FPCCR_MMRDY;
    if (prio > nvic.groupPriority(nvic.slotOf(EXC_USAGEFAULT, s))) f |= FPCCR_UFRDY;
    if (b === this) { this.fpccr = f >>> 0; } else b.fpccr = (f & FPCCR_BANKED) >>> 0;
    let g = this.fpccr & ~(FPCCR_HFRDY | FPCCR_BFRDY | FPCCR_MONRDY | FPCCR_SFRDY | FPCCR_S);
    if (this.hasSecurity && s) g |= FPCCR_S;
    if (prio > -1) g |= FPCCR_HFRDY;
    if (nvic.enabled[EXC_BUSFAULT] !== 0 && prio > nvic.groupPriority(EXC_BUSFAULT)) g |= FPCCR_BFRDY;
    if (nvic.enabled[EXC_DEBUGMON] !== 0 && prio > nvic.groupPriority(EXC_DEBUGMON)) g |= FPCCR_MONRDY;
    if (nvic.enabled[EXC_SECUREFAULT] !== 0 && prio > nvic.groupPriority(EXC_SECUREFAULT)) g |= FPCCR_SFRDY;
    this.fpccr = g >>> 0;
  }

  /** Where a banked SP of a given state lives right now (the core holds the current state's). */
  private spOf(cpu: CortexM, secure: boolean, psp: boolean): number {
    if (secure === cpu.secure) return psp ? cpu.getPsp() : cpu.getMsp();
    return psp ? cpu.other.psp : cpu.other.msp;
  }
  private setSpOf(cpu: CortexM, secure: boolean, psp: boolean, v: number): void {
    if (secure === cpu.secure) { if (psp) cpu.setPsp(v); else cpu.setMsp(v); } else if (psp) cpu.other.psp = v | 0; else cpu.other.msp = v | 0;
  }
  private controlOf(cpu: CortexM, secure: boolean): number { return secure === cpu.secure ? cpu.control : cpu.other.control; }

  /**
   * PushCalleeStack (DDI0553 B3.19): the additional state context — integrity signature, a
   * reserved word, R4-R11 — below the frame on the Secure stack. Returns a derived fault slot or 0.
   */
  private pushCallee(cpu: CortexM, lr: number, tailchain: boolean): number {
    let psp: boolean, limit: number, priv: boolean;
    const o = cpu.other;
    if (tailchain) {
      const mode = (lr & EXCRET_MODE) !== 0;
      psp = mode && (lr & EXCRET_SPSEL) !== 0;
      limit = cpu.secure ? (psp ? cpu.psplim : cpu.msplim) : (psp ? o.psplim : o.msplim);
      priv = !mode || (this.controlOf(cpu, true) & 1) === 0;
    } else {
      psp = cpu.usingPsp();
      limit = psp ? cpu.psplim : cpu.msplim;
      priv = cpu.isPrivileged();
    }
    const prio = this.executionPriority(cpu);
    const frameptr = (this.spOf(cpu, true, psp) - 0x28) | 0;
    if ((frameptr >>> 0) < (limit >>> 0)) {
      this.setSpOf(cpu, true, psp, limit);
      this.bank(cpu.secure).cfsr |= CFSR_STKOF;
      return this.pendFaultV8(cpu, this.nvic.slotOf(EXC_USAGEFAULT, cpu.secure), prio);
    }
    const r = cpu.r;
    let err = this.stackWrite(cpu, frameptr, this.integritySig(lr), priv, CFSR_MSTKERR, CFSR_STKERR);
    for (let i = 0; i < 8 && err === 0; i++) err = this.stackWrite(cpu, frameptr + 8 + 4 * i, r[4 + i], priv, CFSR_MSTKERR, CFSR_STKERR);
    this.setSpOf(cpu, true, psp, frameptr);
    return err === 0 ? 0 : this.stackingFault(cpu, err, prio);
  }

  private integritySig(lr: number): number {
    return (INTEGRITY_SIG | (!this.hasFpu || (lr & EXCRET_FTYPE) !== 0 ? 1 : 0)) | 0;
  }

  /**
   * ExceptionTaken for ARMv8-M: callee-saved stacking and DCRS when Secure background code is
   * preempted by a Non-secure handler, ES/SPSEL in EXC_RETURN, register clearing towards
   * Non-secure, the vector from the target state's VTOR, then the switch of Security state.
   */
  private exceptionTakenV8(cpu: CortexM, slot: number, lrIn: number, tailchain: boolean, returnPc: number): void {
    const nvic = this.nvic;
    const sec = this.hasSecurity;
    const targetSecure = sec && nvic.targetNs[slot] === 0;
    const n = nvic.excNumber(slot);
    let lr = lrIn >>> 0;
    if (tailchain) { if (!this.hasFpu) lr |= EXCRET_FTYPE; lr = (lr | 0xff000000) >>> 0; }
    if (sec && (lr & EXCRET_S) !== 0) {
      if (targetSecure) {
        // Secure -> Non-secure handler -> tail-chained Secure handler: the callee registers are on the stack.
        if (tailchain && (lr & EXCRET_ES) === 0) lr &= ~EXCRET_DCRS;
      } else {
        if ((lr & EXCRET_DCRS) !== 0 && !(tailchain && (lr & EXCRET_ES) === 0)) this.pushCallee(cpu, lr, tailchain);
        lr |= EXCRET_DCRS;
      }
    }
    lr &= ~(EXCRET_ES | EXCRET_SPSEL);
    if (targetSecure) lr |= EXCRET_ES;
    // EXC_RETURN.SPSEL keeps the target state's CONTROL.SPSEL, which entry clears (the D1 pseudocode).
    if (((sec ? this.controlOf(cpu, targetSecure) : cpu.control) & CONTROL_SPSEL) !== 0) lr |= EXCRET_SPSEL;
    const r = cpu.r;
    if (sec && !targetSecure) {
      // Nothing of the Secure state may leak to a Non-secure handler (DDI0553 B3.19; zeroed as QEMU does).
      const zeroCallee = (lr & EXCRET_S) !== 0;
      for (let i = 0; i < 13; i++) if (i < 4 || i > 11 || zeroCallee) r[i] = 0;
      cpu.n = cpu.z = cpu.c = cpu.v = cpu.q = 0;
      cpu.ge = 0;
      cpu.itstate = 0;
    }
    let vec: number;
    try {
      vec = cpu.bus.read32(this.bank(targetSecure).vtor + 4 * n, ATTR_PRIV | (targetSecure ? ATTR_SECURE : 0));
    } catch (e) {
      if (!(e instanceof BusError)) throw e;
      this.hfsr |= HFSR_VECTTBL;
      if (n === EXC_HARDFAULT || n === EXC_NMI) { this.lockup(cpu); return; }
      nvic.setPending(slot);
      const hf = !targetSecure && this.bfhfnmins ? nvic.slotOf(EXC_HARDFAULT, false) : EXC_HARDFAULT;
      this.exceptionTakenV8(cpu, hf, lr, true, returnPc);
      return;
    }
    const fromSecure = cpu.secure;
    nvic.activate(slot);
    cpu.eventRegister = 1;
    if (sec) cpu.setSecurityState(targetSecure);
    cpu.switchStack(n, cpu.control & ~(CONTROL_SPSEL | CONTROL_FPCA | CONTROL_SFPA));
    r[14] = lr | 0;
    cpu.pc = vec & ~1;
    cpu.curPc = cpu.pc;
    cpu.tbit = vec & 1;
    cpu.itstate = 0;
    cpu.itCur = 0;
    cpu.exclusiveAddr = -1;
    cpu.attention = true;
    if (cpu.trace !== null && sec && fromSecure !== targetSecure) {
      cpu.trace.emit({ kind: 'world-switch', core: cpu.coreIndex, how: 'exception-entry', from: fromSecure ? 'secure' : 'non-secure',
        to: targetSecure ? 'secure' : 'non-secure', insnAddr: returnPc >>> 0, fromPc: returnPc >>> 0, toPc: cpu.pc >>> 0, cycle: cpu.clock.now });
    }
  }

  /** Take the highest pending exception on the frame that is already on the stack (a tail-chain, B3.23). */
  private takeOnExistingFrame(cpu: CortexM, excReturn: number): void {
    if (cpu.locked) return;
    const p = this.nvic.highestPending();
    if (p === 0) return;
    this.exceptionTakenV8(cpu, p, excReturn, true, cpu.curPc);
  }

  /** ExceptionReturn for ARMv8-M (DDI0553 B3.23 and the D1 pseudocode), with the Security Extension checks. */
  private exceptionReturnV8(cpu: CortexM, excReturnIn: number): void {
    const nvic = this.nvic;
    const sec = this.hasSecurity;
    let excReturn = excReturnIn >>> 0;
    const insnAddr = cpu.curPc >>> 0;
    cpu.attention = true;
    let sfault = false, ufault = false;
    if (sec && !cpu.secure && ((excReturn & EXCRET_ES) !== 0 || (excReturn & EXCRET_DCRS) === 0)) {
      sfault = true; // a Non-secure handler cannot return as Secure (INVER); ES counts as 0 from here on
      excReturn &= ~EXCRET_ES;
    }
    const excSecure = sec && (excReturn & EXCRET_ES) !== 0;
    const n = cpu.ipsr;
    const slot = nvic.slotOf(n, excSecure);
    if (n !== EXC_NMI && (!sec || nvic.activePriority() >= 0)) {
      if (excSecure === cpu.secure || !sec) cpu.faultmask = 0; else cpu.other.faultmask = 0;
    }
    if (nvic.active[slot] === 0) ufault = true;
    const nested = nvic.activeBitCount();
    nvic.deactivate(slot);
    const toThread = (excReturn & EXCRET_MODE) !== 0;
    const returnToSecure = sec && (excReturn & EXCRET_S) !== 0;
    if (!sec && ((excReturn & (EXCRET_S | EXCRET_ES)) !== 0 || (excReturn & EXCRET_DCRS) === 0)) ufault = true;
    if ((excReturn & EXCRET_RES0) !== 0) ufault = true;
    // CONTROL.SPSEL of the exception's state comes from EXC_RETURN before anything can tail-chain.
    const spselBit = (excReturn & EXCRET_SPSEL) !== 0 ? CONTROL_SPSEL : 0;
    if (excSecure === cpu.secure || !sec) cpu.control = (cpu.control & ~CONTROL_SPSEL) | spselBit;
    else cpu.other.control = (cpu.other.control & ~CONTROL_SPSEL) | spselBit;
    if (sec && this.hasFpu && (this.fpccr & FPCCR_CLRONRET) !== 0 && (cpu.control & CONTROL_FPCA) !== 0) {
      if ((this.fpccr & FPCCR_LSPACT) !== 0) {
        this.sfsr |= SFSR_LSERR;
        this.raiseOnReturn(cpu, EXC_SECUREFAULT, 0, SFSR_LSERR, excReturn);
        return;
      }
      cpu.sBits.fill(0, 0, 16);
      cpu.fpscr = 0;
    }
    if (sfault) {
      this.sfsr |= SFSR_INVER;
      this.raiseOnReturn(cpu, EXC_SECUREFAULT, 0, SFSR_INVER, excReturn);
      return;
    }
    if (ufault) {
      this.bank(cpu.secure).cfsr |= CFSR_INVPC;
      this.raiseOnReturn(cpu, nvic.slotOf(EXC_USAGEFAULT, cpu.secure), CFSR_INVPC, 0, excReturn);
      return;
    }
    const p = nvic.highestPending();
    if (p !== 0 && nvic.groupPriority(p) < this.executionPriority(cpu)) {
      this.exceptionTakenV8(cpu, p, excReturn, true, insnAddr);
      return;
    }

    const fromSecure = cpu.secure;
    if (sec) cpu.setSecurityState(returnToSecure);
    const usePsp = toThread && (cpu.control & CONTROL_SPSEL) !== 0;
    let frameptr = usePsp ? cpu.psp : cpu.r[13];
    const priv = !toThread || (cpu.control & 1) === 0;
    const ftype = !this.hasFpu || (excReturn & EXCRET_FTYPE) !== 0;
    const callee = returnToSecure && ((excReturn & EXCRET_ES) === 0 || (excReturn & EXCRET_DCRS) === 0);
    const restoreHigh = !ftype && returnToSecure && (this.fpccr & FPCCR_TS) !== 0;
    const retBank = this.bank(returnToSecure);
    const lazy = !ftype && (retBank.fpccr & FPCCR_LSPACT) !== 0;
    const frame = this.popBufV8;
    try {
      if (callee) {
        const sig = this.stackRead(cpu, frameptr, priv);
        if (sig !== this.integritySig(excReturn)) {
          this.sfsr |= SFSR_INVIS;
          this.raiseOnReturn(cpu, EXC_SECUREFAULT, 0, SFSR_INVIS, excReturn);
          return;
        }
        for (let i = 0; i < 8; i++) frame[25 + i] = this.stackRead(cpu, frameptr + 8 + 4 * i, priv);
        frameptr = (frameptr + 0x28) | 0;
      }
      for (let i = 0; i < 8; i++) frame[i] = this.stackRead(cpu, frameptr + 4 * i, priv);
      if (!ftype && !lazy) {
        for (let i = 0; i < 17; i++) frame[8 + i] = this.stackRead(cpu, frameptr + 0x20 + 4 * i, priv);
        for (let i = 0; restoreHigh && i < 16; i++) frame[33 + i] = this.stackRead(cpu, frameptr + 0x68 + 4 * i, priv);
      }
    } catch (e) {
      if (typeof e !== 'number') throw e;
      const ex = this.stackingFault(cpu, e, this.executionPriority(cpu));
      if (ex !== 0) this.takeOnExistingFrame(cpu, excReturn);
      return;
    }
    const psr = frame[7];
    if (toThread === ((psr & 0x1ff) !== 0)) {
      // The stacked IPSR disagrees with EXC_RETURN.Mode: INVPC on the existing frame, in the background state.
      this.bank(cpu.secure).cfsr |= CFSR_INVPC;
      this.raiseOnReturn(cpu, nvic.slotOf(EXC_USAGEFAULT, cpu.secure), CFSR_INVPC, 0, excReturn);
      return;
    }
    if (!ftype && !returnToSecure && (this.fpccr & FPCCR_LSPACT) !== 0) {
      this.sfsr |= SFSR_LSERR;
      this.raiseOnReturn(cpu, EXC_SECUREFAULT, 0, SFSR_LSERR, excReturn);
      return;
    }
    const r = cpu.r;
    if (callee) for (let i = 0; i < 8; i++) r[4 + i] = frame[25 + i];
    r[0] = frame[0]; r[1] = frame[1]; r[2] = frame[2]; r[3] = frame[3]; r[12] = frame[4]; r[14] = frame[5];
    cpu.pc = frame[6] & ~1;
    cpu.curPc = cpu.pc;
    if (!ftype) {
      if (lazy) retBank.fpccr &= ~FPCCR_LSPACT;
      else {
        for (let i = 0; i < 16; i++) cpu.sBits[i] = frame[8 + i];
        cpu.fpscr = frame[24] >>> 0;
        for (let i = 0; restoreHigh && i < 16; i++) cpu.sBits[16 + i] = frame[33 + i];
      }
    }
    const framesize = ftype ? 0x20 : restoreHigh ? 0xa8 : 0x68;
    const newSp = ((frameptr + framesize) | ((psr & (1 << 9)) !== 0 ? 4 : 0)) | 0;
    if (usePsp) cpu.psp = newSp; else r[13] = newSp;
    let control = cpu.control & ~(CONTROL_SPSEL | CONTROL_FPCA | CONTROL_SFPA);
    if (usePsp) control |= CONTROL_SPSEL;
    if (!ftype) control |= CONTROL_FPCA;
    if (returnToSecure && (psr & (1 << 20)) !== 0) control |= CONTROL_SFPA;
    cpu.setXpsr(psr);
    cpu.switchStack(psr & 0x1ff, control);
    cpu.exclusiveAddr = -1;
    cpu.eventRegister = 1;
    if (toThread && nested === 1 && (this.bank(cpu.secure).scr & SCR_SLEEPONEXIT) !== 0) {
      cpu.sleepOnWfe = false;
      cpu.sleeping = true;
    }
    if (cpu.trace !== null && sec && fromSecure !== returnToSecure) {
      cpu.trace.emit({ kind: 'world-switch', core: cpu.coreIndex, how: 'exception-return', from: fromSecure ? 'secure' : 'non-secure',
        to: returnToSecure ? 'secure' : 'non-secure', insnAddr, fromPc: insnAddr, toPc: cpu.pc >>> 0, cycle: cpu.clock.now });
    }
  }
  private readonly popBufV8 = new Int32Array(49);

  /** A fault found during exception return: pend it (or escalate) and take it on the existing frame. */
  private raiseOnReturn(cpu: CortexM, slot: number, cfsrBits: number, sfsrBits: number, excReturn: number): void {
    const ex = this.pendFaultV8(cpu, slot, this.executionPriority(cpu));
    this.traceFault(cpu, ex, cfsrBits, sfsrBits, 0);
    if (ex !== 0) this.takeOnExistingFrame(cpu, excReturn);
  }

  /**
   * Pend fault `slot` if enabled and able to preempt `prio`; else escalate to the HardFault
   * of its target state (Non-secure HardFault only with BFHFNMINS), else lock up. Returns the slot pended or 0.
   */
  private pendFaultV8(cpu: CortexM, slot: number, prio: number): number {
    const nvic = this.nvic;
    if (nvic.enabled[slot] !== 0 && nvic.groupPriority(slot) < prio) { nvic.setPending(slot); return slot; }
    const hf = nvic.targetNs[slot] !== 0 && this.bfhfnmins ? nvic.slotOf(EXC_HARDFAULT, false) : EXC_HARDFAULT;
    return this.escalateTo(cpu, hf, prio, HFSR_FORCED);
  }

  /** SecureFault (DDI0553 B3.x): SFSR (and SFAR), then exception 7, escalated to Secure HardFault when disabled or masked. */
  secureFault(cpu: CortexM, sfsrBits: number, address: number): void {
    this.sfsr = (this.sfsr | sfsrBits) & 0xff;
    if ((sfsrBits & SFSR_SFARVALID) !== 0) this.sfar = address >>> 0;
    const ex = this.pendFaultV8(cpu, EXC_SECUREFAULT, this.executionPriority(cpu));
    this.traceFault(cpu, ex, 0, sfsrBits, address);
    cpu.attention = true;
  }

  /** A fault event for the debugger (only while someone listens). */
  private traceFault(cpu: CortexM, slot: number, cfsrBits: number, sfsrBits: number, address: number): void {
    if (cpu.trace === null) return;
    const exc = slot === 0 ? 0 : this.nvic.excNumber(slot);
    const cfsr = this.v8 ? (this.bank(cpu.secure).cfsr | (this.cfsr & 0xff00)) >>> 0 : this.cfsr >>> 0;
    const hf = exc === EXC_HARDFAULT ? this.hfsr : 0;
    cpu.trace.emit({
      kind: 'fault', core: cpu.coreIndex, exception: exc, name: exc === 0 ? 'Lockup' : EXC_NAMES[exc] ?? `exception ${exc}`,
      cause: faultCauseNames(cfsrBits, sfsrBits, hf), cfsr, hfsr: this.hfsr >>> 0, sfsr: this.sfsr,
      ...((cfsrBits & (CFSR_MMARVALID | CFSR_BFARVALID)) !== 0 || (sfsrBits & SFSR_SFARVALID) !== 0 ? { address: address >>> 0 } : {}),
      pc: cpu.curPc >>> 0, cycle: cpu.clock.now,
    });
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
    if (this.v8) { this.exceptionEntryV8(cpu, n); return; }
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
    if (cpu.mpuActive && !this.stateMpu(cpu).allows(addr, 4, ACC_WRITE, priv, this.negativePriority(cpu))) return mpuBit;
    try { cpu.bus.write32(addr, v, this.stackAttrs(cpu, priv)); } catch (e) {
      if (e instanceof BusError) return busBit;
      throw e;
    }
    return 0;
  }
  private stackRead(cpu: CortexM, addr: number, priv: boolean): number {
    if (cpu.mpuActive && !this.stateMpu(cpu).allows(addr, 4, ACC_READ, priv, this.negativePriority(cpu))) throw CFSR_MUNSTKERR;
    try { return cpu.bus.read32(addr, this.stackAttrs(cpu, priv)) | 0; } catch (e) {
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
    return this.escalateTo(cpu, EXC_HARDFAULT, prio, hfsrBit);
  }
  private escalateTo(cpu: CortexM, hfSlot: number, prio: number, hfsrBit: number): number {
    this.hfsr |= hfsrBit;
    if (this.nvic.groupPriority(hfSlot) < prio) { this.nvic.setPending(hfSlot); return hfSlot; }
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
    const ex = (cfsrBits & 0xff) !== 0 ? EXC_MEMMANAGE : (cfsrBits & 0xff00) !== 0 ? EXC_BUSFAULT : EXC_USAGEFAULT;
    let pended: number;
    if (this.v8) {
      // MMFSR/UFSR and MMFAR are banked by the faulting state; BFSR/BFAR are not (DDI0553 D1.2).
      const s = cpu.secure;
      const b = this.bank(s);
      b.cfsr = (b.cfsr | (cfsrBits & 0xffff00ff)) >>> 0;
      this.cfsr = (this.cfsr | (cfsrBits & 0xff00)) >>> 0;
      if ((cfsrBits & CFSR_MMARVALID) !== 0) b.mmfar = address >>> 0;
      if ((cfsrBits & CFSR_BFARVALID) !== 0) this.bfar = address >>> 0;
      pended = this.pendFaultV8(cpu, ex === EXC_BUSFAULT ? ex : this.nvic.slotOf(ex, s), this.executionPriority(cpu));
    } else {
      this.cfsr = (this.cfsr | cfsrBits) >>> 0;
      if ((cfsrBits & CFSR_MMARVALID) !== 0) this.mmfar = address >>> 0;
      if ((cfsrBits & CFSR_BFARVALID) !== 0) this.bfar = address >>> 0;
      pended = this.pendFault(cpu, ex, this.executionPriority(cpu));
    }
    this.traceFault(cpu, pended, cfsrBits, 0, address);
    cpu.attention = true;
  }

  svc(cpu: CortexM, _imm: number): void {
    const prio = this.executionPriority(cpu);
    // SVC is synchronous: when SVCall cannot preempt now it escalates (B1.5.4). SVCall is banked on ARMv8-M.
    const slot = this.nvic.slotOf(EXC_SVCALL, cpu.secure);
    if (this.nvic.groupPriority(slot) < prio) this.nvic.setPending(slot);
    else this.escalateTo(cpu, this.nvic.targetNs[slot] !== 0 && this.bfhfnmins ? this.nvic.slotOf(EXC_HARDFAULT, false) : EXC_HARDFAULT, prio, HFSR_FORCED);
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
    if (this.stateMpu(cpu).allows(addr, size, kind, priv, this.negativePriority(cpu))) return true;
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
    if (this.v8) { this.exceptionReturnV8(cpu, excReturn); return; }
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
    // NSACR.CP10 gates Non-secure use of the FPU before CPACR_NS is looked at (DDI0553 D1.2).
    if (this.hasSecurity && !cpu.secure && (this.nsacr & (1 << 10)) === 0) return false;
    const cp10 = (this.bank(cpu.secure).cpacr >>> 20) & 3;
    if (cp10 === 3) return true;
    if (cp10 === 1) return cpu.isPrivileged();
    return false; // 0 access denied, 2 reserved
  }

  /** PreserveFPState (B1.5.7): store S0-S15 and FPSCR in the space reserved at FPCAR. */
  preserveFpState(cpu: CortexM): void {
    if (!this.lspact) return;
    const lb = this.lazyBank();
    const priv = (lb.fpccr & FPCCR_USER) === 0;
    const base = lb.fpcar & ~7;
    let err = 0;
    for (let i = 0; i < 17 && err === 0; i++) {
      err = this.stackWrite(cpu, base + 4 * i, i < 16 ? cpu.sBits[i] : cpu.fpscr, priv, CFSR_MLSPERR, CFSR_LSPERR);
    }
    // With FPCCR.TS a Secure context also saves S16-S31 (DDI0553 B3.21).
    const high = this.hasSecurity && lb === this && (this.fpccr & FPCCR_TS) !== 0;
    for (let i = 16; high && i < 32 && err === 0; i++) err = this.stackWrite(cpu, base + 0x48 + 4 * (i - 16), cpu.sBits[i], priv, CFSR_MLSPERR, CFSR_LSPERR);
    lb.fpccr &= ~FPCCR_LSPACT;
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
