# Capstone 4 helper for the differential tests: reads lines "<address hex> <bytes hex>" on
# stdin and prints, per line, "<size>\t<mnemonic>\t<operands>" for the first instruction,
# or "-" when capstone has no Thumb/M-class decoding for it. Run with /usr/bin/python3.
import sys

from capstone import Cs, CS_ARCH_ARM, CS_MODE_THUMB, CS_MODE_MCLASS


def main():
    md = Cs(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS)
    out = []
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 2:
            out.append('-')
            continue
        addr = int(parts[0], 16)
        code = bytes.fromhex(parts[1])
        res = '-'
        for (a, size, mn, ops) in md.disasm_lite(code, addr, 1):
            res = '%d\t%s\t%s' % (size, mn, ops)
        out.append(res)
    sys.stdout.write('\n'.join(out) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
