// The virtual clock: time is a cycle count advanced by the cores, never wall-clock.
// Devices schedule callbacks at absolute cycle counts; the run loop asks for the next
// deadline so that WFI can skip straight to it. Events are kept in a sorted pooled
// list so scheduling does not allocate once warmed up.

export interface ClockEvent {
  at: number;
  fn: () => void;
  next: ClockEvent | null;
  armed: boolean;
}

export class Clock {
  /** Cycles elapsed since reset. A float64 counts exactly up to 2^53. */
  now = 0;
  /** Core frequency, used only to convert cycles to seconds for devices and semihosting. */
  constructor(readonly hz = 25_000_000) {}
  private head: ClockEvent | null = null;

  /** Create a reusable event handle (allocate once per device, re-arm at will). */
  event(fn: () => void): ClockEvent {
    return { at: 0, fn, next: null, armed: false };
  }

  /** Arm `ev` to fire when `now >= at`. Re-arming moves it. */
  schedule(ev: ClockEvent, at: number): void {
    if (ev.armed) this.cancel(ev);
    ev.at = at;
    ev.armed = true;
    if (this.head === null || at < this.head.at) { ev.next = this.head; this.head = ev; return; }
    let p = this.head;
    while (p.next !== null && p.next.at <= at) p = p.next;
    ev.next = p.next;
    p.next = ev;
  }

  cancel(ev: ClockEvent): void {
    if (!ev.armed) return;
    ev.armed = false;
    if (this.head === ev) { this.head = ev.next; ev.next = null; return; }
    for (let p = this.head; p !== null; p = p.next) {
      if (p.next === ev) { p.next = ev.next; ev.next = null; return; }
    }
  }

  /** Cycle count of the earliest armed event, or Infinity. */
  nextDeadline(): number { return this.head === null ? Infinity : this.head.at; }

  /** Fire every event due at or before `now`, in time order. */
  fireDue(): void {
    let guard = 0;
    while (this.head !== null && this.head.at <= this.now) {
      const ev = this.head;
      this.head = ev.next;
      ev.next = null;
      ev.armed = false;
      ev.fn();
      if (++guard > 1_000_000) throw new Error('clock: more than 1e6 events due at one instant (a device re-arms itself with no delay)');
    }
  }
}
