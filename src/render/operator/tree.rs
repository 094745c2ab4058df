//! The WorkerPool as it is built: an ordered JSON tree that remembers where
//! in the source each part came from (a span, or the span tree of an
//! embedded Kubernetes object), so a violation of the CRD found at a path
//! of the tree is reported at what the user wrote.

use super::to_json;
use crate::diagnostics::{Diagnostic, OperatorProblem, Quoted};
use crate::kube::structural::{self, Problem, Segment, Violation};
use crate::model::span_tree::{FieldSpans, SpanTree};
use crate::model::{Embedded, StringMap};
use crate::operator as facts;
use crate::syntax::span::{Span, Spanned};
use serde::Serialize;
use serde_json::{Map, Value as Json, json};

/// Where a part of the WorkerPool was written.
#[derive(Clone, Copy)]
pub enum Origin<'p> {
    Span(Span),
    /// An embedded Kubernetes object: its parts have spans of their own.
    Tree(&'p SpanTree),
}

/// The WorkerPool being built, and where its parts came from.
pub struct Built<'p> {
    pub root: Json,
    pub origins: Vec<(Vec<Segment>, Origin<'p>)>,
}

pub fn segments(path: &str) -> Vec<Segment> {
    path.split('.').map(|s| Segment::Field(s.into())).collect()
}

impl<'p> Built<'p> {
    /// Writes `value` at a dotted path, creating the objects on the way in
    /// the order they are first written.
    pub fn put(&mut self, path: &str, value: Json, origin: Origin<'p>) {
        let (parent, last) = path.rsplit_once('.').unwrap_or(("", path));
        let mut node = &mut self.root;
        for step in parent.split('.').filter(|s| !s.is_empty()) {
            let Json::Object(fields) = node else { return };
            node = fields
                .entry(step.to_string())
                .or_insert_with(|| Json::Object(Map::new()));
        }
        if let Json::Object(fields) = node {
            fields.insert(last.to_string(), value);
            self.origins.push((segments(path), origin));
        }
    }

    pub fn put_object<T: Serialize>(&mut self, path: &str, object: &'p Option<Embedded<T>>) {
        if let Some(object) = object {
            self.put(
                path,
                to_json(object.object.as_ref()),
                Origin::Tree(&object.spans),
            );
        }
    }

    /// A list, each item with its own origin; nothing when it is empty.
    pub fn put_list(&mut self, path: &str, items: Vec<(Json, Origin<'p>)>, whole: Span) {
        if items.is_empty() {
            return;
        }
        let (values, origins): (Vec<Json>, Vec<Origin>) = items.into_iter().unzip();
        self.put(path, Json::Array(values), Origin::Span(whole));
        for (index, origin) in origins.into_iter().enumerate() {
            let mut at = segments(path);
            at.push(Segment::Index(index));
            self.origins.push((at, origin));
        }
    }

    pub fn put_objects<T: Serialize>(
        &mut self,
        path: &str,
        objects: &'p [Embedded<T>],
        whole: Span,
    ) {
        let items = objects
            .iter()
            .map(|o| (to_json(o.object.as_ref()), Origin::Tree(&o.spans)))
            .collect();
        self.put_list(path, items, whole);
    }

    /// Labels, annotations, node selectors; nothing when empty.
    pub fn put_map(&mut self, path: &str, entries: &StringMap, whole: Span) {
        if entries.is_empty() {
            return;
        }
        self.put(path, json!(map(entries)), Origin::Span(whole));
        for (key, _) in entries {
            let mut at = segments(path);
            at.push(Segment::Field(key.value.clone()));
            self.origins.push((at, Origin::Span(key.span)));
        }
    }

    pub fn put_value<T: Serialize>(&mut self, path: &str, value: &Option<Spanned<T>>) {
        if let Some(value) = value {
            self.put(path, to_json(&value.value), Origin::Span(value.span));
        }
    }

    /// A violation as a diagnostic, at the source of the part it is about.
    pub fn diagnostic(&self, violation: Violation, fallback: Span) -> Diagnostic {
        let (span, key_span) = self.locate(&violation.path, fallback);
        let path = structural::display(&violation.path);
        match violation.problem {
            Problem::Unknown => {
                let (parent, field) = match violation.path.split_last() {
                    Some((Segment::Field(field), parent)) => {
                        (structural::display(parent), field.clone())
                    }
                    _ => (String::new(), path),
                };
                // Paths and reasons are the CRD's: its field names, its rules.
                OperatorProblem::PrunedField {
                    span: key_span.unwrap_or(span),
                    field: Quoted::public(field),
                    path: Quoted::public(parent),
                    kubernetes: facts::KUBERNETES,
                }
                .into()
            }
            problem => OperatorProblem::CrdViolation {
                span,
                path: Quoted::public(path),
                reason: Quoted::public(reason(&problem)),
            }
            .into(),
        }
    }

    /// The span of the value at `path` and, when it is an object's field,
    /// of its key: found through the deepest recorded origin, then down the
    /// span tree of an embedded object.
    fn locate(&self, path: &[Segment], fallback: Span) -> (Span, Option<Span>) {
        let recorded = self
            .origins
            .iter()
            .filter(|(at, _)| path.starts_with(at))
            .max_by_key(|(at, _)| at.len());
        let Some((at, origin)) = recorded else {
            return (fallback, None);
        };
        let tree = match origin {
            Origin::Span(span) => return (*span, None),
            Origin::Tree(tree) => *tree,
        };
        let mut node = tree;
        let mut key = None;
        for segment in &path[at.len()..] {
            let next: Option<(&SpanTree, Option<&FieldSpans>)> = match segment {
                Segment::Field(name) => node.field(name).map(|f| (&f.value, Some(f))),
                Segment::Index(i) => node.item(*i).map(|t| (t, None)),
            };
            let Some((child, field)) = next else { break };
            node = child;
            key = field.map(|f| f.key_span);
        }
        (node.span, key)
    }
}

/// A violation in words, without the value (which could be a secret).
fn reason(problem: &Problem) -> String {
    match problem {
        Problem::Unknown => "not a field of the CRD".into(),
        Problem::Missing => "a required field is missing".into(),
        Problem::WrongType { expected } => format!("must be {expected}"),
        Problem::OutOfFormat { format } => format!("does not fit in an {format}"),
        Problem::BelowMinimum { minimum } => format!("must be at least {minimum}"),
        Problem::AboveMaximum { maximum } => format!("must be at most {maximum}"),
        Problem::NotAllowed { allowed } => format!("must be one of {}", allowed.join(", ")),
        Problem::NotAQuantity => "not a resource quantity".into(),
        Problem::Duplicate { keys } => format!("repeats an item with the same {}", keys.join(", ")),
        Problem::Rule { message } => message.clone(),
        Problem::UnsupportedPattern { pattern } => {
            format!("poolc cannot check the CRD's pattern {pattern}")
        }
        Problem::UnsupportedRule { rule } => format!("poolc cannot check the CRD's rule {rule}"),
    }
}

fn map(entries: &StringMap) -> Map<String, Json> {
    entries
        .iter()
        .map(|(k, v)| (k.value.clone(), Json::String(v.value.clone())))
        .collect()
}
