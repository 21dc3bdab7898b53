// The ARMv8-M PMSA MPU (DDI0553 B3.6/D1.2.x): base/limit regions (RBAR/RLAR) with AP,
// XN and a MAIR attribute index, no sub-regions, and overlapping hits are a fault. One
// instance per Security state; system.ts picks the bank. Decoded on write like mpu.ts.
import { ACC_FETCH, ACC_WRITE } from './cpu';
import { defaultMapXN } from './mpu';

/** Register offsets inside the SCS (0xE000E000 + offset), DDI0553 D1.2. */
export const MPU8_TYPE = 0xd90, MPU8_CTRL = 0xd94, MPU8_RNR = 0xd98, MPU8_RBAR = 0xd9c, MPU8_RLAR = 0xda0;
/** RBAR_A1/RLAR_A1 .. RBAR_A3/RLAR_A3 (0xDA4..0xDB8), then MAIR0/MAIR1. */
export const MPU8_ALIAS_FIRST = 0xda4, MPU8_ALIAS_LAST = 0xdb8, MPU8_MAIR0 = 0xdc0, MPU8_MAIR1 = 0xdc4;

const CTRL_ENABLE = 1, CTRL_HFNMIENA = 2, CTRL_PRIVDEFENA = 4;

/** What TT reports about the MPU region of an address (DDI0553 C2.4.252 TT response fields). */
export interface MpuRegionInfo {
  /** Region number (MREGION), meaningful when `valid`. */
  region: number;
  /** MRVALID: the MPU is enabled and exactly one region matched. */
  valid: boolean;
  /** Readable / read-writable at the privilege asked about. */
  r: boolean;
  rw: boolean;
  /** Same as r/rw: the caller combines them with the attribution for NSR/NSRW. */
  nr: boolean;
  nrw: boolean;
}

export class MpuV8m {
  ctrl = 0;
  rnr = 0;
  mair0 = 0;
  mair1 = 0;
  readonly rbar: Uint32Array;
  readonly rlar: Uint32Array;
  // Decoded per region: inclusive [base, limit], permissions, XN, device memory.
  private readonly rBase: Float64Array;
  private readonly rLimit: Float64Array;
  private readonly rOn: Uint8Array;

  /** `regions`: 0..16 (MPU_TYPE.DREGION). `onEnable` reports MPU_CTRL.ENABLE changes. */
  constructor(readonly regions: number, private readonly onEnable: (enabled: boolean) => void) {
    if (!Number.isInteger(regions) || regions < 0 || regions > 16) throw new Error(`MPU: ${regions} regions; ARMv8-M allows 0..16 (DDI0553 D1.2 MPU_TYPE.DREGION)`);
    this.rbar = new Uint32Array(regions);
    this.rlar = new Uint32Array(regions);
    this.rBase = new Float64Array(regions);
    this.rLimit = new Float64Array(regions);
    this.rOn = new Uint8Array(regions);
  }

  reset(): void {
    this.ctrl = 0;
    this.rnr = 0;
    this.mair0 = this.mair1 = 0;
    this.rbar.fill(0);
    this.rlar.fill(0);
    for (let r = 0; r < this.regions; r++) this.decode(r);
    this.onEnable(false);
  }

  get enabled(): boolean { return (this.ctrl & CTRL_ENABLE) !== 0; }

  private decode(r: number): void {
    this.rBase[r] = (this.rbar[r] & ~0x1f) >>> 0;
    this.rLimit[r] = ((this.rlar[r] & ~0x1f) | 0x1f) >>> 0;
    this.rOn[r] = this.rlar[r] & 1;
  }

  /** MAIR attribute byte for an AttrIndx. Device memory has the top nibble zero. */
  private attr(idx: number): number { return ((idx < 4 ? this.mair0 >>> (8 * idx) : this.mair1 >>> (8 * (idx - 4))) & 0xff); }

  /** The region that RBAR/RLAR (n = 0) or the alias pair n (1..3) addresses: RNR with bits [1:0] replaced. */
  private aliasRegion(offset: number): number {
    const n = (offset - MPU8_RBAR) >> 3;
    return n === 0 ? this.rnr : (this.rnr & ~3) + n;
  }

  read(offset: number): number {
    switch (offset) {
      case MPU8_TYPE: return this.regions << 8;
      case MPU8_CTRL: return this.ctrl;
      case MPU8_RNR: return this.rnr;
      case MPU8_MAIR0: return this.mair0 >>> 0;
      case MPU8_MAIR1: return this.mair1 >>> 0;
      default: break;
    }
    if (offset < MPU8_RBAR || offset > MPU8_ALIAS_LAST) return 0;
    const r = this.aliasRegion(offset);
    if (r >= this.regions) return 0;
    return ((offset - MPU8_RBAR) & 4) === 0 ? this.rbar[r] : this.rlar[r];
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case MPU8_TYPE: return;
      case MPU8_CTRL: {
        const was = this.enabled;
        this.ctrl = value & (CTRL_ENABLE | CTRL_HFNMIENA | CTRL_PRIVDEFENA);
        if (was !== this.enabled) this.onEnable(this.enabled);
        return;
      }
      case MPU8_RNR: this.rnr = value & 0xff; return;
      case MPU8_MAIR0: this.mair0 = value >>> 0; return;
      case MPU8_MAIR1: this.mair1 = value >>> 0; return;
      default: break;
    }
    if (offset < MPU8_RBAR || offset > MPU8_ALIAS_LAST) return;
    const r = this.aliasRegion(offset);
    if (r >= this.regions) return; // RNR beyond DREGION: UNPREDICTABLE, ignored
    if (((offset - MPU8_RBAR) & 4) === 0) this.rbar[r] = value >>> 0;
    else this.rlar[r] = (value & ~0x10) >>> 0; // bits [4] RES0 (no PXN on v8.0-M)
    this.decode(r);
  }

  /**
   * The matching region for `addr`: its number, -1 for none, or -2 when several regions
   * match (an overlap is a MemManage fault on ARMv8-M, DDI0553 B3.6).
   */
  private lookup(a: number): number {
    let hit = -1;
    for (let r = 0; r < this.regions; r++) {
      if (this.rOn[r] === 0 || a < this.rBase[r] || a > this.rLimit[r]) continue;
      if (hit >= 0) return -2;
      hit = r;
    }
    return hit;
  }

  /** ValidateAddress for one byte address; see Mpu.allowsByte for `negativePriority`. */
  private allowsByte(addr: number, kind: number, priv: boolean, negativePriority: boolean): boolean {
    const a = addr >>> 0;
    const bypass = (this.ctrl & CTRL_ENABLE) === 0
      || ((this.ctrl & CTRL_HFNMIENA) === 0 && negativePriority)
      || (a >= 0xe0000000 && a < 0xe0100000);
    if (bypass) return kind !== ACC_FETCH || !defaultMapXN(a);
    const r = this.lookup(a);
    if (r === -2) return false;
    if (r < 0) {
      if ((this.ctrl & CTRL_PRIVDEFENA) !== 0 && priv) return kind !== ACC_FETCH || !defaultMapXN(a);
      return false;
    }
    const rbar = this.rbar[r];
    const ap = (rbar >>> 1) & 3; // 00 priv RW, 01 RW, 10 priv RO, 11 RO
    if (!priv && (ap & 1) === 0) return false;
    if (kind === ACC_WRITE) return (ap & 2) === 0;
    if (kind === ACC_FETCH) {
      if ((rbar & 1) !== 0) return false; // XN
      if ((this.attr((this.rlar[r] >>> 1) & 7) & 0xf0) === 0) return false; // Device memory is never executable
    }
    return true;
  }

  allows(addr: number, size: number, kind: number, priv: boolean, negativePriority: boolean): boolean {
    if (!this.allowsByte(addr, kind, priv, negativePriority)) return false;
    return size <= 1 || this.allowsByte((addr + size - 1) | 0, kind, priv, negativePriority);
  }

  /** The region of `addr` for TT/TTT (DDI0553 C2.4.252), with permissions at privilege `priv`. */
  regionFor(addr: number, priv: boolean): MpuRegionInfo {
    const a = addr >>> 0;
    const r = this.enabled ? this.lookup(a) : -1;
    const valid = r >= 0;
    let rd = false, rw = false;
    if (this.enabled) {
      rd = this.allowsByte(a, 0, priv, false);
      rw = this.allowsByte(a, ACC_WRITE, priv, false);
    } else {
      rd = rw = true; // MPU off: the default map allows data accesses
    }
    return { region: valid ? r : 0, valid, r: rd, rw: rd && rw, nr: rd, nrw: rd && rw };
  }
}
