//! The `cached` template function: renders a component once per build for each key and hands
//! out the same HTML wherever it is called again, like Hugo's `partialCached`.
//!
//! ```text
//! {{ cached(component="improvement_card", key=e.path, e=e, level=3) }}
//! ```
//!
//! renders `improvement_card(e=e, level=3)` the first time, and reuses that HTML for every later
//! call with the same component, the same `key` and the same plain arguments (strings, numbers,
//! booleans, `none`). Maps and lists are passed to the component but are not part of the key:
//! the template names what decides the output with `key` (an entry's `path` decides an entry's
//! card). A Tera 2 component sees only its arguments and the global context, which are the same
//! for the whole build, so its output for equal arguments cannot differ.
//!
//! At 10,000 entries an improvement's card appears on about five pages (its teams, its month's
//! digest, its milestone, the home page); the default theme renders each once.
//!
//! The store lives as long as the templates of one build. `serve`'s quick rebuilds change
//! entries under the same templates, so they call [`Fragments::clear`] first.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::sync::{Arc, RwLock};

use rustc_hash::FxHashMap;
use tera::{Context, Kwargs, State, Tera, Value};

/// Rendered components by key, shared by the rendering threads.
#[derive(Default)]
pub struct Fragments {
    done: RwLock<FxHashMap<String, Value>>,
}

impl Fragments {
    /// Forgets every rendered fragment.
    pub fn clear(&self) {
        if let Ok(mut done) = self.done.write() {
            done.clear();
        }
    }

    /// How many fragments are kept.
    pub fn len(&self) -> usize {
        self.done.read().map_or(0, |d| d.len())
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

thread_local! {
    /// The templates this thread is rendering a page with: a Tera function is handed no way to
    /// render, so [`Rendering`] puts them here for the length of a page.
    static TEMPLATES: RefCell<Option<Arc<Tera>>> = const { RefCell::new(None) };
}

/// While alive, `cached` on this thread renders with the given templates.
pub struct Rendering(Option<Arc<Tera>>);

impl Rendering {
    /// Makes `tera` this thread's templates until the guard is dropped.
    pub fn enter(tera: &Arc<Tera>) -> Rendering {
        Rendering(TEMPLATES.with_borrow_mut(|t| t.replace(Arc::clone(tera))))
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let before = self.0.take();
        TEMPLATES.with_borrow_mut(|t| *t = before);
    }
}

/// Registers `cached` on `tera`, keeping what it renders in `store`.
pub fn register(tera: &mut Tera, store: &Arc<Fragments>) {
    let store = Arc::clone(store);
    tera.register_function(
        "cached",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> { cached(&store, &kwargs) },
    );
}

fn cached(store: &Fragments, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let component: &str = kwargs.must_get("component")?;
    let key: &Value = kwargs.get("key")?.ok_or_else(|| {
        tera::Error::message(format!(
            "cached(component={component:?}): `key` is missing; pass what decides the output, \
             e.g. key=e.path"
        ))
    })?;
    let mut id = String::with_capacity(96);
    let _ = write!(id, "{component}\u{1}{}\u{1}{key}", key.name());
    let mut args = Context::new();
    for (k, v) in kwargs.iter() {
        let Some(name) = k.as_str() else { continue };
        if name == "component" || name == "key" {
            continue;
        }
        if !(v.is_map() || v.is_array() || v.is_bytes()) {
            let _ = write!(id, "\u{1}{name}\u{2}{}\u{2}{v}", v.name());
        }
        args.insert_value(name.to_string(), v.clone());
    }
    if let Some(html) = store.done.read().ok().and_then(|d| d.get(&id).cloned()) {
        return Ok(html);
    }
    let tera = TEMPLATES.with_borrow(Option::clone).ok_or_else(|| {
        tera::Error::message("cached() can only be called while a page is being rendered")
    })?;
    let html = tera
        .render_component(component, &args, None, true)
        .map_err(|e| {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let _ = write!(text, ": {s}");
                source = s.source();
            }
            tera::Error::message(format!("cached(component={component:?}): {text}"))
        })?;
    let html = Value::safe_string(&html);
    if let Ok(mut done) = store.done.write() {
        done.insert(id, html.clone());
    }
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates with a card component whose output shows every argument, and the store.
    fn templates() -> (Arc<Tera>, Arc<Fragments>) {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        let store = Arc::new(Fragments::default());
        register(&mut tera, &store);
        tera.add_raw_templates(vec![
            (
                "components.html",
                "{% component card(e, level=3, @site) %}<h{{ level }}>{{ e.title }}</h{{ level }}>\
                 [{{ site.name }}]{% endcomponent card %}",
            ),
            (
                "list.html",
                "{% for e in items %}{{ cached(component=\"card\", key=e.path, e=e, level=lv) }}\
                 {% endfor %}",
            ),
            ("nokey.html", "{{ cached(component=\"card\", e=items[0]) }}"),
            (
                "ghost.html",
                "{{ cached(component=\"nothing\", key=\"k\", e=items[0]) }}",
            ),
        ])
        .expect("templates");
        tera.global_context()
            .insert("site", &serde_json::json!({"name": "Acme"}));
        (Arc::new(tera), store)
    }

    fn render(tera: &Arc<Tera>, template: &str, level: i64) -> tera::TeraResult<String> {
        let mut ctx = Context::new();
        ctx.insert(
            "items",
            &serde_json::json!([
                {"path": "a", "title": "Fish & chips"},
                {"path": "b", "title": "Bread"},
                {"path": "a", "title": "Fish & chips"},
            ]),
        );
        ctx.insert("lv", &level);
        let _rendering = Rendering::enter(tera);
        tera.render(template, &ctx)
    }

    #[test]
    fn a_component_is_rendered_once_per_key_and_plain_arguments() {
        let (tera, store) = templates();
        let three =
            "<h3>Fish &amp; chips</h3>[Acme]<h3>Bread</h3>[Acme]<h3>Fish &amp; chips</h3>[Acme]";
        assert_eq!(render(&tera, "list.html", 3).expect("render"), three);
        assert_eq!(store.len(), 2, "a and b at level 3");
        // Another level is another fragment, not the level-3 one again.
        assert_eq!(
            render(&tera, "list.html", 2).expect("render"),
            three.replace("h3>", "h2>")
        );
        assert_eq!(store.len(), 4);
        assert_eq!(store.len(), 4);
        // A known call is answered from the store: a changed global is not seen until it is
        // cleared, as `serve` does after an edit.
        let mut tera = tera;
        Arc::get_mut(&mut tera)
            .expect("sole owner")
            .global_context()
            .insert("site", &serde_json::json!({"name": "Globex"}));
        assert_eq!(render(&tera, "list.html", 3).expect("render"), three);
        assert_eq!(store.len(), 4, "nothing new for a known call");
        store.clear();
        assert!(store.is_empty());
        assert_eq!(
            render(&tera, "list.html", 3).expect("render"),
            three.replace("Acme", "Globex")
        );
    }

    #[test]
    fn mistakes_are_reported_with_the_component() {
        let (tera, _) = templates();
        let e = format!("{:?}", render(&tera, "nokey.html", 3).expect_err("no key"));
        assert!(
            e.contains("`key` is missing") && e.contains("e.path"),
            "{e}"
        );
        let e = format!(
            "{:?}",
            render(&tera, "ghost.html", 3).expect_err("no component")
        );
        assert!(e.contains("cached(component=\\\"nothing\\\")"), "{e}");
        // Outside a page render there are no templates to render with.
        let mut ctx = Context::new();
        ctx.insert("items", &serde_json::json!([{"path": "a", "title": "A"}]));
        ctx.insert("lv", &3);
        let e = format!("{:?}", tera.render("list.html", &ctx).expect_err("outside"));
        assert!(e.contains("while a page is being rendered"), "{e}");
    }
}
