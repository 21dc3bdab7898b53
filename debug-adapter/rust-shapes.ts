// The children the Variables view shows for Rust values whose DWARF layout is not what a Rust
// user thinks of: an enum with data expands to the fields of the variant it holds (`0`, `1`
// or named fields), and a slice `&[T]` to its elements rather than `data_ptr` and `length`.
import { rustVariant } from '../dwarf/values';
import { type Evaluator, type Ty, type Val, memberOf, sizeOf } from './evaluate';

/**
 * One child row: its name, an expression for it (for Watch: `cmd.0`, `data[2]`, which the
 * evaluator reads through this same shape), and how to read its value.
 */
export interface RustChild { name: string; path: string; get(): Val }

/** Children that replace a struct's members for a Rust value, or undefined for other values. */
export interface RustShape { count: number; child(i: number): RustChild }

const wrap = (p: string) => (/^[A-Za-z_$][\w$]*$/.test(p) ? p : `(${p})`);

/**
 * The Rust view of `v` (a struct-kind value from a Rust unit, reached as `path`), or undefined
 * when its members are already what the user expects. Reads the enum's bytes or the slice's fat pointer now;
 * elements and fields are read when `get` is called.
 */
export function rustShape(v: Val, ev: Evaluator, path: string): RustShape | undefined {
  try {
    return shapeOf(v, ev, path);
  } catch {
    // Unreadable bytes: the caller falls back to the plain members, which say what failed.
    return undefined;
  }
}

function shapeOf(v: Val, ev: Evaluator, path: string): RustShape | undefined {
  const t = v.ty;
  if (t.k !== 'struct' || t.dw.language !== 'rust') return undefined;
  const dw = t.dw.strip();
  const vp = dw.variantPart();
  if (vp) {
    const chosen = rustVariant(vp, ev.load(v), 0);
    if (chosen === undefined) return { count: 0, child: noChild };
    // rustc wraps each variant's fields in one member of the variant's own struct type.
    const holder = chosen.members.length === 1 ? chosen.members[0] : undefined;
    const inner = holder?.type?.strip();
    const owner = holder !== undefined && inner?.kind === 'struct' ? memberOf(ev, v, holder) : v;
    const fields = holder !== undefined && inner?.kind === 'struct' ? inner.members() : chosen.members;
    return {
      count: fields.length,
      child: (i) => {
        const f = fields[i];
        // Tuple variants name their fields __0, __1: Rust writes them .0, .1.
        const name = f.name === undefined ? `<${i}>` : f.name.replace(/^__(\d+)$/, '$1');
        return { name, path: `${wrap(path)}.${name}`, get: () => memberOf(ev, owner, f) };
      },
    };
  }
  const name = t.name.replace(/^&(mut )?/, '');
  const ms = dw.members();
  const ptr = ms.find((m) => m.name === 'data_ptr'), len = ms.find((m) => m.name === 'length');
  if (!name.startsWith('[') || ptr === undefined || len === undefined) return undefined;
  const p = memberOf(ev, v, ptr);
  if (p.ty.k !== 'ptr') return undefined;
  const count = Number(ev.toBig(memberOf(ev, v, len)));
  const elem: Ty = p.ty.to;
  const es = sizeOf(elem);
  const base = Number(BigInt.asUintN(32, ev.toBig(p)));
  return {
    count,
    child: (i) => ({
      name: `[${i}]`,
      path: `${wrap(path)}[${i}]`,
      get: () => {
        const el: Val = { ty: elem, lv: { kind: 'memory', addr: (base + i * es) >>> 0 } };
        if (elem.k !== 'struct' && elem.k !== 'array') ev.load(el);
        return el;
      },
    }),
  };
}

function noChild(): RustChild {
  throw new Error('a fieldless Rust value has no children');
}
