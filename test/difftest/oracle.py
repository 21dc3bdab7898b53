# Differential-test oracle: runs batches of Thumb test cases on Unicorn 2.0.1 set up as
# a Cortex-M4 (or with --m33 a Cortex-M33) and writes the resulting architectural state. Run with /usr/bin/python3
# (the interpreter that has unicorn). Wire format: see the README-style notes below and
# test/difftest/wire.ts, which is the TypeScript side of the same format.
#
# Input (stdin, little-endian):
#   'TDF1', u32 npages, npages * 4096 bytes of initial data pages, then
#   fixed-size records (IN_FMT) until EOF:
#     u8 code_len, u8 n_insns, u8 page_idx, u8 flags (bit0: FP state is live),
#     code[20], u32 r[16] (r15 ignored), u32 apsr, u32 fpscr, u32 s[32]
# Output (stdout), one record per input record:
#     u8 status, u8 intno, u16 n_diff, u32 r[16], u32 xpsr, u32 fpscr, u32 s[32],
#     then n_diff * (u16 offset, u8 value, u8 pad) for data-page bytes that changed.
# status: 0 ran, 1 undefined instruction, 2 memory fault, 3 exception (intno), 4 other error.
import struct
import sys

from unicorn import Uc, UcError, UC_ARCH_ARM, UC_MODE_THUMB, UC_MODE_MCLASS
from unicorn.arm_const import (UC_CPU_ARM_CORTEX_M4, UC_ARM_REG_PC, UC_ARM_REG_S0, UC_ARM_REG_XPSR,
                               UC_ARM_REG_APSR_NZCVQG, UC_ARM_REG_FPSCR)

from oracle_common import PAGE, R_IDS, ResultWriter, block_status, changed_bytes, hook_interrupts, read_pages, records, run_main

# Kept in step with test/difftest/wire.ts.
CODE_BASE = 0x10000
CODE_AT = 0x10800      # test code sits mid-page so short branches either way land on UDF filler
DATA_BASE = 0x20000
MAX_CODE = 20
IN_FMT = '<BBBB%ds16III32I' % MAX_CODE
OUT_FMT = '<BBH16III32I'
# QEMU's internal exception numbers (target/arm/cpu.h), as passed to UC_HOOK_INTR.
EXCP_PREFETCH_ABORT = 3
FILLER = b'\x00\xde' * (PAGE // 2)   # UDF #0: a branch that lands here stops with PC = its target

S_IDS = [UC_ARM_REG_S0 + i for i in range(32)]


def main(inp, out):
    pages = read_pages(inp, b'TDF1', 4096)
    npages = len(pages)

    # --m33: UC_MODE_MCLASS, which is always a Cortex-M33 (Secure, privileged, SAU off).
    m33 = '--m33' in sys.argv[1:]
    uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | (UC_MODE_MCLASS if m33 else 0))
    if not m33:
        # Must precede every other call: it picks the CPU model that reset builds.
        uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_M4)
    uc.mem_map(CODE_BASE, PAGE)
    uc.mem_map(DATA_BASE, PAGE)
    intr = hook_interrupts(uc)

    # Unicorn resets with FPCCR.ASPEN = 1 and CONTROL.FPCA = 0, so the first FP instruction
    # creates a new FP context and QEMU loads all of FPSCR from FPDSCR (flags included).
    # One VMOV s0, s0 up front sets FPCA for good; the stub system under our core has ASPEN = 0.
    uc.mem_write(CODE_AT, struct.pack('<HH', 0xeeb0, 0x0a40))
    uc.emu_start(CODE_AT | 1, 0xfffffffe, count=1)

    rec_out = struct.Struct(OUT_FMT)
    reg_write = uc.reg_write
    reg_read = uc.reg_read
    zeros32 = [0] * 32
    writer = ResultWriter(out)
    for f in records(inp, struct.Struct(IN_FMT)):
        code_len, n_insns, page_idx, flags = f[0], f[1], f[2], f[3]
        code = f[4][:code_len]
        regs = f[5:21]
        apsr, fpscr = f[21], f[22]
        page = pages[page_idx % npages]
        fp = flags & 1

        uc.mem_write(CODE_BASE, FILLER)
        uc.mem_write(CODE_AT, code)
        uc.ctl_remove_cache(CODE_BASE, CODE_BASE + PAGE)
        uc.mem_write(DATA_BASE, page)
        for k in range(15):
            reg_write(R_IDS[k], regs[k])
        reg_write(UC_ARM_REG_APSR_NZCVQG, apsr)
        if fp:
            reg_write(UC_ARM_REG_FPSCR, fpscr)
            sv = f[23:55]
            for k in range(32):
                reg_write(S_IDS[k], sv[k])
        reg_write(UC_ARM_REG_PC, CODE_AT | 1)

        status = 0
        intr[0] = 0
        end = CODE_AT + code_len
        try:
            # Always by instruction count: a branch back into the block cannot loop, and
            # Unicorn flushes its whole translation cache whenever the stop mode changes.
            uc.emu_start(CODE_AT | 1, 0xfffffffe, count=n_insns)
        except UcError as e:
            status = block_status(e.errno, reg_read(UC_ARM_REG_PC), CODE_AT, end)
        if intr[0] != 0 and status == 0:
            pc = reg_read(UC_ARM_REG_PC)
            # A prefetch abort outside the block is the fetch after a branch to a non-executable
            # address (0xE0000000 and up is XN on M-profile): the block itself completed.
            status = 0 if intr[0] == EXCP_PREFETCH_ABORT and not (CODE_AT <= pc < end) else 3

        rv = [reg_read(i) for i in R_IDS]
        rv.append(reg_read(UC_ARM_REG_PC))
        xpsr = reg_read(UC_ARM_REG_XPSR)
        if fp:
            fps = reg_read(UC_ARM_REG_FPSCR)
            sv = [reg_read(i) for i in S_IDS]
        else:
            fps = 0
            sv = zeros32
        now = b''
        diffs = []
        if status == 0:
            now = bytes(uc.mem_read(DATA_BASE, PAGE))
            diffs = changed_bytes(now, page)
        writer.add(rec_out.pack(status, intr[0] & 0xff, len(diffs), *rv, xpsr, fps, *sv), diffs, now)
    writer.close()
    return 0


if __name__ == '__main__':
    sys.exit(run_main('oracle', main))
