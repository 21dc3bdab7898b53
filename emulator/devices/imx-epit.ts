// i.MX Enhanced Periodic Interrupt Timer (i.MX6DQ reference manual §24 "EPIT"): a 32-bit
// down-counter loaded from EPIT_LR (set-and-forget, CR.RLD=1) or wrapping from 0xFFFFFFFF
// (free-running), with a compare register raising OCIF. Counting is computed lazily from
// the virtual clock. Clock sources: CR.CLKSRC 1 = ipg, 2 = ipg_clk_highfreq, 3 = 32 kHz.
import type { AccessSize } from '../bus';
import type { DeviceContext, DeviceModel, DeviceType } from './device';
import { truncate } from './apb-common';
import { ipgRates, LazyCounter, LevelIrq, unmodelledRead, unmodelledWrite } from './imx-common';

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
  private readonly counter: LazyCounter;
  private readonly irq: LevelIrq;
  private readonly rates: number[];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.irq = new LevelIrq(ctx.irq(0));
    this.rates = [...ipgRates(ctx), 32_768];
    this.counter = new LazyCounter(ctx, this.rates[1], 0xffffffff, () => this.compareHit());
  }

  reset(): void {
    this.cr = 0; this.sr = 0; this.lr = 0xffffffff; this.cmpr = 0;
    this.counter.hold(0xffffffff);
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
    const c = this.counter;
    if (!c.running) return c.frozen;
    const k = c.elapsed();
    if (k <= c.originCount) return c.originCount - k;
    const p = this.period();
    const top = (this.cr & CR_RLD) !== 0 ? this.lr : 0xffffffff;
    return top - ((k - c.originCount - 1) % p);
  }

  private start(from: number): void {
    if (this.counter.start(from, this.rateHz())) this.arm();
  }

  private stop(): void { this.counter.stop(this.count()); }

  /** Schedule the next tick (after the current one) at which the counter equals CMPR. */
  private arm(): void {
    if (!this.counter.running) return;
    const k = this.counter.elapsed();
    const cur = this.count();
    const top = (this.cr & CR_RLD) !== 0 ? this.lr : 0xffffffff;
    let dist: number;
    if (cur > this.cmpr) dist = cur - this.cmpr;
    else if (this.cmpr > top) { this.counter.cancel(); return; }
    else dist = cur + 1 + (top - this.cmpr); // down to 0, reload to top, down to CMPR
    this.counter.scheduleAt(k + dist);
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
      default: r = unmodelledRead(this.ctx, this.warned, offset);
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
        if ((this.cr & CR_EN) !== 0) this.start(from); else this.counter.frozen = from;
        this.update();
        return;
      }
      case SR: if ((value & 1) !== 0) { this.sr = 0; this.update(); } return;
      case LR: {
        this.lr = value;
        // In set-and-forget mode or with IOVW, writing LR also loads the counter.
        if ((this.cr & (CR_RLD | CR_IOVW)) !== 0) {
          if (this.counter.running) this.start(value); else this.counter.frozen = value;
        } else if (this.counter.running) this.arm();
        return;
      }
      case CMPR: this.cmpr = value; if (this.counter.running) this.arm(); return;
      case CNR: return; // read-only
      default: unmodelledWrite(this.ctx, this.warned, offset);
    }
  }

  private update(): void {
    this.irq.set(this.sr !== 0 && (this.cr & (CR_EN | CR_OCIEN)) === (CR_EN | CR_OCIEN));
  }
}

export const imxEpitType: DeviceType = {
  compatible: ['fsl,imx6q-epit', 'fsl,imx31-epit'],
  description: 'NXP i.MX EPIT: 32-bit down-counter with load/compare, set-and-forget or free-running',
  create: (ctx) => new ImxEpit(ctx),
};
