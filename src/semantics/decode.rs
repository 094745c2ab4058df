//! Reading effective bodies and values into the model. A body is read
//! through a [`Schema`], a table of its fields; values through small typed
//! decoders that report a diagnostic at the value's span and yield `None`.

use super::eval::Evaluator;
use super::merge::{MergedBlock, Node};
use super::suggest::suggest;
use super::value::{Field, Str, Value, ValueKind};
use crate::diagnostics::{Diagnostic, Diagnostics, ShapeProblem, ValueProblem};
use crate::kube::{names, quantity};
use crate::model::StringMap;
use crate::model::duration::Duration;
use crate::model::image::ImageRef;
use crate::syntax::span::{Span, Spanned};
use std::collections::HashMap;

/// What decoding needs: the evaluator (for expressions) and somewhere to
/// report problems.
pub struct Cx<'e, 'p> {
    pub eval: &'e mut Evaluator<'p>,
    pub diagnostics: &'e mut Diagnostics,
}

impl Cx<'_, '_> {
    pub fn report(&mut self, problem: impl Into<Diagnostic>) {
        self.diagnostics.push(problem);
    }

    /// The wrong kind of value. A bare name where a non-keyword value was
    /// expected is an undefined `let`.
    pub fn mismatch(&mut self, value: &Value, expected: &str) {
        if let ValueKind::Keyword(name) = &value.kind {
            self.eval.undefined_name(value.span, name, self.diagnostics);
        } else {
            self.report(ShapeProblem::TypeMismatch {
                span: value.span,
                expected: expected.to_string(),
                found: value.describe(),
            });
        }
    }

    /// The value of an entry written `name = value`, or a block's body read
    /// as an object (for Kubernetes objects, which may be written either way).
    pub fn node_value(&mut self, node: &Node) -> Option<Value> {
        match node {
            Node::Attribute(a) => self.eval.eval(&a.value, self.diagnostics),
            Node::Block(b) => self.block_object(b),
        }
    }

    /// A block body as an object value; nested blocks become nested objects.
    pub fn block_object(&mut self, block: &MergedBlock) -> Option<Value> {
        if let Some(label) = block.block.labels.first() {
            self.report(ShapeProblem::BadBlockLabels {
                span: label.span,
                block: block.block.kind.name.clone(),
                expected: "no labels".into(),
            });
            return None;
        }
        let span = block
            .block
            .body
            .as_ref()
            .map_or(block.block.span, |b| b.span);
        self.body_object(block.body.as_deref().unwrap_or_default(), span)
    }

    /// Entries of a body as an object value.
    pub fn body_object(&mut self, nodes: &[Node], span: Span) -> Option<Value> {
        let mut fields = Vec::with_capacity(nodes.len());
        // The keys read so far, so a body of any size is read in linear time.
        let mut keys: HashMap<&str, Span> = HashMap::with_capacity(nodes.len());
        let mut ok = true;
        for node in nodes {
            let key = node.key();
            if let Some(&previous) = keys.get(key.name.as_str()) {
                self.report(ShapeProblem::DuplicateEntry {
                    span: key.span,
                    previous,
                    name: key.name.clone(),
                });
                ok = false;
                continue;
            }
            match self.node_value(node) {
                Some(value) => {
                    keys.insert(&key.name, key.span);
                    fields.push(Field {
                        key: key.name.clone(),
                        key_span: key.span,
                        value,
                    })
                }
                None => ok = false,
            }
        }
        ok.then(|| Value::new(ValueKind::Object(fields), span))
    }
}

// ---- schemas ----------------------------------------------------------------

/// How a field is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `name = value`
    Attribute,
    /// `name = { ... }` or `name { ... }` (a Kubernetes object).
    Object,
    /// `name [labels] { ... }`
    Block,
}

pub enum Apply<T> {
    Value(fn(&mut T, &Value, &mut Cx)),
    Block(fn(&mut T, &MergedBlock, &mut Cx)),
}

/// One row of a schema: a field's name, how it is written, and how it is
/// read. (The chart values each field stands for are chart facts:
/// `chart::values::MAPPING`.)
pub struct FieldSpec<T> {
    pub name: &'static str,
    pub shape: Shape,
    pub apply: Apply<T>,
    /// The problem when the field is written twice in one body.
    pub twice: fn(Span, Span, &str) -> Diagnostic,
}

fn written_twice(span: Span, previous: Span, name: &str) -> Diagnostic {
    ShapeProblem::DuplicateEntry {
        span,
        previous,
        name: name.to_string(),
    }
    .into()
}

impl<T> FieldSpec<T> {
    pub const fn attribute(name: &'static str, apply: fn(&mut T, &Value, &mut Cx)) -> FieldSpec<T> {
        Self::row(name, Shape::Attribute, Apply::Value(apply))
    }

    pub const fn object(name: &'static str, apply: fn(&mut T, &Value, &mut Cx)) -> FieldSpec<T> {
        Self::row(name, Shape::Object, Apply::Value(apply))
    }

    pub const fn block(
        name: &'static str,
        apply: fn(&mut T, &MergedBlock, &mut Cx),
    ) -> FieldSpec<T> {
        Self::row(name, Shape::Block, Apply::Block(apply))
    }

    const fn row(name: &'static str, shape: Shape, apply: Apply<T>) -> FieldSpec<T> {
        FieldSpec {
            name,
            shape,
            apply,
            twice: written_twice,
        }
    }

    pub const fn when_twice(mut self, twice: fn(Span, Span, &str) -> Diagnostic) -> FieldSpec<T> {
        self.twice = twice;
        self
    }
}

/// The fields of one kind of body.
pub struct Schema<T: 'static> {
    /// "a pool", "the launcher block", ... for messages.
    pub context: &'static str,
    pub fields: &'static [&'static [FieldSpec<T>]],
    /// Fields beyond the table, looked up by name (the launcher settings).
    pub extra: Option<Extra<T>>,
}

/// Attributes read by name through one function (the launcher settings,
/// whose table lives in the model).
pub struct Extra<T: 'static> {
    pub accepts: fn(&str) -> bool,
    /// Every accepted name, for did-you-mean.
    pub names: fn() -> Vec<&'static str>,
    pub apply: fn(&mut T, &str, &Value, &mut Cx),
}

enum Found<T: 'static> {
    Listed(&'static FieldSpec<T>),
    Extra(fn(&mut T, &str, &Value, &mut Cx)),
}

impl<T> Schema<T> {
    fn field(&self, name: &str) -> Option<Found<T>> {
        if let Some(listed) = self
            .fields
            .iter()
            .flat_map(|f| f.iter())
            .find(|f| f.name == name)
        {
            return Some(Found::Listed(listed));
        }
        let extra = self.extra.as_ref()?;
        (extra.accepts)(name).then_some(Found::Extra(extra.apply))
    }

    fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .fields
            .iter()
            .flat_map(|f| f.iter())
            .map(|f| f.name)
            .collect();
        if let Some(extra) = &self.extra {
            names.extend((extra.names)());
        }
        names
    }
}

/// Reads a body through its schema: unknown names (with did-you-mean),
/// names written twice, and attributes written as blocks (or the reverse)
/// are reported; every known field is applied in source order.
pub fn decode_body<T>(nodes: &[Node], schema: &Schema<T>, target: &mut T, cx: &mut Cx) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for node in nodes {
        let key = node.key();
        let Some(found) = schema.field(&key.name) else {
            unknown(node, schema, cx);
            continue;
        };
        if let Some(previous) = seen.insert(&key.name, key.span) {
            let twice = match &found {
                Found::Listed(field) => field.twice,
                Found::Extra(_) => written_twice,
            };
            cx.report(twice(key.span, previous, &key.name));
            continue;
        }
        match (found, node) {
            (Found::Listed(field), Node::Block(_)) if field.shape == Shape::Attribute => {
                cx.report(ShapeProblem::WrittenAsBlock {
                    span: key.span,
                    name: key.name.clone(),
                })
            }
            (Found::Extra(_), Node::Block(_)) => cx.report(ShapeProblem::WrittenAsBlock {
                span: key.span,
                name: key.name.clone(),
            }),
            (Found::Listed(field), node) => match (&field.apply, node) {
                (Apply::Block(_), Node::Attribute(_)) => {
                    cx.report(ShapeProblem::WrittenAsAttribute {
                        span: key.span,
                        name: key.name.clone(),
                    })
                }
                (Apply::Block(apply), Node::Block(block)) => apply(target, block, cx),
                (Apply::Value(apply), node) => {
                    if let Some(value) = cx.node_value(node) {
                        apply(target, &value, cx);
                    }
                }
            },
            (Found::Extra(apply), node) => {
                if let Some(value) = cx.node_value(node) {
                    apply(target, &key.name, &value, cx);
                }
            }
        }
    }
}

fn unknown<T>(node: &Node, schema: &Schema<T>, cx: &mut Cx) {
    let key = node.key();
    let names = schema.names();
    let suggestion = suggest(&key.name, names.iter().copied());
    let context = schema.context.to_string();
    cx.report(match node {
        Node::Attribute(_) => ShapeProblem::UnknownAttribute {
            span: key.span,
            name: key.name.clone(),
            context,
            suggestion,
            known: names,
        },
        Node::Block(_) => ShapeProblem::UnknownBlock {
            span: key.span,
            name: key.name.clone(),
            context,
            suggestion,
        },
    });
}

/// A block's body, or a diagnostic when the block has none.
pub fn require_body<'b, 'a>(
    block: &'b MergedBlock<'a>,
    expected: &'static str,
    cx: &mut Cx,
) -> Option<&'b [Node<'a>]> {
    if block.body.is_none() {
        cx.report(ShapeProblem::BadBlockLabels {
            span: block.block.span,
            block: block.block.kind.name.clone(),
            expected: expected.into(),
        });
    }
    block.body.as_deref()
}

// ---- values -------------------------------------------------------------------

/// A reason that may quote the value, unless the value came from outside
/// the source (then it could be a secret).
pub fn reason(s: &Str, reason: String) -> String {
    if s.external {
        "the value read by env(...) or file(...) is not valid here".into()
    } else {
        reason
    }
}

pub fn string(value: &Value, cx: &mut Cx) -> Option<Spanned<String>> {
    match &value.kind {
        ValueKind::Str(s) => Some(Spanned::new(s.text.clone(), value.span)),
        _ => {
            cx.mismatch(value, "a string");
            None
        }
    }
}

/// A plain integer literal in `min..=max`.
pub fn integer(
    value: &Value,
    min: i64,
    max: i64,
    range: &'static str,
    cx: &mut Cx,
) -> Option<Spanned<i64>> {
    let ValueKind::Number(text) = &value.kind else {
        cx.mismatch(value, "a whole number");
        return None;
    };
    if !is_integer(text) {
        cx.mismatch(value, "a whole number");
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(Spanned::new(n, value.span)),
        _ => {
            cx.report(ShapeProblem::OutOfRange {
                span: value.span,
                range,
            });
            None
        }
    }
}

pub fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// A duration literal (`2h`), or a string holding one.
pub fn duration(value: &Value, cx: &mut Cx) -> Option<Spanned<Duration>> {
    let (text, s) = match &value.kind {
        ValueKind::Number(text) => (text.as_str(), None),
        ValueKind::Str(s) => (s.text.as_str(), Some(s)),
        _ => {
            cx.mismatch(value, "a duration such as 30s or 2h");
            return None;
        }
    };
    match Duration::parse(text) {
        Ok(d) => Some(Spanned::new(d, value.span)),
        Err(e) => {
            let reason = s.map_or(e.clone(), |s| reason(s, e));
            cx.report(ValueProblem::BadDuration {
                span: value.span,
                reason,
            });
            None
        }
    }
}

/// A quantity literal (`500m`, `100Gi`), or a string holding one.
pub fn quantity(value: &Value, cx: &mut Cx) -> Option<String> {
    let (text, s) = match &value.kind {
        ValueKind::Number(text) => (text.as_str(), None),
        ValueKind::Str(s) => (s.text.as_str(), Some(s)),
        _ => {
            cx.mismatch(value, "a quantity such as 500m or 100Gi");
            return None;
        }
    };
    match quantity::parse(text) {
        Ok(q) => Some(q),
        Err(e) => {
            let reason = s.map_or(e.clone(), |s| reason(s, e));
            cx.report(ValueProblem::BadQuantity {
                span: value.span,
                reason,
            });
            None
        }
    }
}

pub fn image(value: &Value, cx: &mut Cx) -> Option<Spanned<ImageRef>> {
    let ValueKind::Str(s) = &value.kind else {
        cx.mismatch(value, "an image reference string");
        return None;
    };
    match ImageRef::parse(&s.text) {
        Ok(image) => Some(Spanned::new(image, value.span)),
        Err(e) => {
            cx.report(ValueProblem::BadImage {
                span: value.span,
                reason: reason(s, e),
            });
            None
        }
    }
}

/// One of a fixed set of keywords, written bare (`statefulset`) or quoted.
pub fn keyword<T: Copy>(
    value: &Value,
    table: &[(&'static str, T)],
    cx: &mut Cx,
) -> Option<Spanned<T>> {
    let word = match &value.kind {
        ValueKind::Keyword(w) => w.as_str(),
        ValueKind::Str(s) if !s.external => s.text.as_str(),
        _ => {
            let expected = table
                .iter()
                .map(|(k, _)| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            cx.mismatch(value, &expected);
            return None;
        }
    };
    if let Some((_, t)) = table.iter().find(|(k, _)| *k == word) {
        return Some(Spanned::new(*t, value.span));
    }
    let names: Vec<&'static str> = table.iter().map(|(k, _)| *k).collect();
    cx.report(ShapeProblem::UnknownKeyword {
        span: value.span,
        value: word.to_string(),
        suggestion: suggest(word, names.iter().copied()),
        expected: names,
    });
    None
}

/// A Kubernetes object name (Secret, ServiceAccount, ...).
pub fn object_name(value: &Value, what: &'static str, cx: &mut Cx) -> Option<Spanned<String>> {
    let name = string(value, cx)?;
    match names::dns_subdomain(&name) {
        Ok(()) => Some(name),
        Err(reason) => {
            cx.report(ValueProblem::BadObjectName {
                span: value.span,
                what,
                reason,
            });
            None
        }
    }
}

pub fn list<T>(
    value: &Value,
    cx: &mut Cx,
    mut item: impl FnMut(&Value, &mut Cx) -> Option<T>,
) -> Option<Vec<T>> {
    let ValueKind::List(items) = &value.kind else {
        cx.mismatch(value, "a list");
        return None;
    };
    let decoded: Vec<Option<T>> = items.iter().map(|v| item(v, cx)).collect();
    decoded.into_iter().collect()
}

/// What a map's keys and values must be.
#[derive(Clone, Copy)]
pub enum MapKind {
    /// Label keys and label values (labels, node selectors).
    Labels,
    /// Label-style keys, any string values (annotations).
    Annotations,
}

/// An object of strings: labels, annotations, node selectors.
pub fn string_map(value: &Value, kind: MapKind, cx: &mut Cx) -> Option<StringMap> {
    let ValueKind::Object(fields) = &value.kind else {
        cx.mismatch(value, "an object of strings");
        return None;
    };
    let mut map = Vec::with_capacity(fields.len());
    let mut ok = true;
    for field in fields {
        if let Err(reason) = names::label_key(&field.key) {
            cx.report(ValueProblem::BadLabelKey {
                span: field.key_span,
                reason,
            });
            ok = false;
        }
        let ValueKind::Str(s) = &field.value.kind else {
            cx.mismatch(&field.value, "a string (quote numbers and booleans)");
            ok = false;
            continue;
        };
        if let (MapKind::Labels, Err(e)) = (kind, names::label_value(&s.text)) {
            cx.report(ValueProblem::BadLabelValue {
                span: field.value.span,
                reason: reason(s, e),
            });
            ok = false;
        }
        map.push((
            Spanned::new(field.key.clone(), field.key_span),
            Spanned::new(s.text.clone(), field.value.span),
        ));
    }
    ok.then_some(map)
}
