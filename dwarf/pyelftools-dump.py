# Reference dump for dwarf/info-diff.spec.ts: every DIE, attribute, location expression,
# location list and range list of an ELF as seen by pyelftools (run with /usr/bin/python3).
# The format is numeric (tag/attribute/form numbers, absolute offsets) so both sides print it
# without sharing name tables; the spec prints the same format from dwarf/info.ts.
import sys, json
from elftools.elf.elffile import ELFFile
from elftools.dwarf.enums import ENUM_DW_TAG, ENUM_DW_AT, ENUM_DW_FORM
from elftools.dwarf.dwarf_expr import DWARFExprParser
from elftools.dwarf.locationlists import LocationLists, LocationEntry, BaseAddressEntry as LocBase
from elftools.dwarf.ranges import RangeEntry, BaseAddressEntry as RngBase

REF_FORMS = {'DW_FORM_ref1', 'DW_FORM_ref2', 'DW_FORM_ref4', 'DW_FORM_ref8', 'DW_FORM_ref_udata'}
LIST_FORMS = {'DW_FORM_sec_offset', 'DW_FORM_data4', 'DW_FORM_data8'}


def num(table, name):
    return name if isinstance(name, int) else table[name]


def fmt_ops(ops):
    out = []
    for op in ops:
        parts = [op.op_name]
        for a in op.args:
            if isinstance(a, list) and a and not isinstance(a[0], int):
                parts.append('[' + fmt_ops(a) + ']')
            elif isinstance(a, (list, bytes, bytearray)):
                parts.append(bytes(a).hex() or '-')
            else:
                parts.append(str(a))
        out.append(' '.join(parts))
    return '; '.join(out)


def fmt_value(attr, cu):
    v = attr.value
    if attr.form in REF_FORMS:
        return str(v + cu.cu_offset)
    if isinstance(v, bool):
        return '1' if v else '0'
    if isinstance(v, bytes):
        return json.dumps(v.decode('utf-8', 'replace'), ensure_ascii=False)
    if isinstance(v, list):
        return bytes(v).hex() or '-'
    return str(v)


def loclist_at(dw, offset, die):
    # pyelftools 0.29's LocationListsPair reads die.cu.version (absent), hands both readers the
    # .debug_loclists stream, and parses with file-wide structs; build the right reader here.
    v = die.cu.header.version
    sec = dw.debug_loclists_sec if v >= 5 else dw.debug_loc_sec
    return LocationLists(sec.stream, die.cu.structs, v, dw).get_location_list_at_offset(offset, die)


def main(path):
    out = sys.stdout
    with open(path, 'rb') as f:
        elf = ELFFile(f)
        dw = elf.get_dwarf_info()
        rngs = dw.range_lists()
        for cu in dw.iter_CUs():
            parser = DWARFExprParser(cu.structs)
            top = cu.get_top_DIE()
            base = top.attributes['DW_AT_low_pc'].value if 'DW_AT_low_pc' in top.attributes else 0
            out.write('CU %d v%d\n' % (cu.cu_offset, cu['version']))
            for die in cu.iter_DIEs():
                if die.is_null():
                    continue
                parent = die.get_parent()
                out.write('%d %d %d %d\n' % (die.offset, num(ENUM_DW_TAG, die.tag), 1 if die.has_children else 0,
                                             parent.offset if parent is not None else -1))
                for name, attr in die.attributes.items():
                    at = num(ENUM_DW_AT, name)
                    out.write(' a %d %d %s\n' % (at, num(ENUM_DW_FORM, attr.form), fmt_value(attr, cu)))
                    if attr.form == 'DW_FORM_exprloc':
                        out.write(' e %s\n' % fmt_ops(parser.parse_expr(attr.value)))
                    elif name in ('DW_AT_location', 'DW_AT_frame_base') and attr.form in LIST_FORMS:
                        b = base
                        for e in loclist_at(dw, attr.value, die):
                            if isinstance(e, LocBase):
                                b = e.base_address
                            elif isinstance(e, LocationEntry):
                                lo, hi = (e.begin_offset, e.end_offset) if e.is_absolute else (b + e.begin_offset, b + e.end_offset)
                                out.write(' l %d %d %s\n' % (lo, hi, fmt_ops(parser.parse_expr(e.loc_expr))))
                    elif name == 'DW_AT_ranges' and attr.form in LIST_FORMS:
                        b = base
                        for e in rngs.get_range_list_at_offset(attr.value, cu):
                            if isinstance(e, RngBase):
                                b = e.base_address
                            elif isinstance(e, RangeEntry):
                                lo, hi = (e.begin_offset, e.end_offset) if e.is_absolute else (b + e.begin_offset, b + e.end_offset)
                                out.write(' r %d %d\n' % (lo, hi))


if __name__ == '__main__':
    main(sys.argv[1])
