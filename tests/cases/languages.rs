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

/// Chosen words of every page kind, the digest's email (HTML and text), the letter, a feed and
/// the lobby's data, in each bundled language, with its dates and numbers.
const WORDS: &[(&str, &[(&str, &str)])] = &[
    (
        "de",
        &[
            ("index.html", "Verbesserungen umgesetzt"),
            ("index.html", "Wichtigste Kennzahlen"),
            ("improvements/index.html", "die neuesten zuerst"),
            ("improvements/index.html", "6,5"),
            (
                "improvements/faster-refunds/index.html",
                "Eingeführt am 11. Juni 2025",
            ),
            (
                "improvements/faster-refunds/index.html",
                "Niedriger ist besser",
            ),
            ("roadmap/index.html", "Meilensteinen erreicht"),
            (
                "roadmap/refunds-in-days/index.html",
                "Zieltermin war 30. Juni 2025",
            ),
            ("roadmap/review/index.html", "Rechenschaftsbericht"),
            ("metrics/index.html", "Verlorene Kunden und die Gründe"),
            ("recognitions/index.html", "Anerkennungswand"),
            (
                "recognitions/storm-night-texts/index.html",
                "6. Oktober 2026",
            ),
            ("teams/index.html", "Verantwortete Meilensteine"),
            ("teams/billing/index.html", "Meilensteine verantwortet"),
            ("tags/index.html", "nach Thema"),
            ("tags/billing/index.html", "Einträge mit dem Tag"),
            (
                "search/index.html",
                "Für die Suche wird JavaScript benötigt",
            ),
            ("404.html", "Diese Seite konnten wir leider nicht finden"),
            ("digest/index.html", "Monatlicher Überblick"),
            (
                "digest/2026-10/index.html",
                "Vom 1. Oktober bis zum 31. Oktober 2026",
            ),
            ("digest/2026-10/email.html", "Personen und Teams gewürdigt"),
            (
                "digest/2026-10/email.txt",
                "Den Überblick im Intranet lesen",
            ),
            ("letter/index.html", "Briefe an Kunden"),
            (
                "letter/2026-Q3/index.html",
                "Sehr geehrte Kundin, sehr geehrter Kunde",
            ),
            ("letter/2026-Q3/index.html", "von Juli bis September 2026"),
            ("improvements/atom.xml", "Customer Promise: Verbesserungen"),
            ("lobby/data.json", "Besser für unsere Kunden"),
        ],
    ),
    (
        "fr",
        &[
            ("index.html", "améliorations livrées"),
            ("index.html", "Indicateurs clés"),
            ("improvements/index.html", "du plus récent au plus ancien"),
            ("improvements/index.html", "6,5"),
            (
                "improvements/faster-refunds/index.html",
                "Livré le 11 juin 2025",
            ),
            (
                "improvements/faster-refunds/index.html",
                "Plus c’est bas, mieux c’est",
            ),
            ("roadmap/index.html", "jalons atteints sur"),
            (
                "roadmap/refunds-in-days/index.html",
                "Terminé le 11 juin 2025",
            ),
            ("roadmap/review/index.html", "Revue des engagements"),
            ("metrics/index.html", "Les chiffres côté clients"),
            ("recognitions/index.html", "Mur des reconnaissances"),
            (
                "recognitions/storm-night-texts/index.html",
                "6 octobre 2026",
            ),
            ("teams/index.html", "Équipes"),
            ("teams/billing/index.html", "jalons sous sa responsabilité"),
            ("tags/index.html", "Étiquettes"),
            ("tags/billing/index.html", "portant l’étiquette"),
            ("search/index.html", "La recherche nécessite JavaScript"),
            ("404.html", "Nous n’avons pas trouvé cette page"),
            ("digest/index.html", "Synthèse mensuelle"),
            (
                "digest/2026-10/index.html",
                "du 1er octobre au 31 octobre 2026",
            ),
            (
                "digest/2026-10/email.html",
                "personnes et équipes remerciées",
            ),
            (
                "digest/2026-10/email.txt",
                "Lire la synthèse sur l’intranet",
            ),
            ("letter/index.html", "Lettres aux clients"),
            ("letter/2026-Q3/index.html", "Chère cliente, cher client"),
            (
                "letter/2026-Q3/index.html",
                "entre juillet et septembre 2026",
            ),
            ("improvements/atom.xml", "Améliorations</title>"),
            ("lobby/data.json", "Mieux pour nos clients"),
        ],
    ),
    (
        "es",
        &[
            ("index.html", "mejoras publicadas"),
            ("index.html", "Métricas principales"),
            ("improvements/index.html", "del más reciente al más antiguo"),
            ("improvements/index.html", "6,5"),
            (
                "improvements/faster-refunds/index.html",
                "Publicada el 11 de junio de 2025",
            ),
            (
                "improvements/faster-refunds/index.html",
                "Cuanto más bajo, mejor",
            ),
            ("roadmap/index.html", "hitos completados"),
            (
                "roadmap/refunds-in-days/index.html",
                "Completado el 11 de junio de 2025",
            ),
            ("roadmap/review/index.html", "Rendición de cuentas"),
            ("metrics/index.html", "Las cifras de los clientes"),
            ("recognitions/index.html", "Muro de reconocimientos"),
            (
                "recognitions/storm-night-texts/index.html",
                "6 de octubre de 2026",
            ),
            ("teams/index.html", "Equipos"),
            ("teams/billing/index.html", "hitos a su cargo"),
            ("tags/index.html", "Etiquetas"),
            ("tags/billing/index.html", "elementos etiquetados con"),
            ("search/index.html", "La búsqueda necesita JavaScript"),
            ("404.html", "No hemos encontrado esa página"),
            ("digest/index.html", "Resumen mensual"),
            (
                "digest/2026-10/index.html",
                "del 1 de octubre al 31 de octubre de 2026",
            ),
            (
                "digest/2026-10/email.html",
                "personas y equipos reconocidos",
            ),
            ("digest/2026-10/email.txt", "Leer el resumen en la intranet"),
            ("letter/index.html", "Cartas a los clientes"),
            (
                "letter/2026-Q3/index.html",
                "Estimada clienta, estimado cliente",
            ),
            ("letter/2026-Q3/index.html", "de julio a septiembre de 2026"),
            ("improvements/atom.xml", "Customer Promise: Mejoras"),
            ("lobby/data.json", "Mejor para los clientes"),
        ],
    ),
];

/// The example portal with `language = LANG` and no other change, built.
fn example_in(lang: &str) -> TestSite {
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
    s
}

#[test]
fn each_bundled_language_reads_in_its_own_words_with_no_missing_message() {
    for (lang, words) in WORDS {
        let s = example_in(lang);
        let doc = s.html("index.html");
        assert_eq!(attrs(&doc, "html", "lang"), [*lang]);
        for (rel, want) in *words {
            let text = if rel.ends_with(".html") && !rel.ends_with("email.html") {
                crate::support::collapse(&body_text(&s.html(rel)))
            } else {
                s.read(rel)
            };
            assert!(text.contains(want), "{lang} {rel}: no {want:?} in\n{text}");
        }
        // No page kind is left with English words of the theme.
        for rel in [
            "index.html",
            "roadmap/index.html",
            "digest/2026-10/index.html",
            "404.html",
        ] {
            let text = body_text(&s.html(rel));
            for english in [
                "Skip to main content",
                "Monthly digest",
                "Letters to customers",
                "All tags",
            ] {
                assert!(!text.contains(english), "{lang} {rel}: {english:?}");
            }
        }
    }
}

/// The two-language portal with a screen in French (`hall`) and one for every language (`both`).
fn with_screens() -> TestSite {
    let s = two_languages();
    let toml = std::fs::read_to_string(s.path().join("site.toml")).expect("site.toml");
    s.write(
        "site.toml",
        &format!(
            "{toml}\n[[lobby.screens]]\nname = \"hall\"\nlanguage = \"fr\"\n\n[[lobby.screens]]\nname = \"both\"\nlanguage = \"all\"\n"
        ),
    );
    s.build_ok(TODAY);
    s
}

fn json(s: &TestSite, rel: &str) -> serde_json::Value {
    serde_json::from_str(&s.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn lobby_screens_take_a_language_or_show_them_all() {
    let s = with_screens();
    // Each language has its own default screen.
    assert_eq!(json(&s, "lobby/data.json")["language"], "en");
    assert_eq!(json(&s, "fr/lobby/data.json")["language"], "fr");
    // The French screen lives with the French pages; its address under /lobby/ sends it on.
    let hall = json(&s, "fr/lobby/hall/data.json");
    assert_eq!(hall["language"], "fr");
    assert_eq!(hall["title"], "Portail clients");
    assert!(
        hall["messages"]["fr"]["improvement"].is_string(),
        "{}",
        hall["messages"]
    );
    let items = hall["items"].as_array().expect("items");
    let by_id = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {items:?}"))
    };
    let translated = by_id("improvements/clear-bills");
    assert_eq!(translated["title"], "Des factures lisibles");
    assert_eq!(translated["teams"], serde_json::json!(["Facturation"]));
    assert!(translated.get("untranslated").is_none());
    assert!(
        translated["url"]
            .as_str()
            .is_some_and(|u| u.contains("/customers/fr/"))
    );
    let original = by_id("improvements/faster-refunds");
    assert_eq!(original["language"], "en");
    assert_eq!(original["untranslated"], true);
    assert!(!s.public().join("lobby/hall/data.json").exists());
    let redirect = s.read("lobby/hall/index.html");
    assert!(
        redirect.contains("url=/customers/fr/lobby/hall/"),
        "{redirect}"
    );
    // The old address of the first page of a list says so in its language.
    let alias = s.read("fr/improvements/page/1/index.html");
    assert!(alias.contains("Cette page a été déplacée."), "{alias}");
    // A screen for every language names the other language's side of it, which is built too.
    let both = json(&s, "lobby/both/data.json");
    assert_eq!(both["language"], "en");
    assert_eq!(
        both["also"],
        serde_json::json!({ "fr": "/customers/fr/lobby/both/" })
    );
    assert_eq!(json(&s, "fr/lobby/both/data.json")["language"], "fr");
    // A single-language portal's screens are untouched.
    let one = TestSite::minimal();
    one.write(
        "site.toml",
        &format!(
            "{}\n[[lobby.screens]]\nname = \"hall\"\nlanguage = \"all\"\n",
            crate::support::SITE_TOML
        ),
    );
    one.build_ok(TODAY);
    assert!(json(&one, "lobby/hall/data.json").get("also").is_none());
}

/// The slides of a lobby page as the browser shows them (the `words` scenario), at 14:30 in
/// the portal's zone.
fn slides(s: &TestSite, page: &str) -> Vec<serde_json::Value> {
    let public = s.public();
    let r = crate::support::node_json(
        "lobby.mjs",
        &[
            "words",
            public.to_str().expect("utf-8"),
            "/customers/",
            page,
            "2026-11-23T20:30:00Z",
            "90",
        ],
    );
    for key in ["pageErrors", "consoleErrors", "external"] {
        assert_eq!(r[key], serde_json::json!([]), "{page} {key}: {}", r[key]);
    }
    r["slides"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_french_screen_speaks_french_and_a_screen_for_all_rotates_both() {
    if !crate::support::browser_ready() {
        return;
    }
    let s = with_screens();
    let hall = slides(&s, "fr/lobby/hall/");
    let shown: Vec<&serde_json::Value> = hall.iter().filter(|x| x["kicker"] != "").collect();
    assert!(shown.len() >= 2, "{hall:?}");
    for x in &shown {
        assert_eq!(x["lang"], "fr", "{x}");
        assert!(
            x["time"].as_str().is_some_and(|t| t.starts_with("14:3")),
            "{x}"
        );
        assert_eq!(x["date"], "lundi 23 novembre 2026", "{x}");
    }
    let kickers: Vec<&str> = shown.iter().filter_map(|x| x["kicker"].as_str()).collect();
    assert!(kickers.contains(&"Mieux pour nos clients"), "{kickers:?}");
    let original = shown
        .iter()
        .find(|x| x["title"] == "Refunds in two days")
        .unwrap_or_else(|| panic!("the untranslated item is shown: {hall:?}"));
    assert_eq!(original["titleLang"], "en", "{original}");

    let both = slides(&s, "lobby/both/");
    let french = both
        .iter()
        .find(|x| x["title"] == "Des factures lisibles")
        .unwrap_or_else(|| panic!("the French side is in the rotation: {both:?}"));
    assert_eq!(french["lang"], "fr");
    assert_eq!(french["kicker"], "Mieux pour nos clients");
    assert!(
        french["time"]
            .as_str()
            .is_some_and(|t| t.starts_with("14:3")),
        "{french}"
    );
    assert_eq!(french["clockLang"], "fr");
    let english = both
        .iter()
        .find(|x| x["title"] == "Bills you can read")
        .unwrap_or_else(|| panic!("the English side is in the rotation: {both:?}"));
    assert_eq!(english["lang"], "en");
    assert_eq!(english["kicker"], "Better for customers");
    assert!(
        english["time"]
            .as_str()
            .is_some_and(|t| t.starts_with("2:3") && t.ends_with("PM")),
        "{english}"
    );
    assert_eq!(english["date"], "Monday, November 23, 2026");
    // What the French side shows untranslated is shown once, in English.
    let refunds = both
        .iter()
        .filter(|x| x["title"] == "Refunds in two days")
        .count();
    assert!(refunds >= 1, "{both:?}");
    assert!(
        both.iter().all(|x| !x["slide"]
            .as_str()
            .unwrap_or("")
            .contains("fr:improvements/faster-refunds")),
        "{both:?}"
    );
}

#[test]
fn each_bundled_language_shows_its_lobby_slides_clock_and_date() {
    if !crate::support::browser_ready() {
        return;
    }
    for (lang, kicker, date) in [
        (
            "de",
            "Besser für unsere Kunden",
            "Montag, 23. November 2026",
        ),
        (
            "es",
            "Mejor para los clientes",
            "lunes, 23 de noviembre de 2026",
        ),
    ] {
        let s = example_in(lang);
        let shown = slides(&s, "lobby/");
        let x = shown
            .iter()
            .find(|x| x["kicker"] == kicker)
            .unwrap_or_else(|| panic!("{lang}: no {kicker:?} slide in {shown:?}"));
        assert_eq!(x["lang"], lang);
        assert!(
            x["time"].as_str().is_some_and(|t| t.starts_with("14:3")),
            "{lang}: a 24-hour clock: {x}"
        );
        assert_eq!(x["date"], date);
    }
}
