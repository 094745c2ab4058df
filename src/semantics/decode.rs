//! Reading effective bodies and values into the model. A body is read
//! through a [`Schema`], a table of its fields; values through small typed
//! decoders that report a diagnostic at the value's span and yield `None`.

use super::eval::Evaluator;
use super::integer::{self, IntegerError};
use super::merge::{MergedBlock, Node};
use super::suggest::suggest;
use super::value::{Fields, Value, ValueKind};
use crate::diagnostics::{
    ChartProblem, Diagnostic, Diagnostics, Quoted, ShapeProblem, ValueProblem,
};
use crate::kube::{names, quantity};
use crate::model::StringMap;
use crate::model::duration::Duration;
use crate::model::image::ImageRef;
use crate::secrets::Secrecy;
use crate::syntax::span::{Span, Spanned};
use std::collections::HashMap;

/// What decoding needs: the evaluator (for expressions) and somewhere to
/// report problems.
pub struct Cx<'e, 'p> {
    pub eval: &'e mut Evaluator<'p>,
    pub diagnostics: &'e mut Diagnostics,
    /// The field being read, written the right way (`mask_envs = ["A"]`),
    /// for the help of a value of the wrong type.
    pub example: Option<String>,
}

impl Cx<'_, '_> {
    pub fn report(&mut self, problem: impl Into<Diagnostic>) {
        self.diagnostics.push(problem);
    }

    /// The wrong kind of value. A bare name where a non-keyword value was
    /// expected is an undefined `let`.
    pub fn mismatch(&mut self, value: &Value, expected: &str) {
        if let ValueKind::Keyword(name) = &value.kind {
            self.eval.undefined_name(value, name, self.diagnostics);
        } else {
            self.report(ShapeProblem::TypeMismatch {
                span: value.span,
                expected: Quoted::public(expected),
                found: value.describe(),
                // A field's name and a value poolc wrote.
                example: self.example.clone().map(Quoted::public),
            });
        }
    }

    /// Whether `value`, read for `field` of `context`, holds no text of a
    /// pool's credential; one that does is reported at that text and left
    /// out (it would be written in clear).
    pub fn no_credential(&mut self, value: &Value, field: &str, context: &'static str) -> bool {
        let Some(part) = value.find_secret(Secrecy::Credential) else {
            return true;
        };
        self.report(ChartProblem::CredentialInField {
            span: part.span,
            field: Quoted::public(field),
            context,
        });
        false
    }

    /// Text written in the source at `span`, quoted unless it may be secret.
    pub fn written(&self, text: &str, span: Span) -> Quoted {
        Quoted::written(text, span, self.eval.secrets)
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
            let kind = &block.block.kind;
            self.report(ShapeProblem::BadBlockLabels {
                span: label.span,
                block: self.written(&kind.name, kind.span),
                expected: Quoted::fixed("no labels"),
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
        let mut fields = Fields::with_capacity(nodes.len());
        for node in nodes {
            let key = node.key();
            if let Some(previous) = fields.repeated(&key.name) {
                self.report(ShapeProblem::DuplicateEntry {
                    span: key.span,
                    previous,
                    name: self.written(&key.name, key.span),
                });
                continue;
            }
            let value = self.node_value(node);
            fields.add(&key.name, key.span, value);
        }
        let fields = fields.finish()?;
        Some(Value::new(ValueKind::Object(fields), span))
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
    /// The field may hold a pool's credential (or checks itself which of
    /// its parts may): for any other, one is an error.
    pub holds_credentials: bool,
}

/// A field of a schema written twice (`name` is the field's, so public).
fn written_twice(span: Span, previous: Span, name: &str) -> Diagnostic {
    ShapeProblem::DuplicateEntry {
        span,
        previous,
        name: Quoted::public(name),
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
            holds_credentials: false,
        }
    }

    pub const fn holds_credentials(mut self) -> FieldSpec<T> {
        self.holds_credentials = true;
        self
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
    /// Fields' values written the right way (`["regcred"]`), for the help
    /// of a value of the wrong type.
    pub examples: &'static [(&'static str, &'static str)],
}

/// Attributes read by name through one function (the launcher settings,
/// whose table lives in the model).
pub struct Extra<T: 'static> {
    pub accepts: fn(&str) -> bool,
    /// A value of the attribute written the right way.
    pub example: fn(&str) -> Option<&'static str>,
    /// Every accepted name, for did-you-mean.
    pub names: fn() -> Vec<&'static str>,
    pub apply: fn(&mut T, &str, &Value, &mut Cx),
}

enum Found<'s, T: 'static> {
    Listed(&'static FieldSpec<T>),
    Extra(&'s Extra<T>),
}

impl<T> Schema<T> {
    fn field(&self, name: &str) -> Option<Found<'_, T>> {
        if let Some(listed) = self
            .fields
            .iter()
            .flat_map(|f| f.iter())
            .find(|f| f.name == name)
        {
            return Some(Found::Listed(listed));
        }
        let extra = self.extra.as_ref()?;
        (extra.accepts)(name).then_some(Found::Extra(extra))
    }

    /// The field `name`'s value written the right way.
    fn example(&self, name: &str) -> Option<&'static str> {
        let listed = self
            .examples
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| *e);
        listed.or_else(|| (self.extra.as_ref()?.example)(name))
    }

    /// Whether `name` is a field of the schema.
    pub fn knows(&self, name: &str) -> bool {
        self.field(name).is_some()
    }

    /// Every field's name, for did-you-mean.
    pub fn names(&self) -> Vec<&'static str> {
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
        let example = schema
            .example(&key.name)
            .map(|e| format!("{} = {e}", key.name));
        let outer = std::mem::replace(&mut cx.example, example);
        apply_field(found, node, target, schema.context, cx);
        cx.example = outer;
    }
}

/// Reads one known field of a body (of `context`, "a pool", ...). A value
/// that holds a pool's credential is refused unless the field may hold one.
fn apply_field<T>(
    found: Found<'_, T>,
    node: &Node,
    target: &mut T,
    context: &'static str,
    cx: &mut Cx,
) {
    let key = node.key();
    // The name of one of the schema's fields.
    let name = Quoted::public(&key.name);
    match (found, node) {
        (Found::Listed(field), Node::Block(_)) if field.shape == Shape::Attribute => {
            cx.report(ShapeProblem::WrittenAsBlock {
                span: key.span,
                name,
            })
        }
        (Found::Extra(_), Node::Block(_)) => cx.report(ShapeProblem::WrittenAsBlock {
            span: key.span,
            name,
        }),
        (Found::Listed(field), node) => match (&field.apply, node) {
            (Apply::Block(_), Node::Attribute(_)) => cx.report(ShapeProblem::WrittenAsAttribute {
                span: key.span,
                name,
            }),
            (Apply::Block(apply), Node::Block(block)) => apply(target, block, cx),
            (Apply::Value(apply), node) => {
                if let Some(value) = cx.node_value(node)
                    && (field.holds_credentials || cx.no_credential(&value, field.name, context))
                {
                    apply(target, &value, cx);
                }
            }
        },
        (Found::Extra(extra), node) => {
            if let Some(value) = cx.node_value(node)
                && cx.no_credential(&value, &key.name, context)
            {
                (extra.apply)(target, &key.name, &value, cx);
            }
        }
    }
}

fn unknown<T>(node: &Node, schema: &Schema<T>, cx: &mut Cx) {
    let key = node.key();
    let names = schema.names();
    let suggestion = suggest(&key.name, names.iter().copied()).map(Quoted::public);
    let context = schema.context;
    let name = cx.written(&key.name, key.span);
    cx.report(match node {
        Node::Attribute(_) => ShapeProblem::UnknownAttribute {
            span: key.span,
            name,
            context,
            suggestion,
            known: names,
        },
        Node::Block(_) => ShapeProblem::UnknownBlock {
            span: key.span,
            name,
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
        let kind = &block.block.kind;
        let problem = ShapeProblem::BadBlockLabels {
            span: block.block.span,
            block: cx.written(&kind.name, kind.span),
            expected: Quoted::fixed(expected),
        };
        cx.report(problem);
    }
    block.body.as_deref()
}

// ---- values -------------------------------------------------------------------

pub fn string(value: &Value, cx: &mut Cx) -> Option<Spanned<String>> {
    match &value.kind {
        ValueKind::Str(s) => Some(Spanned::new(s.text.clone(), value.span)),
        _ => {
            cx.mismatch(value, "a string");
            None
        }
    }
}

/// An integer literal (`4`, `-1`, `0o755`) in `min..=max`.
pub fn integer(
    value: &Value,
    min: i64,
    max: i64,
    range: &'static str,
    cx: &mut Cx,
) -> Option<Spanned<i64>> {
    let n = integer_value(value, "a whole number", cx)?;
    if (min..=max).contains(&n) {
        return Some(Spanned::new(n, value.span));
    }
    cx.report(ShapeProblem::OutOfRange {
        span: value.span,
        range,
        help: None,
    });
    None
}

/// The value of an integer literal, any size that fits 64 bits; anything
/// else is reported (`expected` describes what the field takes).
pub fn integer_value(value: &Value, expected: &str, cx: &mut Cx) -> Option<i64> {
    let ValueKind::Number(text) = &value.kind else {
        cx.mismatch(value, expected);
        return None;
    };
    match integer::parse(text) {
        Ok(n) => Some(n),
        Err(IntegerError::NotInteger) => {
            cx.mismatch(value, expected);
            None
        }
        Err(error) => {
            report_integer(value, text, error, cx.diagnostics);
            None
        }
    }
}

/// Reports an integer (`value`, written `text`) written wrongly (`0755`,
/// `0o9`, too large), quoting it only when it cannot be secret.
pub fn report_integer(
    value: &Value,
    text: &str,
    error: IntegerError,
    diagnostics: &mut Diagnostics,
) {
    let (span, quoted) = (value.span, |t: String| Quoted::value(t, value.secrecy));
    diagnostics.push(match error {
        IntegerError::LeadingZero { decimal, octal } => ValueProblem::LeadingZero {
            span,
            written: quoted(text.to_string()),
            decimal: quoted(decimal),
            octal: octal.map(|(octal, n)| (quoted(octal), n)),
        },
        IntegerError::BadOctal { reason } => ValueProblem::BadInteger {
            span,
            reason: quoted(reason),
        },
        IntegerError::TooLarge | IntegerError::NotInteger => ValueProblem::BadInteger {
            span,
            reason: Quoted::fixed("does not fit in a 64-bit integer"),
        },
    });
}

/// A duration literal (`2h`), or a string holding one.
pub fn duration(value: &Value, cx: &mut Cx) -> Option<Spanned<Duration>> {
    let text = match &value.kind {
        ValueKind::Number(text) => text.as_str(),
        ValueKind::Str(s) => s.text.as_str(),
        _ => {
            cx.mismatch(value, "a duration such as 30s or 2h");
            return None;
        }
    };
    match Duration::parse(text) {
        Ok(d) => Some(Spanned::new(d, value.span)),
        Err(e) => {
            cx.report(ValueProblem::BadDuration {
                span: value.span,
                reason: Quoted::value(e, value.secrecy),
            });
            None
        }
    }
}

/// A quantity literal (`500m`, `100Gi`), or a string holding one.
pub fn quantity(value: &Value, cx: &mut Cx) -> Option<String> {
    let text = match &value.kind {
        ValueKind::Number(text) => text.as_str(),
        ValueKind::Str(s) => s.text.as_str(),
        _ => {
            cx.mismatch(value, "a quantity such as 500m or 100Gi");
            return None;
        }
    };
    match quantity::parse(text) {
        Ok(q) => Some(q),
        Err(e) => {
            cx.report(ValueProblem::BadQuantity {
                span: value.span,
                reason: Quoted::value(e, value.secrecy),
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
                reason: Quoted::value(e, value.secrecy),
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
        // Text read by env() or file() is not taken for a keyword.
        ValueKind::Str(s) if s.secrecy != Secrecy::Read => s.text.as_str(),
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
        value: Quoted::value(word, value.secrecy),
        suggestion: suggest(word, names.iter().copied()).map(Quoted::public),
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
                reason: Quoted::value(reason, value.secrecy),
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
        // The API compares annotation keys in lowercase.
        let key = match kind {
            MapKind::Labels => field.key.clone(),
            MapKind::Annotations => field.key.to_lowercase(),
        };
        if let Err(reason) = names::label_key(&key) {
            let reason = cx.written(&reason, field.key_span);
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
                reason: Quoted::value(e, field.value.secrecy),
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
