//! The benchmark generator (`benches/corpus`): what it writes is a valid portal, so that the
//! benchmarks measure real builds.

/// A generated portal builds with no error and no warning, and the generator will not write
/// over a portal that is there.
#[test]
fn a_generated_site_builds_without_errors_or_warnings() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("site");
    herald_corpus::generate(&root, 400, 3).expect("generate");
    assert_eq!(
        herald_corpus::generate(&root, 400, 3).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::AlreadyExists)
    );
    let mut opts = herald::BuildOptions::new(&root);
    opts.today = "2026-11-23".parse().ok();
    opts.write = false;
    let report = herald::build(&opts).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert!(
        report.warnings.is_empty(),
        "{}",
        report.warnings.render(false)
    );
    assert_eq!(report.entries.iter().sum::<usize>(), 400);
}
