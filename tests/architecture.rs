//! The architecture the README describes holds: data flows one way
//! (syntax → semantics → model → render, with the Kubernetes, chart and
//! operator facts readable by the stages that need them), and the code stays
//! formattable.

mod support;

use std::fs;

/// `(file, line)` of every `use`/path of `crate::<module>` in the core's
/// folder `dir`.
fn references(dir: &str, module: &str) -> Vec<String> {
    let needle = format!("crate::{module}");
    let mut found = Vec::new();
    for file in support::files_with_extension(&support::repo().join("src").join(dir), "rs") {
        let text = fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let at_word_end = line.match_indices(&needle).any(|(i, _)| {
                !line[i + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            if at_word_end {
                found.push(format!("{}:{}", file.display(), number + 1));
            }
        }
    }
    found
}

#[test]
fn data_flows_one_way() {
    let forbidden = [
        ("syntax", "semantics"),
        ("syntax", "model"),
        ("syntax", "render"),
        ("model", "semantics"),
        ("model", "render"),
        ("chart", "semantics"),
        ("kube", "model"),
        ("kube", "chart"),
        ("kube", "semantics"),
        ("kube", "render"),
        ("chart", "render"),
        ("operator", "semantics"),
        ("operator", "render"),
        ("kube", "operator"),
        ("semantics", "render"),
        ("diagnostics", "semantics"),
        ("diagnostics", "render"),
    ];
    for (stage, later) in forbidden {
        let found = references(stage, later);
        assert!(
            found.is_empty(),
            "src/{stage} reaches up to {later}: {found:#?}"
        );
    }
}

/// rustfmt leaves a line it cannot fit in 100 columns as it is, silently
/// (it would only complain under `error_on_line_overflow`, a nightly
/// option): this keeps every line of the code formattable.
#[test]
fn code_lines_fit_in_100_columns() {
    let mut long = Vec::new();
    for dir in ["src", "cli/src", "lsp/src"] {
        for file in support::files_with_extension(&support::repo().join(dir), "rs") {
            let text = fs::read_to_string(&file).unwrap();
            for (number, line) in text.lines().enumerate() {
                if line.chars().count() > 100 {
                    long.push(format!("{}:{}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(long.is_empty(), "lines over 100 columns: {long:#?}");
}

/// A problem quotes user text only as a `Quoted`, whose constructors
/// withhold what may be secret: no problem has a `String` field, through
/// which a new diagnostic could quote a token by accident.
#[test]
fn problems_quote_user_text_only_as_quoted() {
    let dir = support::repo().join("src/diagnostics/problems");
    let mut strings = Vec::new();
    // mod.rs holds the wording's builder, not problems.
    for file in support::files_with_extension(&dir, "rs")
        .into_iter()
        .filter(|f| !f.ends_with("mod.rs"))
    {
        let text = fs::read_to_string(&file).unwrap();
        // The problem enums come before their wording (`impl ...`).
        let definitions = text.split("\nimpl").next().unwrap_or_default();
        for (number, line) in definitions.lines().enumerate() {
            let field = line.trim_start();
            let is_field = field.contains(": ") && field.ends_with(',');
            if is_field && field.contains("String") {
                strings.push(format!("{}:{}: {field}", file.display(), number + 1));
            }
        }
    }
    assert!(
        strings.is_empty(),
        "problem fields holding user text must be `Quoted`: {strings:#?}"
    );
}
