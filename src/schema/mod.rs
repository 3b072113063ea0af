//! The one description of herald's content: every kind, its keys, their types, which are
//! required, their allowed values and what they refer to, with the plain words an author reads
//! (a label, a line of help) and the example `herald new` writes.
//!
//! It describes site.toml ([`SITE`]) and data/metrics.toml ([`METRICS_FILE`]) the same way.
//!
//! Everything that knows the keys is derived from this: the front matter reader in
//! [`crate::load::content`] asks it which keys a table has, which are required and which values
//! a choice allows; `herald new` ([`crate::scaffold::new_file`]) writes its files from it;
//! `herald schema` turns it into JSON Schema; and the studio
//! ([`crate::studio`]) builds its forms from it. There is no second list to drift.

pub mod json;
mod metrics;
mod site;

pub use metrics::METRICS_FILE;
pub use site::SITE;

/// What a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// One line of text.
    Text,
    /// Text that may run over lines (a summary, a quote).
    LongText,
    /// A calendar date, `2026-03-14`.
    Date,
    /// A date, or a date and time with or without an offset.
    Moment,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A number, or short text as people say it (`"1 in 3"`), at most `max` characters.
    Figure {
        /// The most characters text may have.
        max: usize,
    },
    /// A list of text values, at least `min` of them when present.
    Texts {
        /// The fewest items.
        min: usize,
    },
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// A sub-table (`[metric]`) with these keys.
    Table(&'static [Field]),
    /// A list of tables (`[[tasks]]`), each with these keys.
    Tables(&'static [Field]),
    /// A table of names the author chooses, each a number (`reasons = { price = 120 }`).
    Numbers,
    /// A table of names the author chooses, each text (`teams = { Billing = "Facturation" }`).
    Words,
    /// Tables by a name the author chooses (`[languages.fr]`), each with these keys.
    Named(&'static [Field]),
}

/// Whether a key must be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// Always.
    Yes,
    /// Never.
    No,
    /// Unless the table's key named here holds text: `better` is needed only when both of an
    /// improvement metric's figures are numbers.
    UnlessText(&'static [&'static str]),
}

/// Where the values of a key come from, beyond what the author types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Anything the author types.
    Free,
    /// The team names of site.toml `[[teams]]`.
    Teams,
    /// The portal's tags (any new one is fine).
    Tags,
    /// The lobby screens of site.toml.
    Screens,
    /// The file name (slug) of another item of this kind.
    Entry(&'static str),
    /// A file beside the item or under `static/`.
    File,
}

/// One key of a kind's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The TOML key.
    pub key: &'static str,
    /// What it holds.
    pub ty: Type,
    /// Whether it must be there.
    pub required: Required,
    /// Where its values come from.
    pub source: Source,
    /// The value when the key is left out, as TOML (`true`), if it has one.
    pub default: Option<&'static str>,
    /// The label an author reads: a question or a short name, never TOML.
    pub label: &'static str,
    /// One line of help in plain words.
    pub help: &'static str,
    /// The example value `herald new` writes, as TOML; `{today}`, `{tomorrow}` and `{team}`
    /// stand for the day and the portal's first team.
    pub example: &'static str,
    /// Whether `herald new` writes the key active (else as a comment to fill in).
    pub in_new: bool,
}

impl Field {
    /// Whether the key is always required.
    pub fn is_required(&self) -> bool {
        self.required == Required::Yes
    }

    /// The keys of a table or list of tables; empty for other types.
    pub fn children(&self) -> &'static [Field] {
        match self.ty {
            Type::Table(f) | Type::Tables(f) | Type::Named(f) => f,
            _ => &[],
        }
    }

    /// The allowed values of a choice; empty for other types.
    pub fn choices(&self) -> &'static [&'static str] {
        match self.ty {
            Type::Choice(c) => c,
            _ => &[],
        }
    }
}

/// One kind of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSchema {
    /// The kind's name (`improvement`).
    pub name: &'static str,
    /// The folder under `content/` (`improvements`; empty for pages).
    pub section: &'static str,
    /// The kind with its article, for messages ("an improvement").
    pub what: &'static str,
    /// What the kind is, for an author choosing one.
    pub about: &'static str,
    /// The placeholder body of a new file.
    pub body: &'static str,
    /// Every key, in the order a new file lists them: the kind's own first, then the common
    /// keys ([`COMMON`]).
    pub fields: &'static [Field],
}

impl KindSchema {
    /// The field of `key` (kind's own or common).
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// A field with every default filled in: not required, free text, no default, the example
/// `"..."`, commented in a new file. Every description here starts from it.
pub const fn field(key: &'static str, ty: Type, label: &'static str, help: &'static str) -> Field {
    Field {
        key,
        ty,
        required: Required::No,
        source: Source::Free,
        default: None,
        label,
        help,
        example: "\"...\"",
        in_new: false,
    }
}

/// `f`, required and so written active by `herald new`.
pub const fn required(mut f: Field) -> Field {
    f.required = Required::Yes;
    f.in_new = true;
    f
}

/// `f`, its values from `source`.
pub const fn from(mut f: Field, source: Source) -> Field {
    f.source = source;
    f
}

/// `f` with the example `herald new` writes, as TOML.
pub const fn example(mut f: Field, example: &'static str) -> Field {
    f.example = example;
    f
}

/// `f` with the value it has when left out, as TOML.
pub const fn default(mut f: Field, value: &'static str) -> Field {
    f.default = Some(value);
    f
}

const TITLE: Field = required(example(
    field(
        "title",
        Type::Text,
        "Title",
        "A short headline that says what changed for customers.",
    ),
    "\"...\"",
));
const SUMMARY: Field = field(
    "summary",
    Type::LongText,
    "Summary",
    "One sentence for lists, feeds and the email; without it the first paragraph is used.",
);
const TAGS: Field = example(
    from(
        field(
            "tags",
            Type::Texts { min: 0 },
            "Tags",
            "Words readers can browse by, such as billing or onboarding.",
        ),
        Source::Tags,
    ),
    "[\"billing\"]",
);
const DRAFT: Field = example(
    default(
        field(
            "draft",
            Type::Bool,
            "Draft (not published yet)",
            "A draft is kept out of the site until it is published.",
        ),
        "false",
    ),
    "false",
);
const IMAGE: Field = example(
    from(
        field(
            "image",
            Type::Text,
            "Picture",
            "A photo beside this file, or under static/; shown on the page and the lobby screens.",
        ),
        Source::File,
    ),
    "\"photo.jpg\"",
);
const IMAGE_ALT: Field = example(
    field(
        "image_alt",
        Type::Text,
        "What the picture shows",
        "Read out to people who cannot see it; needed whenever there is a picture.",
    ),
    "\"What the photo shows\"",
);

/// The keys every kind has, after its own.
pub const COMMON: [Field; 5] = [SUMMARY, TAGS, DRAFT, IMAGE, IMAGE_ALT];

const LOBBY: Field = example(
    default(
        field(
            "lobby",
            Type::Bool,
            "Show on the lobby screens",
            "Whether the screens in reception show it; it is on unless turned off.",
        ),
        "true",
    ),
    "true",
);
const LOBBY_FROM: Field = example(
    field(
        "lobby_from",
        Type::Date,
        "On the screens from",
        "The first day the lobby screens show it; empty is from its date.",
    ),
    "{today}",
);
const LOBBY_UNTIL: Field = example(
    field(
        "lobby_until",
        Type::Date,
        "On the screens until",
        "The last day the lobby screens show it; empty is as long as the screen shows items.",
    ),
    "{today}",
);

/// The ways a number can be better.
pub const BETTER: [&str; 2] = ["lower", "higher"];

/// The longest text an improvement's `before` or `after` may be: it is shown big, beside the
/// other one, on pages, cards and lobby screens.
pub const FIGURE_TEXT_MAX: usize = 40;

const IMPROVEMENT_METRIC: [Field; 5] = [
    required(example(
        field(
            "name",
            Type::Text,
            "What was measured",
            "For example: Days to a refund, or Customers who call twice.",
        ),
        "\"Days to refund\"",
    )),
    required(example(
        field(
            "before",
            Type::Figure {
                max: FIGURE_TEXT_MAX,
            },
            "Before",
            "A number, or short words as people say them, such as 1 in 3.",
        ),
        "10",
    )),
    required(example(
        field(
            "after",
            Type::Figure {
                max: FIGURE_TEXT_MAX,
            },
            "After",
            "A number, or short words as people say them, such as 4 in 5.",
        ),
        "2",
    )),
    example(
        field(
            "unit",
            Type::Text,
            "Unit",
            "What the numbers count, such as days or %; words are shown as written.",
        ),
        "\"days\"",
    ),
    Field {
        required: Required::UnlessText(&["before", "after"]),
        in_new: true,
        ..example(
            field(
                "better",
                Type::Choice(&BETTER),
                "Which way is better",
                "Lower for waiting times, higher for satisfaction; needed when both are numbers.",
            ),
            "\"lower\"",
        )
    },
];

const QUOTE: [Field; 2] = [
    required(example(
        field(
            "text",
            Type::LongText,
            "What the customer said",
            "Their own words, as they said them.",
        ),
        "\"What a customer said\"",
    )),
    required(example(
        field(
            "by",
            Type::Text,
            "Who said it",
            "A name and something about them, such as customer since 2019.",
        ),
        "\"Name, customer since 2019\"",
    )),
];

const IMPROVEMENT: [Field; 17] = [
    TITLE,
    required(example(
        field(
            "date",
            Type::Date,
            "When did customers get this?",
            "The day the change reached customers.",
        ),
        "{today}",
    )),
    required(example(
        from(
            field(
                "teams",
                Type::Texts { min: 1 },
                "Teams that made it",
                "One or more of the portal's teams.",
            ),
            Source::Teams,
        ),
        "[{team}]",
    )),
    example(
        field("owner", Type::Text, "Who led it", "A person's name."),
        "\"Who led it\"",
    ),
    example(
        field(
            "customers",
            Type::Text,
            "Which customers benefit",
            "For example: all prepaid customers.",
        ),
        "\"all prepaid customers\"",
    ),
    example(
        from(
            field(
                "milestone",
                Type::Text,
                "Roadmap milestone it delivers",
                "The milestone on the roadmap that this change completes or moves on.",
            ),
            Source::Entry("milestone"),
        ),
        "\"a-milestone-file-name\"",
    ),
    LOBBY,
    LOBBY_FROM,
    LOBBY_UNTIL,
    example(
        default(
            field(
                "letter",
                Type::Bool,
                "In the quarterly letter to customers",
                "Whether the quarterly letter includes it; it is on unless turned off.",
            ),
            "true",
        ),
        "true",
    ),
    field(
        "metric",
        Type::Table(&IMPROVEMENT_METRIC),
        "What it moved",
        "A measure before and after the change.",
    ),
    field(
        "quote",
        Type::Table(&QUOTE),
        "A customer's words",
        "Something a customer said about it.",
    ),
    SUMMARY,
    TAGS,
    DRAFT,
    IMAGE,
    IMAGE_ALT,
];

/// A milestone's statuses, in roadmap order.
pub const STATUSES: [&str; 5] = ["planned", "in-progress", "at-risk", "done", "dropped"];

const TASK: [Field; 5] = [
    required(example(
        from(
            field("team", Type::Text, "Team", "The team that owes this task."),
            Source::Teams,
        ),
        "{team}",
    )),
    required(example(
        field("task", Type::Text, "Task", "What this team will do."),
        "\"What this team will do\"",
    )),
    example(
        field("due", Type::Date, "Due", "The day it should be finished."),
        "{today}",
    ),
    example(
        field(
            "done",
            Type::Bool,
            "Done",
            "Whether it is finished; a done-on day says so too.",
        ),
        "true",
    ),
    example(
        field(
            "done_on",
            Type::Date,
            "Done on",
            "The day it was finished; leave empty while it is open.",
        ),
        "{today}",
    ),
];

const MILESTONE_METRIC: [Field; 5] = [
    required(example(
        field(
            "name",
            Type::Text,
            "What is measured",
            "How success is measured.",
        ),
        "\"How success is measured\"",
    )),
    example(
        field("baseline", Type::Number, "Where it started", "A number."),
        "0",
    ),
    example(
        field("target", Type::Number, "Where it should get", "A number."),
        "100",
    ),
    example(
        field("current", Type::Number, "Where it is now", "A number."),
        "0",
    ),
    example(
        field(
            "unit",
            Type::Text,
            "Unit",
            "What the numbers count, such as %.",
        ),
        "\"%\"",
    ),
];

const MILESTONE: [Field; 14] = [
    TITLE,
    required(example(
        field(
            "phase",
            Type::Text,
            "Roadmap phase",
            "The part of the programme it belongs to, such as Year 1 — Listen.",
        ),
        "\"Year 1 — Listen\"",
    )),
    required(example(
        field(
            "target",
            Type::Date,
            "When is it due?",
            "The day it should be delivered.",
        ),
        "{today}",
    )),
    required(example(
        field(
            "status",
            Type::Choice(&STATUSES),
            "Status",
            "Where it stands; done needs the day it was done.",
        ),
        "\"planned\"",
    )),
    required(example(
        from(
            field(
                "owner",
                Type::Text,
                "Accountable team",
                "The one team that answers for it.",
            ),
            Source::Teams,
        ),
        "{team}",
    )),
    example(
        field(
            "done_on",
            Type::Date,
            "Done on",
            "The day it was delivered, when the status is done.",
        ),
        "{today}",
    ),
    example(
        from(
            field(
                "teams",
                Type::Texts { min: 0 },
                "Contributing teams",
                "Other teams that help.",
            ),
            Source::Teams,
        ),
        "[{team}]",
    ),
    field(
        "tasks",
        Type::Tables(&TASK),
        "Who does what by when",
        "One row per team task.",
    ),
    field(
        "metric",
        Type::Table(&MILESTONE_METRIC),
        "How success is measured",
        "A measure with where it started, where it should get and where it is.",
    ),
    SUMMARY,
    TAGS,
    DRAFT,
    IMAGE,
    IMAGE_ALT,
];

const RECOGNITION: [Field; 14] = [
    TITLE,
    required(example(
        field(
            "date",
            Type::Date,
            "When were they thanked?",
            "The day of the recognition.",
        ),
        "{today}",
    )),
    required(example(
        field(
            "people",
            Type::Texts { min: 1 },
            "Who is thanked",
            "One or more names.",
        ),
        "[\"Name Surname\"]",
    )),
    example(
        from(
            field("team", Type::Text, "Their team", "The team they work in."),
            Source::Teams,
        ),
        "{team}",
    ),
    example(
        field(
            "award",
            Type::Text,
            "Award",
            "The name of the award, if any.",
        ),
        "\"Customer Champion\"",
    ),
    example(
        from(
            field(
                "for",
                Type::Text,
                "For which improvement",
                "The improvement their work made.",
            ),
            Source::Entry("improvement"),
        ),
        "\"an-improvement-file-name\"",
    ),
    LOBBY,
    LOBBY_FROM,
    LOBBY_UNTIL,
    SUMMARY,
    TAGS,
    DRAFT,
    IMAGE,
    IMAGE_ALT,
];

/// An announcement's levels.
pub const LEVELS: [&str; 3] = ["info", "celebrate", "urgent"];

const ANNOUNCEMENT: [Field; 10] = [
    TITLE,
    required(example(
        field(
            "from",
            Type::Moment,
            "Shown from",
            "A day, or a day and time such as 2026-03-14T09:00.",
        ),
        "{today}",
    )),
    required(example(
        field(
            "until",
            Type::Moment,
            "Shown until",
            "A day, or a day and time; it must be after the start.",
        ),
        "{tomorrow}",
    )),
    example(
        default(
            field(
                "level",
                Type::Choice(&LEVELS),
                "How loud",
                "info, celebrate, or urgent (shown at once on every screen).",
            ),
            "\"info\"",
        ),
        "\"info\"",
    ),
    example(
        from(
            field(
                "screens",
                Type::Texts { min: 0 },
                "Which lobby screens",
                "Leave empty for every screen.",
            ),
            Source::Screens,
        ),
        "[\"reception\"]",
    ),
    SUMMARY,
    TAGS,
    DRAFT,
    IMAGE,
    IMAGE_ALT,
];

const PAGE: [Field; 6] = [TITLE, SUMMARY, TAGS, DRAFT, IMAGE, IMAGE_ALT];

/// Every kind, in the order authors meet them.
pub const KINDS: [KindSchema; 5] = [
    KindSchema {
        name: "improvement",
        section: "improvements",
        what: "an improvement",
        about: "Something that changed for customers.",
        body: "What was wrong for customers, what changed, and how the teams did it.",
        fields: &IMPROVEMENT,
    },
    KindSchema {
        name: "milestone",
        section: "roadmap",
        what: "a milestone",
        about: "A step on the roadmap, with an owner, a due date and tasks.",
        body: "Why this step matters to customers.",
        fields: &MILESTONE,
    },
    KindSchema {
        name: "recognition",
        section: "recognitions",
        what: "a recognition",
        about: "People thanked for their work.",
        body: "What they did, and what it meant for customers.",
        fields: &RECOGNITION,
    },
    KindSchema {
        name: "announcement",
        section: "announcements",
        what: "an announcement",
        about: "A short notice for a while, on the site and the lobby screens.",
        body: "One or two sentences.",
        fields: &ANNOUNCEMENT,
    },
    KindSchema {
        name: "page",
        section: "",
        what: "a page",
        about: "Any other page, such as About.",
        body: "The page's text.",
        fields: &PAGE,
    },
];

/// The kind called `name`.
pub fn kind(name: &str) -> Option<&'static KindSchema> {
    KINDS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_required_title_first_and_unique_keys() {
        for k in &KINDS {
            assert_eq!(k.fields[0].key, "title", "{}", k.name);
            assert!(k.fields[0].is_required());
            let mut keys: Vec<&str> = k.fields.iter().map(|f| f.key).collect();
            keys.sort_unstable();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "{} has a key twice", k.name);
        }
    }

    #[test]
    fn labels_and_help_are_plain_words() {
        fn walk(fields: &[Field]) {
            for f in fields {
                for text in [f.label, f.help] {
                    assert!(!text.is_empty(), "{}", f.key);
                    assert!(
                        !text.contains(['=', '[', '"', '`']),
                        "{}: {text:?} reads like TOML",
                        f.key
                    );
                }
                walk(f.children());
            }
        }
        for k in &KINDS {
            walk(k.fields);
        }
    }
}
