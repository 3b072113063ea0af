//! Template values: what the theme's templates see, built from the finished model.

pub mod charts;
pub mod digest;
pub mod lobby;
