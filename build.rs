//! Rebuilds the binary when the embedded theme or example portal changes.
fn main() {
    for path in ["themes/default", "content", "data", "site.toml"] {
        println!("cargo:rerun-if-changed={path}");
    }
}
