//! What is written at an offset of a parsed file: the innermost name,
//! label or literal there, with the path of fields that leads to it from
//! its pool or template.

use crate::syntax::ast::*;

/// One step from a pool's body towards a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A field of a body or object; a block's first label with it
    /// (`storage claim`).
    Field { name: String, label: Option<String> },
    /// An item of a list.
    Item,
}

impl Step {
    pub fn field(name: &str) -> Step {
        Step::Field {
            name: name.to_string(),
            label: None,
        }
    }
}

/// Where the path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// A pool's or template's body: the path is meaningful.
    Definition,
    /// A `let`'s value, or a function's argument: where it ends up is not
    /// known here.
    Free,
}

#[derive(Debug)]
pub enum Hit<'a> {
    /// The key of an attribute, or a block's kind.
    Key(&'a Key),
    Label(&'a Label),
    /// A literal: a string, a number or a boolean.
    Literal(&'a Expr),
    /// A bare name: a `let` or a keyword value.
    Ref(&'a Ident),
    Function(&'a Ident),
    LetName(&'a Let),
    /// The name of a pool or template.
    DefinitionName(&'a Definition, bool),
    Extends(&'a Label),
    Import(&'a Import),
}

#[derive(Debug)]
pub struct Found<'a> {
    pub root: Root,
    /// The fields from the definition's body to the hit (for a key, to the
    /// body or object it is in; for a label, to its block).
    pub steps: Vec<Step>,
    pub hit: Hit<'a>,
}

fn within(span: crate::syntax::span::Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

/// What is at `offset` in `file`.
pub fn at(file: &File, offset: u32) -> Option<Found<'_>> {
    let item = file.items.iter().find(|i| within(i.span(), offset))?;
    let mut walk = Walk {
        offset,
        root: Root::Definition,
        steps: Vec::new(),
    };
    let hit = match item {
        Item::Let(binding) if within(binding.name.span, offset) => Hit::LetName(binding),
        Item::Let(binding) => {
            walk.root = Root::Free;
            walk.expr(&binding.value)?
        }
        Item::Import(import) => Hit::Import(import),
        Item::Pool(def) | Item::Template(def) => {
            let template = matches!(item, Item::Template(_));
            if within(def.name.span, offset) {
                Hit::DefinitionName(def, template)
            } else if let Some(extends) = def.extends.as_ref().filter(|e| within(e.span, offset)) {
                Hit::Extends(extends)
            } else {
                walk.body(&def.body)?
            }
        }
    };
    Some(Found {
        root: walk.root,
        steps: walk.steps,
        hit,
    })
}

struct Walk {
    offset: u32,
    root: Root,
    steps: Vec<Step>,
}

impl Walk {
    fn body<'a>(&mut self, body: &'a Body) -> Option<Hit<'a>> {
        let entry = body
            .entries
            .iter()
            .find(|e| within(e.span(), self.offset))?;
        match entry {
            Entry::Attribute(attribute) => self.attribute(attribute),
            Entry::Block(block) => {
                if within(block.kind.span, self.offset) {
                    return Some(Hit::Key(&block.kind));
                }
                self.steps.push(Step::Field {
                    name: block.kind.name.clone(),
                    label: block.labels.first().map(|l| l.value.clone()),
                });
                if let Some(label) = block.labels.iter().find(|l| within(l.span, self.offset)) {
                    return Some(Hit::Label(label));
                }
                self.body(block.body.as_ref()?)
            }
        }
    }

    fn attribute<'a>(&mut self, attribute: &'a Attribute) -> Option<Hit<'a>> {
        if within(attribute.key.span, self.offset) {
            return Some(Hit::Key(&attribute.key));
        }
        self.steps.push(Step::field(&attribute.key.name));
        self.expr(&attribute.value)
    }

    fn expr<'a>(&mut self, expr: &'a Expr) -> Option<Hit<'a>> {
        if !within(expr.span, self.offset) {
            return None;
        }
        match &expr.kind {
            ExprKind::Object(attributes) => {
                let attribute = attributes.iter().find(|a| within(a.span, self.offset))?;
                self.attribute(attribute)
            }
            ExprKind::List(items) => {
                let item = items.iter().find(|i| within(i.span, self.offset))?;
                self.steps.push(Step::Item);
                self.expr(item)
            }
            ExprKind::Call(call) => {
                if within(call.function.span, self.offset) {
                    return Some(Hit::Function(&call.function));
                }
                self.root = Root::Free;
                let argument = call.args.iter().find(|a| within(a.span, self.offset))?;
                self.expr(argument)
            }
            ExprKind::Str(parts) => {
                let inner = parts.iter().find_map(|p| match p {
                    StrPart::Interpolation(inner) if within(inner.span, self.offset) => Some(inner),
                    _ => None,
                });
                match inner {
                    Some(inner) => {
                        self.root = Root::Free;
                        self.expr(inner)
                    }
                    None => Some(Hit::Literal(expr)),
                }
            }
            ExprKind::Ref(ident) => Some(Hit::Ref(ident)),
            ExprKind::Number(_) | ExprKind::Bool(_) => Some(Hit::Literal(expr)),
        }
    }
}

/// Every expression of a file (values of lets, attributes, nested ones),
/// outermost first, for finding references.
pub fn expressions(file: &File) -> Vec<&Expr> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            Item::Let(binding) => collect_expr(&binding.value, &mut out),
            Item::Pool(def) | Item::Template(def) => collect_body(&def.body, &mut out),
            Item::Import(_) => {}
        }
    }
    out
}

fn collect_body<'a>(body: &'a Body, out: &mut Vec<&'a Expr>) {
    for entry in &body.entries {
        match entry {
            Entry::Attribute(a) => collect_expr(&a.value, out),
            Entry::Block(b) => {
                if let Some(body) = &b.body {
                    collect_body(body, out);
                }
            }
        }
    }
}

fn collect_expr<'a>(expr: &'a Expr, out: &mut Vec<&'a Expr>) {
    out.push(expr);
    match &expr.kind {
        ExprKind::List(items) => items.iter().for_each(|i| collect_expr(i, out)),
        ExprKind::Object(attributes) => attributes.iter().for_each(|a| collect_expr(&a.value, out)),
        ExprKind::Call(call) => call.args.iter().for_each(|a| collect_expr(a, out)),
        ExprKind::Str(parts) => {
            for part in parts {
                if let StrPart::Interpolation(inner) = part {
                    collect_expr(inner, out);
                }
            }
        }
        ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Ref(_) => {}
    }
}
