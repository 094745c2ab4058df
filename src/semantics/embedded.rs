//! Kubernetes objects written inside a pool (resources, security contexts,
//! tolerations, volumes, containers, ...), checked against the Kubernetes
//! API's own JSON schema (k8s-openapi's, generated with schemars) and then read
//! into k8s-openapi's typed object. All Kubernetes knowledge comes from
//! there: field names, types, required fields.
//!
//! The check walks the value and the schema together, converting to JSON as
//! it goes, so an unknown field or a wrong type is reported at its own span
//! with the object's name and a did-you-mean.

use super::decode::{self, Cx};
use super::integer::{self, IntegerError};
use super::suggest::suggest;
use super::value::{Value, ValueKind};
use crate::diagnostics::{Diagnostics, KubeProblem, Quoted, ShapeProblem};
use crate::kube::schema::{self, Described, NEAR_NAMES, QUANTITY};
use crate::kube::validation::{self, Finding, Problem, Validate};
use crate::model::Embedded;
use crate::model::span_tree::SpanTree;
use crate::secrets::{Secrecy, Secrets};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};
use std::any::TypeId;
use std::sync::Arc;

/// Reads `value` as the Kubernetes object `T`.
///
/// Each value is read once per run: a value is identified by its span, as
/// the language has nothing that makes one expression mean different things
/// in different pools (a template's `resources` is the same for every pool
/// that extends it). A reused result reports again what reading it reported.
pub fn embedded<T>(value: &Value, cx: &mut Cx) -> Option<Embedded<T>>
where
    T: DeserializeOwned + Described + Validate + Clone + 'static,
{
    let key = (TypeId::of::<T>(), value.span);
    if let Some(read) = cx.eval.objects.get(&key) {
        let object = read
            .object
            .downcast_ref::<Option<Embedded<T>>>()
            .cloned()
            .flatten();
        cx.diagnostics.replay(&read.reported);
        return object;
    }
    let mark = cx.diagnostics.len();
    let object = read::<T>(value, cx);
    let reported = cx.diagnostics.since(mark);
    let read = super::eval::ReadObject {
        object: Box::new(object.clone()),
        reported,
    };
    cx.eval.objects.insert(key, read);
    object
}

fn read<T>(value: &Value, cx: &mut Cx) -> Option<Embedded<T>>
where
    T: DeserializeOwned + Described + Validate + 'static,
{
    let mut checker = Checker { cx };
    let json = checker.check(value, schema::root_of::<T>(), short_name(T::NAME))?;
    match serde_json::from_value::<T>(json) {
        Ok(object) => {
            let spans = value.span_tree();
            let findings = validation::validate(&object);
            report_findings(&findings, &spans, cx.eval.secrets, cx.diagnostics);
            Some(Embedded {
                object: Arc::new(object),
                spans: Arc::new(spans),
            })
        }
        Err(e) => {
            cx.report(KubeProblem::InvalidObject {
                span: value.span,
                object: Quoted::public(short_name(T::NAME)),
                reason: Quoted::value(e.to_string(), value.secrecy),
            });
            None
        }
    }
}

/// Reports what the API server's validation finds in an object, each at
/// the span where the part it is about was written. A message quotes the
/// part (and the related one, a limit) only when neither may be secret: a
/// value's secrecy is in the span tree, a key's is where it was written.
pub fn report_findings(
    findings: &[Finding],
    spans: &SpanTree,
    secrets: &Secrets,
    diagnostics: &mut Diagnostics,
) {
    for finding in findings {
        let at = spans.locate(&finding.path, finding.on_key);
        let related = finding
            .related
            .as_ref()
            .map(|path| spans.locate(path, false));
        let secrecy = [Some(at), related]
            .into_iter()
            .flatten()
            .map(|l| l.secrecy.max(secrets.secrecy_at(l.span)))
            .max()
            .unwrap_or_default();
        let suggestion = match &finding.problem {
            Problem::NotSupported { value, allowed, .. } if secrecy == Secrecy::Public => {
                suggest(value, allowed.iter().copied()).map(Quoted::public)
            }
            _ => None,
        };
        diagnostics.push(KubeProblem::Rule {
            span: at.span,
            problem: finding.problem.clone(),
            secrecy,
            suggestion,
            related: related.map(|r| r.span),
        });
    }
}

/// The field of `object` that `written` is a near name of, beyond edit
/// distance (`size` for an emptyDir's `sizeLimit`).
fn near_name(object: &str, written: &str) -> Option<&'static str> {
    let near: Vec<(&str, &'static str)> = NEAR_NAMES
        .iter()
        .filter(|(o, _, _)| *o == object)
        .map(|(_, written, field)| (*written, *field))
        .collect();
    super::suggest::near(written, &near)
}

/// `io.k8s.api.core.v1.Toleration` → `Toleration`.
fn short_name(title: &str) -> &str {
    title.rsplit('.').next().unwrap_or(title)
}

struct Checker<'c, 'e, 'p> {
    cx: &'c mut Cx<'e, 'p>,
}

impl Checker<'_, '_, '_> {
    fn check(&mut self, value: &Value, schema: &'static Json, object: &str) -> Option<Json> {
        if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            if name == QUANTITY {
                return decode::quantity(value, self.cx).map(Json::String);
            }
            return match schema::definition(name) {
                Some(target) => self.check(value, target, short_name(name)),
                None => self.any(value),
            };
        }
        if schema.get("x-kubernetes-int-or-string").is_some() {
            return self.int_or_string(value, object);
        }
        match schema.get("type").and_then(Json::as_str) {
            Some("object") => self.object(value, schema, object),
            Some("array") => self.array(value, schema, object),
            Some("string") => self.string(value, object),
            Some("integer") => self.integer(value, schema, object),
            Some("number") => self.number(value, object),
            Some("boolean") => self.boolean(value, object),
            _ => self.any(value),
        }
    }

    fn mismatch(&mut self, value: &Value, expected: &str, object: &str) -> Option<Json> {
        self.mismatch_shaped(value, expected, object, None)
    }

    /// A value of the wrong type where an object or a list of `schema` is
    /// expected, with that shape in the help.
    fn mismatch_shaped(
        &mut self,
        value: &Value,
        expected: &str,
        object: &str,
        schema: Option<&Json>,
    ) -> Option<Json> {
        if let ValueKind::Keyword(name) = &value.kind {
            self.cx
                .eval
                .undefined_name(value, name, self.cx.diagnostics);
        } else {
            // Derived from the schema, as `object` was composed of quoted keys.
            let example = schema.map(|schema| Quoted::public(self.shape(schema, 0)));
            self.cx.report(KubeProblem::FieldType {
                span: value.span,
                expected: Quoted::public(expected),
                found: value.describe(),
                object: Quoted::public(object),
                example,
            });
        }
        None
    }

    /// A value of `schema` as written in a .pool file: an object with its
    /// required fields (or its first two), a list of one item, a scalar.
    fn shape(&self, schema: &Json, depth: usize) -> String {
        let schema = self.resolve(schema);
        if schema.get("x-kubernetes-int-or-string").is_some() {
            return "8080".into();
        }
        match schema.get("type").and_then(Json::as_str) {
            Some("object") if depth > 1 => "{ ... }".into(),
            Some("object") => self.object_shape(schema, depth),
            Some("array") => match schema.get("items") {
                Some(items) => format!("[{}]", self.shape(items, depth + 1)),
                None => "[...]".into(),
            },
            Some("integer" | "number") => "1".into(),
            Some("boolean") => "true".into(),
            _ => "\"...\"".into(),
        }
    }

    fn object_shape(&self, schema: &Json, depth: usize) -> String {
        let properties = schema.get("properties").and_then(Json::as_object);
        let Some(properties) = properties else {
            return "{ key = \"value\" }".into();
        };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        let names: Vec<&str> = if required.is_empty() {
            properties.keys().take(2).map(String::as_str).collect()
        } else {
            required
        };
        let fields: Vec<String> = names
            .iter()
            .filter_map(|name| {
                let field = properties.get(*name)?;
                Some(format!("{name} = {}", self.shape(field, depth + 1)))
            })
            .collect();
        format!("{{ {} }}", fields.join(", "))
    }

    /// A schema with its `$ref` followed.
    fn resolve<'j>(&self, schema: &'j Json) -> &'j Json {
        let reference = schema.get("$ref").and_then(Json::as_str);
        let name = reference.map(|r| r.rsplit('/').next().unwrap_or(r));
        match name.and_then(schema::definition) {
            Some(target) => target,
            None => schema,
        }
    }

    fn object(&mut self, value: &Value, schema: &'static Json, object: &str) -> Option<Json> {
        let Some(fields) = value.fields() else {
            return self.mismatch_shaped(value, "an object", object, Some(schema));
        };
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties").filter(|a| a.is_object());
        let mut out = Map::new();
        let mut ok = true;
        let mut suggested = Vec::new();
        for field in fields {
            let field_schema = properties.and_then(|p| p.get(&field.key)).or(additional);
            let Some(field_schema) = field_schema else {
                let names = properties
                    .into_iter()
                    .flat_map(|p| p.keys().map(String::as_str));
                let suggestion = near_name(object, &field.key)
                    .map(String::from)
                    .or_else(|| suggest(&field.key, names));
                suggested.extend(suggestion.clone());
                self.cx.report(KubeProblem::UnknownField {
                    span: field.key_span,
                    field: self.cx.written(&field.key, field.key_span),
                    object: Quoted::public(object),
                    suggestion: suggestion.map(Quoted::public),
                });
                ok = false;
                continue;
            };
            let key = self.cx.written(&field.key, field.key_span);
            let context = format!("`{key}` in {object}");
            match self.check(&field.value, field_schema, &context) {
                Some(json) => {
                    out.insert(field.key.clone(), json);
                }
                None => ok = false,
            }
        }
        for required in schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let Some(required) = required.as_str() else {
                continue;
            };
            // A misspelt field has been reported with this name as its fix.
            let misspelt = suggested.iter().any(|s| s == required);
            if !out.contains_key(required) && value.field(required).is_none() && !misspelt {
                self.cx.report(KubeProblem::MissingField {
                    span: value.span,
                    field: Quoted::public(required),
                    object: Quoted::public(object),
                });
                ok = false;
            }
        }
        ok.then_some(Json::Object(out))
    }

    fn array(&mut self, value: &Value, schema: &'static Json, object: &str) -> Option<Json> {
        let ValueKind::List(items) = &value.kind else {
            return self.mismatch_shaped(value, "a list", object, Some(schema));
        };
        let item_schema = schema.get("items");
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            let checked = match item_schema {
                Some(s) => self.check(item, s, object),
                None => self.any(item),
            };
            match checked {
                Some(json) => out.push(json),
                None => ok = false,
            }
        }
        ok.then_some(Json::Array(out))
    }

    fn string(&mut self, value: &Value, object: &str) -> Option<Json> {
        match &value.kind {
            ValueKind::Str(s) => Some(Json::String(s.text.clone())),
            _ => self.mismatch(value, "a string (quote numbers and booleans)", object),
        }
    }

    fn integer(&mut self, value: &Value, schema: &Json, object: &str) -> Option<Json> {
        let (min, max, range) = match schema.get("format").and_then(Json::as_str) {
            Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX), "a 32-bit integer"),
            _ => (i64::MIN, i64::MAX, "a 64-bit integer"),
        };
        let n = self.integer_literal(value, "a whole number", object)?;
        if (min..=max).contains(&n) {
            return Some(Json::from(n));
        }
        self.cx.report(ShapeProblem::OutOfRange {
            span: value.span,
            range,
            help: None,
        });
        None
    }

    /// An integer literal (decimal or octal), reported when written wrongly.
    fn integer_literal(&mut self, value: &Value, expected: &str, object: &str) -> Option<i64> {
        let ValueKind::Number(text) = &value.kind else {
            self.mismatch(value, expected, object);
            return None;
        };
        match integer::parse(text) {
            Ok(n) => Some(n),
            Err(IntegerError::NotInteger) => {
                self.mismatch(value, expected, object);
                None
            }
            Err(error) => {
                decode::report_integer(value, text, error, self.cx.diagnostics);
                None
            }
        }
    }

    fn number(&mut self, value: &Value, object: &str) -> Option<Json> {
        match &value.kind {
            ValueKind::Number(text) if integer::looks_integer(text) => self
                .integer_literal(value, "a number", object)
                .map(Json::from),
            ValueKind::Number(text) => match text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Some(n) => Some(Json::Number(n)),
                None => self.mismatch(value, "a number", object),
            },
            _ => self.mismatch(value, "a number", object),
        }
    }

    fn boolean(&mut self, value: &Value, object: &str) -> Option<Json> {
        match &value.kind {
            ValueKind::Bool(b) => Some(Json::Bool(*b)),
            _ => self.mismatch(value, "true or false", object),
        }
    }

    fn int_or_string(&mut self, value: &Value, object: &str) -> Option<Json> {
        match &value.kind {
            ValueKind::Str(s) => Some(Json::String(s.text.clone())),
            ValueKind::Number(_) => self
                .integer_literal(value, "a whole number or a string", object)
                .map(Json::from),
            _ => self.mismatch(value, "a whole number or a string", object),
        }
    }

    /// A value the schema says nothing about (free-form JSON).
    fn any(&mut self, value: &Value) -> Option<Json> {
        match &value.kind {
            ValueKind::Str(s) => Some(Json::String(s.text.clone())),
            ValueKind::Number(text) if integer::looks_integer(text) => self
                .integer_literal(value, "a number", "the object")
                .map(Json::from),
            ValueKind::Number(text) => Some(
                text.parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(|| Json::String(text.clone()), Json::Number),
            ),
            ValueKind::Bool(b) => Some(Json::Bool(*b)),
            ValueKind::List(items) => items
                .iter()
                .map(|i| self.any(i))
                .collect::<Option<Vec<_>>>()
                .map(Json::Array),
            ValueKind::Object(fields) => fields
                .iter()
                .map(|f| self.any(&f.value).map(|j| (f.key.clone(), j)))
                .collect::<Option<Map<_, _>>>()
                .map(Json::Object),
            ValueKind::Keyword(name) => {
                self.cx
                    .eval
                    .undefined_name(value, name, self.cx.diagnostics);
                None
            }
        }
    }
}
