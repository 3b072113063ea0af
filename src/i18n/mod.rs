//! The company's languages: the formats of dates, numbers and plural forms ([`locale`]) that
//! every page, email, feed and lobby screen is written in.

pub mod locale;
