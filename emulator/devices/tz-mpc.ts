// AHB5 TrustZone Memory Protection Controller (CoreLink SIE-200 TRM DDI0571 §3.4), as
// QEMU 7.2 models it in hw/misc/tz-mpc.c: a per-block LUT (1 = NS) in front of one RAM,
// block size 1 << (BLK_CFG + 5) (QEMU fixes it at its 1 KiB target page: BLK_CFG = 5).
// The model keeps every core's page table right: a 4 KiB page is mapped as a RAM frame
// in an alias only while every block in it is open to that alias's world (bit 28 set =
// Secure alias, as the SSE-200 IDAU says); otherwise a responder checks each access's
// security attribute as QEMU does and either reaches the RAM or blocks (RAZ/WI or bus
// error per CTRL.SEC_RESP, capturing INT_INFO1/2 and raising the MPC interrupt).
import type { AccessSize, AddressSpace, Memory, MmioDevice } from '../bus';
import { ATTR_DEBUG, ATTR_SECURE, BusError, PAGE_SIZE } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { readId } from './apb-common';
import { fanOut, hex32, irqCount, lookup } from './sse-common';
import { IotKitSecCtl } from './iotkit-secctl';

const CTRL = 0x00;
const BLK_MAX = 0x10;
const BLK_CFG = 0x14;
const BLK_IDX = 0x18;
const BLK_LUT = 0x1c;
const INT_STAT = 0x20;
const INT_CLEAR = 0x24;
const INT_EN = 0x28;
const INT_INFO1 = 0x2c;
const INT_INFO2 = 0x30;
const INT_SET = 0x34;
const ID_FIRST = 0xfd0;
const ID_LAST = 0xffc;

const CTRL_SEC_RESP = 1 << 4;
const CTRL_AUTOINC = 1 << 8;
const CTRL_LOCKDOWN = 1 << 31;
const CTRL_MASK = CTRL_SEC_RESP | CTRL_AUTOINC | CTRL_LOCKDOWN;

const MPC_IDS = [0x04, 0x00, 0x00, 0x00, 0x60, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** The RAM an MPC guards, as the machine hands it over (memory node with tandem,mpc). */
export interface MpcMemory {
  mem: Memory;
  base: number;
  aliases: number[];
  spaces: AddressSpace[];
}

interface View { addr: number; secure: boolean }

type Unmappable = AddressSpace & { unmapMemory?(base: number, size: number): void };

function unmapPages(space: AddressSpace, base: number, size: number): void {
  const s = space as Unmappable;
  if (typeof s.unmapMemory === 'function') { s.unmapMemory(base, size); return; }
  for (let off = 0; off < size; off += PAGE_SIZE) space.frames[((base + off) >>> 0) >>> 12] = undefined;
}

export class TzMpc implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private ctrl = CTRL_AUTOINC;
  private blkIdx = 0;
  private intStat = 0;
  private intEn = 1;
  private intInfo1 = 0;
  private intInfo2 = 0;
  /** LUT words; bit b of word w covers block 32*w + b. */
  private lut = new Uint32Array(0);
  private blkMax = 0;
  readonly blockSize: number;
  private region: (MpcMemory & { views: View[] }) | undefined;
  private readonly irq: IrqLine;
  private irqLevel = false;
  private readonly secctlName: string | undefined;
  private readonly statusBit: number;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    const cfg = ctx.props.u32('arm,blk-cfg', 5) ?? 5;
    if (cfg > 20) throw new Error(`${ctx.name}: arm,blk-cfg = <${cfg}> gives blocks over 32 MiB; QEMU uses 5 (1 KiB)`);
    this.blockSize = 1 << (cfg + 5);
    this.irq = fanOut(ctx, irqCount(ctx));
    this.secctlName = ctx.props.string('tandem,secctl');
    this.statusBit = ctx.props.u32('arm,mpc-status-bit', -1) ?? -1;
  }

  /** Called once by the machine for the memory node that names this MPC in tandem,mpc. */
  attachMemory(m: MpcMemory): void {
    if (this.region !== undefined) throw new Error(`${this.name}: a second memory node names this MPC; each MPC guards one RAM`);
    if (m.mem.size % this.blockSize !== 0) throw new Error(`${this.name}: memory '${m.mem.name}' size 0x${m.mem.size.toString(16)} is not a multiple of the 0x${this.blockSize.toString(16)}-byte MPC block`);
    const blocks = m.mem.size / this.blockSize;
    this.blkMax = Math.ceil(blocks / 32);
    this.lut = new Uint32Array(this.blkMax);
    const views = [m.base, ...m.aliases].map((addr) => ({ addr: addr >>> 0, secure: ((addr >>> 28) & 1) === 1 }));
    this.region = { ...m, views };
    for (const v of views) for (const s of m.spaces) s.mapDevice(v.addr, m.mem.size, this.responder(v));
    this.syncPages(0, m.mem.size);
  }

  reset(): void {
    this.ctrl = CTRL_AUTOINC;
    this.blkIdx = 0;
    this.intStat = 0;
    this.intEn = 1;
    this.intInfo1 = 0;
    this.intInfo2 = 0;
    this.lut.fill(0);
    this.updateIrq();
    if (this.region !== undefined) this.syncPages(0, this.region.mem.size);
  }

  /** True when block-aligned `offset` in the RAM is configured non-secure. */
  isNonSecure(offset: number): boolean {
    const blk = Math.floor(offset / this.blockSize);
    return ((this.lut[blk >>> 5] >>> (blk & 31)) & 1) !== 0;
  }

  // ---- register frame

  read(offset: number, size: AccessSize, attrs: number): number {
    const off = offset & ~3;
    if ((attrs & (ATTR_SECURE | ATTR_DEBUG)) === 0 && off < ID_FIRST) {
      warnOnce(this.ctx, this.warned, 'nsr', `${this.name}: non-secure read of offset 0x${off.toString(16)} returns 0 (NS may read only the ID registers)`);
      return 0;
    }
    let r: number;
    switch (off) {
      case CTRL: r = this.ctrl; break;
      case BLK_MAX: r = this.blkMax - 1; break;
      case BLK_CFG: r = Math.log2(this.blockSize) - 5; break; // never "init in progress"
      case BLK_IDX: r = this.blkIdx; break;
      case BLK_LUT:
        r = this.lut[this.blkIdx] ?? 0;
        if ((attrs & ATTR_DEBUG) === 0) this.autoInc(size);
        break;
      case INT_STAT: r = this.intStat; break;
      case INT_EN: r = this.intEn; break;
      case INT_INFO1: r = this.intInfo1; break;
      case INT_INFO2: r = this.intInfo2; break;
      default:
        if (off >= ID_FIRST && off <= ID_LAST) { r = readId(MPC_IDS, off); break; }
        warnOnce(this.ctx, this.warned, `r${off}`, `${this.name}: read of ${off === INT_CLEAR || off === INT_SET ? 'write-only' : 'unmodelled'} offset 0x${off.toString(16)} returns 0`);
        r = 0;
    }
    return size === 4 ? r >>> 0 : (r >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, size: AccessSize, value: number, attrs: number): void {
    const off = offset & ~3;
    if ((attrs & (ATTR_SECURE | ATTR_DEBUG)) === 0 && off < ID_FIRST) {
      warnOnce(this.ctx, this.warned, 'nsw', `${this.name}: non-secure write to offset 0x${off.toString(16)} ignored (NS may read only the ID registers)`);
      return;
    }
    value >>>= 0;
    if (size !== 4) {
      // Sub-word writes merge into CTRL, BLK_IDX and BLK_LUT and zero-extend elsewhere (QEMU).
      const old = off === CTRL ? this.ctrl : off === BLK_IDX ? this.blkIdx : off === BLK_LUT ? (this.lut[this.blkIdx] ?? 0) : 0;
      const shift = (offset & 3) * 8;
      const mask = (size === 2 ? 0xffff : 0xff) << shift;
      value = ((old & ~mask) | ((value << shift) & mask)) >>> 0;
    }
    if ((this.ctrl & CTRL_LOCKDOWN) !== 0 && (off === CTRL || off === BLK_LUT || off === INT_EN)) {
      warnOnce(this.ctx, this.warned, `lock${off}`, `${this.name}: write to offset 0x${off.toString(16)} ignored: CTRL.LOCKDOWN is set until reset`);
      return;
    }
    switch (off) {
      case CTRL: this.ctrl = (value & CTRL_MASK) >>> 0; return;
      case BLK_IDX: this.blkIdx = this.blkMax > 0 ? value % this.blkMax : 0; return;
      case BLK_LUT: {
        if (this.blkIdx >= this.lut.length) return;
        const old = this.lut[this.blkIdx];
        this.lut[this.blkIdx] = value;
        if (old !== value) this.syncPages(this.blkIdx * 32 * this.blockSize, 32 * this.blockSize);
        this.autoInc(size);
        return;
      }
      case INT_CLEAR: if (value & 1) { this.intStat = 0; this.updateIrq(); } return;
      case INT_EN: this.intEn = value & 1; this.updateIrq(); return;
      case INT_SET: if (value & 1) { this.intStat = 1; this.updateIrq(); } return;
    }
    warnOnce(this.ctx, this.warned, `w${off}`, `${this.name}: write of ${hex32(value)} to ${off >= ID_FIRST && off <= ID_LAST || off === BLK_MAX || off === BLK_CFG || off === INT_STAT || off === INT_INFO1 || off === INT_INFO2 ? 'read-only' : 'unmodelled'} offset 0x${off.toString(16)} ignored`);
  }

  private autoInc(size: AccessSize): void {
    if (size === 4 && (this.ctrl & CTRL_AUTOINC) !== 0 && this.blkMax > 0) this.blkIdx = (this.blkIdx + 1) % this.blkMax;
  }

  private updateIrq(): void {
    const level = this.intStat !== 0 && this.intEn !== 0;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irq.set(level);
    if (this.secctlName !== undefined && this.statusBit >= 0) {
      const s = lookup(this.ctx.clock, this.secctlName);
      if (s instanceof IotKitSecCtl) s.mpcStatus(this.statusBit, level);
    }
  }

  // ---- the guarded RAM

  /** Re-map the pages overlapping [from, from+len) of the RAM in every alias and core. */
  private syncPages(from: number, len: number): void {
    const r = this.region;
    if (r === undefined) return;
    const first = Math.floor(from / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.min(r.mem.size, from + len);
    for (let off = first; off < end; off += PAGE_SIZE) {
      let allNs = true;
      let allS = true;
      const b0 = Math.floor(off / this.blockSize);
      const b1 = Math.floor((off + PAGE_SIZE - 1) / this.blockSize);
      for (let b = b0; b <= b1; b++) {
        if (((this.lut[b >>> 5] >>> (b & 31)) & 1) !== 0) allS = false; else allNs = false;
      }
      for (const v of r.views) {
        const open = v.secure ? allS : allNs;
        for (const s of r.spaces) {
          if (open) s.mapMemory(v.addr + off, r.mem, off, PAGE_SIZE);
          else unmapPages(s, v.addr + off, PAGE_SIZE);
        }
      }
    }
  }

  /**
   * Answers accesses to pages that are not mapped as frames: the ones with at least one
   * block closed to this alias's world. The access's own security attribute decides,
   * as in QEMU's tz_mpc_translate; debugger accesses always reach the RAM.
   */
  private responder(v: View): MmioDevice {
    const self = this;
    const name = `${this.name} (${v.secure ? 'S' : 'NS'} alias @${hex32(v.addr)})`;
    return {
      name,
      backsMemory: true, // ELF loading writes through here when the alias is closed (QEMU loads as secure)
      read(offset: number, size: AccessSize, attrs: number): number {
        if (!self.pass(offset, attrs)) { self.block(offset, attrs, false, v); return 0; }
        const m = self.region!.mem;
        const f = m.frames[offset >>> 12];
        const o = offset & 0xfff;
        if (size === 1) return f.u8[o];
        if (size === 2) return f.u8[o] | (f.u8[o + 1] << 8);
        return (f.u8[o] | (f.u8[o + 1] << 8) | (f.u8[o + 2] << 16) | (f.u8[o + 3] << 24)) >>> 0;
      },
      write(offset: number, size: AccessSize, value: number, attrs: number): void {
        if (!self.pass(offset, attrs)) { self.block(offset, attrs, true, v); return; }
        const r = self.region!;
        const f = r.mem.frames[offset >>> 12];
        if (!f.writable) return;
        if (f.code !== null) {
          // Frame.invalidateCode also drops compiled blocks where the bus has it.
          const inv = (f as typeof f & { invalidateCode?(): void }).invalidateCode;
          if (typeof inv === 'function') inv.call(f); else { f.code = null; f.codeWords = null; }
          for (const s of r.spaces) s.onCodeWrite?.(f);
        }
        const o = offset & 0xfff;
        for (let i = 0; i < size; i++) f.u8[o + i] = value >>> (8 * i);
      },
    };
  }

  private pass(offset: number, attrs: number): boolean {
    if ((attrs & ATTR_DEBUG) !== 0) return true;
    return this.isNonSecure(offset) === ((attrs & ATTR_SECURE) === 0);
  }

  private block(offset: number, attrs: number, write: boolean, v: View): void {
    if (this.intStat === 0) {
      // Only the first blocked transfer is captured until the guest clears INT_STAT.
      this.intInfo1 = offset >>> 0;
      this.intInfo2 = (((attrs & ATTR_SECURE) === 0 ? 1 : 0) << 16) | ((this.isNonSecure(offset) ? 1 : 0) << 17);
      this.intStat = 1;
      this.updateIrq();
    }
    if ((this.ctrl & CTRL_SEC_RESP) !== 0) {
      throw new BusError(v.addr + offset, write, `${this.name}: ${(attrs & ATTR_SECURE) !== 0 ? 'secure' : 'non-secure'} access to a block the MPC LUT gives to the ${this.isNonSecure(offset) ? 'non-secure' : 'secure'} world`);
    }
  }
}

export const tzMpcType: DeviceType = {
  compatible: ['arm,tz-mpc'],
  description: 'TrustZone memory protection controller (QEMU tz-mpc): per-block S/NS LUT over one RAM, 1 KiB blocks',
  create: (ctx) => new TzMpc(ctx),
};
