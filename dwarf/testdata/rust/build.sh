#!/usr/bin/env bash
# Rebuilds types.elf (DWARF test input) with Debian's rustc 1.63. It links against the
# core/compiler_builtins that sample-workspaces/trustzone-m-rust/build.sh compiles, so
# run that first.
set -euo pipefail
cd "$(dirname "$0")"
deps=../../../sample-workspaces/trustzone-m-rust/target/thumbv8m.main-none-eabi/release/deps
[ -n "$(ls $deps/libcore-*.rlib 2>/dev/null)" ] || { echo "build.sh: no thumbv8m core in $deps; run sample-workspaces/trustzone-m-rust/build.sh first" >&2; exit 2; }
RUSTC_BOOTSTRAP=1 /usr/bin/rustc --edition 2021 --target thumbv8m.main-none-eabi -C opt-level=1 -C debuginfo=2 \
  -C panic=abort -C codegen-units=1 -C linker=arm-none-eabi-ld -C linker-flavor=ld -C link-arg=-Tlink.ld \
  -L "$deps" --remap-path-prefix="$(pwd)=." -o types.elf types.rs
