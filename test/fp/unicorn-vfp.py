#!/usr/bin/python3
# Runs FPv4-SP instructions on Unicorn's Cortex-M4 (QEMU softfloat) over random and
# special operands and FPSCR settings, and writes the cases with the resulting register
# and FPSCR to JSON for isa-vfp.spec.ts. Run with /usr/bin/python3 (it has unicorn).
# Usage: unicorn-vfp.py [cases-per-op] [out.json] [seed]
import json, random, struct, sys
from unicorn import Uc, UC_ARCH_ARM, UC_MODE_THUMB
from unicorn.arm_const import *

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
OUT = sys.argv[2] if len(sys.argv) > 2 else 'test/fp/vfp-unicorn.json'
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20240611)

# Instruction words (hw1 << 16 | hw2) with d = s0, n = s1, m = s2 (checked against objdump).
OPS = {
  'vadd': 0xee300a81, 'vsub': 0xee300ac1, 'vmul': 0xee200a81, 'vnmul': 0xee200ac1,
  'vdiv': 0xee800a81, 'vmla': 0xee000a81, 'vmls': 0xee000ac1, 'vnmla': 0xee100ac1,
  'vnmls': 0xee100a81, 'vfma': 0xeea00a81, 'vfms': 0xeea00ac1, 'vfnma': 0xee900ac1,
  'vfnms': 0xee900a81, 'vsqrt': 0xeeb10ac1, 'vcmp': 0xeeb40a41, 'vcmpe': 0xeeb40ac1,
  'vcmpz': 0xeeb50a40, 'vcmpez': 0xeeb50ac0,
  'vcvt.s32.f32': 0xeebd0ac1, 'vcvt.u32.f32': 0xeebc0ac1, 'vcvtr.s32.f32': 0xeebd0a41,
  'vcvtr.u32.f32': 0xeebc0a41, 'vcvt.f32.s32': 0xeeb80ac1, 'vcvt.f32.u32': 0xeeb80a41,
  'vcvtb.f16.f32': 0xeeb30a41, 'vcvtt.f16.f32': 0xeeb30ac1, 'vcvtb.f32.f16': 0xeeb20a41,
  'vcvtt.f32.f16': 0xeeb20ac1, 'vcvt.fixed': None,
}

SPECIAL = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xffa00005,
           0x7fc12345, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000,
           0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000, 0x3f800001, 0x3effffff, 0x4f000000,
           0xcf000000, 0x4effffff, 0x4f800000, 0x5f000000, 0x3f000000, 0xbf000000, 0x3fc00000,
           0x00400000, 0x00c00000, 0x34000000, 0x33800000, 0x477fe000, 0x477ff000, 0x38800000]

def rnd_operand(near=None):
  k = rng.random()
  if k < 0.15: return rng.choice(SPECIAL)
  if k < 0.25: return rng.getrandbits(32)
  if k < 0.35:  # denormal or tiny
    return (rng.getrandbits(1) << 31) | rng.getrandbits(rng.choice([3, 10, 23, 24])) & 0x7fffff | (rng.choice([0, 0, 1, 2]) << 23)
  if near is not None and k < 0.6:  # close exponent, to exercise cancellation and ties
    e = ((near >> 23) & 0xff) + rng.randint(-25, 25)
    e = min(max(e, 0), 254)
    return (rng.getrandbits(1) << 31) | (e << 23) | (near & 0x7fffff if rng.random() < 0.3 else rng.getrandbits(23))
  e = rng.choice([rng.randint(1, 254), rng.randint(100, 154), rng.randint(120, 134)])
  return (rng.getrandbits(1) << 31) | (e << 23) | rng.getrandbits(23)

def rnd_int():
  k = rng.random()
  if k < 0.3: return rng.choice([0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0x01000001, 0xffff, 0x8000, 0x7fff, 0x00ffffff, 0x01000000])
  if k < 0.6: return rng.getrandbits(rng.randint(1, 32))
  return rng.getrandbits(32)

def rnd_fpscr():
  v = rng.getrandbits(2) << 22
  if rng.random() < 0.3: v |= 1 << 24   # FZ
  if rng.random() < 0.3: v |= 1 << 25   # DN
  if rng.random() < 0.3: v |= 1 << 26   # AHP
  return v

uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB)
uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_M4)
uc.mem_map(0, 0x10000)
S = [UC_ARM_REG_S0 + i for i in range(32)]

def run(word, s0, s1, s2, fpscr):
  uc.mem_write(0x1000, struct.pack('<HH', word >> 16, word & 0xffff))
  uc.reg_write(S[0], s0); uc.reg_write(S[1], s1); uc.reg_write(S[2], s2)
  uc.reg_write(UC_ARM_REG_FPSCR, fpscr)
  uc.emu_start(0x1001, 0x1004, count=1)
  return uc.reg_read(S[0]) & 0xffffffff, uc.reg_read(UC_ARM_REG_FPSCR) & 0xffffffff

# The first emu_start resets state that an earlier FPSCR write had set, so warm up once.
run(OPS['vadd'], 0, 0, 0, 0)
cases = []
for name, word in OPS.items():
  for _ in range(N):
    fpscr = rnd_fpscr()
    a = rnd_operand(); b = rnd_operand(a); c = rnd_operand(a)
    w = word
    if name.startswith('vcvt.f32.'): b = rnd_int()
    if name in ('vfma', 'vfms', 'vfnma', 'vfnms', 'vmla', 'vmls', 'vnmla', 'vnmls') and rng.random() < 0.4:
      # addend close to -(n*m) or +(n*m): cancellation, where one rounding and two roundings differ
      p = struct.unpack('<f', struct.pack('<I', b))[0] * struct.unpack('<f', struct.pack('<I', c))[0]
      try: pb = struct.unpack('<I', struct.pack('<f', p))[0]
      except OverflowError: pb = 0x7f800000
      a = (pb ^ rng.choice([0, 0x80000000])) + rng.randint(-2, 2) & 0xffffffff
    if name == 'vcvt.fixed':
      op = rng.getrandbits(1); u = rng.getrandbits(1); sx = rng.getrandbits(1); imm5 = rng.randint(0, 16 if sx == 0 else 31)
      if sx == 0 and imm5 == 0: imm5 = 1
      w = 0xeeba0a40 | (op << 18) | (u << 16) | (sx << 7) | ((imm5 & 1) << 5) | (imm5 >> 1)
      if op == 0: a = rnd_int()
    if name.startswith('vcvtb.f32') or name.startswith('vcvtt.f32'):
      b = rng.choice([rng.getrandbits(32), (rng.getrandbits(16) << 16) | rng.choice([0x7c00, 0xfc00, 0x7c01, 0x7e00, 0x0001, 0x83ff, 0x7bff, 0xffff]),
                      (rng.choice([0x7d00, 0x7fff, 0x0200, 0x8001]) << 16) | rng.getrandbits(16)])
    res, fout = run(w, a, b, c, fpscr)
    cases.append([name, w, fpscr, a, b, c, res, fout])

with open(OUT, 'w') as f:
  f.write('[\n' + ',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases) + '\n]\n')
print(f'{len(cases)} cases -> {OUT}')
