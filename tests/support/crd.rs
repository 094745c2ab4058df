//! An independent check of a WorkerPool against the vendored CRD
//! (src/operator/crd/), written apart from poolc's own checker so the
//! operator tests are not circular: the CRD is read by serde_norway rather
//! than poolc's reader, patterns are matched by the regex crate rather
//! than by hand, and the CEL rules are written again here. It checks what
//! the API server would: unknown fields (pruned), types, int32 ranges,
//! enums, minimums, required fields, patterns and the rules.

use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// The served version's `openAPIV3Schema`.
pub static SCHEMA: LazyLock<Value> = LazyLock::new(|| {
    let path = super::repo().join("src/operator/crd/workers.spacelift.io_workerpools.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let crd: Value = serde_norway::from_str(&text).unwrap();
    let version = &crd["spec"]["versions"][0];
    assert_eq!(version["name"], "v1beta1");
    version["schema"]["openAPIV3Schema"].clone()
});

/// Every problem of `object` against the CRD, each as `path: problem`.
pub fn violations(object: &Value) -> Vec<String> {
    let mut found = Vec::new();
    check(object, &SCHEMA, "", &mut found);
    found
}

fn check(value: &Value, schema: &Value, path: &str, found: &mut Vec<String>) {
    let mut report = |problem: String| found.push(format!("{path}: {problem}"));
    if schema["x-kubernetes-int-or-string"] == true {
        match value {
            Value::Number(n) if n.is_i64() => {}
            Value::String(s) => pattern(s, schema, &mut report),
            _ => report("not an integer or a string".into()),
        }
        return;
    }
    match (schema["type"].as_str(), value) {
        (Some("object"), Value::Object(fields)) => object(fields, schema, path, found),
        (Some("array"), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check(item, &schema["items"], &format!("{path}[{i}]"), found);
            }
        }
        (Some("string"), Value::String(s)) => pattern(s, schema, &mut report),
        (Some("integer"), Value::Number(n)) if n.is_i64() => {
            let n = n.as_i64().unwrap();
            if schema["format"] == "int32" && i32::try_from(n).is_err() {
                report("out of int32".into());
            }
            if schema["minimum"].as_i64().is_some_and(|min| n < min) {
                report("below the minimum".into());
            }
        }
        (Some("boolean"), Value::Bool(_)) => {}
        (Some(expected), _) => report(format!("not a {expected}")),
        (None, _) => {}
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        found.push(format!("{path}: not one of the enum"));
    }
}

fn object(fields: &Map<String, Value>, schema: &Value, path: &str, found: &mut Vec<String>) {
    for (name, value) in fields {
        let at = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        // The root's metadata is ObjectMeta, which the API server checks.
        if at == "metadata" {
            continue;
        }
        match schema["properties"]
            .get(name)
            .or(schema.get("additionalProperties"))
        {
            Some(field) if field.is_object() => check(value, field, &at, found),
            _ => found.push(format!("{at}: unknown field")),
        }
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        if !fields.contains_key(required.as_str().unwrap()) {
            found.push(format!("{path}: missing {required}"));
        }
    }
    for rule in schema["x-kubernetes-validations"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let text = rule["rule"].as_str().unwrap();
        let has = |key: &str| fields.contains_key(key);
        let disabled = fields.get("disabled") == Some(&Value::Bool(true));
        let holds = if text.contains("has(self.token)") {
            has("token") == has("privateKey")
        } else if text.starts_with("!self.disabled") {
            !(disabled && has("maxRuns"))
        } else if text.starts_with("self.disabled") {
            disabled || has("maxRuns")
        } else {
            panic!("a CEL rule these tests do not know: {text}")
        };
        if !holds {
            found.push(format!("{path}: {}", rule["message"].as_str().unwrap()));
        }
    }
}

fn pattern(text: &str, schema: &Value, report: &mut impl FnMut(String)) {
    let patterns = std::iter::once(schema).chain(schema["anyOf"].as_array().into_iter().flatten());
    for pattern in patterns.filter_map(|s| s["pattern"].as_str()) {
        if !Regex::new(pattern).unwrap().is_match(text) {
            report(format!("does not match {pattern}"));
        }
    }
}
