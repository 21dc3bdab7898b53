// One core's view of the address space: 4 KiB pages that point either at a RAM/ROM
// frame (typed-array fast path, shared between aliases and between cores) or at an
// MMIO device found through a small region list. Frames also hold the decode cache,
// so a write through any alias invalidates the decoded code of that frame.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

/** Access attributes carried by every bus access (bitfield). */
export const ATTR_PRIV = 1;
export const ATTR_SECURE = 2;
export const ATTR_FETCH = 4;
export const ATTR_DEBUG = 8; // debugger access: no side effects, no faults raised in the core

export type AccessSize = 1 | 2 | 4;

/** A memory-mapped device. Offsets are relative to the mapped base. Values are unsigned. */
export interface MmioDevice {
  readonly name: string;
  /** True for a protection controller's window onto RAM (an MPC): loaders write through it (loadBytes). */
  readonly backsMemory?: boolean;
  read(offset: number, size: AccessSize, attrs: number): number;
  write(offset: number, size: AccessSize, value: number, attrs: number): void;
}

/** Thrown by the bus on an access that no slave answers (or that a device rejects). */
export class BusError extends Error {
  constructor(readonly address: number, readonly write: boolean, readonly detail = '') {
    super(`bus error: ${write ? 'write to' : 'read from'} 0x${(address >>> 0).toString(16).padStart(8, '0')}${detail ? ` (${detail})` : ''}`);
  }
}

/** A 4 KiB frame of RAM or ROM. Aliases map the same frame object at several page indices. */
export class Frame {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** Decoded instruction per halfword (opaque to the bus), or null when no code was decoded here. */
  code: unknown[] | null = null;
  /** Raw instruction word per halfword, parallel to `code`. */
  codeWords: Int32Array | null = null;
  /** Compiled blocks per halfword (opaque to the bus), or null. */
  blocks: Array<((cpu: never) => void) | undefined> | null = null;
  /** Interpreted executions per halfword, to find hot code worth compiling. */
  heat: Uint8Array | null = null;
  /** Forget everything decoded or compiled from this frame (its bytes changed). */
  invalidateCode(): void {
    this.code = null;
    this.codeWords = null;
    this.blocks = null;
    this.heat = null;
  }
  constructor(buf: ArrayBuffer, byteOffset: number, readonly writable: boolean, readonly region: string) {
    this.u8 = new Uint8Array(buf, byteOffset, PAGE_SIZE);
    this.u16 = new Uint16Array(buf, byteOffset, PAGE_SIZE >> 1);
    this.i32 = new Int32Array(buf, byteOffset, PAGE_SIZE >> 2);
  }
}

/** A block of RAM or ROM that one or more address spaces map (possibly at several addresses). */
export class Memory {
  readonly buffer: ArrayBuffer;
  readonly frames: Frame[];
  constructor(readonly name: string, readonly size: number, readonly writable = true) {
    if (size <= 0 || size % PAGE_SIZE !== 0) throw new Error(`memory '${name}': size 0x${size.toString(16)} must be a positive multiple of 4 KiB`);
    this.buffer = new ArrayBuffer(size);
    this.frames = [];
    for (let off = 0; off < size; off += PAGE_SIZE) this.frames.push(new Frame(this.buffer, off, writable, name));
  }
  get bytes(): Uint8Array { return new Uint8Array(this.buffer); }
}

interface DeviceMapping { base: number; end: number; dev: MmioDevice }

export class AddressSpace {
  /**
   * Indexed by address >>> 12. `new Array(n)` stays in fast (holey) elements in V8 at
   * this size (checked with %HasDictionaryElements); building it by push was 5x slower.
   */
  readonly frames: (Frame | undefined)[] = new Array(1 << (32 - PAGE_SHIFT));
  private devices: DeviceMapping[] = [];
  private lastDev: DeviceMapping | undefined;
  /** Called when a write lands in a frame that holds decoded code. */
  onCodeWrite: ((f: Frame) => void) | null = null;
  /**
   * Answers accesses that no memory or device claims, with the absolute address as the
   * offset (boards whose QEMU model ignores bus errors, like sabrelite). Null: BusError.
   */
  background: MmioDevice | null = null;

  constructor(readonly name: string) {}

  /** Map `mem` (or a window of it) at `base`. */
  mapMemory(base: number, mem: Memory, offset = 0, size = mem.size - offset): void {
    if ((base & PAGE_MASK) || (offset & PAGE_MASK) || (size & PAGE_MASK)) {
      throw new Error(`${this.name}: memory '${mem.name}' mapping at 0x${(base >>> 0).toString(16)} must be 4 KiB aligned`);
    }
    for (let i = 0; i < size; i += PAGE_SIZE) this.frames[((base + i) >>> 0) >>> PAGE_SHIFT] = mem.frames[(offset + i) >>> PAGE_SHIFT];
  }

  /** Remove RAM/ROM mappings (devices mapped underneath become visible again). */
  unmapMemory(base: number, size: number): void {
    if ((base & PAGE_MASK) || (size & PAGE_MASK)) throw new Error(`${this.name}: unmap at 0x${(base >>> 0).toString(16)} must be 4 KiB aligned`);
    for (let i = 0; i < size; i += PAGE_SIZE) this.frames[((base + i) >>> 0) >>> PAGE_SHIFT] = undefined;
  }

  mapDevice(base: number, size: number, dev: MmioDevice): void {
    const m = { base: base >>> 0, end: (base + size) >>> 0 || 0x100000000, dev };
    for (const d of this.devices) {
      if (m.base < d.end && d.base < m.end) throw new Error(`${this.name}: device '${dev.name}' at 0x${m.base.toString(16)} overlaps '${d.dev.name}' at 0x${d.base.toString(16)}`);
    }
    this.devices.push(m);
    this.devices.sort((a, b) => a.base - b.base);
  }

  /** The device mapped at `addr`, if any. */
  deviceAt(addr: number): { dev: MmioDevice; base: number } | undefined {
    const m = this.findDevice(addr >>> 0);
    return m ? { dev: m.dev, base: m.base } : undefined;
  }

  private findDevice(a: number): DeviceMapping | undefined {
    const l = this.lastDev;
    if (l !== undefined && a >= l.base && a < l.end) return l;
    for (const d of this.devices) if (a >= d.base && a < d.end) return (this.lastDev = d);
    return undefined;
  }

  // ---- access paths. Values are unsigned (reads) / any int (writes). Unaligned
  // accesses are split into bytes here; alignment faults are the core's business.

  read8(a: number, attrs = 0): number {
    const f = this.frames[a >>> PAGE_SHIFT];
    if (f !== undefined) return f.u8[a & PAGE_MASK];
    return this.mmioRead(a >>> 0, 1, attrs);
  }
  read16(a: number, attrs = 0): number {
    if ((a & 1) === 0) {
      const f = this.frames[a >>> PAGE_SHIFT];
      if (f !== undefined) return f.u16[(a & PAGE_MASK) >> 1];
      return this.mmioRead(a >>> 0, 2, attrs);
    }
    return this.read8(a, attrs) | (this.read8(a + 1, attrs) << 8);
  }
  read32(a: number, attrs = 0): number {
    if ((a & 3) === 0) {
      const f = this.frames[a >>> PAGE_SHIFT];
      if (f !== undefined) return f.i32[(a & PAGE_MASK) >> 2] >>> 0;
      return this.mmioRead(a >>> 0, 4, attrs) >>> 0;
    }
    return (this.read8(a, attrs) | (this.read8(a + 1, attrs) << 8) | (this.read8(a + 2, attrs) << 16) | (this.read8(a + 3, attrs) << 24)) >>> 0;
  }
  write8(a: number, v: number, attrs = 0): void {
    const f = this.frames[a >>> PAGE_SHIFT];
    if (f !== undefined && f.writable) {
      if (f.code !== null) this.codeWritten(f);
      f.u8[a & PAGE_MASK] = v;
    } else this.mmioWrite(a >>> 0, 1, v & 0xff, attrs, f);
  }
  write16(a: number, v: number, attrs = 0): void {
    if ((a & 1) === 0) {
      const f = this.frames[a >>> PAGE_SHIFT];
      if (f !== undefined && f.writable) {
        if (f.code !== null) this.codeWritten(f);
        f.u16[(a & PAGE_MASK) >> 1] = v;
      } else this.mmioWrite(a >>> 0, 2, v & 0xffff, attrs, f);
      return;
    }
    this.write8(a, v, attrs);
    this.write8(a + 1, v >>> 8, attrs);
  }
  write32(a: number, v: number, attrs = 0): void {
    if ((a & 3) === 0) {
      const f = this.frames[a >>> PAGE_SHIFT];
      if (f !== undefined && f.writable) {
        if (f.code !== null) this.codeWritten(f);
        f.i32[(a & PAGE_MASK) >> 2] = v;
      } else this.mmioWrite(a >>> 0, 4, v >>> 0, attrs, f);
      return;
    }
    this.write8(a, v, attrs);
    this.write8(a + 1, v >>> 8, attrs);
    this.write8(a + 2, v >>> 16, attrs);
    this.write8(a + 3, v >>> 24, attrs);
  }

  private codeWritten(f: Frame): void {
    f.invalidateCode();
    if (this.onCodeWrite !== null) this.onCodeWrite(f);
  }

  private mmioRead(a: number, size: AccessSize, attrs: number): number {
    const m = this.findDevice(a);
    if (m === undefined) {
      if (this.background !== null) return this.background.read(a, size, attrs);
      throw new BusError(a, false);
    }
    return m.dev.read(a - m.base, size, attrs);
  }
  private mmioWrite(a: number, size: AccessSize, v: number, attrs: number, f: Frame | undefined): void {
    if (f !== undefined) return; // ROM: writes are ignored, as on the MPS2 boards' flash aliases
    const m = this.findDevice(a);
    if (m === undefined) {
      if (this.background !== null) { this.background.write(a, size, v, attrs); return; }
      throw new BusError(a, true);
    }
    m.dev.write(a - m.base, size, v, attrs);
  }

  /** Debugger/loader access: copies bytes into RAM or ROM frames (ROM included). Returns bytes written. */
  loadBytes(addr: number, data: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < data.length; i++) {
      const a = (addr + i) >>> 0;
      const f = this.frames[a >>> PAGE_SHIFT];
      if (f === undefined) {
        // An MPC-guarded page closed to this alias: load past the check, as QEMU's loader does.
        const m = this.findDevice(a);
        if (m === undefined || m.dev.backsMemory !== true) throw new BusError(a, true, 'no RAM or ROM at this address to load into');
        m.dev.write(a - m.base, 1, data[i], ATTR_DEBUG | ATTR_SECURE | ATTR_PRIV);
        n++;
        continue;
      }
      if (f.code !== null) this.codeWritten(f);
      f.u8[a & PAGE_MASK] = data[i];
      n++;
    }
    return n;
  }

  /** True when `addr` is backed by RAM/ROM. */
  isMemory(addr: number): boolean { return this.frames[(addr >>> 0) >>> PAGE_SHIFT] !== undefined; }

  /** True when loadBytes can write `addr`: a RAM/ROM frame, or RAM behind a protection controller. */
  isLoadable(addr: number): boolean {
    return this.isMemory(addr) || this.findDevice(addr >>> 0)?.dev.backsMemory === true;
  }
}
