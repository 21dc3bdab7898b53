@ Start-up for the QEMU sabrelite run of neon-kernels.c: stack, CPACR and FPEXC.EN, then qmain.
.syntax unified
.arm
.section .text.start
.global _start
_start:
  ldr sp, =0x10100000
  mrc p15, 0, r0, c1, c0, 2
  orr r0, r0, #0x00f00000
  mcr p15, 0, r0, c1, c0, 2
  isb
  mov r0, #0x40000000
  vmsr fpexc, r0
  bl qmain
1: b 1b
