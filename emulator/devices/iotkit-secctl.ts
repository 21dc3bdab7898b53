// The SSE-200 secure privilege control block (SSE-200 TRM 101104 §3.5) and the
// peripheral protection controllers it drives, as QEMU 7.2 models them in
// hw/misc/iotkit-secctl.c and hw/misc/tz-ppc.c. One model holds the S frame
// (0x50080000), the PPC state, NSCCFG and the IDAU; IotKitSecCtlNs is the NS frame.
import type { AccessSize, MmioDevice } from '../bus';
import { ATTR_DEBUG, ATTR_PRIV, ATTR_SECURE, BusError } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { readId } from './apb-common';
import { fanOut, hex32, irqCount, lookup, publish, type Idau, type IdauResult } from './sse-common';

const SECRESPCFG = 0x10;
const NSCCFG = 0x14;
const SECMPCINTSTATUS = 0x1c;
const SECPPCINTSTAT = 0x20;
const SECPPCINTCLR = 0x24;
const SECPPCINTEN = 0x28;
const SECMSCINTSTAT = 0x30;
const SECMSCINTCLR = 0x34;
const SECMSCINTEN = 0x38;
const BRGINTSTAT = 0x40;
const BRGINTCLR = 0x44;
const BRGINTEN = 0x48;
const AHBNSPPC0 = 0x50;
const AHBNSPPCEXP0 = 0x60;
const APBNSPPC0 = 0x70;
const APBNSPPCEXP0 = 0x80;
const AHBSPPPC0 = 0x90; // AHBNSPPPC0 in the NS frame
const AHBSPPPCEXP0 = 0xa0;
const APBSPPPC0 = 0xb0;
const APBSPPPCEXP0 = 0xc0;
const NSMSCEXP = 0xd0;
const ID_FIRST = 0xfd0;
const ID_LAST = 0xffc;

/** SECPPCINTSTAT/SECPPCINTEN bits that exist (APB PPC0/1, APB EXP0-3, AHB EXP0-3). */
const PPC_INT_MASK = 0x00f000f3;

const S_IDS = [0x04, 0x00, 0x00, 0x00, 0x52, 0xb8, 0x0b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const NS_IDS = [0x04, 0x00, 0x00, 0x00, 0x53, 0xb8, 0x0b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/**
 * A PPC's id is its bit in SECPPCINTSTAT: APB PPC0 = 0, APB PPC1 = 1, APB PPCEXPn = 4+n,
 * AHB PPCEXPn = 20+n. A DTS gate index is (id << 8) | port, e.g. 0x0505 = APBPPCEXP1 port 5.
 */
const PPC_LAYOUT: ReadonlyArray<[id: number, name: string, ports: number]> = [
  [0, 'APB PPC0', 5], [1, 'APB PPC1', 1],
  [4, 'APB PPCEXP0', 16], [5, 'APB PPCEXP1', 16], [6, 'APB PPCEXP2', 16], [7, 'APB PPCEXP3', 16],
  [20, 'AHB PPCEXP0', 16], [21, 'AHB PPCEXP1', 16], [22, 'AHB PPCEXP2', 16], [23, 'AHB PPCEXP3', 16],
];

/** One PPC: its configuration from the secctl registers and its interrupt state (tz-ppc.c). */
class Ppc {
  ns = 0;
  sp = 0;
  nsp = 0;
  irqEnable = false;
  irqClear = false;
  irqStatus = false;
  constructor(readonly id: number, readonly name: string, readonly ports: number) {}
  get mask(): number { return this.ports >= 32 ? 0xffffffff : (1 << this.ports) - 1; }
  get irqOut(): boolean { return this.irqStatus && this.irqEnable; }
  reset(): void {
    this.ns = this.sp = this.nsp = 0;
    this.irqStatus = false;
  }
}

export class IotKitSecCtl implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private secrespcfg = 0;
  private nsccfg = 0;
  private mpcintstatus = 0;
  private secppcintstat = 0;
  private secppcinten = 0;
  private secmscintstat = 0;
  private secmscinten = 0;
  private nsmscexp = 0;
  private brginten = 0;
  private readonly ppcs: Ppc[] = PPC_LAYOUT.map(([id, name, ports]) => new Ppc(id, name, ports));
  private readonly byId = new Map<number, Ppc>(this.ppcs.map((p) => [p.id, p]));
  /** The combined PPC interrupt (SSE IRQ 10), to every core. */
  private readonly ppcIrq: IrqLine;
  private ppcIrqLevel = false;
  private readonly warned = new Set<string>();
  private readonly idauResult: IdauResult = { secure: false, nsc: false, exempt: false, region: 0, regionValid: true };

  /**
   * The SSE-200 IDAU (QEMU armsse_idau_check): address bits [31:28] are the region;
   * odd regions are Secure; regions 1 and 3 are NSC when NSCCFG.CODENSC / RAMNSC is set;
   * 0xE0000000-0xE00FFFFF and 0xF0000000-0xF00FFFFF are exempt. The result object is
   * reused between calls so the core's lookup allocates nothing.
   */
  readonly idau: Idau = {
    lookup: (addr: number): IdauResult => {
      const r = this.idauResult;
      const region = addr >>> 28;
      r.region = region;
      r.secure = (region & 1) === 1;
      r.nsc = (region === 1 && (this.nsccfg & 1) !== 0) || (region === 3 && (this.nsccfg & 2) !== 0);
      r.exempt = ((addr & 0xeff00000) >>> 0) === 0xe0000000;
      r.regionValid = true;
      return r;
    },
    onChange: (listener: () => void): void => { this.idauListeners.push(listener); },
  };
  private readonly idauListeners: Array<() => void> = [];

  private setNscCfg(v: number): void {
    if (v === this.nsccfg) return;
    this.nsccfg = v;
    for (const l of this.idauListeners) l();
  }

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.ppcIrq = fanOut(ctx, irqCount(ctx));
    publish(ctx, this);
    this.reset();
  }

  reset(): void {
    this.secrespcfg = 0;
    this.setNscCfg(0);
    this.secppcintstat = 0;
    this.secppcinten = 0;
    this.brginten = 0;
    this.secmscinten = 0;
    this.nsmscexp = 0;
    for (const p of this.ppcs) { p.reset(); p.irqEnable = false; p.irqClear = false; }
    this.updatePpcIrq();
  }

  /** NSCCFG as the IDAU sees it (bit 0 CODENSC, bit 1 RAMNSC). */
  get nscCfg(): number { return this.nsccfg; }

  /** An MPC's interrupt level, reported into SECMPCINTSTATUS (bit n: SRAM MPC n, bit 16+n: expansion MPC n). */
  mpcStatus(bit: number, level: boolean): void {
    if (bit < 0 || bit > 31) return;
    this.mpcintstatus = level ? (this.mpcintstatus | (1 << bit)) >>> 0 : (this.mpcintstatus & ~(1 << bit)) >>> 0;
  }

  // ---- the S register frame

  read(offset: number, size: AccessSize, _attrs: number): number {
    const off = offset & ~3;
    let r: number;
    switch (off) {
      case AHBNSPPC0: case AHBSPPPC0: r = 0; break; // no internal AHB PPC on SSE-200
      case SECRESPCFG: r = this.secrespcfg; break;
      case NSCCFG: r = this.nsccfg; break;
      case SECMPCINTSTATUS: r = this.mpcintstatus; break;
      case SECPPCINTSTAT: r = this.secppcintstat; break;
      case SECPPCINTEN: r = this.secppcinten; break;
      case BRGINTSTAT: r = 0; break; // writes are never buffered, so no bridge errors (as QEMU)
      case BRGINTEN: r = this.brginten; break;
      case SECMSCINTSTAT: r = this.secmscintstat; break;
      case SECMSCINTEN: r = this.secmscinten; break;
      case NSMSCEXP: r = this.nsmscexp; break;
      default: {
        const p = this.regPpc(off, false);
        if (p !== undefined) { r = p[0][p[1]]; break; }
        if (off >= ID_FIRST && off <= ID_LAST) { r = readId(S_IDS, off); break; }
        warnOnce(this.ctx, this.warned, `r${off}`, `${this.name}: read of ${off === SECPPCINTCLR || off === SECMSCINTCLR || off === BRGINTCLR ? 'write-only' : 'unmodelled'} offset 0x${off.toString(16)} returns 0`);
        r = 0;
      }
    }
    return size === 4 ? r >>> 0 : (r >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    if (size !== 4) {
      warnOnce(this.ctx, this.warned, 'size', `${this.name}: ${size}-byte write to offset 0x${offset.toString(16)} ignored (the block takes word writes only, as on QEMU)`);
      return;
    }
    value >>>= 0;
    switch (offset) {
      case NSCCFG: this.setNscCfg(value & 3); return;
      case SECRESPCFG: this.secrespcfg = value & 1; return;
      case SECPPCINTCLR:
        this.secppcintstat = (this.secppcintstat & ~(value & PPC_INT_MASK)) >>> 0;
        // QEMU drives each PPC's irq_clear input with that PPC's SECPPCINTSTAT bit *after*
        // the clear, so a PPC whose bit is still set drops its pending status. Kept as is.
        for (const p of this.ppcs) {
          p.irqClear = ((this.secppcintstat >>> p.id) & 1) !== 0;
          if (p.irqClear) p.irqStatus = false;
        }
        this.updatePpcIrq();
        return;
      case SECPPCINTEN:
        this.secppcinten = value & PPC_INT_MASK;
        for (const p of this.ppcs) p.irqEnable = ((this.secppcinten >>> p.id) & 1) !== 0;
        this.updatePpcIrq();
        return;
      case BRGINTCLR: return;
      case BRGINTEN: this.brginten = (value & 0xffff0000) >>> 0; return;
      case SECMSCINTCLR: return; // no MSC-guarded bus masters are modelled
      case SECMSCINTEN: this.secmscinten = value; return;
      case NSMSCEXP: this.nsmscexp = value; return;
    }
    const p = this.regPpc(offset, false);
    if (p !== undefined) {
      const [ppc, field] = p;
      ppc[field] = (value & ppc.mask) >>> 0;
      return;
    }
    warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write to ${offset >= ID_FIRST && offset <= ID_LAST || offset === SECMPCINTSTATUS || offset === SECPPCINTSTAT || offset === SECMSCINTSTAT || offset === BRGINTSTAT ? 'read-only' : 'unmodelled'} offset 0x${offset.toString(16)} ignored`);
  }

  /** The NS frame's registers (AHB/APB NS privilege PPC masks), shared with IotKitSecCtlNs. */
  nsFrameRead(off: number): number | undefined {
    if (off === AHBSPPPC0) return 0;
    const p = this.regPpc(off, true);
    return p === undefined ? undefined : p[0][p[1]];
  }
  nsFrameWrite(off: number, value: number): boolean {
    const p = this.regPpc(off, true);
    if (p === undefined) return false;
    p[0].nsp = (value & p[0].mask) >>> 0;
    return true;
  }

  /** Which PPC register an offset is: in the S frame ns/sp, in the NS frame nsp. */
  private regPpc(off: number, nsFrame: boolean): [Ppc, 'ns' | 'sp' | 'nsp'] | undefined {
    const n = (off >> 2) & 3;
    const field = nsFrame ? 'nsp' : undefined;
    let id: number;
    let f: 'ns' | 'sp' | 'nsp';
    if (!nsFrame && off >= AHBNSPPCEXP0 && off < AHBNSPPCEXP0 + 16) { id = 20 + n; f = 'ns'; }
    else if (!nsFrame && (off === APBNSPPC0 || off === APBNSPPC0 + 4)) { id = n; f = 'ns'; }
    else if (!nsFrame && off >= APBNSPPCEXP0 && off < APBNSPPCEXP0 + 16) { id = 4 + n; f = 'ns'; }
    else if (off >= AHBSPPPCEXP0 && off < AHBSPPPCEXP0 + 16) { id = 20 + n; f = field ?? 'sp'; }
    else if (off === APBSPPPC0 || off === APBSPPPC0 + 4) { id = n; f = field ?? 'sp'; }
    else if (off >= APBSPPPCEXP0 && off < APBSPPPCEXP0 + 16) { id = 4 + n; f = field ?? 'sp'; }
    else return undefined;
    const ppc = this.byId.get(id);
    return ppc === undefined ? undefined : [ppc, f];
  }

  private updatePpcIrq(): void {
    let any = false;
    for (const p of this.ppcs) {
      const out = p.irqOut;
      // The PPC's irq output feeds its SECPPCINTSTAT bit (iotkit_secctl_ppc_irqstatus).
      this.secppcintstat = out ? (this.secppcintstat | (1 << p.id)) >>> 0 : (this.secppcintstat & ~(1 << p.id)) >>> 0;
      if (out) any = true;
    }
    if (any !== this.ppcIrqLevel) {
      this.ppcIrqLevel = any;
      this.ppcIrq.set(any);
    }
  }

  // ---- PPC gating (tz-ppc.c tz_ppc_check)

  /**
   * Wrap `inner`, which sits on PPC port `index` ((ppc id << 8) | port), so each access is
   * checked against that port's NS and privilege configuration. A blocked access sets the
   * PPC's interrupt status and is RAZ/WI, or a bus error when SECRESPCFG is 1.
   * Debugger accesses (ATTR_DEBUG) always pass and change nothing.
   */
  gate(index: number, inner: MmioDevice, mappedAt: number, name: string): MmioDevice {
    const ppc = this.byId.get(index >>> 8);
    const port = index & 0xff;
    if (ppc === undefined || port >= ppc.ports) {
      throw new Error(`${name}: tandem,ppc index 0x${index.toString(16)} names no port of ${this.name} ` +
        `(use (ppc << 8) | port with ppc 0, 1 (APB PPC0/1), 4-7 (APB PPCEXP0-3) or 20-23 (AHB PPCEXP0-3))`);
    }
    const bit = 1 << port;
    const self = this;
    const blocked = (attrs: number): boolean => {
      if ((attrs & ATTR_DEBUG) !== 0) return false;
      const nonsec = (ppc.ns & bit) !== 0;
      const secure = (attrs & ATTR_SECURE) !== 0;
      const ap = ((nonsec ? ppc.nsp : ppc.sp) & bit) !== 0;
      if (secure !== nonsec && ((attrs & ATTR_PRIV) !== 0 || ap)) return false;
      if (!ppc.irqClear) { // holding irq_clear high suppresses the interrupt
        ppc.irqStatus = true;
        self.updatePpcIrq();
      }
      return true;
    };
    const why = (attrs: number): string =>
      `${name}: ${(attrs & ATTR_SECURE) !== 0 ? 'secure' : 'non-secure'} ${(attrs & ATTR_PRIV) !== 0 ? 'privileged' : 'unprivileged'} access blocked by ${ppc.name} port ${port}`;
    return {
      name: inner.name,
      read(offset: number, size: AccessSize, attrs: number): number {
        if (blocked(attrs)) {
          if (self.secrespcfg !== 0) throw new BusError(mappedAt + offset, false, why(attrs));
          return 0;
        }
        return inner.read(offset, size, attrs);
      },
      write(offset: number, size: AccessSize, value: number, attrs: number): void {
        if (blocked(attrs)) {
          if (self.secrespcfg !== 0) throw new BusError(mappedAt + offset, true, why(attrs));
          return;
        }
        inner.write(offset, size, value, attrs);
      },
    };
  }

  /** For a UI: the security of each PPC port. */
  describePort(index: number): { nonSecure: boolean; unprivileged: boolean } | undefined {
    const ppc = this.byId.get(index >>> 8);
    const port = index & 0xff;
    if (ppc === undefined || port >= ppc.ports) return undefined;
    const ns = ((ppc.ns >>> port) & 1) !== 0;
    return { nonSecure: ns, unprivileged: (((ns ? ppc.nsp : ppc.sp) >>> port) & 1) !== 0 };
  }
}

/**
 * The non-secure privilege control frame (0x40080000): the NS privilege masks of the
 * PPCs. `tandem,secctl` names the S frame's node (e.g. "secctl@50080000").
 */
export class IotKitSecCtlNs implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private readonly sName: string;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.sName = ctx.props.string('tandem,secctl') ?? '';
    if (this.sName === '') ctx.warn(`${ctx.name}: no tandem,secctl property naming the secure frame's node; the NS frame reads 0`);
  }

  private get s(): IotKitSecCtl | undefined {
    const m = lookup(this.ctx.clock, this.sName);
    return m instanceof IotKitSecCtl ? m : undefined;
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    const off = offset & ~3;
    let r = off >= ID_FIRST && off <= ID_LAST ? readId(NS_IDS, off) : this.s?.nsFrameRead(off);
    if (r === undefined) {
      warnOnce(this.ctx, this.warned, `r${off}`, `${this.name}: read of unmodelled offset 0x${off.toString(16)} returns 0`);
      r = 0;
    }
    return size === 4 ? r >>> 0 : (r >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    if (size !== 4) {
      warnOnce(this.ctx, this.warned, 'size', `${this.name}: ${size}-byte write to offset 0x${offset.toString(16)} ignored (word writes only, as on QEMU)`);
      return;
    }
    if (this.s?.nsFrameWrite(offset, value >>> 0)) return;
    warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write of ${hex32(value)} to ${offset >= ID_FIRST ? 'read-only' : 'unmodelled'} offset 0x${offset.toString(16)} ignored`);
  }
}

export const iotKitSecCtlType: DeviceType = {
  compatible: ['arm,iotkit-secctl'],
  description: 'SSE-200 secure privilege control block (QEMU iotkit-secctl) with its PPCs (tz-ppc) and the IDAU',
  create: (ctx) => new IotKitSecCtl(ctx),
};

export const iotKitSecCtlNsType: DeviceType = {
  compatible: ['arm,iotkit-secctl-ns'],
  description: 'SSE-200 non-secure privilege control block (QEMU iotkit-secctl NS frame)',
  create: (ctx) => new IotKitSecCtlNs(ctx),
};
