//! The keys of data/metrics.toml, described as the kinds' are: its reader
//! ([`crate::load::metrics`]) and `herald schema` read them here.

use super::{Field, Type, default, example, field, required};

/// Which way a metric is better, in the order messages about data/metrics.toml list them: the
/// values of [`crate::schema::BETTER`] (a test checks that they are the same).
const BETTER: [&str; 2] = ["higher", "lower"];

const POINT: [Field; 2] = [
    required(example(
        field(
            "period",
            Type::Text,
            "Period",
            "A month 2026-03, a quarter 2026-Q1, a year 2026 or a day 2026-03-14.",
        ),
        "\"2026-01\"",
    )),
    required(example(
        field(
            "value",
            Type::Number,
            "Value",
            "The number measured in the period.",
        ),
        "88.1",
    )),
];

const METRIC: [Field; 6] = [
    required(example(
        field(
            "key",
            Type::Text,
            "Key",
            "A short name for the metric; data/KEY.csv can supply its points instead.",
        ),
        "\"retention\"",
    )),
    required(example(
        field(
            "name",
            Type::Text,
            "Name",
            "What readers see, such as Customers who stay.",
        ),
        "\"Customers who stay\"",
    )),
    example(
        default(
            field(
                "unit",
                Type::Text,
                "Unit",
                "What the numbers count, such as %.",
            ),
            "\"\"",
        ),
        "\"%\"",
    ),
    required(example(
        field(
            "better",
            Type::Choice(&BETTER),
            "Which way is better",
            "Higher for satisfaction, lower for waiting times.",
        ),
        "\"higher\"",
    )),
    example(
        field(
            "target",
            Type::Number,
            "Target",
            "The goal, if there is one.",
        ),
        "92",
    ),
    example(
        field(
            "points",
            Type::Tables(&POINT),
            "Points",
            "One period and its value each.",
        ),
        "[{ period = \"2026-01\", value = 88.1 }]",
    ),
];

const LOST: [Field; 2] = [
    required(example(
        field(
            "period",
            Type::Text,
            "Period",
            "A month 2026-03, a quarter 2026-Q1, a year 2026 or a day 2026-03-14.",
        ),
        "\"2026-Q3\"",
    )),
    required(example(
        field(
            "reasons",
            Type::Numbers,
            "Why customers left",
            "Each reason with the number of customers it lost.",
        ),
        "{ price = 120, moved = 95 }",
    )),
];

/// The keys of data/metrics.toml, which its reader ([`crate::load::metrics`]) reads and
/// `herald schema` describes.
pub const METRICS_FILE: [Field; 2] = [
    field(
        "metric",
        Type::Tables(&METRIC),
        "Metrics",
        "A metric the programme steers by, with its points.",
    ),
    field(
        "lost",
        Type::Tables(&LOST),
        "Customers lost",
        "Customers lost in a period, by reason.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metric_is_better_the_schema_ways() {
        let mut ours = BETTER.to_vec();
        let mut schemas = super::super::BETTER.to_vec();
        ours.sort_unstable();
        schemas.sort_unstable();
        assert_eq!(ours, schemas);
    }
}
