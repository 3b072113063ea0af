//! herald's integration tests: real sites built by the real binary into temp dirs, and the
//! output inspected as HTML.

#![allow(unreachable_pub)]

mod support;

mod cases;
