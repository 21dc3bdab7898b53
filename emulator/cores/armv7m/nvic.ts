// Exception state for ARMv7-M and ARMv8-M: pending/active/enabled bits and priorities for
// every exception, priority grouping, the NVIC register block (ARM ARM B3.4) and the
// interrupt input lines that device models drive. With the ARMv8-M Security Extension the
// banked system exceptions get a second, Non-secure slot (DDI0553 B3.9), and ITNS routes IRQs.
import type { IrqLine } from '../../devices/device';
import { EXC_BUSFAULT, EXC_HARDFAULT, EXC_MEMMANAGE, EXC_NMI, EXC_RESET, EXC_USAGEFAULT } from './cpu';

/** NVIC register blocks, as offsets inside the SCS (B3.4.3). Each bank of 16 words covers 512 interrupts. */
export const NVIC_ISER = 0x100, NVIC_ICER = 0x180, NVIC_ISPR = 0x200, NVIC_ICPR = 0x280, NVIC_IABR = 0x300;
export const NVIC_IPR = 0x400, NVIC_IPR_END = 0x5f0;
/** NVIC_ITNSn (ARMv8-M): interrupt target Non-secure, Secure-only. */
export const NVIC_ITNS = 0x380;

/** System exceptions banked between Security states (DDI0553 B3.9): HardFault, MemManage, UsageFault, SVCall, PendSV, SysTick. */
export const BANKED_EXCEPTIONS: readonly number[] = [3, 4, 6, 11, 14, 15];
const IS_BANKED = new Uint8Array(16);
for (const n of BANKED_EXCEPTIONS) IS_BANKED[n] = 1;

/** ExecutionPriority() with nothing active and no mask: one more than the lowest configurable priority (B1.5.4). */
export const PRIORITY_BASE = 256;

export class Nvic {
  /** Number of slots: 16 system slots, the external interrupts, and (banked) 16 Non-secure system slots. */
  readonly count: number;
  /** First Non-secure system slot (slot nsBase + n is the NS copy of exception n), or -1 without banking. */
  readonly nsBase: number;
  /** One past the last external interrupt slot. */
  readonly irqEnd: number;
  /** 1 when the slot's exception targets Non-secure state (ITNS, BFHFNMINS, NS slots). */
  readonly targetNs: Uint8Array;
  /** AIRCR.PRIS: Non-secure priorities are mapped into the bottom half (DDI0553 B3.9). */
  pris = false;
  prigroupNs = 0;
  private groupMaskNs = 0xff & ~1;
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  /** Enable per exception number. Fixed ones are always 1; MemManage/BusFault/UsageFault follow SHCSR, DebugMonitor DEMCR.MON_EN. */
  readonly enabled: Uint8Array;
  /** Raw 8-bit priority field (unimplemented low bits zero), or -3/-2/-1 for Reset/NMI/HardFault. */
  readonly prio: Int16Array;
  /** Current input level of each external interrupt line. */
  readonly level: Uint8Array;
  pendingCount = 0;
  activeCount = 0;
  /** AIRCR.PRIGROUP: the group priority is prio[7:PRIGROUP+1] (B1.5.4). */
  prigroup = 0;
  private groupMask = 0xff & ~1;
  /** Implemented priority bits: the top `priorityBits` of each field. */
  readonly prioMask: number;

  /**
   * `onPend(n)` is called when exception n goes from not pending to pending;
   * `onChange()` when an enable or priority changed (something may now be takeable).
   */
  constructor(readonly numIrqs: number, readonly priorityBits: number,
    private readonly onPend: (n: number) => void, private readonly onChange: () => void, banked = false) {
    if (!Number.isInteger(numIrqs) || numIrqs < 1 || numIrqs > 496) throw new Error(`NVIC: numIrqs ${numIrqs} must be 1..496 (ARMv7-M B3.4)`);
    if (!Number.isInteger(priorityBits) || priorityBits < 3 || priorityBits > 8) throw new Error(`NVIC: priorityBits ${priorityBits} must be 3..8 (ARMv7-M B1.5.4)`);
    this.irqEnd = 16 + numIrqs;
    this.nsBase = banked ? this.irqEnd : -1;
    this.count = this.irqEnd + (banked ? 16 : 0);
    this.targetNs = new Uint8Array(this.count);
    this.pending = new Uint8Array(this.count);
    this.active = new Uint8Array(this.count);
    this.enabled = new Uint8Array(this.count);
    this.prio = new Int16Array(this.count);
    this.level = new Uint8Array(numIrqs);
    this.prioMask = (0xff << (8 - priorityBits)) & 0xff;
    this.reset();
  }

  reset(): void {
    this.pending.fill(0);
    this.active.fill(0);
    this.enabled.fill(0);
    this.prio.fill(0);
    // Input levels are the devices' state, not the NVIC's: a line held high re-pends after reset.
    this.pendingCount = this.activeCount = 0;
    this.setPrigroup(0);
    this.prio[EXC_RESET] = -3; this.prio[EXC_NMI] = -2; this.prio[EXC_HARDFAULT] = -1;
    for (const n of [EXC_RESET, EXC_NMI, EXC_HARDFAULT, 11, 14, 15]) this.enabled[n] = 1;
    this.targetNs.fill(0);
    this.pris = false;
    this.setPrigroupNs(0);
    if (this.nsBase >= 0) {
      for (let n = 0; n < 16; n++) this.targetNs[this.nsBase + n] = 1;
      this.prio[this.nsBase + EXC_HARDFAULT] = -1;
      for (const n of [EXC_HARDFAULT, 11, 14, 15]) this.enabled[this.nsBase + n] = 1;
    }
    for (let i = 0; i < this.numIrqs; i++) if (this.level[i] !== 0) this.setPending(16 + i);
  }

  setPrigroup(g: number): void {
    this.prigroup = g & 7;
    // Group priority = priority with the sub-priority bits [PRIGROUP:0] cleared.
    this.groupMask = 0xff & ~((2 << this.prigroup) - 1);
  }

  setPrigroupNs(g: number): void {
    this.prigroupNs = g & 7;
    this.groupMaskNs = 0xff & ~((2 << this.prigroupNs) - 1);
  }

  /** The group priority of a raw priority value (negative fixed priorities pass through). */
  group(p: number): number { return p < 0 ? p : p & this.groupMask; }
  /** The group priority of a Non-secure raw priority: PRIS maps it to 0x80-0xFF first. */
  groupNs(p: number): number {
    if (p < 0) return p;
    if (this.pris) p = (p >> 1) | 0x80;
    return p & this.groupMaskNs;
  }
  groupPriority(n: number): number { return this.targetNs[n] !== 0 ? this.groupNs(this.prio[n]) : this.group(this.prio[n]); }
  /** Priority including sub-priority, after the PRIS mapping, for ordering pending exceptions. */
  private fullPriority(n: number): number {
    const p = this.prio[n];
    return this.targetNs[n] !== 0 && this.pris && p >= 0 ? (p >> 1) | 0x80 : p;
  }
  /** The exception number (IPSR value) of a slot. */
  excNumber(slot: number): number { return this.nsBase >= 0 && slot >= this.nsBase ? slot - this.nsBase : slot; }
  /** The slot of exception `n` when it targets the given state (banked exceptions have two). */
  slotOf(n: number, secure: boolean): number { return this.nsBase >= 0 && !secure && n < 16 && IS_BANKED[n] !== 0 ? this.nsBase + n : n; }

  setPending(n: number): void {
    if (this.pending[n] !== 0) return;
    this.pending[n] = 1;
    this.pendingCount++;
    this.onPend(n);
  }
  clearPending(n: number): void {
    if (this.pending[n] === 0) return;
    this.pending[n] = 0;
    this.pendingCount--;
    // A level-sensitive input still high keeps the interrupt pending.
    if (n >= 16 && n < this.irqEnd && this.level[n - 16] !== 0) this.setPending(n);
  }
  /** Exception entry: pending -> active. The line level is sampled again at deactivation. */
  activate(n: number): void {
    if (this.pending[n] !== 0) { this.pending[n] = 0; this.pendingCount--; }
    if (this.active[n] === 0) { this.active[n] = 1; this.activeCount++; }
  }
  deactivate(n: number): void {
    if (this.active[n] !== 0) { this.active[n] = 0; this.activeCount--; }
    if (n >= 16 && n < this.irqEnd && this.level[n - 16] !== 0) this.setPending(n);
  }
  setActive(n: number, on: boolean): void {
    if (on && this.active[n] === 0) { this.active[n] = 1; this.activeCount++; }
    else if (!on && this.active[n] !== 0) { this.active[n] = 0; this.activeCount--; }
  }

  /** Number of active exceptions (ExceptionActiveBitCount). */
  activeBitCount(): number { return this.activeCount; }

  /** Highest (numerically lowest) group priority among active exceptions, or PRIORITY_BASE. */
  activePriority(): number {
    let best = PRIORITY_BASE;
    if (this.activeCount === 0) return best;
    for (let n = 2; n < this.count; n++) {
      if (this.active[n] !== 0) { const p = this.groupPriority(n); if (p < best) best = p; }
    }
    return best;
  }

  /**
   * The pending, enabled exception that would be taken next: lowest priority value
   * (group then sub-priority), ties to the lowest exception number (B1.5.4). 0 if none.
   */
  highestPending(): number {
    if (this.pendingCount === 0) return 0;
    let best = 0, bestP = 1 << 10;
    if (this.nsBase < 0) {
      for (let n = 1; n < this.count; n++) {
        if (this.pending[n] !== 0 && this.enabled[n] !== 0 && this.prio[n] < bestP) { best = n; bestP = this.prio[n]; }
      }
      return best;
    }
    // Ties go to the lower exception number, then to Secure (DDI0553 B3.9).
    let bestKey = Infinity;
    for (let n = 1; n < this.count; n++) {
      if (this.pending[n] === 0 || this.enabled[n] === 0) continue;
      const key = this.fullPriority(n) * 1024 + this.excNumber(n) * 2 + this.targetNs[n];
      if (key < bestKey) { bestKey = key; best = n; }
    }
    return best;
  }

  /** Any external interrupt pending (ICSR.ISRPENDING)? */
  isrPending(): boolean {
    if (this.pendingCount === 0) return false;
    for (let n = 16; n < this.irqEnd; n++) if (this.pending[n] !== 0) return true;
    return false;
  }

  // ------------------------------------------------------------ registers (B3.4.3)

  /** An interrupt a Non-secure access may see: it targets Non-secure state (DDI0553 D1.2, NVIC_ITNS). */
  private visible(n: number, nsView: boolean): boolean { return !nsView || this.targetNs[n] !== 0; }

  /**
   * Read a word of the NVIC block (`offset` inside the SCS, word aligned). `nsView`: a
   * Non-secure access, for which Secure-targeted interrupts are RAZ/WI and ITNS is RAZ.
   */
  read(offset: number, nsView = false): number {
    if (offset >= NVIC_IPR && offset < NVIC_IPR_END) {
      let v = 0;
      for (let b = 0; b < 4; b++) {
        const n = 16 + (offset - NVIC_IPR) + b;
        if (n < this.irqEnd && this.visible(n, nsView)) v |= (this.prio[n] & 0xff) << (8 * b);
      }
      return v >>> 0;
    }
    const bank = offset & ~0x7f;
    const first = 16 + ((offset & 0x3c) << 3);
    let arr: Uint8Array;
    switch (bank) {
      case NVIC_ISER: case NVIC_ICER: arr = this.enabled; break;
      case NVIC_ISPR: case NVIC_ICPR: arr = this.pending; break;
      case NVIC_IABR: arr = this.active; break;
      case NVIC_ITNS: if (nsView || this.nsBase < 0) return 0; arr = this.targetNs; break;
      default: return 0;
    }
    let v = 0;
    for (let b = 0; b < 32 && first + b < this.irqEnd; b++) if (arr[first + b] !== 0 && this.visible(first + b, nsView)) v |= 1 << b;
    return v >>> 0;
  }

  /** Write a word of the NVIC block (set/clear banks are write-one; IABR is read-only; ITNS Secure-only). */
  write(offset: number, value: number, nsView = false): void {
    if (offset >= NVIC_IPR && offset < NVIC_IPR_END) {
      for (let b = 0; b < 4; b++) {
        const n = 16 + (offset - NVIC_IPR) + b;
        if (this.visible(n, nsView)) this.writePriorityByte(n, (value >>> (8 * b)) & 0xff);
      }
      this.onChange();
      return;
    }
    const bank = offset & ~0x7f;
    const first = 16 + ((offset & 0x3c) << 3);
    if (bank === NVIC_ITNS) {
      if (nsView || this.nsBase < 0) return;
      for (let b = 0; b < 32 && first + b < this.irqEnd; b++) this.targetNs[first + b] = (value >>> b) & 1;
      this.onChange();
      return;
    }
    for (let b = 0; b < 32 && first + b < this.irqEnd; b++) {
      if (((value >>> b) & 1) === 0) continue;
      const n = first + b;
      if (!this.visible(n, nsView)) continue;
      switch (bank) {
        case NVIC_ISER: this.enabled[n] = 1; break;
        case NVIC_ICER: this.enabled[n] = 0; break;
        case NVIC_ISPR: this.setPending(n); break;
        case NVIC_ICPR: this.clearPending(n); break;
        default: break;
      }
    }
    this.onChange();
  }

  /** Byte write to an IPR field (IPR is byte-accessible, B3.4.8). */
  writePriorityByte(n: number, v: number): void {
    if (n >= 16 && n < this.irqEnd) this.prio[n] = v & this.prioMask;
  }
  readPriorityByte(n: number): number { return n >= 16 && n < this.irqEnd ? this.prio[n] & 0xff : 0; }

  /** Software trigger (STIR, B3.4.9): pend external interrupt INTID. */
  trigger(intid: number): void {
    if (intid < this.numIrqs) this.setPending(16 + intid);
  }

  // ------------------------------------------------------------ interrupt inputs

  private nmiLevel = false;
  /** NMI input: edge-triggered on the rising level; there is no re-pend, NMI is not level-latched. */
  nmiLine(): IrqLine {
    return {
      set: (high: boolean) => {
        if (high && !this.nmiLevel) this.setPending(EXC_NMI);
        this.nmiLevel = high;
      },
      pulse: () => { this.setPending(EXC_NMI); },
    };
  }

  /**
   * The input line of external interrupt `irq`. A rising level latches pending; the line
   * re-pends at deactivation (and after a clear) while it stays high. pulse() pends once.
   */
  line(irq: number): IrqLine {
    if (!Number.isInteger(irq) || irq < 0 || irq >= this.numIrqs) {
      throw new Error(`NVIC: interrupt ${irq} is out of range; this core has ${this.numIrqs} external interrupts (0..${this.numIrqs - 1})`);
    }
    const n = 16 + irq;
    return {
      set: (high: boolean) => {
        const was = this.level[irq];
        this.level[irq] = high ? 1 : 0;
        if (high && was === 0) this.setPending(n);
      },
      pulse: () => { this.setPending(n); },
    };
  }
}

export const CONFIGURABLE_FAULTS = [EXC_MEMMANAGE, EXC_BUSFAULT, EXC_USAGEFAULT] as const;
