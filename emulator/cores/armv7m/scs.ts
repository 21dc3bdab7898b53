// The System Control Space (0xE000E000, ARM ARM B3.2): the MMIO decode of the SCB,
// SysTick, NVIC, MPU, FP and ID registers of one ARMv7-M core. State lives in the
// owners (system.ts, nvic.ts, systick.ts, mpu.ts); this file maps offsets to them.
import { AccessSize, ATTR_DEBUG, ATTR_PRIV, BusError, MmioDevice } from '../../bus';
import { EXC_BUSFAULT, EXC_DEBUGMON, EXC_MEMMANAGE, EXC_NMI, EXC_PENDSV, EXC_SVCALL, EXC_SYSTICK, EXC_USAGEFAULT } from './cpu';
import { MPU_ALIAS_LAST, MPU_TYPE } from './mpu';
import { NVIC_IPR, NVIC_IPR_END, NVIC_ISER } from './nvic';
import { SYST_CALIB, SYST_CSR } from './systick';
import type { ArmV7MSystem } from './system';

export const SCS_BASE = 0xe000e000, SCS_SIZE = 0x1000;

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

const ICSR_NMIPENDSET = 1 << 31, ICSR_PENDSVSET = 1 << 28, ICSR_PENDSVCLR = 1 << 27, ICSR_PENDSTSET = 1 << 26,
  ICSR_PENDSTCLR = 1 << 25, ICSR_ISRPENDING = 1 << 22, ICSR_RETTOBASE = 1 << 11;
const AIRCR_VECTCLRACTIVE = 1 << 1, AIRCR_SYSRESETREQ = 1 << 2;

/** SHCSR pended/active bits and the exception each reflects (B3.2.13). */
const SHCSR_STATE: readonly (readonly [number, number, 'pending' | 'active'])[] = [
  [15, EXC_SVCALL, 'pending'], [14, EXC_BUSFAULT, 'pending'], [13, EXC_MEMMANAGE, 'pending'], [12, EXC_USAGEFAULT, 'pending'],
  [11, EXC_SYSTICK, 'active'], [10, EXC_PENDSV, 'active'], [8, EXC_DEBUGMON, 'active'], [7, EXC_SVCALL, 'active'],
  [3, EXC_USAGEFAULT, 'active'], [1, EXC_BUSFAULT, 'active'], [0, EXC_MEMMANAGE, 'active'],
];
/** Exceptions whose SHPR byte is implemented; the others are reserved (RAZ/WI). */
const SHPR_IMPLEMENTED = new Set([EXC_MEMMANAGE, EXC_BUSFAULT, EXC_USAGEFAULT, EXC_SVCALL, EXC_DEBUGMON, EXC_PENDSV, EXC_SYSTICK]);

export class Scs implements MmioDevice {
  readonly name = 'scs';
  private readonly warned = new Set<number>();

  constructor(private readonly sys: ArmV7MSystem, private readonly warn: (message: string) => void) {}

  private checkAccess(offset: number, write: boolean, attrs: number): void {
    if ((attrs & (ATTR_PRIV | ATTR_DEBUG)) !== 0) return;
    // Unprivileged SCS accesses fault (B3.2.1), except STIR when CCR.USERSETMPEND allows it.
    if (write && offset === STIR && (this.sys.ccr & 2) !== 0) return;
    throw new BusError(SCS_BASE + offset, write, 'unprivileged access to the System Control Space');
  }

  private unmodelled(offset: number, write: boolean): void {
    if (this.warned.has(offset)) return;
    this.warned.add(offset);
    const addr = `0x${(SCS_BASE + offset).toString(16)}`;
    this.warn(`SCS register at ${addr} is not modelled: ${write ? 'write ignored' : 'reads as zero'}`);
  }

  read(offset: number, size: AccessSize, attrs: number): number {
    this.checkAccess(offset, false, attrs);
    const sideEffects = (attrs & ATTR_DEBUG) === 0;
    const word = this.readWord(offset & ~3, sideEffects);
    if (size === 4) return word >>> 0;
    const shift = 8 * (offset & 3);
    return (word >>> shift) & (size === 1 ? 0xff : 0xffff);
  }

  write(offset: number, size: AccessSize, value: number, attrs: number): void {
    this.checkAccess(offset, true, attrs);
    const sys = this.sys;
    // Byte-accessible registers (IPR, SHPR, CFSR sub-registers) are written byte by byte.
    if ((offset >= NVIC_IPR && offset < NVIC_IPR_END) || (offset >= SHPR1 && offset < SHPR3_END) || (offset >= CFSR && offset < CFSR + 4)) {
      for (let b = 0; b < size; b++) this.writeByte(offset + b, (value >>> (8 * b)) & 0xff);
      sys.cpu.attention = true;
      return;
    }
    // Other registers are word registers; a narrower write lands in its lanes with the rest zero.
    const v = size === 4 ? value >>> 0 : ((value & (size === 1 ? 0xff : 0xffff)) << (8 * (offset & 3))) >>> 0;
    this.writeWord(offset & ~3, v);
  }

  private writeByte(offset: number, v: number): void {
    const sys = this.sys;
    if (offset >= NVIC_IPR && offset < NVIC_IPR_END) { sys.nvic.writePriorityByte(16 + offset - NVIC_IPR, v); return; }
    if (offset >= SHPR1 && offset < SHPR3_END) {
      const n = 4 + offset - SHPR1;
      if (SHPR_IMPLEMENTED.has(n)) sys.nvic.prio[n] = v & sys.nvic.prioMask;
      return;
    }
    // CFSR is write-one-to-clear (B3.2.15).
    sys.cfsr = (sys.cfsr & ~(v << (8 * (offset - CFSR)))) >>> 0;
  }

  private readWord(offset: number, sideEffects: boolean): number {
    const sys = this.sys;
    const nvic = sys.nvic;
    if (offset >= NVIC_ISER && offset < NVIC_IPR_END) return nvic.read(offset);
    if (offset >= SYST_CSR && offset <= SYST_CALIB) return sys.systick.read(offset, sideEffects);
    if (offset >= MPU_TYPE && offset <= MPU_ALIAS_LAST) return sys.mpu.read(offset);
    if (offset >= ID_PFR0 && offset <= ID_ISAR4) return CORTEX_M4_ID[(offset - ID_PFR0) >> 2];
    if (offset >= PID4) return CORTEX_M4_PIDCID[(offset - PID4) >> 2];
    if (offset >= SHPR1 && offset < SHPR3_END) {
      let v = 0;
      for (let b = 0; b < 4; b++) {
        const n = 4 + offset - SHPR1 + b;
        if (SHPR_IMPLEMENTED.has(n)) v |= (nvic.prio[n] & 0xff) << (8 * b);
      }
      return v >>> 0;
    }
    switch (offset) {
      case ICTR: return Math.ceil(nvic.numIrqs / 32) - 1;
      case ACTLR: return sys.actlr;
      case CPUID: return sys.cpuid;
      case ICSR: {
        const cpu = sys.cpu;
        let v = cpu.ipsr & 0x1ff;
        if (nvic.pending[EXC_NMI] !== 0) v |= ICSR_NMIPENDSET;
        if (nvic.pending[EXC_PENDSV] !== 0) v |= ICSR_PENDSVSET;
        if (nvic.pending[EXC_SYSTICK] !== 0) v |= ICSR_PENDSTSET;
        if (nvic.isrPending()) v |= ICSR_ISRPENDING;
        v |= (nvic.highestPending() & 0x1ff) << 12;
        // RETTOBASE: in Handler mode, no active exception other than the current one.
        if (cpu.ipsr !== 0 && nvic.activeBitCount() <= 1) v |= ICSR_RETTOBASE;
        return v >>> 0;
      }
      case VTOR: return sys.vtor;
      case AIRCR: return (0xfa050000 | (nvic.prigroup << 8)) >>> 0; // VECTKEYSTAT, ENDIANNESS = 0 (little)
      case SCR: return sys.scr;
      case CCR: return sys.ccr;
      case SHCSR: {
        let v = sys.shcsrEnables;
        for (const [bit, n, kind] of SHCSR_STATE) if ((kind === 'pending' ? nvic.pending[n] : nvic.active[n]) !== 0) v |= 1 << bit;
        return v >>> 0;
      }
      case CFSR: return sys.cfsr;
      case HFSR: return sys.hfsr >>> 0;
      case DFSR: return sys.dfsr;
      case MMFAR: return sys.mmfar;
      case BFAR: return sys.bfar;
      case AFSR: return sys.afsr;
      case CPACR: return sys.cpacr;
      case DHCSR: case DCRSR: case DCRDR: return 0; // halting debug is the debugger's, not the guest's
      case DEMCR: return sys.demcr;
      case STIR: return 0; // write-only
      case FPCCR: return sys.fpccr >>> 0;
      case FPCAR: return sys.fpcar >>> 0;
      case FPDSCR: return sys.fpdscr;
      case MVFR0: return sys.hasFpu ? 0x10110021 : 0;
      case MVFR1: return sys.hasFpu ? 0x11000011 : 0;
      default:
        if (sideEffects) this.unmodelled(offset, false);
        return 0;
    }
  }

  private writeWord(offset: number, v: number): void {
    const sys = this.sys;
    const nvic = sys.nvic;
    const cpu = sys.cpu;
    if (offset >= NVIC_ISER && offset < NVIC_IPR) { nvic.write(offset, v); return; }
    if (offset >= SYST_CSR && offset <= SYST_CALIB) { sys.systick.write(offset, v); return; }
    if (offset >= MPU_TYPE && offset <= MPU_ALIAS_LAST) { sys.mpu.write(offset, v); return; }
    if ((offset >= ID_PFR0 && offset <= ID_ISAR4) || offset >= PID4) return; // read-only
    switch (offset) {
      case ICTR: case CPUID: case MVFR0: case MVFR1: return; // read-only
      case ACTLR: sys.actlr = v & 0x307; return;
      case ICSR:
        if ((v & ICSR_NMIPENDSET) !== 0) nvic.setPending(EXC_NMI);
        if ((v & ICSR_PENDSVSET) !== 0) nvic.setPending(EXC_PENDSV);
        else if ((v & ICSR_PENDSVCLR) !== 0) nvic.clearPending(EXC_PENDSV);
        if ((v & ICSR_PENDSTSET) !== 0) nvic.setPending(EXC_SYSTICK);
        else if ((v & ICSR_PENDSTCLR) !== 0) nvic.clearPending(EXC_SYSTICK);
        cpu.attention = true;
        return;
      case VTOR: sys.vtor = (v & 0xffffff80) >>> 0; return;
      case AIRCR:
        if ((v >>> 16) !== 0x05fa) return; // writes without VECTKEY are ignored (B3.2.6)
        nvic.setPrigroup((v >>> 8) & 7);
        if ((v & AIRCR_VECTCLRACTIVE) !== 0) for (let n = 1; n < nvic.count; n++) nvic.setActive(n, false);
        if ((v & AIRCR_SYSRESETREQ) !== 0) sys.requestSystemReset();
        cpu.attention = true;
        return;
      case SCR: sys.scr = v & 0x16; return;
      case CCR: sys.ccr = v & 0x31b; return;
      case SHCSR:
        sys.setShcsrEnables(v);
        for (const [bit, n, kind] of SHCSR_STATE) {
          const on = ((v >>> bit) & 1) !== 0;
          if (kind === 'active') nvic.setActive(n, on);
          else if (on) nvic.setPending(n);
          else nvic.clearPending(n);
        }
        return;
      case HFSR: sys.hfsr = (sys.hfsr & ~v) >>> 0; return;
      case DFSR: sys.dfsr = (sys.dfsr & ~v) >>> 0; return;
      case MMFAR: sys.mmfar = v; return;
      case BFAR: sys.bfar = v; return;
      case AFSR: sys.afsr = (sys.afsr & ~v) >>> 0; return;
      case CPACR: sys.cpacr = sys.hasFpu ? v & 0x00f00000 : 0; return;
      case DHCSR: case DCRSR: case DCRDR: return;
      case DEMCR: sys.setDemcr(v); return;
      case STIR: nvic.trigger(v & 0x1ff); return;
      case FPCCR: if (sys.hasFpu) sys.fpccr = (v & 0xc000017b) >>> 0; return;
      case FPCAR: if (sys.hasFpu) sys.fpcar = (v & ~7) >>> 0; return;
      case FPDSCR: if (sys.hasFpu) sys.fpdscr = v & 0x07c00000; return;
      default: this.unmodelled(offset, true);
    }
  }
}
