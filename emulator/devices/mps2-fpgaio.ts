// MPS2 "FPGA system control and I/O" block (AN385/AN386 §3.9), as QEMU 7.2 models it in
// hw/misc/mps2-fpgaio.c with the an386 settings: 2 LEDs, no switches, no DBGCTRL.
// The 1 Hz / 100 Hz counters and the prescaled COUNTER are derived from virtual time
// (clock.now), never ticked. `clock-frequency` is the prescaler input (QEMU prescale-clk).
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { TickClock, clockFrequency, truncate } from './apb-common';

const LED0 = 0x00;
const BUTTON = 0x08;
const CLK1HZ = 0x10;
const CLK100HZ = 0x14;
const COUNTER = 0x18;
const PRESCALE = 0x1c;
const PSCNTR = 0x20;
const MISC = 0x4c;

const NUM_LEDS = 2;

export class Mps2FpgaIo implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private led0 = 0;
  private prescale = 0;
  private misc = 0;
  /** Cycle at which CLK1HZ / CLK100HZ would have read 0 (may lie before reset after a write). */
  private clk1hzOrigin = 0;
  private clk100hzOrigin = 0;
  private counter = 0;
  private pscntr = 0;
  /** Cycle of the last prescaler tick already folded into counter/pscntr. */
  private syncCycle = 0;
  private readonly pclk: TickClock;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.pclk = new TickClock(ctx.clock, clockFrequency(ctx));
    this.reset();
  }

  reset(): void {
    const now = this.ctx.clock.now;
    this.led0 = 0;
    this.prescale = 0;
    this.misc = 0;
    this.clk1hzOrigin = now;
    this.clk100hzOrigin = now;
    this.counter = 0;
    this.pscntr = 0;
    this.syncCycle = now;
  }

  /** LED states for a UI (bit n = USERLEDn). */
  get leds(): number { return this.led0; }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number;
    switch (offset) {
      case LED0: r = this.led0; break;
      case BUTTON: r = 0; break; // board push-buttons are not modelled (QEMU reads 0 too)
      case CLK1HZ: r = this.slowCounter(this.clk1hzOrigin, 1); break;
      case CLK100HZ: r = this.slowCounter(this.clk100hzOrigin, 100); break;
      case COUNTER: this.resync(); r = this.counter; break;
      case PRESCALE: r = this.prescale; break;
      case PSCNTR: this.resync(); r = this.pscntr; break;
      case MISC: r = this.misc; break;
      default:
        warnOnce(this.ctx, this.warned, `r${offset}`, `${this.name}: read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r, size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    const now = this.ctx.clock.now;
    switch (offset) {
      case LED0: this.led0 = value & ((1 << NUM_LEDS) - 1); break;
      case CLK1HZ: this.clk1hzOrigin = now - (value * this.ctx.clock.hz) / 1; break;
      case CLK100HZ: this.clk100hzOrigin = now - (value * this.ctx.clock.hz) / 100; break;
      case COUNTER: this.resync(); this.counter = value; break;
      case PRESCALE: this.resync(); this.prescale = value; break;
      case PSCNTR: this.resync(); this.pscntr = value; break;
      case MISC: // SPI/CLCD control bits in hardware; QEMU keeps them as plain storage
        warnOnce(this.ctx, this.warned, 'misc', `${this.name}: MISC control bits are stored but have no effect`);
        this.misc = value;
        break;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write to unmodelled offset 0x${offset.toString(16)} ignored`);
    }
  }

  private slowCounter(origin: number, hz: number): number {
    return Math.floor(((this.ctx.clock.now - origin) * hz) / this.ctx.clock.hz) >>> 0;
  }

  // PSCNTR counts down at the prescaler clock and reloads from PRESCALE one tick after it
  // reaches 0; COUNTER increments at each reload. With PRESCALE=0, COUNTER increments every
  // tick once PSCNTR is 0. Only whole ticks are folded in, so frequent reads lose no time.
  private resync(): void {
    const ticks = this.pclk.ticksSince(this.syncCycle);
    if (ticks <= 0) return;
    if (ticks < this.pscntr) this.pscntr -= ticks;
    else if (this.prescale === 0) {
      this.counter = (this.counter + (ticks - this.pscntr)) >>> 0;
      this.pscntr = 0;
    } else {
      const period = this.prescale + 1;
      const y = ticks - this.pscntr + this.prescale;
      this.pscntr = this.prescale - (y % period);
      this.counter = (this.counter + Math.floor(y / period)) >>> 0;
    }
    this.syncCycle = this.pclk.cycleAfter(this.syncCycle, ticks);
  }
}

export const mps2FpgaIoType: DeviceType = {
  compatible: ['arm,mps2-fpgaio'],
  description: 'MPS2 FPGA I/O block (QEMU mps2-fpgaio): LEDs, 1 Hz/100 Hz counters, prescaled counter',
  create: (ctx) => new Mps2FpgaIo(ctx),
};
