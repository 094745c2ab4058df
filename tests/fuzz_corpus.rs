//! The fuzz corpus (fuzz/corpus/TARGET/*: the repository's .pool and values
//! files, the cases of the security review, and every input a fuzzing
//! campaign found to crash poolc) replayed through the fuzz targets' own
//! code, on stable and without a fuzzer, so what was fixed stays fixed.

mod support;

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};

fn replay(target: &str, run: fn(&[u8])) {
    let dir = support::repo().join("fuzz/corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 20,
        "{} holds {} inputs",
        dir.display(),
        inputs.len()
    );
    let failures: Vec<String> = inputs
        .iter()
        .filter(|input| {
            let data = std::fs::read(input).unwrap();
            catch_unwind(AssertUnwindSafe(|| run(&data))).is_err()
        })
        .map(|input| input.display().to_string())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} inputs fail:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

#[test]
fn the_check_corpus_passes() {
    replay("check", targets::check);
}

#[test]
fn the_fmt_corpus_passes() {
    replay("fmt", targets::fmt);
}

#[test]
fn the_import_corpus_passes() {
    replay("import", targets::import);
}
