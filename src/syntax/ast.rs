//! The syntax tree of a .pool file: what was written, with spans, before
//! any name is resolved or any type is checked.

use super::span::Span;

#[derive(Clone, Debug, Default)]
pub struct File {
    pub items: Vec<Item>,
    /// Every comment, in source order (the formatter puts them back).
    pub comments: Vec<Comment>,
    /// Unknown escapes (`\q`), in source order. They are reported by the
    /// caller once it knows which strings may be secret: the message
    /// quotes the escape unless it is part of a secret.
    pub bad_escapes: Vec<Span>,
    /// Items that could not be read (reported as syntax errors), in
    /// source order: later stages say nothing about what they defined.
    pub skipped: Vec<Skipped>,
}

impl File {
    /// Appends the items of the next piece of the same file.
    pub fn append(&mut self, next: File) {
        self.items.extend(next.items);
        self.comments.extend(next.comments);
        self.skipped.extend(next.skipped);
        self.bad_escapes.extend(next.bad_escapes);
    }
}

/// A top-level item that was skipped, and the name it would have defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub kind: SkippedKind,
    /// The pool's, template's or let's name, when it could be read.
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkippedKind {
    Let,
    Import,
    Pool,
    Template,
    /// Text that starts no item.
    Unknown,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Item {
    Let(Let),
    Import(Import),
    Pool(Definition),
    Template(Definition),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Let(l) => l.span,
            Item::Import(i) => i.span,
            Item::Pool(d) | Item::Template(d) => d.span,
        }
    }
}

/// `let NAME = EXPR`
#[derive(Clone, Debug)]
pub struct Let {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// `import "PATH"`
#[derive(Clone, Debug)]
pub struct Import {
    pub path: Label,
    pub span: Span,
}

/// `pool "NAME" [extends "TEMPLATE"] { ... }` or the same with `template`.
#[derive(Clone, Debug)]
pub struct Definition {
    pub name: Label,
    pub extends: Option<Label>,
    pub body: Body,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Body {
    pub entries: Vec<Entry>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Entry {
    Attribute(Attribute),
    Block(Block),
}

impl Entry {
    pub fn name(&self) -> &Key {
        match self {
            Entry::Attribute(a) => &a.key,
            Entry::Block(b) => &b.kind,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Entry::Attribute(a) => a.span,
            Entry::Block(b) => b.span,
        }
    }
}

/// `KEY = EXPR`, in a body or an object.
#[derive(Clone, Debug)]
pub struct Attribute {
    pub key: Key,
    pub value: Expr,
    pub span: Span,
}

/// `KIND LABEL... [{ ... }]`
#[derive(Clone, Debug)]
pub struct Block {
    pub kind: Key,
    pub labels: Vec<Label>,
    pub body: Option<Body>,
    pub span: Span,
}

/// An attribute name or object key: a bare identifier or a quoted string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub span: Span,
    pub quoted: bool,
}

/// A block label, pool or template name, or import path: a bare identifier
/// or a string without interpolation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub value: String,
    pub span: Span,
    pub quoted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A quoted string or heredoc, with escapes already decoded.
    Str(Vec<StrPart>),
    /// A number-like literal as written: `4`, `1.5`, `500m`, `2h`.
    Number(String),
    Bool(bool),
    List(Vec<Expr>),
    Object(Vec<Attribute>),
    /// Boxed: calls are few, and every other kind fits in 40 bytes (an
    /// expression is 56 bytes instead of 80, and the trees of a large site
    /// a fifth smaller).
    Call(Box<Call>),
    /// A bare name: a `let` binding, or a keyword value such as `statefulset`.
    Ref(Ident),
}

#[derive(Clone, Debug)]
pub enum StrPart {
    Text(String, Span),
    Interpolation(Expr),
}

#[derive(Clone, Debug)]
pub struct Call {
    pub function: Ident,
    pub args: Vec<Expr>,
}
