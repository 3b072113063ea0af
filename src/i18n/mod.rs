//! The company's languages: translation tables ([`catalog`]) and the formats of dates, numbers
//! and plural forms ([`locale`]) that every page, email, feed and lobby screen is written in.

pub mod catalog;
pub mod locale;

pub use catalog::{Catalog, Layer, Table, language_name};
