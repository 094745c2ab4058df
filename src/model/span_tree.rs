//! Where each part of an embedded Kubernetes object was written: a tree of
//! spans shaped like the object, so that a check of the model can point at
//! the exact field or list item it is about.

use crate::kube::validation::Step;
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

/// Where a part of an object was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located {
    pub span: Span,
    /// How secret the part's text may be (a key's, or an unwritten part's,
    /// is not: a key is checked where it was written).
    pub secrecy: Secrecy,
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

    /// Where the part at `path` was written: the part itself (or its key,
    /// when `on_key`), or its nearest written ancestor when the part was
    /// not written (a default, or a value poolc adds).
    pub fn locate(&self, path: &[Step], on_key: bool) -> Located {
        let mut tree = self;
        let mut key_span = None;
        for step in path {
            let next = match step {
                Step::Field(name) => tree.field(name).map(|f| (Some(f.key_span), &f.value)),
                Step::Key(key) => tree.field(key).map(|f| (Some(f.key_span), &f.value)),
                Step::Index(i) => tree.item(*i).map(|item| (None, item)),
            };
            let Some((key, next)) = next else {
                return Located {
                    span: tree.span,
                    secrecy: Secrecy::Public,
                };
            };
            key_span = key;
            tree = next;
        }
        match key_span.filter(|_| on_key) {
            Some(span) => Located {
                span,
                secrecy: Secrecy::Public,
            },
            None => Located {
                span: tree.span,
                secrecy: tree.secrecy,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::span::FileId;

    fn leaf(start: u32, secrecy: Secrecy) -> SpanTree {
        SpanTree {
            span: Span::new(FileId(0), start as usize, start as usize + 1),
            parts: Parts::Leaf,
            secrecy,
        }
    }

    #[test]
    fn paths_lead_to_parts_or_their_nearest_ancestor() {
        let mounts = SpanTree {
            span: Span::new(FileId(0), 10, 40),
            parts: Parts::Items(vec![SpanTree {
                span: Span::new(FileId(0), 11, 30),
                parts: Parts::Fields(vec![FieldSpans {
                    key: "mountPath".into(),
                    key_span: Span::new(FileId(0), 12, 21),
                    value: leaf(24, Secrecy::Read),
                }]),
                secrecy: Secrecy::Read,
            }]),
            secrecy: Secrecy::Read,
        };
        let path = [Step::Index(0), Step::Field("mountPath")];
        assert_eq!(mounts.locate(&path, false).span.start, 24);
        assert_eq!(mounts.locate(&path, false).secrecy, Secrecy::Read);
        assert_eq!(mounts.locate(&path, true).secrecy, Secrecy::Public);
        assert_eq!(mounts.locate(&path, true).span.start, 12);
        let unwritten = [Step::Index(0), Step::Field("subPath")];
        assert_eq!(mounts.locate(&unwritten, false).span.start, 11);
        assert_eq!(mounts.locate(&[Step::Index(3)], false).span.start, 10);
    }
}
