//! Finds the shared test vectors (env `VIPPS_AUTH_VECTORS`, else `../shared/vectors` or
//! `../../shared/vectors` beside the repository) and exposes the folder to the tests as
//! `VIPPS_AUTH_VECTORS_DIR` with `cfg(vipps_vectors)`. Browsers have no file system, so
//! the tests `include_str!` the files; without them the suites say SKIPPED loudly.
use std::path::PathBuf;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(vipps_vectors)");
    println!("cargo:rerun-if-env-changed=VIPPS_AUTH_VECTORS");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let repo = manifest.join("../..");
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(dir) = std::env::var("VIPPS_AUTH_VECTORS") {
        candidates.push(PathBuf::from(dir));
    }
    candidates.push(repo.join("../shared/vectors"));
    candidates.push(repo.join("../../shared/vectors"));
    for dir in &candidates {
        println!("cargo:rerun-if-changed={}", dir.display());
        if dir
            .join("wycheproof/json_web_signature_test.json")
            .is_file()
        {
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            println!("cargo:rustc-env=VIPPS_AUTH_VECTORS_DIR={}", dir.display());
            println!("cargo:rustc-cfg=vipps_vectors");
            return;
        }
    }
    println!(
        "cargo:rustc-env=VIPPS_AUTH_VECTORS_DIR={}",
        candidates[0].display()
    );
    println!(
        "cargo:warning=SKIPPED: vectors not found at {} (set VIPPS_AUTH_VECTORS)",
        candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
}
