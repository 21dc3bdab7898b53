// A DeviceContext for device specs: a real Clock, props from a plain object, IRQ lines
// that record their level and every change, and captured output and warnings.
import { Clock } from '../clock';
import type { DeviceContext, DeviceProps, IrqLine } from './device';
import type { TraceEvent } from '../trace';

export class RecordingIrq implements IrqLine {
  level = false;
  /** Cycle of each rising edge. */
  readonly rises: number[] = [];
  constructor(private readonly clock: Clock) {}
  set(level: boolean): void {
    if (level && !this.level) this.rises.push(this.clock.now);
    this.level = level;
  }
  pulse(): void { this.rises.push(this.clock.now); }
}

export interface TestContext extends DeviceContext {
  readonly irqs: RecordingIrq[];
  readonly out: number[];
  readonly warnings: string[];
  resets: number;
  /** Trace events the device emitted (tracing is on in tests). */
  readonly traces: TraceEvent[];
  /** Advance virtual time to `cycle` and fire due events. */
  advance(cycle: number): void;
}

export function testContext(props: Record<string, number | number[] | string> = {}, name = 'dev@0'): TestContext {
  const clock = new Clock(25_000_000);
  const irqs: RecordingIrq[] = [];
  const p: DeviceProps = {
    cells: (n) => { const v = props[n]; return typeof v === 'number' ? [v] : Array.isArray(v) ? v : undefined; },
    u32: (n, d) => { const v = props[n]; return typeof v === 'number' ? v : Array.isArray(v) ? v[0] : d; },
    string: (n) => { const v = props[n]; return typeof v === 'string' ? v : undefined; },
    has: (n) => n in props,
  };
  const ctx: TestContext = {
    name, clock, props: p, irqs, out: [], warnings: [], resets: 0, traces: [], tracing: true,
    trace(e) { ctx.traces.push(e); },
    irq(i) { while (irqs.length <= i) irqs.push(new RecordingIrq(clock)); return irqs[i]; },
    output(_s, bytes) { ctx.out.push(...bytes); },
    warn(m) { ctx.warnings.push(m); },
    requestReset() { ctx.resets++; },
    advance(cycle) { clock.now = cycle; clock.fireDue(); },
  };
  return ctx;
}
