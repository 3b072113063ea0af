//! Markdown text through `herald::model::markdown::render` (and `render_inline`, as summaries take it),
//! with raw HTML trusted and not. Nothing may panic, and with `unsafe_html = false` the HTML must
//! be safe to put in a page: no script-running element, no event-handler or `style`-bearing
//! attribute outside what herald itself writes, and no link or image URL with a scheme other
//! than http, https, mailto and tel. Heading ids are unique on the page.

#![no_main]

use std::collections::HashSet;

use herald::model::markdown::{self, Resolve};
use libfuzzer_sys::fuzz_target;

struct Resolver;

impl Resolve for Resolver {
    fn url_of(&self, path: &str) -> Option<String> {
        matches!(path, "improvements/faster-refunds" | "about")
            .then(|| format!("/customers/{path}/"))
    }
    fn suggest(&self, path: &str) -> Option<String> {
        path.starts_with("improvements/")
            .then(|| "improvements/faster-refunds".to_string())
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for unsafe_html in [false, true] {
        let r = markdown::render(&text, &Resolver, unsafe_html);
        for p in &r.problems {
            assert!(
                p.span.start <= p.span.end && p.span.end <= text.len(),
                "problem span {:?} outside the text ({} bytes)",
                p.span,
                text.len()
            );
        }
        for (_, span) in &r.local_files {
            assert!(span.start <= span.end && span.end <= text.len());
        }
        let mut ids = HashSet::new();
        for h in &r.toc {
            assert!((1..=6).contains(&h.level));
            assert!(ids.insert(h.id.as_str()), "heading id {:?} twice", h.id);
        }
        if !unsafe_html {
            check_safe(&r.html, &text);
            check_safe(&r.first_paragraph, &text);
        }
        let (inline, _) = markdown::render_inline(&text, &Resolver, unsafe_html);
        if !unsafe_html {
            check_safe(&inline, &text);
        }
    }
});

/// Elements that run script, load other documents or restyle the page.
const FORBIDDEN_TAGS: [&str; 12] = [
    "script", "style", "iframe", "frame", "object", "embed", "form", "link", "meta", "base", "svg",
    "math",
];

const URL_ATTRS: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "srcset",
];

/// Walks the tags of `html` (as a browser's tokenizer would, for the well-formed output of
/// pulldown-cmark and ammonia) and checks each element and attribute.
fn check_safe(html: &str, input: &str) {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        i += 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        assert!(
            !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric()),
            "a stray `<` or odd tag {name:?} in sanitized output\n--- input\n{input:?}\n--- html\n{html}"
        );
        assert!(
            !FORBIDDEN_TAGS.contains(&name.as_str()),
            "<{name}> in sanitized output\n--- input\n{input:?}\n--- html\n{html}"
        );
        // Attributes, up to the tag's end.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[a..i].to_ascii_lowercase();
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let v = i + 1;
                        let end = html[v..].find(q as char).map_or(b.len(), |e| v + e);
                        value = html[v..end].to_string();
                        i = end + 1;
                    }
                    _ => {
                        let v = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        value = html[v..i].to_string();
                    }
                }
            }
            check_attr(&name, &attr, &value, input, html);
        }
    }
}

fn check_attr(tag: &str, attr: &str, value: &str, input: &str, html: &str) {
    let ctx = || format!("<{tag} {attr}={value:?}>\n--- input\n{input:?}\n--- html\n{html}");
    assert!(
        !attr.starts_with("on"),
        "event handler in sanitized output: {}",
        ctx()
    );
    assert!(
        attr != "style" || matches!(tag, "th" | "td"),
        "a style attribute in sanitized output: {}",
        ctx()
    );
    assert!(attr != "srcdoc" && attr != "formaction", "{}", ctx());
    if URL_ATTRS.contains(&attr) {
        let url = browser_url(value);
        if let Some(scheme) = scheme_of(&url) {
            assert!(
                matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel"),
                "a `{scheme}:` URL in sanitized output: {}",
                ctx()
            );
        }
    }
}

/// The URL a browser would read from an attribute value: character references decoded, ASCII
/// tab and newline removed, leading and trailing C0 controls and spaces trimmed.
fn browser_url(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| decode_ref(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !matches!(c, '\t' | '\n' | '\r'));
    out.trim_matches(|c: char| c <= ' ').to_string()
}

fn decode_ref(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            _ => None,
        };
    };
    char::from_u32(code)
}

/// The URL's scheme, lower-cased, if it has one (`scheme:` with the URL standard's characters).
fn scheme_of(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| s.to_ascii_lowercase())
}
