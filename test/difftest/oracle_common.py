# The batch plumbing the three Unicorn oracles share (test/difftest/oracle.py, test/difftest-a9/oracle-a9.py,
# test/difftest-a9-simd/oracle.py): header and data pages, fixed-size input records, the interrupt hook,
# changed-byte lists and buffered output. Each oracle keeps its own CPU setup and per-case register wiring.
# The other folders put this one on sys.path (see add_to_path in their headers) and import it by name.
import struct
import sys

from unicorn import UC_HOOK_INTR, UC_ERR_INSN_INVALID, UC_ERR_FETCH_UNMAPPED, UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED
from unicorn import UC_ERR_READ_PROT, UC_ERR_WRITE_PROT, UC_ERR_FETCH_PROT, UC_ERR_READ_UNALIGNED, UC_ERR_WRITE_UNALIGNED, UC_ERR_FETCH_UNALIGNED
from unicorn.arm_const import UC_ARM_REG_R0, UC_ARM_REG_SP, UC_ARM_REG_LR

PAGE = 0x1000
MEM_FAULTS = {UC_ERR_FETCH_UNMAPPED, UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED, UC_ERR_READ_PROT, UC_ERR_WRITE_PROT,
              UC_ERR_FETCH_PROT, UC_ERR_READ_UNALIGNED, UC_ERR_WRITE_UNALIGNED, UC_ERR_FETCH_UNALIGNED}
# r0..r12, SP, LR: Unicorn's ids for r13/r14 do not follow r12's.
R_IDS = [UC_ARM_REG_R0 + i for i in range(13)] + [UC_ARM_REG_SP, UC_ARM_REG_LR]
_DIFF = struct.Struct('<HBB')


class InputError(Exception):
    """Malformed stdin: the caller reports it and exits 2 so the TypeScript side sees the message."""


def read_pages(inp, magic, max_pages):
    """The 8-byte header (magic, u32 page count) and the data pages after it."""
    head = inp.read(8)
    if len(head) != 8 or head[:4] != magic:
        raise InputError('stdin does not start with the %s header' % magic.decode('latin1'))
    npages = struct.unpack_from('<I', head, 4)[0]
    if npages < 1 or npages > max_pages:
        raise InputError('page count %d out of range 1..%d' % (npages, max_pages))
    pages = []
    for k in range(npages):
        p = inp.read(PAGE)
        if len(p) != PAGE:
            raise InputError('truncated data page %d' % k)
        pages.append(p)
    return pages


def records(inp, rec_in):
    """Unpacked input records until EOF; a short last record is an error, not a silent stop."""
    size = rec_in.size
    unpack = rec_in.unpack
    while True:
        raw = inp.read(size)
        if not raw:
            return
        if len(raw) != size:
            raise InputError('truncated record at end of input')
        yield unpack(raw)


def hook_interrupts(uc):
    """A one-element list that holds the last QEMU exception number; the hook stops emulation on it."""
    intr = [0]

    def on_intr(u, intno, _ud):
        intr[0] = intno
        u.emu_stop()
    uc.hook_add(UC_HOOK_INTR, on_intr)
    return intr


def block_status(errno, pc, start, end):
    """Status for a UcError from a multi-instruction block at [start, end) (PC is where it stopped):
    UC_ERR_INSN_INVALID inside the block is UNDEFINED; outside, a branch landed on UDF filler or
    left the code page, so the block itself ran."""
    inside = start <= pc < end
    if errno == UC_ERR_INSN_INVALID:
        return 1 if inside else 0
    if errno == UC_ERR_FETCH_UNMAPPED and not inside:
        return 0
    if errno in MEM_FAULTS:
        return 2
    return 4


def changed_bytes(now, page, chunk=64):
    """Offsets where `now` differs from `page`, compared a chunk at a time to skip equal runs fast."""
    diffs = []
    if now != page:
        for c in range(0, len(page), chunk):
            if now[c:c + chunk] != page[c:c + chunk]:
                for k in range(c, c + chunk):
                    if now[k] != page[k]:
                        diffs.append(k)
    return diffs


class ResultWriter:
    """Result records plus their (u16 offset, u8 value, u8 pad) tails, written in 64 KiB pieces."""

    def __init__(self, out):
        self.out = out
        self.buf = bytearray()

    def add(self, head, diffs, now):
        buf = self.buf
        buf += head
        for k in diffs:
            buf += _DIFF.pack(k, now[k], 0)
        if len(buf) > 1 << 16:
            self.out.write(buf)
            self.buf = bytearray()

    def close(self):
        self.out.write(self.buf)
        self.out.flush()


def run_main(name, main):
    """Runs main(stdin, stdout) and turns an InputError into a located message and exit status 2."""
    try:
        return main(sys.stdin.buffer, sys.stdout.buffer)
    except InputError as e:
        sys.stderr.write('%s: %s\n' % (name, e))
        return 2
