// Secure boot image of the Rust TrustZone-M sample: sets up the MPCs, the IDAU's
// NSC option, the SAU and the UART0 PPC bit, then BLXNS to the non-secure reset code
// and exports one NSC service (SG veneer in .gnu.sgstubs via GNU ld --cmse-implib).
#![no_std]
#![no_main]
#![feature(cmse_nonsecure_entry, abi_c_cmse_nonsecure_call)]

#[path = "../board.rs"]
mod board;

use board::{rd, wr, Uart, UART0_NS, UART0_S};
use core::fmt::Write;
use core::sync::atomic::{AtomicU32, Ordering};

// Exceptions 1-15 only: the sample enables no interrupts.
core::arch::global_asm!(
    ".section .vectors, \"a\"",
    ".global __vectors",
    "__vectors:",
    ".word __stack_top",
    ".word reset_handler",
    ".rept 14",
    ".word fault_handler",
    ".endr",
);

const NS_CODE: u32 = 0x0020_0000;
const NS_CODE_END: u32 = 0x003f_ffff;
const NS_RAM: u32 = 0x2820_0000;
const NS_RAM_END: u32 = 0x2821_ffff;

// SSE-200 / AN521 system registers (QEMU hw/misc/iotkit-secctl.c, hw/arm/mps2-tz.c).
const NSCCFG: u32 = 0x5008_0014;
const APBNSPPCEXP1: u32 = 0x5008_0084;
const MPC_SSRAM1: u32 = 0x5800_7000;
const MPC_SSRAM3: u32 = 0x5800_9000;
// ARMv8-M ARM D1.2: SAU and SCB registers.
const SAU_CTRL: u32 = 0xe000_edd0;
const SAU_TYPE: u32 = 0xe000_edd4;
const SAU_RNR: u32 = 0xe000_edd8;
const SAU_RBAR: u32 = 0xe000_eddc;
const SAU_RLAR: u32 = 0xe000_ede0;
const SHCSR: u32 = 0xe000_ed24;
const VTOR_NS: u32 = 0xe002_ed08;

/// Calls into the secure service so far; kept in secure RAM, out of the NS world's reach.
static CALLS: AtomicU32 = AtomicU32::new(0);

/// Marks the blocks of [lo, hi] (byte offsets into the MPC's memory) non-secure. The
/// block size is 1 << (BLK_CFG + 5); each BLK_LUT word covers 32 blocks, and BLK_IDX is
/// written before every LUT access because CTRL.AUTOINC may advance it (SIE-200 TRM).
fn mpc_open(mpc: u32, lo: u32, hi: u32) -> u32 {
    let block = 1u32 << ((rd(mpc + 0x14) & 0xf) + 5);
    let max_word = rd(mpc + 0x10);
    let (first, last) = (lo / block, hi / block);
    let mut word = first / 32;
    while word <= last / 32 && word <= max_word {
        let mut bits = 0u32;
        for k in 0..32 {
            let b = word * 32 + k;
            if b >= first && b <= last {
                bits |= 1 << k;
            }
        }
        wr(mpc + 0x18, word);
        let lut = rd(mpc + 0x1c);
        wr(mpc + 0x18, word);
        wr(mpc + 0x1c, lut | bits);
        word += 1;
    }
    block
}

fn sau_region(n: u32, base: u32, limit: u32, nsc: bool) {
    wr(SAU_RNR, n);
    wr(SAU_RBAR, base & !0x1f);
    wr(SAU_RLAR, (limit & !0x1f) | ((nsc as u32) << 1) | 1);
}

#[no_mangle]
pub unsafe extern "C" fn reset_handler() -> ! {
    extern "C" {
        static mut __bss_start: u32;
        static mut __bss_end: u32;
        static __nsc_start: u32;
        static __nsc_limit: u32;
    }
    let mut p = core::ptr::addr_of_mut!(__bss_start);
    while p < core::ptr::addr_of_mut!(__bss_end) {
        p.write_volatile(0);
        p = p.add(1);
    }

    let mut uart = Uart::new(UART0_S);
    let _ = writeln!(uart, "[S] Rust secure boot on mps2-an521");
    let _ = writeln!(uart, "[S] SAU has {} regions", rd(SAU_TYPE) & 0xff);

    let b1 = mpc_open(MPC_SSRAM1, NS_CODE, NS_CODE_END);
    let b3 = mpc_open(MPC_SSRAM3, 0, NS_RAM_END - NS_RAM);
    let _ = writeln!(uart, "[S] MPC blocks: SSRAM1 {:#x} (BLK_MAX {}), SSRAM3 {:#x} (BLK_MAX {})", b1, rd(MPC_SSRAM1 + 0x10), b3, rd(MPC_SSRAM3 + 0x10));

    // NSCCFG.CODENSC: the IDAU may report 0x1xxxxxxx as non-secure callable.
    wr(NSCCFG, rd(NSCCFG) | 1);
    let nsc_lo = core::ptr::addr_of!(__nsc_start) as u32;
    let nsc_hi = core::ptr::addr_of!(__nsc_limit) as u32 - 1;
    sau_region(0, NS_CODE, NS_CODE_END, false);
    sau_region(1, nsc_lo, nsc_hi, true);
    sau_region(2, NS_RAM, NS_RAM_END, false);
    sau_region(3, 0x4000_0000, 0x4fff_ffff, false);
    wr(SAU_CTRL, 1);
    // SHCSR.SECUREFAULTENA: a security violation is a SecureFault, not a HardFault.
    wr(SHCSR, rd(SHCSR) | (1 << 19));
    let _ = writeln!(uart, "[S] SAU on: NS code {:#010x}, NSC {:#010x}-{:#010x}", NS_CODE, nsc_lo, nsc_hi);

    let _ = writeln!(uart, "[S] handing UART0 to the non-secure world");
    wr(APBNSPPCEXP1, rd(APBNSPPCEXP1) | (1 << 5));
    let mut uart = Uart::new(UART0_NS);

    wr(VTOR_NS, NS_CODE);
    let ns_sp = rd(NS_CODE);
    let ns_entry = rd(NS_CODE + 4);
    core::arch::asm!("msr msp_ns, {0}", in(reg) ns_sp, options(nomem, nostack));
    let _ = writeln!(uart, "[S] BLXNS to {:#010x}, MSP_NS {:#010x}", ns_entry, ns_sp);

    // The compiler clears bit 0 and the other registers, then BLXNS (ARMv8-M C2.4.20).
    let entry: extern "C-cmse-nonsecure-call" fn() -> u32 = core::mem::transmute(ns_entry);
    let status = entry();

    let _ = writeln!(uart, "[S] back in the secure world: NS returned {}, service calls {}", status, CALLS.load(Ordering::Relaxed));
    board::exit(status == 0);
}

/// The NSC service: a keyed hash of the caller's value. The key never leaves secure memory.
#[no_mangle]
#[cmse_nonsecure_entry]
pub extern "C" fn secure_service(x: u32) -> u32 {
    const KEY: u32 = 0x5ec0_4e75;
    let n = CALLS.fetch_add(1, Ordering::Relaxed) + 1;
    let mut uart = Uart::new(UART0_NS);
    let _ = writeln!(uart, "[S] secure_service({:#x}), call {}", x, n);
    (x ^ KEY).rotate_left(7).wrapping_mul(0x9e37_79b1)
}

#[no_mangle]
pub extern "C" fn fault_handler() -> ! {
    let mut uart = Uart::new(UART0_NS);
    let ipsr: u32;
    unsafe { core::arch::asm!("mrs {0}, ipsr", out(reg) ipsr, options(nomem, nostack)) };
    let _ = writeln!(uart, "[S] fault: exception {}, SFSR {:#x}", ipsr & 0x1ff, rd(0xe000_ede4));
    board::exit(false);
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    board::exit(false);
}
