// i.MX GPIO port (i.MX6DQ reference manual §28 "GPIO"): DR/GDIR/PSR, interrupt
// configuration ICR1/ICR2 and EDGE_SEL, IMR/ISR, and two interrupt outputs as on i.MX6
// (`interrupts` 0: pins 0-15, 1: pins 16-31), following QEMU 7.2's imx_gpio.
import type { AccessSize } from '../bus';
import type { DeviceContext, DeviceModel, DeviceType } from './device';
import { truncate } from './apb-common';
import { LevelIrq, unmodelledRead, unmodelledWrite } from './imx-common';

const DR = 0x00;
const GDIR = 0x04;
const PSR = 0x08;
const ICR1 = 0x0c;
const ICR2 = 0x10;
const IMR = 0x14;
const ISR = 0x18;
const EDGE_SEL = 0x1c;

const LOW_LEVEL = 0;
const HIGH_LEVEL = 1;
const RISING = 2;
const FALLING = 3;

export class ImxGpio implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private dr = 0;
  private gdir = 0;
  /** Levels driven onto input pins from outside (setInput). */
  private inputs = 0;
  private icr = 0n;
  private imr = 0;
  private isr = 0;
  private edgeSel = 0;
  private readonly lines: LevelIrq[];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.lines = [new LevelIrq(ctx.irq(0)), new LevelIrq(ctx.irq(1))];
  }

  reset(): void {
    this.dr = 0; this.gdir = 0; this.inputs = 0; this.icr = 0n; this.imr = 0; this.isr = 0; this.edgeSel = 0;
    this.update();
  }

  /**
   * PSR is the level on the input pins (QEMU 7.2: outputs are not looped back); DR reads
   * the output latch for outputs and PSR for inputs (reference manual §28.5.1).
   */
  private get psr(): number { return this.inputs >>> 0; }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number;
    switch (offset & ~3) {
      case DR: r = ((this.dr & this.gdir) | (this.inputs & ~this.gdir)) >>> 0; break;
      case GDIR: r = this.gdir; break;
      case PSR: r = this.psr; break;
      case ICR1: r = Number(this.icr & 0xffffffffn); break;
      case ICR2: r = Number(this.icr >> 32n); break;
      case IMR: r = this.imr; break;
      case ISR: r = this.isr; break;
      case EDGE_SEL: r = this.edgeSel; break;
      default: r = unmodelledRead(this.ctx, this.warned, offset);
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    const before = this.psr;
    switch (offset & ~3) {
      case DR: this.dr = value; break;
      case GDIR: this.gdir = value; break;
      case PSR: return; // read-only
      case ICR1: this.icr = (this.icr & ~0xffffffffn) | BigInt(value); break;
      case ICR2: this.icr = (this.icr & 0xffffffffn) | (BigInt(value) << 32n); break;
      case IMR: this.imr = value; break;
      case ISR: this.isr = (this.isr & ~value) >>> 0; break; // write 1 to clear
      case EDGE_SEL: this.edgeSel = value; break;
      default:
        unmodelledWrite(this.ctx, this.warned, offset);
        return;
    }
    this.sense(before);
  }

  /** Drive input pin `pin` from outside the chip (a button, another device). */
  setInput(pin: number, level: boolean): void {
    if (pin < 0 || pin > 31) return;
    const before = this.psr;
    this.inputs = level ? (this.inputs | (1 << pin)) >>> 0 : (this.inputs & ~(1 << pin)) >>> 0;
    this.sense(before);
  }

  /** Latch ISR bits for pins whose level or edge matches their ICR/EDGE_SEL configuration. */
  private sense(before: number): void {
    const now = this.psr;
    for (let pin = 0; pin < 32; pin++) {
      const bit = 1 << pin;
      const was = (before & bit) !== 0;
      const is = (now & bit) !== 0;
      if (was === is) continue; // conditions are sampled when a pin changes, as QEMU does
      let hit: boolean;
      if ((this.edgeSel & bit) !== 0) hit = true;
      else {
        switch (Number((this.icr >> BigInt(pin * 2)) & 3n)) {
          case LOW_LEVEL: hit = !is; break;
          case HIGH_LEVEL: hit = is; break;
          case RISING: hit = !was && is; break;
          case FALLING: hit = was && !is; break;
          default: hit = false;
        }
      }
      if (hit) this.isr = (this.isr | bit) >>> 0;
    }
    this.update();
  }

  private update(): void {
    const act = this.isr & this.imr;
    this.lines[0].set((act & 0xffff) !== 0);
    this.lines[1].set((act >>> 16) !== 0);
  }
}

export const imxGpioType: DeviceType = {
  compatible: ['fsl,imx6q-gpio', 'fsl,imx35-gpio'],
  description: 'NXP i.MX GPIO port: DR/GDIR/PSR, ICR1/2, EDGE_SEL, IMR/ISR; low/high-half interrupt outputs',
  create: (ctx) => new ImxGpio(ctx),
};
