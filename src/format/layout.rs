//! The syntax tree laid out in the canonical style (the rules are in the
//! module documentation of [`super`]). Every string, heredoc, number,
//! label and quoted key is copied from the source by its span, so nothing
//! the compiler reads can change.

use super::MAX_WIDTH;
use super::printer::Printer;
use crate::syntax::ast::{Attribute, Block, Body, Definition, Entry, Expr, ExprKind, File, Item};
use crate::syntax::parser::KEYWORDS;
use crate::syntax::span::Span;

pub fn file(source: &str, file: &File) -> String {
    let mut layout = Layout {
        source,
        p: Printer::new(source, &file.comments),
    };
    layout.items(&file.items);
    layout.p.finish()
}

struct Layout<'s> {
    source: &'s str,
    p: Printer<'s>,
}

/// An entry of a body or an object.
#[derive(Clone, Copy)]
enum Member<'a> {
    Attribute(&'a Attribute),
    Block(&'a Block),
}

impl Member<'_> {
    fn start(&self) -> usize {
        match self {
            Member::Attribute(a) => a.span.start as usize,
            Member::Block(b) => b.span.start as usize,
        }
    }

    fn end(&self) -> usize {
        match self {
            Member::Attribute(a) => a.span.end as usize,
            Member::Block(b) => b.span.end as usize,
        }
    }
}

/// How one line of a run is written: its key and, for an attribute that
/// fits on one line, the value's text.
struct Row {
    start: usize,
    end: usize,
    key: String,
    flat_value: String,
    /// The value is a list, object or call, which could span lines.
    breakable: bool,
}

impl<'s> Layout<'s> {
    fn text(&self, start: u32, end: u32) -> &'s str {
        self.source.get(start as usize..end as usize).unwrap_or("")
    }

    fn on_one_line(&self, start: u32, end: u32) -> bool {
        !self.text(start, end).contains('\n')
    }

    // ---- items ----------------------------------------------------------

    fn items(&mut self, items: &[Item]) {
        let mut rows: Vec<Option<Row>> = items.iter().map(|item| self.let_row(item)).collect();
        let widths = self.aligned(&mut rows, "let ".len());
        let mut previous: Option<&Item> = None;
        for ((item, row), width) in items.iter().zip(&rows).zip(widths) {
            // A pool or template is set apart from its neighbours.
            if previous.is_some_and(|prev| is_definition(prev) || is_definition(item)) {
                self.p.force_blank();
            }
            self.p.begin_line(item.span().start as usize);
            match (item, row) {
                (_, Some(row)) => self.row("let ", row, width),
                (Item::Let(binding), None) => {
                    self.p.write(&format!("let {} = ", binding.name.name));
                    self.expr(&binding.value, 0);
                }
                (Item::Import(import), None) => {
                    let path = self.text(import.path.span.start, import.path.span.end);
                    self.p.write(&format!("import {path}"));
                }
                (Item::Pool(definition), None) => self.definition("pool", definition),
                (Item::Template(definition), None) => self.definition("template", definition),
            }
            self.p.mark_end(item.span().end as usize);
            previous = Some(item);
        }
        if previous.is_some_and(is_definition) {
            self.p.force_blank();
        }
    }

    /// A `let` whose value fits on its line, for alignment.
    fn let_row(&self, item: &Item) -> Option<Row> {
        let Item::Let(binding) = item else {
            return None;
        };
        let column = "let ".len() + binding.name.name.chars().count() + " = ".len();
        Some(Row {
            start: binding.span.start as usize,
            end: binding.span.end as usize,
            key: binding.name.name.clone(),
            flat_value: self.fitting(&binding.value, column, 0)?,
            breakable: is_breakable(&binding.value),
        })
    }

    fn definition(&mut self, keyword: &str, definition: &Definition) {
        let mut header = format!(
            "{keyword} {}",
            self.text(definition.name.span.start, definition.name.span.end)
        );
        if let Some(extends) = &definition.extends {
            header.push_str(" extends ");
            header.push_str(self.text(extends.span.start, extends.span.end));
        }
        self.body(&header, &definition.body);
    }

    /// `HEADER { ... }` with the entries one per line, or `HEADER {}`.
    fn body(&mut self, header: &str, body: &Body) {
        if body.entries.is_empty()
            && !self
                .p
                .comment_between(body.span.start as usize, body.span.end as usize)
        {
            self.p.write(&format!("{header} {{}}"));
            return;
        }
        self.p.write(&format!("{header} {{"));
        self.p.open();
        let members: Vec<Member> = body.entries.iter().map(member).collect();
        self.members(&members);
        self.p.close(body.span.end as usize - 1, "}");
    }

    // ---- entries ------------------------------------------------------------

    /// Entries of a multi-line body or object, one per line, with the `=`
    /// of each run of one-line attributes aligned.
    fn members(&mut self, members: &[Member]) {
        let column = self.p.indent_width();
        let mut rows: Vec<Option<Row>> = members
            .iter()
            .map(|m| self.member_row(*m, column))
            .collect();
        let widths = self.aligned(&mut rows, column);
        for ((member, row), width) in members.iter().zip(&rows).zip(widths) {
            self.p.begin_line(member.start());
            match (member, row) {
                (_, Some(row)) => self.row("", row, width),
                (Member::Attribute(attribute), None) => {
                    self.p.write(&format!("{} = ", self.key(attribute)));
                    self.expr(&attribute.value, 0);
                }
                (Member::Block(block), None) => self.block(block),
            }
            self.p.mark_end(member.end());
        }
    }

    fn member_row(&self, member: Member, column: usize) -> Option<Row> {
        let Member::Attribute(attribute) = member else {
            return None;
        };
        let key = self.key(attribute);
        let column = column + key.chars().count() + " = ".len();
        Some(Row {
            start: member.start(),
            end: member.end(),
            flat_value: self.fitting(&attribute.value, column, 0)?,
            breakable: is_breakable(&attribute.value),
            key,
        })
    }

    /// The key widths of the rows once aligned. A one-line list, object
    /// or call that alignment pushes past the width is broken over lines
    /// instead (which can only shorten runs, so this ends).
    fn aligned(&self, rows: &mut [Option<Row>], column: usize) -> Vec<usize> {
        loop {
            let widths = self.key_widths(rows);
            let mut changed = false;
            for (row, width) in rows.iter_mut().zip(&widths) {
                let overflows = row.as_ref().is_some_and(|r| {
                    r.breakable && !fits(column + width + " = ".len(), &r.flat_value, 0)
                });
                if overflows {
                    *row = None;
                    changed = true;
                }
            }
            if !changed {
                return widths;
            }
        }
    }

    /// For each row, the width its key is padded to: the widest key of its
    /// run. A run is broken by a line that is not a one-line attribute, a
    /// blank line or a comment on its own line.
    fn key_widths(&self, rows: &[Option<Row>]) -> Vec<usize> {
        let mut widths = vec![0; rows.len()];
        let mut run_start = 0;
        for i in 0..=rows.len() {
            let continues = i < rows.len()
                && i > run_start
                && match (&rows[i - 1], &rows[i]) {
                    (Some(a), Some(b)) => self.adjacent(a.end, b.start),
                    _ => false,
                };
            if continues {
                continue;
            }
            let run = &rows[run_start..i];
            let widest = run
                .iter()
                .flatten()
                .map(|r| r.key.chars().count())
                .max()
                .unwrap_or(0);
            widths[run_start..i].fill(widest);
            run_start = i;
        }
        widths
    }

    /// Whether two rows sit on consecutive lines (no blank line between).
    fn adjacent(&self, end: usize, start: usize) -> bool {
        self.source
            .get(end..start)
            .is_some_and(|gap| gap.matches('\n').count() < 2)
    }

    fn row(&mut self, prefix: &str, row: &Row, width: usize) {
        let padding = width.saturating_sub(row.key.chars().count());
        self.p.write(&format!(
            "{prefix}{}{} = {}",
            row.key,
            " ".repeat(padding),
            row.flat_value
        ));
    }

    fn block(&mut self, block: &Block) {
        let header = self.block_header(block);
        match &block.body {
            None => self.p.write(&header),
            Some(body) => match self.flat_block(block) {
                Some(flat) if fits(self.p.column(), &flat, 0) => self.p.write(&flat),
                _ => self.body(&header, body),
            },
        }
    }

    fn block_header(&self, block: &Block) -> String {
        let mut header = block.kind.name.clone();
        for label in &block.labels {
            header.push(' ');
            header.push_str(self.text(label.span.start, label.span.end));
        }
        header
    }

    /// A key as written, or bare when it is a name.
    fn key(&self, attribute: &Attribute) -> String {
        let key = &attribute.key;
        if is_name(&key.name) {
            key.name.clone()
        } else {
            self.text(key.span.start, key.span.end).to_string()
        }
    }

    // ---- expressions ----------------------------------------------------------

    /// An expression's one-line text, when it was written on one line and
    /// fits at `column` with `reserve` characters after it.
    fn fitting(&self, expr: &Expr, column: usize, reserve: usize) -> Option<String> {
        let flat = self.flat(expr)?;
        (!is_breakable(expr) || fits(column, &flat, reserve)).then_some(flat)
    }

    /// An expression on one line, if it was written on one line.
    fn flat(&self, expr: &Expr) -> Option<String> {
        if self.is_empty(expr) {
            return Some(self.empty_form(expr));
        }
        let (start, end) = (expr.span.start, expr.span.end);
        let one_line = match &expr.kind {
            ExprKind::List(items) => {
                self.gaps_on_one_line(start, items.iter().map(|i| i.span), end)
            }
            ExprKind::Call(call) => {
                self.gaps_on_one_line(start, call.args.iter().map(|a| a.span), end)
            }
            ExprKind::Object(attributes) => {
                self.gaps_on_one_line(start, attributes.iter().map(|a| a.span), end)
            }
            _ => self.on_one_line(start, end),
        };
        if !one_line {
            return None;
        }
        Some(match &expr.kind {
            ExprKind::List(items) => format!("[{}]", self.flat_all(items)?),
            ExprKind::Object(attributes) if attributes.is_empty() => "{}".to_string(),
            ExprKind::Object(attributes) => {
                let entries: Option<Vec<String>> =
                    attributes.iter().map(|a| self.flat_attribute(a)).collect();
                format!("{{ {} }}", entries?.join(", "))
            }
            ExprKind::Call(call) => {
                format!("{}({})", call.function.name, self.flat_all(&call.args)?)
            }
            _ => self.text(expr.span.start, expr.span.end).to_string(),
        })
    }

    /// Whether no line breaks between the children of a construct (whose
    /// own line breaks are their business).
    fn gaps_on_one_line(&self, start: u32, children: impl Iterator<Item = Span>, end: u32) -> bool {
        let mut previous = start;
        for child in children {
            if !self.on_one_line(previous, child.start) {
                return false;
            }
            previous = child.end;
        }
        self.on_one_line(previous, end)
    }

    fn empty_form(&self, expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::List(_) => "[]".into(),
            ExprKind::Call(call) => format!("{}()", call.function.name),
            _ => "{}".into(),
        }
    }

    /// An empty list, object or call without a comment inside, which is
    /// written `[]`, `{}` or `f()` however it was written.
    fn is_empty(&self, expr: &Expr) -> bool {
        let empty = match &expr.kind {
            ExprKind::List(items) => items.is_empty(),
            ExprKind::Object(attributes) => attributes.is_empty(),
            ExprKind::Call(call) => call.args.is_empty(),
            _ => false,
        };
        empty
            && !self
                .p
                .comment_between(expr.span.start as usize, expr.span.end as usize)
    }

    fn flat_all(&self, items: &[Expr]) -> Option<String> {
        let items: Option<Vec<String>> = items.iter().map(|i| self.flat(i)).collect();
        Some(items?.join(", "))
    }

    fn flat_attribute(&self, attribute: &Attribute) -> Option<String> {
        Some(format!(
            "{} = {}",
            self.key(attribute),
            self.flat(&attribute.value)?
        ))
    }

    /// A block on one line, if it was written on one line.
    fn flat_block(&self, block: &Block) -> Option<String> {
        let header = self.block_header(block);
        let Some(body) = &block.body else {
            return Some(header);
        };
        if body.entries.is_empty()
            && !self
                .p
                .comment_between(body.span.start as usize, body.span.end as usize)
        {
            return Some(format!("{header} {{}}"));
        }
        let entries = body.entries.iter().map(Entry::span);
        if !self.gaps_on_one_line(block.span.start, entries, block.span.end) {
            return None;
        }
        let entries: Option<Vec<String>> = body
            .entries
            .iter()
            .map(|entry| match entry {
                Entry::Attribute(a) => self.flat_attribute(a),
                Entry::Block(b) => self.flat_block(b),
            })
            .collect();
        Some(format!("{header} {{ {} }}", entries?.join(", ")))
    }

    /// Writes an expression at the current position: on one line when it
    /// was written so and fits, else broken over lines.
    fn expr(&mut self, expr: &Expr, reserve: usize) {
        if let Some(flat) = self.fitting(expr, self.p.column(), reserve) {
            self.p.write(&flat);
            return;
        }
        let (start, end) = (expr.span.start as usize, expr.span.end as usize);
        match &expr.kind {
            ExprKind::List(items) => self.sequence("[", items, "]", start, end),
            ExprKind::Call(call) => {
                let opener = format!("{}(", call.function.name);
                self.sequence(&opener, &call.args, ")", start, end);
            }
            ExprKind::Object(attributes) => self.object(attributes, start, end),
            // Only a heredoc spans lines among the scalars.
            _ => self.p.heredoc(&self.source[start..end]),
        }
    }

    fn object(&mut self, attributes: &[Attribute], start: usize, end: usize) {
        if attributes.is_empty() && !self.p.comment_between(start, end) {
            self.p.write("{}");
            return;
        }
        self.p.write("{");
        self.p.open();
        let members: Vec<Member> = attributes.iter().map(Member::Attribute).collect();
        self.members(&members);
        self.p.close(end - 1, "}");
    }

    /// A list or a call's arguments: one item per line, each followed by a
    /// comma; or hugged by the brackets (below).
    fn sequence(&mut self, opener: &str, items: &[Expr], closer: &str, start: usize, end: usize) {
        let close_at = end - closer.len();
        if items.is_empty() && !self.p.comment_between(start, end) {
            self.p.write(&format!("{opener}{closer}"));
            return;
        }
        let column = self.p.column() + opener.chars().count();
        if let Some(only) = self.hugged(items, start + opener.len(), close_at, column) {
            self.p.write(opener);
            self.expr(only, closer.len());
            self.p.write(closer);
            return;
        }
        self.p.write(opener);
        self.p.open();
        for (i, item) in items.iter().enumerate() {
            self.p.begin_line(item.span.start as usize);
            self.expr(item, ",".len());
            // A comma after a heredoc needs a line of its own; the last
            // one is left out unless a comment is to follow it.
            let last = i + 1 == items.len();
            let end = item.span.end as usize;
            if !last || !is_heredoc(self.source, item) || self.p.comment_between(end, close_at) {
                self.p.write(",");
            }
            self.p.mark_end(item.span.end as usize);
        }
        self.p.close(close_at, closer);
    }

    /// The only item of a sequence, written right after its opening
    /// bracket and itself spanning lines (an object, a list or a heredoc),
    /// is hugged: `[{` ... `}]`, `trimspace(<<EOT` ... `)`.
    fn hugged<'e>(
        &self,
        items: &'e [Expr],
        after_opener: usize,
        close_at: usize,
        column: usize,
    ) -> Option<&'e Expr> {
        let [only] = items else {
            return None;
        };
        let (start, end) = (only.span.start as usize, only.span.end as usize);
        let huggable = matches!(only.kind, ExprKind::List(_) | ExprKind::Object(_))
            || is_heredoc(self.source, only);
        let adjacent = !self.source.get(after_opener..start)?.contains('\n');
        let spans_lines = self.fitting(only, column, 1).is_none();
        (huggable && adjacent && spans_lines && !self.p.comment_between(end, close_at))
            .then_some(only)
    }
}

fn member(entry: &Entry) -> Member<'_> {
    match entry {
        Entry::Attribute(a) => Member::Attribute(a),
        Entry::Block(b) => Member::Block(b),
    }
}

/// Lists, objects and calls can be broken over lines; other values cannot.
fn is_breakable(expr: &Expr) -> bool {
    matches!(
        expr.kind,
        ExprKind::List(_) | ExprKind::Object(_) | ExprKind::Call(_)
    )
}

fn is_definition(item: &Item) -> bool {
    matches!(item, Item::Pool(_) | Item::Template(_))
}

fn is_heredoc(source: &str, expr: &Expr) -> bool {
    matches!(expr.kind, ExprKind::Str(_))
        && source
            .get(expr.span.start as usize..)
            .is_some_and(|s| s.starts_with("<<"))
}

fn fits(column: usize, text: &str, reserve: usize) -> bool {
    column + text.chars().count() + reserve <= MAX_WIDTH
}

/// Whether a key can be written bare: a name of the grammar, not a keyword.
pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !KEYWORDS.contains(&text)
}
