//! Small helpers that every stage shares and that depend on no other part of herald: escaping,
//! atomic writes, hashing, numbers, slugs, building template values, and phase timings.

pub mod escape;
pub mod fs;
pub mod hash;
pub mod number;
pub mod slug;
pub mod timings;
pub mod value;
