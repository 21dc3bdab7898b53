// Non-secure image of the Rust TrustZone-M sample: says hello through UART0 (which
// the secure boot handed over), calls the secure service once through its SG veneer,
// and returns to the secure world (FNC_RETURN) with a status.
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

/// Entered by the secure boot's BLXNS; returning goes back through FNC_RETURN.
#[no_mangle]
pub extern "C" fn ns_reset() -> u32 {
    let mut uart = Uart::new(UART0_NS);
    let _ = writeln!(uart, "[NS] hello from the non-secure world (Rust no_std)");
    let x = 0x2a;
    let r = unsafe { secure_service(x) };
    let _ = writeln!(uart, "[NS] secure_service({}) = {:#010x}", x, r);
    let words = ["alpha", "beta", "gamma"];
    let total: usize = words.iter().map(|w| w.len()).sum();
    let _ = writeln!(uart, "[NS] {} words, {} letters; returning to the secure world", words.len(), total);
    0
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
