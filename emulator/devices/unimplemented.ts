// Placeholder for a region the board maps but nothing models, like QEMU's
// create_unimplemented_device(): reads return 0, writes are ignored, and each offset
// is reported once so the user can see what the firmware touched.
import type { AccessSize } from '../bus';
import { ATTR_DEBUG } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';

/** Offsets reported before the model stops reporting new ones (bounds the warning set). */
const MAX_REPORTED = 256;

export class Unimplemented implements DeviceModel {
  readonly name: string;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
  }

  read(offset: number, size: AccessSize, attrs: number): number {
    if ((attrs & ATTR_DEBUG) === 0) this.report(offset, `${size}-byte read`);
    return 0;
  }

  write(offset: number, size: AccessSize, value: number, attrs: number): void {
    if ((attrs & ATTR_DEBUG) === 0) this.report(offset, `${size}-byte write of 0x${(value >>> 0).toString(16)}`);
  }

  private report(offset: number, what: string): void {
    if (this.warned.size >= MAX_REPORTED) return;
    warnOnce(this.ctx, this.warned, `${offset}`, `${this.name}: unimplemented device: ${what} at offset 0x${offset.toString(16)} (reads 0, writes ignored)`);
  }
}

export const unimplementedType: DeviceType = {
  compatible: ['tandem,unimplemented'],
  description: 'Unimplemented region (as QEMU create_unimplemented_device): reads 0, ignores writes, warns once per offset',
  create: (ctx) => new Unimplemented(ctx),
};
