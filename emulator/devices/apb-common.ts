// Helpers shared by the APB peripheral models: access-size truncation, the CoreSight
// style PID/CID block at 0xFD0-0xFFF, and a clock-frequency → cycle converter.
// QEMU 7.2's models index the ID table by (offset - 0xFD0) / 4 for any offset in the
// range, so a byte read at 0xFE1 returns PID0 too; we keep that quirk.
import type { Clock } from '../clock';
import type { AccessSize } from '../bus';
import type { DeviceContext } from './device';

export const ID_BASE = 0xfd0;
export const ID_END = 0x1000;

/** Truncate a register value to the width of the access (reads return only the bytes asked for). */
export function truncate(value: number, size: AccessSize): number {
  return size === 4 ? value >>> 0 : size === 2 ? value & 0xffff : value & 0xff;
}

/** PID4..PID7, PID0..PID3, CID0..CID3 lookup as QEMU does it. */
export function readId(ids: readonly number[], offset: number): number {
  return ids[(offset - ID_BASE) >> 2] ?? 0;
}

/** Reads the `clock-frequency` property; falls back to the core clock so 1 tick = 1 cycle. */
export function clockFrequency(ctx: DeviceContext): number {
  const hz = ctx.props.u32('clock-frequency');
  if (hz === undefined) return ctx.clock.hz;
  if (hz === 0) {
    ctx.warn(`${ctx.name}: clock-frequency = <0> is not usable; using the core clock (${ctx.clock.hz} Hz)`);
    return ctx.clock.hz;
  }
  return hz;
}

/**
 * Converts between a peripheral clock and core cycles without drift: tick counts are always
 * computed from an absolute origin, never accumulated, so repeated reads do not lose time.
 */
export class TickClock {
  constructor(readonly clock: Clock, readonly hz: number) {}
  /** Whole ticks of this clock between cycle `from` and now. */
  ticksSince(from: number): number {
    const cycles = this.clock.now - from;
    if (this.hz === this.clock.hz) return cycles;
    return Math.floor((cycles * this.hz) / this.clock.hz);
  }
  /** Cycle count at which `ticks` whole ticks have elapsed since cycle `from`. */
  cycleAfter(from: number, ticks: number): number {
    if (this.hz === this.clock.hz) return from + ticks;
    return from + Math.ceil((ticks * this.clock.hz) / this.hz);
  }
}
