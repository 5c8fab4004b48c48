//! Compile-fail and compile-pass cases live in `tests/`; this crate has no code.
