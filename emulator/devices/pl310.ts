// Arm PrimeCell Level 2 Cache Controller L2C-310 (PL310, TRM r3p2 DDI0246F §3) as a register
// model: the emulator has no cache to manage, so maintenance operations complete at once
// (their registers read 0 at the next access) and control values are stored, so that
// kernel and boot code that sets up and flushes the L2 runs. QEMU 7.2's sabrelite maps no
// L2 controller (the region reads 0 there); this model reports the r3p2 IDs.
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { truncate } from './apb-common';

const CACHE_ID = 0x000;
const CACHE_TYPE = 0x004;
const CONTROL = 0x100;
const AUX_CONTROL = 0x104;
const INT_MASK = 0x214;
const INT_MASKED_STATUS = 0x218;
const INT_RAW_STATUS = 0x21c;
const INT_CLEAR = 0x220;
const CACHE_SYNC = 0x730;
/** Maintenance by PA, index or way: 0x770..0x7FC (TRM Table 3-1). */
const MAINT_FIRST = 0x740;
const MAINT_LAST = 0x7fc;
const DEBUG_CTRL = 0xf40;
const PREFETCH_CTRL = 0xf60;
const POWER_CTRL = 0xf80;

/** r3p2 part (RTL release 0x8, implementer Arm) and a 1 MiB 16-way type, as the i.MX6Q has. */
const RESET_CACHE_ID = 0x410000c8;
const RESET_CACHE_TYPE = 0x1e440440;
const RESET_AUX_CONTROL = 0x02050000;

/** Stored registers other than the fixed ones (control, tag/data latency, event counters, lockdown, filtering). */
function storedRegister(word: number): boolean {
  return (word >= 0x100 && word <= 0x10c) || (word >= 0x200 && word <= 0x20c) || word === INT_MASK ||
    (word >= 0x900 && word <= 0x93c) || word === 0x950 || word === 0x954 || word === 0xc00 || word === 0xc04 ||
    word === DEBUG_CTRL || word === PREFETCH_CTRL || word === POWER_CTRL;
}

export class Pl310 implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private readonly regs = new Map<number, number>();
  private raw = 0;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
  }

  reset(): void {
    this.regs.clear();
    this.regs.set(AUX_CONTROL, this.ctx.props.u32('arm,aux-control', RESET_AUX_CONTROL) ?? RESET_AUX_CONTROL);
    this.raw = 0;
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    const word = offset & ~3;
    let r: number;
    if (word === CACHE_ID) r = RESET_CACHE_ID;
    else if (word === CACHE_TYPE) r = this.ctx.props.u32('arm,cache-type', RESET_CACHE_TYPE) ?? RESET_CACHE_TYPE;
    else if (word === INT_RAW_STATUS) r = this.raw;
    else if (word === INT_MASKED_STATUS) r = this.raw & (this.regs.get(INT_MASK) ?? 0);
    else if (word === CACHE_SYNC || (word >= MAINT_FIRST && word <= MAINT_LAST)) r = 0; // the operation has completed
    else if (storedRegister(word)) r = this.regs.get(word) ?? 0;
    else {
      warnOnce(this.ctx, this.warned, `r${word}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
      r = 0;
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    const word = offset & ~3;
    value >>>= 0;
    if (word === INT_CLEAR) { this.raw &= ~value; return; }
    if (word === CACHE_SYNC || (word >= MAINT_FIRST && word <= MAINT_LAST)) return; // done at once
    if (word === AUX_CONTROL && ((this.regs.get(CONTROL) ?? 0) & 1) !== 0) {
      // Writing the auxiliary control with the cache enabled is a SLVERR on hardware (TRM §3.3.4).
      warnOnce(this.ctx, this.warned, 'aux', `auxiliary control written while the L2 is enabled; ignored`);
      return;
    }
    if (storedRegister(word)) { this.regs.set(word, word === CONTROL ? value & 1 : value); return; }
    warnOnce(this.ctx, this.warned, `w${word}`, `write to ${word <= CACHE_TYPE ? 'read-only' : 'unmodelled'} offset 0x${offset.toString(16)} ignored`);
  }
}

export const pl310Type: DeviceType = {
  compatible: ['arm,pl310-cache'],
  description: 'Arm L2C-310 (PL310) r3p2 L2 cache controller registers; maintenance completes at once',
  create: (ctx) => new Pl310(ctx),
};
