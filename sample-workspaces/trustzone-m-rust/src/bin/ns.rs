// Non-secure image of the Rust TrustZone-M sample: says hello through UART0 (which
// the secure boot handed over), calls the secure service through its SG veneer, runs
// a few commands (enums, a slice, a &str: values for the debugger to show), and
// returns to the secure world (FNC_RETURN) with a status.
#![no_std]
#![no_main]

#[path = "../board.rs"]
mod board;

use board::{Uart, UART0_NS};
use core::fmt::Write;

core::arch::global_asm!(
    ".section .vectors, \"a\"",
    ".global __ns_vectors",
    "__ns_vectors:",
    ".word __stack_top",
    ".word ns_reset",
    ".rept 14",
    ".word ns_fault",
    ".endr",
);

extern "C" {
    /// Resolved from the secure image's import library (secure_cmse_lib.o): the SG veneer.
    fn secure_service(x: u32) -> u32;
}

/// A fieldless enum: DWARF describes it as DW_TAG_enumeration_type.
#[derive(Clone, Copy, PartialEq)]
enum Color {
    Red,
    Green,
    Blue,
}

/// An enum with data: DWARF describes it as a struct with a DW_TAG_variant_part.
enum Cmd {
    Add(u32, u32),
    Log(&'static str),
    Nop,
}

/// Entered by the secure boot's BLXNS; returning goes back through FNC_RETURN.
#[no_mangle]
pub extern "C" fn ns_reset() -> u32 {
    main()
}

/// The non-secure app.
#[no_mangle]
pub extern "C" fn main() -> u32 {
    let mut uart = Uart::new(UART0_NS);
    let _ = writeln!(uart, "[NS] hello from the non-secure world (Rust no_std)");
    let x = 0x2a;
    let r = unsafe { secure_service(x) };
    let _ = writeln!(uart, "[NS] secure_service({}) = {:#010x}", x, r);
    let words = ["alpha", "beta", "gamma"];
    let total: usize = words.iter().map(|w| w.len()).sum();
    let _ = writeln!(uart, "[NS] {} words, {} letters", words.len(), total);

    let palette = [Color::Red, Color::Green, Color::Blue];
    let color = palette[1];
    let bytes: &[u8] = &[1, 2, 3, 4, 5];
    let name: &str = "tandem";
    let add = Cmd::Add(3, 4);
    let log = Cmd::Log("from the non-secure world");
    let nop = Cmd::Nop;
    let mut failures = 0;
    failures += run(&mut uart, &add, color, bytes, name);
    failures += run(&mut uart, &log, color, bytes, name);
    failures += run(&mut uart, &nop, palette[2], &bytes[1..3], "");
    let _ = writeln!(uart, "[NS] returning {} to the secure world", failures);
    failures
}

/// Runs one command; answers 1 if it went wrong. Its arguments are the values the
/// debugger tests read (debug-adapter/rust-values.spec.ts).
#[inline(never)]
fn run(uart: &mut Uart, cmd: &Cmd, color: Color, data: &[u8], label: &str) -> u32 {
    let sum: u32 = data.iter().map(|&b| b as u32).sum();
    let shade = match color {
        Color::Red => "red",
        Color::Green => "green",
        Color::Blue => "blue",
    };
    match cmd {
        Cmd::Add(a, b) => {
            let r = unsafe { secure_service(a + b) };
            let _ = writeln!(uart, "[NS] {} {}: add {} + {} -> secure_service = {:#010x}", label, shade, a, b, r);
            (r == 0) as u32
        }
        Cmd::Log(text) => {
            let _ = writeln!(uart, "[NS] {} {}: log \"{}\", {} bytes summing to {}", label, shade, text, data.len(), sum);
            (sum != 15) as u32
        }
        Cmd::Nop => {
            let _ = writeln!(uart, "[NS] {}: nop over {} bytes summing to {}", shade, data.len(), sum);
            (sum != 5) as u32
        }
    }
}

#[no_mangle]
pub extern "C" fn ns_fault() -> ! {
    let mut uart = Uart::new(UART0_NS);
    let _ = writeln!(uart, "[NS] fault");
    board::exit(false);
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    board::exit(false);
}
