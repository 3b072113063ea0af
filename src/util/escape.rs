//! Escaping for text herald writes by hand: XML and HTML (feeds, the sitemap, redirect pages)
//! and JSON inside a `<script>` element; and the reverse, HTML's character references read as
//! a browser reads them (the search index's text, the files raw HTML links to).

/// Appends `s` to `out` with XML's five special characters escaped.
pub fn xml_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&apos;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// `s` with XML's five special characters escaped; the one escaper for XML and HTML text
/// and attributes that herald writes itself.
pub fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    xml_into(&mut o, s);
    o
}

/// Escapes JSON for a `<script type="application/json">` element.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A character reference at the start of `s` (which starts with `&`): the character and the
/// bytes it took, or none and 1.
pub fn char_reference(s: &str) -> (Option<char>, usize) {
    let end = s.as_bytes().iter().take(12).position(|&c| c == b';');
    let Some(end) = end else { return (None, 1) };
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        n.and_then(char::from_u32)
    } else {
        match body {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "hellip" => Some('…'),
            "rsquo" => Some('’'),
            "lsquo" => Some('‘'),
            "rdquo" => Some('”'),
            "ldquo" => Some('“'),
            _ => None,
        }
    };
    match c {
        Some(c) => (Some(c), end + 1),
        None => (None, 1),
    }
}

/// `value` with its character references (`&amp;`, `&#233;`, `&#x2F;`) decoded, as a browser
/// reads an attribute; an `&` that starts none stays as it is.
pub fn decode_char_references(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains('&') {
        return value.into();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, used) = char_reference(rest);
        match decoded {
            Some(c) => out.push(c),
            None => out.push('&'),
        }
        rest = &rest[used..];
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value as Json, json};

    #[test]
    fn character_references_decode_as_a_browser_reads_them() {
        assert_eq!(
            decode_char_references("a&amp;b &#233; &#x2F; &bogus; &"),
            "a&b é / &bogus; &"
        );
        assert_eq!(char_reference("&lt;x"), (Some('<'), 4));
        assert_eq!(char_reference("&nope"), (None, 1));
    }

    #[test]
    fn xml_escapes_the_five() {
        assert_eq!(xml(r#"a&b<c>d"e'f"#), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
        assert_eq!(xml("plain ü ✓"), "plain ü ✓");
    }

    #[test]
    fn script_safe_json_cannot_close_the_script() {
        let j = serde_json::to_string(&json!({ "t": "</script><b>&\u{2028}" })).expect("json");
        let s = script_safe(&j);
        assert!(!s.contains("</script>") && !s.contains('<') && !s.contains('&'));
        let back: Json = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back["t"], "</script><b>&\u{2028}");
    }
}
