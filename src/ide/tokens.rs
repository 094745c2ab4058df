//! Semantic tokens: what the syntax tree knows that a highlighting grammar
//! cannot, chiefly whether a bare name is a `let` or a keyword value, and
//! which names define something. Strings are left to the grammar (a
//! heredoc spans lines, which tokens may not).

use super::syntax;
use crate::diagnostics::Diagnostics;
use crate::semantics::Checked;
use crate::semantics::scope::Scopes;
use crate::syntax::ast::*;
use crate::syntax::span::{FileId, Span};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenKind {
    Keyword,
    /// A `let`.
    Variable,
    /// A keyword value (`statefulset`) or a bare block label (`claim`).
    EnumMember,
    Function,
    /// An attribute's key.
    Property,
    /// A block's kind.
    Struct,
    /// A template's name, where defined or extended.
    Class,
    Number,
    Comment,
}

impl TokenKind {
    /// Every kind, in the order of the legend the server announces.
    pub const ALL: [TokenKind; 9] = [
        TokenKind::Keyword,
        TokenKind::Variable,
        TokenKind::EnumMember,
        TokenKind::Function,
        TokenKind::Property,
        TokenKind::Struct,
        TokenKind::Class,
        TokenKind::Number,
        TokenKind::Comment,
    ];
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// The name is defined here (a `let`'s or template's name).
    pub definition: bool,
}

/// The tokens of `file`, in order, none overlapping another.
pub fn tokens(checked: &Checked, file: FileId) -> Vec<Token> {
    let Some(parsed) = syntax(checked, file) else {
        return Vec::new();
    };
    let scopes = Scopes::build(&checked.program, &mut Diagnostics::default());
    let text = &checked.sources.get(file).text;
    let mut out = Tokens {
        scopes: &scopes,
        file,
        tokens: Vec::new(),
    };
    for comment in &parsed.comments {
        out.push(comment.span, TokenKind::Comment, false);
    }
    for item in &parsed.items {
        let span = item.span();
        let keyword = text[span.range()]
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(0);
        out.push(
            Span::new(file, span.range().start, span.range().start + keyword),
            TokenKind::Keyword,
            false,
        );
        match item {
            Item::Let(binding) => {
                out.push(binding.name.span, TokenKind::Variable, true);
                out.expr(&binding.value);
            }
            Item::Import(_) => {}
            Item::Pool(def) | Item::Template(def) => {
                if matches!(item, Item::Template(_)) {
                    out.push(def.name.span, TokenKind::Class, true);
                }
                if let Some(extends) = &def.extends {
                    let between = &text[def.name.span.end as usize..extends.span.start as usize];
                    if let Some(at) = between.find("extends") {
                        let start = def.name.span.end as usize + at;
                        out.push(
                            Span::new(file, start, start + "extends".len()),
                            TokenKind::Keyword,
                            false,
                        );
                    }
                    out.push(extends.span, TokenKind::Class, false);
                }
                out.body(&def.body);
            }
        }
    }
    let mut tokens = out.tokens;
    tokens.sort();
    tokens.dedup_by(|b, a| b.span.start < a.span.end);
    tokens
}

struct Tokens<'s, 'p> {
    scopes: &'s Scopes<'p>,
    file: FileId,
    tokens: Vec<Token>,
}

impl Tokens<'_, '_> {
    fn push(&mut self, span: Span, kind: TokenKind, definition: bool) {
        if span.file == self.file && span.start < span.end {
            self.tokens.push(Token {
                span,
                kind,
                definition,
            });
        }
    }

    fn body(&mut self, body: &Body) {
        for entry in &body.entries {
            match entry {
                Entry::Attribute(attribute) => self.attribute(attribute),
                Entry::Block(block) => {
                    self.push(block.kind.span, TokenKind::Struct, false);
                    for label in block.labels.iter().filter(|l| !l.quoted) {
                        self.push(label.span, TokenKind::EnumMember, false);
                    }
                    if let Some(body) = &block.body {
                        self.body(body);
                    }
                }
            }
        }
    }

    fn attribute(&mut self, attribute: &Attribute) {
        if !attribute.key.quoted {
            self.push(attribute.key.span, TokenKind::Property, false);
        }
        self.expr(&attribute.value);
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Number(_) => self.push(expr.span, TokenKind::Number, false),
            ExprKind::Bool(_) => self.push(expr.span, TokenKind::Keyword, false),
            ExprKind::Ref(ident) => {
                let kind = match self.scopes.lookup_let(self.file, &ident.name) {
                    Some(_) => TokenKind::Variable,
                    None => TokenKind::EnumMember,
                };
                self.push(ident.span, kind, false);
            }
            ExprKind::List(items) => items.iter().for_each(|i| self.expr(i)),
            ExprKind::Object(attributes) => attributes.iter().for_each(|a| self.attribute(a)),
            ExprKind::Call(call) => {
                self.push(call.function.span, TokenKind::Function, false);
                call.args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::Str(parts) => {
                for part in parts {
                    if let StrPart::Interpolation(inner) = part {
                        self.expr(inner);
                    }
                }
            }
        }
    }
}
