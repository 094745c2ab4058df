//! The WorkerPool CRD poolc targets, vendored in `crd/` (MIT, provenance in
//! `crd/README.md`) and compiled in: its schema, read once per process,
//! and its CEL rules, implemented by hand (the structural checker,
//! `kube::structural`, applies them by their text).

use crate::kube::structural::Rule;
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value as Json};
use std::sync::OnceLock;

/// The CRD as published.
pub const YAML: &str = include_str!("crd/workers.spacelift.io_workerpools.yaml");

/// The `openAPIV3Schema` of the served version, without its descriptions
/// (most of the file, and nothing a check needs).
pub fn schema() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let crd = read(YAML);
        crd.pointer("/spec/versions")
            .and_then(Json::as_array)
            .and_then(|versions| {
                versions
                    .iter()
                    .find(|v| v.get("name").and_then(Json::as_str) == Some(super::VERSION))
            })
            .and_then(|v| v.pointer("/schema/openAPIV3Schema"))
            .cloned()
            .unwrap_or_default()
    })
}

/// The schema at a path of property names below the root
/// (`["spec", "pod", "tolerations"]`).
#[cfg(test)]
pub fn schema_at(path: &[&str]) -> Option<&'static Json> {
    path.iter().try_fold(schema(), |schema, name| {
        schema.get("properties")?.get(*name)
    })
}

/// The CRD's CEL rules, by hand. Each closure reads an object as the API
/// server does after defaulting (`disabled` defaults to false).
pub const RULES: [Rule; 3] = [
    Rule {
        text: "!self.disabled || !has(self.maxRuns)",
        holds: |o| !disabled(o) || !o.contains_key("maxRuns"),
    },
    Rule {
        text: "self.disabled || has(self.maxRuns)",
        holds: |o| disabled(o) || o.contains_key("maxRuns"),
    },
    Rule {
        text: "(has(self.token) && has(self.privateKey)) || (!has(self.token) && \
               !has(self.privateKey))",
        holds: |o| o.contains_key("token") == o.contains_key("privateKey"),
    },
];

fn disabled(object: &Map<String, Json>) -> bool {
    object
        .get("disabled")
        .and_then(Json::as_bool)
        .unwrap_or(false)
}

/// A YAML document as JSON, as the API server reads a CRD (YAML 1.2 core
/// scalars; schemas' descriptions dropped). The vendored file is known to
/// be valid: a test reads it whole.
fn read(text: &str) -> Json {
    let mut stack: Vec<Partial> = Vec::new();
    let mut done = Json::Null;
    for event in Parser::new_from_str(text) {
        let Ok((event, _)) = event else { break };
        let value = match event {
            Event::MappingStart(..) => {
                stack.push(Partial::Map(Map::new(), None));
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push(Partial::List(Vec::new()));
                continue;
            }
            Event::MappingEnd => match stack.pop() {
                Some(Partial::Map(map, _)) => Json::Object(map),
                _ => break,
            },
            Event::SequenceEnd => match stack.pop() {
                Some(Partial::List(list)) => Json::Array(list),
                _ => break,
            },
            Event::Scalar(text, style, ..) => scalar(&text, style),
            _ => continue,
        };
        match stack.last_mut() {
            None => done = value,
            Some(Partial::List(list)) => list.push(value),
            Some(Partial::Map(map, key)) => match key.take() {
                None => *key = Some(value.as_str().unwrap_or_default().to_string()),
                // A schema's description is text; a property named
                // `description` (the pool's) is a schema, and kept.
                Some(key) if key == "description" && value.is_string() => {}
                Some(key) => {
                    map.insert(key, value);
                }
            },
        }
    }
    done
}

enum Partial {
    /// A mapping, and the key whose value is awaited.
    Map(Map<String, Json>, Option<String>),
    List(Vec<Json>),
}

fn scalar(text: &str, style: ScalarStyle) -> Json {
    if style != ScalarStyle::Plain {
        return Json::String(text.to_string());
    }
    match text {
        "true" => Json::Bool(true),
        "false" => Json::Bool(false),
        "null" | "~" | "" => Json::Null,
        _ => text
            .parse::<i64>()
            .map(Json::from)
            .ok()
            .or_else(|| {
                let float = text.parse::<f64>().ok()?;
                serde_json::Number::from_f64(float).map(Json::Number)
            })
            .unwrap_or_else(|| Json::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::structural::QUANTITY_PATTERN;

    /// Every schema in the tree (properties, items, additional properties,
    /// alternatives), with its path.
    fn schemas<'s>(schema: &'s Json, path: String, out: &mut Vec<(String, &'s Json)>) {
        out.push((path.clone(), schema));
        for (name, child) in schema
            .get("properties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            schemas(child, format!("{path}.{name}"), out);
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
                schemas(child, format!("{path}[]"), out);
            }
        }
        for child in schema
            .get("anyOf")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            schemas(child, format!("{path}|"), out);
        }
    }

    fn all() -> Vec<(String, &'static Json)> {
        let mut out = Vec::new();
        schemas(schema(), String::new(), &mut out);
        out
    }

    #[test]
    fn the_vendored_crd_reads_whole() {
        assert!(all().len() > 1000, "{}", all().len());
        let spec = schema_at(&["spec"]).unwrap();
        assert_eq!(spec["type"], "object");
        let retries = schema_at(&["spec", "mqttReconnectRetryCount"]).unwrap();
        assert_eq!(retries["default"], 5);
        let disabled = schema_at(&["spec", "driftDetectionRunLimits", "disabled"]).unwrap();
        assert_eq!(disabled["default"], false);
        let size = schema_at(&["spec", "poolSize"]).unwrap();
        assert_eq!(
            (size["format"].as_str(), size["minimum"].as_i64()),
            (Some("int32"), Some(0))
        );
        // Descriptions are dropped, but not a property named so.
        assert!(spec.get("description").is_none());
        assert_eq!(
            schema_at(&["spec", "description"]).unwrap()["type"],
            "string"
        );
    }

    #[test]
    fn every_rule_of_the_crd_is_implemented_and_every_implementation_used() {
        let rules: Vec<&str> = all()
            .iter()
            .filter_map(|(_, s)| s.get("x-kubernetes-validations")?.as_array())
            .flatten()
            .filter_map(|v| v.get("rule")?.as_str())
            .collect();
        assert_eq!(rules.len(), RULES.len(), "{rules:#?}");
        for rule in &RULES {
            assert!(rules.contains(&rule.text), "{}", rule.text);
        }
    }

    #[test]
    fn the_only_pattern_is_the_quantitys() {
        for (path, schema) in all() {
            if let Some(pattern) = schema.get("pattern") {
                assert_eq!(pattern, QUANTITY_PATTERN, "{path}");
            }
        }
    }

    /// The structural checker implements these keywords; a CRD using others
    /// would be trusted where it should not be.
    #[test]
    fn the_crd_uses_only_keywords_the_checker_knows() {
        const KNOWN: [&str; 17] = [
            "type",
            "format",
            "properties",
            "required",
            "items",
            "additionalProperties",
            "default",
            "enum",
            "minimum",
            "maximum",
            "pattern",
            "anyOf",
            "nullable",
            "x-kubernetes-int-or-string",
            "x-kubernetes-list-type",
            "x-kubernetes-list-map-keys",
            "x-kubernetes-validations",
        ];
        // Merge strategy for server-side apply: nothing to check.
        const INERT: [&str; 1] = ["x-kubernetes-map-type"];
        for (path, schema) in all() {
            for key in schema.as_object().into_iter().flat_map(|o| o.keys()) {
                assert!(
                    KNOWN.contains(&key.as_str()) || INERT.contains(&key.as_str()),
                    "{path}: {key}"
                );
            }
        }
    }

    #[test]
    fn the_rules_read_objects_as_the_api_server_does() {
        let object = |json: Json| json.as_object().cloned().unwrap();
        let [not_both, one_of, credentials] = &RULES;
        assert!((not_both.holds)(&object(
            serde_json::json!({ "maxRuns": 3 })
        )));
        assert!(!(not_both.holds)(&object(
            serde_json::json!({ "disabled": true, "maxRuns": 3 })
        )));
        assert!((one_of.holds)(&object(
            serde_json::json!({ "disabled": true })
        )));
        // `disabled` defaults to false: an empty object sets neither.
        assert!(!(one_of.holds)(&object(serde_json::json!({}))));
        assert!(!(one_of.holds)(&object(
            serde_json::json!({ "disabled": false })
        )));
        assert!((credentials.holds)(&object(serde_json::json!({}))));
        assert!(!(credentials.holds)(&object(
            serde_json::json!({ "token": {} })
        )));
        assert!((credentials.holds)(&object(
            serde_json::json!({ "token": {}, "privateKey": {} })
        )));
    }
}
