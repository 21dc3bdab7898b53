// Cortex-A9 MPCore global timer (Cortex-A9 MPCore TRM r4p1 §4.3): one 64-bit up-counter
// shared by all CPUs, clocked by PERIPHCLK / (prescaler + 1) while enabled, and a banked
// comparator, control and auto-increment per CPU raising PPI 27 on that CPU when the
// counter reaches the comparator. The counter is computed from the virtual clock.
import type { AccessSize, MmioDevice } from '../bus';
import type { ClockEvent } from '../clock';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, NO_IRQ, warnOnce } from './device';
import { TickClock, truncate } from './apb-common';

const COUNTER_LO = 0x00;
const COUNTER_HI = 0x04;
const CONTROL = 0x08;
const ISR = 0x0c;
const COMPARATOR_LO = 0x10;
const COMPARATOR_HI = 0x14;
const AUTO_INCREMENT = 0x18;

const CTRL_TIMER_ENABLE = 1 << 0;
const CTRL_COMP_ENABLE = 1 << 1;
const CTRL_IRQ_ENABLE = 1 << 2;
const CTRL_AUTO_INCREMENT = 1 << 3;
/** Bits that are banked per CPU; the timer enable and prescaler are shared. */
const CTRL_BANKED = CTRL_COMP_ENABLE | CTRL_IRQ_ENABLE | CTRL_AUTO_INCREMENT;
const TWO32 = 0x100000000;

interface PerCpu { control: number; isr: number; comparator: number; autoInc: number; level: boolean; irq: IrqLine; ev: ClockEvent }

export class A9GlobalTimer implements DeviceModel {
  readonly size = 0x100;
  readonly name: string;
  private enabled = false;
  private prescaler = 0;
  private reserved = 0;
  /** Counter at `originCycle` (while enabled) or the held value. */
  private base = 0;
  private originCycle = 0;
  private ticks: TickClock;
  private readonly baseHz: number;
  private readonly cpus: PerCpu[] = [];
  private readonly views: MmioDevice[] = [];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.baseHz = ctx.props.u32('clock-frequency', 100_000_000) ?? 100_000_000;
    this.ticks = new TickClock(ctx.clock, this.baseHz);
    const n = ctx.cpus?.count ?? 1;
    for (let c = 0; c < n; c++) {
      const p: PerCpu = {
        control: 0, isr: 0, comparator: 0, autoInc: 0, level: false,
        irq: ctx.cpuIrq?.(0, c) ?? (c === 0 ? ctx.irq(0) : NO_IRQ),
        ev: ctx.clock.event(() => this.compare(c)),
      };
      this.cpus.push(p);
      this.views.push({ name: `${this.name} cpu${c}`, read: (o, s) => this.readCpu(c, o, s), write: (o, s, v) => this.writeCpu(c, o, s, v) });
    }
  }

  reset(): void {
    this.enabled = false; this.prescaler = 0; this.base = 0; this.reserved = 0;
    for (const p of this.cpus) {
      p.control = 0; p.isr = 0; p.comparator = 0; p.autoInc = 0;
      this.ctx.clock.cancel(p.ev);
      this.drive(p);
    }
  }

  mmioFor(core: number, region: number): MmioDevice | undefined { return region === 0 ? this.views[core] : undefined; }
  read(offset: number, size: AccessSize): number { return this.readCpu(0, offset, size); }
  write(offset: number, size: AccessSize, value: number): void { this.writeCpu(0, offset, size, value); }

  /** The 64-bit count (exact while below 2^53 ticks). */
  private count(): number {
    return this.enabled ? this.base + this.ticks.ticksSince(this.originCycle) : this.base;
  }

  private rebase(): void {
    this.base = this.count();
    this.originCycle = this.ctx.clock.now;
  }

  private readCpu(cpu: number, offset: number, size: AccessSize): number {
    const p = this.cpus[cpu];
    let r: number;
    switch (offset & ~3) {
      case COUNTER_LO: r = this.count() % TWO32; break;
      case COUNTER_HI: r = Math.floor(this.count() / TWO32) >>> 0; break;
      case CONTROL: r = this.reserved | (this.prescaler << 8) | p.control | (this.enabled ? CTRL_TIMER_ENABLE : 0); break;
      case ISR: r = p.isr; break;
      case COMPARATOR_LO: r = p.comparator % TWO32; break;
      case COMPARATOR_HI: r = Math.floor(p.comparator / TWO32) >>> 0; break;
      case AUTO_INCREMENT: r = p.autoInc; break;
      default:
        warnOnce(this.ctx, this.warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  private writeCpu(cpu: number, offset: number, _size: AccessSize, value: number): void {
    const p = this.cpus[cpu];
    value >>>= 0;
    switch (offset & ~3) {
      case COUNTER_LO: case COUNTER_HI: {
        // The counter is writable only while the timer is disabled (TRM §4.4.1).
        if (this.enabled) return;
        const hi = Math.floor(this.base / TWO32);
        const lo = this.base % TWO32;
        this.base = (offset & ~3) === COUNTER_LO ? hi * TWO32 + value : value * TWO32 + lo;
        break;
      }
      case CONTROL: {
        this.rebase();
        this.enabled = (value & CTRL_TIMER_ENABLE) !== 0;
        const presc = (value >>> 8) & 0xff;
        if (presc !== this.prescaler) { this.prescaler = presc; this.ticks = new TickClock(this.ctx.clock, this.baseHz / (presc + 1)); }
        p.control = value & CTRL_BANKED;
        // QEMU 7.2 reads back the reserved bits as written; keep them (shared, like the enable).
        this.reserved = value & ~(CTRL_BANKED | CTRL_TIMER_ENABLE | 0xff00);
        break;
      }
      case ISR: if ((value & 1) !== 0) p.isr = 0; break;
      case COMPARATOR_LO: p.comparator = Math.floor(p.comparator / TWO32) * TWO32 + value; break;
      case COMPARATOR_HI: p.comparator = value * TWO32 + (p.comparator % TWO32); break;
      case AUTO_INCREMENT: p.autoInc = value; break;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `write to unmodelled offset 0x${offset.toString(16)} ignored`);
        return;
    }
    for (let c = 0; c < this.cpus.length; c++) this.arm(c);
    this.drive(p);
  }

  /** Schedule CPU `cpu`'s comparator match, or latch it now when the counter is already there. */
  private arm(cpu: number): void {
    const p = this.cpus[cpu];
    this.ctx.clock.cancel(p.ev);
    if (!this.enabled || (p.control & CTRL_COMP_ENABLE) === 0) return;
    const now = this.count();
    if (now >= p.comparator) { this.ctx.clock.schedule(p.ev, this.ctx.clock.now); return; }
    const k = this.ticks.ticksSince(this.originCycle);
    this.ctx.clock.schedule(p.ev, this.ticks.cycleAfter(this.originCycle, k + (p.comparator - now)));
  }

  private compare(cpu: number): void {
    const p = this.cpus[cpu];
    p.isr = 1;
    if ((p.control & CTRL_AUTO_INCREMENT) !== 0 && p.autoInc !== 0) {
      p.comparator += p.autoInc;
      this.arm(cpu);
    }
    this.drive(p);
  }

  private drive(p: PerCpu): void {
    const l = p.isr !== 0 && (p.control & CTRL_IRQ_ENABLE) !== 0;
    if (l !== p.level) { p.level = l; p.irq.set(l); }
  }
}

export const a9GlobalTimerType: DeviceType = {
  compatible: ['arm,cortex-a9-global-timer'],
  description: 'Cortex-A9 MPCore global timer: shared 64-bit counter, banked comparators (PPI 27)',
  create: (ctx) => new A9GlobalTimer(ctx),
};
