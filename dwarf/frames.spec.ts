// Unit tests for the CFI reader on hand-assembled .debug_frame/.eh_frame: every DW_CFA op, CIE
// versions 1/3/4, 64-bit DWARF, .eh_frame pointer encodings and z/P/L/R/S augmentations,
// malformed input, CFI unwinding (Thumb bit, EXC_RETURN, outermost) and the prologue heuristic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallFrameInfo, formatCfa, formatRule, unwindHeuristic, unwindWithRules, type FrameRow } from './frames';
import { DwarfError } from './reader';

const uleb = (v: number): number[] => { const o: number[] = []; do { let b = v & 0x7f; v = Math.floor(v / 128); if (v) b |= 0x80; o.push(b); } while (v); return o; };
const sleb = (v: number): number[] => {
  const o: number[] = [];
  for (;;) { const b = v & 0x7f; v >>= 7; if ((v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40))) { o.push(b); return o; } o.push(b | 0x80); }
};
const u16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const u64 = (v: number) => [...u32(v >>> 0), ...u32(Math.floor(v / 2 ** 32))];
const str = (s: string) => [...Buffer.from(s), 0];
/** A length-prefixed entry, padded to 4 bytes with DW_CFA_nop. */
const entry = (body: number[], dwarf64 = false) => {
  const b = [...body];
  while ((b.length + (dwarf64 ? 12 : 4)) % 4) b.push(0);
  return dwarf64 ? [...u32(0xffffffff), ...u64(b.length), ...b] : [...u32(b.length), ...b];
};

const show = (row: FrameRow) => `${row.loc.toString(16)} ${formatCfa(row.cfa)} ${[...row.regs].sort((a, b) => a[0] - b[0]).map(([r, x]) => `r${r}=${formatRule(x)}`).join(' ')}`.trim();

// CIE v1: code_align 2, data_align -4, ra r14, initial rule CFA = r13+0.
const CIE1 = entry([...u32(0xffffffff), 1, ...str(''), ...uleb(2), ...sleb(-4), 14, 0x0c, 13, 0]);
const LO = 0x8000;
const OPS = [
  0x41, // advance_loc 1 (x2)
  0x0e, 8, // def_cfa_offset 8
  0x8e, 1, // offset r14, 1
  0x05, 4, 2, // offset_extended r4, 2
  0x02, 1, // advance_loc1
  0x0a, // remember_state
  0x0d, 7, // def_cfa_register r7
  0x07, 5, 0x08, 6, 0x09, 8, 9, // undefined r5, same_value r6, register r8 <- r9
  0x03, ...u16(1), // advance_loc2
  0x0b, // restore_state
  0x14, 10, 2, // val_offset r10, 2
  0x11, 11, ...sleb(-3), // offset_extended_sf r11, -3
  0x04, ...u32(1), // advance_loc4
  0x12, 13, ...sleb(-4), // def_cfa_sf r13, -4 (x-4 = 16)
  0x13, ...sleb(-3), // def_cfa_offset_sf -3 (= 12)
  0x15, 10, ...sleb(1), // val_offset_sf r10, 1
  0x2f, 11, 2, // GNU_negative_offset_extended r11, 2
  0x2e, 16, // GNU_args_size 16
  0xc4, // restore r4
  0x06, 14, // restore_extended r14
  0x10, 4, 2, 0x7d, 0, // expression r4: DW_OP_breg13 0
  0x16, 12, 2, 0x23, 4, // val_expression r12: DW_OP_plus_uconst 4
  0x00, // nop
  0x01, ...u32(LO + 20), // set_loc
  0x0f, 2, 0x7d, 32, // def_cfa_expression DW_OP_breg13 32
];
const FDE1 = entry([...u32(0), ...u32(LO), ...u32(0x40), ...OPS]);

test('every DW_CFA op gives the row readelf would print', () => {
  const cfi = new CallFrameInfo([{ name: '.debug_frame', data: new Uint8Array([...CIE1, ...FDE1]), addr: 0, eh: false }], 4);
  const fde = cfi.fdeAt(LO + 6)!;
  assert.equal(fde.lo, LO);
  assert.equal(fde.hi, LO + 0x40);
  assert.deepEqual(cfi.rows(fde).map(show), [
    '8000 r13+0',
    '8002 r13+8 r4=c-8 r14=c-4',
    '8004 r7+8 r4=c-8 r5=u r6=s r8=r9 r14=c-4',
    '8006 r13+8 r4=c-8 r10=v-8 r11=c+12 r14=c-4',
    '8008 r13+12 r4=exp r10=v-4 r11=c+8 r12=vexp',
    '8014 exp r4=exp r10=v-4 r11=c+8 r12=vexp',
  ]);
  assert.equal(cfi.rows(fde)[4].argsSize, 16);
  assert.equal(show(cfi.rulesAt(LO + 5)!.row), '8004 r7+8 r4=c-8 r5=u r6=s r8=r9 r14=c-4');
  assert.equal(show(cfi.rulesAt(LO + 0x3f)!.row), '8014 exp r4=exp r10=v-4 r11=c+8 r12=vexp');
  assert.equal(cfi.rulesAt(LO + 0x40), undefined);
  assert.equal(cfi.rulesAt(LO - 2), undefined);
});

test('CIE versions 3 and 4 and 64-bit DWARF entries', () => {
  // v3: ra as ULEB; v4: address size 4 and segment selector size 0 fields.
  const cie3 = entry([...u32(0xffffffff), 3, ...str(''), ...uleb(2), ...sleb(-4), ...uleb(14), 0x0c, 13, 0]);
  const cie4 = entry([...u32(0xffffffff), ...u32(0xffffffff), 4, ...str(''), 4, 0, ...uleb(2), ...sleb(-4), ...uleb(14), 0x0c, 13, 0], true);
  const fde3 = entry([...u32(0), ...u32(0x100), ...u32(8), 0x41, 0x0e, 4]);
  const off4 = cie3.length + fde3.length;
  const fde4 = entry([...u64(off4), ...u32(0x200), ...u32(8), 0x42, 0x0e, 8, 0x8e, 1], true);
  const cfi = new CallFrameInfo([{ name: '.debug_frame', data: new Uint8Array([...cie3, ...fde3, ...cie4, ...fde4]), addr: 0, eh: false }], 4);
  const [sec] = cfi.entries();
  assert.deepEqual(sec.cies.map((c) => [c.version, c.raReg, c.addrSize]), [[3, 14, 4], [4, 14, 4]]);
  assert.equal(show(cfi.rulesAt(0x102)!.row), '102 r13+4');
  assert.equal(show(cfi.rulesAt(0x205)!.row), '204 r13+8 r14=c-4');
  assert.equal(cfi.rulesAt(0x205)!.fde.cie.offset, off4);
});

test('.eh_frame: relative CIE pointers, pcrel/sdata4 addresses, z P L R S augmentations, terminator', () => {
  const addr = 0x9000;
  // CIE "zPLR": personality (pcrel sdata4), LSDA and FDE encodings pcrel sdata4 (0x1b).
  const cieBody = [...u32(0), 1, ...str('zPLR'), ...uleb(2), ...sleb(-4), 14];
  const augAt = 4 + cieBody.length + 1; // after the aug length byte (offset in the section)
  const aug = [0x1b, ...u32((0xa000 - (addr + augAt + 1)) >>> 0), 0x1b, 0x1b];
  const cie = entry([...cieBody, aug.length, ...aug, 0x0c, 13, 0]);
  // FDE: pc_begin pcrel -> 0x8000, range 0x20, LSDA pcrel -> 0xb000.
  const f = cie.length;
  const pcField = addr + f + 8;
  const body = [...u32(f + 4), ...u32((0x8000 - pcField) >>> 0), ...u32(0x20), 4];
  const lsdaField = addr + f + 4 + body.length;
  const fde = entry([...body, ...u32((0xb000 - lsdaField) >>> 0), 0x41, 0x0e, 8]);
  // CIE "zRS" (signal frame) with an FDE that uses DW_CFA_set_loc with the pcrel encoding.
  const c2 = cie.length + fde.length;
  const cie2 = entry([...u32(0), 1, ...str('zRS'), ...uleb(2), ...sleb(-4), 14, 1, 0x1b, 0x0c, 13, 0]);
  const f2 = c2 + cie2.length;
  const setLocField = addr + f2 + 4 + 4 + 8 + 1 + 1;
  const fde2 = entry([...u32(f2 + 4 - c2), ...u32((0x8100 - (addr + f2 + 8)) >>> 0), ...u32(0x10), 0, 0x01, ...u32((0x8108 - setLocField) >>> 0), 0x0e, 4]);
  const data = new Uint8Array([...cie, ...fde, ...cie2, ...fde2, 0, 0, 0, 0, 0xde, 0xad]);
  const cfi = new CallFrameInfo([{ name: '.eh_frame', data, addr, eh: true }], 4);
  const fd = cfi.fdeAt(0x8004)!;
  assert.equal(fd.lo, 0x8000);
  assert.equal(fd.hi, 0x8020);
  assert.equal(fd.lsda, 0xb000);
  assert.equal(fd.cie.personality, 0xa000);
  assert.equal(show(cfi.rulesAt(0x8004)!.row), '8002 r13+8');
  const fd2 = cfi.fdeAt(0x8100)!;
  assert.equal(fd2.cie.signalFrame, true);
  assert.deepEqual(cfi.rows(fd2).map(show), ['8100 r13+0', '8108 r13+4']);
});

test('malformed CFI raises DwarfError naming the section and offset', () => {
  const bad = (bytes: number[], re: RegExp, eh = false) => {
    const cfi = new CallFrameInfo([{ name: eh ? '.eh_frame' : '.debug_frame', data: new Uint8Array(bytes), addr: 0, eh }], 4);
    assert.throws(() => { for (const f of cfi.fdes()) cfi.rows(f); }, (e: unknown) => e instanceof DwarfError && re.test(e.message));
  };
  bad([...CIE1, ...FDE1].slice(0, CIE1.length + 10), /^\.debug_frame\+0x10: entry length 0x[0-9a-f]+ runs past/);
  bad([...CIE1, ...entry([...u32(0), ...u32(0), ...u32(4), 0x3f])], /unknown call frame instruction 0x3f/);
  bad([...CIE1, ...entry([...u32(0), ...u32(0), ...u32(4), 0x0b])], /restore_state without a remembered state/);
  bad([...CIE1, ...entry([...u32(0x40), ...u32(0), ...u32(4)])], /CIE offset 0x40 .*outside the section/);
  bad([...CIE1, ...entry([...u32(0x10), ...u32(0), ...u32(4)])], /is not a CIE/);
  bad([...entry([...u32(0xffffffff), 1, ...str('xy'), 2, 0x7c, 14]), ...entry([...u32(0), ...u32(0), ...u32(4)])], /unknown CIE augmentation 'xy'/);
  bad([...entry([...u32(0xffffffff), 9, ...str(''), 2, 0x7c, 14]), ...entry([...u32(0), ...u32(0), ...u32(4)])], /unsupported CIE version 9/);
  bad([...CIE1, ...entry([...u32(0), ...u32(0), ...u32(4), ...Array(300).fill(0x0a)])], /remember_state nested deeper than 256/);
  // Many registers, then a row per advance that changes one: the copy budget stops it, typed.
  const many = [...Array.from({ length: 2100 }, (_, i) => [0x05, ...uleb(i + 16), 1]).flat(), ...Array(2100).fill([0x41, 0x80, 1]).flat()];
  bad([...CIE1, ...entry([...u32(0), ...u32(0), ...u32(0x10000), ...many])], /copies more than 4194304 register rules/);
  bad([...entry([...u32(0), 1, ...str('zR'), 2, 0x7c, 14, 1, 0x0f, 0x0c, 13, 0]), ...entry([...u32(0x18), ...u32(0), ...u32(4), 0])], /unknown pointer encoding 0xf/, true);
});

// Unwinding: a little memory image and registers.
function memory(words: Record<number, number>) {
  return (addr: number, size: number) => {
    if (size !== 4 || !(addr in words)) return undefined;
    return new Uint8Array(u32(words[addr]));
  };
}

test('CFI unwinding: CFA, saved registers, Thumb return address; EXC_RETURN and undefined ra stop cleanly', () => {
  const cfi = new CallFrameInfo([{ name: '.debug_frame', data: new Uint8Array([...CIE1, ...FDE1]), addr: 0, eh: false }], 4);
  const regs = new Map([[13, 0x20000ff8], [14, 0xdead], [4, 7], [9, 0x99], [7, 0x20000fe0]]);
  const mem = memory({ 0x20000ffc: 0x8123, 0x20000ff8: 0x55 });
  const f = unwindWithRules(cfi.rulesAt(LO + 2)!, regs, mem);
  assert.equal(f.method, 'cfi');
  assert.equal(f.cfa, 0x20001000);
  assert.equal(f.pc, 0x8122);
  assert.equal(f.thumb, true);
  assert.equal(f.regs.get(4), 0x55);
  assert.equal(f.regs.get(13), 0x20001000);
  assert.equal(f.regs.get(15), 0x8122);
  assert.equal(f.stop, undefined);
  // r7-based CFA; r5 undefined (dropped), r8 from r9.
  const g = unwindWithRules(cfi.rulesAt(LO + 4)!, regs, memory({ 0x20000fe4: 0x8201, 0x20000fe0: 1 }));
  assert.equal(g.cfa, 0x20000fe8);
  assert.equal(g.pc, 0x8200);
  assert.equal(g.regs.get(8), 0x99);
  assert.equal(g.regs.has(5), false);
  // val_expression/expression and a CFA expression: CFA = r13 + 32, r12 = CFA + 4, r4 = *(r13).
  const h = unwindWithRules(cfi.rulesAt(LO + 0x20)!, regs, memory({ 0x20000ff8: 0x44, 0x20001018: 0x8001 }));
  assert.equal(h.cfa, 0x20001018);
  assert.equal(h.regs.get(12), 0x2000101c);
  assert.equal(h.regs.get(4), 0x44);
  // A handler's return address is EXC_RETURN: stop, and say so.
  const x = unwindWithRules(cfi.rulesAt(LO + 2)!, regs, memory({ 0x20000ffc: 0xfffffff9 }));
  assert.equal(x.stop, 'exception');
  assert.equal(x.excReturn, 0xfffffff9);
  assert.equal(x.pc, undefined);
  // Unreadable stack memory: a reason, not a crash.
  const u = unwindWithRules(cfi.rulesAt(LO + 2)!, regs, memory({}));
  assert.equal(u.stop, 'unreadable');
  assert.match(u.reason ?? '', /return address \(r14\)/);
  // DW_CFA_undefined on the return-address column marks the outermost frame.
  const top = entry([...u32(0), ...u32(0x100), ...u32(4), 0x07, 14]);
  const c2 = new CallFrameInfo([{ name: '.debug_frame', data: new Uint8Array([...CIE1, ...top]), addr: 0, eh: false }], 4);
  assert.equal(unwindWithRules(c2.rulesAt(0x100)!, regs, mem).stop, 'outermost');
});

test('heuristic unwinding scans the Thumb prologue; a function entry is a leaf', () => {
  const code = new Uint8Array([
    ...u16(0xe92d), ...u16(0x4ff0), // push.w {r4-r11, lr}
    ...u16(0xed2d), ...u16(0x8b02), // vpush {d8}
    ...u16(0xf2ad), ...u16(0x1d00), // subw sp, sp, #0x100
    ...u16(0xb590), // push {r4, r7, lr}
    ...u16(0xb082), // sub sp, #8
    ...u16(0xaf00), // add r7, sp, #0
    ...u16(0xbd90), // pop {r4, r7, pc}: ends the scan
    ...u16(0xb082),
    ...u16(0xbf00), // nop
  ]);
  const readCode = (a: number, n: number) => (a >= 0x1000 && a + n <= 0x1000 + code.length ? code.subarray(a - 0x1000, a - 0x1000 + n) : undefined);
  const sp = 0x20000800;
  const regs = new Map([[13, sp], [14, 0x1111]]);
  // At entry nothing has been pushed: return address in lr.
  const leaf = unwindHeuristic(0x1000, 0x1000, regs, memory({}), readCode);
  assert.deepEqual([leaf.method, leaf.cfa, leaf.pc], ['heuristic', sp, 0x1110]);
  // After push {r4-r11, lr} (36), vpush d8 (8), subw 0x100, push {r4,r7,lr} (12), sub 8: 0x144 bytes.
  const frame = 36 + 8 + 0x100 + 12 + 8;
  const cfa = sp + frame;
  // The inner push saved lr last-but-highest at cfa - 36 - 8 - 0x100 - 4.
  const inner = cfa - 36 - 8 - 0x100;
  const mem = memory({ [inner - 4]: 0x2345, [inner - 8]: 0x77, [inner - 12]: 0x44, [cfa - 4]: 0x5555 });
  const f = unwindHeuristic(0x1000 + 18, 0x1000, regs, mem, readCode);
  assert.equal(f.cfa, cfa);
  assert.equal(f.returnAddress, 0x2345);
  assert.equal(f.pc, 0x2344);
  assert.equal(f.regs.get(7), 0x77);
  assert.equal(f.regs.get(4), 0x44);
  // Past the pop the scan stops: the same answer (the epilogue is not replayed).
  assert.equal(unwindHeuristic(0x1000 + 22, 0x1000, regs, mem, readCode).cfa, cfa);
  // No symbol: a leaf.
  assert.equal(unwindHeuristic(0x1006, undefined, regs, mem, readCode).pc, 0x1110);
});
