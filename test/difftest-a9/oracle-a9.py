# Differential-test oracle for the Cortex-A9: runs batches of A32 (or, with --thumb, T32)
# cases on Unicorn 2.0.1 set up as a Cortex-A9 in SVC mode (Unicorn runs it Non-secure) and writes the resulting
# state. Run with /usr/bin/python3 (the interpreter that has unicorn). The byte format is
# test/difftest/wire.ts's (TDF1 header, fixed input records); the xpsr slot carries CPSR.
import struct
import sys

from unicorn import Uc, UcError, UC_ARCH_ARM, UC_MODE_ARM, UC_MODE_THUMB, UC_HOOK_INTR
from unicorn import UC_ERR_INSN_INVALID, UC_ERR_FETCH_UNMAPPED, UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED
from unicorn import UC_ERR_READ_PROT, UC_ERR_WRITE_PROT, UC_ERR_FETCH_PROT, UC_ERR_READ_UNALIGNED, UC_ERR_WRITE_UNALIGNED, UC_ERR_FETCH_UNALIGNED
from unicorn.arm_const import (UC_CPU_ARM_CORTEX_A9, UC_ARM_REG_R0, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC,
                               UC_ARM_REG_CPSR)

# Kept in step with test/difftest/wire.ts.
CODE_BASE = 0x10000
CODE_AT = 0x10800
DATA_BASE = 0x20000
PAGE = 0x1000
MAX_CODE = 20
REC_IN = 4 + MAX_CODE + 16 * 4 + 8 + 32 * 4
IN_FMT = '<BBBB%ds16III32I' % MAX_CODE
OUT_FMT = '<BBH16III32I'
MEM_FAULTS = {UC_ERR_FETCH_UNMAPPED, UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED, UC_ERR_READ_PROT, UC_ERR_WRITE_PROT,
              UC_ERR_FETCH_PROT, UC_ERR_READ_UNALIGNED, UC_ERR_WRITE_UNALIGNED, UC_ERR_FETCH_UNALIGNED}
R_IDS = [UC_ARM_REG_R0 + i for i in range(13)] + [UC_ARM_REG_SP, UC_ARM_REG_LR]
# SVC with A, I and F masked: the state every case starts from (flags come from the record).
BASE_CPSR = 0x1d3


def main():
    inp = sys.stdin.buffer
    out = sys.stdout.buffer
    head = inp.read(8)
    if len(head) != 8 or head[:4] != b'TDF1':
        sys.stderr.write('oracle-a9: stdin does not start with the TDF1 header\n')
        return 2
    npages = struct.unpack_from('<I', head, 4)[0]
    if npages < 1 or npages > 4096:
        sys.stderr.write('oracle-a9: page count %d out of range 1..4096\n' % npages)
        return 2
    pages = []
    for k in range(npages):
        p = inp.read(PAGE)
        if len(p) != PAGE:
            sys.stderr.write('oracle-a9: truncated data page %d\n' % k)
            return 2
        pages.append(p)

    thumb = '--thumb' in sys.argv[1:]
    uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB if thumb else UC_MODE_ARM)
    uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_A9)
    uc.mem_map(CODE_BASE, PAGE)
    uc.mem_map(DATA_BASE, PAGE)
    # UDF filler: a branch that lands here stops with PC = its target.
    filler = (b'\x00\xde' * (PAGE // 2)) if thumb else (b'\xf0\x00\xf0\xe7' * (PAGE // 4))
    intr = [0]

    def on_intr(u, intno, _ud):
        intr[0] = intno
        u.emu_stop()
    uc.hook_add(UC_HOOK_INTR, on_intr)

    rec_out = struct.Struct(OUT_FMT)
    rec_in = struct.Struct(IN_FMT)
    reg_write = uc.reg_write
    reg_read = uc.reg_read
    zeros32 = [0] * 32
    chunk = 64
    buf = bytearray()
    tbit = 0x20 if thumb else 0
    while True:
        raw = inp.read(REC_IN)
        if not raw:
            break
        if len(raw) != REC_IN:
            sys.stderr.write('oracle-a9: truncated record at end of input\n')
            return 2
        f = rec_in.unpack(raw)
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
            pc = reg_read(UC_ARM_REG_PC)
            if e.errno == UC_ERR_INSN_INVALID:
                status = 1 if CODE_AT <= pc < end else 0
            elif e.errno == UC_ERR_FETCH_UNMAPPED and not (CODE_AT <= pc < end):
                status = 0
            elif e.errno in MEM_FAULTS:
                status = 2
            else:
                status = 4
        if intr[0] != 0 and status == 0:
            status = 3

        rv = [reg_read(i) for i in R_IDS]
        rv.append(reg_read(UC_ARM_REG_PC))
        cpsr = reg_read(UC_ARM_REG_CPSR)
        diffs = []
        now = b''
        if status == 0:
            now = bytes(uc.mem_read(DATA_BASE, PAGE))
            if now != page:
                for c in range(0, PAGE, chunk):
                    if now[c:c + chunk] != page[c:c + chunk]:
                        for k in range(c, c + chunk):
                            if now[k] != page[k]:
                                diffs.append(k)
        buf += rec_out.pack(status, intr[0] & 0xff, len(diffs), *rv, cpsr, 0, *zeros32)
        for k in diffs:
            buf += struct.pack('<HBB', k, now[k], 0)
        if len(buf) > 1 << 16:
            out.write(buf)
            buf = bytearray()
    out.write(buf)
    out.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
