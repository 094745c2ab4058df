//! The documentation keeps up with the code: every diagnostic code is
//! documented, every documented code exists, and every code has a snapshot
//! test that shows it (but for the documented safety net).

mod support;

use poolc::diagnostics::Code;
use regex::Regex;
use std::collections::BTreeSet;
use std::fs;

fn codes(text: &str) -> BTreeSet<String> {
    Regex::new(r"pool::[EW]\d{4}")
        .unwrap()
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect()
}

fn source_codes() -> BTreeSet<String> {
    Code::ALL.iter().map(Code::to_string).collect()
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let docs = fs::read_to_string(support::repo().join("docs/diagnostics.md")).unwrap();
    let headings: BTreeSet<String> = docs
        .lines()
        .filter(|l| l.starts_with("### "))
        .flat_map(codes)
        .collect();
    let source = source_codes();
    let undocumented: Vec<_> = source.difference(&headings).collect();
    let unknown: Vec<_> = headings.difference(&source).collect();
    assert!(
        undocumented.is_empty(),
        "codes without a section in docs/diagnostics.md: {undocumented:?}"
    );
    assert!(
        unknown.is_empty(),
        "documented codes poolc does not have: {unknown:?}"
    );
}

#[test]
fn every_code_has_a_snapshot() {
    // E0504 is a safety net for a disagreement between the Kubernetes
    // schema and the typed objects; valid schemas never reach it.
    let unreachable: BTreeSet<String> = [Code::InvalidObject.to_string()].into();
    let mut shown = BTreeSet::new();
    for entry in fs::read_dir(support::repo().join("tests/snapshot/snapshots")).unwrap() {
        shown.extend(codes(&fs::read_to_string(entry.unwrap().path()).unwrap()));
    }
    let missing: Vec<_> = source_codes()
        .difference(&shown)
        .filter(|c| !unreachable.contains(*c))
        .cloned()
        .collect();
    assert!(missing.is_empty(), "codes no snapshot shows: {missing:?}");
}
