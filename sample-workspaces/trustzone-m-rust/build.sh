#!/usr/bin/env bash
# Builds the Rust TrustZone-M sample offline with Debian's Rust (rustc/cargo 1.63 +
# rust-src), as /work/shared/TOOLCHAINS.md describes: build-std=core, stub crates for
# std's crates.io dependencies, and GNU ld for --cmse-implib. `./build.sh prebuilt`
# also refreshes prebuilt/. With rustup instead, see README.md (plain `cargo build`).
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
target=thumbv8m.main-none-eabi
lib=/usr/lib/rustlib/src/rust/library

for tool in /usr/bin/cargo /usr/bin/rustc arm-none-eabi-ld; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found; install with: TANDEM_RUST=1 scripts/setup.sh (apt: rustc cargo rust-src librust-compiler-builtins-dev)" >&2; exit 2; }
done
[ -d "$lib/core" ] || { echo "build.sh: $lib/core missing; apt-get install rust-src" >&2; exit 2; }
cb=$(ls -d /usr/share/cargo/registry/compiler_builtins-* 2>/dev/null | sort -V | tail -1)
[ -n "$cb" ] || { echo "build.sh: no compiler_builtins under /usr/share/cargo/registry; apt-get install librust-compiler-builtins-dev" >&2; exit 2; }

work=$here/target/offline
rm -rf "$work"
mkdir -p "$work/srcroot" "$work/vendor" "$work/cargo-home"

# cargo's build-std reads <root>/Cargo.lock and the workspace under <root>/library.
ln -s "$lib" "$work/srcroot/library"
: > "$work/srcroot/Cargo.lock"

# Cargo resolves std's whole dependency graph even for build-std=core. None of these
# crates is compiled for core, so empty stubs that satisfy the version requirements do.
stub() {
  local d=$work/vendor/$1-$2
  mkdir -p "$d"
  printf '[package]\nname = "%s"\nversion = "%s"\nedition = "2015"\n[lib]\npath = "lib.rs"\n[features]\n' "$1" "$2" > "$d/Cargo.toml"
  for f in default rustc-dep-of-std core alloc compiler_builtins std rustc-std-workspace-core rustc-std-workspace-alloc mem c; do
    echo "$f = []" >> "$d/Cargo.toml"
  done
  echo '#![no_std]' > "$d/lib.rs"
  echo '{"files":{},"package":null}' > "$d/.cargo-checksum.json"
}
for s in cfg-if:0.1.10 cfg-if:1.0.0 libc:0.2.126 hashbrown:0.12.3 rustc-demangle:0.1.21 addr2line:0.17.0 \
         miniz_oxide:0.5.3 object:0.28.4 dlmalloc:0.2.3 fortanix-sgx-abi:0.3.3 getopts:0.2.21 hermit-abi:0.2.0 \
         wasi:0.11.0 unicode-width:0.1.9 gimli:0.26.1 adler:1.0.2 memchr:2.5.0 cc:1.0.73; do
  stub "${s%%:*}" "${s##*:}"
done

# The real compiler_builtins (it provides memcpy & co.), relabelled to the version std asks for.
want=$(sed -n 's/^compiler_builtins = { version = "\([0-9.]*\)".*/\1/p' "$lib/std/Cargo.toml" | head -1)
cp -r "$cb" "$work/vendor/compiler_builtins-$want"
sed -i "0,/^version = .*/s//version = \"$want\"/" "$work/vendor/compiler_builtins-$want/Cargo.toml"
echo '{"files":{},"package":null}' > "$work/vendor/compiler_builtins-$want/.cargo-checksum.json"

cat > "$work/cargo-home/config.toml" <<TOML
[source.crates-io]
replace-with = "offline-stubs"
[source.offline-stubs]
directory = "$work/vendor"
[net]
offline = true
TOML

export RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc CARGO_HOME=$work/cargo-home __CARGO_TESTS_ONLY_SRC_ROOT=$work/srcroot
# Paths in the DWARF are made relative, so the ELFs do not depend on the checkout's location.
remap="target.$target.rustflags=[\"--remap-path-prefix=$here=.\",\"--remap-path-prefix=$lib=/rustc/library\"]"
build() {
  /usr/bin/cargo build --release --quiet --config "$remap" -Z build-std=core -Z build-std-features=compiler-builtins-mem --bin "$1" \
    2> >(grep -v -e '^warning: Patch `rustc-std-workspace' -e '^Check that the patched' -e '^with the dependency req' \
                 -e '^what is locked in the' -e '^version. This may also' -e '^$' >&2)
}
rm -f target/secure_cmse_lib.o
build secure   # writes target/secure_cmse_lib.o, which the NS link needs
build ns

mkdir -p build
cp "target/$target/release/secure" build/secure.elf
cp "target/$target/release/ns" build/ns.elf
cp target/secure_cmse_lib.o build/secure_cmse_lib.o
if [ "${1:-}" = prebuilt ]; then
  mkdir -p prebuilt
  cp build/secure.elf build/ns.elf build/secure_cmse_lib.o prebuilt/
fi
echo "built: $(ls build/*.elf | tr '\n' ' ')"
