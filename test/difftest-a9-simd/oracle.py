# Unicorn 2.0.1 oracle for the Cortex-A9 VFP/NEON differential tests (run with /usr/bin/python3,
# the interpreter that has unicorn). One process runs a whole batch on one Uc instance set up as
# QEMU's cortex-a9 with CPACR cp10/cp11 full access; the TypeScript side is wire.ts here.
#
# Input (stdin, little-endian): 'A9S1', u32 npages, npages * 4096 data bytes, then records of
#   u8 thumb, u8 page_idx, u16 access (bit 0: User mode; Unicorn does not model CPACR, so cp10/cp11 stay open),
#   u32 insn (A32 word, or T32 hw1<<16|hw2),
#   u32 r[15], u32 cpsr_nzcv (bits 31:28), u32 fpscr, u32 fpexc, u32 d[64] (D0..D31 as lo, hi)
# Output per record: u8 status, u8 intno, u16 ndiff, u32 r[15], u32 cpsr, u32 fpscr, u32 d[64],
#   then ndiff * (u16 offset, u8 value, u8 pad) for changed data-page bytes.
# status: 0 ran, 1 undefined instruction, 2 data abort, 3 other exception, 4 other error.
import os
import struct
import sys

from unicorn import Uc, UcError, UC_ARCH_ARM, UC_MODE_ARM, UC_ERR_INSN_INVALID
from unicorn import UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED, UC_ERR_READ_UNALIGNED, UC_ERR_WRITE_UNALIGNED
from unicorn.arm_const import (UC_CPU_ARM_CORTEX_A9, UC_ARM_REG_CPSR, UC_ARM_REG_FPSCR, UC_ARM_REG_FPEXC,
                               UC_ARM_REG_C1_C0_2, UC_ARM_REG_D0)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'difftest'))
from oracle_common import PAGE, R_IDS, ResultWriter, changed_bytes, hook_interrupts, read_pages, records, run_main  # noqa: E402

CODE_BASE = 0x10000
DATA_BASE = 0x20000
IN_FMT = '<BBHI15IIII64I'
OUT_FMT = '<BBH15III64I'
ZERO_PAGE = b'\x00' * PAGE
EXCP_UDEF = 1
EXCP_DATA_ABORT = 4

D_IDS = [UC_ARM_REG_D0 + i for i in range(32)]


def main(inp, out):
    pages = read_pages(inp, b'A9S1', 256)
    npages = len(pages)

    uc = Uc(UC_ARCH_ARM, UC_MODE_ARM)
    uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_A9)   # must precede every other call
    uc.mem_map(CODE_BASE, PAGE)
    uc.mem_map(DATA_BASE, PAGE)
    uc.reg_write(UC_ARM_REG_C1_C0_2, 0xF00000)   # CPACR: cp10/cp11 full access
    intr = hook_interrupts(uc)

    rec_out = struct.Struct(OUT_FMT)
    reg_write = uc.reg_write
    reg_read = uc.reg_read
    writer = ResultWriter(out)
    for f in records(inp, struct.Struct(IN_FMT)):
        thumb, page_idx, access, insn = f[0], f[1], f[2], f[3]
        regs = f[4:19]
        nzcv, fpscr, fpexc = f[19], f[20], f[21]
        dw = f[22:86]
        page = pages[page_idx % npages]
        if thumb:
            code = struct.pack('<HH', insn >> 16, insn & 0xffff)
        else:
            code = struct.pack('<I', insn)
        # The whole page each time: a PC-relative VSTR may have written into it.
        uc.mem_write(CODE_BASE, code + ZERO_PAGE[len(code):])
        uc.ctl_remove_cache(CODE_BASE, CODE_BASE + PAGE)
        uc.mem_write(DATA_BASE, page)
        # SVC or User mode, ARM state for the start address; T comes from the start address bit 0.
        reg_write(UC_ARM_REG_CPSR, (nzcv & 0xf0000000) | (0x1d0 if access & 1 else 0x1d3))
        # Registers after CPSR: a mode change would switch the r13/r14 bank.
        for k in range(15):
            reg_write(R_IDS[k], regs[k])
        reg_write(UC_ARM_REG_FPEXC, fpexc)
        reg_write(UC_ARM_REG_FPSCR, fpscr)
        for k in range(32):
            reg_write(D_IDS[k], dw[2 * k] | (dw[2 * k + 1] << 32))
        status = 0
        intr[0] = 0
        try:
            # Stop by address, not count: a count installs a hook that flushes the translation cache.
            uc.emu_start(CODE_BASE | (1 if thumb else 0), CODE_BASE + 4)
        except UcError as e:
            # Unicorn reports UNDEFINED as UC_ERR_INSN_INVALID and faulting accesses as errors,
            # not through the interrupt hook.
            if e.errno == UC_ERR_INSN_INVALID:
                status = 1
            elif e.errno in (UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED, UC_ERR_READ_UNALIGNED, UC_ERR_WRITE_UNALIGNED):
                status = 2
            else:
                status = 4
        if intr[0] != 0:
            status = 1 if intr[0] == EXCP_UDEF else 2 if intr[0] == EXCP_DATA_ABORT else 3
        rv = [reg_read(i) for i in R_IDS]
        cpsr = reg_read(UC_ARM_REG_CPSR)
        fps = reg_read(UC_ARM_REG_FPSCR)
        dv = []
        for k in range(32):
            v = reg_read(D_IDS[k])
            dv.append(v & 0xffffffff)
            dv.append(v >> 32)
        now = bytes(uc.mem_read(DATA_BASE, PAGE))
        diffs = changed_bytes(now, page)
        writer.add(rec_out.pack(status, intr[0] & 0xff, len(diffs), *rv, cpsr, fps, *dv), diffs, now)
    writer.close()
    return 0


if __name__ == '__main__':
    sys.exit(run_main('oracle', main))
