// i.MX Enhanced Periodic Interrupt Timer (i.MX6DQ reference manual §24 "EPIT"): a 32-bit
// down-counter loaded from EPIT_LR (set-and-forget, CR.RLD=1) or wrapping from 0xFFFFFFFF
// (free-running), with a compare register raising OCIF. Counting is computed lazily from
// the virtual clock. Clock sources: CR.CLKSRC 1 = ipg, 2 = ipg_clk_highfreq, 3 = 32 kHz.
import type { AccessSize } from '../bus';
import type { ClockEvent } from '../clock';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { TickClock, truncate } from './apb-common';

const CR = 0x00;
const SR = 0x04;
const LR = 0x08;
const CMPR = 0x0c;
const CNR = 0x10;

const CR_EN = 1 << 0;
const CR_ENMOD = 1 << 1;
const CR_OCIEN = 1 << 2;
const CR_RLD = 1 << 3;
const CR_SWR = 1 << 16;
const CR_IOVW = 1 << 17;
const CR_MASK = 0x03ffffff & ~CR_SWR;

export class ImxEpit implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private cr = 0;
  private sr = 0;
  private lr = 0xffffffff;
  private cmpr = 0;
  /** Counter value at `originCycle` (valid while running). */
  private originCount = 0xffffffff;
  private originCycle = 0;
  private frozen = 0xffffffff;
  private running = false;
  private ticks: TickClock;
  private readonly ev: ClockEvent;
  private readonly irq: IrqLine;
  private level = false;
  private readonly rates: number[];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.irq = ctx.irq(0);
    const ipg = ctx.props.u32('fsl,ipg-hz', 66_000_000) ?? 66_000_000;
    this.rates = [0, ipg, ctx.props.u32('fsl,ipg-highfreq-hz', ipg) ?? ipg, 32_768];
    this.ticks = new TickClock(ctx.clock, ipg);
    this.ev = ctx.clock.event(() => this.compareHit());
  }

  reset(): void {
    this.cr = 0; this.sr = 0; this.lr = 0xffffffff; this.cmpr = 0;
    this.running = false; this.frozen = 0xffffffff;
    this.ctx.clock.cancel(this.ev);
    this.update();
  }

  private rateHz(): number {
    const src = (this.cr >>> 24) & 3;
    const presc = ((this.cr >>> 4) & 0xfff) + 1;
    return this.rates[src] / presc;
  }

  /** Period of the count in ticks: LR+1 in set-and-forget mode, 2^32 when free-running. */
  private period(): number { return (this.cr & CR_RLD) !== 0 ? this.lr + 1 : 0x100000000; }

  private count(): number {
    if (!this.running) return this.frozen;
    const k = this.ticks.ticksSince(this.originCycle);
    if (k <= this.originCount) return this.originCount - k;
    const p = this.period();
    const top = (this.cr & CR_RLD) !== 0 ? this.lr : 0xffffffff;
    return top - ((k - this.originCount - 1) % p);
  }

  private start(from: number): void {
    const hz = this.rateHz();
    if (hz <= 0) { this.running = false; this.frozen = from; this.ctx.clock.cancel(this.ev); return; }
    this.ticks = new TickClock(this.ctx.clock, hz);
    this.running = true;
    this.originCycle = this.ctx.clock.now;
    this.originCount = from >>> 0;
    this.arm();
  }

  private stop(): void {
    if (!this.running) return;
    this.frozen = this.count();
    this.running = false;
    this.ctx.clock.cancel(this.ev);
  }

  /** Schedule the next tick (after the current one) at which the counter equals CMPR. */
  private arm(): void {
    if (!this.running) return;
    const k = this.ticks.ticksSince(this.originCycle);
    const cur = this.count();
    const top = (this.cr & CR_RLD) !== 0 ? this.lr : 0xffffffff;
    let dist: number;
    if (cur > this.cmpr) dist = cur - this.cmpr;
    else if (this.cmpr > top) { this.ctx.clock.cancel(this.ev); return; }
    else dist = cur + 1 + (top - this.cmpr); // down to 0, reload to top, down to CMPR
    this.ctx.clock.schedule(this.ev, this.ticks.cycleAfter(this.originCycle, k + dist));
  }

  private compareHit(): void {
    this.sr = 1;
    this.update();
    this.arm();
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number;
    switch (offset & ~3) {
      case CR: r = this.cr; break;
      case SR: r = this.sr; break;
      case LR: r = this.lr; break;
      case CMPR: r = this.cmpr; break;
      case CNR: r = this.count(); break;
      default:
        warnOnce(this.ctx, this.warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    switch (offset & ~3) {
      case CR: {
        if ((value & CR_SWR) !== 0) { this.reset(); return; }
        const was = this.cr;
        const cnt = this.count();
        this.stop();
        this.cr = value & CR_MASK;
        let from = cnt;
        // ENMOD: enabling restarts from LR (or 0xFFFFFFFF when free-running).
        if ((was & CR_EN) === 0 && (this.cr & CR_EN) !== 0 && (this.cr & CR_ENMOD) !== 0) from = (this.cr & CR_RLD) !== 0 ? this.lr : 0xffffffff;
        if ((this.cr & CR_EN) !== 0) this.start(from); else this.frozen = from;
        this.update();
        return;
      }
      case SR: if ((value & 1) !== 0) { this.sr = 0; this.update(); } return;
      case LR: {
        this.lr = value;
        // In set-and-forget mode or with IOVW, writing LR also loads the counter.
        if ((this.cr & (CR_RLD | CR_IOVW)) !== 0) {
          if (this.running) this.start(value); else this.frozen = value;
        } else if (this.running) this.arm();
        return;
      }
      case CMPR: this.cmpr = value; if (this.running) this.arm(); return;
      case CNR: return; // read-only
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `write to unmodelled offset 0x${offset.toString(16)} ignored`);
    }
  }

  private update(): void {
    const level = this.sr !== 0 && (this.cr & (CR_EN | CR_OCIEN)) === (CR_EN | CR_OCIEN);
    if (level !== this.level) { this.level = level; this.irq.set(level); }
  }
}

export const imxEpitType: DeviceType = {
  compatible: ['fsl,imx6q-epit', 'fsl,imx31-epit'],
  description: 'NXP i.MX EPIT: 32-bit down-counter with load/compare, set-and-forget or free-running',
  create: (ctx) => new ImxEpit(ctx),
};
