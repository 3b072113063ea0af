//! Rebuilds the binary when the embedded theme, example portal or bare portal changes.
fn main() {
    for path in [
        "themes/default",
        "content",
        "data",
        "site.toml",
        "src/scaffold/empty",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
}
