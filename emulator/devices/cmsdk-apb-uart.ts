// Arm CMSDK APB UART (Cortex-M System Design Kit TRM, DDI0479C §4.3), as QEMU 7.2 models it
// in hw/char/cmsdk-apb-uart.c. One-byte TX and RX buffers, 8N1, no FIFO.
// Interrupt outputs, in `interrupts` order: 0 RX, 1 TX, 2 overrun (TXO|RXO), 3 combined UARTINT.
import type { AccessSize } from '../bus';
import { ATTR_DEBUG } from '../bus';
import type { ClockEvent } from '../clock';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { ID_BASE, ID_END, readId, TickClock, clockFrequency, truncate } from './apb-common';

const DATA = 0x00;
const STATE = 0x04;
const CTRL = 0x08;
const INTSTATUS = 0x0c; // reads INTSTATUS, writes INTCLEAR
const BAUDDIV = 0x10;

const STATE_TXFULL = 1 << 0;
const STATE_RXFULL = 1 << 1;
const STATE_TXOVR = 1 << 2;
const STATE_RXOVR = 1 << 3;

const CTRL_TXEN = 1 << 0;
const CTRL_RXEN = 1 << 1;
const CTRL_TXIE = 1 << 2;
const CTRL_RXIE = 1 << 3;
const CTRL_MASK = 0x7f; // TXEN RXEN TXIE RXIE TXOIE RXOIE HSTM

const INT_TX = 1 << 0;
const INT_RX = 1 << 1;
const INT_OVR = (1 << 2) | (1 << 3);

/** PID4-7, PID0-3, CID0-3 (QEMU uart_id[]; part number 0x821). */
const UART_ID = [0x04, 0x00, 0x00, 0x00, 0x21, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** Host-side input bytes waiting for the guest; beyond this they are dropped (with a warning). */
const RX_QUEUE_LIMIT = 1 << 16;

export class CmsdkApbUart implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private state = 0;
  private ctrl = 0;
  private intstatus = 0;
  private bauddiv = 0;
  private rxbuf = 0;
  private readonly rxQueue: number[] = [];
  private rxHead = 0;
  private readonly rxEvent: ClockEvent;
  private readonly ticks: TickClock;
  private readonly lines: IrqLine[];
  private readonly levels = [false, false, false, false];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.ticks = new TickClock(ctx.clock, clockFrequency(ctx));
    this.lines = [ctx.irq(0), ctx.irq(1), ctx.irq(2), ctx.irq(3)];
    this.rxEvent = ctx.clock.event(() => this.deliver());
  }

  reset(): void {
    this.state = 0;
    this.ctrl = 0;
    this.intstatus = 0;
    this.bauddiv = 0;
    this.rxbuf = 0;
    this.ctx.clock.cancel(this.rxEvent);
    this.update();
  }

  read(offset: number, size: AccessSize, attrs: number): number {
    let r: number;
    switch (offset) {
      case DATA:
        r = this.rxbuf;
        if ((attrs & ATTR_DEBUG) === 0 && (this.state & STATE_RXFULL) !== 0) {
          this.state &= ~STATE_RXFULL;
          this.update();
          this.scheduleDelivery();
        }
        break;
      case STATE: r = this.state; break;
      case CTRL: r = this.ctrl; break;
      case INTSTATUS: r = this.intstatus; break;
      case BAUDDIV: r = this.bauddiv; break;
      default:
        if (offset >= ID_BASE && offset < ID_END) { r = readId(UART_ID, offset); break; }
        warnOnce(this.ctx, this.warned, `r${offset}`, `${this.name}: read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r, size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    switch (offset) {
      case DATA:
        this.transmit(value & 0xff);
        break;
      case STATE: // TXFULL/RXFULL are read-only; the overrun bits are write-1-to-clear
        this.state &= ~(value & (STATE_TXOVR | STATE_RXOVR));
        this.update();
        break;
      case CTRL:
        this.ctrl = value & CTRL_MASK;
        if ((this.ctrl & CTRL_TXEN) !== 0 && !this.baudOk()) {
          warnOnce(this.ctx, this.warned, 'baud', `${this.name}: TX enabled with BAUDDIV=${this.bauddiv} (must be 16..clock-frequency)`);
        }
        this.update();
        this.deliver();
        break;
      case INTSTATUS: // INTCLEAR: clearing TXO/RXO clears the STATE overrun bits they mirror
        this.state &= ~(value & INT_OVR);
        this.intstatus &= ~value;
        this.update();
        break;
      case BAUDDIV:
        this.bauddiv = value & 0xfffff;
        break;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write to ${offset >= ID_BASE && offset < ID_END ? 'read-only ID' : 'unmodelled'} offset 0x${offset.toString(16)} ignored`);
    }
  }

  /** Bytes from the host towards the guest. They wait in a queue until RX is enabled and RXFULL is clear. */
  input(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.rxQueue.length - this.rxHead >= RX_QUEUE_LIMIT) {
        warnOnce(this.ctx, this.warned, 'rxq', `${this.name}: more than ${RX_QUEUE_LIMIT} input bytes pending; dropping the rest`);
        break;
      }
      this.rxQueue.push(bytes[i]);
    }
    this.deliver();
  }

  private baudOk(): boolean {
    return this.bauddiv >= 16 && this.bauddiv <= this.ticks.hz;
  }

  // QEMU sends the byte at once and clears TXFULL in the same access, so firmware that
  // polls TXFULL never waits and the TX interrupt is raised before the store retires.
  // A byte written while TXEN=0 stays in the buffer with TXFULL set and is never sent,
  // even if TXEN is set later (checked against qemu-system-arm 7.2).
  private transmit(byte: number): void {
    if ((this.state & STATE_TXFULL) !== 0) {
      this.state |= STATE_TXOVR;
      this.update();
      return;
    }
    this.state |= STATE_TXFULL;
    if ((this.ctrl & CTRL_TXEN) === 0) {
      warnOnce(this.ctx, this.warned, 'txen', `${this.name}: byte written to DATA while CTRL.TXEN=0; it stays pending (TXFULL=1), as on QEMU`);
      return;
    }
    this.ctx.output(this.name, Uint8Array.of(byte));
    this.state &= ~STATE_TXFULL;
    if ((this.ctrl & CTRL_TXIE) !== 0) this.intstatus |= INT_TX;
    this.update();
  }

  // QEMU's chardev offers the next byte only when RX is enabled and the buffer is empty.
  // The timing of that offer is host-dependent there; here it is one frame (10 bit times)
  // after the guest empties the buffer, so runs are repeatable.
  private scheduleDelivery(): void {
    if (this.rxHead >= this.rxQueue.length) return;
    const frameTicks = 10 * Math.max(this.bauddiv, 16);
    this.ctx.clock.schedule(this.rxEvent, this.ticks.cycleAfter(this.ctx.clock.now, frameTicks));
  }

  private deliver(): void {
    if (this.rxHead >= this.rxQueue.length) return;
    if ((this.ctrl & CTRL_RXEN) === 0 || (this.state & STATE_RXFULL) !== 0) return;
    if (this.rxEvent.armed && this.rxEvent.at > this.ctx.clock.now) return;
    this.rxbuf = this.rxQueue[this.rxHead++];
    if (this.rxHead === this.rxQueue.length) { this.rxQueue.length = 0; this.rxHead = 0; }
    this.state |= STATE_RXFULL;
    if ((this.ctrl & CTRL_RXIE) !== 0) this.intstatus |= INT_RX;
    this.update();
  }

  /** INTSTATUS.TXO/RXO are the AND of STATE overrun bits and their CTRL enables (QEMU cmsdk_apb_uart_update). */
  private update(): void {
    this.intstatus = (this.intstatus & ~INT_OVR) | (this.state & (this.ctrl >> 2) & INT_OVR);
    this.drive(0, (this.intstatus & INT_RX) !== 0);
    this.drive(1, (this.intstatus & INT_TX) !== 0);
    this.drive(2, (this.intstatus & INT_OVR) !== 0);
    this.drive(3, this.intstatus !== 0);
  }

  private drive(i: number, level: boolean): void {
    if (this.levels[i] === level) return;
    this.levels[i] = level;
    this.lines[i].set(level);
  }
}

export const cmsdkApbUartType: DeviceType = {
  compatible: ['arm,cmsdk-apb-uart'],
  description: 'Arm CMSDK APB UART (QEMU cmsdk-apb-uart): TX/RX/overrun/combined interrupts, 1-byte buffers',
  create: (ctx) => new CmsdkApbUart(ctx),
};
