//! The error catalogue (`docs/src/errors.md`) covers every compile-fail case: it names the case
//! and quotes the first line of its reviewed `.stderr` (type names aside, which depend on where
//! the example is declared). A new case without an entry, or a message changed without its
//! entry, fails here.

use std::path::Path;

/// The message of an error line with the text between backticks (type and column names) left out.
fn skeleton(line: &str) -> String {
    let msg = line
        .trim()
        .trim_start_matches("error")
        .trim_start_matches(|c: char| c == '[' || c == 'E' || c.is_ascii_digit() || c == ']')
        .trim_start_matches(": ");
    msg.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join("``")
}

#[test]
fn every_compile_fail_case_has_a_catalogue_entry_quoting_its_message() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = std::fs::read_to_string(root.join("../docs/src/errors.md")).unwrap();
    let quoted: Vec<String> = catalogue
        .lines()
        .filter(|l| l.starts_with("error"))
        .map(skeleton)
        .collect();
    let mut missing = Vec::new();
    let mut cases = 0;
    for entry in std::fs::read_dir(root.join("tests/fail")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "stderr") {
            continue;
        }
        cases += 1;
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let stderr = std::fs::read_to_string(&path).unwrap();
        let first = stderr.lines().next().unwrap_or_default();
        if !catalogue.contains(&format!("`{name}`")) {
            missing.push(format!("{name}: not named in the catalogue"));
        } else if !quoted.contains(&skeleton(first)) && !catalogue.contains(&skeleton(first)) {
            missing.push(format!("{name}: the catalogue does not quote `{first}`"));
        }
    }
    assert!(cases > 80, "{cases} cases");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
