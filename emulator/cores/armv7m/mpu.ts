// The ARMv7-M Protected Memory System Architecture MPU (ARM ARM B3.5): eight regions
// with sub-regions, access permissions and XN, plus the default memory map used as the
// background region and for the PPB. Registers are decoded once on write so that the
// per-access check is a short loop.
import { ACC_FETCH, ACC_WRITE } from './cpu';

/** Register offsets inside the SCS (0xE000E000 + offset), B3.5.3. */
export const MPU_TYPE = 0xd90, MPU_CTRL = 0xd94, MPU_RNR = 0xd98, MPU_RBAR = 0xd9c, MPU_RASR = 0xda0;
/** MPU_RBAR_A1..A3 / MPU_RASR_A1..A3 alias the main pair (B3.5.10). */
export const MPU_ALIAS_FIRST = 0xda4, MPU_ALIAS_LAST = 0xdb8;

export const MPU_REGIONS = 8;
const CTRL_ENABLE = 1, CTRL_HFNMIENA = 2, CTRL_PRIVDEFENA = 4;
const RASR_ENABLE = 1, RASR_XN = 1 << 28;

/**
 * AP[2:0] decoded (B3.5.9 Table B3-15): bit0 priv read, bit1 priv write, bit2 unpriv read,
 * bit3 unpriv write. AP=100 is reserved (UNPREDICTABLE); it is treated as no access.
 */
const AP_PERMS = [0b0000, 0b0011, 0b0111, 0b1111, 0b0000, 0b0001, 0b0101, 0b0101];

/** Default memory map execute-never (B3.1.1 Table B3-1): Peripheral, Device and System regions. */
export function defaultMapXN(addr: number): boolean {
  const a = addr >>> 0;
  return (a >= 0x40000000 && a < 0x60000000) || a >= 0xa0000000;
}

export class Mpu {
  ctrl = 0;
  rnr = 0;
  readonly rbar = new Uint32Array(MPU_REGIONS);
  readonly rasr = new Uint32Array(MPU_REGIONS);
  // Decoded region state, refreshed on every RBAR/RASR write.
  private readonly rEnabled = new Uint8Array(MPU_REGIONS);
  /** log2 of the region size (5..32). */
  private readonly rLsbit = new Uint8Array(MPU_REGIONS);
  private readonly rPerms = new Uint8Array(MPU_REGIONS);
  private readonly rXn = new Uint8Array(MPU_REGIONS);
  private readonly rSrd = new Uint8Array(MPU_REGIONS);

  /** `onEnable` tells the owner that MPU_CTRL.ENABLE changed (the core routes accesses through the MPU only while it is set). */
  constructor(private readonly onEnable: (enabled: boolean) => void) {}

  reset(): void {
    this.ctrl = 0;
    this.rnr = 0;
    this.rbar.fill(0);
    this.rasr.fill(0);
    for (let r = 0; r < MPU_REGIONS; r++) this.decode(r);
    this.onEnable(false);
  }

  get enabled(): boolean { return (this.ctrl & CTRL_ENABLE) !== 0; }

  private decode(r: number): void {
    const rasr = this.rasr[r];
    const size = (rasr >>> 1) & 0x1f;
    // SIZE < 4 (regions below 32 bytes) is UNPREDICTABLE (B3.5.9); treat it as 32 bytes.
    this.rLsbit[r] = Math.max(size, 4) + 1;
    this.rEnabled[r] = rasr & RASR_ENABLE;
    this.rPerms[r] = AP_PERMS[(rasr >>> 24) & 7];
    this.rXn[r] = (rasr & RASR_XN) !== 0 ? 1 : 0;
    this.rSrd[r] = (rasr >>> 8) & 0xff;
  }

  read(offset: number): number {
    switch (offset) {
      case MPU_TYPE: return MPU_REGIONS << 8; // DREGION = 8, unified map (SEPARATE = 0)
      case MPU_CTRL: return this.ctrl;
      case MPU_RNR: return this.rnr;
      default:
        if (offset === MPU_RBAR || (offset >= MPU_ALIAS_FIRST && offset <= MPU_ALIAS_LAST && (offset & 4) !== 0)) {
          return (this.rbar[this.rnr] | this.rnr) >>> 0; // VALID reads as zero
        }
        if (offset === MPU_RASR || (offset >= MPU_ALIAS_FIRST && offset <= MPU_ALIAS_LAST)) return this.rasr[this.rnr];
        return 0;
    }
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case MPU_TYPE: return;
      case MPU_CTRL: {
        const was = this.enabled;
        this.ctrl = value & (CTRL_ENABLE | CTRL_HFNMIENA | CTRL_PRIVDEFENA);
        if (was !== this.enabled) this.onEnable(this.enabled);
        return;
      }
      case MPU_RNR: this.rnr = value & (MPU_REGIONS - 1); return;
      default: break;
    }
    if (offset === MPU_RBAR || (offset >= MPU_ALIAS_FIRST && offset <= MPU_ALIAS_LAST && (offset & 4) !== 0)) {
      // VALID (bit 4) selects REGION[3:0] as the region to update, and also writes RNR (B3.5.8).
      if ((value & 0x10) !== 0) this.rnr = value & (MPU_REGIONS - 1);
      this.rbar[this.rnr] = (value & ~0x1f) >>> 0;
      this.decode(this.rnr);
    } else if (offset === MPU_RASR || (offset >= MPU_ALIAS_FIRST && offset <= MPU_ALIAS_LAST)) {
      this.rasr[this.rnr] = (value & 0x173fff3f) >>> 0;
      this.decode(this.rnr);
    }
  }

  /**
   * ValidateAddress (B3.5.3 pseudocode) for one byte address. `negativePriority` is
   * ExecutionPriority() < 0 (NMI, HardFault or FAULTMASK), which bypasses the MPU unless
   * HFNMIENA. Returns true when the access is allowed.
   */
  private allowsByte(addr: number, kind: number, priv: boolean, negativePriority: boolean): boolean {
    const a = addr >>> 0;
    const bypass = (this.ctrl & CTRL_ENABLE) === 0
      || ((this.ctrl & CTRL_HFNMIENA) === 0 && negativePriority)
      || (a >= 0xe0000000 && a < 0xe0100000); // the PPB always uses the default map
    if (bypass) return kind !== ACC_FETCH || !defaultMapXN(a);
    let region = -1;
    for (let r = 0; r < MPU_REGIONS; r++) {
      if (this.rEnabled[r] === 0) continue;
      const lsbit = this.rLsbit[r];
      if (lsbit < 32 && (a >>> lsbit) !== (this.rbar[r] >>> lsbit)) continue;
      // Regions of 256 bytes or more have eight sub-regions; a disabled one does not match.
      if (lsbit >= 8 && ((this.rSrd[r] >>> ((lsbit >= 32 ? a / 2 ** 29 : a >>> (lsbit - 3)) & 7)) & 1) !== 0) continue;
      region = r; // the highest-numbered matching region wins
    }
    if (region < 0) {
      if ((this.ctrl & CTRL_PRIVDEFENA) !== 0 && priv) return kind !== ACC_FETCH || !defaultMapXN(a);
      return false;
    }
    const perms = this.rPerms[region] >> (priv ? 0 : 2);
    if (kind === ACC_WRITE) return (perms & 2) !== 0;
    if (kind === ACC_FETCH && this.rXn[region] !== 0) return false;
    return (perms & 1) !== 0;
  }

  /** Check an access of `size` bytes: both ends, since a region is at least 32 bytes. */
  allows(addr: number, size: number, kind: number, priv: boolean, negativePriority: boolean): boolean {
    if (!this.allowsByte(addr, kind, priv, negativePriority)) return false;
    return size <= 1 || this.allowsByte((addr + size - 1) | 0, kind, priv, negativePriority);
  }
}
