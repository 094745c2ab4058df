//! Evaluated values. Every node keeps the span of the expression that
//! produced it, so type errors deep inside an object point at the right
//! place.

use crate::model::span_tree::{FieldSpans, Parts, SpanTree};
use crate::secrets::Secrecy;
use crate::syntax::span::Span;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    /// Where the value is used.
    pub span: Span,
    /// How secret the value's text (or, for a list or an object, the most
    /// secret text in it) may be.
    pub secrecy: Secrecy,
    /// Where it was written: the same span, or the expression of the `let`
    /// it came through (so a problem with a literal can point at it).
    pub origin: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Str(Str),
    /// A number-like literal as written (`4`, `1.5`, `500m`, `2h`); what it
    /// means depends on the type the field expects.
    Number(String),
    Bool(bool),
    List(Vec<Value>),
    Object(Vec<Field>),
    /// A bare name that is not a `let`: a keyword value such as
    /// `statefulset`, or an undefined name if the field takes no keywords.
    Keyword(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    pub text: String,
    /// Whether part of the text came from a secret (`env()`, `file()`, a
    /// literal where a credential is written): diagnostics must not quote
    /// it then.
    pub secrecy: Secrecy,
}

impl Str {
    /// Text poolc wrote itself.
    pub fn public(text: impl Into<String>) -> Str {
        Str {
            text: text.into(),
            secrecy: Secrecy::Public,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

/// The fields of an object being read (a body or an object literal), each
/// key once. The keys read so far are a map, so an object of any size is
/// read in linear time.
pub struct Fields<'k> {
    fields: Vec<Field>,
    keys: HashMap<&'k str, Span>,
    ok: bool,
}

impl<'k> Fields<'k> {
    pub fn with_capacity(capacity: usize) -> Fields<'k> {
        Fields {
            fields: Vec::with_capacity(capacity),
            keys: HashMap::with_capacity(capacity),
            ok: true,
        }
    }

    /// Where `key` was read before, for the caller to report: the object
    /// is then not made.
    pub fn repeated(&mut self, key: &str) -> Option<Span> {
        let previous = self.keys.get(key).copied();
        self.ok &= previous.is_none();
        previous
    }

    /// Adds a field; a value that did not read leaves the object unmade.
    pub fn add(&mut self, key: &'k str, key_span: Span, value: Option<Value>) {
        let Some(value) = value else {
            self.ok = false;
            return;
        };
        self.keys.insert(key, key_span);
        self.fields.push(Field {
            key: key.to_string(),
            key_span,
            value,
        });
    }

    /// The fields, when every key was new and every value read.
    pub fn finish(self) -> Option<Vec<Field>> {
        self.ok.then_some(self.fields)
    }
}

impl Value {
    /// A value whose secrecy is that of its text or parts.
    pub fn new(kind: ValueKind, span: Span) -> Value {
        let secrecy = match &kind {
            ValueKind::Str(s) => s.secrecy,
            ValueKind::List(items) => items.iter().map(|i| i.secrecy).max().unwrap_or_default(),
            ValueKind::Object(fields) => fields
                .iter()
                .map(|f| f.value.secrecy)
                .max()
                .unwrap_or_default(),
            ValueKind::Number(_) | ValueKind::Bool(_) | ValueKind::Keyword(_) => Secrecy::Public,
        };
        Value {
            kind,
            span,
            origin: span,
            secrecy,
        }
    }

    /// The value, at least as secret as `secrecy` (where it was written).
    pub fn at_least(mut self, secrecy: Secrecy) -> Value {
        self.secrecy = self.secrecy.max(secrecy);
        if let ValueKind::Str(s) = &mut self.kind {
            s.secrecy = s.secrecy.max(secrecy);
        }
        self
    }

    /// The first part (in writing order) at least as secret as `secrecy`.
    pub fn find_secret(&self, secrecy: Secrecy) -> Option<&Value> {
        if self.secrecy < secrecy {
            return None;
        }
        let inner = match &self.kind {
            ValueKind::List(items) => items.iter().find_map(|i| i.find_secret(secrecy)),
            ValueKind::Object(fields) => fields.iter().find_map(|f| f.value.find_secret(secrecy)),
            _ => None,
        };
        inner.or(Some(self))
    }

    /// "a string", "a list", ... for messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            ValueKind::Str(_) => "a string",
            ValueKind::Number(_) => "a number",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::List(_) => "a list",
            ValueKind::Object(_) => "an object",
            ValueKind::Keyword(_) => "a name",
        }
    }

    /// How many levels of lists and objects the value has (1 for a scalar).
    pub fn depth(&self) -> usize {
        let children = match &self.kind {
            ValueKind::List(items) => items.iter().map(Value::depth).max(),
            ValueKind::Object(fields) => fields.iter().map(|f| f.value.depth()).max(),
            _ => None,
        };
        1 + children.unwrap_or(0)
    }

    pub fn fields(&self) -> Option<&[Field]> {
        match &self.kind {
            ValueKind::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// The field `key` of an object value.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields()?.iter().find(|f| f.key == key)
    }

    /// Where this value and each of its parts were written.
    pub fn span_tree(&self) -> SpanTree {
        let parts = match &self.kind {
            ValueKind::List(items) => Parts::Items(items.iter().map(Value::span_tree).collect()),
            ValueKind::Object(fields) => Parts::Fields(
                fields
                    .iter()
                    .map(|f| FieldSpans {
                        key: f.key.clone(),
                        key_span: f.key_span,
                        value: f.value.span_tree(),
                    })
                    .collect(),
            ),
            _ => Parts::Leaf,
        };
        SpanTree {
            span: self.span,
            secrecy: self.secrecy,
            parts,
        }
    }
}
