//! Portals in the company's languages: a further language under `/CODE/` built from `x.CODE.md`
//! translations over their originals, untranslated items kept in the main language, the
//! translation tables and their overrides, and what is wrong with either said with its file.

use crate::support::{TestSite, attrs, body_text, snapshot, text, texts};

const TODAY: &str = "2026-11-23";

/// A portal in English and French: one improvement translated, one not; a milestone translated
/// with only its words.
fn two_languages() -> TestSite {
    let s = TestSite::minimal();
    s.write(
        "site.toml",
        &format!(
            "{}\n[languages.fr]\ntitle = \"Portail clients\"\ndescription = \"Ce que nous avons changé\"\nteams = {{ Billing = \"Facturation\" }}\n",
            crate::support::SITE_TOML
        ),
    );
    s.write(
        "content/improvements/clear-bills.md",
        "+++\ntitle = \"Bills you can read\"\ndate = 2026-11-10\nteams = [\"Billing\"]\nmilestone = \"plain-bills\"\ntags = [\"billing\"]\n\n[metric]\nname = \"Calls about bills\"\nbefore = 1200\nafter = 450\nunit = \"calls\"\nbetter = \"lower\"\n+++\nWe rewrote the bill.\n",
    );
    s.write(
        "content/improvements/clear-bills.fr.md",
        "+++\ntitle = \"Des factures lisibles\"\n\n[metric]\nname = \"Appels au sujet des factures\"\nunit = \"appels\"\n+++\nNous avons réécrit les factures : chaque facturation est expliquée.\n",
    );
    s.write(
        "content/improvements/faster-refunds.md",
        "+++\ntitle = \"Refunds in two days\"\ndate = 2026-11-05\nteams = [\"Customer Care\"]\n+++\nFaster refunds.\n",
    );
    s.write(
        "content/roadmap/plain-bills.md",
        "+++\ntitle = \"Plain bills\"\nowner = \"Billing\"\nteams = [\"Billing\"]\nphase = \"Quick wins\"\nstatus = \"in-progress\"\ntarget = 2026-12-15\n\n[[tasks]]\nteam = \"Billing\"\ntask = \"Rewrite the bill\"\ndue = 2026-11-01\ndone_on = 2026-10-30\n+++\nBills anyone can read.\n",
    );
    s.write(
        "content/roadmap/plain-bills.fr.md",
        "+++\ntitle = \"Des factures simples\"\n\n[[tasks]]\ntask = \"Réécrire la facture\"\n+++\nDes factures que tout le monde comprend.\n",
    );
    s
}

#[test]
fn a_further_language_is_a_site_of_its_own_under_its_folder() {
    let s = two_languages();
    s.build_ok(TODAY);
    let p = s.public();
    // Every page kind of the main language exists under /fr/ too.
    for rel in [
        "index.html",
        "improvements/index.html",
        "improvements/clear-bills/index.html",
        "improvements/faster-refunds/index.html",
        "roadmap/index.html",
        "roadmap/plain-bills/index.html",
        "roadmap/review/index.html",
        "roadmap/team/billing/index.html",
        "metrics/index.html",
        "teams/index.html",
        "teams/billing/index.html",
        "recognitions/index.html",
        "tags/index.html",
        "tags/billing/index.html",
        "digest/index.html",
        "letter/index.html",
        "search/index.html",
        "search/index.json",
        "atom.xml",
        "sitemap.xml",
        "404.html",
    ] {
        assert!(p.join(rel).is_file(), "main language: {rel}");
        assert!(p.join("fr").join(rel).is_file(), "French: fr/{rel}");
    }
    // The theme's files are the main language's alone, and French pages link them there.
    assert!(p.join("css/herald.css").is_file());
    assert!(!p.join("fr/css").exists());
    let doc = s.html("fr/improvements/clear-bills/index.html");
    let css = attrs(&doc, "link[rel=stylesheet]", "href");
    assert!(
        css.iter().all(|h| h.starts_with("/customers/css/")),
        "{css:?}"
    );

    // The translation's words, and what it left out from the original.
    assert_eq!(text(&doc, "h1"), "Des factures lisibles");
    let body = body_text(&doc);
    assert!(body.contains("Nous avons réécrit les factures"), "{body}");
    assert!(body.contains("Appels au sujet des factures"), "{body}");
    assert!(
        body.contains("1200") || body.contains("1 200"),
        "the numbers come from the original: {body}"
    );
    assert!(
        body.contains("Des factures simples"),
        "the milestone panel is the French milestone's: {body}"
    );
    assert!(
        body.contains("Portail clients"),
        "the language's title: {body}"
    );
    let links = attrs(&doc, "main a", "href");
    assert!(
        links
            .iter()
            .any(|h| h == "/customers/fr/roadmap/plain-bills/"),
        "{links:?}"
    );
    assert!(
        !links
            .iter()
            .any(|h| h.starts_with("/customers/improvements/")
                || h.starts_with("/customers/roadmap/")),
        "French pages link French pages: {links:?}"
    );
    let milestone = s.html("fr/roadmap/plain-bills/index.html");
    let mb = body_text(&milestone);
    assert!(mb.contains("Réécrire la facture"), "{mb}");

    // The untranslated item is in the French list, in English.
    let list = body_text(&s.html("fr/improvements/index.html"));
    assert!(list.contains("Refunds in two days"), "{list}");
    assert!(list.contains("Des factures lisibles"), "{list}");
    // The English side is English.
    let en = body_text(&s.html("improvements/clear-bills/index.html"));
    assert!(
        en.contains("Bills you can read") && !en.contains("Des factures"),
        "{en}"
    );
    assert!(!p.join("improvements/clear-bills.fr").exists());

    // The French feed, sitemap and canonical links carry the prefix.
    let feed = s.read("fr/atom.xml");
    assert!(
        feed.contains("https://intranet.example.com/customers/fr/improvements/clear-bills/"),
        "{feed}"
    );
    assert!(feed.contains("Des factures lisibles"));
    let sitemap = s.read("fr/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://intranet.example.com/customers/fr/roadmap/</loc>"),
        "{sitemap}"
    );
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://intranet.example.com/customers/fr/improvements/clear-bills/"]
    );
    assert_eq!(attrs(&doc, "html", "lang"), ["fr"]);

    // Team names in French keep their addresses.
    let team = body_text(&s.html("fr/teams/index.html"));
    assert!(team.contains("Facturation"), "{team}");
    assert!(p.join("fr/teams/billing/index.html").is_file());
}

#[test]
fn the_french_search_index_stems_french_words() {
    let s = two_languages();
    s.build_ok(TODAY);
    // "facturation" and "factures" share the French stem "factur"; the index's terms are in
    // shards named by their first letters.
    let shards = snapshot(&s.public().join("fr/search/t"));
    let all: String = shards
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        all.contains("\"factur"),
        "French stems: {}",
        &all[..all.len().min(400)]
    );
    let en: String = snapshot(&s.public().join("search/t"))
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        !en.contains("\"factur"),
        "the English index has no French words"
    );
}

#[test]
fn a_translation_without_its_original_is_an_error_with_a_did_you_mean() {
    let s = two_languages();
    s.build_ok(TODAY);
    let before = snapshot(&s.public());
    s.write(
        "content/improvements/clear-bils.fr.md",
        "+++\ntitle = \"Factures\"\n+++\n",
    );
    let r = s.run(&["build", "--today", TODAY]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/improvements/clear-bils.fr.md"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("clear-bils.md, which does not exist"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean clear-bills.fr.md"),
        "{}",
        r.stderr
    );
    assert_eq!(
        snapshot(&s.public()),
        before,
        "the previous output is untouched"
    );
}

#[test]
fn a_broken_translation_names_its_own_file_and_line() {
    let s = two_languages();
    s.write(
        "content/improvements/clear-bills.fr.md",
        "+++\ntitle = \"Des factures lisibles\"\ndate = 2026-13-01\n+++\nTexte.\n",
    );
    let r = s.run(&["build", "--today", TODAY]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/improvements/clear-bills.fr.md:3:"),
        "{}",
        r.stderr
    );
    assert!(!s.public().exists(), "nothing was written");
}

#[test]
fn a_bad_language_table_is_an_error_at_its_line() {
    let s = TestSite::minimal();
    s.write(
        "site.toml",
        &format!(
            "{}\n[languages.\"fr canada\"]\ntitle = \"x\"\n\n[languages.en]\ntitle = \"y\"\n",
            crate::support::SITE_TOML
        ),
    );
    let r = s.run(&["check"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("is not a language code"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("[languages.en] is the portal's main language"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("site.toml:"), "{}", r.stderr);
}

#[test]
fn a_screen_in_an_unknown_language_is_an_error() {
    let s = two_languages();
    let mut toml = std::fs::read_to_string(s.path().join("site.toml")).expect("site.toml");
    toml.push_str("\n[[lobby.screens]]\nname = \"reception\"\nlanguage = \"de\"\n");
    s.write("site.toml", &toml);
    let r = s.run(&["check"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("language \"de\", which the portal does not have"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("en, fr, all"), "{}", r.stderr);
}

#[test]
fn a_portal_override_replaces_one_string_and_a_missing_key_warns() {
    let s = TestSite::minimal();
    s.write(
        "site.toml",
        &crate::support::SITE_TOML.replace(
            "title = \"Test Portal\"",
            "title = \"Test Portal\"\nlanguage = \"de\"",
        ),
    );
    s.write(
        "i18n/de.toml",
        "[nav]\nroadmap = \"Fahrplan\"\nrodmap = \"Fahrplan\"\n",
    );
    let r = s.build_ok(TODAY);
    let doc = s.html("index.html");
    let nav = texts(&doc, ".site-nav a");
    assert!(nav.iter().any(|t| t == "Fahrplan"), "{nav:?}");
    assert!(r.stderr.contains("i18n/de.toml:3"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `nav.roadmap`"),
        "{}",
        r.stderr
    );

    // A language herald has no words for: every missing message is warned of by `check`,
    // and the pages fall back to English.
    s.write(
        "site.toml",
        &crate::support::SITE_TOML.replace(
            "title = \"Test Portal\"",
            "title = \"Test Portal\"\nlanguage = \"it\"",
        ),
    );
    s.write("i18n/it.toml", "[nav]\nroadmap = \"Tabella di marcia\"\n");
    let r = s.run(&["check"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("i18n/it.toml"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("messages have no `it` words; they show in English"),
        "{}",
        r.stderr
    );
    s.build_ok(TODAY);
    let nav = texts(&s.html("index.html"), ".site-nav a");
    assert!(nav.iter().any(|t| t == "Tabella di marcia"), "{nav:?}");
    assert!(
        nav.iter().any(|t| t == "Improvements"),
        "English for the rest: {nav:?}"
    );
}

#[test]
fn a_broken_translation_table_is_an_error_with_its_line_and_the_output_is_kept() {
    let s = TestSite::minimal();
    s.build_ok(TODAY);
    let before = snapshot(&s.public());
    s.write("i18n/en.toml", "[nav]\nroadmap = Roadmap\n");
    let r = s.run(&["build", "--today", TODAY]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("i18n/en.toml:2"), "{}", r.stderr);
    assert!(r.stderr.contains("not valid TOML"), "{}", r.stderr);
    assert_eq!(snapshot(&s.public()), before);
}

#[test]
fn pages_link_their_translations_and_mark_untranslated_items() {
    let s = two_languages();
    s.build_ok(TODAY);
    let doc = s.html("fr/improvements/index.html");
    let alternates = attrs(&doc, "link[rel=alternate][hreflang]", "hreflang");
    assert_eq!(alternates, ["en", "x-default", "fr"]);
    assert_eq!(
        attrs(&doc, "link[rel=alternate][hreflang=en]", "href"),
        ["https://intranet.example.com/customers/improvements/"]
    );
    let switcher = attrs(&doc, ".language-switcher a", "href");
    assert_eq!(
        switcher,
        ["/customers/improvements/", "/customers/fr/improvements/"]
    );
    assert_eq!(texts(&doc, ".language-switcher a"), ["English", "Français"]);
    assert_eq!(
        attrs(&doc, ".language-switcher a[aria-current]", "hreflang"),
        ["fr"]
    );
    // The untranslated improvement keeps its English title, says so, and is marked English.
    assert_eq!(
        attrs(&doc, "main a[lang=en]", "href"),
        ["/customers/fr/improvements/faster-refunds/"]
    );
    assert_eq!(texts(&doc, ".lang-mark"), ["en anglais"]);
    let page = s.html("fr/improvements/faster-refunds/index.html");
    assert_eq!(attrs(&page, "main", "lang"), ["en"]);
    // The English side has the same links, and no marks.
    let en = s.html("improvements/index.html");
    assert_eq!(texts(&en, ".language-switcher a"), ["English", "Français"]);
    assert!(texts(&en, ".lang-mark").is_empty());
}

#[test]
fn a_single_language_portal_has_no_switcher_or_alternates() {
    let s = TestSite::minimal();
    s.build_clean(TODAY);
    let doc = s.html("index.html");
    assert!(attrs(&doc, "link[hreflang]", "href").is_empty());
    assert!(texts(&doc, ".language-switcher").is_empty());
}

#[test]
fn each_bundled_language_reads_in_its_own_words_with_no_missing_message() {
    for (lang, roadmap, date) in [
        ("de", "Roadmap", "23. November 2026"),
        ("fr", "Feuille de route", "23 novembre 2026"),
        ("es", "Hoja de ruta", "23 de noviembre de 2026"),
    ] {
        let s = TestSite::example();
        let toml = std::fs::read_to_string(s.path().join("site.toml")).expect("site.toml");
        let toml = toml
            .lines()
            .map(|l| {
                if l.starts_with("language") {
                    format!("language = \"{lang}\"")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        s.write("site.toml", &toml);
        let r = s.build_ok(TODAY);
        assert!(!r.stderr.contains("have no `"), "{lang}: {}", r.stderr);
        let doc = s.html("index.html");
        assert_eq!(attrs(&doc, "html", "lang"), [lang]);
        let nav = texts(&doc, ".site-nav a");
        assert!(nav.iter().any(|t| t == roadmap), "{lang}: {nav:?}");
        assert!(body_text(&doc).contains(date), "{lang}: the footer's date");
        for rel in [
            "roadmap/index.html",
            "teams/index.html",
            "search/index.html",
            "404.html",
        ] {
            let text = body_text(&s.html(rel));
            assert!(
                !text.contains("Skip to main content"),
                "{lang} {rel}: {text}"
            );
        }
    }
}
