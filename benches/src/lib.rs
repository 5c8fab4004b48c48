//! Shared fixtures of the azoth benchmarks.
