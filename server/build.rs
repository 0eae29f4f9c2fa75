//! With the `embed-site` feature, the binary carries the built site: this
//! finds the file in which the site's build named its files by their hashes
//! (`hash.txt`, written beside the server binary before the server is
//! compiled) and rebuilds the server whenever the site changes.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_EMBED_SITE").is_none() {
        return;
    }
    // OUT_DIR is <target>/<profile>/build/<crate>-<hash>/out; the binary,
    // and the hash file beside it, are in <target>/<profile>.
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let profile_dir = out_dir
        .ancestors()
        .nth(3)
        .expect("OUT_DIR lies three folders below the profile's");
    let hash_file = profile_dir.join("hash.txt");
    let site = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("../target/site");
    if !hash_file.is_file() || !site.is_dir() {
        panic!(
            "the embed-site feature takes the built site ({}) and its hash.txt ({}): \
             build with `cargo leptos build`, which builds the site before the server",
            site.display(),
            hash_file.display()
        );
    }
    println!("cargo::rerun-if-changed={}", hash_file.display());
    println!("cargo::rerun-if-changed={}", site.display());
    println!(
        "cargo::rustc-env=YIGHIN_SITE_HASH_FILE={}",
        hash_file.display()
    );
}
