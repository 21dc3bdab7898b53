// The one seam between the debug session and whatever runs the firmware: the built-in
// emulator (EmulatorTarget) or, later, QEMU/OpenOCD/J-Link over GDB remote. The session
// never touches the machine except through this interface, so it is asynchronous throughout.
import type { TraceEvent, World } from '../emulator/trace';

export type { TraceEvent, World };

/** Stable core index; the DAP thread id is derived from it. */
export type CoreId = number;

/** Architecture profile of a core: ARMv7-M (Cortex-M4) or ARMv8-M Mainline (Cortex-M33). */
export type CoreProfile = 'v7m' | 'v8m';

/**
 * What a core is doing. 'held': waiting at reset for a system controller (CPUWAIT);
 * 'running'/'halted' follow the all-stop machine; 'exited': the guest ended the run.
 */
export type CoreRunState = 'running' | 'halted' | 'held' | 'exited';

export interface CoreInfo {
  readonly id: CoreId;
  /** e.g. 'CPU0'. */
  readonly name: string;
  readonly profile: CoreProfile;
  /** Device-tree path of the core node (e.g. /cpus/cpu@0). */
  readonly node: string;
  readonly hasSecurity: boolean;
  readonly hasFpu: boolean;
  readonly state: CoreRunState;
  /** Asleep in WFI/WFE (still 'halted' or 'running' as the machine is). */
  readonly sleeping: boolean;
  readonly mode: 'Thread' | 'Handler';
  /** IPSR: 0 in Thread mode, else the exception number. */
  readonly exception: number;
  /** 'Thread', 'HardFault', 'SysTick', 'IRQ5'... */
  readonly exceptionName: string;
  /** Current security state; 'non-secure' on a core without the Security Extension. */
  readonly world: World;
  readonly privileged: boolean;
  readonly pc: number;
}

/** A memory or instruction address as seen through one core's view and security attribute. */
export interface QualifiedAddress {
  /** Undefined: the session's current core (else core 0). */
  readonly core?: CoreId;
  /** Undefined: the core's current security state. */
  readonly world?: World;
  readonly address: number;
}

/**
 * Register names accepted by readRegister/writeRegister (lower case):
 * r0-r12, sp, lr, pc, xpsr (also apsr, ipsr, epsr read-only views), msp, psp, control,
 * primask, basepri, faultmask, msplim, psplim — the current state's copies — and on a
 * core with the Security Extension the banked copies with an `_s` / `_ns` suffix
 * (msp_s, psp_ns, control_ns, primask_s, msplim_ns...). vtor is the SCB VTOR of the current
 * state (vtor_s / vtor_ns: each bank's). FP: s0-s31 (raw IEEE bits), fpscr.
 */
export type RegisterName = string;

export interface RegisterInfo {
  readonly name: RegisterName;
  /** 'core', 'special', 'banked', 'fp'. */
  readonly group: 'core' | 'special' | 'banked' | 'fp';
  /** Value as an unsigned 32-bit number (s registers: raw bits). */
  readonly value: number;
}

export interface BreakpointSpec {
  /** Instruction address (bit 0 ignored). */
  readonly address: number;
  /** Only this core; undefined: every core. */
  readonly core?: CoreId;
  /** Only while the core executes in this world; undefined: either. */
  readonly world?: World;
}

export type WatchAccess = 'read' | 'write' | 'readWrite';

export interface WatchpointSpec {
  readonly address: number;
  /** 1..4096 bytes; any access overlapping [address, address+size) matches. */
  readonly size: number;
  readonly access: WatchAccess;
  readonly core?: CoreId;
  readonly world?: World;
}

/** Stop on exception entry: faults by kind, and the machine's own transitions. */
export type ExceptionFilter =
  | 'hardfault' | 'memmanage' | 'busfault' | 'usagefault' | 'securefault' | 'any-fault'
  | 'world-switch' | 'reset-release';

export type StopReason =
  | 'breakpoint' | 'step' | 'pause' | 'entry' | 'exception' | 'data breakpoint'
  | 'world switch' | 'reset released'
  /** Every core is asleep and nothing can wake it. */
  | 'deadlock';

/** The decoded fault status of one core (ARM ARM B3.2.15-B3.2.18; ARMv8-M SFSR/SFAR). */
export interface FaultStatus {
  readonly cfsr: number;
  readonly hfsr: number;
  readonly mmfar: number;
  readonly bfar: number;
  /** ARMv8-M with the Security Extension only. */
  readonly sfsr?: number;
  readonly sfar?: number;
  /** Names of the set status bits, e.g. ['PRECISERR', 'BFARVALID', 'FORCED']. */
  readonly bits: readonly string[];
  /** One line for a user, e.g. 'BusFault (PRECISERR) at 0x40000000'. */
  readonly summary: string;
}

/** One SAU region as programmed (ARMv8-M ARM D1.2: SAU_RBAR.BADDR, SAU_RLAR.LADDR/NSC/ENABLE). */
export interface SauRegion {
  readonly index: number;
  /** First byte (RBAR.BADDR, 32-byte aligned). */
  readonly base: number;
  /** Last byte (RLAR.LADDR | 0x1f). */
  readonly limit: number;
  readonly enabled: boolean;
  /** Secure, Non-secure callable (RLAR.NSC); otherwise the region is Non-secure. */
  readonly nsc: boolean;
}

/** The security attribution of one address, as SecurityCheck()/TT compute it for a Secure data access. */
export interface Attribution {
  readonly address: number;
  /** 'exempt': outside attribution (the SCS, debug components); it takes the requester's state. */
  readonly kind: 'secure' | 'nsc' | 'non-secure' | 'exempt';
  /** The SAU region that matched (TT_RESP.SREGION with SRVALID). */
  readonly sauRegion?: number;
  /** The IDAU region that matched (TT_RESP.IREGION with IRVALID). */
  readonly idauRegion?: number;
}

/** The Security Extension state of one core (Target.readSecurity). */
export interface SecurityInfo {
  /** SAU_CTRL: bit 0 ENABLE, bit 1 ALLNS. */
  readonly sauCtrl: number;
  /** SAU_TYPE: SREGION in bits 7:0. */
  readonly sauType: number;
  readonly regions: readonly SauRegion[];
  /** The board has an IDAU (AN521: address bit 28 splits Secure from Non-secure). */
  readonly idau: boolean;
  /** SFSR and SFAR (Secure SCB, ARMv8-M D1.2). */
  readonly sfsr: number;
  readonly sfar: number;
  /** One per address asked for, in the same order. */
  readonly attributions: readonly Attribution[];
}

export interface WatchHit {
  readonly id: number;
  readonly access: 'read' | 'write';
  readonly address: number;
  readonly size: number;
  /** The value read or written (little-endian, size bytes). */
  readonly value: number;
  /** Address of the instruction that made the access. */
  readonly pc: number;
}

export interface FaultHit {
  readonly exception: number;
  /** 'HardFault', 'UsageFault', 'SecureFault', 'Lockup'... */
  readonly name: string;
  /** Decoded cause, e.g. 'UsageFault (UNDEFINSTR)'. */
  readonly cause: string;
  /** The faulting instruction. */
  readonly pc: number;
  readonly address?: number;
  readonly status: FaultStatus;
}

export interface StoppedEvent {
  readonly core: CoreId;
  readonly reason: StopReason;
  /** Short text for the UI ('Paused', 'UsageFault (UNDEFINSTR)', 'secure → non-secure (bxns)'). */
  readonly description: string;
  /** Ids of the breakpoints at the stop address (reason 'breakpoint'). */
  readonly hitBreakpoints?: readonly number[];
  readonly watch?: WatchHit;
  readonly fault?: FaultHit;
  /** The trace event behind a 'world switch' / 'reset released' stop. */
  readonly trace?: TraceEvent;
}

export interface TargetEvents {
  /** All-stop: every core is halted when this fires. */
  stopped: (e: StoppedEvent) => void;
  /** Guest output: stream is 'stdout' (console UART), 'semihosting', or a device name. */
  output: (stream: string, text: string) => void;
  trace: (e: TraceEvent) => void;
  /** The guest ended the run (semihosting exit); code null when unknown. */
  exited: (code: number | null) => void;
}

/** Error with a message fit for a user (names the address, register or core). */
export class TargetError extends Error {
  constructor(message: string) { super(message); this.name = 'TargetError'; }
}

export interface MemoryRead {
  /** The bytes read, possibly fewer than asked when an access failed. */
  readonly data: Uint8Array;
  /** Bytes after `data` that could not be read. */
  readonly unreadable: number;
}

/** One decoded instruction (see Target.decodeInstruction). */
export interface DecodedInstruction {
  size: 2 | 4;
  /** objdump-style text, or `.inst 0x... (undefined)` for an UNDEFINED encoding. */
  text: string;
  valid: boolean;
}

export interface Target {
  /** e.g. 'mps2-an521 (built-in emulator)'. */
  readonly description: string;
  cores(): Promise<readonly CoreInfo[]>;
  /** 'running' while any core runs; 'exited' once the guest ended the run. */
  readonly state: 'running' | 'halted' | 'exited';

  /** Resume every core. Resolves once running (not when it stops again). */
  run(): Promise<void>;
  /** Stop every core; resolves after the 'stopped' event (reason 'pause') was emitted. Halting a halted target is a no-op. */
  halt(): Promise<void>;
  /** One instruction on `core`, the others stay halted. Emits 'stopped' ('step', or why it stopped instead). */
  step(core: CoreId): Promise<StoppedEvent>;
  /**
   * Step `core` while its pc stays inside [start, end) and at most maxInsns instructions,
   * stopping early on breakpoints, watchpoints and filtered exceptions. Policy (step over
   * calls, into interrupts) stays with the session; this only makes a range step cheap.
   */
  stepRange?(core: CoreId, start: number, end: number, maxInsns?: number): Promise<StoppedEvent>;
  /** System reset: devices and cores; halted afterwards (stopped event 'entry'). */
  reset(): Promise<void>;

  /** Load an ELF's PT_LOAD segments through `core`'s view. Returns the entry point. */
  loadImage(core: CoreId, data: Uint8Array, file: string): Promise<{ entry: number }>;

  readRegister(core: CoreId, name: RegisterName): Promise<number>;
  writeRegister(core: CoreId, name: RegisterName, value: number): Promise<void>;
  /** Every register the core has, current values. */
  readRegisters(core: CoreId): Promise<readonly RegisterInfo[]>;

  /** Debugger access (privileged; no MPU checks) through a core's view. */
  readMemory(at: QualifiedAddress, length: number): Promise<MemoryRead>;
  /**
   * Decode one Thumb instruction as this core's architecture does (ARMv7-M or ARMv8-M), for
   * disassembly. hw2 is ignored for a 16-bit encoding; itCond is the enclosing IT slot's
   * condition, or -1. Synchronous: it needs no target state, only the core's profile.
   */
  decodeInstruction(core: CoreId, hw1: number, hw2: number, address: number, itCond: number): DecodedInstruction;
  /** Returns the number of bytes written; throws TargetError when none could be. */
  writeMemory(at: QualifiedAddress, data: Uint8Array): Promise<number>;

  addBreakpoint(spec: BreakpointSpec): Promise<number>;
  removeBreakpoint(id: number): Promise<void>;
  addWatchpoint(spec: WatchpointSpec): Promise<number>;
  removeWatchpoint(id: number): Promise<void>;
  setExceptionFilters(filters: readonly ExceptionFilter[]): Promise<void>;

  readFaultStatus(core: CoreId): Promise<FaultStatus>;
  /**
   * SAU configuration, SFSR/SFAR and the attribution of each of `addresses` (at most 65536) on a
   * core with the Security Extension; undefined on other cores. Optional: a target that cannot
   * read the SAU (a GDB remote) leaves it out and the session shows no Security scope.
   */
  readSecurity?(core: CoreId, addresses?: readonly number[]): Promise<SecurityInfo | undefined>;

  on<K extends keyof TargetEvents>(event: K, listener: TargetEvents[K]): () => void;
  dispose(): Promise<void>;
}
