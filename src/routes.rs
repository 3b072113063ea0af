//! Every output path and every URL of a built site, in one place.
//!
//! A *route* is a path below the site's root, without a leading slash: `improvements/`,
//! `teams/billing/`, `atom.xml`. A page's route ends in `/` and its file is the route plus
//! `index.html` ([`Routes::page_file`]); other files (feeds, search shards, email bodies, lobby
//! images) are their route. [`Routes::url`] turns a route into the root-relative URL the pages
//! link with (`/customers/teams/billing/`), [`Routes::permalink`] into the absolute one that
//! feeds, emails, QR codes and the sitemap carry.
//!
//! The page plan, the template values, feeds, the sitemap, the lobby data and the search index
//! all ask this module; no other module spells a path of the output. A prefix for a second
//! language (`fr/…`) is a change here alone.

/// `base_url` split for use: the absolute URL with a trailing slash and the sub-path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://intranet.example.com/customers/`
    pub absolute: String,
    /// `/customers/`
    pub path: String,
}

impl BaseUrl {
    /// Parses an `http(s)://host/path` URL; `None` when it is not one.
    pub fn parse(url: &str) -> Option<Self> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let scheme_len = url.len() - rest.len();
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(char::is_whitespace) || path.contains(['?', '#']) {
            return None;
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Some(Self {
            absolute: format!("{}{host}{path}", &url[..scheme_len]),
            path,
        })
    }
}

/// The file a page route is written to, in the route's folder.
pub const PAGE_FILE: &str = "index.html";

/// The top-level names of the output that herald owns; a plain page may not take one.
pub const RESERVED: [&str; 14] = [
    "improvements",
    "roadmap",
    "recognitions",
    "announcements",
    "teams",
    "tags",
    "lobby",
    "metrics",
    "digest",
    "letter",
    "search",
    "static",
    "atom.xml",
    "sitemap.xml",
];

/// Slugs inside a section that herald uses for its own pages.
pub const RESERVED_SLUGS: [(&str, &str); 3] = [
    ("improvements", "page"),
    ("roadmap", "review"),
    ("roadmap", "team"),
];

/// The section that lists improvements page by page.
const LIST: &str = "improvements";

/// The output's paths and URLs, for a site published under one base URL, in one of its
/// languages: a further language's pages are its code's folder (`fr/`), so its routes are
/// the same and its URLs carry the prefix; the theme's static files are shared by all.
#[derive(Debug, Clone)]
pub struct Routes {
    base: BaseUrl,
    /// `""` for the main language, `fr/` for a further one.
    prefix: String,
    /// The base URL with the prefix: this language's home.
    home: BaseUrl,
}

impl Routes {
    /// Routes for a site published at `base`, in its main language.
    pub fn new(base: BaseUrl) -> Self {
        Self {
            home: base.clone(),
            base,
            prefix: String::new(),
        }
    }

    /// The same site in a further language, whose pages live under `CODE/`.
    pub fn in_language(mut self, code: &str) -> Self {
        self.prefix = Self::language_prefix(code);
        self.home = BaseUrl {
            absolute: format!("{}{}", self.base.absolute, self.prefix),
            path: format!("{}{}", self.base.path, self.prefix),
        };
        self
    }

    /// The folder of a further language's pages: `fr/` (lower case).
    pub fn language_prefix(code: &str) -> String {
        format!("{}/", code.to_lowercase())
    }

    /// This language's folder under the output, `""` for the main language.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The root-relative URL of a route in language `code`'s pages (`None`: the main
    /// language), for links between translations.
    pub fn url_in(&self, code: Option<&str>, route: &str) -> String {
        let prefix = code.map(Self::language_prefix).unwrap_or_default();
        format!(
            "{}{prefix}{}",
            self.base.path,
            route.trim_start_matches('/')
        )
    }

    /// The absolute URL of a route in language `code`'s pages (`None`: the main language).
    pub fn permalink_in(&self, code: Option<&str>, route: &str) -> String {
        let prefix = code.map(Self::language_prefix).unwrap_or_default();
        format!(
            "{}{prefix}{}",
            self.base.absolute,
            route.trim_start_matches('/')
        )
    }

    /// The root-relative URL of a file every language shares (the theme's static files).
    pub fn shared_url(&self, route: &str) -> String {
        format!("{}{}", self.base.path, route.trim_start_matches('/'))
    }

    /// This language's base path, with both slashes: `/customers/` (`/customers/fr/`).
    pub fn base_path(&self) -> &str {
        &self.home.path
    }

    /// This language's absolute base URL: `https://intranet.example.com/customers/`
    /// (`…/customers/fr/`).
    pub fn absolute(&self) -> &str {
        &self.home.absolute
    }

    /// The scheme and host alone: `https://intranet.example.com`.
    pub fn origin(&self) -> &str {
        self.base
            .absolute
            .strip_suffix(self.base.path.as_str())
            .unwrap_or(&self.base.absolute)
    }

    /// The root-relative URL of a route (a leading `/` on the route is ignored).
    pub fn url(&self, route: &str) -> String {
        let route = route.trim_start_matches('/');
        let mut url = String::with_capacity(self.home.path.len() + route.len());
        url.push_str(&self.home.path);
        url.push_str(route);
        url
    }

    /// The absolute URL of a route.
    pub fn permalink(&self, route: &str) -> String {
        let mut url = String::with_capacity(self.home.absolute.len() + route.len());
        url.push_str(&self.home.absolute);
        url.push_str(route);
        url
    }

    /// The file a page route is written to: `teams/billing/index.html`.
    pub fn page_file(&self, route: &str) -> String {
        format!("{route}{PAGE_FILE}")
    }

    /// The home page.
    pub fn home(&self) -> String {
        String::new()
    }

    /// A content entry's page, from its source path (`improvements/faster-refunds`).
    pub fn entry(&self, path: &str) -> String {
        format!("{path}/")
    }

    /// A file published beside an entry's page (a bundle's image, a linked PDF).
    pub fn entry_file(&self, path: &str, name: &str) -> String {
        format!("{path}/{name}")
    }

    /// A section's index page: `roadmap/`, `metrics/`, `search/`.
    pub fn section(&self, section: &str) -> String {
        format!("{section}/")
    }

    /// Page `n` (from 1) of the improvements list; page 1 is the section's own page.
    pub fn list_page(&self, n: usize) -> String {
        if n <= 1 {
            self.section(LIST)
        } else {
            format!("{LIST}/page/{n}/")
        }
    }

    /// Where old links to page 1 of the list land, to be sent on to [`Routes::list_page`]`(1)`.
    pub fn list_page_one_alias(&self) -> String {
        format!("{LIST}/page/1/")
    }

    /// A team's page, from its slug.
    pub fn team(&self, slug: &str) -> String {
        format!("teams/{slug}/")
    }

    /// The roadmap filtered to one team.
    pub fn team_roadmap(&self, slug: &str) -> String {
        format!("roadmap/team/{slug}/")
    }

    /// The monthly review of the roadmap.
    pub fn review(&self) -> String {
        "roadmap/review/".into()
    }

    /// A metric's chart on the metrics page, from the slug of its key.
    pub fn metric(&self, slug: &str) -> String {
        format!("metrics/#metric-{slug}")
    }

    /// A tag's page, from its slug.
    pub fn tag(&self, slug: &str) -> String {
        format!("tags/{slug}/")
    }

    /// A month's digest (`2026-03`).
    pub fn digest(&self, month: &str) -> String {
        format!("digest/{month}/")
    }

    /// A month's digest as an email-ready HTML file.
    pub fn digest_email(&self, month: &str) -> String {
        format!("{}email.html", self.digest(month))
    }

    /// A month's digest as plain text, for the email's text part.
    pub fn digest_text(&self, month: &str) -> String {
        format!("{}email.txt", self.digest(month))
    }

    /// A quarter's letter to customers (`2026-Q1`).
    pub fn letter(&self, quarter: &str) -> String {
        format!("letter/{quarter}/")
    }

    /// A lobby screen's page; the screen named `lobby` is `/lobby/` itself.
    pub fn lobby(&self, screen: &str) -> String {
        if screen == "lobby" {
            "lobby/".into()
        } else {
            format!("lobby/{screen}/")
        }
    }

    /// The data file of the lobby screen whose page is `screen_route`.
    pub fn lobby_data(screen_route: &str) -> String {
        format!("{screen_route}data.json")
    }

    /// The file a lobby screen polls for a new build (`version.json?screen=NAME…`).
    pub fn lobby_version(screen_route: &str) -> String {
        format!("{screen_route}version.json")
    }

    /// A file of the lobby's own (`lobby.js`, `lobby.css`) in the theme's `static/`, shared by
    /// every screen and every language.
    pub fn lobby_asset(name: &str) -> String {
        format!("lobby/{name}")
    }

    /// An image resized for the screens, named by the hash of its bytes.
    pub fn lobby_image(&self, hash: &str, ext: &str) -> String {
        format!("lobby/img/{hash}.{ext}")
    }

    /// The Atom feed of the whole site (`None`) or of one section.
    pub fn feed(&self, section: Option<&str>) -> String {
        match section {
            None => "atom.xml".into(),
            Some(s) => format!("{s}/atom.xml"),
        }
    }

    /// The search index's table of contents.
    pub fn search_index(&self) -> String {
        "search/index.json".into()
    }

    /// The search shard of documents number `n`.
    pub fn search_docs(&self, n: usize) -> String {
        format!("{}{n}.json", self.search_docs_dir())
    }

    /// The folder of the search's document shards.
    pub fn search_docs_dir(&self) -> &'static str {
        "search/d/"
    }

    /// The search shard of the terms named `name`.
    pub fn search_terms(&self, name: &str) -> String {
        format!("{}{name}.json", self.search_terms_dir())
    }

    /// The folder of the search's term shards.
    pub fn search_terms_dir(&self) -> &'static str {
        "search/t/"
    }

    /// A file of the theme's or the site's `static/` folder: published under the same name, and
    /// shared by every language.
    pub fn static_file<'a>(&self, rel: &'a str) -> &'a str {
        rel
    }

    /// The sitemap.
    pub fn sitemap(&self) -> String {
        "sitemap.xml".into()
    }

    /// The page for addresses that do not exist.
    pub fn not_found(&self) -> String {
        "404.html".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Routes {
        Routes::new(BaseUrl::parse("https://intranet.example.com/customers/").expect("url"))
    }

    #[test]
    fn routes_become_urls_under_the_sub_path() {
        let r = routes();
        assert_eq!(r.url(&r.team("billing")), "/customers/teams/billing/");
        assert_eq!(r.url("/atom.xml"), "/customers/atom.xml");
        assert_eq!(
            r.permalink(&r.entry("improvements/faster-refunds")),
            "https://intranet.example.com/customers/improvements/faster-refunds/"
        );
        assert_eq!(r.origin(), "https://intranet.example.com");
        assert_eq!(r.page_file(&r.home()), "index.html");
    }

    #[test]
    fn the_first_list_page_is_the_section() {
        let r = routes();
        assert_eq!(r.list_page(1), "improvements/");
        assert_eq!(r.list_page(3), "improvements/page/3/");
        assert_eq!(r.lobby("lobby"), "lobby/");
        assert_eq!(r.lobby("reception"), "lobby/reception/");
        assert_eq!(r.digest_email("2026-03"), "digest/2026-03/email.html");
        assert_eq!(r.search_terms("ab"), "search/t/ab.json");
    }
}
