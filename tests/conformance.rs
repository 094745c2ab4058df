//! The chart's own renderings (tests/conformance/cases, copied from the
//! corpus): for each case, `poolc build site.pool --pool RELEASE` must be
//! equivalent to `expected.yaml` by the corpus rules.

mod support;

use serde_json::Value;

const CASES: usize = 37;

/// `poolc build` of a case's release. Each case imports the corpus's
/// shared credentials, two folders up.
fn build(case: &support::Case) -> std::process::Output {
    support::run(
        &[
            "build",
            "site.pool",
            "--pool",
            &case.release,
            "--allow-path",
            "../..",
        ],
        &case.dir,
    )
}

#[test]
fn every_case_renders_what_the_chart_renders() {
    let cases = support::conformance_cases();
    assert_eq!(cases.len(), CASES, "the corpus has {CASES} cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = &case.name;
        let output = build(case);
        if !output.status.success() {
            failures.push(format!(
                "{name}: poolc failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let actual = String::from_utf8(output.stdout).unwrap();
        let problems = support::compare(&case.expected, &actual);
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

#[test]
fn yaml_11_reads_the_ambiguous_scalars_as_non_strings() {
    let docs = support::yaml::load_11("a: on\nb: y\nc: 0777\nd: 1e3\ne: 1.0e+3\nf: 2001-12-14\ng: \"on\"\nh: 1:20\ni: ~\nj: 500m\n").unwrap();
    let d = &docs[0];
    assert_eq!(d["a"], Value::Bool(true));
    assert_eq!(d["b"], Value::Bool(true));
    assert_eq!(d["c"], Value::from(511));
    assert_eq!(
        d["d"],
        Value::String("1e3".into()),
        "YAML 1.1 floats need a dot"
    );
    assert!(d["e"].is_number());
    assert!(d["f"].is_object());
    assert_eq!(d["g"], Value::String("on".into()));
    assert_eq!(d["h"], Value::from(80));
    assert!(d["i"].is_null());
    assert_eq!(d["j"], Value::String("500m".into()));
}

/// The rules poolc applies to the objects it writes (docs/validation.md)
/// hold for what the chart itself renders: a rule that fires on the
/// chart's own output would be wrong. Each case's workload, as Helm and as
/// poolc render it, passes every rule.
#[test]
fn the_charts_own_output_passes_every_rule() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in support::conformance_cases() {
        let output = build(&case);
        let actual = String::from_utf8(output.stdout).unwrap();
        for (who, text) in [("helm", &case.expected), ("poolc", &actual)] {
            for mut document in support::yaml::load_11(text).unwrap() {
                let kind = document["kind"].as_str().unwrap_or_default().to_string();
                if kind != "Deployment" && kind != "StatefulSet" {
                    continue;
                }
                quantities_as_strings(&mut document, false);
                checked += 1;
                for finding in poolc::validate_workload(&document) {
                    failures.push(format!("{} ({who}): {finding}", case.name));
                }
            }
        }
    }
    assert_eq!(checked, 2 * CASES, "one workload per case and renderer");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Quantities read from YAML as numbers (`cpu: 1`), as the strings the
/// typed objects read.
fn quantities_as_strings(value: &mut Value, in_quantities: bool) {
    match value {
        Value::Number(n) if in_quantities => *value = Value::String(n.to_string()),
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                let quantities = matches!(key.as_str(), "requests" | "limits" | "sizeLimit");
                quantities_as_strings(field, quantities || in_quantities && key != "spec");
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| quantities_as_strings(i, in_quantities)),
        _ => {}
    }
}
