//! What the API server does with an object written against a structural
//! schema (the OpenAPI v3 subset a CustomResourceDefinition is written
//! in): fields the schema does not list are pruned without a word, and
//! types, integer formats, enums, minimums and maximums, required fields,
//! the one pattern such schemas use (quantities), list-map keys and the
//! schema's CEL rules are validated. [`validate`] reports each as a
//! [`Violation`] at its path, so a caller can point at the source.
//!
//! CEL is not interpreted: each rule a schema uses is implemented by hand
//! and handed in as a [`Rule`] with the rule's exact text; a rule without
//! an implementation is reported as [`Problem::UnsupportedRule`], so a new
//! schema cannot be trusted silently. The object's root `metadata` is the
//! API server's own ObjectMeta and is not checked here.

use serde_json::{Map, Value as Json};

/// One step of a path into an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Field(String),
    Index(usize),
}

/// `spec.pod.tolerations[0].key`.
pub fn display(path: &[Segment]) -> String {
    let mut text = String::new();
    for segment in path {
        match segment {
            Segment::Field(name) if text.is_empty() => text.push_str(name),
            Segment::Field(name) => {
                text.push('.');
                text.push_str(name);
            }
            Segment::Index(i) => text.push_str(&format!("[{i}]")),
        }
    }
    text
}

#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// Where: for an unknown or missing field, the path ends with the field.
    pub path: Vec<Segment>,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Not in the schema: the API server would prune it silently.
    Unknown,
    /// A required field is absent.
    Missing,
    WrongType {
        expected: &'static str,
    },
    /// An integer outside its format (`int32`, `int64`).
    OutOfFormat {
        format: String,
    },
    BelowMinimum {
        minimum: f64,
    },
    AboveMaximum {
        maximum: f64,
    },
    NotAllowed {
        allowed: Vec<String>,
    },
    /// A string that is not a resource quantity.
    NotAQuantity,
    /// Two items of a `map` list with the same keys, or equal items of a `set`.
    Duplicate {
        keys: Vec<String>,
    },
    /// A CEL rule that does not hold: its message.
    Rule {
        message: String,
    },
    /// A pattern or CEL rule this checker has no implementation of.
    UnsupportedPattern {
        pattern: String,
    },
    UnsupportedRule {
        rule: String,
    },
}

/// A CEL rule implemented by hand: its exact text in the schema, and
/// whether an object satisfies it.
pub struct Rule {
    pub text: &'static str,
    pub holds: fn(&Map<String, Json>) -> bool,
}

/// The pattern apiextensions writes for `resource.Quantity` fields.
pub const QUANTITY_PATTERN: &str = concat!(
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))",
    r"(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$",
);

/// Every violation of `schema` by `object` (a whole custom resource).
pub fn validate(object: &Json, schema: &Json, rules: &[Rule]) -> Vec<Violation> {
    let mut validator = Validator {
        rules,
        path: Vec::new(),
        found: Vec::new(),
    };
    validator.value(object, schema, true);
    validator.found
}

struct Validator<'r> {
    rules: &'r [Rule],
    path: Vec<Segment>,
    found: Vec<Violation>,
}

impl Validator<'_> {
    fn report(&mut self, problem: Problem) {
        self.found.push(Violation {
            path: self.path.clone(),
            problem,
        });
    }

    fn value(&mut self, value: &Json, schema: &Json, root: bool) {
        if value.is_null() && schema.get("nullable").and_then(Json::as_bool) == Some(true) {
            return;
        }
        if schema
            .get("x-kubernetes-int-or-string")
            .and_then(Json::as_bool)
            == Some(true)
        {
            match value {
                Json::Number(n) if n.is_i64() || n.is_u64() => {}
                Json::String(text) => self.pattern(text, schema),
                _ => self.report(Problem::WrongType {
                    expected: "an integer or a string",
                }),
            }
            return;
        }
        match schema.get("type").and_then(Json::as_str) {
            Some("object") => self.object(value, schema, root),
            Some("array") => self.array(value, schema),
            Some("string") => match value {
                Json::String(text) => self.pattern(text, schema),
                _ => self.report(Problem::WrongType {
                    expected: "a string",
                }),
            },
            Some("integer") => self.integer(value, schema),
            Some("number") if value.is_number() => self.bounds(value, schema),
            Some("number") => self.report(Problem::WrongType {
                expected: "a number",
            }),
            Some("boolean") if !value.is_boolean() => self.report(Problem::WrongType {
                expected: "true or false",
            }),
            _ => {}
        }
        self.allowed(value, schema);
    }

    fn object(&mut self, value: &Json, schema: &Json, root: bool) {
        let Json::Object(fields) = value else {
            return self.report(Problem::WrongType {
                expected: "an object",
            });
        };
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        let preserve = schema
            .get("x-kubernetes-preserve-unknown-fields")
            .and_then(Json::as_bool)
            == Some(true);
        for (name, field) in fields {
            self.path.push(Segment::Field(name.clone()));
            // The root's metadata is ObjectMeta, which the API server checks itself.
            let skip = root && name == "metadata";
            match properties.and_then(|p| p.get(name)).or(additional) {
                _ if skip => {}
                Some(Json::Bool(true)) => {}
                Some(field_schema @ Json::Object(_)) => self.value(field, field_schema, false),
                _ if preserve => {}
                _ => self.report(Problem::Unknown),
            }
            self.path.pop();
        }
        for required in schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
        {
            if !fields.contains_key(required) {
                self.path.push(Segment::Field(required.to_string()));
                self.report(Problem::Missing);
                self.path.pop();
            }
        }
        self.rules(fields, schema);
    }

    fn rules(&mut self, fields: &Map<String, Json>, schema: &Json) {
        for validation in schema
            .get("x-kubernetes-validations")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let text = validation.get("rule").and_then(Json::as_str).unwrap_or("");
            match self.rules.iter().find(|r| r.text == text) {
                Some(rule) if (rule.holds)(fields) => {}
                Some(_) => {
                    let message = validation.get("message").and_then(Json::as_str);
                    self.report(Problem::Rule {
                        message: message.unwrap_or(text).to_string(),
                    })
                }
                None => self.report(Problem::UnsupportedRule {
                    rule: text.to_string(),
                }),
            }
        }
    }

    fn array(&mut self, value: &Json, schema: &Json) {
        let Json::Array(items) = value else {
            return self.report(Problem::WrongType { expected: "a list" });
        };
        if let Some(item_schema) = schema.get("items") {
            for (index, item) in items.iter().enumerate() {
                self.path.push(Segment::Index(index));
                self.value(item, item_schema, false);
                self.path.pop();
            }
        }
        self.unique(items, schema);
    }

    /// `map` lists have unique keys (a missing key counts as its default),
    /// `set` lists unique items.
    fn unique(&mut self, items: &[Json], schema: &Json) {
        let keys: Vec<&str> = match schema.get("x-kubernetes-list-type").and_then(Json::as_str) {
            Some("map") => schema
                .get("x-kubernetes-list-map-keys")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .collect(),
            Some("set") => Vec::new(),
            _ => return,
        };
        let item_schema = schema.get("items");
        let identity = |item: &Json| -> Json {
            if keys.is_empty() {
                return item.clone();
            }
            let key = |k: &str| {
                item.get(k).cloned().unwrap_or_else(|| {
                    let default = item_schema.and_then(|s| s.pointer(&format!("/properties/{k}")));
                    default
                        .and_then(|d| d.get("default"))
                        .cloned()
                        .unwrap_or_default()
                })
            };
            Json::Array(keys.iter().map(|k| key(k)).collect())
        };
        let mut seen: Vec<Json> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let id = identity(item);
            if seen.contains(&id) {
                self.path.push(Segment::Index(index));
                self.report(Problem::Duplicate {
                    keys: keys.iter().map(|k| k.to_string()).collect(),
                });
                self.path.pop();
            } else {
                seen.push(id);
            }
        }
    }

    fn integer(&mut self, value: &Json, schema: &Json) {
        let Some(n) = value.as_i64() else {
            return self.report(Problem::WrongType {
                expected: "a whole number",
            });
        };
        let format = schema.get("format").and_then(Json::as_str);
        let fits = match format {
            Some("int32") => i32::try_from(n).is_ok(),
            _ => true,
        };
        if !fits {
            return self.report(Problem::OutOfFormat {
                format: format.unwrap_or_default().to_string(),
            });
        }
        self.bounds(value, schema);
    }

    fn bounds(&mut self, value: &Json, schema: &Json) {
        let Some(n) = value.as_f64() else { return };
        let exclusive = |key: &str| schema.get(key).and_then(Json::as_bool) == Some(true);
        if let Some(minimum) = schema.get("minimum").and_then(Json::as_f64) {
            let below = if exclusive("exclusiveMinimum") {
                n <= minimum
            } else {
                n < minimum
            };
            if below {
                return self.report(Problem::BelowMinimum { minimum });
            }
        }
        if let Some(maximum) = schema.get("maximum").and_then(Json::as_f64) {
            let above = if exclusive("exclusiveMaximum") {
                n >= maximum
            } else {
                n > maximum
            };
            if above {
                self.report(Problem::AboveMaximum { maximum });
            }
        }
    }

    fn allowed(&mut self, value: &Json, schema: &Json) {
        let Some(allowed) = schema.get("enum").and_then(Json::as_array) else {
            return;
        };
        if !allowed.contains(value) {
            self.report(Problem::NotAllowed {
                allowed: allowed.iter().map(Json::to_string).collect(),
            });
        }
    }

    fn pattern(&mut self, text: &str, schema: &Json) {
        // Under int-or-string, the pattern is in one of the alternatives.
        let patterns = std::iter::once(schema)
            .chain(
                schema
                    .get("anyOf")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten(),
            )
            .filter_map(|s| s.get("pattern").and_then(Json::as_str));
        for pattern in patterns {
            if pattern != QUANTITY_PATTERN {
                self.report(Problem::UnsupportedPattern {
                    pattern: pattern.to_string(),
                });
            } else if !is_quantity(text) {
                self.report(Problem::NotAQuantity);
            }
        }
    }
}

/// [`QUANTITY_PATTERN`], by hand: a signed decimal number, then a binary
/// suffix (`Ki`..`Ei`), a decimal one (`n u m k M G T P E`) or an exponent
/// (`e3`, `E-2.5`), or nothing.
pub fn is_quantity(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let Some(suffix) = after_decimal(unsigned) else {
        return false;
    };
    match suffix.as_bytes() {
        [] => true,
        [b'K' | b'M' | b'G' | b'T' | b'P' | b'E', b'i'] => true,
        [b'n' | b'u' | b'm' | b'k' | b'M' | b'G' | b'T' | b'P' | b'E'] => true,
        [b'e' | b'E', ..] => {
            let exponent = &suffix[1..];
            let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            after_decimal(exponent) == Some("")
        }
        _ => false,
    }
}

/// What follows a decimal number at the start of `text` (`1`, `1.`, `1.5`
/// or `.5`), or `None` when it does not start with one.
fn after_decimal(text: &str) -> Option<&str> {
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let whole = digits(text);
    let rest = &text[whole..];
    match rest.strip_prefix('.') {
        Some(fraction) => {
            let more = digits(fraction);
            (whole > 0 || more > 0).then_some(&fraction[more..])
        }
        None => (whole > 0).then_some(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(object: Json, schema: Json) -> Vec<(String, Problem)> {
        check_with(object, schema, &[])
    }

    fn check_with(object: Json, schema: Json, rules: &[Rule]) -> Vec<(String, Problem)> {
        validate(&object, &schema, rules)
            .into_iter()
            .map(|v| (display(&v.path), v.problem))
            .collect()
    }

    fn spec(properties: Json) -> Json {
        json!({ "type": "object", "properties": { "spec": {
            "type": "object", "properties": properties
        }}})
    }

    #[test]
    fn unknown_fields_are_reported_where_they_are() {
        let schema = spec(json!({ "poolSize": { "type": "integer" } }));
        let found = check(json!({ "spec": { "poolsize": 2 } }), schema);
        assert_eq!(found, [("spec.poolsize".to_string(), Problem::Unknown)]);
    }

    #[test]
    fn an_object_without_properties_keeps_nothing_unless_told() {
        let bare = json!({ "type": "object" });
        let found = check(json!({ "a": 1 }), bare);
        assert_eq!(found, [("a".to_string(), Problem::Unknown)]);
        let preserved = json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true });
        assert!(check(json!({ "a": 1 }), preserved).is_empty());
        let map = json!({ "type": "object", "additionalProperties": { "type": "string" } });
        assert!(check(json!({ "a": "x" }), map.clone()).is_empty());
        assert_eq!(
            check(json!({ "a": 1 }), map),
            [(
                "a".to_string(),
                Problem::WrongType {
                    expected: "a string"
                }
            )]
        );
    }

    #[test]
    fn the_root_metadata_is_not_checked() {
        let schema =
            json!({ "type": "object", "properties": { "metadata": { "type": "object" } } });
        assert!(check(json!({ "metadata": { "name": "a" } }), schema.clone()).is_empty());
        let nested = json!({ "type": "object", "properties": { "x": schema } });
        assert_eq!(
            check(json!({ "x": { "metadata": { "name": "a" } } }), nested),
            [("x.metadata.name".to_string(), Problem::Unknown)]
        );
    }

    #[test]
    fn types_formats_and_bounds() {
        let schema = spec(json!({
            "size": { "type": "integer", "format": "int32", "minimum": 0 },
            "ttl": { "type": "string" },
            "flag": { "type": "boolean" },
            "ratio": { "type": "number", "maximum": 1 },
            "list": { "type": "array", "items": { "type": "string" } },
        }));
        let found = check(
            json!({ "spec": {
                "size": -1, "ttl": 5, "flag": "yes", "ratio": 1.5, "list": ["a", 2]
            }}),
            schema.clone(),
        );
        assert_eq!(
            found,
            [
                ("spec.size".into(), Problem::BelowMinimum { minimum: 0.0 }),
                (
                    "spec.ttl".into(),
                    Problem::WrongType {
                        expected: "a string"
                    }
                ),
                (
                    "spec.flag".into(),
                    Problem::WrongType {
                        expected: "true or false"
                    }
                ),
                ("spec.ratio".into(), Problem::AboveMaximum { maximum: 1.0 }),
                (
                    "spec.list[1]".into(),
                    Problem::WrongType {
                        expected: "a string"
                    }
                ),
            ]
        );
        let too_big = check(
            json!({ "spec": { "size": 2_147_483_648_i64 } }),
            schema.clone(),
        );
        assert_eq!(
            too_big,
            [(
                "spec.size".to_string(),
                Problem::OutOfFormat {
                    format: "int32".into()
                }
            )]
        );
        let fraction = check(json!({ "spec": { "size": 1.5 } }), schema);
        assert_eq!(
            fraction,
            [(
                "spec.size".to_string(),
                Problem::WrongType {
                    expected: "a whole number"
                }
            )]
        );
    }

    #[test]
    fn enums_required_fields_and_nullable() {
        let schema = spec(json!({
            "policy": { "type": "string", "enum": ["Always", "Never"] },
            "ref": { "type": "object", "required": ["key"],
                     "properties": { "key": { "type": "string" } } },
            "maybe": { "type": "string", "nullable": true },
        }));
        let found = check(
            json!({ "spec": { "policy": "Sometimes", "ref": {}, "maybe": null } }),
            schema,
        );
        assert_eq!(
            found,
            [
                (
                    "spec.policy".to_string(),
                    Problem::NotAllowed {
                        allowed: vec!["\"Always\"".into(), "\"Never\"".into()]
                    }
                ),
                ("spec.ref.key".to_string(), Problem::Missing),
            ]
        );
    }

    #[test]
    fn quantities_follow_the_pattern() {
        let schema = json!({ "type": "object", "additionalProperties": {
            "anyOf": [{ "type": "integer" }, { "type": "string" }],
            "pattern": QUANTITY_PATTERN,
            "x-kubernetes-int-or-string": true,
        }});
        for good in [
            "1", "500m", "1.5Gi", ".5", "1.", "2e3", "1E-2.5", "+3Ki", "10n",
        ] {
            assert!(is_quantity(good), "{good}");
        }
        for bad in ["", ".", "m", "1.5.5", "5mi", "1e", "Gi", "1 Gi", "1Ki5"] {
            assert!(!is_quantity(bad), "{bad}");
        }
        assert!(check(json!({ "cpu": 2, "memory": "1Gi" }), schema.clone()).is_empty());
        assert_eq!(
            check(json!({ "memory": "1GB" }), schema.clone()),
            [("memory".to_string(), Problem::NotAQuantity)]
        );
        assert_eq!(
            check(json!({ "memory": true }), schema),
            [(
                "memory".to_string(),
                Problem::WrongType {
                    expected: "an integer or a string"
                }
            )]
        );
    }

    #[test]
    fn other_patterns_are_not_trusted() {
        let schema = json!({ "type": "string", "pattern": "^[a-z]+$" });
        assert_eq!(
            check(json!("abc"), schema),
            [(
                String::new(),
                Problem::UnsupportedPattern {
                    pattern: "^[a-z]+$".into()
                }
            )]
        );
    }

    #[test]
    fn map_lists_have_unique_keys_with_defaults() {
        let schema = json!({
            "type": "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["port", "protocol"],
            "items": { "type": "object", "properties": {
                "port": { "type": "integer" },
                "protocol": { "type": "string", "default": "TCP" },
            }},
        });
        let items = json!([
            { "port": 80 }, { "port": 80, "protocol": "UDP" }, { "port": 80, "protocol": "TCP" }
        ]);
        assert_eq!(
            check(items, schema),
            [(
                "[2]".to_string(),
                Problem::Duplicate {
                    keys: vec!["port".into(), "protocol".into()]
                }
            )]
        );
    }

    #[test]
    fn rules_are_applied_by_their_text_and_unknown_rules_are_reported() {
        let schema = json!({ "type": "object", "x-kubernetes-validations": [
            { "rule": "has(self.a) == has(self.b)", "message": "a and b go together" },
        ]});
        let rules = [Rule {
            text: "has(self.a) == has(self.b)",
            holds: |o| o.contains_key("a") == o.contains_key("b"),
        }];
        let schema_ab = {
            let mut s = schema.clone();
            s["properties"] = json!({ "a": { "type": "integer" }, "b": { "type": "integer" } });
            s
        };
        assert!(check_with(json!({ "a": 1, "b": 2 }), schema_ab.clone(), &rules).is_empty());
        assert_eq!(
            check_with(json!({ "a": 1 }), schema_ab, &rules),
            [(
                String::new(),
                Problem::Rule {
                    message: "a and b go together".into()
                }
            )]
        );
        assert_eq!(
            check_with(json!({}), schema, &[]),
            [(
                String::new(),
                Problem::UnsupportedRule {
                    rule: "has(self.a) == has(self.b)".into()
                }
            )]
        );
    }
}
