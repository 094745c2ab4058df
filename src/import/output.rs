//! The .pool text an import writes, built as a small tree and printed with
//! the origin of every value: which node of the values file it came from.
//! The origins let diagnostics about the printed text point back at the
//! values file. The printed text is then laid out by the formatter.

use crate::format::is_name;
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum Expr {
    /// A literal or call, as .pool text.
    Text(String),
    List(Vec<Expr>),
    /// Entries with their keys as written (bare or quoted).
    Object(Vec<(String, Expr)>),
    /// A value and the values-file node it came from.
    From(Span, Box<Expr>),
}

#[derive(Clone, Debug)]
pub enum Entry {
    Attribute(String, Expr),
    /// `HEADER { ... }`, or `HEADER` alone when there is no body; a body
    /// with several lines is written over several lines.
    Block {
        header: String,
        body: Option<Vec<Entry>>,
        several_lines: bool,
    },
    Comment(String),
    Blank,
    From(Span, Box<Entry>),
}

impl Expr {
    pub fn from(span: Span, expr: Expr) -> Expr {
        Expr::From(span, Box::new(expr))
    }

    /// The value itself, without its outer origins.
    pub fn without_origin(self) -> Expr {
        match self {
            Expr::From(_, inner) => inner.without_origin(),
            other => other,
        }
    }
}

impl Entry {
    pub fn attribute(key: &str, value: Expr) -> Entry {
        Entry::Attribute(key.to_string(), value)
    }

    pub fn from(span: Span, entry: Entry) -> Entry {
        Entry::From(span, Box::new(entry))
    }

    /// A block whose body is one line (a Kubernetes object written as a block).
    pub fn block(header: &str, body: Vec<Entry>) -> Entry {
        Entry::Block {
            header: header.to_string(),
            body: Some(body),
            several_lines: false,
        }
    }

    pub fn section(header: &str, body: Vec<Entry>) -> Entry {
        Entry::Block {
            header: header.to_string(),
            body: Some(body),
            several_lines: true,
        }
    }

    pub fn bare(header: &str) -> Entry {
        Entry::Block {
            header: header.to_string(),
            body: None,
            several_lines: false,
        }
    }
}

/// A stretch of printed text and where in the values it came from.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    pub start: usize,
    pub end: usize,
    pub span: Span,
}

#[derive(Default)]
pub struct Printed {
    pub text: String,
    pub origins: Vec<Origin>,
}

impl Printed {
    pub fn entries(&mut self, entries: &[Entry], indent: usize) {
        for entry in entries {
            self.entry(entry, indent);
        }
    }

    fn entry(&mut self, entry: &Entry, indent: usize) {
        match entry {
            Entry::Blank => self.text.push('\n'),
            Entry::Comment(text) => {
                self.indent(indent);
                self.text.push_str(text);
                self.text.push('\n');
            }
            Entry::From(span, inner) => {
                let start = self.text.len();
                self.entry(inner, indent);
                self.origin(start, *span);
            }
            _ => {
                self.indent(indent);
                self.inline_entry(entry, indent);
                self.text.push('\n');
            }
        }
    }

    /// An entry on the current line (inside a one-line body, after the
    /// indentation of a line); whether it ended the line (a heredoc does).
    fn inline_entry(&mut self, entry: &Entry, indent: usize) -> bool {
        match entry {
            Entry::Attribute(key, value) => self.keyed(key, value),
            Entry::Block {
                header,
                body,
                several_lines,
            } => {
                self.text.push_str(header);
                match body {
                    None => {}
                    Some(body) if *several_lines => {
                        self.text.push_str(" {\n");
                        self.entries(body, indent + 1);
                        self.indent(indent);
                        self.text.push('}');
                    }
                    Some(body) => {
                        self.text.push_str(" {");
                        let mut line_ended = false;
                        for (i, entry) in body.iter().enumerate() {
                            self.separator(i, line_ended);
                            line_ended = self.inline_entry(entry, indent);
                        }
                        self.closer(body.is_empty(), line_ended);
                    }
                }
                false
            }
            Entry::From(span, inner) => {
                let start = self.text.len();
                let line_ended = self.inline_entry(inner, indent);
                self.origin(start, *span);
                line_ended
            }
            Entry::Comment(_) | Entry::Blank => false,
        }
    }

    /// Between the entries of a one-line body or object.
    fn separator(&mut self, index: usize, line_ended: bool) {
        if index == 0 {
            self.text.push(' ');
        } else if !line_ended {
            self.text.push_str(", ");
        }
    }

    fn closer(&mut self, empty: bool, line_ended: bool) {
        self.text
            .push_str(if empty || line_ended { "}" } else { " }" });
    }

    /// Prints a value; whether it ended the line (a heredoc's closing tag
    /// must be last on its line).
    fn expr(&mut self, expr: &Expr) -> bool {
        match expr {
            Expr::Text(text) if text.starts_with("<<") => {
                self.text.push_str(text);
                self.text.push('\n');
                return true;
            }
            Expr::Text(text) => self.text.push_str(text),
            Expr::List(items) => {
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    self.expr(item);
                }
                self.text.push(']');
            }
            Expr::Object(entries) if entries.is_empty() => self.text.push_str("{}"),
            Expr::Object(entries) => {
                self.text.push('{');
                let mut line_ended = false;
                for (i, (key, value)) in entries.iter().enumerate() {
                    self.separator(i, line_ended);
                    line_ended = self.keyed(key, value);
                }
                self.closer(false, line_ended);
            }
            Expr::From(span, inner) => {
                let start = self.text.len();
                let line_ended = self.expr(inner);
                self.origin(start, *span);
                return line_ended;
            }
        }
        false
    }

    /// `key = value`; a value's origin covers its key too, so a problem
    /// with the key (an unknown field) points at the key in the values.
    fn keyed(&mut self, key: &str, value: &Expr) -> bool {
        let start = self.text.len();
        self.text.push_str(key);
        self.text.push_str(" = ");
        match value {
            Expr::From(span, inner) => {
                let line_ended = self.expr(inner);
                self.origin(start, *span);
                line_ended
            }
            _ => self.expr(value),
        }
    }

    fn indent(&mut self, indent: usize) {
        for _ in 0..indent {
            self.text.push_str("  ");
        }
    }

    fn origin(&mut self, start: usize, span: Span) {
        let end = self.text.trim_end_matches('\n').len().max(start);
        self.origins.push(Origin { start, end, span });
    }

    /// The values-file span of the innermost printed value that holds
    /// `start..end`.
    pub fn origin_of(&self, start: usize, end: usize) -> Option<Span> {
        self.origins
            .iter()
            .filter(|o| o.start <= start && end <= o.end.max(o.start + 1))
            .min_by_key(|o| o.end - o.start)
            .map(|o| o.span)
    }
}

/// An object key: bare when it is a name, quoted otherwise.
pub fn key(name: &str) -> String {
    if is_name(name) {
        name.to_string()
    } else {
        string(name)
    }
}

/// A .pool string literal holding `text` exactly.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    // `${` would start an interpolation; `$${` is a literal `${`.
    out.replace("${", "$${")
}

/// Text of several lines, ending in a newline, as a heredoc (kept exactly:
/// no indentation is stripped); other text as a string literal.
pub fn text(text: &str) -> String {
    let lines: Vec<&str> = text
        .strip_suffix('\n')
        .map_or(Vec::new(), |t| t.split('\n').collect());
    let plain = |l: &&str| !l.contains(['\r', '\t']) && !l.chars().any(char::is_control);
    if lines.len() < 2 || !lines.iter().all(plain) {
        return string(text);
    }
    let tag = ["EOT", "EOF", "TEXT", "END_OF_TEXT"]
        .into_iter()
        .find(|tag| lines.iter().all(|l| l.trim() != *tag))
        .unwrap_or("END_OF_POOL_TEXT");
    let body: String = lines
        .iter()
        .map(|l| format!("{}\n", l.replace("${", "$${")))
        .collect();
    format!("<<{tag}\n{body}{tag}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_never_interpolate() {
        assert_eq!(string("a\"b\\c\n${x}"), r#""a\"b\\c\n$${x}""#);
        assert_eq!(key("team"), "team");
        assert_eq!(key("example.com/owner"), "\"example.com/owner\"");
        assert_eq!(text("one line\n"), "\"one line\\n\"");
        assert_eq!(text("a\n${b}\n"), "<<EOT\na\n$${b}\nEOT");
        assert_eq!(text("EOT\nx\n"), "<<EOF\nEOT\nx\nEOF");
    }

    #[test]
    fn origins_point_at_the_innermost_value() {
        let span = |start| Span::new(crate::syntax::span::FileId(0), start, start + 1);
        let value = Expr::from(
            span(1),
            Expr::Object(vec![(
                "a".into(),
                Expr::from(span(2), Expr::Text("1".into())),
            )]),
        );
        let mut printed = Printed::default();
        printed.entries(&[Entry::attribute("x", value)], 0);
        assert_eq!(printed.text, "x = { a = 1 }\n");
        assert_eq!(printed.origin_of(6, 7), Some(span(2)), "the key `a`");
        assert_eq!(printed.origin_of(4, 5), Some(span(1)), "the brace");
        assert_eq!(
            printed.origin_of(0, 1),
            Some(span(1)),
            "a key goes with its value"
        );
    }
}
