//! The chart's own renderings (tests/conformance/cases, copied from the
//! corpus): for each case, `poolc build site.pool --pool RELEASE` must be
//! equivalent to `expected.yaml` by the corpus rules.

mod support;

use std::fs;

const CASES: usize = 37;

#[test]
fn every_case_renders_what_the_chart_renders() {
    let root = support::repo().join("tests/conformance/cases");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), CASES, "the corpus has {CASES} cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let release = fs::read_to_string(case.join("release"))
            .unwrap()
            .trim()
            .to_string();
        let output = support::run(&["build", "site.pool", "--pool", &release], case);
        if !output.status.success() {
            failures.push(format!(
                "{name}: poolc failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let expected = fs::read_to_string(case.join("expected.yaml")).unwrap();
        let actual = String::from_utf8(output.stdout).unwrap();
        let problems = support::compare(&expected, &actual);
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {CASES} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_comparison_sees_each_kind_of_difference() {
    let expected = "---\nkind: Secret\nmetadata:\n  name: a\nstringData:\n  token: \"1\"\nlist: [a, b]\nresources:\n  requests:\n    cpu: 1\n";
    let same = "---\nkind: Secret\nmetadata: {name: a}\nlist: [a, b]\nstringData: {token: \"1\"}\nresources: {requests: {cpu: \"1\"}}\n";
    assert_eq!(
        support::compare(expected, same),
        Vec::<String>::new(),
        "key order and quantity form do not matter"
    );
    for (actual, why) in [
        (
            same.replace("token: \"1\"", "token: 1"),
            "string vs integer",
        ),
        (same.replace("[a, b]", "[b, a]"), "list order"),
        (same.replace("kind: Secret", "kind: ConfigMap"), "kind"),
        (
            same.replace("token: \"1\"", "token: \"1\", extra: x"),
            "extra key",
        ),
        (same.replace("[a, b]", "[a, on]"), "yaml 1.1 boolean"),
    ] {
        assert!(
            !support::compare(expected, &actual).is_empty(),
            "{why} must be a difference"
        );
    }
}
