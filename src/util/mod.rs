//! Small helpers that every stage shares and that depend on no other part of herald.

pub mod timings;
