@ Start-up for neon-kernels.c on a bare Cortex-A9: stack, CPACR cp10/cp11 and FPEXC.EN, then kmain.
.syntax unified
.arm
.section .text.start
.global _start
_start:
  ldr sp, =0x80000
  mrc p15, 0, r0, c1, c0, 2
  orr r0, r0, #0x00f00000
  mcr p15, 0, r0, c1, c0, 2
  isb
  mov r0, #0x40000000
  vmsr fpexc, r0
  bl kmain
1: b 1b
