// demangle.ts against arm-none-eabi-c++filt (every _Z symbol of libstdc++.a and of a compiled
// C++ corpus), hand-checked Rust v0/legacy names, and bounded behaviour on hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demangle, demangleCxx, demangleRustLegacy, demangleRustV0 } from './demangle';
import { cacheDir, TESTDATA_DIR } from './test-corpus';

function mangledNames(paths: string[]): string[] {
  const out = execFileSync('arm-none-eabi-nm', paths, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  return [...new Set(out.split('\n').map((l) => l.trim().split(/\s+/).pop() ?? '').filter((n) => n.startsWith('_Z')))].sort();
}

function compareWithCxxfilt(names: string[]): string[] {
  const ref = execFileSync('arm-none-eabi-c++filt', [], { input: names.join('\n'), encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n');
  const bad: string[] = [];
  names.forEach((n, i) => {
    const d = demangleCxx(n);
    if (d !== ref[i]) bad.push(`${n}\n  c++filt: ${ref[i]}\n  ours:    ${d}`);
  });
  return bad;
}

test('C++: every symbol of a compiled corpus demangles exactly as c++filt', () => {
  const obj = join(cacheDir(), 'demangle-corpus.o');
  for (const [o, extra] of [[obj, ['-fno-exceptions', '-fno-rtti']], [`${obj}.rtti.o`, []]] as const) {
    execFileSync('arm-none-eabi-g++', ['-mcpu=cortex-m4', '-mthumb', '-O1', '-std=c++17', ...extra, '-c', join(TESTDATA_DIR, 'cxx', 'demangle-corpus.cpp'), '-o', o]);
  }
  const names = mangledNames([obj, `${obj}.rtti.o`]);
  assert.ok(names.length > 40, `${names.length} names`);
  const bad = compareWithCxxfilt(names);
  assert.deepEqual(bad, []);
});

test('C++: every _Z symbol of libstdc++.a demangles exactly as c++filt', () => {
  const lib = '/usr/lib/arm-none-eabi/lib/thumb/v7e-m/nofp/libstdc++.a';
  assert.ok(existsSync(lib), `${lib} (part of the toolchain)`);
  const names = mangledNames([lib]);
  assert.ok(names.length > 5000, `${names.length} names`);
  const bad = compareWithCxxfilt(names);
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${names.length} differ`);
});

test('C++: clone suffixes, special names and non-mangled input', () => {
  assert.equal(demangle('_ZN2hw4uart4Port5writeEPKcj.constprop.0'), 'hw::uart::Port::write(char const*, unsigned int) [clone .constprop.0]');
  assert.equal(demangle('_ZTVN2hw4uart4PortE'), 'vtable for hw::uart::Port');
  assert.equal(demangle('_ZGVZ11with_staticvE7counter'), 'guard variable for with_static()::counter');
  assert.equal(demangle('main'), 'main');
  assert.equal(demangle('_Zfoo'), '_Zfoo', 'unparsable names come back unchanged');
  assert.equal(demangle('_ZN3fooE'), 'foo', 'a nested name without a Rust hash is C++');
});

test('Rust legacy: hash dropped, $-escapes and .. decoded', () => {
  assert.equal(demangleRustLegacy('_ZN3foo3bar17h05af221e174051e9E'), 'foo::bar');
  assert.equal(demangle('_ZN4core3ptr13drop_in_place17h0123456789abcdefE'), 'core::ptr::drop_in_place');
  assert.equal(demangle('_ZN71_$LT$Test$u20$$u2b$$u20$$u27$static$u20$as$u20$foo..Bar$LT$Test$GT$$GT$3bar17h930b740aa94f1d3aE'),
    "<Test + 'static as foo::Bar<Test>>::bar");
  assert.equal(demangle('_ZN4core3fmt9Arguments6new_v117h0123456789abcdefE.llvm.1234'), 'core::fmt::Arguments::new_v1');
  assert.equal(demangleRustLegacy('_ZN3foo3barE'), undefined, 'no hash: not Rust');
  assert.equal(demangleRustLegacy('_ZN3foo$XX$17h0123456789abcdefE'), undefined);
});

test('Rust v0: paths, impls, generics, types, consts, closures, punycode, backrefs', () => {
  const cases: [string, string][] = [
    ['_RNvCsgStHSCytQ6I_7mycrate4main', 'mycrate::main'],
    ['_RNvC6_123foo3bar', '123foo::bar'],
    ['_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3newCs15kBYyAo9fc_7mycrate', '<std::path::PathBuf>::new'],
    ['_RNvXs_C7mycrateNtB4_3FooNtNtC4core3ops4Drop4drop', '<mycrate::Foo as core::ops::Drop>::drop'],
    ['_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_', 'cc::spawn::{closure#0}::{closure#0}'],
    ['_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std',
      'alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>'],
    ['_RMCs4fqI2P2rA04_13const_genericINtB0_8UnsignedKhb_E', '<const_generic::Unsigned<11>>'],
    ['_RMCs4fqI2P2rA04_13const_genericINtB0_6SignedKanb_E', '<const_generic::Signed<-11>>'],
    ['_RMCs4fqI2P2rA04_13const_genericINtB0_4BoolKb1_E', '<const_generic::Bool<true>>'],
    ['_RMCs4fqI2P2rA04_13const_genericINtB0_4CharKc76_E', "<const_generic::Char<'v'>>"],
    ['_RNvNvMCs4fqI2P2rA04_13const_genericINtB4_3FooKpE3foo3FOO', '<const_generic::Foo<_>>::foo::FOO'],
    ['_RINvC7mycrate1fTlhERlQmPaOyAhj4_SeFUKCEuE', 'mycrate::f::<(i32, u8), &i32, &mut u32, *const i8, *mut u64, [u8; 4], [str], unsafe extern "C" fn()>'],
    ['_RINvC7mycrate1gFG_RL0_hEuE', "mycrate::g::<for<'a> fn(&'a u8)>"],
    ['_RINvC7mycrate1hDNtC4core3AnyEL_E', 'mycrate::h::<dyn core::Any>'],
    ['_RINvC7mycrate1kNtB2_3FooE', 'mycrate::k::<mycrate::Foo>'],
    ['_RINvC7mycrate1kTlEE', 'mycrate::k::<(i32,)>'],
    // RFC 3492 §7.1 sample strings, with Rust's "_" delimiter.
    ['_RNvC7mycrateu10mnchen_3ya', 'mycrate::münchen'],
    ['_RNvC7mycrateu24ihqwcrb4cv8a8dqg056pqjye', 'mycrate::他们为什么不说中文'],
    ['_RNvC7mycrate4main.llvm.123', 'mycrate::main'],
  ];
  for (const [m, want] of cases) assert.equal(demangle(m), want, m);
  // Malformed: forward backref, truncated, bad tag.
  for (const bad of ['_RNvB9_3foo', '_RNvC7mycrate', '_RZ', '_R', '_RNvC7myc']) assert.equal(demangleRustV0(bad), undefined, bad);
});

test('hostile input: random, truncated and self-referencing names are bounded and never throw', () => {
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  const alphabet = 'NIESTKLBRPOFAZVXYJDd0123456789_abcdefghijklmnopqrstuvwxyz$.';
  const seeds = ['_ZNSt6vectorIiSaIiEE17_M_realloc_insertIJiEEEvN9__gnu_cxx17__normal_iteratorIPiS1_EEDpOT_',
    '_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std'];
  const t0 = performance.now();
  for (let i = 0; i < 10000; i++) {
    const base = seeds[i % 2];
    let s: string;
    switch (i % 3) {
      case 0: s = base.slice(0, rnd(base.length)); break;
      case 1: { const a = base.split(''); for (let k = 0; k < 3; k++) a[rnd(a.length)] = alphabet[rnd(alphabet.length)]; s = a.join(''); break; }
      default: s = base.slice(0, 2) + Array.from({ length: rnd(200) }, () => alphabet[rnd(alphabet.length)]).join('');
    }
    const d = demangle(s);
    assert.equal(typeof d, 'string');
    assert.ok(d.length <= 1 << 17, s);
  }
  // Substitution/backref doubling: each level refers to the previous twice.
  let cxx = '_Z1fI1A';
  for (let k = 0; k < 40; k++) cxx += k === 0 ? 'S_' : `S${(k - 1).toString(36).toUpperCase()}_`;
  demangle(cxx + 'Ev');
  let rust = '_RINvC1a1fTl';
  for (let k = 0; k < 60; k++) rust += `TB${(10 + k).toString(36)}_B${(10 + k).toString(36)}_E`;
  demangle(rust + 'EE');
  assert.ok(performance.now() - t0 < 5000, 'fuzzing 10k names takes well under 5 s');
});

test('Rust: v0 and legacy symbols of a compiled crate match c++filt, modulo display choices', () => {
  // Listed differences, all deliberate for display (rustc-demangle's "alternate" form, which
  // rustc's own backtraces use): crate disambiguators `[hash]` and legacy `::h<hash>` suffixes
  // are dropped, const generic values print without c++filt's `: type` suffix, and non-ASCII
  // `$u..$` escapes in legacy names are decoded (c++filt prints them raw).
  const src = join(TESTDATA_DIR, 'rust', 'demangle-corpus.rs');
  const names: string[] = [];
  for (const m of ['v0', 'legacy']) {
    const obj = join(cacheDir(), `rust-demangle-${m}.o`);
    execFileSync('rustc', ['+nightly', '--crate-type=lib', '--crate-name=lib', '--emit=obj', '-C', 'opt-level=1', '-C', `symbol-mangling-version=${m}`,
      '-Z', 'unstable-options', '--cap-lints', 'allow', '-o', obj, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    names.push(...execFileSync('nm', [obj], { encoding: 'utf8' }).split('\n').map((l) => l.trim().split(/\s+/).pop() ?? '').filter((n) => /^(_R|_ZN)/.test(n)));
  }
  const v0 = names.filter((n) => n.startsWith('_R')).length;
  assert.ok(v0 >= 15 && names.length - v0 >= 10, `${v0} v0 and ${names.length - v0} legacy names`);
  const ref = execFileSync('arm-none-eabi-c++filt', [], { input: names.join('\n'), encoding: 'utf8' }).split('\n');
  const bad: string[] = [];
  names.forEach((n, i) => {
    const want = ref[i]
      .replace(/\[[0-9a-f]{16}\]/g, '')
      .replace(/::h[0-9a-f]{16}$/, '')
      .replace(/('(?:[^'\\]|\\u\{[0-9a-f]+\})'|\b\d+|true|false): (?:usize|isize|[iu](?:8|16|32|64|128)|bool|char)\b/g, '$1')
      .replace(/\\u\{([0-9a-f]+)\}/g, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
      // c++filt leaves legacy `$u<hex>$` escapes of non-ASCII characters undecoded; we decode them.
      .replace(/\$u([0-9a-f]{2,6})\$/g, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)));
    const got = demangle(n);
    if (got !== want) bad.push(`${n}\n  c++filt: ${want}\n  ours:    ${got}`);
  });
  assert.deepEqual(bad, []);
  assert.ok(names.some((n) => demangle(n).includes('{closure#0}')), 'closures are covered');
  assert.ok(names.some((n) => n.startsWith('_R') && demangle(n) === 'lib::ünïcödé'), 'punycode identifiers are covered');
});
