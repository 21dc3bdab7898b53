// Cortex-A9 MPCore private timer and watchdog (Cortex-A9 MPCore TRM r4p1 §4.1-4.2): one
// pair per CPU at the same address (banked), each a 32-bit down-counter clocked by
// PERIPHCLK / (prescaler + 1), raising PPI 29 (timer) and PPI 30 (watchdog) on its own
// CPU. As in QEMU 7.2's arm_mptimer the watchdog counts like a second timer; watchdog
// mode never resets the system. `interrupts`: 0 the timer PPI, 1 the watchdog PPI.
import type { AccessSize, MmioDevice } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, NO_IRQ, warnOnce } from './device';
import { DownCounter } from './down-counter';
import { truncate } from './apb-common';

const LOAD = 0x00;
const COUNTER = 0x04;
const CONTROL = 0x08;
const ISR = 0x0c;
const WDOG = 0x20;
const WDOG_RESET_STATUS = 0x30;
const WDOG_DISABLE = 0x34;

const CTRL_ENABLE = 1 << 0;
const CTRL_AUTO_RELOAD = 1 << 1;
const CTRL_IRQ_ENABLE = 1 << 2;

/** One timer block: load, counter, control and the event flag. */
class TimerBlock {
  load = 0;
  control = 0;
  isr = 0;
  private level = false;
  readonly counter: DownCounter;
  constructor(ctx: DeviceContext, private readonly baseHz: number, private readonly irq: IrqLine) {
    this.counter = new DownCounter(ctx.clock, baseHz, () => { this.isr = 1; this.update(); });
  }
  reset(): void {
    this.counter.stop();
    this.counter.setLimit(0, true);
    this.load = 0; this.control = 0; this.isr = 0;
    this.update();
  }
  read(reg: number): number {
    switch (reg) {
      case LOAD: return this.load;
      case COUNTER: return this.counter.count;
      case CONTROL: return this.control;
      case ISR: return this.isr;
    }
    return 0;
  }
  write(reg: number, v: number, mask: number): void {
    switch (reg) {
      case LOAD:
        this.load = v;
        this.counter.setLimit((this.control & CTRL_AUTO_RELOAD) !== 0 ? v : 0, false);
        this.counter.setCount(v);
        break;
      case COUNTER: this.counter.setCount(v); break;
      case CONTROL: {
        // QEMU 7.2 keeps every bit written (reserved ones read back); only `mask` acts.
        this.control = v >>> 0;
        v &= mask;
        this.counter.setRate(this.baseHz / (((v >>> 8) & 0xff) + 1));
        this.counter.setLimit((v & CTRL_AUTO_RELOAD) !== 0 ? this.load : 0, false);
        if ((v & CTRL_ENABLE) !== 0) {
          // Enabling a timer that sits at 0 with auto-reload starts it from Load.
          if (this.counter.count === 0 && (v & CTRL_AUTO_RELOAD) !== 0) this.counter.setCount(this.load);
          this.counter.run((v & CTRL_AUTO_RELOAD) === 0);
        } else this.counter.stop();
        break;
      }
      case ISR: if ((v & 1) !== 0) this.isr = 0; break;
    }
    this.update();
  }
  private update(): void {
    const l = this.isr !== 0 && (this.control & CTRL_IRQ_ENABLE) !== 0;
    if (l !== this.level) { this.level = l; this.irq.set(l); }
  }
}

export class A9PrivateTimer implements DeviceModel {
  readonly size = 0x100;
  readonly name: string;
  private readonly timers: TimerBlock[] = [];
  private readonly wdogs: TimerBlock[] = [];
  private readonly views: MmioDevice[] = [];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    const hz = ctx.props.u32('clock-frequency', 100_000_000) ?? 100_000_000;
    const n = ctx.cpus?.count ?? 1;
    for (let c = 0; c < n; c++) {
      const irq = (i: number) => ctx.cpuIrq?.(i, c) ?? (c === 0 ? ctx.irq(i) : NO_IRQ);
      this.timers.push(new TimerBlock(ctx, hz, irq(0)));
      this.wdogs.push(new TimerBlock(ctx, hz, irq(1)));
      this.views.push({ name: `${this.name} cpu${c}`, read: (o, s) => this.readCpu(c, o, s), write: (o, s, v) => this.writeCpu(c, o, s, v) });
    }
  }

  reset(): void { for (const t of [...this.timers, ...this.wdogs]) t.reset(); }

  mmioFor(core: number, region: number): MmioDevice | undefined {
    return region === 0 ? this.views[core] : undefined;
  }

  read(offset: number, size: AccessSize): number { return this.readCpu(0, offset, size); }
  write(offset: number, size: AccessSize, value: number): void { this.writeCpu(0, offset, size, value); }

  private readCpu(cpu: number, offset: number, size: AccessSize): number {
    const word = offset & ~3;
    let r: number;
    if (word < WDOG) r = this.timers[cpu].read(word);
    else if (word < WDOG_RESET_STATUS) r = this.wdogs[cpu].read(word - WDOG);
    else if (word === WDOG_RESET_STATUS || word === WDOG_DISABLE) r = 0;
    else {
      warnOnce(this.ctx, this.warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
      r = 0;
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  private writeCpu(cpu: number, offset: number, _size: AccessSize, value: number): void {
    const word = offset & ~3;
    value >>>= 0;
    if (word < WDOG) this.timers[cpu].write(word, value, 0xff07);
    else if (word < WDOG_RESET_STATUS) this.wdogs[cpu].write(word - WDOG, value, 0xff0f);
    else if (word === WDOG_RESET_STATUS || word === WDOG_DISABLE) return;
    else warnOnce(this.ctx, this.warned, `w${offset}`, `write to unmodelled offset 0x${offset.toString(16)} ignored`);
  }
}

export const a9PrivateTimerType: DeviceType = {
  compatible: ['arm,cortex-a9-twd-timer'],
  description: 'Cortex-A9 MPCore private timer + watchdog, banked per CPU (PPI 29/30)',
  create: (ctx) => new A9PrivateTimer(ctx),
};
