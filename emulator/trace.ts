// Trace events: what the machine tells a debugger about transitions it cannot see
// from registers alone — world switches, faults, cores released from reset, doorbells.
// Emitters test `trace !== null` first, so a machine nobody listens to pays one compare.

export type World = 'secure' | 'non-secure';

/** How a core crossed between security states (ARMv8-M). */
/** How the world changed: M-profile SG/BXNS/BLXNS/FNC_RETURN, A-profile SMC into monitor mode, or any exception entry/return. */
export type WorldSwitchKind = 'sg' | 'bxns' | 'blxns' | 'fnc-return' | 'smc' | 'exception-entry' | 'exception-return';

export type TraceEvent =
  | { kind: 'world-switch'; core: number; how: WorldSwitchKind; from: World; to: World;
      /** Address of the instruction that caused the switch (for exceptions: the preempted/returning PC). */
      insnAddr: number; fromPc: number; toPc: number; cycle: number }
  | { kind: 'fault'; core: number; exception: number; name: string; cause: string;
      cfsr: number; hfsr: number; sfsr: number; address?: number; pc: number; cycle: number }
  | { kind: 'reset-release'; core: number; pc: number; cycle: number }
  | { kind: 'doorbell'; device: string; from: number; to: number; channel: number; value: number; cycle: number };

export type TraceListener = (e: TraceEvent) => void;

export class TraceBus {
  private readonly listeners = new Set<TraceListener>();
  /** Called when the first listener arrives or the last leaves, so emitters can arm or disarm. */
  onActiveChange: ((active: boolean) => void) | null = null;
  get active(): boolean { return this.listeners.size > 0; }
  subscribe(fn: TraceListener): () => void {
    this.listeners.add(fn);
    if (this.listeners.size === 1) this.onActiveChange?.(true);
    return () => {
      if (this.listeners.delete(fn) && this.listeners.size === 0) this.onActiveChange?.(false);
    };
  }
  emit(e: TraceEvent): void { for (const l of this.listeners) l(e); }
}
