// Arm Generic Interrupt Controller v1 (PL390 / Cortex-A9 MPCore interrupt controller) with
// the Security Extensions: distributor plus one banked CPU interface per core, Group 0
// (secure, FIQ when GICC_CTLR.FIQEn) and Group 1 (non-secure). Behaviour follows the GIC
// Architecture Specification v1/v2 (IHI 0048B) as QEMU 7.2's arm_gic models revision 1.
import type { AccessSize, MmioDevice } from '../bus';
import { ATTR_DEBUG, ATTR_SECURE } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, type IrqLine, NO_IRQ, warnOnce } from './device';
import { truncate } from './apb-common';

// ---- distributor (IHI 0048B §4.3), offsets in the 4 KiB distributor page
const GICD_CTLR = 0x000;
const GICD_TYPER = 0x004;
const GICD_IIDR = 0x008;
const GICD_IGROUPR = 0x080;
const GICD_ISENABLER = 0x100;
const GICD_ICENABLER = 0x180;
const GICD_ISPENDR = 0x200;
const GICD_ICPENDR = 0x280;
const GICD_ISACTIVER = 0x300;
const GICD_ICACTIVER = 0x380;
const GICD_IPRIORITYR = 0x400;
const GICD_ITARGETSR = 0x800;
const GICD_ICFGR = 0xc00;
const GICD_SGIR = 0xf00;

// ---- CPU interface (IHI 0048B §4.4), offsets in the CPU interface window
const GICC_CTLR = 0x00;
const GICC_PMR = 0x04;
const GICC_BPR = 0x08;
const GICC_IAR = 0x0c;
const GICC_EOIR = 0x10;
const GICC_RPR = 0x14;
const GICC_HPPIR = 0x18;
const GICC_ABPR = 0x1c;
const GICC_IIDR = 0xfc;

const CTLR_EN_GRP0 = 1 << 0;
const CTLR_EN_GRP1 = 1 << 1;
const CTLR_ACK_CTL = 1 << 2;
const CTLR_FIQ_EN = 1 << 3;
const CTLR_CBPR = 1 << 4;
const CPU_CTLR_MASK = 0x1f;

/** Read back on a Cortex-A9 MPCore under QEMU 7.2 (GICD_IIDR, GICC_IIDR: revision 1). */
const DIST_IIDR = 0x0000043b;
const CPU_IIDR = 0x0001043b;
/** GICD PIDR4..7, PIDR0..3, CIDR0..3 at 0xFD0..0xFFC, as QEMU's gic_id_gicv1 reads back. */
const DIST_ID = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb3, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

const SPURIOUS = 1023;
const NO_GROUP0_ACK = 1022;
const IDLE_PRIORITY = 0x100;
const MAX_CPUS = 8;
const NR_SGIS = 16;
const NR_INTERNAL = 32;

/** Minimum binary point of the secure and the aliased (non-secure) copy (QEMU GIC_MIN_BPR/ABPR). */
const MIN_BPR = 0;
const MIN_ABPR = 1;

export class ArmGic implements DeviceModel {
  readonly name: string;
  readonly size = 0x1000;
  readonly numIrq: number;
  readonly numCpu: number;
  readonly securityExtn: boolean;
  /** Implemented priority bits, from the top (Cortex-A9 MPCore: 5, i.e. 32 levels). */
  private readonly prioMask: number;

  private distCtlr = 0;
  // Per interrupt; for ids < 32 every array below is banked: index = cpu * 32 + id.
  private readonly enabled: Uint8Array;
  private readonly pending: Uint8Array;
  private readonly active: Uint8Array;
  private readonly level: Uint8Array;
  private readonly edge: Uint8Array;
  private readonly group: Uint8Array;
  private readonly priority: Uint8Array;
  private readonly targets: Uint8Array;
  /** SGI pending per (target cpu, sgi): bitmask of source CPUs. */
  private readonly sgiSources: Uint8Array;

  private readonly cpuCtlr: Uint8Array;
  private readonly pmr: Uint16Array;
  private readonly bpr: Uint8Array;
  private readonly abpr: Uint8Array;
  private readonly runningPrio: Uint16Array;
  /** Interrupts each CPU has acknowledged and not yet ended, in activation order (bounded by numIrq). */
  private readonly activeStack: number[][];
  /** Highest-priority pending interrupt per CPU, as computed by the last update. */
  private readonly bestIrq: Int16Array;
  private readonly irqOut: IrqLine[];
  private readonly fiqOut: IrqLine[];
  private readonly irqLevel: Uint8Array;
  private readonly fiqLevel: Uint8Array;
  private readonly views = new Map<number, MmioDevice>();
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    const n = ctx.props.u32('arm,num-irqs', 160) ?? 160;
    if (n < NR_INTERNAL || n > 1020 || n % 32 !== 0) throw new Error(`${ctx.name}: arm,num-irqs = <${n}> must be a multiple of 32 between 32 and 1020`);
    const c = ctx.props.u32('arm,num-cpus', ctx.cpus?.count ?? 1) ?? 1;
    if (c < 1 || c > MAX_CPUS) throw new Error(`${ctx.name}: arm,num-cpus = <${c}> must be 1..${MAX_CPUS}`);
    this.numIrq = n;
    this.numCpu = c;
    this.securityExtn = !ctx.props.has('arm,no-security-extensions');
    const bits = ctx.props.u32('arm,priority-bits', 5) ?? 5;
    if (bits < 4 || bits > 8) throw new Error(`${ctx.name}: arm,priority-bits = <${bits}> must be 4..8`);
    this.prioMask = (0xff << (8 - bits)) & 0xff;
    const banked = n + (c - 1) * NR_INTERNAL;
    this.enabled = new Uint8Array(banked);
    this.pending = new Uint8Array(banked);
    this.active = new Uint8Array(banked);
    this.level = new Uint8Array(banked);
    this.edge = new Uint8Array(banked);
    this.group = new Uint8Array(banked);
    this.priority = new Uint8Array(banked);
    this.targets = new Uint8Array(n);
    this.sgiSources = new Uint8Array(c * NR_SGIS);
    this.cpuCtlr = new Uint8Array(c);
    this.pmr = new Uint16Array(c);
    this.bpr = new Uint8Array(c);
    this.abpr = new Uint8Array(c);
    this.runningPrio = new Uint16Array(c);
    this.activeStack = Array.from({ length: c }, () => []);
    this.bestIrq = new Int16Array(c);
    this.irqOut = Array.from({ length: c }, () => NO_IRQ);
    this.fiqOut = Array.from({ length: c }, () => NO_IRQ);
    this.irqLevel = new Uint8Array(c);
    this.fiqLevel = new Uint8Array(c);
    this.reset();
  }

  reset(): void {
    this.distCtlr = 0;
    for (const a of [this.enabled, this.pending, this.active, this.level, this.group, this.priority, this.sgiSources, this.cpuCtlr, this.targets]) a.fill(0);
    this.edge.fill(0);
    for (let cpu = 0; cpu < this.numCpu; cpu++) {
      // SGIs are always enabled and edge-triggered (IHI 0048B §4.3.5, §4.3.13).
      for (let i = 0; i < NR_SGIS; i++) { this.enabled[this.bank(cpu, i)] = 1; this.edge[this.bank(cpu, i)] = 1; }
      this.pmr[cpu] = 0;
      this.bpr[cpu] = MIN_BPR;
      this.abpr[cpu] = MIN_ABPR;
      this.runningPrio[cpu] = IDLE_PRIORITY;
      this.activeStack[cpu].length = 0;
      this.bestIrq[cpu] = SPURIOUS;
    }
    this.update();
  }

  /** The index of interrupt `id` in the per-interrupt arrays, as seen by `cpu`. */
  private bank(cpu: number, id: number): number {
    return id < NR_INTERNAL ? cpu * NR_INTERNAL + id : (this.numCpu - 1) * NR_INTERNAL + id;
  }

  // ---- wiring ---------------------------------------------------------------------

  connectCpu(core: number, irq: IrqLine, fiq: IrqLine): void {
    if (core < 0 || core >= this.numCpu) return;
    this.irqOut[core] = irq;
    this.fiqOut[core] = fiq;
    this.irqLevel[core] = 0;
    this.fiqLevel[core] = 0;
    this.update();
  }

  /**
   * The input a consumer's `interrupts` cells name (Linux arm,gic binding: <type number flags>,
   * type 0 = SPI (id 32 + number), 1 = PPI (id 16 + number, on `core`)).
   */
  interruptInput(cells: readonly number[], core: number): IrqLine | undefined {
    if (cells.length < 2) return undefined;
    const [type, num] = cells;
    if (type === 0) return num >= 0 && num + NR_INTERNAL < this.numIrq ? this.line(num + NR_INTERNAL, 0) : undefined;
    if (type === 1) return num >= 0 && num < 16 && core >= 0 && core < this.numCpu ? this.line(num + 16, core) : undefined;
    return undefined;
  }

  /** A device's line into interrupt `id` (for a PPI, on `cpu`). */
  line(id: number, cpu: number): IrqLine {
    if (id < NR_SGIS || id >= this.numIrq) throw new Error(`${this.name}: no input for interrupt ${id}`);
    const i = this.bank(id < NR_INTERNAL ? cpu : 0, id);
    return {
      set: (l: boolean) => this.setLevel(i, id, l),
      pulse: () => { this.setLevel(i, id, true); this.setLevel(i, id, false); },
    };
  }

  private setLevel(i: number, _id: number, l: boolean): void {
    const v = l ? 1 : 0;
    if (this.level[i] === v) return;
    this.level[i] = v;
    if (l && this.edge[i]) this.pending[i] = 1;
    this.update();
  }

  /** Per-core register view: region 0 is the distributor, region 1 the CPU interface. */
  mmioFor(core: number, region: number): MmioDevice | undefined {
    if (core < 0 || core >= this.numCpu || region > 1) return undefined;
    const key = core * 2 + region;
    let v = this.views.get(key);
    if (v === undefined) {
      v = region === 0
        ? { name: this.name, read: (o, s, a) => this.distRead(core, o, s, a), write: (o, s, val, a) => this.distWrite(core, o, s, val, a) }
        : { name: `${this.name} cpu-interface`, read: (o, s, a) => this.cpuRead(core, o, s, a), write: (o, s, val, a) => this.cpuWrite(core, o, s, val, a) };
      this.views.set(key, v);
    }
    return v;
  }

  // Without a per-core view (a single-core machine or a debugger), accesses act as CPU 0.
  read(offset: number, size: AccessSize, attrs: number): number { return this.distRead(0, offset, size, attrs); }
  write(offset: number, size: AccessSize, value: number, attrs: number): void { this.distWrite(0, offset, size, value, attrs); }

  // ---- state queries ----------------------------------------------------------------

  private isPending(i: number): boolean {
    return this.pending[i] !== 0 || (this.edge[i] === 0 && this.level[i] !== 0);
  }

  /** Pending from the point of view of `cpu` (SGIs: any source). */
  private pendingFor(cpu: number, id: number): boolean {
    if (id < NR_SGIS) return this.sgiSources[cpu * NR_SGIS + id] !== 0;
    return this.isPending(this.bank(cpu, id));
  }

  private groupPriority(cpu: number, id: number): number {
    const prio = this.priority[this.bank(cpu, id)];
    // Group 1 uses the aliased binary point unless CBPR (IHI 0048B §3.3.3).
    const useAbpr = this.securityExtn && (this.cpuCtlr[cpu] & CTLR_CBPR) === 0 && this.group[this.bank(cpu, id)] !== 0;
    const bpr = useAbpr ? this.abpr[cpu] - 1 : this.bpr[cpu];
    return prio & ((0xff << ((bpr & 7) + 1)) & 0xff);
  }

  /** Recompute each CPU's best pending interrupt and drive its IRQ/FIQ outputs. */
  private update(): void {
    const grpEnabled = this.securityExtn ? this.distCtlr & 3 : (this.distCtlr & 1) * 3;
    for (let cpu = 0; cpu < this.numCpu; cpu++) {
      let best = SPURIOUS;
      let bestPrio = IDLE_PRIORITY;
      const cm = 1 << cpu;
      if (grpEnabled !== 0) {
        for (let id = 0; id < this.numIrq; id++) {
          const i = this.bank(cpu, id);
          if (this.enabled[i] === 0) continue;
          if (id >= NR_INTERNAL && (this.targets[id] & cm) === 0) continue;
          if (!this.pendingFor(cpu, id)) continue;
          if (this.active[i] !== 0) continue; // active (and maybe pending again): not signalled until EOI
          if ((grpEnabled & (1 << this.group[i])) === 0) continue;
          if (this.priority[i] < bestPrio) { bestPrio = this.priority[i]; best = id; }
        }
      }
      this.bestIrq[cpu] = best;
      let irq = 0;
      let fiq = 0;
      const ctlr = this.cpuCtlr[cpu];
      if (best !== SPURIOUS && bestPrio < this.pmr[cpu] && this.groupPriority(cpu, best) < this.runningPrio[cpu]) {
        const g = this.group[this.bank(cpu, best)];
        const enabled = this.securityExtn ? (ctlr & (1 << g)) !== 0 : (ctlr & CTLR_EN_GRP0) !== 0;
        if (enabled) {
          if (g === 0 && this.securityExtn && (ctlr & CTLR_FIQ_EN) !== 0) fiq = 1; else irq = 1;
        }
      }
      if (irq !== this.irqLevel[cpu]) { this.irqLevel[cpu] = irq; this.irqOut[cpu].set(irq !== 0); }
      if (fiq !== this.fiqLevel[cpu]) { this.fiqLevel[cpu] = fiq; this.fiqOut[cpu].set(fiq !== 0); }
    }
  }

  // ---- distributor registers --------------------------------------------------------

  /** Non-secure accesses see only Group 1 interrupts (IHI 0048B §4.1.6). */
  private nsHidden(secure: boolean, i: number): boolean {
    return this.securityExtn && !secure && this.group[i] === 0;
  }

  private distRead(cpu: number, offset: number, size: AccessSize, attrs: number): number {
    const secure = (attrs & ATTR_SECURE) !== 0 || !this.securityExtn;
    const word = offset & ~3;
    const shift = (offset & 3) * 8;
    let r: number;
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + this.numIrq) {
      r = 0;
      for (let b = 0; b < size; b++) r |= this.readPriority(cpu, offset - GICD_IPRIORITYR + b, secure) << (8 * b);
      return r >>> 0;
    }
    if (offset >= GICD_ITARGETSR && offset < GICD_ITARGETSR + this.numIrq) {
      r = 0;
      for (let b = 0; b < size; b++) {
        const id = offset - GICD_ITARGETSR + b;
        const i = this.bank(cpu, id);
        const t = this.nsHidden(secure, i) ? 0 : id < NR_INTERNAL ? 1 << cpu : this.targets[id];
        r |= t << (8 * b);
      }
      return r >>> 0;
    }
    switch (word) {
      case GICD_CTLR:
        r = secure ? this.distCtlr : (this.distCtlr >> 1) & 1;
        break;
      case GICD_TYPER:
        r = ((this.numIrq / 32) - 1) | ((this.numCpu - 1) << 5) | (this.securityExtn ? 1 << 10 : 0);
        break;
      case GICD_IIDR: r = DIST_IIDR; break;
      default:
        r = this.readBitRegister(cpu, word, secure, offset);
    }
    return truncate(r >>> shift, size);
  }

  /** The one-bit-per-interrupt and two-bit ICFGR registers, plus ID and SGIR (read as 0). */
  private readBitRegister(cpu: number, word: number, secure: boolean, offset: number): number {
    const bitReg = (base: number, len: number) => word >= base && word < base + len && word - base < this.numIrq / 8;
    const collect = (base: number, test: (i: number, id: number) => boolean) => {
      let v = 0;
      const first = (word - base) * 8;
      for (let b = 0; b < 32; b++) {
        const id = first + b;
        const i = this.bank(cpu, id);
        if (this.nsHidden(secure, i)) continue;
        if (test(i, id)) v |= 1 << b;
      }
      return v >>> 0;
    };
    if (bitReg(GICD_IGROUPR, 0x80)) return secure && this.securityExtn ? collect(GICD_IGROUPR, (i) => this.group[i] !== 0) : 0;
    if (bitReg(GICD_ISENABLER, 0x80)) return collect(GICD_ISENABLER, (i) => this.enabled[i] !== 0);
    if (bitReg(GICD_ICENABLER, 0x80)) return collect(GICD_ICENABLER, (i) => this.enabled[i] !== 0);
    if (bitReg(GICD_ISPENDR, 0x80)) return collect(GICD_ISPENDR, (_i, id) => this.pendingFor(cpu, id));
    if (bitReg(GICD_ICPENDR, 0x80)) return collect(GICD_ICPENDR, (_i, id) => this.pendingFor(cpu, id));
    if (bitReg(GICD_ISACTIVER, 0x80)) return collect(GICD_ISACTIVER, (i) => this.active[i] !== 0);
    if (bitReg(GICD_ICACTIVER, 0x80)) return collect(GICD_ICACTIVER, (i) => this.active[i] !== 0);
    if (word >= GICD_ICFGR && word < GICD_ICFGR + this.numIrq / 4) {
      let v = 0;
      const first = (word - GICD_ICFGR) * 4;
      for (let b = 0; b < 16; b++) {
        const i = this.bank(cpu, first + b);
        if (this.nsHidden(secure, i)) continue;
        if (this.edge[i]) v |= 2 << (b * 2);
      }
      return v >>> 0;
    }
    if (word >= 0xfd0) return DIST_ID[(word - 0xfd0) >> 2] ?? 0;
    if (word === GICD_SGIR) return 0;
    warnOnce(this.ctx, this.warned, `dr${word}`, `read of unmodelled distributor offset 0x${offset.toString(16)} returns 0`);
    return 0;
  }

  private readPriority(cpu: number, id: number, secure: boolean): number {
    const i = this.bank(cpu, id);
    if (!secure && this.securityExtn) {
      // The non-secure view of a Group 1 priority is shifted left by one (IHI 0048B §3.6.1).
      return this.group[i] === 0 ? 0 : (this.priority[i] << 1) & 0xff;
    }
    return this.priority[i];
  }

  private distWrite(cpu: number, offset: number, size: AccessSize, value: number, attrs: number): void {
    if ((attrs & ATTR_DEBUG) !== 0 && offset === GICD_SGIR) return;
    const secure = (attrs & ATTR_SECURE) !== 0 || !this.securityExtn;
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + this.numIrq) {
      for (let b = 0; b < size; b++) this.writePriority(cpu, offset - GICD_IPRIORITYR + b, (value >>> (8 * b)) & 0xff, secure);
      this.update();
      return;
    }
    if (offset >= GICD_ITARGETSR && offset < GICD_ITARGETSR + this.numIrq) {
      for (let b = 0; b < size; b++) {
        const id = offset - GICD_ITARGETSR + b;
        // SGI/PPI targets are read-only (IHI 0048B §4.3.12).
        if (id < NR_INTERNAL || this.nsHidden(secure, this.bank(cpu, id))) continue;
        // QEMU 7.2 keeps all 8 bits; only the CPUs that exist receive the interrupt.
        this.targets[id] = (value >>> (8 * b)) & 0xff;
      }
      this.update();
      return;
    }
    // Other registers are word registers; a narrower write lands in its byte lane.
    const word = offset & ~3;
    const v = size === 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    switch (word) {
      case GICD_CTLR:
        if (secure) this.distCtlr = this.securityExtn ? v & 3 : v & 1;
        else this.distCtlr = (this.distCtlr & ~2) | ((v & 1) << 1);
        this.update();
        return;
      case GICD_TYPER:
      case GICD_IIDR:
        return;
      case GICD_SGIR:
        this.softwareInterrupt(cpu, v, secure);
        return;
    }
    const first = (base: number) => (word - base) * 8;
    const inRange = (base: number) => word >= base && word < base + 0x80 && word - base < this.numIrq / 8;
    const each = (base: number, fn: (i: number, id: number) => void) => {
      const f = first(base);
      for (let b = 0; b < 32; b++) {
        if (((v >>> b) & 1) === 0) continue;
        const id = f + b;
        const i = this.bank(cpu, id);
        if (this.nsHidden(secure, i)) continue;
        fn(i, id);
      }
      this.update();
    };
    if (inRange(GICD_IGROUPR)) {
      if (!secure || !this.securityExtn) return;
      const f = first(GICD_IGROUPR);
      for (let b = 0; b < 32; b++) this.group[this.bank(cpu, f + b)] = (v >>> b) & 1;
      this.update();
      return;
    }
    if (inRange(GICD_ISENABLER)) { each(GICD_ISENABLER, (i) => { this.enabled[i] = 1; }); return; }
    if (inRange(GICD_ICENABLER)) { each(GICD_ICENABLER, (i, id) => { if (id >= NR_SGIS) this.enabled[i] = 0; }); return; }
    // SGI pending state is set through GICD_SGIR only on GICv1 (IHI 0048B §4.3.7).
    // An SPI with no target CPU is not made pending: QEMU 7.2 pends it for its targets only.
    // A PPI is made pending on the writing CPU (IHI 0048B §4.3.7); QEMU 7.2 ignores it.
    if (inRange(GICD_ISPENDR)) { each(GICD_ISPENDR, (i, id) => { if (id >= NR_SGIS && (id < NR_INTERNAL || this.targets[id] !== 0)) this.pending[i] = 1; }); return; }
    if (inRange(GICD_ICPENDR)) { each(GICD_ICPENDR, (i, id) => { if (id >= NR_SGIS) this.pending[i] = 0; }); return; }
    // GICv1 has read-only Active Bit registers (ICDABR); set/clear-active writes are GICv2.
    if (inRange(GICD_ISACTIVER) || inRange(GICD_ICACTIVER)) return;
    if (word >= GICD_ICFGR && word < GICD_ICFGR + this.numIrq / 4) {
      const f = (word - GICD_ICFGR) * 4;
      for (let b = 0; b < 16; b++) {
        const id = f + b;
        const i = this.bank(cpu, id);
        // SGIs are always edge-triggered; PPIs can be configured, as in QEMU 7.2.
        if (id < NR_SGIS || this.nsHidden(secure, i)) continue;
        this.edge[i] = (v >>> (b * 2 + 1)) & 1;
      }
      this.update();
      return;
    }
    warnOnce(this.ctx, this.warned, `dw${word}`, `write to ${word >= 0xfd0 ? 'read-only ID' : 'unmodelled'} distributor offset 0x${offset.toString(16)} ignored`);
  }

  private writePriority(cpu: number, id: number, v: number, secure: boolean): void {
    const i = this.bank(cpu, id);
    if (!secure && this.securityExtn) {
      if (this.group[i] === 0) return;
      this.priority[i] = (0x80 | (v >> 1)) & this.prioMask;
      return;
    }
    this.priority[i] = v & this.prioMask;
  }

  /** GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], NSATT [15], SGIINTID [3:0]. */
  private softwareInterrupt(cpu: number, v: number, secure: boolean): void {
    const sgi = v & 0xf;
    let targets: number;
    switch ((v >>> 24) & 3) {
      case 0: targets = (v >>> 16) & 0xff; break;
      case 1: targets = ((1 << this.numCpu) - 1) & ~(1 << cpu); break;
      case 2: targets = 1 << cpu; break;
      default: return;
    }
    targets &= (1 << this.numCpu) - 1;
    // A non-secure write, or a secure one with NSATT set, pends only Group 1 SGIs; a
    // secure write with NSATT clear pends only Group 0 SGIs (IHI 0048B §4.3.15). QEMU 7.2
    // filters neither: on sabrelite a secure NSATT=0 write pends a Group 1 SGI, NSATT=1
    // pends a Group 0 one, and a non-secure write pends a Group 0 SGI (the non-secure side
    // then loops on IAR 1023). Firmware that keeps SGIs in Group 0 and sends them from the
    // secure side, as Linux and U-Boot do there, sees no difference; the samples stay there.
    const wantGroup = !this.securityExtn ? -1 : !secure || (v & (1 << 15)) !== 0 ? 1 : 0;
    for (let t = 0; t < this.numCpu; t++) {
      if ((targets & (1 << t)) === 0) continue;
      if (wantGroup >= 0 && this.group[this.bank(t, sgi)] !== wantGroup) continue;
      this.sgiSources[t * NR_SGIS + sgi] |= 1 << cpu;
    }
    this.update();
  }

  // ---- CPU interface registers ------------------------------------------------------

  private cpuRead(cpu: number, offset: number, size: AccessSize, attrs: number): number {
    const secure = (attrs & ATTR_SECURE) !== 0 || !this.securityExtn;
    let r: number;
    switch (offset & ~3) {
      case GICC_CTLR:
        r = secure ? this.cpuCtlr[cpu] : (this.cpuCtlr[cpu] >> 1) & 1;
        break;
      case GICC_PMR:
        r = this.pmr[cpu];
        if (!secure && this.securityExtn) r = (r & 0x80) === 0 ? 0 : (r << 1) & 0xff;
        break;
      case GICC_BPR:
        if (!secure && this.securityExtn) r = (this.cpuCtlr[cpu] & CTLR_CBPR) !== 0 ? Math.min(this.bpr[cpu] + 1, 7) : this.abpr[cpu];
        else r = this.bpr[cpu];
        break;
      case GICC_IAR:
        r = (attrs & ATTR_DEBUG) !== 0 ? this.peekAck(cpu, secure) : this.acknowledge(cpu, secure);
        break;
      case GICC_RPR:
        r = this.runningPrio[cpu] === IDLE_PRIORITY ? 0xff : this.runningPrio[cpu];
        if (!secure && this.securityExtn) r = (r & 0x80) === 0 ? 0 : (r << 1) & 0xff;
        break;
      case GICC_HPPIR:
        r = this.peekAck(cpu, secure);
        break;
      case GICC_ABPR:
        r = secure && this.securityExtn ? this.abpr[cpu] : 0;
        break;
      case GICC_IIDR: r = CPU_IIDR; break;
      case GICC_EOIR: r = 0; break;
      default:
        warnOnce(this.ctx, this.warned, `cr${offset}`, `read of unmodelled CPU interface offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  private cpuWrite(cpu: number, offset: number, _size: AccessSize, value: number, attrs: number): void {
    if ((attrs & ATTR_DEBUG) !== 0 && offset === GICC_EOIR) return;
    const secure = (attrs & ATTR_SECURE) !== 0 || !this.securityExtn;
    switch (offset) {
      case GICC_CTLR:
        if (secure) this.cpuCtlr[cpu] = value & (this.securityExtn ? CPU_CTLR_MASK : CTLR_EN_GRP0);
        else this.cpuCtlr[cpu] = (this.cpuCtlr[cpu] & ~CTLR_EN_GRP1) | ((value & 1) << 1);
        break;
      case GICC_PMR: {
        let p = value & 0xff;
        if (!secure && this.securityExtn) {
          // Non-secure writes cannot raise the mask above the secure range (IHI 0048B §3.6.2).
          if ((this.pmr[cpu] & 0x80) === 0) return;
          p = 0x80 | (p >> 1);
        }
        this.pmr[cpu] = p & this.prioMask;
        break;
      }
      case GICC_BPR:
        if (!secure && this.securityExtn) {
          if ((this.cpuCtlr[cpu] & CTLR_CBPR) !== 0) return;
          this.abpr[cpu] = Math.max(value & 7, MIN_ABPR);
        } else this.bpr[cpu] = Math.max(value & 7, MIN_BPR);
        break;
      case GICC_ABPR:
        if (secure && this.securityExtn) this.abpr[cpu] = Math.max(value & 7, MIN_ABPR);
        break;
      case GICC_EOIR:
        this.endOfInterrupt(cpu, value & 0x3ff, secure);
        break;
      default:
        warnOnce(this.ctx, this.warned, `cw${offset}`, `write to ${offset === GICC_IAR || offset === GICC_RPR || offset === GICC_HPPIR || offset === GICC_IIDR ? 'read-only' : 'unmodelled'} CPU interface offset 0x${offset.toString(16)} ignored`);
        return;
    }
    this.update();
  }

  /** What GICC_IAR would return, without side effects (also GICC_HPPIR). */
  private peekAck(cpu: number, secure: boolean): number {
    const id = this.bestIrq[cpu];
    if (id === SPURIOUS) return SPURIOUS;
    const i = this.bank(cpu, id);
    if (this.priority[i] >= this.pmr[cpu]) return SPURIOUS;
    if (this.securityExtn) {
      if (!secure && this.group[i] === 0) return SPURIOUS;
      if (secure && this.group[i] !== 0 && (this.cpuCtlr[cpu] & CTLR_ACK_CTL) === 0) return NO_GROUP0_ACK;
    }
    if (id < NR_SGIS) {
      const src = this.sgiSources[cpu * NR_SGIS + id];
      return id | ((31 - Math.clz32(src & -src)) << 10);
    }
    return id;
  }

  private acknowledge(cpu: number, secure: boolean): number {
    const r = this.peekAck(cpu, secure);
    const id = r & 0x3ff;
    if (id >= NO_GROUP0_ACK) return r;
    if (this.groupPriority(cpu, id) >= this.runningPrio[cpu]) return SPURIOUS;
    const i = this.bank(cpu, id);
    if (id < NR_SGIS) {
      const src = (r >>> 10) & 7;
      this.sgiSources[cpu * NR_SGIS + id] &= ~(1 << src);
    } else {
      this.pending[i] = 0;
    }
    this.active[i] = 1;
    const stack = this.activeStack[cpu];
    if (stack.length < this.numIrq) stack.push(id);
    this.runningPrio[cpu] = this.groupPriority(cpu, id);
    this.update();
    return r;
  }

  private endOfInterrupt(cpu: number, id: number, secure: boolean): void {
    if (id >= this.numIrq) return;
    const i = this.bank(cpu, id);
    // A non-secure EOI of a Group 0 interrupt is ignored (IHI 0048B §4.4.5).
    if (this.securityExtn && !secure && this.group[i] === 0) return;
    const stack = this.activeStack[cpu];
    const at = stack.lastIndexOf(id);
    if (at < 0) {
      warnOnce(this.ctx, this.warned, `eoi${id}`, `CPU${cpu} wrote GICC_EOIR for interrupt ${id}, which is not active on it; ignored`);
      return;
    }
    stack.splice(at, 1);
    this.active[i] = 0;
    // A level interrupt still asserted stays pending (the isPending test covers it).
    const top = stack.length === 0 ? -1 : stack[stack.length - 1];
    this.runningPrio[cpu] = top < 0 ? IDLE_PRIORITY : this.groupPriority(cpu, top);
  }

  /** For specs and the debugger: the IRQ and FIQ output levels of one CPU interface. */
  outputs(cpu: number): { irq: boolean; fiq: boolean } {
    return { irq: this.irqLevel[cpu] !== 0, fiq: this.fiqLevel[cpu] !== 0 };
  }
}

export const armGicType: DeviceType = {
  compatible: ['arm,cortex-a9-gic', 'arm,pl390'],
  description: 'Arm GIC v1 (PL390, Cortex-A9 MPCore): distributor (reg 0) and banked CPU interface (reg 1), Group 0/1 with FIQ, SGIs',
  create: (ctx) => new ArmGic(ctx),
};
