// A32 disassembler for the Cortex-A9 in GNU objdump's syntax (lower case, '@' comments
// dropped), for the debugger's disassembly view. It follows the decode tree of isa-arm.ts;
// disasm-arm.spec.ts checks it against arm-none-eabi-objdump on generated encodings.
// Encodings it does not know print as objdump's '.inst' form.

const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];
const DP = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];
const SHIFT = ['lsl', 'lsr', 'asr', 'ror'];

function R(n: number): string { return n === 13 ? 'sp' : n === 14 ? 'lr' : n === 15 ? 'pc' : n === 12 ? 'ip' : n === 11 ? 'fp' : n === 10 ? 'sl' : n === 9 ? 'r9' : `r${n}`; }
function hex(v: number): string { return (v >>> 0).toString(16); }
function ins(mn: string, ops: string): string { return ops === '' ? mn : `${mn}\t${ops}`; }
function imm(v: number): string { return `#${v | 0}`; }

function regList(list: number): string {
  const out: string[] = [];
  for (let i = 0; i < 16; i++) if ((list & (1 << i)) !== 0) out.push(R(i));
  return `{${out.join(', ')}}`;
}

/** Shifted register operand: "r2", "r2, lsl #3", "r2, rrx", "r2, lsl r3". */
function shiftedReg(w: number): string {
  const rm = R(w & 15), type = (w >>> 5) & 3;
  if ((w & 0x10) !== 0) return `${rm}, ${SHIFT[type]} ${R((w >>> 8) & 15)}`;
  const imm5 = (w >>> 7) & 31;
  if (imm5 === 0) return type === 0 ? rm : type === 3 ? `${rm}, rrx` : `${rm}, ${SHIFT[type]} #32`;
  return `${rm}, ${SHIFT[type]} #${imm5}`;
}

/** A modified immediate as objdump prints it: the value, or "imm8, rot" for a non-canonical encoding. */
function modImm(imm12: number): string {
  const rot = (imm12 >>> 8) * 2, imm8 = imm12 & 0xff;
  const a = expandImm(imm12) >>> 0;
  // The canonical encoding uses the smallest rotation that fits; any other is shown raw.
  let i = 0;
  while (i < 32 && ((i === 0 ? a : ((a << i) | (a >>> (32 - i))) >>> 0)) > 0xff) i += 2;
  if (i !== rot) return `#${imm8}, ${rot}`;
  return imm(a);
}

function expandImm(imm12: number): number {
  const rot = (imm12 >>> 8) * 2, imm8 = imm12 & 0xff;
  return rot === 0 ? imm8 : ((imm8 >>> rot) | (imm8 << (32 - rot))) | 0;
}

/** Disassemble one A32 word at `pc`. */
export function disasmA32(w: number, pc: number): string {
  w >>>= 0;
  const c = COND[w >>> 28];
  const text = w >>> 28 === 15 ? unconditional(w, pc) : conditional(w, pc, c);
  return text ?? `.inst\t0x${w.toString(16).padStart(8, '0')}`;
}

function conditional(w: number, pc: number, c: string): string | undefined {
  const op1 = (w >>> 25) & 7;
  switch (op1) {
    case 0: case 1: return dpMisc(w, c);
    case 2: case 3:
      if (op1 === 3 && (w & 0x10) !== 0) return media(w, c);
      return lsWordByte(w, c, pc);
    case 4: return ldmStm(w, c);
    case 5: return ins(((w & 0x01000000) !== 0 ? 'bl' : 'b') + c, hex(pc + 8 + ((w << 8) >> 6)));
    default: {
      const cp = (w >>> 8) & 15;
      if (((w >>> 24) & 15) === 15) return ins('svc' + c, `0x${hex(w & 0xffffff).padStart(8, '0')}`);
      if ((cp === 14 || cp === 15) && ((w >>> 24) & 15) === 14 && (w & 0x10) !== 0) {
        const l = (w & 0x00100000) !== 0;
        return ins((l ? 'mrc' : 'mcr') + c, `${cp}, ${(w >>> 21) & 7}, ${R((w >>> 12) & 15)}, cr${(w >>> 16) & 15}, cr${w & 15}, {${(w >>> 5) & 7}}`);
      }
      return undefined;
    }
  }
}

function dpMisc(w: number, c: string): string | undefined {
  const isImm = (w & 0x02000000) !== 0;
  const op1 = (w >>> 20) & 0x1f, op2 = (w >>> 4) & 15;
  const misc = (op1 & 0x19) === 0x10;
  if (!isImm && op2 === 9) return (op1 & 0x10) === 0 ? multiply(w, c) : sync(w, c);
  if (!isImm && (op2 === 0xb || op2 === 0xd || op2 === 0xf)) return extraLs(w, c);
  if (!isImm && misc && (op2 & 8) === 0) return miscInsn(w, c);
  if (!isImm && misc && (op2 & 9) === 8) return halfMul(w, c);
  if (isImm && misc) {
    if (op1 === 0x10 || op1 === 0x14) return ins((op1 === 0x10 ? 'movw' : 'movt') + c, `${R((w >>> 12) & 15)}, #${((w >>> 4) & 0xf000) | (w & 0xfff)}`);
    if ((w & 0x004f0000) === 0) {
      const h = w & 0xff;
      const names = ['nop', 'yield', 'wfe', 'wfi', 'sev'];
      if (h < 5) return `${names[h]}${c}` + (h === 0 ? '\t{0}' : '');
      if ((h & 0xf0) === 0xf0) return ins('dbg' + c, `#${h & 15}`);
      return undefined;
    }
    return ins('msr' + c, `${psrFields(w)}, ${modImm(w & 0xfff)}`);
  }
  const opc = (w >>> 21) & 15, s = (w >>> 20) & 1;
  const rd = R((w >>> 12) & 15), rn = R((w >>> 16) & 15);
  const op2s = isImm ? modImm(w & 0xfff) : shiftedReg(w);
  const sfx = s !== 0 && (opc < 8 || opc > 11) ? 's' : '';
  if (opc >= 8 && opc <= 11) return ins(DP[opc] + c, `${rn}, ${op2s}`);
  if (opc === 13) {
    // objdump prints shifted MOVs as shift instructions, and MOV r0, r0 as nop's alias only in comments.
    if (!isImm && ((w & 0xff0) !== 0)) {
      const type = (w >>> 5) & 3, rm = R(w & 15);
      if ((w & 0x10) !== 0) return ins(SHIFT[type] + sfx + c, `${rd}, ${rm}, ${R((w >>> 8) & 15)}`);
      const imm5 = (w >>> 7) & 31;
      if (type === 3 && imm5 === 0) return ins('rrx' + sfx + c, `${rd}, ${rm}`);
      return ins(SHIFT[type] + sfx + c, `${rd}, ${rm}, #${imm5 === 0 ? 32 : imm5}`);
    }
    if (!isImm && (w & 0x0fffffff) === 0x01a00000) return 'nop' + c;
    return ins('mov' + sfx + c, `${rd}, ${op2s}`);
  }
  if (opc === 15) return ins('mvn' + sfx + c, `${rd}, ${op2s}`);
  return ins(DP[opc] + sfx + c, `${rd}, ${rn}, ${op2s}`);
}

function psrFields(w: number): string {
  const mask = (w >>> 16) & 15;
  let f = '';
  if (mask & 8) f += 'f';
  if (mask & 4) f += 's';
  if (mask & 2) f += 'x';
  if (mask & 1) f += 'c';
  return `${(w & 0x00400000) !== 0 ? 'SPSR' : 'CPSR'}_${f}`;
}

function multiply(w: number, c: string): string | undefined {
  const op4 = (w >>> 20) & 15, s = (op4 & 1) !== 0 ? 's' : '';
  const rd = R((w >>> 16) & 15), ra = R((w >>> 12) & 15), rm = R((w >>> 8) & 15), rn = R(w & 15);
  switch (op4 >>> 1) {
    case 0: return ins('mul' + s + c, `${rd}, ${rn}, ${rm}`);
    case 1: return ins('mla' + s + c, `${rd}, ${rn}, ${rm}, ${ra}`);
    case 2: return op4 === 4 ? ins('umaal' + c, `${ra}, ${rd}, ${rn}, ${rm}`) : undefined;
    case 3: return op4 === 6 ? ins('mls' + c, `${rd}, ${rn}, ${rm}, ${ra}`) : undefined;
    default: return ins(['umull', 'umlal', 'smull', 'smlal'][(op4 >>> 1) - 4] + s + c, `${ra}, ${rd}, ${rn}, ${rm}`);
  }
}

function halfMul(w: number, c: string): string {
  const op1 = (w >>> 21) & 3, x = (w & 0x20) !== 0 ? 't' : 'b', y = (w & 0x40) !== 0 ? 't' : 'b';
  const rd = R((w >>> 16) & 15), ra = R((w >>> 12) & 15), rm = R((w >>> 8) & 15), rn = R(w & 15);
  switch (op1) {
    case 0: return ins(`smla${x}${y}${c}`, `${rd}, ${rn}, ${rm}, ${ra}`);
    case 1: return x === 'b' ? ins(`smlaw${y}${c}`, `${rd}, ${rn}, ${rm}, ${ra}`) : ins(`smulw${y}${c}`, `${rd}, ${rn}, ${rm}`);
    case 2: return ins(`smlal${x}${y}${c}`, `${ra}, ${rd}, ${rn}, ${rm}`);
    default: return ins(`smul${x}${y}${c}`, `${rd}, ${rn}, ${rm}`);
  }
}

function sync(w: number, c: string): string | undefined {
  const op = (w >>> 20) & 15, rn = R((w >>> 16) & 15), rt = (w >>> 12) & 15;
  if ((op & 0xb) === 0) return ins(((op & 4) !== 0 ? 'swpb' : 'swp') + c, `${R(rt)}, ${R(w & 15)}, [${rn}]`);
  if ((op & 8) === 0) return undefined;
  const sz = ['', 'd', 'b', 'h'][(op >>> 1) & 3];
  // objdump names only the first register of a doubleword pair.
  // ...and prints the word LDREX's Rt by number (r10, not sl).
  if ((op & 1) !== 0) return ins(`ldrex${sz}${c}`, `${sz === '' ? `r${rt}` : R(rt)}, [${rn}]`);
  return ins(`strex${sz}${c}`, `${R(rt)}, ${R(w & 15)}, [${rn}]`);
}

function miscInsn(w: number, c: string): string | undefined {
  const op2 = (w >>> 4) & 7, op = (w >>> 21) & 3, rd = R((w >>> 12) & 15), rm = R(w & 15);
  switch (op2) {
    case 0:
      if ((w & 0x200) !== 0) return undefined;
      if ((op & 1) === 0) return ins('mrs' + c, `${rd}, ${(w & 0x00400000) !== 0 ? 'SPSR' : 'CPSR'}`);
      return ins('msr' + c, `${psrFields(w)}, ${rm}`);
    case 1: return op === 1 ? ins('bx' + c, rm) : op === 3 ? ins('clz' + c, `${rd}, ${rm}`) : undefined;
    case 2: return op === 1 ? ins('bxj' + c, rm) : undefined;
    case 3: return op === 1 ? ins('blx' + c, rm) : undefined;
    case 5: return ins(['qadd', 'qsub', 'qdadd', 'qdsub'][op] + c, `${rd}, ${rm}, ${R((w >>> 16) & 15)}`);
    case 7:
      if (op === 1) return ins('bkpt', `0x${(((w >>> 4) & 0xfff0) | (w & 15)).toString(16).padStart(4, '0')}`);
      if (op === 3) return ins('smc' + c, `${w & 15}`);
      return undefined;
    default: return undefined;
  }
}

function addrOffset(rn: string, p: number, u: number, wb: number, off: string, zero: boolean): string {
  const sign = u !== 0 ? '' : '-';
  if (p === 0) return `[${rn}], ${off.startsWith('#') ? `#${sign}${off.slice(1)}` : sign + off}`;
  if (zero && u !== 0 && !wb) return `[${rn}]`;
  return `[${rn}, ${off.startsWith('#') ? `#${sign}${off.slice(1)}` : sign + off}]${wb ? '!' : ''}`;
}

function lsWordByte(w: number, c: string, pc: number): string {
  const p = (w >>> 24) & 1, u = (w >>> 23) & 1, b = (w >>> 22) & 1, wb = (w >>> 21) & 1, l = (w >>> 20) & 1;
  const rn = (w >>> 16) & 15, rt = R((w >>> 12) & 15);
  const t = p === 0 && wb !== 0 ? 't' : '';
  const mn = (l !== 0 ? 'ldr' : 'str') + (b !== 0 ? 'b' : '') + t + c;
  if ((w & 0x02000000) === 0) {
    const off = w & 0xfff;
    if (rn === 15 && p !== 0 && wb === 0) return ins(mn, `${rt}, [pc, #${u !== 0 ? '' : '-'}${off}]`);
    void pc;
    if (l === 0 && b === 0 && rn === 13 && p !== 0 && wb !== 0 && u === 0 && off === 4) return ins('push' + c, `{${rt}}`);
    if (l !== 0 && b === 0 && rn === 13 && p === 0 && wb === 0 && u !== 0 && off === 4) return ins('pop' + c, `{${rt}}`);
    return ins(mn, `${rt}, ${addrOffset(R(rn), p, u, p === 0 ? 0 : wb, `#${off}`, off === 0)}`);
  }
  return ins(mn, `${rt}, ${addrOffset(R(rn), p, u, p === 0 ? 0 : wb, shiftedReg(w & ~0x10), false)}`);
}

function extraLs(w: number, c: string): string | undefined {
  const p = (w >>> 24) & 1, u = (w >>> 23) & 1, wb = (w >>> 21) & 1, l = (w >>> 20) & 1, op2 = (w >>> 5) & 3;
  const rn = R((w >>> 16) & 15), rt = (w >>> 12) & 15;
  const names = l !== 0 ? ['', 'ldrh', 'ldrsb', 'ldrsh'] : ['', 'strh', 'ldrd', 'strd'];
  const t = p === 0 && wb !== 0 ? 't' : '';
  const mn = names[op2] + t + c;
  const immForm = (w & 0x00400000) !== 0;
  const off = ((w >>> 4) & 0xf0) | (w & 15);
  const addr = immForm ? addrOffset(rn, p, u, p === 0 ? 0 : wb, `#${off}`, off === 0) : addrOffset(rn, p, u, p === 0 ? 0 : wb, R(w & 15), false);
  if (names[op2].endsWith('d') && t !== '') return undefined;
  return ins(mn, `${R(rt)}, ${addr}`);
}

function ldmStm(w: number, c: string): string {
  const p = (w >>> 24) & 1, u = (w >>> 23) & 1, s = (w >>> 22) & 1, wb = (w >>> 21) & 1, l = (w >>> 20) & 1;
  const rn = (w >>> 16) & 15, list = w & 0xffff;
  const many = (list & (list - 1)) !== 0;
  if (rn === 13 && wb !== 0 && s === 0 && many) {
    if (l === 0 && p === 1 && u === 0) return ins('push' + c, regList(list));
    if (l === 1 && p === 0 && u === 1) return ins('pop' + c, regList(list));
  }
  const mode = ['da', l === 0 && wb !== 0 ? 'ia' : '', 'db', 'ib'][(p << 1) | u];
  return ins((l !== 0 ? 'ldm' : 'stm') + mode + c, `${R(rn)}${wb !== 0 ? '!' : ''}, ${regList(list)}${s !== 0 ? '^' : ''}`);
}

function media(w: number, c: string): string | undefined {
  const op1 = (w >>> 20) & 0x1f, op2 = (w >>> 5) & 7;
  const rd = R((w >>> 12) & 15), rn = (w >>> 16) & 15, rm = R(w & 15);
  if ((op1 & 0x18) === 0) {
    const pre = [['', 's', 'q', 'sh'], ['', 'u', 'uq', 'uh']][(op1 >>> 2) & 1][op1 & 3];
    const ops: Record<number, string> = { 0: 'add16', 1: 'asx', 2: 'sax', 3: 'sub16', 4: 'add8', 7: 'sub8' };
    if (pre === '' || ops[op2] === undefined) return undefined;
    return ins(pre + ops[op2] + c, `${rd}, ${R(rn)}, ${rm}`);
  }
  if ((op1 & 0x18) === 0x08) {
    const o = op1 & 7;
    const rot = (w >>> 10) & 3;
    const rotS = rot === 0 ? '' : `, ror #${rot * 8}`;
    if (o === 0 && (op2 & 1) === 0) {
      const tb = (w & 0x40) !== 0, imm5 = (w >>> 7) & 31;
      if (tb) return ins('pkhtb' + c, `${rd}, ${R(rn)}, ${rm}, asr #${imm5 === 0 ? 32 : imm5}`);
      return ins('pkhbt' + c, `${rd}, ${R(rn)}, ${rm}${imm5 === 0 ? '' : `, lsl #${imm5}`}`);
    }
    if ((o & 2) !== 0 && (op2 & 1) === 0) {
      const sat = (w >>> 16) & 31, sh = (w & 0x40) !== 0, imm5 = (w >>> 7) & 31;
      // objdump shows the ASR #32 form (imm5 = 0) as "asr #0"; kept so the texts compare equal.
      const shs = sh ? `, asr #${imm5}` : imm5 === 0 ? '' : `, lsl #${imm5}`;
      return ins(((o & 4) !== 0 ? 'usat' : 'ssat') + c, `${rd}, #${(o & 4) !== 0 ? sat : sat + 1}, ${rm}${shs}`);
    }
    if (op2 === 3) {
      const base: Record<number, string> = { 0: 'sxtb16', 2: 'sxtb', 3: 'sxth', 4: 'uxtb16', 6: 'uxtb', 7: 'uxth' };
      const b = base[o];
      if (b === undefined) return undefined;
      if (rn === 15) return ins(b + c, `${rd}, ${rm}${rotS}`);
      return ins(b.replace('xt', 'xta') + c, `${rd}, ${R(rn)}, ${rm}${rotS}`);
    }
    if (o === 0 && op2 === 5) return ins('sel' + c, `${rd}, ${R(rn)}, ${rm}`);
    if ((o === 2 || o === 6) && op2 === 1) return ins((o === 6 ? 'usat16' : 'ssat16') + c, `${rd}, #${o === 6 ? (w >>> 16) & 15 : ((w >>> 16) & 15) + 1}, ${rm}`);
    if (o === 3 && op2 === 1) return ins('rev' + c, `${rd}, ${rm}`);
    if (o === 3 && op2 === 5) return ins('rev16' + c, `${rd}, ${rm}`);
    if (o === 7 && op2 === 1) return ins('rbit' + c, `${rd}, ${rm}`);
    if (o === 7 && op2 === 5) return ins('revsh' + c, `${rd}, ${rm}`);
    return undefined;
  }
  if ((op1 & 0x18) === 0x10) {
    const o = op1 & 7, x = (op2 & 1) !== 0 ? 'x' : '';
    const rdh = R((w >>> 16) & 15), ra = (w >>> 12) & 15, rmm = R((w >>> 8) & 15), rnn = R(w & 15);
    if (o === 0 && op2 <= 3) {
      const sub = (op2 & 2) !== 0;
      if (ra === 15) return ins((sub ? 'smusd' : 'smuad') + x + c, `${rdh}, ${rnn}, ${rmm}`);
      return ins((sub ? 'smlsd' : 'smlad') + x + c, `${rdh}, ${rnn}, ${rmm}, ${R(ra)}`);
    }
    if (o === 4 && op2 <= 3) return ins(((op2 & 2) !== 0 ? 'smlsld' : 'smlald') + x + c, `${R(ra)}, ${rdh}, ${rnn}, ${rmm}`);
    if (o === 5) {
      const r = (op2 & 1) !== 0 ? 'r' : '';
      if (op2 <= 1) return ra === 15 ? ins('smmul' + r + c, `${rdh}, ${rnn}, ${rmm}`) : ins('smmla' + r + c, `${rdh}, ${rnn}, ${rmm}, ${R(ra)}`);
      if (op2 >= 6) return ins('smmls' + r + c, `${rdh}, ${rnn}, ${rmm}, ${R(ra)}`);
    }
    return undefined;
  }
  if (op1 === 0x18 && op2 === 0) {
    const ra = (w >>> 12) & 15;
    return ra === 15 ? ins('usad8' + c, `${R(rn)}, ${rm}, ${R((w >>> 8) & 15)}`) : ins('usada8' + c, `${R(rn)}, ${rm}, ${R((w >>> 8) & 15)}, ${R(ra)}`);
  }
  const lsb = (w >>> 7) & 31, hi = (w >>> 16) & 31;
  if ((op1 & 0x1e) === 0x1c && (op2 & 3) === 0) {
    if (hi < lsb) return undefined;
    return (w & 15) === 15 ? ins('bfc' + c, `${rd}, #${lsb}, #${hi - lsb + 1}`) : ins('bfi' + c, `${rd}, ${rm}, #${lsb}, #${hi - lsb + 1}`);
  }
  if (((op1 & 0x1e) === 0x1a || (op1 & 0x1e) === 0x1e) && (op2 & 3) === 2) {
    return ins(((op1 & 0x1e) === 0x1a ? 'sbfx' : 'ubfx') + c, `${rd}, ${rm}, #${lsb}, #${hi + 1}`);
  }
  if (op1 === 0x1f && op2 === 7) return ins('udf', `#${((w >>> 4) & 0xfff0) | (w & 15)}`);
  return undefined;
}

function unconditional(w: number, pc: number): string | undefined {
  const op1 = (w >>> 20) & 0xff;
  if ((op1 & 0xe0) === 0xa0) return ins('blx', hex(pc + 8 + (((w << 8) >> 6) | ((w >>> 23) & 2))));
  if (op1 === 0x57) {
    const op2 = (w >>> 4) & 15, opt = w & 15;
    const opts: Record<number, string> = { 15: 'sy', 14: 'st', 11: 'ish', 10: 'ishst', 7: 'nsh', 6: 'nshst', 3: 'osh', 2: 'oshst' };
    if (op2 === 1) return 'clrex';
    if (op2 === 4 || op2 === 5) return ins(op2 === 4 ? 'dsb' : 'dmb', opts[opt] ?? `#${opt}`);
    if (op2 === 6) return ins('isb', opt === 15 ? 'sy' : `#${opt}`);
    return undefined;
  }
  if (op1 === 0x10 && (w & 0x10000) === 0) {
    const imod = (w >>> 18) & 3, m = (w & 0x20000) !== 0;
    const aif = `${(w & 0x100) !== 0 ? 'a' : ''}${(w & 0x80) !== 0 ? 'i' : ''}${(w & 0x40) !== 0 ? 'f' : ''}`;
    if (imod >= 2) return ins(imod === 2 ? 'cpsie' : 'cpsid', m ? `${aif},#${w & 0x1f}` : aif);
    if (m) return ins('cps', `#${w & 0x1f}`);
    return undefined;
  }
  if ((op1 & 0xe5) === 0x84) {
    const mode = ['da', 'ia', 'db', 'ib'][((w >>> 23) & 2) | ((w >>> 23) & 1)];
    return ins('srs' + mode, `sp${(w & 0x00200000) !== 0 ? '!' : ''}, #${w & 0x1f}`);
  }
  if ((op1 & 0xe5) === 0x81) {
    const mode = ['da', 'ia', 'db', 'ib'][((w >>> 23) & 2) | ((w >>> 23) & 1)];
    return ins('rfe' + mode, `${R((w >>> 16) & 15)}${(w & 0x00200000) !== 0 ? '!' : ''}`);
  }
  return undefined;
}
