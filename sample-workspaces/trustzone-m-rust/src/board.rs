// mps2-an521 pieces shared by both images: the polled CMSDK UART0 driver, raw
// register access and the semihosting exit. Addresses: QEMU hw/arm/mps2-tz.c and
// the CMSDK APB UART TRM (DATA +0x0, STATE +0x4 bit 0 TXFULL, CTRL +0x8, BAUDDIV +0x10).
#![allow(dead_code)]

use core::fmt;
use core::ptr::{read_volatile, write_volatile};

/// UART0 through the non-secure alias. Once the PPC hands UART0 to the non-secure
/// side, the secure image reaches it here too: the SAU makes the access non-secure.
pub const UART0_NS: u32 = 0x4020_0000;
/// UART0 through the secure alias; usable only while the PPC keeps UART0 secure.
pub const UART0_S: u32 = 0x5020_0000;

pub fn rd(addr: u32) -> u32 {
    unsafe { read_volatile(addr as *const u32) }
}

pub fn wr(addr: u32, v: u32) {
    unsafe { write_volatile(addr as *mut u32, v) }
}

pub struct Uart {
    base: u32,
}

impl Uart {
    /// 25 MHz / 115200 baud; QEMU warns for BAUDDIV < 16 and otherwise ignores the rate.
    pub fn new(base: u32) -> Uart {
        wr(base + 0x10, 217);
        wr(base + 0x8, 1);
        Uart { base }
    }

    pub fn putc(&mut self, c: u8) {
        // Bounded: a model whose TX register never drains must not hang the guest.
        let mut spin = 0u32;
        while rd(self.base + 0x4) & 1 != 0 && spin < 1_000_000 {
            spin += 1;
        }
        wr(self.base, c as u32);
    }
}

impl fmt::Write for Uart {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            self.putc(b);
        }
        Ok(())
    }
}

/// Semihosting SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit (status 0) or
/// ADP_Stopped_RunTimeErrorUnknown (status 1): the 32-bit call takes the reason only.
pub fn exit(ok: bool) -> ! {
    let reason: u32 = if ok { 0x2_0026 } else { 0x2_0023 };
    unsafe {
        core::arch::asm!("bkpt #0xab", in("r0") 0x18u32, in("r1") reason, options(nostack));
    }
    loop {
        unsafe { core::arch::asm!("wfi", options(nomem, nostack)) };
    }
}
