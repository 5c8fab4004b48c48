//! Each chapter of the guide is included here so that `cargo test` compiles its code blocks.
