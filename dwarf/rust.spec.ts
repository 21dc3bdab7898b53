// Rust DWARF: a small no_std program (built here with the host rustc, an ELF64 x86-64 image) whose
// statics cover a data-carrying enum (variant part), Option's niche layout, &str and a slice.
// Its DIE tree must match pyelftools, and the statics must read back as the source wrote them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElfFile } from './elf';
import { DW_TAG, DwarfInfo, sectionsFrom } from './info';
import { Scopes } from './scopes';
import { formatValue } from './values';
import { dumpInfo } from './info-dump';

const SOURCE = `#![no_std]
#![no_main]
use core::panic::PanicInfo;
#[panic_handler]
fn panic(_: &PanicInfo) -> ! { loop {} }
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}
pub enum Shape { Circle { r: u32 }, Rect(u16, u16), Empty }
#[used] #[no_mangle]
pub static mut SHAPES: [Shape; 3] = [Shape::Circle { r: 5 }, Shape::Rect(3, 4), Shape::Empty];
#[used] #[no_mangle]
pub static mut MAYBE: Option<u8> = Some(42);
#[used] #[no_mangle]
pub static mut NOTHING: Option<&u32> = None;
#[used] #[no_mangle]
pub static mut NAME: &str = "tandem";
#[used] #[no_mangle]
pub static mut SLICE: &[u16] = &[1, 2, 3];
#[used] #[no_mangle]
pub static mut PAIR: (i8, bool) = (-5, true);
#[no_mangle]
pub extern "C" fn _start() -> ! { loop {} }
`;

function rustc(): string | undefined {
  for (const c of ['rustc', join(process.env.HOME ?? '/root', '.cargo/bin/rustc')]) {
    try { execFileSync(c, ['--version'], { stdio: 'ignore' }); return c; } catch { /* next */ }
  }
  return undefined;
}

function build(rc: string): string {
  const dir = join(tmpdir(), 'tandem-dwarf-rust');
  mkdirSync(dir, { recursive: true });
  const h = createHash('sha256').update(execFileSync(rc, ['--version'])).update(SOURCE).digest('hex').slice(0, 16);
  const out = join(dir, `values-${h}.elf`);
  if (existsSync(out)) return out;
  const src = join(dir, `values-${h}.rs`);
  writeFileSync(src, SOURCE);
  const tmp = `${out}.${process.pid}.tmp`;
  execFileSync(rc, ['-g', '-C', 'opt-level=0', '-C', 'panic=abort', '-C', 'link-arg=-nostartfiles', '-C', 'link-arg=-static',
    '-C', 'relocation-model=static', '--crate-name', 't', src, '-o', tmp], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, out);
  return out;
}

const rc = rustc();
const hasPy = existsSync('/usr/bin/python3');

test('Rust no_std ELF64: statics format as the source wrote them', { skip: !rc && 'rustc missing' }, () => {
  const path = build(rc!);
  const elf = ElfFile.parse(new Uint8Array(readFileSync(path)), path);
  assert.equal(elf.is64, true);
  const readMem = (addr: bigint, size: number) => {
    const a = Number(addr);
    for (const s of elf.sections) if ((s.flags & 2) && a >= s.addr && a + size <= s.addr + s.size) return s.type === 8 ? new Uint8Array(size) : elf.sectionBytes(s).subarray(a - s.addr, a - s.addr + size);
    return undefined;
  };
  const sc = new Scopes(new DwarfInfo(sectionsFrom((n) => elf.sectionData(n))));
  const got = new Map<string, string>();
  for (const u of sc.info.compileUnits()) for (let i = 0; i < u.dieCount(); i++) {
    const d = u.dieByIndex(i);
    if (d.tag !== DW_TAG.variable || d.parent()?.str(0x03) !== 't') continue;
    const v = sc.variableOf(d, 0);
    const r = sc.evaluateVariable(v, 0, { readMem });
    got.set(v.name, `${v.type?.toString()} = ${r.bytes ? formatValue(v.type, r.bytes, { readMem }) : r.error}`);
  }
  assert.deepEqual(Object.fromEntries(got), {
    SHAPES: '[t::Shape; 3] = [Circle {r: 5}, Rect(3, 4), Empty]',
    MAYBE: 'core::option::Option<u8> = Some(42)',
    NOTHING: 'core::option::Option<&u32> = None',
    NAME: '&str = "tandem"',
    SLICE: '&[u16] = &[1, 2, 3]',
    PAIR: '(i8, bool) = (-5, true)',
  });
});

test('Rust no_std ELF64: DIE tree, expressions and ranges match pyelftools', { skip: (!rc || !hasPy) && 'rustc or python3 missing' }, () => {
  const path = build(rc!);
  const elf = ElfFile.parse(new Uint8Array(readFileSync(path)), path);
  const ours = dumpInfo(new DwarfInfo(sectionsFrom((n) => elf.sectionData(n)))).split('\n');
  const theirs = execFileSync('/usr/bin/python3', [join(__dirname, 'pyelftools-dump.py'), path], { encoding: 'utf8', maxBuffer: 256 << 20 }).split('\n');
  const bad: string[] = [];
  for (let i = 0; i < Math.max(ours.length, theirs.length) && bad.length < 10; i++) {
    if (ours[i] !== theirs[i]) bad.push(`line ${i + 1}: ours ${JSON.stringify(ours[i])} pyelftools ${JSON.stringify(theirs[i])}`);
  }
  assert.deepEqual(bad, []);
  // The comparison must have covered the Rust-specific DIEs: variant parts and variants.
  assert.ok(ours.length > 500 && ours.filter((l) => / 51 [01] \d+$/.test(l)).length >= 1 && ours.filter((l) => / 25 [01] \d+$/.test(l)).length >= 3, `${ours.length} lines`);
});
