//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough and task lists; heading
//! anchors and a table of contents; `@/section/file.md` links resolved to page URLs; link and
//! image URL schemes checked on every page; raw HTML sanitized (only on the pages that have
//! any) unless the site trusts its authors.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// One heading of a page, for its table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A problem found while rendering, at a byte range of the Markdown.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Where in the Markdown text.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Only a warning.
    pub warning: bool,
}

/// The rendered body of one entry.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The whole body as HTML.
    pub html: String,
    /// The first top-level paragraph as HTML (the default summary).
    pub first_paragraph: String,
    /// The first paragraph as plain text.
    pub first_paragraph_text: String,
    /// Headings with their ids.
    pub toc: Vec<Heading>,
    /// Words in the body.
    pub words: usize,
    /// Relative links and images to files (not pages), which must exist beside the file.
    pub local_files: Vec<(String, Range<usize>)>,
    /// Relative `src`, `href`, `poster` and `srcset` URLs to files in the page's raw HTML: like
    /// [`Rendered::local_files`], but a missing one is only a warning, since raw HTML was never
    /// checked before and sites that build today must keep building.
    pub html_files: Vec<(String, Range<usize>)>,
    /// Problems: unknown `@/` targets, forbidden URL schemes.
    pub problems: Vec<Problem>,
}

/// How `@/` links are resolved: `improvements/faster-refunds` to its URL, or `None`.
pub trait Resolve {
    /// The URL of the entry at `path` (no `.md`, no `/index`).
    fn url_of(&self, path: &str) -> Option<String>;
    /// Known paths, for "did you mean".
    fn suggest(&self, path: &str) -> Option<String>;
    /// The accessible name of a task list's box, ticked (`done`) or not, as plain text. A
    /// site's resolvers give its language's words (`a11y.task_done`, `a11y.task_open`).
    fn task_label(&self, done: bool) -> String {
        if done { "done" } else { "not done" }.to_string()
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Renders `text` (a file's Markdown body).
pub fn render(text: &str, resolver: &dyn Resolve, unsafe_html: bool) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    flatten_deep(&mut events, &mut out);
    let mut raw_html = heading_ids(&mut events, &mut out.toc);

    // Links, images, raw HTML, words, first paragraph.
    let mut depth = 0usize;
    let mut para: Option<(usize, usize)> = None; // (start index, end index) of first top-level paragraph
    let mut para_start = None;
    // The lines of the HTML block being read, scanned as one text at its end (a tag may span
    // lines), with where each line starts in it and in the Markdown.
    let mut block = String::new();
    let mut block_lines: Vec<(usize, usize)> = Vec::new();
    for (idx, (event, range)) in events.iter_mut().enumerate() {
        match event {
            Event::End(TagEnd::HtmlBlock) => {
                depth = depth.saturating_sub(1);
                scan_html(&block, &block_lines, &mut out.html_files);
                block.clear();
                block_lines.clear();
            }
            Event::Html(h) => {
                raw_html = true;
                block_lines.push((block.len(), range.start));
                block.push_str(h);
            }
            Event::InlineHtml(h) => {
                raw_html = true;
                scan_html(h, &[(0, range.start)], &mut out.html_files);
            }
            Event::Start(tag) => {
                if matches!(tag, Tag::Paragraph)
                    && depth == 0
                    && para.is_none()
                    && para_start.is_none()
                {
                    para_start = Some(idx);
                }
                let is_image = matches!(tag, Tag::Image { .. });
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = tag
                    && let Some(new) = check_url(dest_url, range, resolver, is_image, &mut out)
                {
                    *dest_url = CowStr::from(new);
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if matches!(end, TagEnd::Paragraph)
                    && depth == 0
                    && let Some(s) = para_start.take()
                    && para.is_none()
                {
                    para = Some((s, idx));
                }
            }
            // A task-list box needs an accessible name; pulldown-cmark's has none.
            Event::TaskListMarker(done) => {
                let checked = if *done { " checked" } else { "" };
                let label = crate::util::escape::xml(&resolver.task_label(*done));
                *event = Event::InlineHtml(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
                )));
            }
            Event::Text(t) => out.words += count_words(t),
            _ => {}
        }
    }

    // Not reached with pulldown-cmark, whose HTML lines are all inside a block.
    scan_html(&block, &block_lines, &mut out.html_files);

    let sanitized = raw_html && !unsafe_html;
    if let Some((s, e)) = para {
        first_paragraph(&events[s + 1..e], sanitized, &mut out);
    }
    out.html = body_html(events, text.len(), sanitized);
    out
}

/// Gives every heading a unique id (its explicit `{#id}`, else its text as a slug, with `-1`,
/// `-2`… for repeats) and adds it to the table of contents. True when a heading has attributes,
/// which must be sanitized like raw HTML.
fn heading_ids(events: &mut [(Event<'_>, Range<usize>)], toc: &mut Vec<Heading>) -> bool {
    let mut raw_html = false;
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level, id, attrs, ..
        }) = &events[i].0
        {
            // `## Title {key=value}` writes any attribute (`onmouseover`, `style`) on the
            // heading: sanitized like raw HTML.
            raw_html |= !attrs.is_empty();
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() {
                match &events[j].0 {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => title.push_str(t),
                    _ => {}
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| {
                let s = slug::slugify(&title);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            });
            let mut unique = base.clone();
            let mut n = 1;
            while !used_ids.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(unique.clone()));
            }
            toc.push(Heading {
                level,
                id: unique,
                title: title.trim().to_string(),
            });
            i = j;
        }
        i += 1;
    }
    raw_html
}

/// Sets the summary from the events inside the first top-level paragraph: its HTML (sanitized
/// when `sanitized`) and its plain text.
fn first_paragraph(slice: &[(Event<'_>, Range<usize>)], sanitized: bool, out: &mut Rendered) {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, slice.iter().map(|(ev, _)| ev.clone()));
    for (ev, _) in slice {
        if let Event::Text(t) | Event::Code(t) = ev {
            out.first_paragraph_text.push_str(t);
        } else if matches!(ev, Event::SoftBreak | Event::HardBreak) {
            out.first_paragraph_text.push(' ');
        }
    }
    out.first_paragraph = if sanitized { sanitize(&html) } else { html };
}

/// The whole body as HTML, sanitized when `sanitized`; `text_len` is the Markdown's length, to
/// size the output once.
fn body_html(events: Vec<(Event<'_>, Range<usize>)>, text_len: usize, sanitized: bool) -> String {
    let mut html = String::with_capacity(text_len * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    if sanitized { sanitize(&html) } else { html }
}

/// How many words `text` has, as `split_whitespace().count()`; ASCII text (nearly all of it) is
/// counted a byte at a time, which is several times faster, and every entry's text is counted.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut after_space = true;
    for &b in text.as_bytes() {
        // The ASCII characters `char::is_whitespace` accepts: tab to carriage return, and space.
        let space = b == b' ' || (b'\t'..=b'\r').contains(&b);
        words += usize::from(after_space && !space);
        after_space = space;
    }
    words
}

/// How deep Markdown may nest (quotes, lists, emphasis inside each other) before the deeper
/// levels are shown flat. Browsers flatten HTML deeper than 512 levels anyway, and the HTML
/// sanitizer's time grows with the square of the depth (20,000 nested quotes: 26 s).
pub const MAX_NESTING: usize = 100;

/// Drops the start and end of every element nested deeper than [`MAX_NESTING`], keeping their
/// text, with a warning at the first one.
fn flatten_deep(events: &mut Vec<(Event<'_>, Range<usize>)>, out: &mut Rendered) {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for (e, _) in events.iter() {
        match e {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest <= MAX_NESTING {
        return;
    }
    let mut first: Option<Range<usize>> = None;
    // Whether each open element was kept: starts and ends always pair up.
    let mut open: Vec<bool> = Vec::new();
    events.retain(|(e, range)| match e {
        Event::Start(_) => {
            let keep = open.len() < MAX_NESTING;
            if !keep && first.is_none() {
                first = Some(range.clone());
            }
            open.push(keep);
            keep
        }
        Event::End(_) => open.pop().unwrap_or(true),
        _ => true,
    });
    out.problems.push(Problem {
        span: first.unwrap_or(0..0),
        message: format!(
            "the text nests {deepest} levels deep (quotes, lists or emphasis inside each other); levels past {MAX_NESTING} are shown flat"
        ),
        hint: "each `>` or list marker at the start of a line opens one more level; remove the extra ones".into(),
        warning: true,
    });
}

/// Renders a one-paragraph Markdown string (a summary key) as inline HTML, without `<p>`.
pub fn render_inline(text: &str, resolver: &dyn Resolve, unsafe_html: bool) -> (String, String) {
    let r = render(text, resolver, unsafe_html);
    let html = r
        .html
        .trim()
        .trim_start_matches("<p>")
        .trim_end_matches("</p>")
        .to_string();
    (html, r.first_paragraph_text)
}

/// The entry path an `@/` link or a `link(to=…)` names: `@/improvements/x.md`,
/// `improvements/x/index.md` and `improvements/x` all name `improvements/x`.
pub fn content_key(path: &str) -> &str {
    path.trim_start_matches("@/")
        .trim_end_matches(".md")
        .trim_end_matches("/index")
        .trim_matches('/')
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Checks one link or image URL; returns a replacement when it must change.
fn check_url(
    url: &str,
    range: &Range<usize>,
    resolver: &dyn Resolve,
    is_image: bool,
    out: &mut Rendered,
) -> Option<String> {
    if let Some(rest) = url.strip_prefix("@/") {
        let (path, frag) = match rest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (rest, None),
        };
        let key = content_key(path);
        return match resolver.url_of(key) {
            Some(u) => Some(match frag {
                Some(f) => format!("{u}#{f}"),
                None => u,
            }),
            None => {
                let hint = match resolver.suggest(key) {
                    Some(s) => format!("did you mean @/{s}.md?"),
                    None => "links to other content are written @/SECTION/FILE.md, e.g. @/improvements/faster-refunds.md".into(),
                };
                out.problems.push(Problem {
                    span: range.clone(),
                    message: format!("link to @/{path}: there is no such content file"),
                    hint,
                    warning: false,
                });
                Some("#".into())
            }
        };
    }
    let trimmed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if let Some(colon) = trimmed.find(':') {
        let before = &trimmed[..colon];
        if !before.contains(['/', '?', '#']) {
            let scheme = before.to_ascii_lowercase();
            if !ALLOWED_SCHEMES.contains(&scheme.as_str()) {
                out.problems.push(Problem {
                    span: range.clone(),
                    message: format!("{} uses the `{scheme}:` scheme, which is not allowed; it was removed", if is_image { "an image" } else { "a link" }),
                    hint: "links may be http, https, mailto or tel addresses, or @/ links to other content".into(),
                    warning: true,
                });
                return Some("#".into());
            }
            return None;
        }
    }
    if let Some(file) = local_file(url) {
        out.local_files.push((file, range.clone()));
    }
    None
}

/// The file a page-relative URL names, without its `?query` or `#fragment` (still
/// percent-encoded), or `None` when the URL is not a file beside the page: one with a scheme
/// (`https:`, `mailto:`, `data:`), an `@/` link, a path from the server's root (under the site's
/// base), a `#fragment` or `?query` alone, or a folder (`../other/`, a page).
fn local_file(url: &str) -> Option<String> {
    // Browsers drop spaces and control characters around a URL, and inside a scheme name.
    let url = url.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if url.is_empty() || url.starts_with(['/', '\\', '#', '?']) || url.starts_with("@/") {
        return None;
    }
    if url.contains(':') {
        let squeezed: String = url
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        if let Some(colon) = squeezed.find(':')
            && !squeezed[..colon].contains(['/', '?', '#'])
        {
            return None;
        }
    }
    let file = url.split(['#', '?']).next().unwrap_or("");
    (!file.is_empty() && !file.ends_with('/')).then(|| file.to_string())
}

/// Finds the URLs of files in raw HTML (`src`, `href`, `poster`, `srcset` of any tag; comments
/// and the insides of `<script>`, `<style>` and `<textarea>` skipped) and adds those that are
/// page-relative files to `found`, at their place in the Markdown. `lines` maps where each
/// piece of `html` starts (its offset in `html`, in the Markdown), first piece first.
///
/// Only raw HTML is scanned, and only once: pages without any cost nothing.
fn scan_html(html: &str, lines: &[(usize, usize)], found: &mut Vec<(String, Range<usize>)>) {
    let b = html.as_bytes();
    let at = |pos: usize, len: usize| {
        let (from, md) = lines
            .iter()
            .rev()
            .find(|(from, _)| *from <= pos)
            .copied()
            .unwrap_or((0, 0));
        let start = md + (pos - from);
        start..start + len
    };
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        i += lt + 1;
        if b[i..].starts_with(b"!--") {
            i = memchr::memmem::find(&b[i + 3..], b"-->").map_or(b.len(), |e| i + 3 + e + 3);
            continue;
        }
        let name_len = b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[i].is_ascii_alphabetic() {
            // `</a>`, `<!DOCTYPE>`, `<?php`, or a `<` in text.
            continue;
        }
        let name = &html[i..i + name_len];
        i += name_len;
        // The attributes, as the HTML tokenizer reads them, up to the `>`.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i = (i + 1).min(b.len());
                break;
            }
            let attr_start = i;
            i += 1;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'/' | b'>' | b'=')
            {
                i += 1;
            }
            let attr = &html[attr_start..i];
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] != b'=' {
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value_start, value_end) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                    let v = (i + 1, end);
                    i = (end + 1).min(b.len());
                    v
                }
                _ => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    (start, i)
                }
            };
            let value = &html[value_start..value_end];
            let span = at(value_start, value.len());
            record_files(attr, value, span, found);
        }
        // Their text is not markup: `<script>let a = "<a href=x>"</script>`.
        if ["script", "style", "textarea"]
            .iter()
            .any(|t| name.eq_ignore_ascii_case(t))
        {
            i = raw_text_end(b, i, name);
        }
    }
}

/// Adds the page-relative files an attribute names to `found`, at `span`: the URL of a `src`,
/// `href` or `poster`, or each candidate's URL of a `srcset`.
fn record_files(
    attr: &str,
    value: &str,
    span: Range<usize>,
    found: &mut Vec<(String, Range<usize>)>,
) {
    if ["src", "href", "poster"]
        .iter()
        .any(|a| attr.eq_ignore_ascii_case(a))
    {
        if let Some(file) = local_file(&crate::util::escape::decode_char_references(value)) {
            found.push((file, span));
        }
    } else if attr.eq_ignore_ascii_case("srcset") {
        // `a.png 1x, b.png 2x`: each candidate's URL is its first word.
        for candidate in crate::util::escape::decode_char_references(value).split(',') {
            if let Some(file) = candidate.split_whitespace().next().and_then(local_file) {
                found.push((file, span.clone()));
            }
        }
    }
}

/// Where the text of a `<script>`, `<style>` or `<textarea>` named `name` ends, read from
/// `from`: at its closing tag (any case), or the end of `b`.
fn raw_text_end(b: &[u8], mut from: usize, name: &str) -> usize {
    let name_len = name.len();
    let mut end = b.len();
    while let Some(e) = memchr::memmem::find(&b[from..], b"</") {
        let after = from + e + 2;
        if b.len() >= after + name_len
            && b[after..after + name_len].eq_ignore_ascii_case(name.as_bytes())
        {
            end = from + e;
            break;
        }
        from = after;
    }
    end
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(None)
        .add_generic_attributes(["id", "class", "title", "lang", "dir"])
        .add_tags([
            "input",
            "figure",
            "figcaption",
            "details",
            "summary",
            "mark",
            "abbr",
            "kbd",
            "sub",
            "sup",
            "del",
            "ins",
            "s",
        ])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .add_tag_attributes("img", ["width", "height", "loading"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("th", ["style", "scope"])
        .add_tag_attributes("td", ["style"])
        .url_schemes(ALLOWED_SCHEMES.into_iter().collect());
    b
});

/// Sanitizes HTML written by an untrusted author: no script, no event handlers, no
/// `javascript:` URLs; keeps everything Markdown itself produces.
///
/// Every image keeps its `alt`, or gets `alt=""` when it has none: an image without one is
/// invalid HTML and, to a screen reader, a file name read aloud.
pub fn sanitize(html: &str) -> String {
    give_images_alt(SANITIZER.clean(html).to_string())
}

/// Adds `alt=""` to every `<img>` of `html` that has no `alt`. `html` is the sanitizer's
/// output, serialized by html5ever: lower-case names, every value in double quotes with `"`
/// escaped, no comments, and `<` in text escaped, so a `<` outside a value starts a tag.
fn give_images_alt(html: String) -> String {
    if memchr::memmem::find(html.as_bytes(), b"<img").is_none() {
        return html;
    }
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        let name_start = i + lt + 1;
        let name_end = name_start
            + b[name_start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
        let is_img = &b[name_start..name_end] == b"img";
        let mut has_alt = false;
        let mut k = name_end;
        let mut quoted = false;
        while k < b.len() {
            match b[k] {
                b'"' => quoted = !quoted,
                b'>' if !quoted => break,
                b' ' if !quoted && b[k + 1..].starts_with(b"alt=") => has_alt = true,
                _ => {}
            }
            k += 1;
        }
        if is_img && !has_alt {
            out.push_str(&html[copied..name_end]);
            out.push_str(" alt=\"\"");
            copied = name_end;
        }
        i = (k + 1).min(b.len());
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R;
    impl Resolve for R {
        fn url_of(&self, path: &str) -> Option<String> {
            (path == "improvements/a").then(|| "/base/improvements/a/".to_string())
        }
        fn suggest(&self, _: &str) -> Option<String> {
            Some("improvements/a".into())
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            "  two  words ",
            "tab\tline\nfeed\x0bvertical\x0cform\rreturn",
            "a\u{a0}b c\u{3000}d",
            "café au lait",
            "x\u{1f}y",
            "\n\nlead and trail\n",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn heading_ids_are_unique_and_in_toc() {
        let r = render(
            "## Why it matters\n\ntext\n\n## Why it matters\n",
            &R,
            false,
        );
        assert!(r.html.contains("<h2 id=\"why-it-matters\">"), "{}", r.html);
        assert!(
            r.html.contains("<h2 id=\"why-it-matters-1\">"),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
    }

    #[test]
    fn at_links_resolve_and_missing_ones_are_errors() {
        let r = render(
            "[a](@/improvements/a.md#x) and [b](@/improvements/b.md)",
            &R,
            false,
        );
        assert!(
            r.html.contains("href=\"/base/improvements/a/#x\""),
            "{}",
            r.html
        );
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].message.contains("improvements/b.md"));
        assert_eq!(r.problems[0].hint, "did you mean @/improvements/a.md?");
    }

    #[test]
    fn raw_html_is_sanitized_unless_trusted() {
        let md = "Hi <script>alert(1)</script><b onclick=\"x()\">there</b>\n";
        let r = render(md, &R, false);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(r.html.contains("<b>there</b>"), "{}", r.html);
        let r = render(md, &R, true);
        assert!(r.html.contains("<script>"));
    }

    #[test]
    fn javascript_links_are_removed_even_without_raw_html() {
        let r = render(
            "[x](javascript:alert(1)) [y]( JaVaScript:alert(1))",
            &R,
            false,
        );
        assert!(!r.html.to_lowercase().contains("javascript:"), "{}", r.html);
        assert_eq!(r.problems.iter().filter(|p| p.warning).count(), 2);
    }

    #[test]
    fn first_paragraph_is_the_summary() {
        let r = render(
            "## Title\n\n> quoted\n\nThe *first* one.\n\nSecond.",
            &R,
            false,
        );
        assert_eq!(r.first_paragraph, "The <em>first</em> one.");
        assert_eq!(r.first_paragraph_text, "The first one.");
    }

    #[test]
    fn task_list_boxes_have_a_name_even_when_sanitized() {
        for md in [
            "- [x] shipped\n- [ ] measured\n",
            "- [x] shipped\n- [ ] measured\n\n<b>raw</b>\n",
        ] {
            let r = render(md, &R, false);
            assert!(r.html.contains("aria-label=\"done\""), "{}", r.html);
            assert!(r.html.contains("aria-label=\"not done\""), "{}", r.html);
        }
    }

    #[test]
    fn raw_html_files_are_found_at_their_place() {
        let md = "<img alt='a > b' src=\"a%20b.png?x#y\">\n\n\
                  x <a\nhref=c&amp;d.pdf>c</a> <!-- <img src=no.png> --> <a href=\"#f\">f</a>\n\n\
                  <script>let s = '<img src=no.png>';</script>\n<img srcset=\"e.png 1x, f.png 2x\">\n";
        let r = render(md, &R, false);
        let found: Vec<(&str, &str)> = r
            .html_files
            .iter()
            .map(|(f, span)| (f.as_str(), &md[span.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                ("a%20b.png", "a%20b.png?x#y"),
                ("c&d.pdf", "c&amp;d.pdf"),
                ("e.png", "e.png 1x, f.png 2x"),
                ("f.png", "e.png 1x, f.png 2x"),
            ]
        );
        assert!(r.local_files.is_empty());
    }

    #[test]
    fn sanitized_images_always_have_an_alt() {
        assert_eq!(
            sanitize(
                "<p title=\"<img\"><IMG SRC=a.png> <img alt='x' src=b.png><img src=c.png title=' alt=\"'></p>"
            ),
            "<p title=\"&lt;img\"><img alt=\"\" src=\"a.png\"> <img alt=\"x\" src=\"b.png\"><img alt=\"\" src=\"c.png\" title=\" alt=&quot;\"></p>"
        );
    }

    #[test]
    fn relative_files_are_reported() {
        let r = render(
            "![a photo](photo.jpg) [pdf](report.pdf#p2) [x](https://a.example/)",
            &R,
            false,
        );
        let files: Vec<&str> = r.local_files.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(files, ["photo.jpg", "report.pdf"]);
    }
}
