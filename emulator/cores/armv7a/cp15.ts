// CP15 (system control) and the CP14 debug ID registers of the Cortex-A9 (ARM ARM B4.1,
// Cortex-A9 TRM r4p1 chapter 4). Registers the Security Extensions bank (B4.1.2) keep one
// copy per world, indexed [Non-secure, Secure]; cache and TLB maintenance is accepted.
import type { CortexA9 } from './cpu';
import { MODE_MON } from './modes';

export interface Cp15Options { mpidr: number; highVectors: boolean; periphBase: number }

const NS = 0, S = 1;
/** SCTLR reset value (TRM 4.3.9): UNK/RAO bits 0x00C50078, V from the VINITHI pin. */
const SCTLR_RESET = 0x00c50078;

/** Fixed ID register values of Cortex-A9 r4p1 (TRM 4.2, 4.3). */
const MIDR = 0x410fc090;
const ID_REGS: Record<number, number> = {
  [key(0, 0, 0, 1)]: 0x83338003, // CTR
  [key(0, 0, 0, 2)]: 0, // TCMTR
  [key(0, 0, 0, 3)]: 0, // TLBTR: unified TLB
  [key(0, 0, 1, 0)]: 0x00001031, // ID_PFR0
  [key(0, 0, 1, 1)]: 0x00000011, // ID_PFR1
  [key(0, 0, 1, 2)]: 0x00010444, // ID_DFR0
  [key(0, 0, 1, 3)]: 0, // ID_AFR0
  [key(0, 0, 1, 4)]: 0x00100103, // ID_MMFR0
  [key(0, 0, 1, 5)]: 0x20000000, // ID_MMFR1
  [key(0, 0, 1, 6)]: 0x01230000, // ID_MMFR2
  [key(0, 0, 1, 7)]: 0x00102111, // ID_MMFR3
  [key(0, 0, 2, 0)]: 0x00101111, // ID_ISAR0 (no divide instructions)
  [key(0, 0, 2, 1)]: 0x13112111, // ID_ISAR1
  [key(0, 0, 2, 2)]: 0x21232041, // ID_ISAR2
  [key(0, 0, 2, 3)]: 0x11112131, // ID_ISAR3
  [key(0, 0, 2, 4)]: 0x00111142, // ID_ISAR4
  [key(0, 0, 2, 5)]: 0, // ID_ISAR5
  [key(0, 1, 0, 1)]: 0x09200003, // CLIDR: L1 separate I/D, LoC and LoUU at level 2
  [key(0, 1, 0, 7)]: 0, // AIDR
};

function key(crn: number, op1: number, crm: number, op2: number): number {
  return (crn << 12) | (op1 << 8) | (crm << 4) | op2;
}

export class Cp15 {
  // Banked [NS, S]
  readonly sctlrB = new Int32Array(2);
  readonly ttbr0 = new Int32Array(2);
  readonly ttbr1 = new Int32Array(2);
  readonly ttbcr = new Int32Array(2);
  readonly dacr = new Int32Array(2);
  readonly dfsr = new Int32Array(2);
  readonly ifsr = new Int32Array(2);
  readonly dfar = new Int32Array(2);
  readonly ifar = new Int32Array(2);
  readonly par = new Int32Array(2);
  readonly prrr = new Int32Array(2);
  readonly nmrr = new Int32Array(2);
  readonly vbarB = new Int32Array(2);
  readonly contextidr = new Int32Array(2);
  readonly tpidrurw = new Int32Array(2);
  readonly tpidruro = new Int32Array(2);
  readonly tpidrprw = new Int32Array(2);
  readonly csselr = new Int32Array(2);
  readonly fcseidr = new Int32Array(2);
  // Not banked
  scr = 0; sder = 0; nsacr = 0; mvbar = 0; actlr = 0; cpacr = 0; pcr = 0; diag = 0;

  constructor(private readonly cpu: CortexA9, private readonly o: Cp15Options) { }

  reset(): void {
    for (const a of [this.sctlrB, this.ttbr0, this.ttbr1, this.ttbcr, this.dacr, this.dfsr, this.ifsr, this.dfar, this.ifar,
      this.par, this.vbarB, this.contextidr, this.tpidrurw, this.tpidruro, this.tpidrprw, this.csselr, this.fcseidr]) a.fill(0);
    const sctlr = SCTLR_RESET | (this.o.highVectors ? 1 << 13 : 0);
    this.sctlrB[NS] = sctlr; this.sctlrB[S] = sctlr;
    // PRRR/NMRR reset values (TRM 4.3.27/4.3.28).
    this.prrr.fill(0x000a81a4); this.nmrr.fill(0x44e048e0);
    this.scr = this.sder = this.nsacr = this.mvbar = this.actlr = this.cpacr = this.pcr = this.diag = 0;
  }

  private w(): number { return this.cpu.isSecure() ? S : NS; }
  sctlr(): number { return this.sctlrB[this.w()]; }
  get sctlrCache(): number { return this.sctlrB[this.w()]; }
  vbar(): number { return this.vbarB[this.w()]; }
  setDfsr(v: number): void { this.dfsr[this.w()] = v; }
  setDfar(v: number): void { this.dfar[this.w()] = v; }
  setIfsr(v: number): void { this.ifsr[this.w()] = v; }
  setIfar(v: number): void { this.ifar[this.w()] = v; }
  /** Current ASID (CONTEXTIDR[7:0] of the current world). */
  asid(): number { return this.contextidr[this.w()] & 0xff; }

  /** Debugger/test read of a CP15 register as PL1 would see it in the current world; undefined when it does not exist. */
  read(crn: number, op1: number, crm: number, op2: number): number | undefined {
    this.asPl1 = true;
    try { const v = this.access(crn, op1, crm, op2, false, 0); return v === undefined ? undefined : v >>> 0; } finally { this.asPl1 = false; }
  }
  /** Debugger/test write as PL1; false when the register does not exist or is read-only. */
  write(crn: number, op1: number, crm: number, op2: number, v: number): boolean {
    this.asPl1 = true;
    try { return this.access(crn, op1, crm, op2, true, v) !== undefined; } finally { this.asPl1 = false; }
  }
  private asPl1 = false;

  /** Read (write=false) or write a CP15 register by its MRC/MCR fields. Undefined: UNDEFINED. */
  access(crn: number, op1: number, crm: number, op2: number, write: boolean, v: number): number | undefined {
    const cpu = this.cpu;
    const k = key(crn, op1, crm, op2);
    const priv = this.asPl1 || cpu.isPrivileged();
    const sec = cpu.isSecure();
    // Monitor mode reaches the bank SCR.NS selects (B4.1.2 "Banked system control registers").
    const b = cpu.mode === MODE_MON ? ((this.scr & 1) !== 0 ? NS : S) : sec ? S : NS;
    // PL0 may reach the user thread ID registers and the CP15 barrier operations only (B4.1.x).
    if (!priv) {
      if (k === key(13, 0, 0, 2)) { if (write) this.tpidrurw[b] = v; return this.tpidrurw[b]; }
      if (k === key(13, 0, 0, 3) && !write) return this.tpidruro[b];
      if (write && (k === key(7, 0, 5, 4) || k === key(7, 0, 10, 4) || k === key(7, 0, 10, 5))) return 0;
      return undefined;
    }
    const ro = (val: number): number | undefined => (write ? undefined : val);
    const rw = (arr: Int32Array, mask = -1): number => { if (write) arr[b] = v & mask; return arr[b]; };
    switch (k) {
      case key(0, 0, 0, 0): case key(0, 0, 0, 4): case key(0, 0, 0, 7): return ro(MIDR);
      case key(0, 0, 0, 5): return ro(this.o.mpidr);
      case key(0, 0, 0, 6): return ro(0); // REVIDR
      case key(0, 1, 0, 0): { // CCSIDR, selected by CSSELR: 32 KiB 4-way 32-byte-line L1 caches
        if (write) return undefined;
        return (this.csselr[b] & 1) !== 0 ? 0x200fe019 : 0xe00fe019;
      }
      case key(0, 2, 0, 0): return rw(this.csselr, 0xf);
      case key(1, 0, 0, 0): {
        if (write) { this.sctlrB[b] = (v & 0x7a003c07) | (SCTLR_RESET & ~0x7a003c07); this.cpu.mmu.flush(); this.cpu.attention = true; }
        return this.sctlrB[b];
      }
      case key(1, 0, 0, 1): if (write) { if (sec || (this.nsacr & (1 << 18)) !== 0) this.actlr = v & 0x3ff; } return this.actlr;
      case key(1, 0, 0, 2): if (write) this.cpacr = v & 0xc0f00000; return this.cpacr;
      case key(1, 0, 1, 0): // SCR: Secure only
        if (!sec) return undefined;
        if (write) { this.scr = v & 0x3ff; this.cpu.mmu.flush(); this.cpu.attention = true; }
        return this.scr;
      case key(1, 0, 1, 1): if (!sec) return undefined; if (write) this.sder = v & 3; return this.sder;
      case key(1, 0, 1, 2): if (write) { if (!sec) return undefined; this.nsacr = v & 0x00073fff; } return this.nsacr;
      case key(2, 0, 0, 0): if (write) this.cpu.mmu.flush(); return rw(this.ttbr0);
      case key(2, 0, 0, 1): if (write) this.cpu.mmu.flush(); return rw(this.ttbr1);
      case key(2, 0, 0, 2): if (write) this.cpu.mmu.flush(); return rw(this.ttbcr, 0x37);
      case key(3, 0, 0, 0): if (write) this.cpu.mmu.flush(); return rw(this.dacr);
      case key(5, 0, 0, 0): return rw(this.dfsr, 0x1cff);
      case key(5, 0, 0, 1): return rw(this.ifsr, 0x140f);
      case key(5, 0, 1, 0): case key(5, 0, 1, 1): return 0; // ADFSR/AIFSR
      case key(6, 0, 0, 0): return rw(this.dfar);
      case key(6, 0, 0, 2): return rw(this.ifar);
      case key(7, 0, 4, 0): return rw(this.par);
      case key(10, 0, 2, 0): if (write) this.cpu.mmu.flush(); return rw(this.prrr);
      case key(10, 0, 2, 1): if (write) this.cpu.mmu.flush(); return rw(this.nmrr);
      case key(12, 0, 0, 0): return rw(this.vbarB, ~0x1f);
      case key(12, 0, 0, 1): // MVBAR: Secure only
        if (!sec) return undefined;
        if (write) this.mvbar = v & ~0x1f;
        return this.mvbar;
      case key(12, 0, 1, 0): return ro((this.cpu.irqLine ? 0x80 : 0) | (this.cpu.fiqLine ? 0x40 : 0)); // ISR
      case key(13, 0, 0, 0): return rw(this.fcseidr, 0); // FCSE not implemented: RAZ/WI
      case key(13, 0, 0, 1): if (write) this.cpu.mmu.flushFetch(); return rw(this.contextidr);
      case key(13, 0, 0, 2): return rw(this.tpidrurw);
      case key(13, 0, 0, 3): return rw(this.tpidruro);
      case key(13, 0, 0, 4): return rw(this.tpidrprw);
      case key(15, 0, 0, 0): if (write) this.pcr = v; return this.pcr; // Power Control Register
      case key(15, 0, 0, 1): if (write) this.diag = v; return this.diag; // Diagnostic Control
      case key(15, 4, 0, 0): return ro(this.o.periphBase); // CBAR
      default: break;
    }
    if (!write && ID_REGS[k] !== undefined) return ID_REGS[k];
    // c7: cache maintenance, barriers and address translation; c8: TLB maintenance.
    if (crn === 7 && op1 === 0) {
      if (!write) return undefined;
      if (crm === 8) return this.ats1(op2, v) ? 0 : undefined;
      if (crm === 1 || crm === 5 || crm === 6 || crm === 10 || crm === 11 || crm === 14) {
        if (crm === 5 || crm === 1) this.cpu.mmu.flushFetch();
        return 0;
      }
      return undefined;
    }
    if (crn === 8 && op1 === 0 && write && (crm === 3 || crm === 5 || crm === 6 || crm === 7)) {
      this.cpu.mmu.tlbMaintenance(op2, v);
      return 0;
    }
    // c9 performance monitors, c10 TLB lockdown, c11 PLE, c15 other: RAZ/WI on this model.
    if (crn === 9 || (crn === 10 && crm === 0) || crn === 11 || crn === 15) return 0;
    return undefined;
  }

  /**
   * ATS1C{P,U}{R,W} (and the Secure-only ATS12NSO* forms treated as stage 1 of the
   * Non-secure regime): translate `va` and write PAR (B4.2.4). False: UNDEFINED.
   */
  private ats1(op2: number, va: number): boolean {
    const sec = this.cpu.isSecure();
    if (op2 >= 4 && !sec) return false;
    const priv = (op2 & 2) === 0;
    const write = (op2 & 1) !== 0;
    const r = this.cpu.mmu.probe(va, write, priv, op2 >= 4 ? false : sec);
    this.par[sec ? S : NS] = r.fault
      ? (r.fsr & 0x3f) << 1 | 1
      : ((r.pa & ~0xfff) | (r.ns ? 1 << 9 : 0) | (r.ss ? 2 : 0)) | 0;
    return true;
  }

  /** MRC p14: the debug ID registers (ARM ARM C10, Cortex-A9 TRM 10.3). Undefined: UNDEFINED. */
  debugRead(crn: number, op1: number, crm: number, op2: number): number | undefined {
    if (op1 !== 0) return undefined;
    if (crn === 0 && crm === 0 && op2 === 0) return 0x35141000; // DBGDIDR: v7 debug, 6 BRPs, 4 WRPs
    if (crn === 1 && crm === 0 && op2 === 0) return 0; // DBGDRAR: no memory-mapped debug registers
    if (crn === 2 && crm === 0 && op2 === 0) return 0; // DBGDSAR
    if (crn === 0 && crm === 1 && op2 === 0) return 0; // DBGDSCRint
    return undefined;
  }
  debugWrite(_crn: number, _op1: number, _crm: number, _op2: number, _v: number): boolean { return false; }
}
