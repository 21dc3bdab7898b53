# Differential-test oracle for the Cortex-A9: runs batches of A32 (or, with --thumb, T32)
# cases on Unicorn 2.0.1 set up as a Cortex-A9 in SVC mode (Unicorn runs it Non-secure) and writes the resulting
# state. Run with /usr/bin/python3 (the interpreter that has unicorn). The byte format is
# test/difftest/wire.ts's (TDF1 header, fixed input records); the xpsr slot carries CPSR.
import os
import struct
import sys

from unicorn import Uc, UcError, UC_ARCH_ARM, UC_MODE_ARM, UC_MODE_THUMB
from unicorn.arm_const import UC_CPU_ARM_CORTEX_A9, UC_ARM_REG_PC, UC_ARM_REG_CPSR

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'difftest'))
from oracle_common import PAGE, R_IDS, ResultWriter, block_status, changed_bytes, hook_interrupts, read_pages, records, run_main  # noqa: E402

# Kept in step with test/difftest/wire.ts.
CODE_BASE = 0x10000
CODE_AT = 0x10800
DATA_BASE = 0x20000
MAX_CODE = 20
IN_FMT = '<BBBB%ds16III32I' % MAX_CODE
OUT_FMT = '<BBH16III32I'
# SVC with A, I and F masked: the state every case starts from (flags come from the record).
BASE_CPSR = 0x1d3


def main(inp, out):
    pages = read_pages(inp, b'TDF1', 4096)
    npages = len(pages)

    thumb = '--thumb' in sys.argv[1:]
    uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB if thumb else UC_MODE_ARM)
    uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_A9)
    uc.mem_map(CODE_BASE, PAGE)
    uc.mem_map(DATA_BASE, PAGE)
    # UDF filler: a branch that lands here stops with PC = its target.
    filler = (b'\x00\xde' * (PAGE // 2)) if thumb else (b'\xf0\x00\xf0\xe7' * (PAGE // 4))
    intr = hook_interrupts(uc)

    rec_out = struct.Struct(OUT_FMT)
    reg_write = uc.reg_write
    reg_read = uc.reg_read
    zeros32 = [0] * 32
    writer = ResultWriter(out)
    tbit = 0x20 if thumb else 0
    for f in records(inp, struct.Struct(IN_FMT)):
        code_len, n_insns, page_idx = f[0], f[1], f[2]
        code = f[4][:code_len]
        regs = f[5:21]
        apsr = f[21]
        page = pages[page_idx % npages]

        uc.mem_write(CODE_BASE, filler)
        uc.mem_write(CODE_AT, code)
        uc.ctl_remove_cache(CODE_BASE, CODE_BASE + PAGE)
        uc.mem_write(DATA_BASE, page)
        # The fpscr slot selects the starting mode: 0x10 User, anything else SVC.
        mode = 0x10 if f[22] == 0x10 else 0x13
        reg_write(UC_ARM_REG_CPSR, (apsr & 0xf80f0000) | (BASE_CPSR & ~0x1f) | mode | tbit)
        for k in range(15):
            reg_write(R_IDS[k], regs[k])
        reg_write(UC_ARM_REG_PC, CODE_AT | (1 if thumb else 0))

        status = 0
        intr[0] = 0
        end = CODE_AT + code_len
        try:
            uc.emu_start(CODE_AT | (1 if thumb else 0), 0xfffffffe, count=n_insns)
        except UcError as e:
            status = block_status(e.errno, reg_read(UC_ARM_REG_PC), CODE_AT, end)
        if intr[0] != 0 and status == 0:
            status = 3

        rv = [reg_read(i) for i in R_IDS]
        rv.append(reg_read(UC_ARM_REG_PC))
        cpsr = reg_read(UC_ARM_REG_CPSR)
        diffs = []
        now = b''
        if status == 0:
            now = bytes(uc.mem_read(DATA_BASE, PAGE))
            diffs = changed_bytes(now, page)
        writer.add(rec_out.pack(status, intr[0] & 0xff, len(diffs), *rv, cpsr, 0, *zeros32), diffs, now)
    writer.close()
    return 0


if __name__ == '__main__':
    sys.exit(run_main('oracle-a9', main))
