// A numeric dump of every DIE, attribute, expression, location list and range list, in the
// format of pyelftools-dump.py, so the differential specs can compare the two line by line.
import { DW_AT, DW_FORM, type Attr, type DwarfInfo, type Unit } from './info';
import { decodeExpr, type ExprOp } from './location';
import { isListForm, readLocList, readRangeList } from './ranges';

function hex(b: Uint8Array): string { return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('') || '-'; }

/** pyelftools prints nested entry_value exprs and blobs like formatExpr(…, false); kept local to match it exactly. */
function fmtOps(ops: readonly ExprOp[]): string {
  return ops.map((o) => [o.name, ...o.args.map((a) => Array.isArray(a) ? `[${fmtOps(a)}]` : a instanceof Uint8Array ? hex(a) : String(a))].join(' ')).join('; ');
}

function fmtValue(a: Attr, u: Unit): string {
  const v = a.value;
  if (a.form === DW_FORM.loclistx) return String(u.loclistOffset(v as number));
  if (a.form === DW_FORM.rnglistx) return String(u.rnglistOffset(v as number));
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return hex(v);
  return String(v);
}

export function dumpInfo(info: DwarfInfo): string {
  const out: string[] = [];
  for (const u of info.units()) {
    if (u.section !== '.debug_info') continue;
    out.push(`CU ${u.offset} v${u.version}`);
    const fmt = { addrSize: u.addrSize, offsetSize: u.offsetSize };
    for (let i = 0; i < u.dieCount(); i++) {
      const ab = u.abbrevOf(i);
      const p = u.parentOf(i);
      out.push(`${u.offsetOf(i)} ${ab.tag} ${ab.hasChildren ? 1 : 0} ${p < 0 ? -1 : u.offsetOf(p)}`);
      for (const a of u.attrsOf(i)) {
        out.push(` a ${a.at} ${a.form} ${fmtValue(a, u)}`);
        if (a.form === DW_FORM.exprloc) out.push(` e ${fmtOps(decodeExpr(a.value as Uint8Array, fmt))}`);
        else if ((a.at === DW_AT.location || a.at === DW_AT.frame_base) && isListForm(u, a.form) && a.form !== DW_FORM.loclistx) {
          for (const e of readLocList(u, Number(a.value))) out.push(` l ${e.lo} ${e.hi} ${fmtOps(decodeExpr(e.expr, fmt))}`);
        } else if (a.at === DW_AT.ranges && isListForm(u, a.form) && a.form !== DW_FORM.rnglistx) {
          for (const r of readRangeList(u, Number(a.value))) out.push(` r ${r.lo} ${r.hi}`);
        }
      }
    }
  }
  return out.join('\n') + '\n';
}
