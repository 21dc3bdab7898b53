// NXP i.MX UART (i.MX6DQ reference manual, chapter 64 "UART") as QEMU 7.2's imx_serial
// models it: a one-character receive buffer, transmit completes at once (so USR1.TRDY,
// USR2.TXDC/TXFE stay set and polling drivers proceed), one combined interrupt output.
import type { AccessSize } from '../bus';
import { ATTR_DEBUG } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { truncate } from './apb-common';
import { LevelIrq, unmodelledRead, unmodelledWrite } from './imx-common';

const URXD = 0x00;
const UTXD = 0x40;
const UCR1 = 0x80;
const UCR2 = 0x84;
const UCR3 = 0x88;
const UCR4 = 0x8c;
const UFCR = 0x90;
const USR1 = 0x94;
const USR2 = 0x98;
const UESC = 0x9c;
const UTIM = 0xa0;
const UBIR = 0xa4;
const UBMR = 0xa8;
const UBRC = 0xac;
const ONEMS = 0xb0;
const UTS = 0xb4;
const UMCR = 0xb8;

const URXD_CHARRDY = 1 << 15;
const URXD_ERR = 1 << 14;

const UCR1_UARTEN = 1 << 0;
const UCR1_TXMPTYEN = 1 << 6;
const UCR2_SRST = 1 << 0;
const UCR2_RXEN = 1 << 1;
const UCR2_TXEN = 1 << 2;
const UCR4_MASK = (1 << 7) | (1 << 3) | (1 << 1) | (1 << 0); // WKEN TCEN OREN DREN

const USR1_RTSS = 1 << 14;
const USR1_TRDY = 1 << 13;
const USR1_RRDY = 1 << 9;
const USR1_RXDS = 1 << 6;
/** USR1 bits that are write-1-to-clear (PARITYERR RTSD ESCF FRAMERR AIRINT AWAKE, plus AGTIM/DTRD). */
const USR1_W1C = (1 << 15) | (1 << 12) | (1 << 11) | (1 << 10) | (1 << 8) | (1 << 7) | (1 << 5) | (1 << 4);
const USR2_TXFE = 1 << 14;
const USR2_DCDIN = 1 << 5;
const USR2_TXDC = 1 << 3;
const USR2_RDR = 1 << 0;
/** USR2 write-1-to-clear bits (ADET DTRF IDLE ACST RIDELT IRINT WAKE DCDDELT RTSF BRCD ORE). */
const USR2_W1C = (1 << 15) | (1 << 13) | (1 << 12) | (1 << 11) | (1 << 10) | (1 << 8) | (1 << 7) | (1 << 6) | (1 << 4) | (1 << 2) | (1 << 1);
const UTS_TXEMPTY = 1 << 6;
const UTS_RXEMPTY = 1 << 5;

/** Host input bytes waiting for the guest; beyond this they are dropped (with a warning). */
const RX_QUEUE_LIMIT = 1 << 16;

export class ImxUart implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private ucr1 = 0;
  private ucr2 = 0;
  private ucr3 = 0;
  private ucr4 = 0;
  private ufcr = 0;
  private usr1 = 0;
  private usr2 = 0;
  private uts = 0;
  private ubmr = 0;
  private ubrc = 0;
  private onems = 0;
  /** Last character received, with error flags; URXD reads it (QEMU readbuff). */
  private readbuff = URXD_ERR;
  private readonly rxQueue: number[] = [];
  private rxHead = 0;
  private readonly irq: LevelIrq;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.irq = new LevelIrq(ctx.irq(0));
  }

  /** Reset as QEMU's at boot: the boot ROM leaves the UART enabled for transmit. */
  reset(): void {
    this.softReset();
    this.ucr1 = UCR1_UARTEN;
    this.ucr2 = UCR2_TXEN;
    this.rxQueue.length = 0;
    this.rxHead = 0;
    this.update();
  }

  private softReset(): void {
    this.usr1 = USR1_TRDY | USR1_RXDS | USR1_RTSS;
    this.usr2 = USR2_TXFE | USR2_TXDC | USR2_DCDIN;
    this.uts = UTS_RXEMPTY | UTS_TXEMPTY;
    this.ucr1 = 0;
    this.ucr2 = UCR2_SRST;
    this.ucr3 = 0x700;
    this.ucr4 = 0;
    this.ufcr = 0;
    this.ubmr = 0;
    this.ubrc = 4;
    this.readbuff = URXD_ERR;
  }

  read(offset: number, size: AccessSize, attrs: number): number {
    let r: number;
    switch (offset & ~3) {
      case URXD:
        r = this.readbuff;
        if ((this.uts & UTS_RXEMPTY) === 0) {
          r |= URXD_CHARRDY;
          if ((attrs & ATTR_DEBUG) === 0) {
            this.usr1 &= ~USR1_RRDY;
            this.usr2 &= ~USR2_RDR;
            this.uts |= UTS_RXEMPTY;
            this.update();
            this.deliver();
          }
        }
        break;
      case UCR1: r = this.ucr1; break;
      case UCR2: r = this.ucr2; break;
      case UCR3: r = this.ucr3; break;
      case UCR4: r = this.ucr4; break;
      case UFCR: r = this.ufcr; break;
      case USR1: r = this.usr1; break;
      case USR2: r = this.usr2; break;
      case UBMR: r = this.ubmr; break;
      case UBRC: r = this.ubrc; break;
      case ONEMS: r = this.onems; break;
      case UTS: r = this.uts; break;
      case UBIR: case UESC: case UTIM: case UMCR: case UTXD: r = 0; break;
      default: r = unmodelledRead(this.ctx, this.warned, offset);
    }
    return truncate(r, size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    switch (offset & ~3) {
      case UTXD:
        // QEMU sends only while UCR2.TXEN is set, and finishes before the store retires.
        if ((this.ucr2 & UCR2_TXEN) !== 0) this.ctx.output(this.name, Uint8Array.of(value & 0xff));
        break;
      case UCR1: this.ucr1 = value & 0xffff; this.update(); break;
      case UCR2:
        // Writing SRST = 0 resets the UART state machines; the bit reads back as 1.
        if ((value & UCR2_SRST) === 0) { this.softReset(); value |= UCR2_SRST; }
        this.ucr2 = value & 0xffff;
        this.update();
        this.deliver();
        break;
      case UCR3: this.ucr3 = value & 0xffff; break;
      case UCR4: this.ucr4 = value & 0xffff; this.update(); break;
      case UFCR: this.ufcr = value & 0xffff; break;
      case USR1: this.usr1 &= ~(value & USR1_W1C); this.update(); break;
      case USR2: this.usr2 &= ~(value & USR2_W1C); this.update(); break;
      case UBIR: this.ubrc = value & 0xffff; break; // QEMU stores UBIR writes in UBRC
      case UBMR: this.ubmr = value & 0xffff; break;
      case ONEMS: this.onems = value & 0xffff; break;
      case UTS: case UESC: case UTIM: case UMCR: break;
      default:
        unmodelledWrite(this.ctx, this.warned, offset);
    }
  }

  /** Host bytes towards the guest: delivered one at a time while RXEN is set and the buffer is empty. */
  input(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.rxQueue.length - this.rxHead >= RX_QUEUE_LIMIT) {
        warnOnce(this.ctx, this.warned, 'rxq', `more than ${RX_QUEUE_LIMIT} input bytes pending; dropping the rest`);
        break;
      }
      this.rxQueue.push(bytes[i]);
    }
    this.deliver();
  }

  private deliver(): void {
    if (this.rxHead >= this.rxQueue.length) return;
    if ((this.ucr2 & UCR2_RXEN) === 0 || (this.uts & UTS_RXEMPTY) === 0) return;
    this.readbuff = this.rxQueue[this.rxHead++];
    if (this.rxHead === this.rxQueue.length) { this.rxQueue.length = 0; this.rxHead = 0; }
    this.usr1 |= USR1_RRDY;
    this.usr2 |= USR2_RDR;
    this.uts &= ~UTS_RXEMPTY;
    this.update();
  }

  /** The interrupt is USR1.TRDY/RRDY under their UCR1 enables, plus USR2 bits under UCR1/UCR4 (QEMU imx_update). */
  private update(): void {
    const u1 = this.usr1 & this.ucr1 & (USR1_TRDY | USR1_RRDY);
    let mask = (this.ucr1 & UCR1_TXMPTYEN) !== 0 ? USR2_TXFE : 0;
    mask |= this.ucr4 & UCR4_MASK;
    this.irq.set(u1 !== 0 || (this.usr2 & mask) !== 0);
  }
}


export const imxUartType: DeviceType = {
  compatible: ['fsl,imx6q-uart', 'fsl,imx21-uart'],
  description: 'NXP i.MX UART (QEMU imx_serial): UTXD/URXD, UCR1-4, UFCR, USR1/2, UTS; 1-character RX buffer',
  create: (ctx) => new ImxUart(ctx),
};
