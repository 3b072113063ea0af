//! The keys of site.toml, described as the kinds' are: the unknown-key check of
//! [`crate::load::config`] and `herald schema` read them here.

use super::{Field, Source, Type, default, example, field, from, required};

const MARKDOWN: [Field; 1] = [example(
    default(
        field(
            "unsafe_html",
            Type::Bool,
            "Keep raw HTML",
            "Raw HTML in Markdown is cleaned unless this is true; for trusted authors only.",
        ),
        "false",
    ),
    "false",
)];

const LETTER: [Field; 2] = [
    example(
        field(
            "signer",
            Type::Text,
            "Who signs the letter",
            "The name under the quarterly letter to customers.",
        ),
        "\"Dana Whitfield\"",
    ),
    example(
        field("role", Type::Text, "Their role", "The signer's role."),
        "\"Chief Executive\"",
    ),
];

const SCREEN: [Field; 4] = [
    required(example(
        field(
            "name",
            Type::Text,
            "Screen name",
            "Lower-case letters, digits and -; the screen is /lobby/NAME/.",
        ),
        "\"reception\"",
    )),
    example(
        field(
            "kinds",
            Type::Texts { min: 0 },
            "What it shows",
            "Any of improvement, recognition, milestone and metric; empty for all.",
        ),
        "[\"improvement\", \"recognition\"]",
    ),
    example(
        from(
            field(
                "teams",
                Type::Texts { min: 0 },
                "Whose items",
                "The teams whose items it shows; empty for every team.",
            ),
            Source::Teams,
        ),
        "[]",
    ),
    example(
        field(
            "language",
            Type::Text,
            "Language",
            "The language of its slides: the main language when left out, a code of [languages], or all to rotate every language.",
        ),
        "\"fr\"",
    ),
];

const LOBBY: [Field; 5] = [
    example(
        default(
            field(
                "slide_seconds",
                Type::Number,
                "Seconds a slide shows",
                "How long each slide stays on a screen.",
            ),
            "12",
        ),
        "12",
    ),
    example(
        default(
            field(
                "max_age_days",
                Type::Number,
                "Oldest item in days",
                "Items older than this leave the screens.",
            ),
            "90",
        ),
        "90",
    ),
    example(
        default(
            field(
                "check_seconds",
                Type::Number,
                "Seconds between checks",
                "How often a screen looks for a newly published build.",
            ),
            "60",
        ),
        "60",
    ),
    example(
        default(
            field(
                "reload_hours",
                Type::Number,
                "Hours between reloads",
                "A full page reload, to keep week-long browsers healthy.",
            ),
            "24",
        ),
        "24",
    ),
    field(
        "screens",
        Type::Tables(&SCREEN),
        "Lobby screens",
        "None given is one screen named lobby.",
    ),
];

/// The keys of one `[languages.CODE]` table.
const LANGUAGE: [Field; 5] = [
    example(
        field(
            "title",
            Type::Text,
            "Title in this language",
            "The portal's name for readers of this language; the main title when left out.",
        ),
        "\"Portail clients\"",
    ),
    example(
        field(
            "description",
            Type::Text,
            "Description in this language",
            "One line about the portal in this language.",
        ),
        "\"Ce que nous avons changé pour nos clients\"",
    ),
    field(
        "letter",
        Type::Table(&LETTER),
        "Quarterly letter",
        "Who signs the letter in this language; the main [letter] when left out.",
    ),
    example(
        field(
            "teams",
            Type::Words,
            "Team names",
            "Team names in this language, by their name in site.toml; addresses keep the original name.",
        ),
        "{ Billing = \"Facturation\" }",
    ),
    example(
        field(
            "phases",
            Type::Words,
            "Roadmap phases",
            "Roadmap phase names in this language, by the name the milestones give.",
        ),
        "{ \"Quick wins\" = \"Gains rapides\" }",
    ),
];

/// Every key of site.toml, in the order messages list them: what the unknown-key check of
/// [`crate::load::config`] accepts and `herald schema` describes. A test there checks it
/// against the keys the reader (serde) takes, and their defaults.
pub const SITE: [Field; 13] = [
    required(example(
        field(
            "title",
            Type::Text,
            "Portal name",
            "At the top of every page and in the feeds.",
        ),
        "\"Customer Promise\"",
    )),
    required(example(
        field(
            "base_url",
            Type::Text,
            "Address",
            "Where the site is published, with its sub-path, starting with http:// or https://.",
        ),
        "\"https://intranet.example.com/customers/\"",
    )),
    example(
        default(
            field(
                "description",
                Type::Text,
                "About the portal",
                "One line for the home page and the feeds.",
            ),
            "\"\"",
        ),
        "\"What we changed for customers, and who did it\"",
    ),
    example(
        default(
            field(
                "language",
                Type::Text,
                "Language",
                "The language code of the content, such as en, fr or de.",
            ),
            "\"en\"",
        ),
        "\"en\"",
    ),
    example(
        default(
            field(
                "timezone",
                Type::Text,
                "Time zone",
                "An IANA name such as America/Chicago; it decides what today is.",
            ),
            "\"UTC\"",
        ),
        "\"America/Chicago\"",
    ),
    example(
        default(
            field(
                "theme",
                Type::Text,
                "Theme",
                "themes/NAME/ beside site.toml, else the theme built into herald.",
            ),
            "\"default\"",
        ),
        "\"default\"",
    ),
    example(
        from(
            field(
                "teams",
                Type::Texts { min: 0 },
                "Teams",
                "The departments; when set, any other team name in content is an error.",
            ),
            Source::Teams,
        ),
        "[\"Billing\", \"Customer Care\"]",
    ),
    example(
        default(
            field(
                "paginate",
                Type::Number,
                "Entries a page",
                "Entries on each page of a list; at least 1.",
            ),
            "10",
        ),
        "10",
    ),
    example(
        default(
            field(
                "feed_limit",
                Type::Number,
                "Items in a feed",
                "Items in each Atom feed, newest first; 0 for every item.",
            ),
            "100",
        ),
        "100",
    ),
    field(
        "markdown",
        Type::Table(&MARKDOWN),
        "Markdown",
        "How Markdown is turned into pages.",
    ),
    field(
        "letter",
        Type::Table(&LETTER),
        "Quarterly letter",
        "Who signs the quarterly letter to customers.",
    ),
    field(
        "lobby",
        Type::Table(&LOBBY),
        "Lobby screens",
        "The screens in reception and how they show items.",
    ),
    field(
        "languages",
        Type::Named(&LANGUAGE),
        "Other languages",
        "One table per further language, by its code: [languages.fr]. Its pages live under /fr/.",
    ),
];
