// i.MX watchdog (i.MX6DQ reference manual §70 "WDOG"), 16-bit registers as QEMU 7.2's
// imx2.wdt models them: WCR, the WSR service sequence (0x5555 then 0xAAAA), WRSR, the
// WICR pre-timeout interrupt and WMCR. With WCR.WDE set the timeout (WT + 1) / 2 s counts
// in virtual time; expiry resets the system, as QEMU's default watchdog action does.
import type { AccessSize } from '../bus';
import type { ClockEvent } from '../clock';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { truncate } from './apb-common';

const WCR = 0x00;
const WSR = 0x02;
const WRSR = 0x04;
const WICR = 0x06;
const WMCR = 0x08;

const WCR_WDE = 1 << 2;
const WCR_WDT = 1 << 3;
const WCR_SRS = 1 << 4;
const WCR_WDA = 1 << 5;
/** Bits that, once set, stay set until reset (WDZST, WDBG, WDE, WDT; reference manual §70.7.1). */
const WCR_LOCKED = (1 << 0) | (1 << 1) | WCR_WDE | WCR_WDT;
const WICR_WIE = 1 << 15;
const WICR_WTIS = 1 << 14;
const WRSR_SFTW = 1 << 0;
const WRSR_TOUT = 1 << 1;

export class ImxWdog implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private wcr = 0x0030;
  private wicr = 0x0004;
  private wmcr = 0x0001;
  private wrsr = 0;
  private wicrLocked = false;
  /** First half of the service sequence seen. */
  private armed = false;
  private readonly timeout: ClockEvent;
  private readonly pretimeout: ClockEvent;
  private readonly irq: IrqLine;
  private level = false;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.irq = ctx.irq(0);
    this.timeout = ctx.clock.event(() => this.expire());
    this.pretimeout = ctx.clock.event(() => { this.wicr |= WICR_WTIS; this.update(); });
  }

  reset(): void {
    this.wcr = 0x0030;
    this.wicr = 0x0004;
    this.wmcr = 0x0001;
    this.wicrLocked = false;
    this.armed = false;
    this.ctx.clock.cancel(this.timeout);
    this.ctx.clock.cancel(this.pretimeout);
    this.update();
    // WRSR survives: it says why the last reset happened.
  }

  private reg16(offset: number): number {
    switch (offset) {
      case WCR: return this.wcr;
      case WSR: return 0;
      case WRSR: return this.wrsr;
      case WICR: return this.wicr;
      case WMCR: return this.wmcr;
      default:
        warnOnce(this.ctx, this.warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        return 0;
    }
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    const base = offset & ~1;
    const v = size === 4 ? this.reg16(base) | (this.reg16(base + 2) << 16) : this.reg16(base);
    return truncate(v >>> ((offset & 1) * 8), size);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    if (size === 4) {
      this.write16(offset & ~1, value & 0xffff);
      this.write16((offset & ~1) + 2, (value >>> 16) & 0xffff);
      return;
    }
    this.write16(offset & ~1, size === 1 ? (value & 0xff) << ((offset & 1) * 8) : value & 0xffff);
  }

  private write16(offset: number, v: number): void {
    switch (offset) {
      case WCR:
        // Clearing SRS (software reset) or WDA (WDOG_B assertion) resets the system at once,
        // as QEMU 7.2 does; it is how Linux's imx2_wdt restarts the board.
        if ((v & (WCR_SRS | WCR_WDA)) !== (WCR_SRS | WCR_WDA)) {
          this.wrsr = (v & WCR_SRS) === 0 ? WRSR_SFTW : WRSR_TOUT;
          this.ctx.requestReset();
          return;
        }
        this.wcr = (v & 0xffff) | (this.wcr & WCR_LOCKED);
        if ((this.wcr & WCR_WDE) !== 0 && !this.timeout.armed) this.service();
        return;
      case WSR:
        // The counter reloads after 0x5555 followed by 0xAAAA.
        if (v === 0x5555) this.armed = true;
        else if (v === 0xaaaa && this.armed) { this.armed = false; this.service(); }
        else this.armed = false;
        return;
      case WRSR: return; // read-only
      case WICR:
        // WIE and WICT are write-once (reference manual §70.7.4; QEMU 7.2 ignores later writes).
        if (!this.wicrLocked) {
          this.wicr = (this.wicr & ~(WICR_WIE | 0xff)) | (v & (WICR_WIE | 0xff));
          this.wicrLocked = true;
        }
        if ((v & WICR_WTIS) !== 0) this.wicr &= ~WICR_WTIS; // write 1 to clear
        this.update();
        return;
      case WMCR: this.wmcr = v & 1; return;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `write to unmodelled offset 0x${offset.toString(16)} ignored`);
    }
  }

  /** Reload the time-out counter: (WT + 1) half seconds, the pre-timeout WICT half seconds earlier. */
  private service(): void {
    if ((this.wcr & WCR_WDE) === 0) return;
    const clock = this.ctx.clock;
    const half = clock.hz / 2;
    const at = clock.now + (((this.wcr >>> 8) & 0xff) + 1) * half;
    clock.schedule(this.timeout, at);
    const pre = (this.wicr & 0xff) * half;
    if ((this.wicr & WICR_WIE) !== 0 && pre > 0 && at - pre > clock.now) clock.schedule(this.pretimeout, at - pre);
    else clock.cancel(this.pretimeout);
  }

  private expire(): void {
    this.wrsr = WRSR_TOUT;
    this.ctx.warn('watchdog time-out: resetting the system (WRSR.TOUT)');
    this.ctx.requestReset();
  }

  private update(): void {
    const l = (this.wicr & (WICR_WIE | WICR_WTIS)) === (WICR_WIE | WICR_WTIS);
    if (l !== this.level) { this.level = l; this.irq.set(l); }
  }
}

export const imxWdogType: DeviceType = {
  compatible: ['fsl,imx6q-wdt', 'fsl,imx21-wdt'],
  description: 'NXP i.MX watchdog (QEMU imx2.wdt): WCR/WSR service sequence/WRSR/WICR/WMCR; time-out resets the system',
  create: (ctx) => new ImxWdog(ctx),
};
