//! The sitemap (`/sitemap.xml`, every intranet page but the lobby screens and the 404 page) and
//! the small redirect page that sends old links to their new address.

use crate::model::Site;
use crate::render::{Input, Job};
use crate::util::escape::xml;

/// The sitemap of every HTML page but the 404.
pub fn sitemap(site: &Site, jobs: &[Job]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for job in jobs.iter().filter(|j| {
        j.template != "404.html"
            && j.template != "lobby.html"
            && j.output.ends_with(".html")
            && !j.inline_css
    }) {
        let lastmod = match job.input {
            Input::Entry(i) => site.entries[i].date(),
            _ => None,
        };
        s.push_str("  <url><loc>");
        s.push_str(&xml(&site.routes.permalink(&job.current_path)));
        s.push_str("</loc>");
        if let Some(d) = lastmod {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// A tiny page that sends browsers from an old address to `to` (`/improvements/page/1/` to
/// `/improvements/`), with the words of `i18n` (`common.moved_title`, `common.moved`).
pub fn redirect_page(to: &str, lang: &str, i18n: &crate::i18n::Catalog) -> String {
    let to = xml(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"canonical\" href=\"{to}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><p><a href=\"{to}\">{text}</a></p></body></html>\n",
        lang = xml(lang),
        title = xml(&i18n.text("common.moved_title")),
        text = xml(&i18n.text("common.moved")),
    )
}
