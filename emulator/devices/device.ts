// The contract between device models and the machine: how a model is built from its
// device-tree node, how it raises interrupts, reads virtual time and emits output.
// Device models are looked up by DTS `compatible` in registry.ts.
import type { Clock } from '../clock';
import type { AccessSize, AddressSpace, Memory, MmioDevice } from '../bus';
import type { TraceEvent } from '../trace';

/** An interrupt input (an NVIC line, or any other interrupt controller's input). */
export interface IrqLine {
  /** Level-sensitive: drive the line high (true) or low (false). */
  set(level: boolean): void;
  /** Edge: a single pulse (the line goes high then low at once). */
  pulse(): void;
}

export const NO_IRQ: IrqLine = { set() {}, pulse() {} };

/** A property value the model may read, already decoded from the device tree. */
export interface DeviceProps {
  /** u32 cells of a property, or undefined. */
  cells(name: string): number[] | undefined;
  u32(name: string, dflt?: number): number | undefined;
  string(name: string): string | undefined;
  has(name: string): boolean;
}

export interface DeviceContext {
  /** Instance name (node name with unit address, e.g. 'uart@40004000'). */
  readonly name: string;
  readonly clock: Clock;
  readonly props: DeviceProps;
  /** The n-th entry of the node's `interrupts` (NO_IRQ if absent). */
  irq(index: number): IrqLine;
  /** Bytes a device emits to the outside world (UART TX). `stream` is the device name. */
  output(stream: string, bytes: Uint8Array): void;
  /** A one-line diagnostic (unmodelled register, bad configuration). Models warn once per cause. */
  warn(message: string): void;
  /** Request from a device to reset the whole system (e.g. SCC/AIRCR). */
  requestReset(): void;
  /** Bus-master access through the view of the core this device belongs to (DMA, bit-band). May throw BusError. */
  readonly memory?: GuestMemory;
  /** The n-th entry of `interrupts` as wired for core `core` (per-CPU interrupts such as GIC PPIs). */
  cpuIrq?(index: number, core: number): IrqLine;
  /** Control over the machine's cores, for system controllers (CPUWAIT, SRC, INITSVTOR). */
  readonly cpus?: CpuControl;
  /** True while someone listens to trace events: build an event only then. */
  readonly tracing: boolean;
  /** Emit a trace event (doorbells etc.); a no-op when nobody listens. */
  trace(e: TraceEvent): void;
}

export interface CpuControl {
  readonly count: number;
  /** Hold a core (in reset or waiting) or release it. Releasing resets the core (it fetches its vectors then) and emits a reset-release trace event. */
  setHeld(index: number, held: boolean): void;
  /** The vector table address the core reads at its next reset (AN521 INITSVTOR0/1). */
  setInitialVtor(index: number, addr: number): void;
  /** Reset one core (it reads its vector table again). */
  resetCore(index: number): void;
  /** Reset core `index` and start it at `entry` (bit 0 selects Thumb) with `r0` in R0, as PSCI CPU_ON / QEMU arm_set_cpu_on. */
  powerOn?(index: number, entry: number, r0: number): void;
}

/** What an MPC is given for each memory node that names it with `tandem,mpc`. */
export interface GatedMemory {
  mem: Memory;
  base: number;
  aliases: number[];
  /** Every core's address space; the MPC keeps their page mappings in step with its LUT. */
  spaces: AddressSpace[];
}

/** Word/byte access to guest memory for bus-master devices. */
export interface GuestMemory {
  read8(addr: number): number;
  read32(addr: number): number;
  write8(addr: number, value: number): void;
  write32(addr: number, value: number): void;
}

/** A device model instance. `size` is the length of its MMIO window. */
export interface DeviceModel extends MmioDevice {
  readonly size?: number;
  /** Called on system reset, after construction. */
  reset?(): void;
  /** Input bytes (UART RX), for devices that take input. */
  input?(bytes: Uint8Array): void;
  /**
   * A peripheral protection controller: wrap `inner` (mapped at `mappedAt`) so that
   * accesses go through PPC slot `index`. Nodes name it with `tandem,ppc = <&ppc INDEX>`.
   */
  gate?(index: number, inner: MmioDevice, mappedAt: number, name: string): MmioDevice;
  /** A memory protection controller: take charge of this memory's mappings (`tandem,mpc = <&mpc>`). */
  attachMemory?(m: GatedMemory): void;
  /** An implementation-defined attribution unit (ARMv8-M IDAU), handed to every core. */
  readonly idau?: unknown;
  /**
   * Banked registers: the view core `core` sees of the node's `reg` entry `region`
   * (GIC distributor/CPU interface, MPCore timers). The machine maps this instead of the model.
   */
  mmioFor?(core: number, region: number): MmioDevice | undefined;
  /** An interrupt controller: the input named by a consumer's `interrupts` cells (per-CPU ones on `core`). */
  interruptInput?(cells: readonly number[], core: number): IrqLine | undefined;
  /** An interrupt controller that drives the IRQ and FIQ inputs of core `core`. */
  connectCpu?(core: number, irq: IrqLine, fiq: IrqLine): void;
}

export type DeviceFactory = (ctx: DeviceContext) => DeviceModel;

export interface DeviceType {
  /** DTS `compatible` strings this model answers to. */
  readonly compatible: readonly string[];
  readonly description: string;
  readonly create: DeviceFactory;
}

/** Helper for models: warn once per distinct key. */
export function warnOnce(ctx: DeviceContext, seen: Set<string>, key: string, message: string): void {
  if (seen.has(key)) return;
  seen.add(key);
  ctx.warn(message);
}

export type { AccessSize };
