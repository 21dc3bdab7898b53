// i.MX6 Clock Controller Module (i.MX6DQ reference manual §18 "CCM") as a register file
// with QEMU 7.2's reset values (imx6_ccm, read back from qemu-system-arm -machine sabrelite).
// Clock gating and dividers are stored, not acted on: the emulator's timers take their
// rates from the board file. Like QEMU, every register stores what is written.
import type { DeviceContext, DeviceModel, DeviceType } from './device';
import { WordRegisterFile } from './imx-common';

/** CCR (0x00) .. CMEOR (0x88), one word each. */
const RESET = [
  0x040116ff, 0x00000000, 0x00000010, 0x00000100, 0x00000000, 0x00018d40,
  0x00022324, 0x00f00000, 0x02b92f06, 0x00490b00, 0x0ec102c1, 0x000736c1,
  0x33f71f92, 0x0002a150, 0x0002a150, 0x00014841, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000079, 0x00000000, 0xffffffff,
  0x000a0001, 0x0000fe62, 0xffffffff, 0xffffffff, 0xfc3fffff, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
];

export class ImxCcm extends WordRegisterFile implements DeviceModel {
  readonly size = 0x4000;
  constructor(ctx: DeviceContext) { super(ctx, RESET); }
}

export const imxCcmType: DeviceType = {
  compatible: ['fsl,imx6q-ccm'],
  description: 'NXP i.MX6 CCM register file with QEMU imx6_ccm reset values',
  create: (ctx) => new ImxCcm(ctx),
};
