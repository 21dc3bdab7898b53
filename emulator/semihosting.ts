// Arm semihosting (BKPT 0xAB on M-profile; "Semihosting for AArch32 and AArch64",
// release 2.0) with the console, the feature file and the calls newlib's rdimon uses.
// Guest files are not mapped onto the host: only ":tt" and ":semihosting-features"
// can be opened. Time comes from the virtual clock, never from the host.
import type { CortexM } from './cores/armv7m/cpu';
/** What semihosting reads of a core: registers, the clock and its bus (CortexM and CortexA9 both fit). */
export type SemihostingCpu = Pick<CortexM, 'r' | 'clock' | 'curPc' | 'bus'>;
import { ATTR_DEBUG } from './bus';

export const SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
  SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0a, SYS_FLEN = 0x0c,
  SYS_TMPNAM = 0x0d, SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f, SYS_CLOCK = 0x10, SYS_TIME = 0x11,
  SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15, SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18,
  SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31;

const ADP_STOPPED_APPLICATION_EXIT = 0x20026;
const EBADF = 9, ENOENT = 2, EINVAL = 22, ENOSYS = 38, EFAULT = 14;
/** Bytes in ":semihosting-features": magic "SHFB", then EXIT_EXTENDED | STDOUT_STDERR. */
const FEATURES = Uint8Array.of(0x53, 0x48, 0x46, 0x42, 0x03);
/** Longest guest string or buffer we copy in one call (guards against wild pointers). */
const MAX_XFER = 1 << 24;

type Handle = { kind: 'stdin' | 'stdout' | 'stderr' } | { kind: 'features'; pos: number };

export interface SemihostingOptions {
  /** Console output (everything the guest writes to ":tt" or with WRITEC/WRITE0). */
  write(bytes: Uint8Array): void;
  /** Console input for READ/READC; undefined or exhausted means end of file. */
  stdin?: Uint8Array;
  /** The command line returned by GET_CMDLINE. */
  cmdline: string;
  /** HEAPINFO answer: [heap base, heap limit, stack base, stack limit]. */
  heapInfo(cpu: SemihostingCpu): [number, number, number, number];
  /** Called for EXIT/EXIT_EXTENDED with the process exit status. */
  exit(code: number): void;
  /** Unknown operation: a diagnostic. */
  warn?(message: string): void;
}

export class Semihosting {
  private handles = new Map<number, Handle>();
  private nextHandle = 1;
  private errno = 0;
  private stdinPos = 0;

  constructor(private readonly opts: SemihostingOptions) {}

  /** Handle one call: operation in r0, parameter in r1, result to r0. */
  call(cpu: SemihostingCpu): void {
    const op = cpu.r[0] >>> 0;
    const arg = cpu.r[1] >>> 0;
    try {
      const result = this.dispatch(cpu, op, arg);
      if (result !== undefined) cpu.r[0] = result;
    } catch (e) {
      if (e instanceof GuestPointerError) { this.errno = EFAULT; cpu.r[0] = -1; return; }
      throw e;
    }
  }

  private dispatch(cpu: SemihostingCpu, op: number, arg: number): number | undefined {
    const word = (i: number) => this.read32(cpu, arg + 4 * i);
    switch (op) {
      case SYS_OPEN: {
        const name = this.readString(cpu, word(0), word(2));
        const mode = word(1);
        let h: Handle;
        if (name === ':tt') h = { kind: mode < 4 ? 'stdin' : mode < 8 ? 'stdout' : 'stderr' };
        else if (name === ':semihosting-features') {
          if (mode >= 4) { this.errno = EINVAL; return -1; }
          h = { kind: 'features', pos: 0 };
        } else { this.errno = ENOENT; return -1; }
        const n = this.nextHandle++;
        this.handles.set(n, h);
        return n;
      }
      case SYS_CLOSE: {
        if (!this.handles.delete(word(0))) { this.errno = EBADF; return -1; }
        return 0;
      }
      case SYS_WRITEC: this.opts.write(Uint8Array.of(this.read8(cpu, arg))); return undefined;
      case SYS_WRITE0: {
        const bytes: number[] = [];
        for (let a = arg; bytes.length < MAX_XFER; a++) {
          const b = this.read8(cpu, a);
          if (b === 0) break;
          bytes.push(b);
        }
        this.opts.write(Uint8Array.from(bytes));
        return undefined;
      }
      case SYS_WRITE: {
        const h = this.handles.get(word(0));
        const buf = word(1), len = word(2);
        if (h === undefined || h.kind === 'stdin' || h.kind === 'features') { this.errno = EBADF; return -1; }
        this.opts.write(this.readBytes(cpu, buf, len));
        return 0; // bytes NOT written
      }
      case SYS_READ: {
        const h = this.handles.get(word(0));
        const buf = word(1), len = word(2);
        if (h === undefined) { this.errno = EBADF; return -1; }
        let src: Uint8Array;
        if (h.kind === 'features') {
          src = FEATURES.subarray(h.pos, h.pos + len);
          h.pos += src.length;
        } else if (h.kind === 'stdin') {
          const input = this.opts.stdin ?? new Uint8Array(0);
          src = input.subarray(this.stdinPos, this.stdinPos + len);
          this.stdinPos += src.length;
        } else { this.errno = EBADF; return -1; }
        this.writeBytes(cpu, buf, src);
        return len - src.length; // bytes NOT read
      }
      case SYS_READC: {
        const input = this.opts.stdin ?? new Uint8Array(0);
        if (this.stdinPos >= input.length) return -1;
        return input[this.stdinPos++];
      }
      case SYS_ISERROR: return (word(0) | 0) < 0 ? 1 : 0;
      case SYS_ISTTY: {
        const h = this.handles.get(word(0));
        if (h === undefined) { this.errno = EBADF; return 0; }
        return h.kind === 'features' ? 0 : 1;
      }
      case SYS_SEEK: {
        const h = this.handles.get(word(0));
        if (h === undefined) { this.errno = EBADF; return -1; }
        if (h.kind !== 'features') { this.errno = EINVAL; return -1; }
        h.pos = Math.min(word(1), FEATURES.length);
        return 0;
      }
      case SYS_FLEN: {
        const h = this.handles.get(word(0));
        if (h === undefined) { this.errno = EBADF; return -1; }
        return h.kind === 'features' ? FEATURES.length : 0;
      }
      case SYS_TMPNAM: case SYS_REMOVE: case SYS_RENAME: case SYS_SYSTEM:
        this.errno = ENOSYS; return -1;
      case SYS_CLOCK: return Math.floor((cpu.clock.now * 100) / cpu.clock.hz) | 0; // centiseconds of virtual time
      case SYS_TIME: return 0; // deterministic: the epoch (the emulator never reads the host clock)
      case SYS_ERRNO: return this.errno;
      case SYS_GET_CMDLINE: {
        const buf = word(0), size = word(1);
        const bytes = new TextEncoder().encode(this.opts.cmdline);
        if (bytes.length + 1 > size) { this.errno = EINVAL; return -1; }
        const out = new Uint8Array(bytes.length + 1);
        out.set(bytes);
        this.writeBytes(cpu, buf, out);
        this.write32(cpu, arg + 4, bytes.length);
        return 0;
      }
      case SYS_HEAPINFO: {
        const block = word(0);
        const info = this.opts.heapInfo(cpu);
        for (let i = 0; i < 4; i++) this.write32(cpu, block + 4 * i, info[i]);
        return 0;
      }
      case SYS_EXIT: {
        // AArch32: r1 is the reason itself; only ApplicationExit is success.
        this.opts.exit(arg === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
        return undefined;
      }
      case SYS_EXIT_EXTENDED: {
        this.opts.exit(word(0) === ADP_STOPPED_APPLICATION_EXIT ? word(1) | 0 : 1);
        return undefined;
      }
      case SYS_ELAPSED: {
        const t = cpu.clock.now;
        this.write32(cpu, arg, t % 0x100000000);
        this.write32(cpu, arg + 4, Math.floor(t / 0x100000000));
        return 0;
      }
      case SYS_TICKFREQ: return cpu.clock.hz;
      default:
        this.opts.warn?.(`semihosting: unsupported operation 0x${op.toString(16)} at pc 0x${(cpu.curPc >>> 0).toString(16)}`);
        this.errno = ENOSYS;
        return -1;
    }
  }

  // Guest memory through the debug path: a wild pointer is an error for this call, not a fault in the guest.
  private read8(cpu: SemihostingCpu, a: number): number {
    try { return cpu.bus.read8(a >>> 0, ATTR_DEBUG); } catch { throw new GuestPointerError(a); }
  }
  private read32(cpu: SemihostingCpu, a: number): number {
    try { return cpu.bus.read32(a >>> 0, ATTR_DEBUG); } catch { throw new GuestPointerError(a); }
  }
  private write32(cpu: SemihostingCpu, a: number, v: number): void {
    try { cpu.bus.write32(a >>> 0, v, ATTR_DEBUG); } catch { throw new GuestPointerError(a); }
  }
  private readBytes(cpu: SemihostingCpu, a: number, len: number): Uint8Array {
    if (len > MAX_XFER) throw new GuestPointerError(a);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = this.read8(cpu, a + i);
    return out;
  }
  private writeBytes(cpu: SemihostingCpu, a: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      try { cpu.bus.write8((a + i) >>> 0, bytes[i], ATTR_DEBUG); } catch { throw new GuestPointerError(a + i); }
    }
  }
  private readString(cpu: SemihostingCpu, a: number, len: number): string {
    return new TextDecoder().decode(this.readBytes(cpu, a, Math.min(len, 4096)));
  }
}

class GuestPointerError extends Error {
  constructor(readonly address: number) { super(`semihosting: bad guest pointer 0x${(address >>> 0).toString(16)}`); }
}
