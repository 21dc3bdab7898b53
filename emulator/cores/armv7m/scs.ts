// The System Control Space (0xE000E000, ARM ARM B3.2): the MMIO decode of the SCB,
// SysTick, NVIC, MPU, SAU, FP and ID registers of one ARMv7-M/ARMv8-M core. On ARMv8-M with
// the Security Extension every access picks a bank (DDI0553 D1.2): a Secure access sees the
// Secure registers, a Non-secure one (or a Secure one through 0xE002E000) the Non-secure ones.
import { AccessSize, ATTR_DEBUG, ATTR_PRIV, ATTR_SECURE, BusError, MmioDevice } from '../../bus';
import { EXC_BUSFAULT, EXC_DEBUGMON, EXC_HARDFAULT, EXC_MEMMANAGE, EXC_NMI, EXC_PENDSV, EXC_SVCALL, EXC_SYSTICK, EXC_USAGEFAULT } from './cpu';
import { MPU_ALIAS_LAST, MPU_TYPE } from './mpu';
import { MPU8_MAIR1 } from './mpu-v8m';
import { NVIC_IPR, NVIC_IPR_END, NVIC_ISER } from './nvic';
import { SYST_CALIB, SYST_CSR } from './systick';
import type { Idau } from './security';
import type { ArmV7MSystem } from './system';

export const SCS_BASE = 0xe000e000, SCS_SIZE = 0x1000;

export const EXC_SECUREFAULT = 7;
/** AIRCR Secure-only fields (DDI0553 D1.2.3). */
export const AIRCR_SYSRESETREQS = 1 << 3, AIRCR_BFHFNMINS = 1 << 13, AIRCR_PRIS = 1 << 14;
export const SHCSR_SECUREFAULTENA = 1 << 19;
/** The FPCCR bits banked between Security states; the others live in FPCCR_S. */
export const FPCCR_BANKED = (1 << 0) | (1 << 1) | (1 << 3) | (1 << 5) | (1 << 9) | (1 << 10);
/** CCR bits banked between Security states (STKOFHFNMIGN, UNALIGN_TRP, USERSETMPEND). */
export const CCR_BANKED = (1 << 10) | (1 << 3) | (1 << 1);
/** The Non-secure alias of the SCS (DDI0553 D1.2): Secure software reaches the Non-secure bank here. */
export const SCS_NS_ALIAS = 0xe002e000;

/** The SAU register block as the SCS decodes it (0xE000EDD0..0xE000EDE0); the core's Sau class (security.ts) implements it. */
export interface SauRegisters {
  readCtrl(): number; writeCtrl(v: number): void;
  readType(): number;
  readRnr(): number; writeRnr(v: number): void;
  readRbar(): number; writeRbar(v: number): void;
  readRlar(): number; writeRlar(v: number): void;
  reset?(): void;
  setIdau?(idau: Idau | null): void;
}

/** Register storage standing in for the SAU until the core attaches its own (attribution is not done here). */
export class LocalSau implements SauRegisters {
  private ctrl = 0;
  private rnr = 0;
  readonly rbar: Uint32Array;
  readonly rlar: Uint32Array;
  constructor(readonly regions: number) {
    if (!Number.isInteger(regions) || regions < 0 || regions > 255) throw new Error(`SAU: ${regions} regions; SAU_TYPE.SREGION allows 0..255`);
    this.rbar = new Uint32Array(regions);
    this.rlar = new Uint32Array(regions);
  }
  reset(): void { this.ctrl = 0; this.rnr = 0; this.rbar.fill(0); this.rlar.fill(0); }
  readCtrl(): number { return this.ctrl; }
  writeCtrl(v: number): void { this.ctrl = v & 3; }
  readType(): number { return this.regions; }
  readRnr(): number { return this.rnr; }
  writeRnr(v: number): void { this.rnr = v & 0xff; }
  readRbar(): number { return this.rnr < this.regions ? this.rbar[this.rnr] : 0; }
  writeRbar(v: number): void { if (this.rnr < this.regions) this.rbar[this.rnr] = (v & ~0x1f) >>> 0; }
  readRlar(): number { return this.rnr < this.regions ? this.rlar[this.rnr] : 0; }
  writeRlar(v: number): void { if (this.rnr < this.regions) this.rlar[this.rnr] = (v & ~0x1c) >>> 0; }
}

/** SAU, SFSR/SFAR and NSACR offsets (DDI0553 D1.2). */
const SAU_CTRL = 0xdd0, SAU_TYPE = 0xdd4, SAU_RNR = 0xdd8, SAU_RBAR = 0xddc, SAU_RLAR = 0xde0, SFSR = 0xde4, SFAR = 0xde8,
  NSACR = 0xd8c, NVIC_ITNS_END = 0x3c0;

/** SCB and friends, as offsets inside the SCS (B3.2.2 Table B3-4, B3.3, C1.6). */
const ICTR = 0x004, ACTLR = 0x008, CPUID = 0xd00, ICSR = 0xd04, VTOR = 0xd08, AIRCR = 0xd0c, SCR = 0xd10, CCR = 0xd14,
  SHPR1 = 0xd18, SHPR3_END = 0xd24, SHCSR = 0xd24, CFSR = 0xd28, HFSR = 0xd2c, DFSR = 0xd30, MMFAR = 0xd34, BFAR = 0xd38,
  AFSR = 0xd3c, ID_PFR0 = 0xd40, ID_ISAR4 = 0xd70, CPACR = 0xd88, DHCSR = 0xdf0, DCRSR = 0xdf4, DCRDR = 0xdf8, DEMCR = 0xdfc,
  STIR = 0xf00, FPCCR = 0xf34, FPCAR = 0xf38, FPDSCR = 0xf3c, MVFR0 = 0xf40, MVFR1 = 0xf44, PID4 = 0xfd0;

/** ID_PFR0..ID_ISAR4 of the Cortex-M4 (Cortex-M4 TRM r0p1, table 4-1), in offset order from 0xD40. */
const CORTEX_M4_ID = [
  0x00000030, 0x00000200, 0x00100000, 0x00000000, // ID_PFR0, ID_PFR1, ID_DFR0, ID_AFR0
  0x00100030, 0x00000000, 0x01000000, 0x00000000, // ID_MMFR0..3
  0x01101110, 0x02111000, 0x21112231, 0x01111110, 0x01310132, // ID_ISAR0..4
];
/** PID4..PID7, PID0..PID3, CID0..CID3 of the Cortex-M4 SCS. */
const CORTEX_M4_PIDCID = [0x04, 0, 0, 0, 0x0c, 0xb0, 0x0b, 0x00, 0x0d, 0xe0, 0x05, 0xb1];
/** ID_PFR0..ID_ISAR4 of the Cortex-M33 as QEMU 7.2's mps2-an521 reports them (read over gdb at 0xE000ED40). */
const CORTEX_M33_ID = [
  0x00000030, 0x00000210, 0x00200000, 0x00000000,
  0x00101f40, 0x00000000, 0x01000000, 0x00000000,
  0x01101110, 0x02211000, 0x20112232, 0x01111110, 0x01310132,
];
/** PID/CID of the Cortex-M33 SCS, as QEMU 7.2 reports them. */
const CORTEX_M33_PIDCID = [0, 0, 0, 0, 0, 0xb0, 0x1b, 0x00, 0x0d, 0xe0, 0x05, 0xb1];

const ICSR_NMIPENDSET = 1 << 31, ICSR_PENDNMICLR = 1 << 30, ICSR_PENDSVSET = 1 << 28, ICSR_PENDSVCLR = 1 << 27, ICSR_PENDSTSET = 1 << 26,
  ICSR_PENDSTCLR = 1 << 25, ICSR_ISRPENDING = 1 << 22, ICSR_RETTOBASE = 1 << 11;
const AIRCR_VECTCLRACTIVE = 1 << 1, AIRCR_SYSRESETREQ = 1 << 2;

/** SHCSR pended/active bits and the exception each reflects (B3.2.13). */
const SHCSR_STATE: readonly (readonly [number, number, 'pending' | 'active'])[] = [
  [15, EXC_SVCALL, 'pending'], [14, EXC_BUSFAULT, 'pending'], [13, EXC_MEMMANAGE, 'pending'], [12, EXC_USAGEFAULT, 'pending'],
  [11, EXC_SYSTICK, 'active'], [10, EXC_PENDSV, 'active'], [8, EXC_DEBUGMON, 'active'], [7, EXC_SVCALL, 'active'],
  [3, EXC_USAGEFAULT, 'active'], [1, EXC_BUSFAULT, 'active'], [0, EXC_MEMMANAGE, 'active'],
];
/** Exceptions whose SHPR byte is implemented; the others are reserved (RAZ/WI). SecureFault's only with the Security Extension. */
const SHPR_IMPLEMENTED = new Set([EXC_MEMMANAGE, EXC_BUSFAULT, EXC_USAGEFAULT, EXC_SVCALL, EXC_DEBUGMON, EXC_PENDSV, EXC_SYSTICK]);
/** SHCSR bits that are banked (DDI0553 D1.2 SHCSR); the rest are Secure or shared. */
const SHCSR_BANKED_BITS: readonly (readonly [number, number, 'pending' | 'active'])[] = [
  [21, EXC_HARDFAULT, 'pending'], [15, EXC_SVCALL, 'pending'], [13, EXC_MEMMANAGE, 'pending'], [12, EXC_USAGEFAULT, 'pending'],
  [11, EXC_SYSTICK, 'active'], [10, EXC_PENDSV, 'active'], [7, EXC_SVCALL, 'active'], [3, EXC_USAGEFAULT, 'active'],
  [2, EXC_HARDFAULT, 'active'], [0, EXC_MEMMANAGE, 'active'],
];
/** SHCSR bits of non-banked exceptions: the Non-secure view sees BusFault, NMI and DebugMonitor only with BFHFNMINS. */
const SHCSR_SHARED_BITS: readonly (readonly [number, number, 'pending' | 'active'])[] = [
  [20, EXC_SECUREFAULT, 'pending'], [14, EXC_BUSFAULT, 'pending'], [8, EXC_DEBUGMON, 'active'], [5, EXC_NMI, 'active'],
  [4, EXC_SECUREFAULT, 'active'], [1, EXC_BUSFAULT, 'active'],
];

export class Scs implements MmioDevice {
  readonly name = 'scs';
  private readonly warned = new Set<number>();

  constructor(private readonly sys: ArmV7MSystem, private readonly warn: (message: string) => void) {}

  /** The bank an access on the main SCS window sees: Secure accesses the Secure bank. */
  private secureView(attrs: number): boolean { return !this.sys.hasSecurity || (attrs & ATTR_SECURE) !== 0; }

  private checkAccess(offset: number, write: boolean, attrs: number, s: boolean): void {
    if ((attrs & (ATTR_PRIV | ATTR_DEBUG)) !== 0) return;
    // Unprivileged SCS accesses fault (B3.2.1), except STIR when CCR.USERSETMPEND allows it.
    if (write && offset === STIR && (this.sys.bank(s).ccr & 2) !== 0) return;
    throw new BusError(SCS_BASE + offset, write, 'unprivileged access to the System Control Space');
  }

  private unmodelled(offset: number, write: boolean): void {
    if (this.warned.has(offset)) return;
    this.warned.add(offset);
    const addr = `0x${(SCS_BASE + offset).toString(16)}`;
    this.warn(`SCS register at ${addr} is not modelled: ${write ? 'write ignored' : 'reads as zero'}`);
  }

  read(offset: number, size: AccessSize, attrs: number): number { return this.readBanked(offset, size, attrs, this.secureView(attrs)); }
  write(offset: number, size: AccessSize, value: number, attrs: number): void { this.writeBanked(offset, size, value, attrs, this.secureView(attrs)); }

  /** A read that sees bank `s` (true = Secure, or the only bank). */
  readBanked(offset: number, size: AccessSize, attrs: number, s: boolean): number {
    this.checkAccess(offset, false, attrs, s);
    const sideEffects = (attrs & ATTR_DEBUG) === 0;
    const word = this.readWord(offset & ~3, sideEffects, s);
    if (size === 4) return word >>> 0;
    const shift = 8 * (offset & 3);
    return (word >>> shift) & (size === 1 ? 0xff : 0xffff);
  }

  /** A write that lands in bank `s`. */
  writeBanked(offset: number, size: AccessSize, value: number, attrs: number, s: boolean): void {
    this.checkAccess(offset, true, attrs, s);
    const sys = this.sys;
    // Byte-accessible registers (IPR, SHPR, CFSR sub-registers) are written byte by byte.
    if ((offset >= NVIC_IPR && offset < NVIC_IPR_END) || (offset >= SHPR1 && offset < SHPR3_END) || (offset >= CFSR && offset < CFSR + 4)) {
      for (let b = 0; b < size; b++) this.writeByte(offset + b, (value >>> (8 * b)) & 0xff, s);
      sys.cpu.attention = true;
      return;
    }
    // Other registers are word registers; a narrower write lands in its lanes with the rest zero.
    const v = size === 4 ? value >>> 0 : ((value & (size === 1 ? 0xff : 0xffff)) << (8 * (offset & 3))) >>> 0;
    this.writeWord(offset & ~3, v, s);
  }

  /** The NVIC slot an SHPR/SHCSR/ICSR field of exception n addresses from bank `s`, or -1 when that view cannot see it. */
  private sysSlot(n: number, s: boolean): number {
    const sys = this.sys;
    if (!sys.hasSecurity) return n;
    if (n === EXC_SECUREFAULT) return s ? n : -1;
    if (n === EXC_BUSFAULT || n === EXC_NMI || n === EXC_DEBUGMON) return s || sys.bfhfnmins ? n : -1;
    return sys.nvic.slotOf(n, s);
  }
  private shprImplemented(n: number): boolean { return SHPR_IMPLEMENTED.has(n) || (n === EXC_SECUREFAULT && this.sys.hasSecurity); }

  private writeByte(offset: number, v: number, s: boolean): void {
    const sys = this.sys;
    if (offset >= NVIC_IPR && offset < NVIC_IPR_END) {
      const n = 16 + offset - NVIC_IPR;
      if (s || sys.nvic.targetNs[n] !== 0) sys.nvic.writePriorityByte(n, v);
      return;
    }
    if (offset >= SHPR1 && offset < SHPR3_END) {
      const n = 4 + offset - SHPR1;
      const slot = this.sysSlot(n, s);
      if (this.shprImplemented(n) && slot >= 0) sys.nvic.prio[slot] = v & sys.nvic.prioMask;
      return;
    }
    // CFSR is write-one-to-clear (B3.2.15); MMFSR/UFSR are banked, BFSR is the Secure copy (NS only with BFHFNMINS).
    const lane = offset - CFSR;
    const bits = (v << (8 * lane)) >>> 0;
    if (lane === 1) { if (s || sys.bfhfnmins) sys.cfsr = (sys.cfsr & ~bits) >>> 0; return; }
    const b = sys.bank(s);
    b.cfsr = (b.cfsr & ~bits) >>> 0;
  }

  private readWord(offset: number, sideEffects: boolean, s: boolean): number {
    const sys = this.sys;
    const nvic = sys.nvic;
    const nsView = !s;
    const v8 = sys.v8;
    if (offset >= NVIC_ISER && offset < NVIC_IPR_END) return nvic.read(offset, nsView);
    if (offset >= SYST_CSR && offset <= SYST_CALIB) return (s ? sys.systick : sys.ns.systick ?? sys.systick).read(offset, sideEffects);
    if (v8 && offset >= MPU_TYPE && offset <= MPU8_MAIR1) {
      const m = s ? sys.mpu8 : sys.ns.mpu8;
      return m === null ? 0 : m.read(offset);
    }
    if (!v8 && offset >= MPU_TYPE && offset <= MPU_ALIAS_LAST) return sys.mpu.read(offset);
    if (offset >= ID_PFR0 && offset <= ID_ISAR4) return (v8 ? CORTEX_M33_ID : CORTEX_M4_ID)[(offset - ID_PFR0) >> 2];
    if (offset >= PID4) return (v8 ? CORTEX_M33_PIDCID : CORTEX_M4_PIDCID)[(offset - PID4) >> 2];
    if (offset >= SHPR1 && offset < SHPR3_END) {
      let v = 0;
      for (let b = 0; b < 4; b++) {
        const n = 4 + offset - SHPR1 + b;
        const slot = this.sysSlot(n, s);
        if (this.shprImplemented(n) && slot >= 0) v |= (nvic.prio[slot] & 0xff) << (8 * b);
      }
      return v >>> 0;
    }
    if (v8 && sys.hasSecurity) {
      switch (offset) {
        case SAU_CTRL: return s ? sys.sau.readCtrl() >>> 0 : 0;
        case SAU_TYPE: return s ? sys.sau.readType() >>> 0 : 0;
        case SAU_RNR: return s ? sys.sau.readRnr() >>> 0 : 0;
        case SAU_RBAR: return s ? sys.sau.readRbar() >>> 0 : 0;
        case SAU_RLAR: return s ? sys.sau.readRlar() >>> 0 : 0;
        case SFSR: return s ? sys.sfsr : 0;
        case SFAR: return s ? sys.sfar >>> 0 : 0;
        case NSACR: return sys.nsacr;
        default: break;
      }
    } else if (v8 && offset >= SAU_CTRL && offset <= SFAR) {
      return offset === SAU_TYPE || offset === SAU_CTRL ? 0 : 0; // no SAU: RAZ/WI
    }
    const bank = sys.bank(s);
    switch (offset) {
      case ICTR: return Math.ceil(nvic.numIrqs / 32) - 1;
      case ACTLR: return sys.actlr;
      case CPUID: return sys.cpuid;
      case ICSR: {
        const cpu = sys.cpu;
        let v = cpu.ipsr & 0x1ff;
        const nmi = this.sysSlot(EXC_NMI, s);
        if (nmi >= 0 && nvic.pending[nmi] !== 0) v |= ICSR_NMIPENDSET;
        if (nvic.pending[this.sysSlot(EXC_PENDSV, s)] !== 0) v |= ICSR_PENDSVSET;
        if (nvic.pending[this.sysSlot(EXC_SYSTICK, s)] !== 0) v |= ICSR_PENDSTSET;
        if (nvic.isrPending()) v |= ICSR_ISRPENDING;
        // VECTPENDING hides a Secure exception from a Non-secure read (DDI0553 D1.2 ICSR).
        const hp = nvic.highestPending();
        if (hp !== 0 && (s || nvic.targetNs[hp] !== 0)) v |= (nvic.excNumber(hp) & 0x1ff) << 12;
        // RETTOBASE: in Handler mode, no active exception other than the current one.
        if (cpu.ipsr !== 0 && nvic.activeBitCount() <= 1) v |= ICSR_RETTOBASE;
        return v >>> 0;
      }
      case VTOR: return bank.vtor >>> 0;
      case AIRCR: {
        // VECTKEYSTAT, ENDIANNESS = 0 (little); BFHFNMINS reads in both views, PRIS and SYSRESETREQS only Secure.
        let v = 0xfa050000 | ((s ? nvic.prigroup : nvic.prigroupNs) << 8);
        if (sys.hasSecurity) v |= sys.aircrS & (s ? AIRCR_BFHFNMINS | AIRCR_PRIS | AIRCR_SYSRESETREQS : AIRCR_BFHFNMINS);
        return v >>> 0;
      }
      case SCR: return bank.scr;
      case CCR: return bank === sys ? sys.ccr : ((sys.ccr & ~CCR_BANKED) | (bank.ccr & CCR_BANKED)) >>> 0;
      case SHCSR: return v8 ? this.readShcsrV8(s) : this.readShcsrV7();
      case CFSR: {
        const bf = s || sys.bfhfnmins ? sys.cfsr & 0xff00 : 0;
        return v8 ? ((bank.cfsr & 0xffff00ff) | bf) >>> 0 : sys.cfsr >>> 0;
      }
      case HFSR: return s || sys.bfhfnmins ? sys.hfsr >>> 0 : 0;
      case DFSR: return sys.dfsr;
      case MMFAR: return bank.mmfar >>> 0;
      case BFAR: return s || sys.bfhfnmins ? sys.bfar >>> 0 : 0;
      case AFSR: return sys.afsr;
      case CPACR: return bank.cpacr;
      case DHCSR: case DCRSR: case DCRDR: return 0; // halting debug is the debugger's, not the guest's
      case DEMCR: return sys.demcr;
      case STIR: return 0; // write-only
      case FPCCR: {
        if (bank === sys) return sys.fpccr >>> 0;
        // The Non-secure view: its banked bits, the shared ones, and none of the Secure-only controls.
        const secureOnly = (1 << 2) | (1 << 7) | (1 << 26) | (1 << 27) | (1 << 28) | (1 << 29);
        return ((sys.fpccr & ~FPCCR_BANKED & ~secureOnly) | (bank.fpccr & FPCCR_BANKED)) >>> 0;
      }
      case FPCAR: return bank.fpcar >>> 0;
      case FPDSCR: return bank.fpdscr;
      case MVFR0: return sys.hasFpu ? 0x10110021 : 0;
      case MVFR1: return sys.hasFpu ? 0x11000011 : 0;
      default:
        if (sideEffects) this.unmodelled(offset, false);
        return 0;
    }
  }

  private readShcsrV7(): number {
    const sys = this.sys;
    let v = sys.shcsrEnables;
    for (const [bit, n, kind] of SHCSR_STATE) if ((kind === 'pending' ? sys.nvic.pending[n] : sys.nvic.active[n]) !== 0) v |= 1 << bit;
    return v >>> 0;
  }

  private readShcsrV8(s: boolean): number {
    const sys = this.sys;
    const nvic = sys.nvic;
    let v = 0;
    const mm = nvic.slotOf(EXC_MEMMANAGE, s), uf = nvic.slotOf(EXC_USAGEFAULT, s);
    if (nvic.enabled[mm] !== 0) v |= 1 << 16;
    if (nvic.enabled[uf] !== 0) v |= 1 << 18;
    if ((s || sys.bfhfnmins) && nvic.enabled[EXC_BUSFAULT] !== 0) v |= 1 << 17;
    if (s && sys.hasSecurity && nvic.enabled[EXC_SECUREFAULT] !== 0) v |= SHCSR_SECUREFAULTENA;
    for (const [bit, n, kind] of SHCSR_BANKED_BITS) {
      const slot = nvic.slotOf(n, s);
      if ((kind === 'pending' ? nvic.pending[slot] : nvic.active[slot]) !== 0) v |= 1 << bit;
    }
    for (const [bit, n, kind] of SHCSR_SHARED_BITS) {
      if (this.sysSlot(n, s) < 0) continue;
      if ((kind === 'pending' ? nvic.pending[n] : nvic.active[n]) !== 0) v |= 1 << bit;
    }
    return v >>> 0;
  }

  private writeShcsrV8(v: number, s: boolean): void {
    const sys = this.sys;
    const nvic = sys.nvic;
    nvic.enabled[nvic.slotOf(EXC_MEMMANAGE, s)] = (v >>> 16) & 1;
    nvic.enabled[nvic.slotOf(EXC_USAGEFAULT, s)] = (v >>> 18) & 1;
    if (s || sys.bfhfnmins) nvic.enabled[EXC_BUSFAULT] = (v >>> 17) & 1;
    if (s && sys.hasSecurity) nvic.enabled[EXC_SECUREFAULT] = (v >>> 19) & 1;
    if (!sys.hasSecurity || s) sys.shcsrEnables = v & (7 << 16);
    const apply = (bit: number, slot: number, kind: 'pending' | 'active'): void => {
      const on = ((v >>> bit) & 1) !== 0;
      if (kind === 'active') nvic.setActive(slot, on);
      else if (on) nvic.setPending(slot);
      else nvic.clearPending(slot);
    };
    for (const [bit, n, kind] of SHCSR_BANKED_BITS) if (n !== EXC_HARDFAULT) apply(bit, nvic.slotOf(n, s), kind);
    for (const [bit, n, kind] of SHCSR_SHARED_BITS) if (n !== EXC_NMI && this.sysSlot(n, s) >= 0) apply(bit, n, kind);
    sys.cpu.attention = true;
  }

  private writeWord(offset: number, v: number, s: boolean): void {
    const sys = this.sys;
    const nvic = sys.nvic;
    const cpu = sys.cpu;
    const v8 = sys.v8;
    if (offset >= NVIC_ISER && offset < NVIC_IPR) { nvic.write(offset, v, !s); return; }
    if (offset >= SYST_CSR && offset <= SYST_CALIB) { (s ? sys.systick : sys.ns.systick ?? sys.systick).write(offset, v); return; }
    if (v8 && offset >= MPU_TYPE && offset <= MPU8_MAIR1) { (s ? sys.mpu8 : sys.ns.mpu8)?.write(offset, v); return; }
    if (!v8 && offset >= MPU_TYPE && offset <= MPU_ALIAS_LAST) { sys.mpu.write(offset, v); return; }
    if ((offset >= ID_PFR0 && offset <= ID_ISAR4) || offset >= PID4) return; // read-only
    if (v8 && offset >= SAU_CTRL && offset <= SFAR) {
      // The SAU, SFSR and SFAR are Secure-only: RAZ/WI from Non-secure (DDI0553 D1.2).
      if (!s || !sys.hasSecurity) return;
      switch (offset) {
        case SAU_CTRL: sys.sau.writeCtrl(v); break;
        case SAU_RNR: sys.sau.writeRnr(v); break;
        case SAU_RBAR: sys.sau.writeRbar(v); break;
        case SAU_RLAR: sys.sau.writeRlar(v); break;
        case SFSR: sys.sfsr = (sys.sfsr & ~v) & 0xff; break; // write-one-to-clear
        case SFAR: sys.sfar = v; break;
        default: break;
      }
      cpu.attention = true;
      return;
    }
    const bank = sys.bank(s);
    switch (offset) {
      case NSACR: if (s && sys.hasSecurity) sys.nsacr = v & 0xc00; return;
      case ICTR: case CPUID: case MVFR0: case MVFR1: return; // read-only
      case ACTLR: sys.actlr = v & 0x307; return;
      case ICSR: {
        const nmi = this.sysSlot(EXC_NMI, s);
        if (nmi >= 0 && (v & ICSR_NMIPENDSET) !== 0) nvic.setPending(nmi);
        else if (v8 && nmi >= 0 && (v & ICSR_PENDNMICLR) !== 0) nvic.clearPending(nmi);
        const pendsv = this.sysSlot(EXC_PENDSV, s), systick = this.sysSlot(EXC_SYSTICK, s);
        if ((v & ICSR_PENDSVSET) !== 0) nvic.setPending(pendsv);
        else if ((v & ICSR_PENDSVCLR) !== 0) nvic.clearPending(pendsv);
        if ((v & ICSR_PENDSTSET) !== 0) nvic.setPending(systick);
        else if ((v & ICSR_PENDSTCLR) !== 0) nvic.clearPending(systick);
        cpu.attention = true;
        return;
      }
      case VTOR: bank.vtor = (v & 0xffffff80) >>> 0; return;
      case AIRCR:
        if ((v >>> 16) !== 0x05fa) return; // writes without VECTKEY are ignored (B3.2.6)
        if (s) nvic.setPrigroup((v >>> 8) & 7); else nvic.setPrigroupNs((v >>> 8) & 7);
        if (s && sys.hasSecurity) {
          sys.aircrS = v & (AIRCR_BFHFNMINS | AIRCR_PRIS | AIRCR_SYSRESETREQS);
          sys.applyAircrS();
        }
        if (!v8 && (v & AIRCR_VECTCLRACTIVE) !== 0) for (let n = 1; n < nvic.count; n++) nvic.setActive(n, false);
        // SYSRESETREQS makes SYSRESETREQ Secure-only (DDI0553 D1.2 AIRCR).
        if ((v & AIRCR_SYSRESETREQ) !== 0 && (s || (sys.aircrS & AIRCR_SYSRESETREQS) === 0)) sys.requestSystemReset();
        cpu.attention = true;
        return;
      case SCR: bank.scr = v & (v8 && s && sys.hasSecurity ? 0x1e : 0x16); return;
      case CCR:
        if (!v8) { sys.ccr = v & 0x31b; return; }
        // STKALIGN and NONBASETHRDENA are RES1 on ARMv8-M; DIV_0_TRP/BFHFNMIGN are not banked.
        if (bank === sys) sys.ccr = ((v & (CCR_BANKED | 0x110)) | 0x201) >>> 0;
        else {
          bank.ccr = v & CCR_BANKED;
          if (sys.bfhfnmins) sys.ccr = ((sys.ccr & ~0x100) | (v & 0x100)) >>> 0;
          sys.ccr = ((sys.ccr & ~0x10) | (v & 0x10)) >>> 0;
        }
        return;
      case SHCSR:
        if (v8) { this.writeShcsrV8(v, s); return; }
        sys.setShcsrEnables(v);
        for (const [bit, n, kind] of SHCSR_STATE) {
          const on = ((v >>> bit) & 1) !== 0;
          if (kind === 'active') nvic.setActive(n, on);
          else if (on) nvic.setPending(n);
          else nvic.clearPending(n);
        }
        return;
      case HFSR: if (s || sys.bfhfnmins) sys.hfsr = (sys.hfsr & ~v) >>> 0; return;
      case DFSR: sys.dfsr = (sys.dfsr & ~v) >>> 0; return;
      case MMFAR: bank.mmfar = v; return;
      case BFAR: if (s || sys.bfhfnmins) sys.bfar = v; return;
      case AFSR: sys.afsr = (sys.afsr & ~v) >>> 0; return;
      case CPACR: bank.cpacr = sys.hasFpu ? v & 0x00f00000 : 0; return;
      case DHCSR: case DCRSR: case DCRDR: return;
      case DEMCR: sys.setDemcr(v); return;
      case STIR: nvic.trigger(v & 0x1ff); return;
      case FPCCR:
        if (!sys.hasFpu) return;
        if (!v8) { sys.fpccr = (v & 0xc000017b) >>> 0; return; }
        if (bank === sys) sys.fpccr = (v & (sys.hasSecurity ? 0xfc0007ff : 0xc00007fb)) >>> 0;
        else {
          bank.fpccr = v & FPCCR_BANKED;
          const shared = (1 << 31) | (1 << 30) | (1 << 4) | (1 << 6) | (1 << 8);
          sys.fpccr = ((sys.fpccr & ~shared) | (v & shared)) >>> 0;
        }
        return;
      case FPCAR: if (sys.hasFpu) bank.fpcar = (v & ~7) >>> 0; return;
      case FPDSCR: if (sys.hasFpu) bank.fpdscr = v & 0x07c00000; return;
      default: this.unmodelled(offset, true);
    }
  }
}

/**
 * The Non-secure alias of the SCS at 0xE002E000: a Secure access sees the Non-secure bank;
 * a Non-secure access is RAZ/WI (DDI0553 D1.2, "SCS NS alias").
 */
export class ScsNsAlias implements MmioDevice {
  readonly name = 'scs-ns-alias';
  constructor(private readonly scs: Scs) {}
  read(offset: number, size: AccessSize, attrs: number): number {
    if ((attrs & ATTR_SECURE) === 0) return 0;
    return this.scs.readBanked(offset, size, attrs, false);
  }
  write(offset: number, size: AccessSize, value: number, attrs: number): void {
    if ((attrs & ATTR_SECURE) === 0) return;
    this.scs.writeBanked(offset, size, value, attrs, false);
  }
}
