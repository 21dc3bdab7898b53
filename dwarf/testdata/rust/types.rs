// DWARF test input for dwarf/: a small Rust no_std program whose types and locals cover
// what the reader must handle (structs, enums with data, slices, &str, arrays, tuples,
// generics, nested modules, inlined calls). It is run nowhere; only its DWARF matters.
#![no_std]
#![no_main]

pub mod geometry {
    #[derive(Clone, Copy)]
    pub struct Point { pub x: i32, pub y: i32 }

    pub enum Shape {
        Circle { centre: Point, radius: u16 },
        Rect(Point, Point),
        Empty,
    }

    pub fn area(s: &Shape) -> u32 {
        match s {
            Shape::Circle { radius, .. } => 3 * (*radius as u32) * (*radius as u32),
            Shape::Rect(a, b) => ((b.x - a.x).unsigned_abs()) * ((b.y - a.y).unsigned_abs()),
            Shape::Empty => 0,
        }
    }
}

pub struct Ring<T, const N: usize> { items: [T; N], head: usize, len: usize }

impl<T: Copy, const N: usize> Ring<T, N> {
    pub fn push(&mut self, v: T) {
        let slot = (self.head + self.len) % N;
        self.items[slot] = v;
        if self.len < N { self.len += 1 } else { self.head = (self.head + 1) % N }
    }
}

static GREETING: &str = "hello, dwarf";
static mut COUNTER: u32 = 0;

#[inline(never)]
fn checksum(bytes: &[u8], seed: (u8, u32)) -> u32 {
    let mut acc = seed.1;
    for (i, b) in bytes.iter().enumerate() {
        acc = acc.rotate_left(5) ^ (*b as u32) ^ (i as u32) ^ seed.0 as u32;
    }
    acc
}

#[no_mangle]
pub extern "C" fn reset() -> ! {
    use geometry::{area, Point, Shape};
    let shapes = [
        Shape::Circle { centre: Point { x: 1, y: 2 }, radius: 3 },
        Shape::Rect(Point { x: 0, y: 0 }, Point { x: 4, y: 5 }),
        Shape::Empty,
    ];
    let mut ring: Ring<u32, 4> = Ring { items: [0; 4], head: 0, len: 0 };
    let mut total = 0u32;
    for s in shapes.iter() {
        let a = area(s);
        ring.push(a);
        total = total.wrapping_add(a);
    }
    let c = checksum(GREETING.as_bytes(), (7, total));
    unsafe { COUNTER = COUNTER.wrapping_add(c ^ ring.items[ring.head] ^ ring.len as u32) };
    loop {
        unsafe { core::ptr::read_volatile(core::ptr::addr_of!(COUNTER)) };
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}
