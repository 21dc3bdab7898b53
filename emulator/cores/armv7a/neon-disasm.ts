// Disassembly of Advanced SIMD (NEON) A32 encodings in GNU objdump's syntax (ARM ARM A7.4,
// A7.7 tables; operand order as in the A8 pages, e.g. VSHL (register) is Dd, Dm, Dn).
// Used by disasmSimd in vfp-disasm.ts; undefined for encodings we do not name.
const vd = (i: number) => (((i >>> 22) & 1) << 4) | ((i >>> 12) & 0xf);
const vn = (i: number) => (((i >>> 7) & 1) << 4) | ((i >>> 16) & 0xf);
const vm = (i: number) => (((i >>> 5) & 1) << 4) | (i & 0xf);
const REG = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];

/** A D or Q register operand (Q when `q`, numbered D/2). */
const V = (n: number, q: boolean) => (q ? `q${n >> 1}` : `d${n}`);
const su = (u: boolean) => (u ? 'u' : 's');

function threeSame(i: number, c: string): string | undefined {
  const a = (i >>> 8) & 0xf, b = (i >>> 4) & 1, u = (i & 0x01000000) !== 0, sz = (i >>> 20) & 3, q = (i & 0x40) !== 0;
  const d = V(vd(i), q), n = V(vn(i), q), m = V(vm(i), q);
  const es = 8 << sz;
  const std = (mn: string, t: string) => `${mn}${c}.${t}\t${d}, ${n}, ${m}`;
  if (a === 1 && b === 1) {
    const ops = u ? ['veor', 'vbsl', 'vbit', 'vbif'] : ['vand', 'vbic', 'vorr', 'vorn'];
    return `${ops[sz]}${c}\t${d}, ${n}, ${m}`;
  }
  if (a >= 0xd || (a === 0xc && b === 1)) {
    if ((sz & 1) !== 0) return undefined;
    const hi = (sz & 2) !== 0;
    const key = (a << 2) | (b << 1) | (u ? 1 : 0);
    const f = (mn: string) => `${mn}${c}.f32\t${d}, ${n}, ${m}`;
    switch (key) {
      case (0xd << 2) | 0: return f(hi ? 'vsub' : 'vadd');
      case (0xd << 2) | 1: return f(hi ? 'vabd' : 'vpadd');
      case (0xd << 2) | 2: return f(hi ? 'vmls' : 'vmla');
      case (0xd << 2) | 3: return hi ? undefined : f('vmul'); // size 1x is unallocated (QEMU runs it as VMUL)
      case (0xe << 2) | 0: return hi ? undefined : f('vceq');
      case (0xe << 2) | 1: return f(hi ? 'vcgt' : 'vcge');
      case (0xe << 2) | 3: return f(hi ? 'vacgt' : 'vacge');
      case (0xf << 2) | 0: return f(hi ? 'vmin' : 'vmax');
      case (0xf << 2) | 1: return f(hi ? 'vpmin' : 'vpmax');
      case (0xf << 2) | 2: return f(hi ? 'vrsqrts' : 'vrecps');
      default: return undefined;
    }
  }
  const t = `${su(u)}${es}`;
  switch ((a << 1) | b) {
    case 0b00000: return std('vhadd', t);
    case 0b00001: return std('vqadd', t);
    case 0b00010: return std('vrhadd', t);
    case 0b00100: return std('vhsub', t);
    case 0b00101: return std('vqsub', t);
    case 0b00110: return std('vcgt', t);
    case 0b00111: return std('vcge', t);
    case 0b01000: case 0b01001: case 0b01010: case 0b01011: {
      const mn = ['vshl', 'vqshl', 'vrshl', 'vqrshl'][((a & 1) << 1) | b];
      return `${mn}${c}.${t}\t${d}, ${m}, ${n}`;
    }
    case 0b01100: return std('vmax', t);
    case 0b01101: return std('vmin', t);
    case 0b01110: return std('vabd', t);
    case 0b01111: return std('vaba', t);
    case 0b10000: return std(u ? 'vsub' : 'vadd', `i${es}`);
    case 0b10001: return u ? std('vceq', `i${es}`) : std('vtst', `${es}`);
    case 0b10010: return std(u ? 'vmls' : 'vmla', `i${es}`);
    case 0b10011: return std('vmul', u ? 'p8' : `i${es}`);
    case 0b10100: return std('vpmax', t);
    case 0b10101: return std('vpmin', t);
    case 0b10110: return std(u ? 'vqrdmulh' : 'vqdmulh', `s${es}`);
    case 0b10111: return u ? undefined : std('vpadd', `i${es}`);
    default: return undefined;
  }
}

function threeDiff(i: number, c: string): string | undefined {
  const a = (i >>> 8) & 0xf, u = (i & 0x01000000) !== 0, sz = (i >>> 20) & 3;
  const es = 8 << sz;
  const D = vd(i), N = vn(i), M = vm(i);
  const t = `${su(u)}${es}`;
  const long = (mn: string, tt = t) => `${mn}${c}.${tt}\tq${D >> 1}, d${N}, d${M}`;
  switch (a) {
    case 0: return long('vaddl');
    case 1: return `vaddw${c}.${t}\tq${D >> 1}, q${N >> 1}, d${M}`;
    case 2: return long('vsubl');
    case 3: return `vsubw${c}.${t}\tq${D >> 1}, q${N >> 1}, d${M}`;
    case 4: return `${u ? 'vraddhn' : 'vaddhn'}${c}.i${es * 2}\td${D}, q${N >> 1}, q${M >> 1}`;
    case 5: return long('vabal');
    case 6: return `${u ? 'vrsubhn' : 'vsubhn'}${c}.i${es * 2}\td${D}, q${N >> 1}, q${M >> 1}`;
    case 7: return long('vabdl');
    case 8: return long('vmlal');
    case 9: return long('vqdmlal', `s${es}`);
    case 10: return long('vmlsl');
    case 11: return long('vqdmlsl', `s${es}`);
    case 12: return long('vmull');
    case 13: return long('vqdmull', `s${es}`);
    case 14: return long('vmull', `p${es}`);
    default: return undefined;
  }
}

function byScalar(i: number, c: string): string | undefined {
  const a = (i >>> 8) & 0xf, u = (i & 0x01000000) !== 0, sz = (i >>> 20) & 3;
  const es = 8 << sz;
  const mreg = es === 16 ? i & 7 : i & 0xf;
  const idx = es === 16 ? (((i >>> 5) & 1) << 1) | ((i >>> 3) & 1) : (i >>> 5) & 1;
  const s = `d${mreg}[${idx}]`;
  const D = vd(i), N = vn(i);
  const q = u; // bit 24 is Q for the non-long forms
  const fl = (a & 1) === 1 && (a === 1 || a === 5 || a === 9);
  switch (a) {
    case 0: case 1: case 4: case 5: case 8: case 9: {
      const mn = a === 8 || a === 9 ? 'vmul' : a < 4 ? 'vmla' : 'vmls';
      return `${mn}${c}.${fl ? 'f32' : `i${es}`}\t${V(D, q)}, ${V(N, q)}, ${s}`;
    }
    case 2: case 6: case 10: return `${a === 2 ? 'vmlal' : a === 6 ? 'vmlsl' : 'vmull'}${c}.${su(u)}${es}\tq${D >> 1}, d${N}, ${s}`;
    case 3: case 7: case 11: return `${a === 3 ? 'vqdmlal' : a === 7 ? 'vqdmlsl' : 'vqdmull'}${c}.s${es}\tq${D >> 1}, d${N}, ${s}`;
    case 12: case 13: return `${a === 12 ? 'vqdmulh' : 'vqrdmulh'}${c}.s${es}\t${V(D, q)}, ${V(N, q)}, ${s}`;
    default: return undefined;
  }
}

function shiftImm(i: number, c: string): string | undefined {
  const a = (i >>> 8) & 0xf, u = (i & 0x01000000) !== 0, l = (i >>> 7) & 1, q = (i & 0x40) !== 0;
  const imm6 = (i >>> 16) & 0x3f;
  const es = l ? 64 : imm6 & 0x20 ? 32 : imm6 & 0x10 ? 16 : 8;
  const D = vd(i), M = vm(i);
  const right = l ? 64 - imm6 : 2 * es - imm6;
  const left = l ? imm6 : imm6 - es;
  const t = `${su(u)}${es}`;
  const two = (mn: string, tt: string, sh: number) => `${mn}${c}.${tt}\t${V(D, q)}, ${V(M, q)}, #${sh}`;
  switch (a) {
    case 0: return two('vshr', t, right);
    case 1: return two('vsra', t, right);
    case 2: return two('vrshr', t, right);
    case 3: return two('vrsra', t, right);
    case 4: return u ? two('vsri', `${es}`, right) : undefined;
    case 5: return u ? two('vsli', `${es}`, left) : two('vshl', t, left);
    case 6: return u ? two('vqshlu', `s${es}`, left) : undefined;
    case 7: return two('vqshl', t, left);
    case 8: case 9: {
      if (l) return undefined;
      const op = q ? 1 : 0; // bit 6 is the round bit here
      let mn: string, tt: string;
      if (a === 8 && !u) { mn = op ? 'vrshrn' : 'vshrn'; tt = `i${es * 2}`; }
      else if (a === 8) { mn = op ? 'vqrshrun' : 'vqshrun'; tt = `s${es * 2}`; }
      else { mn = op ? 'vqrshrn' : 'vqshrn'; tt = `${su(u)}${es * 2}`; }
      return `${mn}${c}.${tt}\td${D}, q${M >> 1}, #${right}`;
    }
    case 10: {
      if (l || q) return undefined;
      return left === 0 ? `vmovl${c}.${t}\tq${D >> 1}, d${M}` : `vshll${c}.${t}\tq${D >> 1}, d${M}, #${left}`;
    }
    case 14: case 15: {
      if (l) return undefined;
      const frac = 64 - imm6;
      const ty = u ? 'u32' : 's32';
      return (a & 1) ? `vcvt${c}.${ty}.f32\t${V(D, q)}, ${V(M, q)}, #${frac}` : `vcvt${c}.f32.${ty}\t${V(D, q)}, ${V(M, q)}, #${frac}`;
    }
    default: return undefined;
  }
}

function twoMisc(i: number, c: string): string | undefined {
  const sz = (i >>> 18) & 3, a = (i >>> 16) & 3, b = (i >>> 6) & 0x1f, q = (i & 0x40) !== 0;
  const op = b >>> 1;
  const es = 8 << sz;
  const D = vd(i), M = vm(i);
  const two = (mn: string, tt: string | null) => `${mn}${c}${tt === null ? '' : '.' + tt}\t${V(D, q)}, ${V(M, q)}`;
  switch (a) {
    case 0:
      switch (op) {
        case 0: return two('vrev64', `${es}`);
        case 1: return two('vrev32', `${es}`);
        case 2: return two('vrev16', `${es}`);
        case 4: case 5: return two('vpaddl', `${su((op & 1) === 1)}${es}`);
        case 8: return two('vcls', `s${es}`);
        case 9: return two('vclz', `i${es}`);
        case 10: return two('vcnt', '8');
        case 11: return two('vmvn', null);
        case 12: case 13: return two('vpadal', `${su((op & 1) === 1)}${es}`);
        case 14: return two('vqabs', `s${es}`);
        case 15: return two('vqneg', `s${es}`);
        default: return undefined;
      }
    case 1: {
      const f = (op & 8) !== 0, o = op & 7;
      const tt = f ? 'f32' : o >= 6 ? `s${es}` : o === 2 ? `i${es}` : `s${es}`;
      const z = (mn: string) => `${mn}${c}.${tt}\t${V(D, q)}, ${V(M, q)}, #0`;
      switch (o) {
        case 0: return z('vcgt');
        case 1: return z('vcge');
        case 2: return z('vceq');
        case 3: return z('vcle');
        case 4: return z('vclt');
        case 6: return two('vabs', tt);
        case 7: return two('vneg', tt);
        default: return undefined;
      }
    }
    case 2:
      switch (op) {
        case 0: return two('vswp', null);
        case 1: return two('vtrn', `${es}`);
        case 2: return two('vuzp', `${es}`);
        case 3: return two('vzip', `${es}`);
        case 4: return q ? `vqmovun${c}.s${es * 2}\td${D}, q${M >> 1}` : `vmovn${c}.i${es * 2}\td${D}, q${M >> 1}`;
        case 5: return `vqmovn${c}.${su(q)}${es * 2}\td${D}, q${M >> 1}`;
        case 6: return q ? undefined : `vshll${c}.i${es}\tq${D >> 1}, d${M}, #${es}`;
        case 12: return q ? undefined : `vcvt${c}.f16.f32\td${D}, q${M >> 1}`;
        case 14: return q ? undefined : `vcvt${c}.f32.f16\tq${D >> 1}, d${M}`;
        default: return undefined;
      }
    default: {
      if ((op & 0b1100) === 0b1000) return two((op & 1) ? 'vrsqrte' : 'vrecpe', (op & 2) ? 'f32' : 'u32');
      if ((op & 0b1100) === 0b1100) {
        const ty = (op & 1) ? 'u32' : 's32';
        return (op & 2) ? two('vcvt', `${ty}.f32`) : two('vcvt', `f32.${ty}`);
      }
      return undefined;
    }
  }
}

function modImm(i: number, c: string): string | undefined {
  const cmode = (i >>> 8) & 0xf, op = (i >>> 5) & 1, q = (i & 0x40) !== 0;
  const imm8 = (((i >>> 24) & 1) << 7) | (((i >>> 16) & 7) << 4) | (i & 0xf);
  const D = V(vd(i), q);
  const hex = (v: number, digits: number) => '0x' + (v >>> 0).toString(16).padStart(digits, '0');
  if (cmode === 15) {
    if (op) return undefined;
    const a = (imm8 >>> 7) & 1, b = (imm8 >>> 6) & 1;
    const bits = ((a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | ((imm8 & 0x3f) << 19)) >>> 0;
    const f = new Float32Array(new Uint32Array([bits]).buffer)[0];
    return `vmov${c}.f32\t${D}, #${Number(f.toPrecision(7))}\t@ ${hex(bits, 8)}`;
  }
  if (cmode === 14 && op) {
    let s = '';
    for (let k = 7; k >= 0; k--) s += (imm8 >>> k) & 1 ? 'ff' : '00';
    return `vmov${c}.i64\t${D}, #0x${s}`;
  }
  let val: number, t: string, digits: number;
  if (cmode < 8) { val = imm8 * Math.pow(2, 8 * (cmode >>> 1)); t = 'i32'; digits = 8; }
  else if (cmode < 12) { val = imm8 << (8 * ((cmode >>> 1) & 1)); t = 'i16'; digits = 4; }
  else if (cmode === 12) { val = (imm8 << 8) | 0xff; t = 'i32'; digits = 8; }
  else if (cmode === 13) { val = (imm8 << 16) | 0xffff; t = 'i32'; digits = 8; }
  else { val = imm8; t = 'i8'; digits = 2; }
  const orrBic = (cmode & 1) === 1 && cmode < 12;
  const mn = orrBic ? (op ? 'vbic' : 'vorr') : (op ? 'vmvn' : 'vmov');
  return `${mn}${c}.${t}\t${D}, #${t === 'i32' ? val | 0 : val}\t@ ${hex(val, digits)}`;
}

function loadStore(i: number, c: string): string | undefined {
  const aBit = (i >>> 23) & 1, load = (i & 0x200000) !== 0;
  const n = (i >>> 16) & 0xf, m = i & 0xf;
  const d = vd(i);
  const type = (i >>> 8) & 0xf, size = (i >>> 6) & 3, align = (i >>> 4) & 3;
  let nst: number, list: string, alignBits = 0, es = 8 << size;
  const seq = (first: number, count: number, inc: number, suffix: string) => {
    if (inc === 1 && count > 1 && suffix !== 'lane') return `{d${first}${suffix === 'all' ? '[]' : ''}-d${first + count - 1}${suffix === 'all' ? '[]' : ''}}`;
    const parts: string[] = [];
    for (let k = 0; k < count; k++) parts.push(`d${first + k * inc}${suffix === 'all' ? '[]' : suffix === 'lane' ? `[${laneIdx}]` : ''}`);
    return `{${parts.join(',')}}`;
  };
  let laneIdx = 0;
  if (aBit === 0) {
    const table: Record<number, [number, number, number]> = {
      0b0111: [1, 1, 1], 0b1010: [1, 2, 1], 0b0110: [1, 3, 1], 0b0010: [1, 4, 1],
      0b1000: [2, 2, 1], 0b1001: [2, 2, 2], 0b0011: [2, 4, 1], 0b0100: [3, 3, 1], 0b0101: [3, 3, 2], 0b0000: [4, 4, 1], 0b0001: [4, 4, 2],
    };
    const e = table[type];
    if (e === undefined) return undefined;
    nst = e[0];
    list = seq(d, e[1], e[2], '');
    alignBits = align === 0 ? 0 : 32 << align;
  } else if (((i >>> 10) & 3) !== 3) {
    const sz = (i >>> 10) & 3, ia = (i >>> 4) & 0xf;
    nst = ((i >>> 8) & 3) + 1;
    es = 8 << sz;
    laneIdx = ia >>> (sz + 1);
    const inc = sz === 0 ? 1 : sz === 1 ? (((ia >>> 1) & 1) ? 2 : 1) : (((ia >>> 2) & 1) ? 2 : 1);
    list = seq(d, nst, inc, 'lane');
    const b0 = ia & 1;
    switch (nst) {
      case 1: alignBits = sz === 0 ? 0 : sz === 1 ? (b0 ? 16 : 0) : ((ia & 3) === 3 ? 32 : 0); break;
      case 2: alignBits = b0 ? 16 << sz : 0; break;
      case 3: alignBits = 0; break;
      default: alignBits = sz === 0 ? (b0 ? 32 : 0) : sz === 1 ? (b0 ? 64 : 0) : ((ia & 3) === 0 ? 0 : 32 << (ia & 3));
    }
  } else {
    if (!load) return undefined;
    nst = ((i >>> 8) & 3) + 1;
    const t = (i >>> 5) & 1, a = (i >>> 4) & 1;
    const eb = 1 << size;
    if (nst === 1) { list = seq(d, t ? 2 : 1, 1, 'all'); alignBits = a ? eb * 8 : 0; }
    else {
      list = seq(d, nst, t ? 2 : 1, 'all');
      if (nst === 2) alignBits = a ? eb * 16 : 0;
      else if (nst === 4) { if (size === 3) { es = 32; alignBits = 128; } else alignBits = a ? (size === 2 ? 64 : eb * 32) : 0; }
    }
  }
  const addr = `[${REG[n]}${alignBits ? ` :${alignBits}` : ''}]${m === 13 ? '!' : m === 15 ? '' : `, ${REG[m]}`}`;
  return `${load ? 'vld' : 'vst'}${nst}${c}.${es}\t${list}, ${addr}`;
}

/** Disassemble an Advanced SIMD A32 word (1111 001x or 1111 0100 xxx0). */
export function neonDisasm(i: number, c: string): string | undefined {
  if (((i & 0xff100000) >>> 0) === 0xf4000000) return loadStore(i, c);
  if (((i & 0xfe000000) >>> 0) !== 0xf2000000) return undefined;
  const a = (i >>> 19) & 0x1f, b = (i >>> 8) & 0xf, cc = (i >>> 4) & 0xf, u = (i & 0x01000000) !== 0;
  if ((a & 0x10) === 0) return threeSame(i, c);
  if ((a & 0x17) === 0x10 && (cc & 9) === 1) return modImm(i, c);
  if ((cc & 9) === 1 || (cc & 9) === 9) {
    if ((a & 0x17) !== 0x10 || (cc & 8) === 8) return shiftImm(i, c);
  }
  if ((a & 0x16) !== 0x16 && (cc & 5) === 0) return threeDiff(i, c);
  if ((a & 0x16) !== 0x16 && (cc & 5) === 4) return byScalar(i, c);
  const D = vd(i), N = vn(i), M = vm(i), q = (i & 0x40) !== 0;
  if (!u && (a & 0x16) === 0x16 && (cc & 1) === 0) return `vext${c}.8\t${V(D, q)}, ${V(N, q)}, ${V(M, q)}, #${(i >>> 8) & 0xf}`;
  if (u && (a & 0x16) === 0x16) {
    if ((b & 8) === 0 && (cc & 1) === 0) return twoMisc(i, c);
    if ((b & 0xc) === 8 && (cc & 1) === 0) {
      const len = ((i >>> 8) & 3) + 1;
      const list = len === 1 ? `{d${N}}` : `{d${N}-d${N + len - 1}}`;
      return `${(i & 0x40) !== 0 ? 'vtbx' : 'vtbl'}${c}.8\td${D}, ${list}, d${M}`;
    }
    if (b === 0xc && (cc & 9) === 0) {
      const imm4 = (i >>> 16) & 0xf;
      const [es, idx] = imm4 & 1 ? [8, imm4 >>> 1] : imm4 & 2 ? [16, imm4 >>> 2] : [32, imm4 >>> 3];
      return `vdup${c}.${es}\t${V(D, q)}, d${M}[${idx}]`;
    }
  }
  return undefined;
}
