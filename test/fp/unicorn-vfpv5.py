#!/usr/bin/python3
# Runs the FPv5-SP additions (VSEL, VMAXNM/VMINNM, VRINT*, VCVTA/N/P/M) on Unicorn's
# Cortex-M33 (UC_MODE_MCLASS, QEMU softfloat) over special and random operands, APSR flags
# and FPSCR settings, and writes the cases with the resulting Sd and FPSCR to JSON for
# isa-vfpv5.spec.ts. Run with /usr/bin/python3 (it has unicorn).
# Usage: unicorn-vfpv5.py [cases-per-op] [out.json] [seed]
import json, random, struct, sys
from unicorn import Uc, UC_ARCH_ARM, UC_MODE_THUMB, UC_MODE_MCLASS
from unicorn.arm_const import *

N = int(sys.argv[1]) if len(sys.argv) > 1 else 250
OUT = sys.argv[2] if len(sys.argv) > 2 else 'test/fp/vfpv5-unicorn.json'
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261121)

# Instruction words (hw1 << 16 | hw2) with d = s0, n = s1, m = s2, or m = s1 for the
# two-register forms (checked against arm-none-eabi-objdump -mcpu=cortex-m33).
OPS = {
  'vseleq': 0xfe000a81, 'vselvs': 0xfe100a81, 'vselge': 0xfe200a81, 'vselgt': 0xfe300a81,
  'vmaxnm': 0xfe800a81, 'vminnm': 0xfe800ac1,
  'vrinta': 0xfeb80a60, 'vrintn': 0xfeb90a60, 'vrintp': 0xfeba0a60, 'vrintm': 0xfebb0a60,
  'vrintr': 0xeeb60a60, 'vrintz': 0xeeb60ae0, 'vrintx': 0xeeb70a60,
  'vcvta.s32': 0xfebc0ae0, 'vcvta.u32': 0xfebc0a60, 'vcvtn.s32': 0xfebd0ae0, 'vcvtn.u32': 0xfebd0a60,
  'vcvtp.s32': 0xfebe0ae0, 'vcvtp.u32': 0xfebe0a60, 'vcvtm.s32': 0xfebf0ae0, 'vcvtm.u32': 0xfebf0a60,
}

SPECIAL = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xffa00005,
           0x7fc12345, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000,
           0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000,
           0xbfc00000, 0x40200000, 0xc0200000, 0x3effffff, 0x3f000001, 0x4b000000, 0x4affffff,
           0x4b7fffff, 0x4f000000, 0xcf000000, 0x4effffff, 0xceffffff, 0x4f800000, 0x4f7fffff,
           0xcf000001, 0xbf7fffff, 0x3e800000, 0xbe800000]

def f2b(v):
  return struct.unpack('<I', struct.pack('<f', v))[0]

def rnd_operand():
  k = rng.random()
  if k < 0.2: return rng.choice(SPECIAL)
  if k < 0.3: return rng.getrandbits(32)
  if k < 0.4:  # denormal
    return (rng.getrandbits(1) << 31) | (rng.getrandbits(rng.choice([3, 10, 23])) & 0x7fffff)
  if k < 0.6:  # an integer or a half-integer: ties and exact cases
    v = rng.choice([rng.randint(-8, 8), rng.randint(-1 << 20, 1 << 20), rng.randint(-1 << 33, 1 << 33)])
    return f2b(v + rng.choice([0, 0.5, 0.25, 0.75]))
  if k < 0.75:  # near the 32-bit integer limits
    return f2b(rng.choice([1, -1]) * rng.choice([2.0**31, 2.0**32])) + rng.randint(-3, 3) & 0xffffffff
  e = rng.choice([rng.randint(1, 254), rng.randint(110, 160), rng.randint(120, 134)])
  return (rng.getrandbits(1) << 31) | (e << 23) | rng.getrandbits(23)

def rnd_fpscr():
  v = rng.getrandbits(2) << 22
  if rng.random() < 0.3: v |= 1 << 24   # FZ
  if rng.random() < 0.3: v |= 1 << 25   # DN
  if rng.random() < 0.2: v |= rng.getrandbits(5) | (rng.getrandbits(1) << 7)  # cumulative flags already set
  if rng.random() < 0.2: v |= rng.getrandbits(4) << 28
  return v

uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
uc.mem_map(0, 0x10000)
S = [UC_ARM_REG_S0 + i for i in range(32)]

def run(word, apsr, s0, s1, s2, fpscr):
  uc.mem_write(0x1000, struct.pack('<HH', word >> 16, word & 0xffff))
  # Unicorn keeps translated blocks across emu_start: drop the one at 0x1000 each time.
  uc.ctl_remove_cache(0x1000, 0x1004)
  uc.reg_write(UC_ARM_REG_APSR_NZCVQG, apsr)
  uc.reg_write(S[0], s0); uc.reg_write(S[1], s1); uc.reg_write(S[2], s2)
  uc.reg_write(UC_ARM_REG_FPSCR, fpscr)
  uc.emu_start(0x1001, 0xfffffffe, count=1)
  return uc.reg_read(S[0]) & 0xffffffff, uc.reg_read(UC_ARM_REG_FPSCR) & 0xffffffff

# Unicorn resets with FPCCR.ASPEN = 1 and CONTROL.FPCA = 0, so the first FP instruction would
# reload FPSCR from FPDSCR; one VMOV s0, s0 up front sets FPCA for good (as oracle.py does).
run(0xeeb00a40, 0, 0, 0, 0, 0)
cases = []
for name, word in OPS.items():
  for _ in range(N):
    fpscr = rnd_fpscr()
    apsr = rng.getrandbits(4) << 28
    a = rng.getrandbits(32); b = rnd_operand(); c = rnd_operand()
    if name in ('vmaxnm', 'vminnm') and rng.random() < 0.25:
      c = rng.choice([b, b ^ 0x80000000, 0x7fc00000, 0x7f800001, 0, 0x80000000])
    res, fout = run(word, apsr, a, b, c, fpscr)
    cases.append([name, word, fpscr, apsr, a, b, c, res, fout])

with open(OUT, 'w') as f:
  f.write('[\n' + ',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases) + '\n]\n')
print(f'{len(cases)} cases -> {OUT}')
