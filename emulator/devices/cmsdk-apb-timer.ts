// Arm CMSDK APB timer (Cortex-M System Design Kit TRM, DDI0479C §4.4), as QEMU 7.2 models it
// in hw/timer/cmsdk-apb-timer.c: a 32-bit down-counter at the APB clock that interrupts on
// the 1 -> 0 transition, holds 0 for one tick, then reloads (period RELOAD + 1 ticks).
// One interrupt output, TIMERINT. EXTIN (CTRL bits 1-2) is not modelled, as in QEMU.
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { ID_BASE, ID_END, clockFrequency, readId, truncate } from './apb-common';
import { DownCounter } from './down-counter';

const CTRL = 0x00;
const VALUE = 0x04;
const RELOAD = 0x08;
const INTSTATUS = 0x0c; // reads INTSTATUS, writes INTCLEAR

const CTRL_EN = 1 << 0;
const CTRL_EXTIN = (1 << 1) | (1 << 2);
const CTRL_IRQEN = 1 << 3;

/** PID4-7, PID0-3, CID0-3 (QEMU timer_id[]; part number 0x822). */
const TIMER_ID = [0x04, 0x00, 0x00, 0x00, 0x22, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class CmsdkApbTimer implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private ctrl = 0;
  private intstatus = 0;
  private readonly counter: DownCounter;
  private readonly line: IrqLine;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.line = ctx.irq(0);
    this.counter = new DownCounter(ctx.clock, clockFrequency(ctx), () => this.expired());
  }

  reset(): void {
    this.ctrl = 0;
    this.intstatus = 0;
    this.counter.stop();
    this.counter.setLimit(0, true);
    this.line.set(false);
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number;
    switch (offset) {
      case CTRL: r = this.ctrl; break;
      case VALUE: r = this.counter.count; break;
      case RELOAD: r = this.counter.limit; break;
      case INTSTATUS: r = this.intstatus; break;
      default:
        if (offset >= ID_BASE && offset < ID_END) { r = readId(TIMER_ID, offset); break; }
        warnOnce(this.ctx, this.warned, `r${offset}`, `${this.name}: read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r, size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    switch (offset) {
      case CTRL:
        if (value & CTRL_EXTIN) warnOnce(this.ctx, this.warned, 'extin', `${this.name}: CTRL EXTIN enable/clock (bits 1-2) not modelled; the timer counts the APB clock`);
        this.ctrl = value & 0xf;
        if (this.ctrl & CTRL_EN) this.counter.run(this.counter.limit === 0);
        else this.counter.stop();
        break;
      case RELOAD: // also loads VALUE, and restarts an expired timer
        if (value === 0) this.counter.stop();
        this.counter.setLimit(value, true);
        if (value !== 0 && (this.ctrl & CTRL_EN)) this.counter.run(false);
        break;
      case VALUE:
        if (value === 0 && this.counter.limit === 0) this.counter.stop();
        this.counter.setCount(value);
        if (value !== 0 && (this.ctrl & CTRL_EN)) this.counter.run(this.counter.limit === 0);
        break;
      case INTSTATUS:
        this.intstatus &= ~(value & 1);
        this.line.set(this.intstatus !== 0);
        break;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write to ${offset >= ID_BASE && offset < ID_END ? 'read-only ID' : 'unmodelled'} offset 0x${offset.toString(16)} ignored`);
    }
  }

  // The interrupt is latched only if IRQEN is set at the moment of expiry (QEMU cmsdk_apb_timer_tick).
  private expired(): void {
    if ((this.ctrl & CTRL_IRQEN) === 0) return;
    this.intstatus = 1;
    this.line.set(true);
  }
}

export const cmsdkApbTimerType: DeviceType = {
  compatible: ['arm,cmsdk-apb-timer'],
  description: 'Arm CMSDK APB timer (QEMU cmsdk-apb-timer): 32-bit down-counter, one interrupt',
  create: (ctx) => new CmsdkApbTimer(ctx),
};
