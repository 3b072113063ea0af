//! Everything a build knows before it writes ([`Prepared`]): site.toml, the content and data
//! loaded and checked, the model, the view, the theme's templates, the lobby screens and the
//! page plan. Full builds and `serve`'s incremental rebuilds share it.

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use super::{BuildOptions, check_output_location};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::config::{BaseUrl, Config};
use crate::load::{content, theme};
use crate::util::timings;
use crate::view::lobby;
use crate::{model, render, view};

/// Everything a build knows before it writes: the model, the theme and its templates, the
/// lobby screens and the page plan. Full builds and `serve`'s incremental rebuilds share it.
pub(crate) struct Prepared {
    pub(crate) site: model::Site,
    pub(crate) view: view::View,
    pub(crate) theme: theme::Theme,
    pub(crate) tera: render::Templates,
    pub(crate) lobby: lobby::Lobby,
    pub(crate) jobs: Vec<render::Job>,
    pub(crate) app: String,
    pub(crate) asset_hashes: HashMap<String, String>,
    pub(crate) output: PathBuf,
    pub(crate) diags: Diagnostics,
}

/// Loads and validates everything and plans the pages; renders nothing. `cache` holds Markdown
/// rendered by an earlier run and is updated; a one-off build passes `None`.
pub(crate) fn prepare(
    opts: &BuildOptions,
    cache: Option<&mut model::MarkdownCache>,
) -> Result<Prepared, Diagnostics> {
    let mut t = timings::Timer::new();
    let root = &opts.root;
    let (mut config, base, today, mut diags) = settings(opts)?;
    let mut routes = crate::routes::Routes::new(base);
    if let Some(code) = &opts.language {
        in_language(&mut config, code);
        routes = routes.in_language(code);
        config.base_url = toml::Spanned::new(config.base_url.span(), routes.permalink(""));
    }
    // A further language's own session (`serve`) writes under its folder.
    let output = match &opts.language {
        Some(code) => opts
            .output_dir()
            .join(crate::routes::Routes::language_prefix(code)),
        None => opts.output_dir(),
    };
    if opts.write {
        check_output_location(root, &output, &mut diags);
    }

    let theme = theme::load(root, &config.theme);
    let (content, content_diags) = content::load(
        root,
        &config,
        content::LoadOptions {
            drafts: opts.drafts,
            overlay: opts.overlay.as_deref(),
            language: opts.language.as_deref(),
        },
    );
    diags.extend(content_diags);
    t.mark("load content");
    let (site_data, data_diags) = crate::load::metrics::load(root);
    diags.extend(data_diags);
    let theme = match theme {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let tables = theme
        .as_ref()
        .map(|t| t.i18n.as_slice())
        .unwrap_or_default();
    let i18n = std::sync::Arc::new(crate::i18n::Catalog::build(
        &config.language,
        tables,
        &mut diags,
    ));
    let site = model::Site::build(
        root, config, routes, today, content, site_data, i18n, cache, &mut diags,
    );
    t.mark("model");
    let view = view::View::build(&site, root);
    t.mark("view");
    let Some(theme) = theme else {
        return Err(diags);
    };

    let asset_hashes = asset_hashes(&theme, &mut diags);
    let app = lobby_app_hash(&theme);
    let (lobby, tera) = rayon::join(
        || lobby::build(&site, &app),
        || render::environment(&site, &view, &theme, asset_hashes.clone()),
    );
    let tera = match tera {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let Some(tera) = tera else { return Err(diags) };
    let jobs = render::plan(&site, &lobby);
    t.mark("lobby, templates, plan");
    Ok(Prepared {
        site,
        view,
        theme,
        tera,
        lobby,
        jobs,
        app,
        asset_hashes,
        output,
        diags,
    })
}

/// The configuration as a further language's pages see it: its code as `language`, and its
/// title, description and letter signer where `[languages.CODE]` gives them.
fn in_language(config: &mut Config, code: &str) {
    let Some(lang) = config.languages.get(code).cloned() else {
        return;
    };
    config.main_language = Some(std::mem::replace(&mut config.language, code.to_string()));
    if let Some(t) = lang.title {
        config.title = t;
    }
    if let Some(d) = lang.description {
        config.description = d;
    }
    if let Some(l) = lang.letter {
        config.letter = l;
    }
}

/// site.toml, the base URL (`--base-url` or site.toml's) and what "today" is: what every later
/// step needs. Problems that do not stop the build come back with them.
fn settings(opts: &BuildOptions) -> Result<(Config, BaseUrl, Date, Diagnostics), Diagnostics> {
    let root = &opts.root;
    let site_toml = root.join("site.toml");
    let (config, mut diags) = Config::load_lenient(&site_toml, &display_path(root, &site_toml));
    let Some(config) = config else {
        return Err(diags);
    };

    let base_text = opts
        .base_url
        .clone()
        .unwrap_or_else(|| config.base_url.get_ref().clone());
    let parsed = BaseUrl::parse(&base_text).or_else(|| {
        // site.toml's own value: its error, with the line, is already in `diags`; go on with a
        // stand-in so that every other error is found in the same run.
        opts.base_url
            .is_none()
            .then(|| BaseUrl::parse("https://invalid.invalid/"))
            .flatten()
    });
    let Some(base) = parsed else {
        diags.push(
            Diagnostic::usage(
                "--base-url",
                format!("{base_text:?} is not an http(s) address"),
            )
            .with_hint(
                "write the full address, e.g. --base-url https://staging.example.com/customers/",
            ),
        );
        return Err(diags);
    };
    let tz = config.tz();
    let today = match model::today(opts.today, &tz) {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    Ok((config, base, today, diags))
}

/// The short content hash of each of the theme's static files, for cache-busting URLs; a file
/// that cannot be read is an error.
fn asset_hashes(theme: &theme::Theme, diags: &mut Diagnostics) -> HashMap<String, String> {
    let hashes: Vec<(String, Result<String, String>)> = theme
        .statics
        .par_iter()
        .map(|(rel, src)| {
            (
                rel.clone(),
                src.read()
                    .map(|b| crate::util::hash::short_hash(&b))
                    .map_err(|e| e.to_string()),
            )
        })
        .collect();
    let mut asset_hashes = HashMap::new();
    for (rel, h) in hashes {
        match h {
            Ok(h) => {
                asset_hashes.insert(rel, h);
            }
            Err(e) => diags.push(Diagnostic::io(
                format!("static/{rel}"),
                format!("cannot read: {e}"),
            )),
        }
    }
    asset_hashes
}

/// The hash of the lobby's code: when it changes, screens reload instead of swapping data.
fn lobby_app_hash(theme: &theme::Theme) -> String {
    let mut bytes = Vec::new();
    for name in ["lobby.html"] {
        if let Some(t) = theme.templates.get(name) {
            bytes.extend_from_slice(t.source.as_bytes());
        }
    }
    for name in ["lobby.js", "lobby.css"].map(crate::routes::Routes::lobby_asset) {
        if let Some(Ok(b)) = theme.statics.get(&name).map(theme::StaticSource::read) {
            bytes.extend_from_slice(&b);
        }
    }
    crate::util::hash::short_hash(&bytes)
}
