// Rust items whose symbols exercise v0 and legacy mangling: generics, const generics (int,
// bool, char), trait impls, closures and their FnOnce shims, dyn, tuples, slices, non-ASCII
// names. demangle.spec.ts compiles it with rustc (nightly, for -C symbol-mangling-version).
#![no_std]
pub struct Foo<T> { pub v: T }
pub trait Speak { fn speak(&self) -> u32; }
impl<T: Copy + Into<u64>> Speak for Foo<T> { #[inline(never)] fn speak(&self) -> u32 { let x: u64 = self.v.into(); x as u32 } }
impl<T> Foo<T> { #[inline(never)] pub fn new(v: T) -> Self { Foo { v } } }
pub mod deep { pub mod er { #[inline(never)] pub fn f<const N: usize>(a: [u8; N]) -> usize { a.len() } } }
#[inline(never)] pub fn dynamic(s: &dyn Speak) -> u32 { s.speak() }
#[inline(never)] pub fn tuple(t: (i32, &str, *const u8, &mut [u16])) -> i32 { t.0 }
#[inline(never)] pub fn fnptr(f: fn(i8) -> bool, g: unsafe extern "C" fn()) -> bool { f(1) }
#[inline(never)] pub fn closure_user() -> u32 { let c = |x: u32| x + 1; let d = move |y: u32| c(y) * 2; d(3) }
pub fn use_all() -> u32 {
  let a = Foo::new(3u8); let b = Foo::new(4u16);
  deep::er::f([1u8; 4]) as u32 + deep::er::f([1u8; 7]) as u32 + dynamic(&a) + dynamic(&b) + closure_user()
}
#[inline(never)] pub fn ünïcödé() -> u8 { 1 }
pub static CL: fn(u32) -> u32 = |x| x + 1;
pub static CL2: fn(&[u8]) -> usize = |s| s.len();
#[inline(never)] pub fn generic_dyn<'a>(x: &'a (dyn Speak + 'a), f: &dyn Fn(&u8) -> u8) -> u32 { x.speak() + f(&1) as u32 }
pub fn call_gd() -> u32 { let y = 2u8; generic_dyn(&Foo { v: 1u8 }, &move |a: &u8| *a + y) }
#[inline(never)] pub fn gen2<A: Speak, const B: bool, const C: char>(a: &A) -> u32 { a.speak() + B as u32 + C as u32 }
pub fn call_gen2() -> u32 { gen2::<Foo<u8>, true, 'x'>(&Foo { v: 1 }) + gen2::<Foo<u16>, false, 'é'>(&Foo { v: 1 }) }
#[inline(never)] pub fn arrays(a: &[[i64; 3]; 2], b: *mut (u8, ()), c: &mut &'static str) -> i64 { a[0][0] }
