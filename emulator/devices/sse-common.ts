// Glue shared by the Arm SSE-200 (AN521) models: the optional multi-core and trace parts
// of DeviceContext they use, a per-machine directory so that two DTS nodes of one
// hardware block can find each other (the security controller's S and NS register
// frames, the MPCs reporting to SECMPCINTSTATUS), and IRQ fan-out to every core.
import type { Clock } from '../clock';
import type { TraceEvent } from '../trace';
import type { DeviceContext, IrqLine } from './device';

/** The multi-core controls a system-control model needs (CPUWAIT, INITSVTORn). */
export interface CpuControl {
  readonly count: number;
  setHeld(index: number, held: boolean): void;
  setInitialVtor(index: number, addr: number): void;
  resetCore(index: number): void;
}

/** DeviceContext with the multi-core and trace members the machine may provide. */
export type SseContext = DeviceContext & {
  readonly cpus?: CpuControl;
  readonly tracing?: boolean;
  trace?(e: TraceEvent): void;
};

/** The IDAU answer for one address (the shape the M33 core's SAU/IDAU logic consumes). */
export interface IdauResult {
  secure: boolean;
  nsc: boolean;
  exempt: boolean;
  region: number;
  regionValid: boolean;
}

export interface Idau {
  lookup(addr: number): IdauResult;
  /** Register a listener called after the answers change (an NSCCFG write), so cores drop cached attributions. */
  onChange?(listener: () => void): void;
}

/**
 * Models of one machine, by instance name. Keyed by the machine's Clock (one per
 * machine), so two machines in one process never see each other's models.
 */
const directories = new WeakMap<Clock, Map<string, unknown>>();

export function publish(ctx: DeviceContext, model: unknown): void {
  let d = directories.get(ctx.clock);
  if (d === undefined) directories.set(ctx.clock, (d = new Map()));
  d.set(ctx.name, model);
}

/** Look up a model another node published; undefined until that node is built. */
export function lookup(clock: Clock, name: string): unknown {
  return directories.get(clock)?.get(name);
}

/**
 * All IRQ lines of a node that carries one interrupt wired to every core
 * (`interrupts-extended = <&nvic0 N &nvic1 N>`, or one `interrupts` entry).
 */
export function fanOut(ctx: DeviceContext, count: number): IrqLine {
  const lines: IrqLine[] = [];
  for (let i = 0; i < count; i++) lines.push(ctx.irq(i));
  return {
    set(level: boolean) { for (const l of lines) l.set(level); },
    pulse() { for (const l of lines) l.pulse(); },
  };
}

/** Number of entries in a node's interrupts / interrupts-extended (one or two cells each). */
export function irqCount(ctx: DeviceContext): number {
  const ext = ctx.props.cells('interrupts-extended');
  if (ext !== undefined) return Math.max(1, ext.length >> 1);
  return Math.max(1, ctx.props.cells('interrupts')?.length ?? 1);
}

export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}
