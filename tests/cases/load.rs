//! `herald serve` under load: keep-alive clients read pages while an entry is edited again and
//! again; every response is whole, 200, and from one build. The 30-second run with figures is
//! `cargo bench --bench load`.

#[path = "../../benches/common/load.rs"]
mod client;

use std::path::Path;
use std::time::Duration;

use crate::support::TestSite;

#[test]
fn serve_answers_every_request_whole_while_files_change() {
    let s = TestSite::example();
    s.write(client::EDITED, &client::edited_text(1_000));
    let served = client::serve(
        Path::new(env!("CARGO_BIN_EXE_herald")),
        s.path(),
        "2026-11-23",
    )
    .expect("serve");
    let report = client::run(
        served.port,
        s.path(),
        &client::paths(),
        4,
        Duration::from_secs(6),
        Duration::from_millis(300),
    );
    eprintln!("load: {}", report.summary());
    assert_eq!(report.errors, 0, "{:#?}", report.reasons);
    assert!(report.requests > 100, "{}", report.summary());
    assert_eq!(report.statuses.keys().copied().collect::<Vec<_>>(), [200]);
    assert!(report.edits >= 5, "{}", report.summary());
    assert!(
        report.saw_versions >= 2,
        "the server never showed an edit: {}",
        report.summary()
    );
}
