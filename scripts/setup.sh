#!/usr/bin/env bash
# One-time setup: Debian packages for the toolchain and oracles, then npm packages.
# Idempotent; safe to re-run. Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm
      gdb-multiarch python3-unicorn python3-capstone python3-pyelftools device-tree-compiler
      chromium ripgrep libkrb5-dev build-essential)  # the last four: code-server + the browser end-to-end tests
[ "${TANDEM_RUST:-0}" = 1 ] && pkgs+=(rustc cargo rust-src librust-compiler-builtins-dev)  # ~430 MB; only for rebuilding the Rust samples
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
# code-server for `npm start` and test/e2e, into ~/.cache/tandem (outside git); a no-op once done.
node scripts/code-server.mjs >/dev/null
