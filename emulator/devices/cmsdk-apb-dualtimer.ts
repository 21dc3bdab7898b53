// Arm CMSDK APB dual-input timer (DDI0479C §4.5; an SP804 with CMSDK IDs), as QEMU 7.2 models
// it in hw/timer/cmsdk-apb-dualtimer.c: two down-counters with 16/32-bit size, prescale
// 1/16/256, free-running/periodic/one-shot modes. Interrupt outputs, in `interrupts` order:
// 0 TIMINTC (combined, what mps2 wires), 1 TIMINT1, 2 TIMINT2.
import type { AccessSize } from '../bus';
import type { Clock } from '../clock';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { ID_BASE, ID_END, clockFrequency, readId, truncate } from './apb-common';
import { DownCounter } from './down-counter';

// Per-module offsets (module n at n * 0x20).
const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const INTCLR = 0x0c;
const RIS = 0x10;
const MIS = 0x14;
const BGLOAD = 0x18;
const ITCR = 0xf00;
const ITOP = 0xf04;

const C_ONESHOT = 1 << 0;
const C_SIZE32 = 1 << 1;
const C_PRESCALE = 3 << 2;
const C_INTEN = 1 << 5;
const C_PERIODIC = 1 << 6;
const C_ENABLE = 1 << 7;
const C_VALID = C_ONESHOT | C_SIZE32 | C_PRESCALE | C_INTEN | C_PERIODIC | C_ENABLE;

/** PID4-7, PID0-3, CID0-3 (QEMU timer_id[]; part number 0x823). */
const DUALTIMER_ID = [0x04, 0x00, 0x00, 0x00, 0x23, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

const deposit16 = (hi: number, lo: number): number => ((hi & 0xffff0000) | (lo & 0xffff)) >>> 0;

class TimerModule {
  control = C_INTEN;
  intstatus = 0;
  /** LOAD as written (all 32 bits, even in 16-bit mode). */
  load = 0;
  /** Upper half of VALUE kept while the counter runs in 16-bit mode. */
  value = 0xffffffff;
  readonly counter: DownCounter;

  constructor(private readonly parent: CmsdkApbDualTimer, private readonly pclk: number) {
    this.counter = new DownCounter(parent.clock, pclk, () => { this.intstatus = 1; parent.update(); });
  }

  reset(): void {
    this.control = C_INTEN;
    this.intstatus = 0;
    this.load = 0;
    this.value = 0xffffffff;
    this.counter.stop();
    // Free-running, 16-bit, VALUE 0xffffffff: the counter wraps at 16 bits.
    this.counter.setLimit(0xffff, true);
    this.counter.setRate(this.pclk);
  }

  get masked(): boolean { return this.intstatus !== 0 && (this.control & C_INTEN) !== 0; }

  private divisor(ctrl: number): number {
    const p = (ctrl & C_PRESCALE) >> 2;
    return p === 0 ? 1 : p === 1 ? 16 : 256;
  }

  read(reg: number): number | undefined {
    switch (reg) {
      case LOAD:
      case BGLOAD:
        if (this.control & C_PERIODIC) {
          const r = this.counter.limit;
          return this.control & C_SIZE32 ? r : deposit16(this.load, r);
        }
        return this.load;
      case VALUE: {
        const r = this.counter.count;
        return this.control & C_SIZE32 ? r : deposit16(this.value, r);
      }
      case CONTROL: return this.control;
      case RIS: return this.intstatus;
      case MIS: return this.masked ? 1 : 0;
      default: return undefined;
    }
  }

  write(reg: number, v: number): boolean {
    switch (reg) {
      case LOAD: {
        this.load = v;
        this.value = v;
        const n = this.control & C_SIZE32 ? v : v & 0xffff;
        if ((this.control & C_PERIODIC) === 0) { this.counter.setCount(n); break; } // free-running: no limit
        if (n === 0) this.counter.stop();
        this.counter.setLimit(n, true);
        // QEMU 7.2 restarts with ptimer_run(timer, 1), which turns a running periodic timer
        // into a one-shot; we keep the mode CONTROL asks for, as the SP804 TRM describes.
        if (n !== 0 && (this.control & C_ENABLE)) this.counter.run((this.control & C_ONESHOT) !== 0);
        break;
      }
      case BGLOAD:
        this.load = v;
        if ((this.control & C_PERIODIC) === 0) break;
        this.counter.setLimit(this.control & C_SIZE32 ? v : v & 0xffff, false);
        break;
      case CONTROL:
        this.writeControl(v);
        this.parent.update();
        break;
      case INTCLR:
        this.intstatus = 0;
        this.parent.update();
        break;
      default:
        return false;
    }
    return true;
  }

  // Order of the steps follows QEMU cmsdk_dualtimermod_write_control so that switching
  // size and mode in one write leaves LOAD/VALUE exactly as QEMU leaves them.
  private writeControl(newctrl: number): void {
    newctrl &= C_VALID;
    const changed = this.control ^ newctrl;
    if (changed & ~newctrl & C_ENABLE) this.counter.stop();
    if (changed & C_PRESCALE) {
      if ((newctrl & C_PRESCALE) === C_PRESCALE) this.parent.warnUndefinedPrescale();
      this.counter.setRate(this.pclk / this.divisor(newctrl));
    }
    if (changed & C_PERIODIC) {
      let load: number;
      if (newctrl & C_PERIODIC) load = this.load;
      else {
        load = this.counter.limit;
        if ((this.control & C_SIZE32) === 0) load = deposit16(this.load, load);
        this.load = load;
        load = 0xffffffff;
      }
      if ((this.control & C_SIZE32) === 0) load &= 0xffff;
      this.counter.setLimit(load, false);
    }
    if (changed & C_SIZE32) {
      let value = this.counter.count;
      let load = this.counter.limit;
      if (newctrl & C_SIZE32) value = deposit16(this.value, value);
      else { this.value = value; value &= 0xffff; }
      if (newctrl & C_PERIODIC) {
        if (newctrl & C_SIZE32) load = deposit16(this.load, load);
        else { this.load = load; load &= 0xffff; }
      } else load = newctrl & C_SIZE32 ? 0xffffffff : 0xffff;
      this.counter.setCount(value);
      this.counter.setLimit(load, false);
    }
    // Started even if ENABLE was already set, so an expired one-shot restarts in its new mode.
    if (newctrl & C_ENABLE) this.counter.run((newctrl & C_ONESHOT) !== 0);
    this.control = newctrl;
  }
}

export class CmsdkApbDualTimer implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  readonly clock: Clock;
  private readonly mods: [TimerModule, TimerModule];
  private itcr = 0;
  private itop = 0;
  private readonly lines: IrqLine[];
  private readonly levels = [false, false, false];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.clock = ctx.clock;
    this.lines = [ctx.irq(0), ctx.irq(1), ctx.irq(2)];
    const hz = clockFrequency(ctx);
    this.mods = [new TimerModule(this, hz), new TimerModule(this, hz)];
    this.reset();
  }

  reset(): void {
    this.mods[0].reset();
    this.mods[1].reset();
    this.itcr = 0;
    this.itop = 0;
    this.update();
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number | undefined;
    if (offset < 0x40) r = this.mods[offset >> 5].read(offset & 0x1f);
    else if (offset === ITCR) r = this.itcr;
    else if (offset >= ID_BASE && offset < ID_END) r = readId(DUALTIMER_ID, offset);
    if (r === undefined) {
      warnOnce(this.ctx, this.warned, `r${offset}`, `${this.name}: read of unmodelled offset 0x${offset.toString(16)} returns 0`);
      r = 0;
    }
    return truncate(r, size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    let ok = false;
    if (offset < 0x40) ok = this.mods[offset >> 5].write(offset & 0x1f, value);
    else if (offset === ITCR) { this.itcr = value & 1; this.update(); ok = true; }
    else if (offset === ITOP) { this.itop = value & 3; this.update(); ok = true; }
    if (!ok) warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write to unmodelled or read-only offset 0x${offset.toString(16)} ignored`);
  }

  /** In integration-test mode (ITCR=1) the outputs follow ITOP instead of the timers. */
  update(): void {
    const t1 = this.itcr ? (this.itop & 1) !== 0 : this.mods[0].masked;
    const t2 = this.itcr ? (this.itop & 2) !== 0 : this.mods[1].masked;
    this.drive(0, t1 || t2);
    this.drive(1, t1);
    this.drive(2, t2);
  }

  warnUndefinedPrescale(): void {
    warnOnce(this.ctx, this.warned, 'prescale', `${this.name}: CONTROL.PRESCALE=0b11 is undefined; treated as divide-by-256 as QEMU does`);
  }

  private drive(i: number, level: boolean): void {
    if (this.levels[i] === level) return;
    this.levels[i] = level;
    this.lines[i].set(level);
  }
}

export const cmsdkApbDualTimerType: DeviceType = {
  compatible: ['arm,cmsdk-apb-dualtimer'],
  description: 'Arm CMSDK APB dual timer (QEMU cmsdk-apb-dualtimer): two SP804-style counters, combined interrupt',
  create: (ctx) => new CmsdkApbDualTimer(ctx),
};
