//! English formats only, until the ICU4X formats land (a stand-in with their interface).
#![allow(missing_docs)]

use crate::util::number::format_number;

/// A language's formats.
pub struct Locale {
    tag: String,
}

/// herald's date styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateStyle {
    DayMonthYear,
    DayMonth,
    DayMonthShort,
    MonthYear,
    MonthYearShort,
    Month,
    MonthShort,
}

impl DateStyle {
    pub fn parse(name: &str) -> Option<DateStyle> {
        Some(match name {
            "long" => DateStyle::DayMonthYear,
            "day_month" => DateStyle::DayMonth,
            "day_month_short" => DateStyle::DayMonthShort,
            "month_year" => DateStyle::MonthYear,
            "month_year_short" => DateStyle::MonthYearShort,
            "month" => DateStyle::Month,
            "month_short" => DateStyle::MonthShort,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Plural {
    pub fn name(self) -> &'static str {
        match self {
            Plural::Zero => "zero",
            Plural::One => "one",
            Plural::Two => "two",
            Plural::Few => "few",
            Plural::Many => "many",
            Plural::Other => "other",
        }
    }
}

impl Locale {
    pub fn new(tag: &str) -> Result<Locale, String> {
        Ok(Locale {
            tag: tag.to_string(),
        })
    }
    pub fn tag(&self) -> &str {
        &self.tag
    }
    pub fn is_english(&self) -> bool {
        self.tag.split('-').next() == Some("en")
    }
    pub fn date(&self, d: jiff::civil::Date, style: DateStyle) -> String {
        let f = match style {
            DateStyle::DayMonthYear => "%-d %B %Y",
            DateStyle::DayMonth => "%-d %B",
            DateStyle::DayMonthShort => "%-d %b",
            DateStyle::MonthYear => "%B %Y",
            DateStyle::MonthYearShort => "%b %Y",
            DateStyle::Month => "%B",
            DateStyle::MonthShort => "%b",
        };
        jiff::fmt::strtime::format(f, d).unwrap_or_default()
    }
    pub fn number(&self, x: f64, max_decimals: usize) -> String {
        format_number(x, max_decimals)
    }
    pub fn plural(&self, n: f64, max_decimals: usize) -> Plural {
        if format_number(n, max_decimals) == "1" {
            Plural::One
        } else {
            Plural::Other
        }
    }
}
