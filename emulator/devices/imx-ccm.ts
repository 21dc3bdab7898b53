// i.MX6 Clock Controller Module (i.MX6DQ reference manual §18 "CCM") as a register file
// with QEMU 7.2's reset values (imx6_ccm, read back from qemu-system-arm -machine sabrelite).
// Clock gating and dividers are stored, not acted on: the emulator's timers take their
// rates from the board file. Like QEMU, every register stores what is written.
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { truncate } from './apb-common';

/** CCR (0x00) .. CMEOR (0x88), one word each. */
const RESET = [
  0x040116ff, 0x00000000, 0x00000010, 0x00000100, 0x00000000, 0x00018d40,
  0x00022324, 0x00f00000, 0x02b92f06, 0x00490b00, 0x0ec102c1, 0x000736c1,
  0x33f71f92, 0x0002a150, 0x0002a150, 0x00014841, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000079, 0x00000000, 0xffffffff,
  0x000a0001, 0x0000fe62, 0xffffffff, 0xffffffff, 0xfc3fffff, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
];

export class ImxCcm implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private readonly regs = new Uint32Array(RESET.length);
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.reset();
  }

  reset(): void { this.regs.set(RESET); }

  read(offset: number, size: AccessSize, _attrs: number): number {
    const i = offset >> 2;
    if (i >= this.regs.length) {
      warnOnce(this.ctx, this.warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
      return 0;
    }
    return truncate(this.regs[i] >>> ((offset & 3) * 8), size);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    const word = offset & ~3;
    const i = word >> 2;
    if (i >= this.regs.length) {
      warnOnce(this.ctx, this.warned, `w${offset}`, `write to unmodelled offset 0x${offset.toString(16)} ignored`);
      return;
    }
    this.regs[i] = mergeLane(this.regs[i], offset, size, value);
  }
}

/** A narrow write replaces only its byte lanes of the word. */
export function mergeLane(old: number, offset: number, size: AccessSize, value: number): number {
  if (size === 4) return value >>> 0;
  const shift = (offset & 3) * 8;
  const mask = (size === 2 ? 0xffff : 0xff) << shift;
  return ((old & ~mask) | ((value << shift) & mask)) >>> 0;
}

export const imxCcmType: DeviceType = {
  compatible: ['fsl,imx6q-ccm'],
  description: 'NXP i.MX6 CCM register file with QEMU imx6_ccm reset values',
  create: (ctx) => new ImxCcm(ctx),
};
