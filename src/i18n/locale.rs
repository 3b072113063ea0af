//! A language's own formats of dates, numbers and plural categories, from ICU4X and its
//! compiled CLDR data.
//!
//! English keeps herald's own formats, byte for byte: dates through `jiff`'s `strftime`
//! ("15 November 2026", "Nov 2026") and numbers through [`format_number`] (no thousands
//! separator, `.` for decimals). Every other language is formatted by ICU4X as CLDR writes it:
//! "15. November 2026" and "1.234,5" in German, "15 novembre 2026" and "1\u{202f}234,5" (a
//! narrow no-break space) in French.
//!
//! A [`Locale`] builds its formatters once, in [`Locale::new`]; a call formats with them and
//! builds nothing. It is `Send + Sync` (ICU4X's `sync` feature), so the rayon workers that
//! render the pages share one.

use crate::util::number::format_number;
use fixed_decimal::{Decimal, Sign};
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{M, MD, YM, YMD};
use icu_datetime::options::YearStyle;
use icu_datetime::pattern::FixedCalendarDateTimeNames;
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_decimal::DecimalFormatter;
use icu_decimal::options::DecimalFormatterOptions;
use icu_locale_core::subtags::language;
use icu_plurals::{PluralCategory, PluralRules};
use writeable::Writeable;

/// A language's formats: dates, numbers, plural categories.
pub struct Locale {
    tag: String,
    english: bool,
    plurals: PluralRules,
    /// ICU4X's formatters; `None` for English, which keeps herald's own formats.
    formats: Option<Box<Formats>>,
}

/// The formatters for a language other than English, one for each [`DateStyle`].
///
/// The full names are CLDR's long lengths and the abbreviated ones its medium lengths, all in
/// the Gregorian calendar and always with the whole year (`YearStyle::Full`):
///
/// | style | field set, length | de | fr | es |
/// |---|---|---|---|---|
/// | `DayMonthYear` | year-month-day, long | 15. November 2026 | 15 novembre 2026 | 15 de noviembre de 2026 |
/// | `DayMonth` | month-day, long | 15. November | 15 novembre | 15 de noviembre |
/// | `DayMonthShort` | month-day, medium | 15. Nov. | 15 nov. | 15 nov |
/// | `MonthYear` | year-month, long | November 2026 | novembre 2026 | noviembre de 2026 |
/// | `MonthYearShort` | year-month, medium | 11/2026 | nov. 2026 | nov 2026 |
/// | `Month` | month on its own, long | November | novembre | noviembre |
/// | `MonthShort` | month on its own, medium | Nov | nov. | nov |
///
/// CLDR's medium year-month is numeric in some languages (German "11/2026", Japanese
/// "2026/11"): that is the language's own short form, so it is kept.
struct Formats {
    decimal: DecimalFormatter,
    day_month_year: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    day_month: FixedCalendarDateTimeFormatter<Gregorian, MD>,
    day_month_short: FixedCalendarDateTimeFormatter<Gregorian, MD>,
    month_year: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    month_year_short: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    month: FixedCalendarDateTimeFormatter<Gregorian, M>,
    month_short: FixedCalendarDateTimeFormatter<Gregorian, M>,
}

// The renderer shares a `Locale` between rayon's workers.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Locale>();
};

/// herald's date styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateStyle {
    /// "15 November 2026" (en), "15. November 2026" (de), "15 novembre 2026" (fr),
    /// "15 de noviembre de 2026" (es).
    DayMonthYear,
    /// "15 November" / "15. November" / "15 novembre" / "15 de noviembre".
    DayMonth,
    /// CLDR's abbreviated day and month: "15 Nov" / "15. Nov." / "15 nov." / "15 nov".
    DayMonthShort,
    /// "November 2026" / "November 2026" / "novembre 2026" / "noviembre de 2026".
    MonthYear,
    /// CLDR's short month and year: "Nov 2026" / "11/2026" / "nov. 2026" / "nov 2026" (numeric
    /// in German, as CLDR has it).
    MonthYearShort,
    /// The month's name on its own: "November" (en, de) / "novembre" / "noviembre".
    Month,
    /// The month's abbreviated name on its own: "Nov" / "Nov" / "nov." / "nov".
    MonthShort,
}

impl DateStyle {
    /// Parses the names templates use: "long" (DayMonthYear), "day_month", "day_month_short",
    /// "month_year", "month_year_short", "month", "month_short". None for anything else.
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

    /// The `strftime` format of the style in English, herald's format before the languages.
    fn english(self) -> &'static str {
        match self {
            DateStyle::DayMonthYear => "%-d %B %Y",
            DateStyle::DayMonth => "%-d %B",
            DateStyle::DayMonthShort => "%-d %b",
            DateStyle::MonthYear => "%B %Y",
            DateStyle::MonthYearShort => "%b %Y",
            DateStyle::Month => "%B",
            DateStyle::MonthShort => "%b",
        }
    }
}

/// A cardinal plural category, as CLDR names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    /// "zero"
    Zero,
    /// "one"
    One,
    /// "two"
    Two,
    /// "few"
    Few,
    /// "many"
    Many,
    /// "other"
    Other,
}

impl Plural {
    /// The category's CLDR name: "zero", "one", "two", "few", "many" or "other".
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

impl From<PluralCategory> for Plural {
    fn from(category: PluralCategory) -> Plural {
        match category {
            PluralCategory::Zero => Plural::Zero,
            PluralCategory::One => Plural::One,
            PluralCategory::Two => Plural::Two,
            PluralCategory::Few => Plural::Few,
            PluralCategory::Many => Plural::Many,
            PluralCategory::Other => Plural::Other,
        }
    }
}

impl Locale {
    /// `tag` is a BCP 47 tag such as "de", "fr-CA", "es", "en", "pt-BR"; an error in plain
    /// words when it is not a valid tag. A valid tag that CLDR has no data for falls back as
    /// ICU4X falls back (to its parent language, then to the root data).
    pub fn new(tag: &str) -> Result<Locale, String> {
        let locale = icu_locale_core::Locale::try_from_str(tag).map_err(|_| {
            format!(
                "{tag:?} is not a language tag; write one such as \"de\", \"fr-CA\" or \"pt-BR\""
            )
        })?;
        let english = locale.id.language == language!("en");
        let cannot = |what: &str, e: &dyn std::fmt::Display| {
            format!("the {what} of the language {tag:?} cannot be loaded ({e})")
        };
        let plurals = PluralRules::try_new_cardinal((&locale).into())
            .map_err(|e| cannot("plural forms", &e))?;
        let formats = if english {
            None
        } else {
            let prefs = DateTimeFormatterPreferences::from(&locale);
            // ICU4X loads a formatter's digits only when the pattern it inspects (the one with
            // the era) has a number in it, and CLDR's long year-month with the era in
            // Portuguese has none ("MMMM 'de Y' GGG"), which would leave "novembro de 2026"
            // without its digits (a panic in debug builds). So every formatter is given the
            // digits itself.
            macro_rules! formatter {
                ($field_set:expr) => {{
                    let field_set = $field_set;
                    let formatter = FixedCalendarDateTimeFormatter::try_new(prefs, field_set)
                        .map_err(|e| cannot("date formats", &e))?;
                    let mut names = FixedCalendarDateTimeNames::from_formatter(prefs, formatter);
                    names
                        .include_decimal_formatter()
                        .map_err(|e| cannot("date formats", &e))?;
                    names
                        .try_into_formatter(field_set)
                        .map_err(|(e, _)| cannot("date formats", &e))?
                }};
            }
            Some(Box::new(Formats {
                decimal: DecimalFormatter::try_new(
                    (&locale).into(),
                    DecimalFormatterOptions::default(),
                )
                .map_err(|e| cannot("number formats", &e))?,
                day_month_year: formatter!(YMD::long().with_year_style(YearStyle::Full)),
                day_month: formatter!(MD::long()),
                day_month_short: formatter!(MD::medium()),
                month_year: formatter!(YM::long().with_year_style(YearStyle::Full)),
                month_year_short: formatter!(YM::medium().with_year_style(YearStyle::Full)),
                month: formatter!(M::long()),
                month_short: formatter!(M::medium()),
            }))
        };
        Ok(Locale {
            tag: locale.to_string(),
            english,
            plurals,
            formats,
        })
    }

    /// The tag as given, in its normal form ("fr-ca" reads "fr-CA").
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Whether the language subtag is "en".
    pub fn is_english(&self) -> bool {
        self.english
    }

    /// A day in one of herald's date styles.
    pub fn date(&self, d: jiff::civil::Date, style: DateStyle) -> String {
        let Some(f) = &self.formats else {
            return jiff::fmt::strtime::format(style.english(), d).unwrap_or_default();
        };
        // jiff's years (-9999 to 9999) are all Gregorian years ICU4X takes.
        let Ok(date) = Date::try_new_gregorian(i32::from(d.year()), d.month() as u8, d.day() as u8)
        else {
            return d.to_string();
        };
        // ICU4X gives no length hint for a date, so the room for one is made here.
        let mut text = String::with_capacity(32);
        let written = match style {
            DateStyle::DayMonthYear => f.day_month_year.format(&date).write_to(&mut text),
            DateStyle::DayMonth => f.day_month.format(&date).write_to(&mut text),
            DateStyle::DayMonthShort => f.day_month_short.format(&date).write_to(&mut text),
            DateStyle::MonthYear => f.month_year.format(&date).write_to(&mut text),
            DateStyle::MonthYearShort => f.month_year_short.format(&date).write_to(&mut text),
            DateStyle::Month => f.month.format(&date).write_to(&mut text),
            DateStyle::MonthShort => f.month_short.format(&date).write_to(&mut text),
        };
        // Writing to a String cannot fail.
        debug_assert!(written.is_ok());
        // French writes the first of the month as an ordinal ("1er novembre"), which CLDR's
        // patterns leave to the caller.
        if d.day() == 1
            && self.tag.split(['-', '_']).next() == Some("fr")
            && matches!(
                style,
                DateStyle::DayMonthYear | DateStyle::DayMonth | DateStyle::DayMonthShort
            )
            && let Some(rest) = text
                .strip_prefix("1\u{a0}")
                .or_else(|| text.strip_prefix("1 "))
        {
            text = format!("1er {rest}");
        }
        text
    }

    /// A number with at most `max_decimals` decimals, no trailing zeros, grouped as the
    /// language groups. It is rounded exactly as [`format_number`] rounds it (half to even),
    /// then written in the language's digits and separators.
    pub fn number(&self, x: f64, max_decimals: usize) -> String {
        let Some(f) = &self.formats else {
            return format_number(x, max_decimals);
        };
        match shown(x, max_decimals) {
            Some(d) => f.decimal.format(&d).write_to_string().into_owned(),
            // NaN and the infinities have no digits to write.
            None => format_number(x, max_decimals),
        }
    }

    /// The cardinal plural category of `n` as it would be shown with at most `max_decimals`
    /// decimals: in German "1" is one and "1,5" other, in French both are one. English too
    /// follows CLDR: one for "1" (and "-1"), other for everything else.
    pub fn plural(&self, n: f64, max_decimals: usize) -> Plural {
        if let Some(whole) = shown_whole(n, max_decimals) {
            return self.plurals.category_for(whole).into();
        }
        match shown(n, max_decimals) {
            Some(d) => self.plurals.category_for(&d).into(),
            None => Plural::Other,
        }
    }
}

/// `x` as [`format_number`] shows it: rounded to at most `decimals` decimals in the same way,
/// without trailing zeros, and "-0" read as 0. `None` for NaN and the infinities.
fn shown(x: f64, decimals: usize) -> Option<Decimal> {
    if let Some(whole) = shown_whole(x, decimals) {
        return Some(Decimal::from(whole));
    }
    if !x.is_finite() {
        return None;
    }
    let mut d = Decimal::try_from_str(&format!("{x:.decimals$}")).ok()?;
    d.absolute.trim_end();
    if d.absolute.is_zero() {
        d.sign = Sign::None;
    }
    Some(d)
}

/// `x` as [`format_number`] shows it when that is a whole number it writes without float
/// formatting: the same fast path, with the same half-to-even rounding at 0 decimals.
fn shown_whole(x: f64, decimals: usize) -> Option<i64> {
    let whole = if decimals == 0 {
        x.round_ties_even()
    } else if x.fract() == 0.0 {
        x
    } else {
        return None;
    };
    // `as i64` makes -0 read 0.
    (whole.abs() < 1e15).then_some(whole as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const STYLES: [DateStyle; 7] = [
        DateStyle::DayMonthYear,
        DateStyle::DayMonth,
        DateStyle::DayMonthShort,
        DateStyle::MonthYear,
        DateStyle::MonthYearShort,
        DateStyle::Month,
        DateStyle::MonthShort,
    ];

    fn locale(tag: &str) -> Locale {
        Locale::new(tag).expect("a valid tag")
    }

    /// Every style of 15 November 2026, in [`STYLES`]' order.
    fn dates(l: &Locale) -> Vec<String> {
        STYLES
            .iter()
            .map(|&s| l.date(date(2026, 11, 15), s))
            .collect()
    }

    #[test]
    fn tags() {
        assert_eq!(locale("fr-ca").tag(), "fr-CA");
        assert_eq!(locale("pt-BR").tag(), "pt-BR");
        assert_eq!(locale("ES").tag(), "es");
        assert!(locale("en").is_english());
        assert!(locale("en-GB").is_english());
        assert!(!locale("de").is_english());
        for bad in ["??", "", "en-", "en_GB", "english please"] {
            assert!(Locale::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Locale::new("??").err().as_deref(),
            Some("\"??\" is not a language tag; write one such as \"de\", \"fr-CA\" or \"pt-BR\"")
        );
    }

    #[test]
    fn style_names() {
        let names = [
            "long",
            "day_month",
            "day_month_short",
            "month_year",
            "month_year_short",
            "month",
            "month_short",
        ];
        for (name, style) in names.into_iter().zip(STYLES) {
            assert_eq!(DateStyle::parse(name), Some(style));
        }
        assert_eq!(DateStyle::parse("short"), None);
        assert_eq!(Plural::Few.name(), "few");
    }

    #[test]
    fn english_keeps_herald_formats() {
        for tag in ["en", "en-GB", "en-US"] {
            let en = locale(tag);
            assert_eq!(
                dates(&en),
                [
                    "15 November 2026",
                    "15 November",
                    "15 Nov",
                    "November 2026",
                    "Nov 2026",
                    "November",
                    "Nov"
                ]
            );
            assert_eq!(
                en.date(date(2026, 5, 3), DateStyle::DayMonthYear),
                "3 May 2026"
            );
            for (x, k) in [
                (1234.5, 1),
                (1234567.891, 2),
                (2.5, 0),
                (-0.001, 2),
                (1e20, 0),
            ] {
                assert_eq!(en.number(x, k), format_number(x, k));
            }
            assert_eq!(en.number(1234.5, 1), "1234.5");
        }
    }

    #[test]
    fn german() {
        let de = locale("de");
        assert_eq!(
            dates(&de),
            [
                "15. November 2026",
                "15. November",
                "15. Nov.",
                "November 2026",
                "11/2026",
                "November",
                "Nov"
            ]
        );
        assert_eq!(
            de.date(date(2026, 5, 3), DateStyle::DayMonthYear),
            "3. Mai 2026"
        );
        assert_eq!(de.number(1234.5, 1), "1.234,5");
        assert_eq!(de.number(1234.5, 0), "1.234");
        assert_eq!(de.number(1234567.891, 2), "1.234.567,89");
        assert_eq!(de.number(0.5, 3), "0,5");
        assert_eq!(de.number(-0.001, 2), "0");
        assert_eq!(de.number(999.0, 0), "999");
        assert_eq!(de.number(f64::NAN, 1), "NaN");
        assert_eq!(de.plural(1.0, 0), Plural::One);
        assert_eq!(de.plural(1.5, 1), Plural::Other);
        assert_eq!(de.plural(1.5, 0), Plural::Other, "1.5 shows as 2");
        assert_eq!(de.plural(1.04, 1), Plural::One, "1.04 shows as 1");
        assert_eq!(de.plural(0.0, 0), Plural::Other);
    }

    #[test]
    fn french() {
        let fr = locale("fr");
        assert_eq!(
            dates(&fr),
            [
                "15 novembre 2026",
                "15 novembre",
                "15 nov.",
                "novembre 2026",
                "nov. 2026",
                "novembre",
                "nov."
            ]
        );
        let first = jiff::civil::date(2026, 11, 1);
        assert_eq!(fr.date(first, DateStyle::DayMonthYear), "1er novembre 2026");
        assert_eq!(fr.date(first, DateStyle::DayMonth), "1er novembre");
        assert_eq!(fr.date(first, DateStyle::MonthYear), "novembre 2026");
        assert_eq!(
            locale("de").date(first, DateStyle::DayMonthYear),
            "1. November 2026"
        );
        // A narrow no-break space groups in France, a no-break space in Canada.
        assert_eq!(fr.number(1234.5, 1), "1\u{202f}234,5");
        assert_eq!(locale("fr-CA").number(1234.5, 1), "1\u{a0}234,5");
        assert_eq!(fr.plural(1.5, 1), Plural::One);
        assert_eq!(fr.plural(0.0, 0), Plural::One);
        assert_eq!(fr.plural(2.0, 0), Plural::Other);
        assert_eq!(fr.plural(1e6, 0), Plural::Many);
    }

    #[test]
    fn spanish() {
        let es = locale("es");
        assert_eq!(
            dates(&es),
            [
                "15 de noviembre de 2026",
                "15 de noviembre",
                "15 nov",
                "noviembre de 2026",
                "nov 2026",
                "noviembre",
                "nov"
            ]
        );
        // Spanish groups only from five digits on (CLDR's minimum grouping digits: 2).
        assert_eq!(es.number(1234.5, 1), "1234,5");
        assert_eq!(es.number(12345.0, 0), "12.345");
        assert_eq!(es.plural(1.0, 0), Plural::One);
        assert_eq!(es.plural(1.5, 1), Plural::Other);
    }

    #[test]
    fn english_plurals() {
        let en = locale("en");
        assert_eq!(en.plural(0.0, 0), Plural::Other);
        assert_eq!(en.plural(1.0, 0), Plural::One);
        assert_eq!(en.plural(1.0, 2), Plural::One, "1.0 shows as 1");
        assert_eq!(en.plural(1.5, 1), Plural::Other);
        assert_eq!(en.plural(0.6, 0), Plural::One, "0.6 shows as 1");
        assert_eq!(en.plural(2.0, 0), Plural::Other);
        assert_eq!(en.plural(f64::NAN, 0), Plural::Other);
    }

    /// The year-month in Portuguese, whose pattern with the era has no digits in CLDR (the
    /// reason every formatter is given its digits).
    #[test]
    fn portuguese_month_year() {
        let pt = locale("pt-BR");
        assert_eq!(
            pt.date(date(2026, 11, 15), DateStyle::MonthYear),
            "novembro de 2026"
        );
        assert_eq!(
            pt.date(date(2026, 11, 15), DateStyle::MonthYearShort),
            "nov. de 2026"
        );
    }

    /// ICU4X stops a debug build on a pattern whose names or digits it did not load, so
    /// every style in a spread of languages and scripts shows that none is missing.
    #[test]
    fn many_languages_format_every_style() {
        let tags = [
            "ar", "ar-EG", "bg", "bn", "ca", "cs", "da", "de-AT", "de-CH", "el", "es-MX", "et",
            "fa", "fi", "fil", "ga", "he", "hi", "hr", "hu", "id", "is", "it", "ja", "ko", "lt",
            "lv", "ms", "nb", "nl", "pl", "pt", "pt-PT", "ro", "ru", "sk", "sl", "sr", "sr-Latn",
            "sv", "sw", "th", "tr", "uk", "vi", "zh", "zh-Hant", "cy", "eu", "gl", "und", "xx",
        ];
        for tag in tags {
            let l = locale(tag);
            for text in dates(&l) {
                assert!(!text.is_empty(), "{tag}");
            }
            assert!(!l.number(-1234567.891, 2).is_empty(), "{tag}");
        }
        assert_eq!(locale("ar-EG").number(1234.5, 1), "١٬٢٣٤٫٥");
        assert_eq!(
            locale("ja").date(date(2026, 11, 15), DateStyle::DayMonthYear),
            "2026年11月15日"
        );
        // A language ICU4X has no data for gets the root formats.
        assert_eq!(
            locale("xx").date(date(2026, 11, 15), DateStyle::MonthYear),
            "2026 M11"
        );
    }

    /// Every language rounds and trims as English does: the shown decimal is
    /// `format_number`'s.
    #[test]
    fn rounds_as_format_number() {
        let values = [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            -0.4,
            0.125,
            0.375,
            1.005,
            2.675,
            1.04,
            1.96,
            99.995,
            1234.5,
            -1234.567,
            1e-9,
            -1e-9,
            999_999.999,
            1e15,
            1e15 + 0.5,
            1e16,
            123456789012.345,
            3.0e20,
            -7.25e17,
        ];
        for x in values {
            for k in [0, 1, 2, 3, 6] {
                let d = shown(x, k).expect("a finite number");
                assert_eq!(d.to_string(), format_number(x, k), "{x} with {k} decimals");
            }
        }
        assert!(shown(f64::INFINITY, 2).is_none());
        assert!(shown(f64::NAN, 0).is_none());
    }
}
