// The ARMv7-M SysTick timer (ARM ARM B3.3): a 24-bit down-counter that runs off the
// processor clock or an external reference. It never ticks per instruction: the count
// is derived from the virtual clock, and one Clock event is armed at the next wrap.
import type { Clock, ClockEvent } from '../../clock';

/** Register offsets inside the SCS (0xE000E000 + offset). */
export const SYST_CSR = 0x010, SYST_RVR = 0x014, SYST_CVR = 0x018, SYST_CALIB = 0x01c;

const CSR_ENABLE = 1 << 0, CSR_TICKINT = 1 << 1, CSR_CLKSOURCE = 1 << 2, CSR_COUNTFLAG = 1 << 16;
const MASK24 = 0xffffff;

export class SysTick {
  private csr = 0;
  private rvr = 0;
  /** Counter value `baseVal` held at absolute tick index `baseTick` (only meaningful while enabled). */
  private baseVal = 0;
  private baseTick = 0;
  /** Counter value while disabled. */
  private frozen = 0;
  private readonly ev: ClockEvent;

  /**
   * `refDivider`: processor cycles per external reference tick (CLKSOURCE=0).
   * `pend` is called when the counter reaches zero with TICKINT set.
   */
  constructor(private readonly clock: Clock, private readonly refDivider: number, private readonly pend: () => void) {
    if (!Number.isInteger(refDivider) || refDivider < 1) throw new Error(`SysTick: refClockDivider ${refDivider} must be a positive integer`);
    this.ev = clock.event(() => this.onZero());
  }

  reset(): void {
    this.clock.cancel(this.ev);
    this.csr = 0;
    this.rvr = 0;
    this.frozen = 0;
    this.baseVal = 0;
    this.baseTick = 0;
  }

  private get enabled(): boolean { return (this.csr & CSR_ENABLE) !== 0; }
  /** Cycles per counter tick for the selected source. */
  private get divider(): number { return (this.csr & CSR_CLKSOURCE) !== 0 ? 1 : this.refDivider; }
  /** Ticks since cycle 0; ticks of the reference clock fall on multiples of the divider. */
  private ticksAt(cycle: number): number { return Math.floor(cycle / this.divider); }

  /**
   * Counter value after `k` ticks from (baseVal): counts down to 0, then reloads RVR on
   * the next tick (B3.3.1). With RVR = 0 the counter stops at 0.
   */
  private valueAfter(k: number): number {
    if (k <= this.baseVal) return this.baseVal - k;
    if (this.rvr === 0) return 0;
    return this.rvr - ((k - this.baseVal - 1) % (this.rvr + 1));
  }

  /** Current counter value (CVR). */
  current(): number {
    if (!this.enabled) return this.frozen;
    this.catchUp();
    return this.valueAfter(this.ticksAt(this.clock.now) - this.baseTick);
  }

  /** Fire a zero-crossing that is due but whose clock event the run loop has not dispatched yet. */
  private catchUp(): void {
    if (this.ev.armed && this.ev.at <= this.clock.now) {
      this.clock.cancel(this.ev);
      this.onZero();
    }
  }

  /** Re-anchor the count at the current instant, then arm the event for the next transition to zero. */
  private rebase(value: number): void {
    this.baseVal = value;
    this.baseTick = this.ticksAt(this.clock.now);
    this.arm();
  }

  private arm(): void {
    this.clock.cancel(this.ev);
    if (!this.enabled) return;
    let zeroTick: number;
    if (this.baseVal >= 1) zeroTick = this.baseTick + this.baseVal;
    else if (this.rvr !== 0) zeroTick = this.baseTick + 1 + this.rvr;
    else return; // RVR = 0: the counter is stopped at zero
    this.clock.schedule(this.ev, zeroTick * this.divider);
  }

  /** The counter has just transitioned to zero (B3.3.1): COUNTFLAG, and the exception if TICKINT. */
  private onZero(): void {
    const zeroTick = Math.round(this.ev.at / this.divider);
    this.csr |= CSR_COUNTFLAG;
    this.baseVal = 0;
    this.baseTick = zeroTick;
    this.arm();
    if ((this.csr & CSR_TICKINT) !== 0) this.pend();
  }

  /** Register read. `sideEffects` false for debugger reads (COUNTFLAG is not cleared). */
  read(offset: number, sideEffects: boolean): number {
    switch (offset) {
      case SYST_CSR: {
        this.catchUp();
        const v = this.csr;
        if (sideEffects) this.csr &= ~CSR_COUNTFLAG;
        return v >>> 0;
      }
      case SYST_RVR: return this.rvr;
      case SYST_CVR: return this.current();
      case SYST_CALIB: {
        // NOREF = 0 (reference clock present), SKEW = 1 unless 10 ms is a whole number of ticks.
        const perTenMs = (this.clock.hz / this.refDivider) / 100;
        const tenms = Math.max(0, Math.floor(perTenMs) - 1) & MASK24;
        return ((Number.isInteger(perTenMs) ? 0 : 1 << 30) | tenms) >>> 0;
      }
      default: return 0;
    }
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case SYST_CSR: {
        const cur = this.current();
        const wasEnabled = this.enabled;
        this.csr = (this.csr & CSR_COUNTFLAG) | (value & (CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE));
        if (this.enabled) this.rebase(cur);
        else { this.frozen = cur; this.clock.cancel(this.ev); }
        if (!wasEnabled && !this.enabled) this.frozen = cur;
        break;
      }
      case SYST_RVR: {
        const cur = this.current();
        this.rvr = value & MASK24;
        if (this.enabled) this.rebase(cur); else this.frozen = cur;
        break;
      }
      case SYST_CVR:
        // Any write clears the counter and COUNTFLAG; the next tick reloads from RVR (B3.3.4).
        this.csr &= ~CSR_COUNTFLAG;
        if (this.enabled) this.rebase(0); else this.frozen = 0;
        break;
      default: break;
    }
  }
}
