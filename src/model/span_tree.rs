//! Where each part of an embedded Kubernetes object was written: a tree of
//! spans shaped like the object, so that a check of the model can point at
//! the exact field or list item it is about.

use crate::secrets::Secrecy;
use crate::syntax::span::Span;

/// The spans of a value and of its parts.
#[derive(Clone, Debug, Default)]
pub struct SpanTree {
    /// The whole value.
    pub span: Span,
    /// How secret its text may be (see [`Secrecy`]): a check quoting a
    /// part of the object asks.
    pub secrecy: Secrecy,
    pub parts: Parts,
}

#[derive(Clone, Debug, Default)]
pub enum Parts {
    /// A scalar.
    #[default]
    Leaf,
    /// An object's fields, as written (the API's own names).
    Fields(Vec<FieldSpans>),
    /// A list's items.
    Items(Vec<SpanTree>),
}

#[derive(Clone, Debug)]
pub struct FieldSpans {
    pub key: String,
    pub key_span: Span,
    pub value: SpanTree,
}

impl SpanTree {
    /// The field `key` of an object.
    pub fn field(&self, key: &str) -> Option<&FieldSpans> {
        match &self.parts {
            Parts::Fields(fields) => fields.iter().find(|f| f.key == key),
            _ => None,
        }
    }

    /// The item `index` of a list.
    pub fn item(&self, index: usize) -> Option<&SpanTree> {
        match &self.parts {
            Parts::Items(items) => items.get(index),
            _ => None,
        }
    }

    /// The span of the field `key`'s value, or of the whole value when it
    /// has no such field.
    pub fn field_span(&self, key: &str) -> Span {
        self.field(key).map_or(self.span, |f| f.value.span)
    }

    /// How secret the field `key`'s value may be (the whole value's
    /// secrecy when it has no such field).
    pub fn field_secrecy(&self, key: &str) -> Secrecy {
        self.field(key).map_or(self.secrecy, |f| f.value.secrecy)
    }
}
