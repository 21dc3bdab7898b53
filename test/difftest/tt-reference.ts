// An independent, table-driven model of the ARMv8-M TT/TTT/TTA/TTAT response, written
// from the ARM ARM pseudocode (DDI0553: SecurityCheck(), TTResp(), IsAccessible()) to
// check the core's implementation against. It favours plainness over speed: every lookup
// walks its tables from the top, and nothing here is shared with emulator/.

/** One SAU region as programmed: SAU_RBAR and SAU_RLAR raw values (D1.2.x). */
export interface RefSauRegion { rbar: number; rlar: number }

/** IDAUCheck() outputs for one address. */
export interface RefIdauAnswer { exempt: boolean; ns: boolean; nsc: boolean; region: number; regionValid: boolean }

/** The MPU's answer for (address, security domain, privilege): what IsAccessible() yields. */
export interface RefMpuAnswer { hit: boolean; region: number; read: boolean; write: boolean }

export interface RefConfig {
  sauCtrl: number;
  sau: readonly RefSauRegion[];
  /** null: no IDAU, i.e. it never restricts (reports Non-secure, no region). */
  idau: ((addr: number) => RefIdauAnswer) | null;
  mpu: (addr: number, secure: boolean, priv: boolean) => RefMpuAnswer;
}

/** The executing PE's state that TT depends on. */
export interface RefPeState {
  secure: boolean;
  handler: boolean;
  /** CONTROL.nPRIV of the Secure and of the Non-secure state. */
  nprivS: boolean;
  nprivNS: boolean;
}

/**
 * Address ranges exempt from attribution (SecurityCheck(): ITM/DWT/FPB, SCS, SCS NS alias,
 * TPIU/ETM, ROM table). An exempt access takes the requester's security state.
 */
const EXEMPT: readonly (readonly [number, number])[] = [
  [0xe0000000, 0xe0002fff],
  [0xe000e000, 0xe000efff],
  [0xe002e000, 0xe002efff],
  [0xe0040000, 0xe0041fff],
  [0xe00ff000, 0xe00fffff],
];

/** TT_RESP layout (TT instruction description): field -> [lsb, width]. */
export const TT_FIELDS = {
  MREGION: [0, 8], SREGION: [8, 8], MRVALID: [16, 1], SRVALID: [17, 1], R: [18, 1], RW: [19, 1],
  NSR: [20, 1], NSRW: [21, 1], S: [22, 1], IRVALID: [23, 1], IREGION: [24, 8],
} as const;
export type TtField = keyof typeof TT_FIELDS;

export interface RefSAttributes { ns: boolean; nsc: boolean; sregion: number; srvalid: boolean; iregion: number; irvalid: boolean }

/** SecurityCheck(address, isinstrfetch = FALSE, isSecure). */
export function refSecurityCheck(cfg: RefConfig, address: number, isSecure: boolean): RefSAttributes {
  const a = address >>> 0;
  const out: RefSAttributes = { ns: false, nsc: false, sregion: 0, srvalid: false, iregion: 0, irvalid: false };
  const idau: RefIdauAnswer = cfg.idau === null
    ? { exempt: false, ns: true, nsc: false, region: 0, regionValid: false }
    : cfg.idau(a);
  if (idau.exempt || EXEMPT.some(([lo, hi]) => a >= lo && a <= hi)) {
    out.ns = !isSecure;
    return out;
  }
  const enable = (cfg.sauCtrl & 1) !== 0, allns = (cfg.sauCtrl & 2) !== 0;
  if (enable) {
    const hits: number[] = [];
    cfg.sau.forEach((r, n) => {
      const base = (r.rbar & 0xffffffe0) >>> 0;
      const limit = ((r.rlar & 0xffffffe0) | 0x1f) >>> 0;
      if ((r.rlar & 1) !== 0 && a >= base && a <= limit) hits.push(n);
    });
    if (hits.length === 1) {
      const nsc = (cfg.sau[hits[0]].rlar & 2) !== 0;
      out.ns = !nsc; out.nsc = nsc; out.sregion = hits[0]; out.srvalid = true;
    }
    // Several matching regions: the address is Secure and no region is reported.
  } else if (allns) {
    out.ns = true;
  }
  if (idau.regionValid) { out.iregion = idau.region & 0xff; out.irvalid = true; }
  // The more secure of the SAU's and the IDAU's answers wins.
  if (!idau.ns && (out.ns || (!idau.nsc && out.nsc))) { out.ns = false; out.nsc = idau.nsc; }
  return out;
}

/** Which TT variant: A (alternate domain) and T (force unprivileged) bits of the encoding. */
export interface TtVariant { alt: boolean; forceUnpriv: boolean }

/** The response register, or 'undefined' for TTA/TTAT in Non-secure state. */
export function refTtResponse(cfg: RefConfig, pe: RefPeState, address: number, v: TtVariant): number | 'undefined' {
  if (v.alt && !pe.secure) return 'undefined';
  const f: Partial<Record<TtField, number>> = {};
  let addrS = false;
  if (pe.secure) {
    const s = refSecurityCheck(cfg, address, true);
    if (s.srvalid) { f.SREGION = s.sregion; f.SRVALID = 1; }
    if (s.irvalid) { f.IREGION = s.iregion; f.IRVALID = 1; }
    addrS = !s.ns;
    f.S = addrS ? 1 : 0;
  }
  // CurrentModeIsPrivileged(domain): Handler mode, or that domain's CONTROL.nPRIV clear.
  const privIn = (secureDomain: boolean) => pe.handler || !(secureDomain ? pe.nprivS : pe.nprivNS);
  const mpuDomain = v.alt ? !pe.secure : pe.secure;
  // MPU information only for a privileged caller, or when it inspects the other domain.
  if (privIn(pe.secure) || v.alt) {
    const priv = v.forceUnpriv ? false : privIn(mpuDomain);
    const m = cfg.mpu(address >>> 0, mpuDomain, priv);
    if (m.hit) { f.MREGION = m.region & 0xff; f.MRVALID = 1; }
    f.R = m.read ? 1 : 0;
    f.RW = m.write ? 1 : 0;
    if (pe.secure && !addrS) { f.NSR = f.R; f.NSRW = f.RW; }
  }
  let resp = 0;
  for (const k of Object.keys(f) as TtField[]) {
    const [lsb, width] = TT_FIELDS[k];
    resp |= ((f[k] as number) & ((1 << width) - 1)) << lsb;
  }
  return resp >>> 0;
}

/** A response as "S=1 SRVALID=1 SREGION=3 ..." for mismatch reports (zero fields left out). */
export function describeTt(resp: number): string {
  const parts: string[] = [];
  for (const [k, [lsb, width]] of Object.entries(TT_FIELDS)) {
    const v = (resp >>> lsb) & ((1 << width) - 1);
    if (v !== 0) parts.push(width === 1 ? k : `${k}=${v}`);
  }
  return parts.length > 0 ? parts.join(' ') : '(all zero)';
}
