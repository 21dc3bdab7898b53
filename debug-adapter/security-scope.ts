// The Security scope of the Variables view on an ARMv8-M core with the Security Extension: the
// SAU as a table (SAU_CTRL, SAU_TYPE, one row per region), the attribution of the frame's pc and
// sp, and SFSR/SFAR decoded. Pure formatting over Target.readSecurity's answer; variables.ts
// turns the rows into DAP variables, and only when the user expands the scope.
import { decodeSecureFault } from './registers';
import type { Attribution, SauRegion, SecurityInfo } from './target';

/** One row of the scope; `children` makes it expandable. */
export interface SecurityRow {
  name: string;
  value: string;
  children?: SecurityRow[];
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** Short world tag of an attribution kind, as the disassembly and the scope print it. */
export function worldTag(kind: Attribution['kind']): 'S' | 'NSC' | 'NS' | 'exempt' {
  return kind === 'secure' ? 'S' : kind === 'nsc' ? 'NSC' : kind === 'non-secure' ? 'NS' : 'exempt';
}

/** `0x00200000-0x003fffff NS`, `0x10100000-0x101fffff NSC` or `disabled` (SAU_RLAR.ENABLE clear). */
export function describeRegion(r: SauRegion): string {
  if (!r.enabled) return 'disabled';
  return `${hex(r.base)}-${hex(r.limit)} ${r.nsc ? 'NSC' : 'NS'}`;
}

/** `NS (SAU region 0)`, `S (IDAU region 1)`, `NSC (SAU region 1, IDAU region 1)`, `exempt`. */
export function describeAttribution(a: Attribution): string {
  const where: string[] = [];
  if (a.sauRegion !== undefined) where.push(`SAU region ${a.sauRegion}`);
  if (a.idauRegion !== undefined) where.push(`IDAU region ${a.idauRegion}`);
  const tag = worldTag(a.kind);
  return where.length === 0 ? tag : `${tag} (${where.join(', ')})`;
}

/** What decides attribution while the SAU is as SAU_CTRL says (ARMv8-M D1.2 SAU_CTRL). */
function ctrlText(ctrl: number, idau: boolean): string {
  const rest = idau ? ', the IDAU can make it more secure' : '';
  if ((ctrl & 1) !== 0) return `ENABLE: the regions decide; outside them Secure${rest}`;
  return (ctrl & 2) !== 0 ? `disabled, ALLNS: everything Non-secure${rest}` : 'disabled: everything Secure';
}

/** SFSR.SFARVALID (ARMv8-M D1.2 SFSR bit 6): SFAR holds the faulting address. */
export const SFARVALID = 1 << 6;

/**
 * The rows of the scope. `at` names the addresses whose attribution `info.attributions` holds, in
 * the same order (normally the frame's pc and sp). `sfar`, when SFAR is valid, is the faulting
 * address's attribution: why an AUVIOL was one.
 */
export function securityRows(info: SecurityInfo, at: readonly { name: string; address: number }[], sfar?: Attribution): SecurityRow[] {
  const ctrl = info.sauCtrl >>> 0;
  const sregion = info.sauType & 0xff;
  const rows: SecurityRow[] = [];
  for (let i = 0; i < at.length && i < info.attributions.length; i++) {
    rows.push({ name: at[i].name, value: `${hex(at[i].address)} ${describeAttribution(info.attributions[i])}` });
  }
  rows.push({
    name: 'SAU_CTRL', value: `${hex(ctrl)} (${ctrlText(ctrl, info.idau)})`,
    children: [
      { name: 'ENABLE', value: String(ctrl & 1) },
      { name: 'ALLNS', value: `${(ctrl >>> 1) & 1} (${(ctrl & 2) !== 0 ? 'Non-secure' : 'Secure'} when the SAU is disabled)` },
    ],
  });
  rows.push({ name: 'SAU_TYPE', value: `${hex(info.sauType)} (SREGION = ${sregion})` });
  const enabled = info.regions.filter((r) => r.enabled).length;
  rows.push({
    name: 'SAU regions',
    value: sregion === 0 ? 'none implemented' : `${enabled} of ${sregion} enabled${(ctrl & 1) === 0 && enabled > 0 ? ' (inactive: SAU_CTRL.ENABLE is 0)' : ''}`,
    children: info.regions.map((r) => ({ name: `[${r.index}]`, value: describeRegion(r) })),
  });
  for (const r of decodeSecureFault(info.sfsr, info.sfar)) {
    const names = r.bits.map((b) => b.name);
    const row: SecurityRow = { name: r.name, value: hex(r.value) };
    if (r.name === 'SFSR' && names.length > 0) row.value += ` (${names.join(' ')})`;
    if (r.name === 'SFAR' && r.bits.length > 0) row.value += ` (${r.bits[0].value})`;
    else if (r.name === 'SFAR' && sfar !== undefined && sfar.address === r.value) row.value += ` ${describeAttribution(sfar)}`;
    if (r.name === 'SFSR' && r.bits.length > 0) row.children = r.bits.map((b) => ({ name: b.name, value: b.value }));
    rows.push(row);
  }
  return rows;
}
