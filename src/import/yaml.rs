//! Helm values as Helm reads them. Helm reads values with go-yaml v2 (YAML
//! 1.1 plain scalars: `on`, `yes`, `y` are booleans, `0777` is octal, `1e3`
//! a number), then turns them into JSON, so every number becomes a float64.
//! The tree keeps the span of every node, so diagnostics can point at the
//! line in the values file.

use crate::syntax::parser::MAX_NESTING;
use crate::syntax::span::{FileId, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use std::collections::HashMap;

/// How many nodes a values file may expand to, aliases included: a few
/// lines of nested aliases could otherwise expand to billions.
const MAX_NODES: usize = 1_000_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// The text of a plain scalar that Helm reads as something other than
    /// text (`on`, `0777`).
    pub reread: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// Every number, as the float64 Helm holds it.
    Number(f64),
    Text(String),
    Map(Vec<(Key, Node)>),
    List(Vec<Node>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The node at a path of keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Text(text) => Some(text),
            _ => None,
        }
    }

    /// "a boolean", "a list", ... for messages.
    pub fn describe(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::Text(_) => "a string",
            NodeKind::Map(_) => "a map",
            NodeKind::List(_) => "a list",
        }
    }

    /// Empty maps, lists and strings and null count as unset in the chart.
    pub fn is_unset(&self) -> bool {
        match &self.kind {
            NodeKind::Null => true,
            NodeKind::Text(t) => t.is_empty(),
            NodeKind::Map(m) => m.is_empty(),
            NodeKind::List(l) => l.is_empty(),
            _ => false,
        }
    }
}

/// A values file that is not YAML: where and why.
#[derive(Debug)]
pub struct SyntaxError {
    pub span: Span,
    pub reason: String,
}

/// The first document of a values file (an empty file is an empty map).
pub fn read(text: &str, file: FileId) -> Result<Node, SyntaxError> {
    let offsets = Offsets::new(text, file);
    let mut events = Vec::new();
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => {
                events.push((event, offsets.span(span.start.index(), span.end.index())))
            }
            Err(e) => {
                let at = e.marker().index();
                return Err(SyntaxError {
                    span: offsets.span(at, at + 1),
                    reason: e.info().to_string(),
                });
            }
        }
    }
    let start = events
        .iter()
        .position(|(e, _)| matches!(e, Event::DocumentStart(_)));
    let empty = Node {
        kind: NodeKind::Map(Vec::new()),
        span: offsets.span(0, 0),
        reread: None,
    };
    let Some(start) = start else {
        return Ok(empty);
    };
    let mut reader = Reader {
        events: &events,
        position: start + 1,
        anchors: HashMap::new(),
        depth: 0,
        nodes: 0,
        pending_anchor: None,
    };
    let document = reader.node()?;
    Ok(match document.kind {
        NodeKind::Null => empty,
        _ => document,
    })
}

/// Character indices (saphyr's positions) to byte offsets.
struct Offsets {
    file: FileId,
    /// Byte offset of each character, when the text is not ASCII.
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str, file: FileId) -> Offsets {
        let bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Offsets {
            file,
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, index: usize) -> usize {
        match &self.bytes {
            Some(bytes) => bytes.get(index).copied().unwrap_or(self.len),
            None => index.min(self.len),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let start = self.byte(start);
        Span::new(self.file, start, self.byte(end).max(start))
    }
}

struct Reader<'e, 'i> {
    events: &'e [(Event<'i>, Span)],
    position: usize,
    /// Anchored nodes, by saphyr's anchor id, with their sizes.
    anchors: HashMap<usize, (Node, usize)>,
    /// How deeply the current node nests.
    depth: usize,
    /// Nodes read so far, aliases counted at their size.
    nodes: usize,
    /// The anchor of the node just read, recorded with its size.
    pending_anchor: Option<usize>,
}

impl Reader<'_, '_> {
    fn next(&mut self) -> Result<&(Event<'_>, Span), SyntaxError> {
        let event = self.events.get(self.position).ok_or_else(|| SyntaxError {
            span: self.events.last().map_or_else(Span::default, |(_, s)| *s),
            reason: "the file ends inside a value".into(),
        })?;
        self.position += 1;
        Ok(event)
    }

    /// A node, within the bounds on nesting and size.
    fn node(&mut self) -> Result<Node, SyntaxError> {
        let span = self
            .events
            .get(self.position)
            .map_or_else(Span::default, |(_, s)| *s);
        if self.depth >= MAX_NESTING {
            return Err(SyntaxError {
                span,
                reason: format!("values nest more than {MAX_NESTING} levels deep"),
            });
        }
        self.depth += 1;
        let start = self.nodes;
        let node = self.node_within_limits();
        self.depth -= 1;
        if self.nodes > MAX_NODES {
            return Err(SyntaxError {
                span,
                reason: format!("the values expand to more than {MAX_NODES} nodes"),
            });
        }
        let node = node?;
        if let Some(anchor) = self.pending_anchor.take() {
            self.anchors
                .insert(anchor, (node.clone(), self.nodes - start));
        }
        Ok(node)
    }

    fn node_within_limits(&mut self) -> Result<Node, SyntaxError> {
        self.nodes += 1;
        let (event, span) = self.next()?.clone();
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                (scalar(&text, style, tag.as_deref(), span), anchor)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                while !matches!(self.peek(), Some(Event::SequenceEnd)) {
                    items.push(self.node()?);
                }
                let end = self.next()?.1;
                (node(NodeKind::List(items), span.to(end)), anchor)
            }
            Event::MappingStart(anchor, _) => {
                let map = self.mapping()?;
                let end = self.next()?.1;
                (node(NodeKind::Map(map), span.to(end)), anchor)
            }
            Event::Alias(anchor) => {
                let (aliased, size) = self.anchors.get(&anchor).cloned().ok_or(SyntaxError {
                    span,
                    reason: "unknown anchor".into(),
                })?;
                self.nodes += size;
                return Ok(aliased);
            }
            // The end of a document without a value.
            _ => {
                self.position -= 1;
                return Ok(node(NodeKind::Null, span));
            }
        };
        if anchor != 0 {
            self.pending_anchor = Some(anchor);
        }
        Ok(node)
    }

    fn peek(&self) -> Option<&Event<'_>> {
        self.events.get(self.position).map(|(e, _)| e)
    }

    /// A mapping's entries; a later key replaces an earlier one, as in
    /// go-yaml, and `<<` merges the entries of other maps that are not
    /// set in this one.
    fn mapping(&mut self) -> Result<Vec<(Key, Node)>, SyntaxError> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let mut merged: Vec<(Key, Node)> = Vec::new();
        while !matches!(self.peek(), Some(Event::MappingEnd) | None) {
            let key_node = self.node()?;
            let value = self.node()?;
            let is_merge = key_node.reread.as_deref() == Some("<<");
            if is_merge {
                let sources = match value.kind {
                    NodeKind::List(items) => items,
                    _ => vec![value],
                };
                for source in sources {
                    if let NodeKind::Map(source) = source.kind {
                        merged.extend(source);
                    }
                }
                continue;
            }
            let key = Key {
                name: key_name(&key_node),
                span: key_node.span,
            };
            entries.retain(|(k, _)| k.name != key.name);
            entries.push((key, value));
        }
        for (key, value) in merged {
            if !entries.iter().any(|(k, _)| k.name == key.name) {
                entries.push((key, value));
            }
        }
        Ok(entries)
    }
}

fn node(kind: NodeKind, span: Span) -> Node {
    Node {
        kind,
        span,
        reread: None,
    }
}

/// A key as the JSON Helm holds: `on:` is the key "true".
fn key_name(key: &Node) -> String {
    match &key.kind {
        NodeKind::Text(t) => t.clone(),
        NodeKind::Null => "null".into(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Number(n) => json_number(*n),
        NodeKind::Map(_) | NodeKind::List(_) => String::new(),
    }
}

/// A scalar as go-yaml resolves it: quoted and block scalars, and `!!str`,
/// are text; plain ones may be null, booleans or numbers.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Node {
    let core_tag = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    let resolvable = style == ScalarStyle::Plain && tag.is_none()
        || matches!(core_tag, Some("int" | "float" | "bool" | "null"));
    let kind = if resolvable {
        resolve(text)
    } else {
        NodeKind::Text(text.to_string())
    };
    let reread_as_other = !matches!(&kind, NodeKind::Text(t) if t == text);
    let merge_key = resolvable && text == "<<";
    let reread = (reread_as_other || merge_key).then(|| text.to_string());
    Node { kind, span, reread }
}

/// go-yaml v2's resolution of a plain scalar.
fn resolve(text: &str) -> NodeKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return NodeKind::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return NodeKind::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeKind::Number(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Number(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Number(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if first == b'.' {
        return go_float(text).map_or_else(|| NodeKind::Text(text.into()), NodeKind::Number);
    }
    if !(first.is_ascii_digit() || first == b'+' || first == b'-') {
        return NodeKind::Text(text.into());
    }
    let plain = text.replace('_', "");
    go_int(&plain)
        .or_else(|| yaml_style_float(&plain).then(|| go_float(&plain)).flatten())
        .map_or_else(|| NodeKind::Text(text.into()), NodeKind::Number)
}

/// Go's `strconv.ParseInt(text, 0, 64)` (and ParseUint): decimal, `0x`,
/// `0o`, `0b`, or a leading `0` for octal.
fn go_int(text: &str) -> Option<f64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(hex) = lower.strip_prefix("0x") {
        (16, hex)
    } else if let Some(octal) = lower.strip_prefix("0o") {
        (8, octal)
    } else if let Some(binary) = lower.strip_prefix("0b") {
        (2, binary)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    Some(if negative {
        -(magnitude as f64)
    } else {
        magnitude as f64
    })
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

fn go_float(text: &str) -> Option<f64> {
    text.parse::<f64>().ok()
}

/// A number as Helm's JSON writes it (`toYaml`): whole numbers without a
/// fraction, others in their shortest form, exponents from 1e21.
pub fn json_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else if n.is_finite() && (n.abs() >= 1e21 || n.abs() < 1e-6) {
        go_exponent(&format!("{n:e}"))
    } else {
        format!("{n}")
    }
}

/// A number as Go's `%v` prints it (`{{ .Values.x }}` in a template):
/// the exponent form from a million.
pub fn template_number(n: f64) -> String {
    let exponent = if n == 0.0 {
        0
    } else {
        n.abs().log10().floor() as i32
    };
    if (-4..6).contains(&exponent) || !n.is_finite() {
        format!("{n}")
    } else {
        go_exponent(&format!("{n:e}"))
    }
}

/// Rust's `1e21` as Go's `1e+21`, `1e-7` as `1e-07`.
fn go_exponent(rust: &str) -> String {
    let Some((mantissa, exponent)) = rust.split_once('e') else {
        return rust.to_string();
    };
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exponent),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> NodeKind {
        read(&format!("v: {text}\n"), FileId(0))
            .unwrap()
            .get("v")
            .unwrap()
            .kind
            .clone()
    }

    #[test]
    fn plain_scalars_are_read_as_helm_reads_them() {
        assert_eq!(value("on"), NodeKind::Bool(true));
        assert_eq!(value("y"), NodeKind::Bool(true));
        assert_eq!(value("No"), NodeKind::Bool(false));
        assert_eq!(value("0777"), NodeKind::Number(511.0));
        assert_eq!(value("1e3"), NodeKind::Number(1000.0));
        assert_eq!(value("0x1F"), NodeKind::Number(31.0));
        assert_eq!(value("1_000"), NodeKind::Number(1000.0));
        assert_eq!(value("08"), NodeKind::Number(8.0));
        assert_eq!(value("1.50"), NodeKind::Number(1.5));
        assert_eq!(value("~"), NodeKind::Null);
        assert_eq!(value("500m"), NodeKind::Text("500m".into()));
        assert_eq!(value("\"on\""), NodeKind::Text("on".into()));
        assert_eq!(value("!!str 0777"), NodeKind::Text("0777".into()));
        assert_eq!(value("1:20"), NodeKind::Text("1:20".into()));
    }

    #[test]
    fn anchors_merge_keys_and_repeated_keys() {
        let node = read(
            "a: &x {p: 1, q: 2}\nb:\n  <<: *x\n  q: 3\nc: 1\nc: 2\n",
            FileId(0),
        )
        .unwrap();
        assert_eq!(node.at(&["b", "p"]).unwrap().kind, NodeKind::Number(1.0));
        assert_eq!(node.at(&["b", "q"]).unwrap().kind, NodeKind::Number(3.0));
        assert_eq!(node.get("c").unwrap().kind, NodeKind::Number(2.0));
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_refused() {
        let deep = format!("v: {}{}\n", "[".repeat(5_000), "]".repeat(5_000));
        assert!(read(&deep, FileId(0)).is_err());
        let nested = format!("v: {}{}\n", "[".repeat(150), "]".repeat(150));
        assert!(
            read(&nested, FileId(0))
                .unwrap_err()
                .reason
                .contains("levels deep")
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(
            read(&bomb, FileId(0))
                .unwrap_err()
                .reason
                .contains("expand")
        );
    }

    #[test]
    fn numbers_are_written_as_helm_writes_them() {
        assert_eq!(json_number(1000.0), "1000");
        assert_eq!(json_number(1.5), "1.5");
        assert_eq!(json_number(1e21), "1e+21");
        assert_eq!(template_number(24.0), "24");
        assert_eq!(template_number(1.2), "1.2");
        assert_eq!(template_number(1e6), "1e+06");
    }

    #[test]
    fn spans_point_at_the_scalar_and_syntax_errors_are_reported() {
        let text = "a:\n  b: valué\n";
        let node = read(text, FileId(0)).unwrap();
        let b = node.at(&["a", "b"]).unwrap();
        assert_eq!(&text[b.span.range()], "valué");
        assert!(read("a: [1, 2\n", FileId(0)).is_err());
    }
}
