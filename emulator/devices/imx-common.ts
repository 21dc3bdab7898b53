// Pieces the i.MX6 peripheral models share: the warnings for unmodelled offsets, a level
// interrupt output that only toggles on change, the ipg clock rates from the board file,
// a counter computed lazily from the virtual clock (EPIT, GPT), and a plain word register
// file with byte-lane merging (CCM, CCM analog).
import type { AccessSize } from '../bus';
import type { ClockEvent } from '../clock';
import { type DeviceContext, type IrqLine, warnOnce } from './device';
import { TickClock, truncate } from './apb-common';

/** Warn once about a read of an offset the model does not implement; the read returns 0. */
export function unmodelledRead(ctx: DeviceContext, warned: Set<string>, offset: number): number {
  warnOnce(ctx, warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
  return 0;
}

/** Warn once about a write to an offset the model does not implement; the write is dropped. */
export function unmodelledWrite(ctx: DeviceContext, warned: Set<string>, offset: number): void {
  warnOnce(ctx, warned, `w${offset}`, `write to unmodelled offset 0x${offset.toString(16)} ignored`);
}

/** A level-sensitive output that drives its line only when the level changes. */
export class LevelIrq {
  private level = false;
  constructor(private readonly line: IrqLine) {}
  set(level: boolean): void {
    if (level !== this.level) { this.level = level; this.line.set(level); }
  }
}

/** The timers' clock inputs: [off, ipg_clk, ipg_clk_highfreq] from the board's `fsl,ipg-hz` / `fsl,ipg-highfreq-hz`. */
export function ipgRates(ctx: DeviceContext): [number, number, number] {
  const ipg = ctx.props.u32('fsl,ipg-hz', 66_000_000) ?? 66_000_000;
  return [0, ipg, ctx.props.u32('fsl,ipg-highfreq-hz', ipg) ?? ipg];
}

/**
 * A timer counter that is not stepped but worked out from the virtual clock: while running
 * it stands at `originCount` plus (or minus) the ticks since `originCycle`; while stopped it
 * holds `frozen`. The owner turns ticks into a count (up or down, with its own wrap) and
 * arms the one clock event for the next compare or wrap.
 */
export class LazyCounter {
  running = false;
  originCycle = 0;
  originCount = 0;
  frozen: number;
  private ticks: TickClock;
  private readonly ev: ClockEvent;

  constructor(private readonly ctx: DeviceContext, hz: number, frozen: number, onEvent: () => void) {
    this.frozen = frozen;
    this.ticks = new TickClock(ctx.clock, hz);
    this.ev = ctx.clock.event(onEvent);
  }

  /** Whole ticks since the counter (re)started. */
  elapsed(): number { return this.ticks.ticksSince(this.originCycle); }

  /** Count from `from` at `hz` ticks per second; with no clock (hz <= 0) it holds `from` instead. Returns whether it runs. */
  start(from: number, hz: number): boolean {
    this.ctx.clock.cancel(this.ev);
    if (hz <= 0) { this.running = false; this.frozen = from >>> 0; return false; }
    this.ticks = new TickClock(this.ctx.clock, hz);
    this.running = true;
    this.originCycle = this.ctx.clock.now;
    this.originCount = from >>> 0;
    return true;
  }

  /** Stop and hold `current` (the owner's count() just before). */
  stop(current: number): void {
    if (!this.running) return;
    this.frozen = current;
    this.running = false;
    this.ctx.clock.cancel(this.ev);
  }

  /** Stopped, holding `value`, with nothing scheduled (reset). */
  hold(value: number): void {
    this.running = false;
    this.frozen = value;
    this.ctx.clock.cancel(this.ev);
  }

  /** Fire the event when `tick` ticks have passed since the origin. */
  scheduleAt(tick: number): void { this.ctx.clock.schedule(this.ev, this.ticks.cycleAfter(this.originCycle, tick)); }

  cancel(): void { this.ctx.clock.cancel(this.ev); }
}

/** A narrow write replaces only its byte lanes of the word. */
export function mergeLane(old: number, offset: number, size: AccessSize, value: number): number {
  if (size === 4) return value >>> 0;
  const shift = (offset & 3) * 8;
  const mask = (size === 2 ? 0xffff : 0xff) << shift;
  return ((old & ~mask) | ((value << shift) & mask)) >>> 0;
}

/**
 * Word registers from offset 0 with reset values, each storing what is written (QEMU 7.2's
 * imx6_ccm regions do no more); offsets past the table warn. Subclasses may redirect words.
 */
export abstract class WordRegisterFile {
  readonly name: string;
  protected readonly regs: Uint32Array;
  private readonly warned = new Set<string>();

  constructor(protected readonly ctx: DeviceContext, protected readonly resetValues: readonly number[]) {
    this.name = ctx.name;
    this.regs = new Uint32Array(resetValues.length);
    this.reset();
  }

  reset(): void { this.regs.set(this.resetValues); }

  /** The storage word that word index `i` reads. */
  protected source(i: number): number { return i; }

  /** Store a write to word index `i` (in range). */
  protected store(i: number, offset: number, size: AccessSize, value: number): void {
    this.regs[i] = mergeLane(this.regs[i], offset, size, value);
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    const i = offset >> 2;
    if (i >= this.regs.length) return unmodelledRead(this.ctx, this.warned, offset);
    return truncate(this.regs[this.source(i)] >>> ((offset & 3) * 8), size);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    const i = offset >> 2;
    if (i >= this.regs.length) { unmodelledWrite(this.ctx, this.warned, offset); return; }
    this.store(i, offset, size, value);
  }
}
