//! Themes: the default theme embedded in the binary, and a site's own `themes/NAME/` whose
//! templates and static files replace the embedded ones of the same name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::i18n::{Layer, Table};

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The default theme's template `name` (e.g. `base.html`), to copy into a site's own theme.
pub fn default_template(name: &str) -> Option<String> {
    DEFAULT_THEME
        .get_file(format!("templates/{name}"))
        .and_then(|f| f.contents_utf8())
        .map(str::to_string)
}

/// One template's source and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The text.
    pub source: String,
    /// The file, for messages: a site path, or `(embedded) themes/default/templates/NAME`.
    pub display: PathBuf,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Embedded in the binary.
    Embedded(&'static [u8]),
    /// A file of the site's.
    File(PathBuf),
}

/// The templates and static files a build uses, overrides applied.
#[derive(Debug, Default)]
pub struct Theme {
    /// Template name (`improvement.html`) to source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output path (`css/herald.css`) to bytes.
    pub statics: BTreeMap<String, StaticSource>,
    /// Translation tables (`i18n/LANG.toml`): bundled, the theme's, the portal's.
    pub i18n: Vec<crate::i18n::Table>,
}

fn embedded_files(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
    out.extend(dir.files());
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Loads the theme named in site.toml for the site at `root`.
pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostics> {
    let mut theme = Theme::default();
    let mut files = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut files);
    for f in files {
        let p = f.path();
        if let Ok(rel) = p.strip_prefix("templates") {
            if let Some(text) = f.contents_utf8() {
                theme.templates.insert(
                    slash(rel),
                    TemplateSource {
                        source: text.to_string(),
                        display: PathBuf::from(format!("(embedded) themes/default/{}", slash(p))),
                    },
                );
            }
        } else if let Ok(rel) = p.strip_prefix("static") {
            theme
                .statics
                .insert(slash(rel), StaticSource::Embedded(f.contents()));
        } else if let Ok(rel) = p.strip_prefix("i18n")
            && let Some(lang) = table_lang(rel)
            && let Some(text) = f.contents_utf8()
        {
            theme.i18n.push(Table {
                lang,
                layer: Layer::Bundled,
                display: PathBuf::from(format!("(embedded) themes/default/{}", slash(p))),
                text: text.into(),
            });
        }
    }

    let mut diags = Diagnostics::new();
    let dir = root.join("themes").join(name);
    if !dir.is_dir() && name != "default" {
        diags.push(
            Diagnostic::error("site.toml", format!("theme {name:?} does not exist")).with_hint(
                format!(
                    "create {} or set theme = \"default\"",
                    display_path(root, &dir).display()
                ),
            ),
        );
        return Err(diags);
    }
    overlay(
        root,
        &dir.join("templates"),
        &mut diags,
        |rel, path| match std::fs::read_to_string(path) {
            Ok(source) => {
                theme.templates.insert(
                    rel,
                    TemplateSource {
                        source,
                        display: display_path(root, path),
                    },
                );
                None
            }
            Err(e) => Some(format!("cannot read the template: {e}")),
        },
    );
    overlay(root, &dir.join("static"), &mut diags, |rel, path| {
        theme
            .statics
            .insert(rel, StaticSource::File(path.to_path_buf()));
        None
    });
    overlay(root, &root.join("static"), &mut diags, |rel, path| {
        theme
            .statics
            .insert(rel, StaticSource::File(path.to_path_buf()));
        None
    });
    for (layer, dir) in [
        (Layer::Theme, dir.join("i18n")),
        (Layer::Portal, root.join("i18n")),
    ] {
        overlay(root, &dir, &mut diags, |rel, path| {
            let lang = table_lang(Path::new(&rel))?;
            match std::fs::read(path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        theme.i18n.push(Table {
                            lang,
                            layer,
                            display: display_path(root, path),
                            text: text.into(),
                        });
                        None
                    }
                    Err(_) => {
                        Some("this translation table is not UTF-8 text; save it as UTF-8".into())
                    }
                },
                Err(e) => Some(format!("cannot read the translation table: {e}")),
            }
        });
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(theme)
    }
}

/// The language a table's file name gives: `de.toml` → `de`; other files are not tables.
fn table_lang(rel: &Path) -> Option<String> {
    if rel.components().count() != 1 {
        return None;
    }
    let name = rel.to_str()?.strip_suffix(".toml")?;
    let ok = !name.is_empty()
        && name
            .split(['-', '_'])
            .all(|s| !s.is_empty() && s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphanumeric()));
    ok.then(|| name.replace('_', "-"))
}

fn overlay(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    mut add: impl FnMut(String, &Path) -> Option<String>,
) {
    if !dir.is_dir() {
        return;
    }
    for item in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match item {
            Ok(e) if e.file_type().is_file() => {
                let name = e.file_name().to_string_lossy();
                if name.starts_with('.') || name.ends_with('~') {
                    continue;
                }
                if let Ok(rel) = e.path().strip_prefix(dir)
                    && let Some(msg) = add(slash(rel), e.path())
                {
                    diags.push(Diagnostic::io(display_path(root, e.path()), msg));
                }
            }
            Ok(_) => {}
            Err(err) => {
                let p = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| display_path(root, dir));
                diags.push(Diagnostic::io(p, format!("cannot read: {err}")));
            }
        }
    }
}

impl StaticSource {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            StaticSource::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            StaticSource::File(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}
