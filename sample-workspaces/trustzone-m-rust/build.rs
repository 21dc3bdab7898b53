// Link arguments for the two images: each gets its own linker script, the secure
// image writes the CMSE import library (its NSC entry points), and the non-secure
// image links against it, so `cargo build --bin secure` must run before `--bin ns`.
use std::env;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let implib = dir.join("target").join("secure_cmse_lib.o");
    println!("cargo:rustc-link-search={}", dir.display());
    println!("cargo:rustc-link-arg-bin=secure=-Tsecure.ld");
    println!("cargo:rustc-link-arg-bin=secure=--cmse-implib");
    println!("cargo:rustc-link-arg-bin=secure=--out-implib={}", implib.display());
    println!("cargo:rustc-link-arg-bin=ns=-Tns.ld");
    println!("cargo:rustc-link-arg-bin=ns={}", implib.display());
    println!("cargo:rerun-if-changed=secure.ld");
    println!("cargo:rerun-if-changed=ns.ld");
    println!("cargo:rerun-if-changed=build.rs");
}
