//! Inputs the fuzzers found: each one once crashed or hung herald, and is kept here so it never
//! does again.
