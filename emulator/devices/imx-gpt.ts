// i.MX General Purpose Timer (i.MX6DQ reference manual §30 "GPT"): a 32-bit up-counter
// with three output compares and rollover, free-running (CR.FRR=1) or restarting after
// OCR1. Computed lazily from the virtual clock; like QEMU 7.2's imx_gpt, only compare
// and rollover events whose IR enable is set latch SR flags.
import type { AccessSize } from '../bus';
import type { DeviceContext, DeviceModel, DeviceType } from './device';
import { truncate } from './apb-common';
import { ipgRates, LazyCounter, LevelIrq, unmodelledRead, unmodelledWrite } from './imx-common';

const CR = 0x00;
const PR = 0x04;
const SR = 0x08;
const IR = 0x0c;
const OCR1 = 0x10;
const OCR2 = 0x14;
const OCR3 = 0x18;
const ICR1 = 0x1c;
const ICR2 = 0x20;
const CNT = 0x24;

const CR_EN = 1 << 0;
const CR_ENMOD = 1 << 1;
const CR_FRR = 1 << 9;
const CR_SWR = 1 << 15;
/** Bits QEMU keeps out of CR (FO1-3 are write-only strobes, SWR self-clears). */
const CR_WRITE_MASK = ~0x7c14 >>> 0;
const SR_ROV = 1 << 5;
const WRAP = 0x100000000;

export class ImxGpt implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private cr = 0;
  private pr = 0;
  private sr = 0;
  private ir = 0;
  private readonly ocr = [0xffffffff, 0xffffffff, 0xffffffff];
  private readonly counter: LazyCounter;
  /** SR bits the armed event will set. */
  private nextFlags = 0;
  private readonly irq: LevelIrq;
  private readonly rates: number[];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.irq = new LevelIrq(ctx.irq(0));
    // CLKSRC: 0 off, 1 ipg_clk, 2 ipg_clk_highfreq, 3 external (not modelled), 4 ipg_clk_32k, 5 24 MHz crystal.
    this.rates = [...ipgRates(ctx), 0, 32_768, 24_000_000, 0, 0];
    this.counter = new LazyCounter(ctx, this.rates[1], 0, () => this.fire());
  }

  reset(): void {
    this.cr &= ~0x3f; // EN ENMOD DBGEN WAITEN DOZEN STOPEN; the rest survives a soft reset
    this.pr = 0; this.sr = 0; this.ir = 0;
    this.ocr.fill(0xffffffff);
    this.counter.hold(0);
    this.update();
  }

  private hz(): number { return this.rates[(this.cr >>> 6) & 7] / ((this.pr & 0xfff) + 1); }
  private freeRun(): boolean { return (this.cr & CR_FRR) !== 0; }

  private count(): number {
    const { running, frozen, originCount } = this.counter;
    if (!running) return frozen;
    const k = this.counter.elapsed();
    if (this.freeRun()) return (originCount + k) % WRAP;
    const period = this.ocr[0] + 1;
    if (originCount > this.ocr[0]) {
      // Above OCR1 (it was lowered): count up to the wrap first.
      const toWrap = WRAP - originCount;
      if (k < toWrap) return originCount + k;
      return (k - toWrap) % period;
    }
    return (originCount + k) % period;
  }

  private startAt(count: number): void {
    if (this.counter.start(count, (this.cr & CR_EN) !== 0 ? this.hz() : 0)) this.arm();
  }

  private stop(): void { this.counter.stop(this.count()); }

  /** Ticks from count `c` until the counter next equals `target` (never 0), or Infinity. */
  private distance(c: number, target: number): number {
    if (this.freeRun()) return ((target - c + WRAP - 1) % WRAP) + 1;
    const top = this.ocr[0];
    if (c > top) return target > c ? target - c : target <= top ? WRAP - c + target : Infinity;
    if (target > top) return Infinity;
    return target > c ? target - c : top - c + 1 + target;
  }

  private arm(): void {
    this.counter.cancel();
    if (!this.counter.running) return;
    const k = this.counter.elapsed();
    const c = this.count();
    let best = Infinity;
    let flags = 0;
    const consider = (d: number, flag: number) => {
      if (d < best) { best = d; flags = flag; } else if (d === best) flags |= flag;
    };
    for (let n = 0; n < 3; n++) if ((this.ir & (1 << n)) !== 0) consider(this.distance(c, this.ocr[n]), 1 << n);
    if ((this.ir & SR_ROV) !== 0) consider(this.distance(c, 0) !== Infinity && (this.freeRun() || this.ocr[0] === 0xffffffff || c > this.ocr[0]) ? WRAP - c : Infinity, SR_ROV);
    if (best === Infinity) return;
    this.nextFlags = flags;
    this.counter.scheduleAt(k + best);
  }

  private fire(): void {
    this.sr |= this.nextFlags;
    this.update();
    this.arm();
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number;
    switch (offset & ~3) {
      case CR: r = this.cr; break;
      case PR: r = this.pr; break;
      case SR: r = this.sr; break;
      case IR: r = this.ir; break;
      case OCR1: case OCR2: case OCR3: r = this.ocr[((offset & ~3) - OCR1) >> 2]; break;
      case ICR1: case ICR2: r = 0; break;
      case CNT: r = this.count(); break;
      default: r = unmodelledRead(this.ctx, this.warned, offset);
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    switch (offset & ~3) {
      case CR: {
        const old = this.cr;
        const c = this.count();
        this.stop();
        this.cr = value & CR_WRITE_MASK;
        if ((value & CR_SWR) !== 0) { this.cr &= ~CR_SWR; this.reset(); return; }
        // ENMOD=1: the counter restarts from 0 when the timer is enabled.
        const from = (old & CR_EN) === 0 && (this.cr & CR_EN) !== 0 && (this.cr & CR_ENMOD) !== 0 ? 0 : c;
        this.startAt(from);
        this.update();
        return;
      }
      case PR: { const c = this.count(); this.stop(); this.pr = value & 0xfff; this.startAt(c); return; }
      case SR: this.sr &= ~(value & 0x3f); this.update(); return;
      case IR: this.ir = value & 0x3f; this.update(); this.arm(); return;
      case OCR1: case OCR2: case OCR3: {
        const n = ((offset & ~3) - OCR1) >> 2;
        this.ocr[n] = value;
        // In restart mode a write to OCR1 resets the counter (reference manual §30.5.1).
        if (n === 0 && !this.freeRun()) { if (this.counter.running) this.startAt(0); else this.counter.frozen = 0; }
        else this.arm();
        return;
      }
      case ICR1: case ICR2: case CNT: return; // read-only
      default: unmodelledWrite(this.ctx, this.warned, offset);
    }
  }

  private update(): void {
    this.irq.set((this.sr & this.ir) !== 0 && (this.cr & CR_EN) !== 0);
  }
}

export const imxGptType: DeviceType = {
  compatible: ['fsl,imx6q-gpt', 'fsl,imx31-gpt'],
  description: 'NXP i.MX GPT: 32-bit up-counter, 3 output compares, rollover, free-run or restart mode',
  create: (ctx) => new ImxGpt(ctx),
};
