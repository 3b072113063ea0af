//! Synthetic portals for benchmarks: [`generate`] writes a complete, valid site of any size.
//!
//! The site reads like a real customer programme at scale: improvements dated over five years,
//! a five-phase roadmap of milestones in every status with tasks per team, recognitions that
//! thank people for existing improvements, two plain pages and two years of metrics. Bodies are
//! Markdown of about 600 words with headings, lists, a table, a blockquote, emphasis and `@/`
//! links to other generated entries, built from a vocabulary of a few hundred customer-service
//! words so that no two pages are alike.
//!
//! The same `entries` and `seed` always write the same bytes (a SplitMix64 generator, no clock,
//! no hashing order). Every date is valid and no later than 2026-11-20, so a build with
//! `--today 2026-11-23` (what the `edit` benchmark uses) has zero errors and zero warnings.
//! `herald corpus DIR --entries N --seed S` is the command-line way in.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The fewest entries [`generate`] writes: enough for every phase and every status.
pub const MIN_ENTRIES: usize = 20;

/// Writes a site of `entries` content files into `dir`, which must be empty or not exist.
///
/// About 70 % of the files are improvements, 10 % milestones, 20 % recognitions, plus two plain
/// pages; `site.toml` and `data/metrics.toml` come with them. Fails with
/// [`io::ErrorKind::InvalidInput`] for fewer than [`MIN_ENTRIES`] entries and with
/// [`io::ErrorKind::AlreadyExists`] when `dir` is a file or a folder with anything in it.
pub fn generate(dir: &Path, entries: usize, seed: u64) -> io::Result<()> {
    if entries < MIN_ENTRIES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("a corpus needs at least {MIN_ENTRIES} entries, not {entries}"),
        ));
    }
    if dir.exists() {
        let not_empty = !dir.is_dir() || std::fs::read_dir(dir)?.next().is_some();
        if not_empty {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} already exists and is not an empty folder",
                    dir.display()
                ),
            ));
        }
    }
    for (rel, text) in files(entries, seed) {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    Ok(())
}

/// Every file of the corpus, relative to the site's folder, in the order they are made.
pub fn files(entries: usize, seed: u64) -> Vec<(PathBuf, String)> {
    Corpus::new(entries.max(MIN_ENTRIES), seed).write()
}

// ---------------------------------------------------------------------------------------------
// Randomness and dates

/// SplitMix64: small, fast and good enough for text; the same seed gives the same stream.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi` (`lo` when the range is empty).
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items`, which must not be empty.
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }

    /// `n` different items (all of them when there are fewer), in random order.
    fn distinct<'a>(&mut self, items: &[&'a str], n: usize) -> Vec<&'a str> {
        let mut pool: Vec<&str> = items.to_vec();
        let n = n.min(pool.len());
        for i in 0..n {
            let j = i + self.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(n);
        pool
    }
}

/// A calendar day, counted from 1970-01-01; always a valid date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Day(i64);

impl Day {
    /// The day of a civil date (Howard Hinnant's `days_from_civil`); `m` in 1..=12.
    fn ymd(y: i64, m: i64, d: i64) -> Day {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// The civil date of this day (`civil_from_days`): year, month 1..=12, day 1..=31.
    fn civil(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (
            if m <= 2 {
                yoe + era * 400 + 1
            } else {
                yoe + era * 400
            },
            m,
            d,
        )
    }

    fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    fn year(self) -> i64 {
        self.civil().0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// The first day an improvement can be dated.
fn first_day() -> Day {
    Day::ymd(2022, 1, 3)
}

/// The last day anything happens: a few days before the benchmark's `--today`.
fn last_day() -> Day {
    Day::ymd(2026, 11, 20)
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const TEAMS: [&str; 20] = [
    "Billing",
    "Customer Care",
    "Field Service",
    "Network Operations",
    "Digital",
    "IT",
    "Marketing",
    "Retention",
    "Finance",
    "Complaints",
    "Collections",
    "Sales",
    "Product",
    "Installations",
    "Quality",
    "Training",
    "Accessibility",
    "Small Business",
    "Legal",
    "Data and Analytics",
];

const TAGS: [&str; 50] = [
    "billing",
    "payments",
    "refunds",
    "phones",
    "chat",
    "digital",
    "app",
    "field",
    "installs",
    "repairs",
    "outages",
    "safety",
    "accessibility",
    "moving",
    "pricing",
    "contracts",
    "letters",
    "complaints",
    "retention",
    "small-business",
    "prepaid",
    "late-fees",
    "appointments",
    "wifi",
    "routers",
    "network",
    "storms",
    "surveys",
    "training",
    "callbacks",
    "self-service",
    "email",
    "texts",
    "privacy",
    "fraud",
    "older-customers",
    "language",
    "braille",
    "vulnerable-customers",
    "first-contact",
    "hold-times",
    "engineers",
    "depots",
    "scheduling",
    "credits",
    "direct-debit",
    "paperless",
    "welcome",
    "cancellations",
    "speed",
];

const FIRST_NAMES: [&str; 40] = [
    "Maria", "James", "Aisha", "Darnell", "Priya", "Tom", "Ines", "Ray", "Gloria", "Andre",
    "Kelly", "Sam", "Denise", "Harold", "Yolanda", "Aaron", "Marta", "Lena", "Omar", "Grace",
    "Hector", "Nadia", "Colin", "Rosa", "Wes", "Tamika", "Luis", "Joy", "Pete", "Mei", "Carlos",
    "Hannah", "Femi", "Rachel", "Dev", "Ellen", "Tariq", "Bonnie", "Kurt", "Sofia",
];

const LAST_NAMES: [&str; 40] = [
    "Okafor",
    "Delgado",
    "Moreno",
    "Whitaker",
    "Raman",
    "Reyes",
    "Whitehorse",
    "Brandt",
    "Nguyen",
    "Patel",
    "Johnson",
    "Garcia",
    "Walker",
    "Kim",
    "Lopez",
    "Baker",
    "Turner",
    "Haddad",
    "Murphy",
    "Schmidt",
    "Yazzie",
    "Okonkwo",
    "Hale",
    "Castillo",
    "Fischer",
    "Ortiz",
    "Bennett",
    "Chen",
    "Sullivan",
    "Kowalski",
    "Adeyemi",
    "Romero",
    "Price",
    "Lindqvist",
    "Herrera",
    "Mahoney",
    "Tran",
    "Greene",
    "Abbott",
    "Silva",
];

const TOWNS: [&str; 16] = [
    "Tulsa",
    "Norman",
    "Wichita",
    "Enid",
    "Lawton",
    "Muskogee",
    "Stillwater",
    "Amarillo",
    "Salina",
    "Topeka",
    "Denton",
    "Abilene",
    "Ponca City",
    "Ardmore",
    "Shawnee",
    "Hutchinson",
];

/// Plural subjects, so that they agree with both tenses.
const SUBJECTS: [&str; 26] = [
    "customers",
    "agents",
    "technicians",
    "team leaders",
    "callers",
    "small businesses",
    "older customers",
    "new customers",
    "field engineers",
    "supervisors",
    "prepaid customers",
    "renters",
    "landlords",
    "families",
    "students",
    "night-shift agents",
    "billing specialists",
    "depot managers",
    "installers",
    "retention advisers",
    "chat advisers",
    "complaint handlers",
    "apprentices",
    "volunteers",
    "shop staff",
    "account managers",
];

const VERBS_PAST: [&str; 30] = [
    "waited for",
    "asked about",
    "complained about",
    "struggled with",
    "chased",
    "misread",
    "paid twice for",
    "rebooked",
    "reported",
    "cancelled",
    "queried",
    "disputed",
    "escalated",
    "praised",
    "noticed",
    "tracked",
    "requested",
    "lost track of",
    "repeated",
    "explained",
    "missed",
    "found",
    "fixed",
    "checked",
    "rewrote",
    "simplified",
    "measured",
    "tested",
    "replaced",
    "reviewed",
];

const VERBS_PRESENT: [&str; 22] = [
    "get",
    "see",
    "choose",
    "receive",
    "change",
    "book",
    "track",
    "confirm",
    "share",
    "review",
    "fix",
    "check",
    "explain",
    "settle",
    "answer",
    "handle",
    "approve",
    "schedule",
    "update",
    "close",
    "follow",
    "understand",
];

const OBJECTS: [&str; 44] = [
    "the first bill",
    "a missed appointment",
    "the late fee",
    "a refund cheque",
    "the router",
    "an outage",
    "the hold queue",
    "a second visit",
    "the installation",
    "a price rise",
    "the welcome letter",
    "their due date",
    "a duplicate charge",
    "the app",
    "the payment plan",
    "the contract",
    "the complaint",
    "the estimated wait",
    "the text reminder",
    "the engineer's arrival time",
    "the account number",
    "the direct debit",
    "the final bill",
    "the moving date",
    "the outage map",
    "the credit",
    "the survey",
    "the chat transcript",
    "the callback",
    "the repair ticket",
    "the line test",
    "the paper statement",
    "the discount",
    "the promotion",
    "the braille statement",
    "the password reset",
    "the service visit",
    "the broadband speed",
    "the home hub",
    "the Wi-Fi signal",
    "the cancellation form",
    "the price notice",
    "the meter reading",
    "the deposit",
];

const WHEN: [&str; 24] = [
    "every Monday",
    "within an hour",
    "on the first call",
    "before the weekend",
    "in the evening",
    "during storms",
    "after a move",
    "at the end of the month",
    "over the holidays",
    "the same day",
    "within two working days",
    "before the engineer arrived",
    "while still on the phone",
    "in the first week",
    "at the busiest times",
    "on a Saturday morning",
    "after the price change",
    "during the pilot",
    "before the bill was printed",
    "without a second call",
    "in the spring",
    "by the next morning",
    "at every depot",
    "from the first day",
];

const ADJECTIVES: [&str; 30] = [
    "confusing",
    "slow",
    "late",
    "clear",
    "simple",
    "fair",
    "reliable",
    "friendly",
    "short",
    "honest",
    "patient",
    "careful",
    "quick",
    "plain",
    "personal",
    "predictable",
    "accurate",
    "calm",
    "visible",
    "consistent",
    "generous",
    "painful",
    "frustrating",
    "avoidable",
    "expensive",
    "awkward",
    "unclear",
    "useful",
    "practical",
    "overdue",
];

const COUNTED: [&str; 16] = [
    "customers",
    "calls",
    "complaints",
    "visits",
    "bills",
    "refunds",
    "appointments",
    "households",
    "letters",
    "chats",
    "emails",
    "tickets",
    "repairs",
    "installs",
    "cases",
    "payments",
];

const CONNECTORS: [&str; 9] = [
    "Because", "When", "Although", "After", "Before", "Until", "Once", "While", "Since",
];

const WEEKDAYS: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const AWARDS: [&str; 6] = [
    "Customer Champion",
    "Above and Beyond",
    "Team of the Quarter",
    "Fix It First",
    "Promise Keeper",
    "Listening Award",
];

/// Improvement metrics: name, unit, which way is better, and a typical starting range.
const METRICS: [(&str, &str, &str, i64, i64); 12] = [
    ("Days to receive a refund", "days", "lower", 6, 14),
    ("Installs needing a second visit", "%", "lower", 9, 20),
    ("First-call resolution", "%", "higher", 50, 70),
    ("Longest wait on hold", "minutes", "lower", 15, 45),
    ("Survey score after a visit", "out of 10", "higher", 5, 7),
    ("Complaints a month", "complaints", "lower", 150, 600),
    ("Bills paid on time", "%", "higher", 70, 85),
    ("Abandoned calls", "%", "lower", 8, 20),
    ("Repairs fixed on the first visit", "%", "higher", 60, 75),
    ("Customers using the app", "%", "higher", 20, 45),
    ("Days to fix a billing error", "days", "lower", 5, 12),
    ("Repeat calls about the same problem", "%", "lower", 18, 35),
];

const PHASES: [&str; 5] = [
    "Year 1 — Listen",
    "Year 2 — Fix the basics",
    "Year 3 — Make it easy",
    "Year 4 — Get ahead",
    "Year 5 — Keep the promise",
];

/// The first calendar year of the roadmap (phase 1).
const ROADMAP_START: i64 = 2023;

const CUSTOMERS: [&str; 12] = [
    "every customer who calls about a bill",
    "all prepaid customers",
    "small businesses on monthly plans",
    "customers moving home",
    "customers registered as medically dependent on their connection",
    "new customers in their first 90 days",
    "customers on payment plans",
    "everyone who books a repair",
    "customers who read their bill on paper",
    "customers who chat with us in the app",
    "renters and landlords",
    "customers who need their bill in another format",
];

const SECTION_WRONG: [&str; 3] = ["What was wrong", "Why it mattered", "The problem"];
const SECTION_CHANGED: [&str; 3] = ["What changed", "What customers see now", "The change"];
const SECTION_HOW: [&str; 3] = ["How we did it", "How the teams did it", "Behind the scenes"];
const SECTION_NUMBERS: [&str; 3] = ["The numbers", "Before and after", "What moved"];
const SECTION_RESULT: [&str; 3] = ["The result", "What happened next", "Results so far"];
const SECTION_WHY: [&str; 3] = [
    "Why this step",
    "What customers told us",
    "Where this started",
];
const SECTION_WHO: [&str; 3] = ["Who does what", "The commitments", "Each team's part"];
const SECTION_WHERE: [&str; 3] = ["Where it stands", "Progress so far", "What is left"];

// ---------------------------------------------------------------------------------------------
// Text

/// `s` with its first letter in upper case.
fn cap(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML array of strings on one line.
fn toml_list(items: &[&str]) -> String {
    let parts: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// The slug of a title: lower-case ASCII words joined by `-`.
fn slugify(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

/// Wraps a paragraph at about 96 columns, the way authors' editors do.
fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.len() > 96 {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// A thousands-separated number, as the example content writes them.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES))
}

/// One sentence of customer-service prose.
fn sentence(rng: &mut Rng) -> String {
    let subj = rng.pick(&SUBJECTS);
    let subj2 = rng.pick(&SUBJECTS);
    let obj = rng.pick(&OBJECTS);
    let obj2 = rng.pick(&OBJECTS);
    let when = rng.pick(&WHEN);
    let adj = rng.pick(&ADJECTIVES);
    let adj2 = rng.pick(&ADJECTIVES);
    let vp = rng.pick(&VERBS_PAST);
    let vp2 = rng.pick(&VERBS_PAST);
    let vn = rng.pick(&VERBS_PRESENT);
    let vn2 = rng.pick(&VERBS_PRESENT);
    let counted = rng.pick(&COUNTED);
    let town = rng.pick(&TOWNS);
    match rng.below(12) {
        0 => format!("{} {vp} {obj} {when}.", cap(subj)),
        1 => format!(
            "{} {subj} {vp} {obj}, {subj2} {vp2} {obj2}.",
            rng.pick(&CONNECTORS)
        ),
        2 => format!(
            "In {town}, {} {counted} {vp} {obj} {when}.",
            thousands(rng.between(40, 9_000))
        ),
        3 => format!("That made {obj} {adj} for {subj}, and {obj2} {adj2} for {subj2}."),
        4 => format!("Now {subj} {vn} {obj} {when}, so {subj2} no longer {vn2} {obj2}."),
        5 => format!(
            "The *{adj}* part was {obj}: {} % of {counted} {vp} it {when}.",
            rng.between(3, 60)
        ),
        6 => format!(
            "**{}** {counted} a month used to involve {obj}, which {subj} called {adj}.",
            thousands(rng.between(120, 40_000))
        ),
        7 => format!("We asked {subj} what to change first, and most of them named {obj}."),
        8 => format!(
            "{} in {town} {vp} {obj} {when}, which was {adj} and {adj2}.",
            cap(subj)
        ),
        9 => format!("It is a small change, but {obj} is now {adj} {when}."),
        10 => format!(
            "Across {} {counted}, {} % were about {obj}, and {subj} {vp} {obj2} {when}.",
            thousands(rng.between(300, 60_000)),
            rng.between(4, 70)
        ),
        _ => format!(
            "{} {vn} {obj} {when}, and {subj2} {vn2} {obj2} without being asked.",
            cap(subj)
        ),
    }
}

/// A paragraph of `n` sentences, wrapped.
fn paragraph(rng: &mut Rng, n: usize) -> String {
    let sentences: Vec<String> = (0..n).map(|_| sentence(rng)).collect();
    wrap(&sentences.join(" "))
}

/// A customer's words, for a `[quote]` or a blockquote.
fn customer_words(rng: &mut Rng) -> String {
    let obj = rng.pick(&OBJECTS);
    let adj = rng.pick(&ADJECTIVES);
    let adj2 = rng.pick(&ADJECTIVES);
    match rng.below(5) {
        0 => format!(
            "I {} {obj} on a {} and it was sorted by {}.",
            rng.pick(&VERBS_PAST),
            rng.pick(&WEEKDAYS),
            rng.pick(&WEEKDAYS)
        ),
        1 => format!("Nobody made me explain it twice, and {obj} was {adj} for once."),
        2 => format!(
            "{} used to be {adj}. Now it's {adj2}, and I didn't have to ask.",
            cap(obj)
        ),
        3 => format!("The agent fixed {obj} while I was still on the phone. That felt {adj}."),
        _ => format!(
            "I've been with you {} years and this is the first time {obj} felt {adj}.",
            rng.between(2, 25)
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus

struct ImprovementPlan {
    slug: String,
    title: String,
    date: Day,
    teams: Vec<&'static str>,
    milestone: Option<usize>,
}

struct MilestonePlan {
    slug: String,
    title: String,
    phase: usize,
    target: Day,
}

struct Corpus {
    rng: Rng,
    teams: Vec<&'static str>,
    slugs: std::collections::HashSet<String>,
    improvements: Vec<ImprovementPlan>,
    milestones: Vec<MilestonePlan>,
    recognitions: usize,
}

impl Corpus {
    /// Plans the entries: slugs, titles, dates and the references between them.
    fn new(entries: usize, seed: u64) -> Self {
        let milestones = (entries / 10).max(5);
        let recognitions = entries / 5;
        let improvements = entries - 2 - milestones - recognitions;
        let team_count = (entries.ilog2() as usize + 3).clamp(5, TEAMS.len());
        let mut c = Corpus {
            rng: Rng::new(seed),
            teams: TEAMS[..team_count].to_vec(),
            slugs: std::collections::HashSet::new(),
            improvements: Vec::with_capacity(improvements),
            milestones: Vec::with_capacity(milestones),
            recognitions,
        };
        for i in 0..milestones {
            let phase = i % PHASES.len();
            let year = ROADMAP_START + phase as i64;
            let target = Day::ymd(year, 1, 15).plus(c.rng.between(0, 330));
            let title = c.milestone_title();
            let slug = c.unique_slug(&title);
            c.milestones.push(MilestonePlan {
                slug,
                title,
                phase,
                target,
            });
        }
        let span = last_day().0 - first_day().0;
        for _ in 0..improvements {
            let date = first_day().plus(c.rng.between(0, span));
            let title = c.improvement_title();
            let slug = c.unique_slug(&title);
            let n = 1 + c.rng.below(3);
            let teams = c.rng.distinct(&c.teams.clone(), n);
            let milestone = c.rng.chance(40).then(|| c.rng.below(c.milestones.len()));
            c.improvements.push(ImprovementPlan {
                slug,
                title,
                date,
                teams,
                milestone,
            });
        }
        c
    }

    fn unique_slug(&mut self, title: &str) -> String {
        let base = slugify(title);
        let mut slug = base.clone();
        let mut n = 2;
        while self.slugs.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.slugs.insert(slug.clone());
        slug
    }

    fn improvement_title(&mut self) -> String {
        let r = &mut self.rng;
        let audience = [
            "small businesses",
            "older customers",
            "renters",
            "prepaid customers",
            "new customers",
            "families",
            "customers who move",
            "students",
            "customers on payment plans",
        ];
        match r.below(5) {
            0 => {
                let a = r.between(1, 4);
                let days = if a == 1 { "day" } else { "days" };
                format!(
                    "{} now take {a} {days}, not {}",
                    r.pick(&[
                        "Refunds",
                        "Repairs",
                        "Installs",
                        "Bill corrections",
                        "Credits",
                        "Number transfers",
                        "Router swaps",
                        "Address changes",
                        "Complaint replies",
                        "Account closures",
                    ]),
                    a + r.between(3, 12)
                )
            }
            1 => format!(
                "{} {} for {} in {}",
                r.pick(&[
                    "Clearer", "Shorter", "Fairer", "Simpler", "Kinder", "Faster"
                ]),
                r.pick(&[
                    "bills",
                    "letters",
                    "texts",
                    "contracts",
                    "price notices",
                    "repair updates",
                    "welcome packs",
                    "outage alerts",
                    "payment reminders",
                    "statements",
                ]),
                r.pick(&audience),
                r.pick(&TOWNS)
            ),
            2 => format!(
                "{} your {} {}",
                r.pick(&[
                    "Change",
                    "Track",
                    "Book",
                    "Pause",
                    "Check",
                    "Move",
                    "Cancel",
                    "Confirm",
                    "Rearrange",
                    "Pay",
                ]),
                r.pick(&[
                    "appointment",
                    "bill",
                    "due date",
                    "repair",
                    "install",
                    "payment plan",
                    "router swap",
                    "contract",
                    "refund",
                ]),
                r.pick(&[
                    "by text",
                    "online",
                    "in the app",
                    "in one call",
                    "at any time",
                    "without waiting",
                    "from your phone",
                ])
            ),
            3 => format!(
                "{} fixed on the first {} {}",
                r.pick(&[
                    "Problems",
                    "Billing errors",
                    "Slow connections",
                    "Wi-Fi dead spots",
                    "Missed payments",
                    "Faults",
                ]),
                r.pick(&["call", "visit", "chat", "try"]),
                r.pick(&WHEN)
            ),
            _ => format!(
                "No more {} for {}",
                r.pick(&[
                    "hold queues",
                    "surprise fees",
                    "second visits",
                    "paper forms",
                    "repeat calls",
                    "missed windows",
                    "duplicate charges",
                    "long letters",
                ]),
                r.pick(&audience)
            ),
        }
    }

    fn milestone_title(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(6) {
            0 => format!("Answer every call within {} minutes", r.between(1, 5)),
            1 => format!(
                "Fix {} on the first visit",
                r.pick(&[
                    "repairs",
                    "installs",
                    "Wi-Fi problems",
                    "faults",
                    "line faults"
                ])
            ),
            2 => format!(
                "Halve complaints about {}",
                r.pick(&[
                    "bills",
                    "appointments",
                    "outages",
                    "prices",
                    "refunds",
                    "contracts"
                ])
            ),
            3 => format!(
                "{} in days, not weeks",
                r.pick(&[
                    "Refunds", "Repairs", "Moves", "Credits", "Installs", "Answers"
                ])
            ),
            4 => format!(
                "Every {} readable in {} minutes",
                r.pick(&["bill", "letter", "contract", "price notice", "statement"]),
                r.between(1, 3)
            ),
            _ => format!(
                "Put {} online for {}",
                r.pick(&[
                    "moving home",
                    "payment plans",
                    "repair booking",
                    "contract changes",
                    "complaints",
                ]),
                r.pick(&[
                    "every customer",
                    "small businesses",
                    "prepaid customers",
                    "renters"
                ])
            ),
        }
    }

    /// A link to a random improvement other than `not`.
    fn improvement_link(&mut self, not: Option<usize>) -> String {
        let n = self.improvements.len();
        let mut i = self.rng.below(n);
        if Some(i) == not && n > 1 {
            i = (i + 1) % n;
        }
        match self.improvements.get(i) {
            Some(t) => format!("[{}](@/improvements/{}.md)", t.title.to_lowercase(), t.slug),
            None => "our other improvements".to_string(),
        }
    }

    fn milestone_link(&mut self, i: usize) -> String {
        match self.milestones.get(i) {
            Some(m) => format!("[{}](@/roadmap/{}.md)", m.title.to_lowercase(), m.slug),
            None => "the roadmap".to_string(),
        }
    }

    /// A bullet list of `n` items.
    fn bullets(&mut self, n: usize) -> String {
        let r = &mut self.rng;
        let items: Vec<String> = (0..n)
            .map(|_| {
                format!(
                    "- {} {} {} {}.",
                    cap(r.pick(&SUBJECTS)),
                    r.pick(&VERBS_PRESENT),
                    r.pick(&OBJECTS),
                    r.pick(&WHEN)
                )
            })
            .collect();
        items.join("\n")
    }

    /// A numbered list of steps by `teams`.
    fn steps(&mut self, teams: &[&str], n: usize) -> String {
        let r = &mut self.rng;
        let items: Vec<String> = (0..n)
            .map(|i| {
                let team = teams.get(i % teams.len().max(1)).copied().unwrap_or("IT");
                format!(
                    "{}. {team} {} {} {}, then {} {} {}.",
                    i + 1,
                    r.pick(&VERBS_PAST),
                    r.pick(&OBJECTS),
                    r.pick(&WHEN),
                    r.pick(&SUBJECTS),
                    r.pick(&VERBS_PAST),
                    r.pick(&OBJECTS)
                )
            })
            .collect();
        items.join("\n")
    }

    /// A before-and-after table of three to five measures.
    fn table(&mut self) -> String {
        let r = &mut self.rng;
        let mut rows = vec![
            "| Measure | Before | After |".to_string(),
            "|---|---:|---:|".to_string(),
        ];
        let n = 3 + r.below(3);
        for (name, unit, better, lo, hi) in r.distinct_metrics(n) {
            let before = r.between(lo, hi);
            let after = improved(r, before, better);
            rows.push(format!("| {name} ({unit}) | {before} | {after} |"));
        }
        rows.join("\n")
    }

    fn blockquote(&mut self) -> String {
        let words = customer_words(&mut self.rng);
        let more = sentence(&mut self.rng);
        let r = &mut self.rng;
        format!(
            "> {words} {more}\n>\n> — {}, {} in {}",
            r.pick(&FIRST_NAMES),
            r.pick(&[
                "customer",
                "team leader",
                "agent",
                "technician",
                "shop manager"
            ]),
            r.pick(&TOWNS)
        )
    }

    /// An improvement's or a milestone's body: about 600 words.
    fn long_body(&mut self, me: Option<usize>, teams: &[&str], milestone: Option<usize>) -> String {
        let improvement = me.is_some();
        let mut parts: Vec<String> = Vec::new();
        let n = 3 + self.rng.below(2);
        parts.push(paragraph(&mut self.rng, n));
        let (first, second, third) = if improvement {
            (SECTION_WRONG, SECTION_CHANGED, SECTION_HOW)
        } else {
            (SECTION_WHY, SECTION_WHO, SECTION_WHERE)
        };
        parts.push(format!("## {}", self.rng.pick(&first)));
        let n = 4 + self.rng.below(2);
        parts.push(paragraph(&mut self.rng, n));
        let n = 3 + self.rng.below(2);
        parts.push(paragraph(&mut self.rng, n));
        parts.push(format!("## {}", self.rng.pick(&second)));
        parts.push(sentence(&mut self.rng));
        let n = 4 + self.rng.below(3);
        parts.push(self.bullets(n));
        parts.push(format!("## {}", self.rng.pick(&third)));
        let n = 3 + self.rng.below(3);
        parts.push(self.steps(teams, n));
        let link = self.improvement_link(me);
        let mut linked = format!("{} This builds on {link}.", sentence(&mut self.rng));
        if self.rng.chance(50) {
            let other = self.improvement_link(me);
            linked.push_str(&format!(
                " {} changed in the same way after {other}.",
                cap(self.rng.pick(&OBJECTS))
            ));
        }
        if let Some(m) = milestone {
            let ms = self.milestone_link(m);
            linked.push_str(&format!(" It is part of the roadmap step {ms}."));
        }
        if self.rng.chance(15) {
            linked.push_str(
                " The [regulator's fair-treatment guidance](https://www.example.org/guidance/fair-treatment) \
                 was the starting point.",
            );
        }
        parts.push(wrap(&linked));
        parts.push(format!("## {}", self.rng.pick(&SECTION_NUMBERS)));
        parts.push(sentence(&mut self.rng));
        parts.push(self.table());
        parts.push(self.blockquote());
        parts.push(format!("## {}", self.rng.pick(&SECTION_RESULT)));
        let n = 3 + self.rng.below(2);
        parts.push(paragraph(&mut self.rng, n));
        let n = 3 + self.rng.below(2);
        parts.push(paragraph(&mut self.rng, n));
        let mut body = parts.join("\n\n");
        body.push('\n');
        body
    }

    /// Every file, in order: site.toml, data, milestones, improvements, recognitions, pages.
    fn write(mut self) -> Vec<(PathBuf, String)> {
        let mut out = Vec::with_capacity(
            self.improvements.len() + self.milestones.len() + self.recognitions + 4,
        );
        out.push((PathBuf::from("site.toml"), self.site_toml()));
        out.push((PathBuf::from("data/metrics.toml"), self.metrics_toml()));
        // Which improvements deliver each milestone, for the milestone's own page.
        let mut delivered: Vec<Vec<usize>> = vec![Vec::new(); self.milestones.len()];
        for (i, imp) in self.improvements.iter().enumerate() {
            if let Some(m) = imp.milestone
                && let Some(d) = delivered.get_mut(m)
            {
                d.push(i);
            }
        }
        for i in 0..self.milestones.len() {
            let text = self.milestone(i, delivered.get(i).map_or(&[][..], Vec::as_slice));
            let slug = self
                .milestones
                .get(i)
                .map(|m| m.slug.clone())
                .unwrap_or_default();
            out.push((PathBuf::from(format!("content/roadmap/{slug}.md")), text));
        }
        for i in 0..self.improvements.len() {
            let text = self.improvement(i);
            let slug = self
                .improvements
                .get(i)
                .map(|m| m.slug.clone())
                .unwrap_or_default();
            out.push((
                PathBuf::from(format!("content/improvements/{slug}.md")),
                text,
            ));
        }
        for _ in 0..self.recognitions {
            let (slug, text) = self.recognition();
            out.push((
                PathBuf::from(format!("content/recognitions/{slug}.md")),
                text,
            ));
        }
        out.push((
            PathBuf::from("content/about.md"),
            self.page("About Customer Promise"),
        ));
        out.push((
            PathBuf::from("content/how-to-write.md"),
            self.page("How to write for this site"),
        ));
        out
    }

    fn site_toml(&self) -> String {
        let teams: Vec<String> = self
            .teams
            .iter()
            .map(|t| format!("  {},", toml_str(t)))
            .collect();
        format!(
            "# A generated portal for benchmarks: {} improvements, {} milestones, {} recognitions.\n\
             title = \"Customer Promise\"\n\
             base_url = \"https://intranet.example.com/customers/\"\n\
             description = \"What we changed for customers, and who did it\"\n\
             language = \"en\"\n\
             timezone = \"America/Chicago\"\n\
             paginate = 10\n\
             teams = [\n{}\n]\n\n\
             [markdown]\nunsafe_html = false\n\n\
             [letter]\nsigner = \"Dana Whitfield\"\nrole = \"Chief Executive\"\n",
            self.improvements.len(),
            self.milestones.len(),
            self.recognitions,
            teams.join("\n")
        )
    }

    fn metrics_toml(&mut self) -> String {
        let metrics = [
            ("retention", "Customers who stay", "%", "higher", 86.0, 92.0),
            ("nps", "Net Promoter Score", "points", "higher", 5.0, 30.0),
            (
                "first-contact-resolution",
                "Problems fixed on the first contact",
                "%",
                "higher",
                70.0,
                82.0,
            ),
            (
                "complaints",
                "Complaints per 10,000 customers",
                "per 10,000",
                "lower",
                35.0,
                15.0,
            ),
        ];
        let mut s = String::from(
            "# Customer math: four metrics, 24 months of points, and customers lost by quarter.\n",
        );
        for (key, name, unit, better, start, target) in metrics {
            s.push_str(&format!(
                "\n[[metric]]\nkey = {}\nname = {}\nunit = {}\nbetter = {}\ntarget = {target}\npoints = [\n",
                toml_str(key),
                toml_str(name),
                toml_str(unit),
                toml_str(better)
            ));
            let mut value: f64 = start;
            for k in 0..24 {
                // December 2024 to November 2026.
                let (year, month) = (2024 + (11 + k) / 12, (11 + k) % 12 + 1);
                let step = (target - start) / 30.0;
                let noise = (self.rng.between(-10, 10) as f64) * step.abs() / 8.0;
                value += step + noise;
                s.push_str(&format!(
                    "  {{ period = \"{year}-{month:02}\", value = {value:.1} }},\n"
                ));
            }
            s.push_str("]\n");
        }
        for (year, q) in [(2025, 4), (2026, 1), (2026, 2), (2026, 3)] {
            let r = &mut self.rng;
            s.push_str(&format!(
                "\n[[lost]]\nperiod = \"{year}-Q{q}\"\nreasons = {{ price = {}, \"service failure\" = {}, moved = {}, \"billing problem\" = {}, other = {} }}\n",
                r.between(2_500, 3_500),
                r.between(1_800, 2_800),
                r.between(3_000, 4_000),
                r.between(400, 1_000),
                r.between(500, 800)
            ));
        }
        s
    }

    fn milestone(&mut self, i: usize, delivered: &[usize]) -> String {
        let Some(plan) = self.milestones.get(i) else {
            return String::new();
        };
        let (title, phase, target) = (plan.title.clone(), plan.phase, plan.target);
        let last = last_day();
        // The first five cover every status; the rest follow from the target.
        let status = match i {
            0 => "done",
            1 => "dropped",
            2 => "at-risk",
            3 => "in-progress",
            4 => "planned",
            _ if target < last => {
                let r = self.rng.below(10);
                match r {
                    0..=5 => "done",
                    6 => "dropped",
                    7 => "at-risk",
                    _ => "in-progress",
                }
            }
            _ => match self.rng.below(20) {
                0..=9 => "planned",
                10..=15 => "in-progress",
                16..=18 => "at-risk",
                _ => "done",
            },
        };
        let done_on = (status == "done").then(|| target.plus(self.rng.between(-40, 10)).min(last));
        let owner = self.rng.pick(&self.teams.clone());
        let n = 1 + self.rng.below(3);
        let others: Vec<&str> = self
            .rng
            .distinct(&self.teams.clone(), n + 1)
            .into_iter()
            .filter(|t| *t != owner)
            .take(n)
            .collect();
        let n = 1 + self.rng.below(2);
        let tags = self.rng.distinct(&TAGS, n);

        let mut s = String::from("+++\n");
        s.push_str(&format!("title = {}\n", toml_str(&title)));
        s.push_str(&format!(
            "phase = {}\n",
            toml_str(PHASES.get(phase).copied().unwrap_or("Year 1 — Listen"))
        ));
        s.push_str(&format!("target = {target}\n"));
        s.push_str(&format!("status = \"{status}\"\n"));
        if let Some(d) = done_on {
            s.push_str(&format!("done_on = {d}\n"));
        }
        s.push_str(&format!("owner = {}\n", toml_str(owner)));
        s.push_str(&format!("teams = {}\n", toml_list(&others)));
        s.push_str(&format!("tags = {}\n", toml_list(&tags)));
        if self.rng.chance(50) {
            let m = self.rng.below(METRICS.len());
            if let Some((name, unit, better, lo, hi)) = METRICS.get(m).copied() {
                let baseline = self.rng.between(lo, hi);
                let goal = improved(&mut self.rng, baseline, better);
                let current = if status == "done" {
                    goal
                } else {
                    (baseline + goal) / 2
                };
                s.push_str(&format!(
                    "\n[metric]\nname = {}\nbaseline = {baseline}\ntarget = {goal}\ncurrent = {current}\nunit = {}\n",
                    toml_str(name),
                    toml_str(unit)
                ));
            }
        }
        let tasks = 2 + self.rng.below(5);
        let mut task_teams = vec![owner];
        task_teams.extend(others.iter().copied());
        for _ in 0..tasks {
            let team = self.rng.pick(&task_teams);
            let due = target.plus(-self.rng.between(0, 300));
            let done = match status {
                "done" => true,
                _ => due < last && self.rng.chance(55),
            };
            let what = format!(
                "{} {} for {} {}",
                cap(self.rng.pick(&VERBS_PRESENT)),
                self.rng.pick(&OBJECTS),
                self.rng.pick(&SUBJECTS),
                self.rng.pick(&WHEN)
            );
            s.push_str(&format!(
                "\n[[tasks]]\nteam = {}\ntask = {}\ndue = {due}\ndone = {done}\n",
                toml_str(team),
                toml_str(&what)
            ));
            if done {
                let mut on = due.plus(self.rng.between(-20, 15)).min(last);
                if let Some(d) = done_on {
                    on = on.min(d);
                }
                s.push_str(&format!("done_on = {on}\n"));
            }
        }
        s.push_str("+++\n\n");
        let deliverer = delivered.first().copied();
        let body = self.long_body(None, &task_teams, None);
        s.push_str(&body);
        if let Some(d) = deliverer
            && let Some(imp) = self.improvements.get(d)
        {
            s.push_str(&format!(
                "\nThe first improvement to deliver this step was [{}](@/improvements/{}.md).\n",
                imp.title.to_lowercase(),
                imp.slug
            ));
        }
        s
    }

    fn improvement(&mut self, i: usize) -> String {
        let Some(plan) = self.improvements.get(i) else {
            return String::new();
        };
        let (title, date, teams, milestone) = (
            plan.title.clone(),
            plan.date,
            plan.teams.clone(),
            plan.milestone,
        );
        let mut s = String::from("+++\n");
        s.push_str(&format!("title = {}\n", toml_str(&title)));
        s.push_str(&format!("date = {date}\n"));
        s.push_str(&format!("teams = {}\n", toml_list(&teams)));
        let owner = person(&mut self.rng);
        s.push_str(&format!("owner = {}\n", toml_str(&owner)));
        if self.rng.chance(80) {
            s.push_str(&format!(
                "customers = {}\n",
                toml_str(self.rng.pick(&CUSTOMERS))
            ));
        }
        if let Some(m) = milestone
            && let Some(ms) = self.milestones.get(m)
        {
            s.push_str(&format!("milestone = {}\n", toml_str(&ms.slug)));
        }
        let n = 1 + self.rng.below(3);
        let tags = self.rng.distinct(&TAGS, n);
        s.push_str(&format!("tags = {}\n", toml_list(&tags)));
        if self.rng.chance(5) {
            s.push_str("lobby = false\n");
        }
        if self.rng.chance(5) {
            s.push_str("letter = false\n");
        }
        if self.rng.chance(55) {
            let m = self.rng.below(METRICS.len());
            if let Some((name, unit, better, lo, hi)) = METRICS.get(m).copied() {
                let before = self.rng.between(lo, hi);
                let after = improved(&mut self.rng, before, better);
                s.push_str(&format!(
                    "\n[metric]\nname = {}\nbefore = {before}\nafter = {after}\nunit = {}\nbetter = \"{better}\"\n",
                    toml_str(name),
                    toml_str(unit)
                ));
            }
        }
        if self.rng.chance(45) {
            let words = customer_words(&mut self.rng);
            let by = format!(
                "{}, customer in {} since {}",
                self.rng.pick(&FIRST_NAMES),
                self.rng.pick(&TOWNS),
                self.rng.between(1998, date.year().max(1999))
            );
            s.push_str(&format!(
                "\n[quote]\ntext = {}\nby = {}\n",
                toml_str(&words),
                toml_str(&by)
            ));
        }
        s.push_str("+++\n\n");
        let body = self.long_body(Some(i), &teams, milestone);
        s.push_str(&body);
        s
    }

    fn recognition(&mut self) -> (String, String) {
        let n = self.improvements.len();
        let work = (self.rng.chance(85) && n > 0).then(|| self.rng.below(n));
        let (work_slug, work_title, after) = match work.and_then(|w| self.improvements.get(w)) {
            Some(imp) => (Some(imp.slug.clone()), Some(imp.title.clone()), imp.date),
            None => {
                let span = last_day().0 - first_day().0;
                (None, None, first_day().plus(self.rng.between(0, span)))
            }
        };
        let date = after
            .plus(self.rng.between(3, 60))
            .min(last_day())
            .max(first_day());
        let first = self.rng.pick(&FIRST_NAMES);
        let team = self.rng.pick(&self.teams.clone());
        let title = match self.rng.below(4) {
            0 => format!(
                "Thank you, {first}, for {}",
                self.rng.pick(&[
                    "staying late in the storm",
                    "the braille statements",
                    "rewriting the letters",
                    "every callback",
                    "the Saturday installs",
                    "listening first",
                ])
            ),
            1 => format!(
                "The {} team that {} {} {}",
                self.rng.pick(&TOWNS),
                self.rng.pick(&VERBS_PAST),
                self.rng.pick(&OBJECTS),
                self.rng.pick(&WHEN)
            ),
            2 => format!(
                "{first} and {} {} {}",
                self.rng.pick(&FIRST_NAMES),
                self.rng.pick(&VERBS_PAST),
                self.rng.pick(&OBJECTS)
            ),
            _ => format!(
                "{} years of {} in {}",
                self.rng.between(5, 30),
                self.rng
                    .pick(&["answering phones", "repairs", "installs", "billing", "care"]),
                self.rng.pick(&TOWNS)
            ),
        };
        let slug = self.unique_slug(&title);
        let mut people = vec![format!("{first} {}", self.rng.pick(&LAST_NAMES))];
        for _ in 0..self.rng.below(3) {
            people.push(person(&mut self.rng));
        }
        if self.rng.chance(20) {
            people.push(format!("the {team} team"));
        }
        let people: Vec<&str> = people.iter().map(String::as_str).collect();
        let mut s = String::from("+++\n");
        s.push_str(&format!("title = {}\n", toml_str(&title)));
        s.push_str(&format!("date = {date}\n"));
        s.push_str(&format!("people = {}\n", toml_list(&people)));
        s.push_str(&format!("team = {}\n", toml_str(team)));
        if self.rng.chance(70) {
            s.push_str(&format!("award = {}\n", toml_str(self.rng.pick(&AWARDS))));
        }
        if let Some(w) = &work_slug {
            s.push_str(&format!("for = {}\n", toml_str(w)));
        }
        s.push_str("+++\n\n");
        let n = 3 + self.rng.below(2);
        s.push_str(&paragraph(&mut self.rng, n));
        s.push_str("\n\n");
        if let (Some(w), Some(t)) = (&work_slug, &work_title) {
            let more = sentence(&mut self.rng);
            s.push_str(&wrap(&format!(
                "The work behind [{}](@/improvements/{w}.md) was theirs. {more}",
                t.to_lowercase()
            )));
            s.push_str("\n\n");
        }
        s.push_str(&self.blockquote());
        s.push_str("\n\n");
        let n = 2 + self.rng.below(2);
        s.push_str(&paragraph(&mut self.rng, n));
        s.push('\n');
        (slug, s)
    }

    fn page(&mut self, title: &str) -> String {
        let summary = "How the Customer Promise programme works and how to take part.";
        let teams = self.teams.clone();
        let body = self.long_body(None, &teams, Some(0));
        format!(
            "+++\ntitle = {}\nsummary = {}\n+++\n\n{body}",
            toml_str(title),
            toml_str(summary)
        )
    }
}

impl Rng {
    /// `n` different improvement metrics.
    fn distinct_metrics(
        &mut self,
        n: usize,
    ) -> Vec<(&'static str, &'static str, &'static str, i64, i64)> {
        let mut idx: Vec<usize> = (0..METRICS.len()).collect();
        let n = n.min(idx.len());
        for i in 0..n {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        idx.into_iter()
            .take(n)
            .filter_map(|i| METRICS.get(i).copied())
            .collect()
    }
}

/// A value better than `from` in the direction `better`, still plausible for the unit.
fn improved(rng: &mut Rng, from: i64, better: &str) -> i64 {
    if better == "lower" {
        (from * rng.between(20, 80) / 100)
            .max(1)
            .min(from - 1)
            .max(0)
    } else {
        from + rng.between(1, ((100 - from) / 2).clamp(1, from / 3 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_are_valid_dates() {
        for n in Day::ymd(2019, 1, 1).0..Day::ymd(2031, 1, 1).0 {
            let d = Day(n);
            let (y, m, dd) = d.civil();
            assert_eq!(Day::ymd(y, m, dd), d);
            let parsed: Result<jiff::civil::Date, _> = d.to_string().parse();
            assert!(parsed.is_ok(), "{d} is not a date");
        }
        assert_eq!(Day::ymd(2024, 2, 29).to_string(), "2024-02-29");
        assert_eq!(Day::ymd(2024, 2, 29).plus(1).to_string(), "2024-03-01");
    }

    #[test]
    fn the_same_seed_writes_the_same_files() {
        let a = files(300, 7);
        let b = files(300, 7);
        let c = files(300, 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 300 + 2, "entries plus site.toml and metrics");
        let names: std::collections::HashSet<&PathBuf> = a.iter().map(|(p, _)| p).collect();
        assert_eq!(names.len(), a.len(), "file names are unique");
    }
}
