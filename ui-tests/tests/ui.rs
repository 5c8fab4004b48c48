//! Every compile-time check azoth makes, proved by a case that must fail with a reviewed message,
//! and the correct forms, which must compile. Refresh the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p azoth-ui-tests` and review the diff.

#[test]
fn compile_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/fail/*.rs");
}

#[test]
fn correct_forms_compile() {
    let t = trybuild::TestCases::new();
    t.pass("tests/pass/*.rs");
}
