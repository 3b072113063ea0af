//! Escaping for text herald writes by hand: XML and HTML (feeds, the sitemap, redirect pages)
//! and JSON inside a `<script>` element.

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value as Json, json};

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
