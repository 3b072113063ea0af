//! Building template values: maps with keys in insertion order, and optional strings and dates.

use jiff::civil::Date;
use tera::Value;
use tera::value::Key;

/// A map value under construction, with keys in insertion order.
#[derive(Default)]
pub struct Obj(tera::Map);

impl Obj {
    /// An empty map.
    pub fn new() -> Self {
        Obj(tera::Map::new())
    }
    /// An empty map with room for `n` keys, for the large values built once per entry.
    pub fn with_capacity(n: usize) -> Self {
        Obj(tera::Map::with_capacity(n))
    }
    /// Adds a key.
    pub fn set(mut self, k: &'static str, v: impl Into<Value>) -> Self {
        self.0.insert(Key::from(k), v.into());
        self
    }
    /// The finished map.
    pub fn build(self) -> Value {
        Value::from(self.0)
    }
}

/// A string, or `none`.
pub fn opt_str(s: Option<&str>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

/// A date as `YYYY-MM-DD`, or `none`.
pub fn date_value(d: Option<Date>) -> Value {
    d.map_or_else(Value::none, |d| Value::from(d.to_string()))
}
