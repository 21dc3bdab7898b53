// A lazily evaluated down-counter shared by the CMSDK timer and dual-timer models.
// Nothing ticks: the value is computed from the cycle at which counting last (re)started,
// and one Clock event is armed for the next time the count reaches zero.
// Semantics follow QEMU's ptimer policies for these devices (WRAP_AFTER_ONE_PERIOD,
// TRIGGER_ONLY_ON_DECREMENT, NO_IMMEDIATE_RELOAD): count, ..., 1, 0 (expiry), hold 0 for
// one tick, then reload from `limit`, so a periodic timer's period is limit + 1 ticks.
import type { Clock, ClockEvent } from '../clock';
import { TickClock } from './apb-common';

export class DownCounter {
  private ticks: TickClock;
  private running = false;
  private oneshot = false;
  private originCycle = 0;
  private originCount = 0;
  /** Count while stopped. */
  private frozen = 0;
  /** Tick index (since origin) of the next expiry that has not been signalled yet. */
  private nextExpiry = 0;
  private readonly ev: ClockEvent;
  /** Reload value; 0 means the counter stops when it reaches zero. */
  private lim = 0;

  constructor(private readonly clock: Clock, hz: number, private readonly onExpire: () => void) {
    this.ticks = new TickClock(clock, hz);
    this.ev = clock.event(() => this.expire());
  }

  get isRunning(): boolean { return this.running; }
  get limit(): number { return this.lim; }
  get hz(): number { return this.ticks.hz; }

  /** Current count. */
  get count(): number {
    if (!this.running) return this.frozen;
    return this.valueAt(this.ticks.ticksSince(this.originCycle));
  }

  /** Stop and hold the current count. */
  stop(): void {
    if (!this.running) return;
    this.catchUp();
    this.frozen = this.count;
    this.running = false;
    this.clock.cancel(this.ev);
  }

  /**
   * Start (or keep) counting from the current count. Starting at 0 does not run: QEMU's
   * ptimer disables a timer whose delta is 0 and raises no interrupt for it.
   */
  run(oneshot: boolean): void {
    if (this.running) { this.rebase(); this.oneshot = oneshot; this.arm(); return; }
    this.oneshot = oneshot;
    if (this.frozen === 0) return;
    this.start(this.frozen);
  }

  /** Load a new count (the counter keeps its running state, restarting from `v`). */
  setCount(v: number): void {
    v >>>= 0;
    if (!this.running) { this.frozen = v; return; }
    this.catchUp();
    if (v === 0) { this.frozen = 0; this.running = false; this.clock.cancel(this.ev); return; }
    this.start(v);
  }

  /** Change the reload value; with `reload` the count is loaded too. */
  setLimit(v: number, reload: boolean): void {
    v >>>= 0;
    if (reload) { this.lim = v; this.setCount(v); return; }
    if (this.running) this.rebase();
    this.lim = v;
    if (this.running) this.arm();
  }

  /** Change the tick rate; the count so far is kept. */
  setRate(hz: number): void {
    if (hz === this.ticks.hz) return;
    if (this.running) this.rebase();
    this.ticks = new TickClock(this.clock, hz);
    if (this.running) { this.originCycle = this.clock.now; this.arm(); }
  }

  private start(v: number): void {
    this.running = true;
    this.originCycle = this.clock.now;
    this.originCount = v;
    this.nextExpiry = v;
    this.arm();
  }

  private valueAt(k: number): number {
    if (k < this.originCount) return this.originCount - k;
    if (this.oneshot || this.lim === 0) return 0;
    const period = this.lim + 1;
    const phase = (k - this.originCount) % period;
    return phase === 0 ? 0 : period - phase;
  }

  private expiryAfter(k: number): number {
    if (k < this.originCount) return this.originCount;
    const period = this.lim + 1;
    return this.originCount + (Math.floor((k - this.originCount) / period) + 1) * period;
  }

  /** Move the origin to the last whole tick, keeping the count and pending expiry consistent. */
  private rebase(): void {
    this.catchUp();
    const k = this.ticks.ticksSince(this.originCycle);
    const v = this.valueAt(k);
    this.originCycle = this.ticks.cycleAfter(this.originCycle, k);
    this.originCount = v;
    // At zero: if the expiry at this tick was already signalled the next is a period away,
    // otherwise it is due now.
    this.nextExpiry = v !== 0 ? v : this.nextExpiry > k ? this.lim + 1 : 0;
  }

  private arm(): void {
    if (!this.running) return;
    if (this.oneshot || this.lim === 0) {
      if (this.nextExpiry > this.originCount) { this.clock.cancel(this.ev); return; }
    }
    this.clock.schedule(this.ev, this.ticks.cycleAfter(this.originCycle, this.nextExpiry));
  }

  /** Signal an expiry that is due but whose event has not fired yet (an access at the same cycle). */
  private catchUp(): void {
    if (this.ev.armed && this.ev.at <= this.clock.now) {
      this.clock.cancel(this.ev);
      this.expire();
    }
  }

  private expire(): void {
    if (!this.running) return;
    this.onExpire();
    if (this.oneshot || this.lim === 0) {
      this.running = false;
      this.frozen = 0;
      return;
    }
    const k = Math.max(this.ticks.ticksSince(this.originCycle), this.nextExpiry);
    this.nextExpiry = this.expiryAfter(k);
    this.arm();
  }
}
