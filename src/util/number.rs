//! Numbers as people read them: at most so many decimals and no trailing zeros, rounding,
//! numbers as template values, and which units are percentages (they move in points).

use tera::Value;

/// Formats a number with at most `decimals` decimals and no trailing zeros.
pub fn format_number(x: f64, decimals: usize) -> String {
    // Whole results skip float formatting, which costs about 2 µs a call: progress bars and
    // metric values ask for it a hundred thousand times at 10,000 entries. `round_ties_even`
    // rounds as `{:.0}` does, and `as i64` makes -0 read "0".
    let whole = if decimals == 0 {
        x.round_ties_even()
    } else if x.fract() == 0.0 {
        x
    } else {
        f64::NAN
    };
    if whole.abs() < 1e15 {
        return (whole as i64).to_string();
    }
    format_float(x, decimals)
}

/// [`format_number`] through the float formatter, for any number.
pub fn format_float(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A number as a template value: whole numbers as integers, so they print without `.0`.
pub fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// Whether `unit` is a percentage: `%` (spaces around it ignored), or `percent` or `per cent`
/// in any case. A percentage moves in points: from 33% to 80% is 47 points, not 142% of
/// itself.
pub fn is_percent_unit(unit: &str) -> bool {
    let unit = unit.trim();
    unit == "%" || unit.eq_ignore_ascii_case("percent") || unit.eq_ignore_ascii_case("per cent")
}

/// `x` rounded to `places` decimals.
pub fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_known_by_their_unit() {
        for unit in ["%", " % ", "percent", "Percent", "per cent", "PER CENT"] {
            assert!(is_percent_unit(unit), "{unit:?}");
        }
        for unit in [
            "",
            "days",
            "pts",
            "points",
            "% of calls",
            "percentage",
            "per 1,000",
        ] {
            assert!(!is_percent_unit(unit), "{unit:?}");
        }
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(format_number(2.0, 2), "2");
        assert_eq!(format_number(2.50, 2), "2.5");
        assert_eq!(format_number(88.125, 1), "88.1");
        assert_eq!(format_number(-0.001, 1), "0");
        assert_eq!(format_number(-0.4, 0), "0");
        assert_eq!(format_number(2.5, 0), "2");
        assert_eq!(format_number(f64::NAN, 0), "NaN");
        // The whole-number shortcut says what the general path says.
        let general = format_float;
        for i in -2000..2000 {
            let x = f64::from(i) / 8.0;
            for d in 0..3 {
                assert_eq!(format_number(x, d), general(x, d), "{x} with {d} decimals");
            }
        }
        for x in [
            1e14,
            -1e14,
            999_999_999_999_999.0,
            1e15,
            1e300,
            66.66666,
            -66.5,
            0.5,
        ] {
            for d in 0..3 {
                assert_eq!(format_number(x, d), general(x, d), "{x} with {d} decimals");
            }
        }
    }
}
