//! The formatter (`poolc fmt`):
//!
//! - every `tests/format/<name>.in.pool` formats to `<name>.out.pool` (one
//!   named test per pair, the formatter's only layout cases);
//! - every .pool file of the repository that parses formats to a fixed
//!   point, and checks and builds exactly as before;
//! - the examples and conformance sites are already canonical;
//! - so do generated files (a property test), which must also keep their
//!   syntax tree and every comment's place among the tree's nodes.

mod support;

use poolc::syntax::ast::{Attribute, Body, Entry, Expr, ExprKind, File, Item, StrPart};
use poolc::syntax::span::FileId;
use poolc::{Host, ReadError};
use proptest::prelude::*;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

fn format(text: &str) -> String {
    poolc::format(text).unwrap_or_else(|d| panic!("does not parse: {d:?}\n{text}"))
}

/// `tests/format/NAME.in.pool` formats to `NAME.out.pool`, which is stable.
fn formats_as_expected(name: &str) {
    let dir = support::repo().join("tests/format");
    let read = |suffix: &str| {
        let path = dir.join(format!("{name}.{suffix}.pool"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let (input, expected) = (read("in"), read("out"));
    let actual = format(&input);
    assert_eq!(actual, expected, "\n--- got\n{actual}");
    assert_eq!(format(&expected), expected, "{name}.out.pool is not stable");
}

/// One named test per pair in `tests/format/`.
macro_rules! format_cases {
    ($($name:ident),* $(,)?) => {
        const CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                formats_as_expected(stringify!($name));
            }
        )*
    };
}

format_cases!(
    aligned_equals,
    alignment,
    alignment_runs_end,
    bare_keys,
    blank_lines,
    blank_lines_between_items,
    blocks_and_labels,
    bracket_on_its_own_line,
    commas_between_entries,
    comment_only_object,
    comments,
    comments_in_lists,
    comments_move_with_code,
    crlf_line_endings,
    empty_list_and_object,
    entries_per_line,
    heredoc_argument,
    heredoc_kept,
    heredocs,
    heredocs_in_a_list,
    hug_closed,
    hug_kept,
    hugging,
    indented_heredoc,
    keys,
    lets_align,
    lets_and_imports,
    literals,
    literals_as_written,
    long_lines,
    multi_line_lists,
    one_line_body_is_broken,
    one_line_constructs,
    one_line_constructs_spaced,
    outermost_first,
    reindented_body,
    trailing_commas,
    trailing_comment_in_a_run,
);

#[test]
fn every_pair_has_its_test() {
    let mut pairs: Vec<String> = std::fs::read_dir(support::repo().join("tests/format"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".in.pool").map(String::from))
        .collect();
    pairs.sort();
    assert_eq!(pairs, CASES, "list every pair in format_cases!");
}

#[test]
fn files_that_do_not_parse_are_refused() {
    assert!(poolc::format("pool \"a\" {\n  replicas 4\n}\n").is_err());
    assert!(poolc::format("let x = \"a\\qb\"\n").is_err());
    assert_eq!(format(""), "");
    assert_eq!(format("# only\n"), "# only\n");
}

// ---- the repository's files --------------------------------------------------

/// The file system, with every .pool file read in its formatted form.
struct Formatted;

/// The file system as it is.
struct Plain;

fn read_pool(path: &Path, formatted: bool) -> io::Result<Vec<u8>> {
    let bytes = std::fs::read(path)?;
    let is_pool = path.extension().is_some_and(|e| e == "pool");
    match std::str::from_utf8(&bytes) {
        Ok(text) if formatted && is_pool => {
            Ok(poolc::format(text).map(String::into_bytes).unwrap_or(bytes))
        }
        _ => Ok(bytes),
    }
}

/// What examples/site.pool reads; every other variable is unset.
fn test_env(name: &str) -> Option<String> {
    (name == "SPACELIFT_PROD_TOKEN" || name == "SPACELIFT_PROD_KEY").then(|| "dGVzdA==".to_string())
}

impl Host for Formatted {
    fn read(&self, path: &Path, _: u64) -> Result<Vec<u8>, ReadError> {
        Ok(read_pool(path, true)?)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
    fn env_var(&self, name: &str) -> Option<String> {
        test_env(name)
    }
}

impl Host for Plain {
    fn read(&self, path: &Path, _: u64) -> Result<Vec<u8>, ReadError> {
        Ok(read_pool(path, false)?)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
    fn env_var(&self, name: &str) -> Option<String> {
        test_env(name)
    }
}

/// What a check and build yield, without source positions: each
/// diagnostic's code, message and help, and each pool's manifests.
fn outcome(root: &Path, host: &dyn Host) -> String {
    let Ok(checked) = poolc::check_with(root, host, None, &support::repo_access()) else {
        return "unreadable".into();
    };
    let mut diagnostics: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {} {:?}", d.code, d.message, d.help))
        .collect();
    diagnostics.sort();
    let mut out = diagnostics.join("\n");
    if !checked.has_errors() {
        for pool in &checked.site.pools {
            // The `# Source:` lines name the pool's line, which
            // formatting may move.
            let yaml = poolc::render_pool(pool).yaml;
            let kept = yaml.lines().filter(|l| !l.starts_with("# Source: "));
            out.extend(kept.flat_map(|line| [line, "\n"]));
        }
    }
    out
}

#[test]
fn every_repository_file_formats_to_a_fixed_point_with_the_same_meaning() {
    let files = support::pool_files(&support::repo());
    let mut formatted_files = 0;
    let mut failures = Vec::new();
    for file in &files {
        // Snapshot inputs that are not UTF-8, or syntax errors, on purpose.
        let Ok(text) = String::from_utf8(std::fs::read(file).unwrap()) else {
            continue;
        };
        let Ok(once) = poolc::format(&text) else {
            continue;
        };
        formatted_files += 1;
        if format(&once) != once {
            failures.push(format!("{}: not a fixed point", file.display()));
        }
        if let Err(problem) = same_tree(&text, &once) {
            failures.push(format!("{}: {problem}", file.display()));
        }
        let root = std::fs::canonicalize(file).unwrap();
        if outcome(&root, &Plain) != outcome(&root, &Formatted) {
            failures.push(format!("{}: builds differently", file.display()));
        }
    }
    // The repository's .pool files, but for the snapshot inputs that are
    // syntax errors on purpose.
    assert!(formatted_files >= 120, "only {formatted_files} files parse");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What users copy from is already canonical, checked the way their CI
/// would check it. (Snapshot inputs and editor fixtures keep their odd
/// layouts on purpose.)
#[test]
fn examples_and_conformance_sites_are_formatted() {
    let output = support::run(
        &["fmt", "--check", "examples", "tests/conformance"],
        &support::repo(),
    );
    assert!(
        output.status.success(),
        "run `poolc fmt examples tests/conformance`:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

// ---- the syntax tree, without positions ----------------------------------------

/// The same tree, and each comment (its text, whether it follows code on
/// its line, and how many nodes start before it) in the same place.
fn same_tree(before: &str, after: &str) -> Result<(), String> {
    let (tree_before, comments_before) = shape(before);
    let (tree_after, comments_after) = shape(after);
    if tree_before != tree_after {
        return Err(format!(
            "the tree changed:\n{tree_before}\n---\n{tree_after}"
        ));
    }
    if comments_before != comments_after {
        return Err(format!(
            "comments moved:\n{comments_before:?}\n---\n{comments_after:?}"
        ));
    }
    Ok(())
}

fn shape(text: &str) -> (String, Vec<(String, bool, usize)>) {
    let mut diagnostics = poolc::diagnostics::Diagnostics::default();
    let file = poolc::syntax::parse(text, FileId(0), &mut diagnostics);
    assert!(diagnostics.is_empty(), "{text} does not parse");
    let mut shape = Shape {
        out: String::new(),
        starts: Vec::new(),
    };
    shape.file(&file);
    let comments = file
        .comments
        .iter()
        .map(|c| {
            let start = c.span.start as usize;
            let line = &text[text[..start].rfind('\n').map_or(0, |i| i + 1)..start];
            let before = shape.starts.iter().filter(|s| **s < start).count();
            (
                c.text.trim_end().to_string(),
                !line.trim().is_empty(),
                before,
            )
        })
        .collect();
    (shape.out, comments)
}

/// A text dump of the tree, and the start of every node.
struct Shape {
    out: String,
    starts: Vec<usize>,
}

impl Shape {
    fn node(&mut self, start: u32) {
        self.starts.push(start as usize);
    }

    fn file(&mut self, file: &File) {
        for item in &file.items {
            self.node(item.span().start);
            match item {
                Item::Let(l) => {
                    let _ = write!(self.out, "let {}=", l.name.name);
                    self.expr(&l.value);
                }
                Item::Import(i) => {
                    let _ = write!(self.out, "import {:?}", i.path.value);
                }
                Item::Pool(d) | Item::Template(d) => {
                    let kind = if matches!(item, Item::Pool(_)) {
                        "pool"
                    } else {
                        "template"
                    };
                    let extends = d.extends.as_ref().map(|e| e.value.clone());
                    let _ = write!(self.out, "{kind} {:?} {extends:?}", d.name.value);
                    self.body(&d.body);
                }
            }
            self.out.push('\n');
        }
    }

    fn body(&mut self, body: &Body) {
        self.out.push('{');
        for entry in &body.entries {
            self.node(entry.span().start);
            match entry {
                Entry::Attribute(a) => self.attribute(a),
                Entry::Block(b) => {
                    let labels: Vec<_> = b.labels.iter().map(|l| (&l.value, l.quoted)).collect();
                    let _ = write!(self.out, "{} {labels:?}", b.kind.name);
                    if let Some(body) = &b.body {
                        self.body(body);
                    }
                }
            }
            self.out.push(';');
        }
        self.out.push('}');
    }

    fn attribute(&mut self, a: &Attribute) {
        let _ = write!(self.out, "{:?}=", a.key.name);
        self.expr(&a.value);
    }

    fn expr(&mut self, e: &Expr) {
        self.node(e.span.start);
        match &e.kind {
            ExprKind::Str(parts) => {
                self.out.push_str("str(");
                for part in parts {
                    match part {
                        StrPart::Text(t, _) => {
                            let _ = write!(self.out, "{t:?}");
                        }
                        StrPart::Interpolation(inner) => self.expr(inner),
                    }
                }
                self.out.push(')');
            }
            ExprKind::Number(n) => self.out.push_str(n),
            ExprKind::Bool(b) => {
                let _ = write!(self.out, "{b}");
            }
            ExprKind::Ref(name) => self.out.push_str(&name.name),
            ExprKind::List(items) => {
                self.out.push('[');
                for item in items {
                    self.expr(item);
                    self.out.push(',');
                }
                self.out.push(']');
            }
            ExprKind::Object(attributes) => {
                self.out.push('{');
                for a in attributes {
                    self.node(a.span.start);
                    self.attribute(a);
                    self.out.push(',');
                }
                self.out.push('}');
            }
            ExprKind::Call(call) => {
                let _ = write!(self.out, "{}(", call.function.name);
                for arg in &call.args {
                    self.expr(arg);
                    self.out.push(',');
                }
                self.out.push(')');
            }
        }
    }
}

// ---- generated files ----------------------------------------------------------------

/// The generated file as the root of a site; nothing else exists.
struct Generated(String);

impl Host for Generated {
    fn read(&self, path: &Path, _: u64) -> Result<Vec<u8>, ReadError> {
        if path == Path::new("/gen/site.pool") {
            Ok(self.0.clone().into_bytes())
        } else {
            Err(io::Error::from(io::ErrorKind::NotFound).into())
        }
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(path.to_path_buf())
    }
    fn env_var(&self, name: &str) -> Option<String> {
        (name == "TOKEN").then(|| "generated-token".to_string())
    }
}

/// How a construct is laid out in a generated file.
#[derive(Clone, Debug)]
struct Style {
    multi_line: bool,
    trailing_comma: bool,
    /// A comment after the opening bracket (forces several lines).
    comment: Option<String>,
    /// Blank lines and extra spaces between parts.
    loose: bool,
}

#[derive(Clone, Debug)]
enum Value {
    /// A string literal's source, quotes included.
    Text(String),
    Heredoc(Vec<String>, bool),
    List(Vec<Value>, Style),
    Object(Vec<(String, Value)>, Style),
    Call(&'static str, Vec<Value>, Style),
}

#[derive(Clone, Debug)]
enum Member {
    Attribute(String, Value, Option<String>),
    Block(String, Option<(Vec<Member>, Style)>),
}

#[derive(Clone, Debug)]
enum GenItem {
    Let(String, Value),
    Pool(String, Vec<Member>, Style),
    Comment(String),
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::option::weighted(0.2, comment()),
        any::<bool>(),
    )
        .prop_map(|(multi_line, trailing_comma, comment, loose)| Style {
            multi_line,
            trailing_comma,
            comment,
            loose,
        })
}

fn comment() -> impl Strategy<Value = String> {
    prop_oneof![
        "# [a-z ]{0,12}".prop_map(|s| s),
        "// [a-z#]{0,8}".prop_map(|s| s),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "replicas", "workload", "labels", "name", "value", "cpu", "key", "debug",
            "run_timeout", "image", "x-y", "_z",
        ])
        .prop_map(String::from),
        1 => prop::sample::select(vec![
            "\"replicas\"", "\"a.b/c\"", "\"true\"", "\"with space\"", "\"9x\"",
        ])
        .prop_map(String::from),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        "\"text\"",
        "\"a\\tb\"",
        "\"${tier}\"",
        "\"$${x}\"",
        "4",
        "-1",
        "1.5",
        "500m",
        "512Mi",
        "1e3",
        "0777",
        "2h",
        "1h30m",
        "true",
        "false",
        "tier",
        "statefulset",
        "autoscaled",
        "\"\"",
        "env(\"TOKEN\")",
    ])
    .prop_map(|s| Value::Text(s.to_string()))
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        8 => scalar(),
        1 => (prop::collection::vec("[a-z ]{0,6}", 0..3), any::<bool>())
            .prop_map(|(lines, strip)| Value::Heredoc(lines, strip)),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..4), style())
                .prop_map(|(items, s)| Value::List(items, s)),
            (prop::collection::vec((key(), inner.clone()), 0..4), style())
                .prop_map(|(fields, s)| Value::Object(dedup(fields), s)),
            (
                prop::sample::select(vec!["base64", "trimspace", "env"]),
                prop::collection::vec(inner, 1..3),
                style()
            )
                .prop_map(|(f, args, s)| Value::Call(f, args, s)),
        ]
    })
}

fn dedup<T>(fields: Vec<(String, T)>) -> Vec<(String, T)> {
    let mut seen = std::collections::HashSet::new();
    fields
        .into_iter()
        .filter(|(k, _)| seen.insert(k.trim_matches('"').to_string()))
        .collect()
}

fn member() -> impl Strategy<Value = Member> {
    let attribute = (key(), value(), prop::option::weighted(0.2, comment()))
        .prop_map(|(k, v, c)| Member::Attribute(k, v, c));
    let leaf_block = prop::sample::select(vec![
        "credentials external",
        "credentials external \"secret\"",
        "service_account external",
        "storage empty_dir",
    ])
    .prop_map(|h| Member::Block(h.to_string(), None));
    prop_oneof![4 => attribute, 1 => leaf_block].prop_recursive(2, 12, 4, |inner| {
        (
            prop::sample::select(vec![
                "launcher",
                "dind",
                "storage claim",
                "credentials",
                "resources",
            ]),
            prop::collection::vec(inner, 0..4),
            style(),
        )
            .prop_map(|(h, body, s)| Member::Block(h.to_string(), Some((body, s))))
    })
}

fn members() -> impl Strategy<Value = Vec<Member>> {
    prop::collection::vec(member(), 0..5)
}

fn items() -> impl Strategy<Value = Vec<GenItem>> {
    let item = prop_oneof![
        2 => ("[a-z]{1,6}", value()).prop_map(|(n, v)| GenItem::Let(format!("l{n}"), v)),
        2 => ("[a-z][a-z0-9-]{0,6}", members(), style())
            .prop_map(|(n, body, s)| GenItem::Pool(n, body, s)),
        1 => comment().prop_map(GenItem::Comment),
    ];
    prop::collection::vec(item, 0..6)
}

/// Renders generated items as source text in their generated layout.
struct Writer {
    out: String,
}

impl Writer {
    fn newline(&mut self, loose: bool) {
        self.out.push('\n');
        if loose {
            self.out.push_str("\n   \t");
        }
    }

    fn items(&mut self, items: &[GenItem]) {
        self.out.push_str("let tier = \"ci\"\n");
        for (i, item) in items.iter().enumerate() {
            match item {
                GenItem::Let(name, value) => {
                    let _ = write!(self.out, "let {name}{i} = ");
                    self.value(value);
                }
                GenItem::Pool(name, body, style) => {
                    let _ = write!(self.out, "pool \"{name}{i}\" ");
                    self.body(body, style);
                }
                GenItem::Comment(text) => self.out.push_str(text),
            }
            self.newline(i.is_multiple_of(3));
        }
    }

    fn open(&mut self, opener: &str, style: &Style) {
        self.out.push_str(opener);
        if let Some(comment) = &style.comment {
            let _ = write!(self.out, " {comment}");
        }
        if self.multi_line(style) {
            self.newline(style.loose);
        } else if style.loose {
            self.out.push_str("  ");
        }
    }

    fn multi_line(&self, style: &Style) -> bool {
        style.multi_line || style.comment.is_some()
    }

    fn body(&mut self, members: &[Member], style: &Style) {
        self.open("{", style);
        let mut line_ended = false;
        for (i, member) in members.iter().enumerate() {
            self.separator(i, style, line_ended);
            line_ended = self.member(member);
        }
        self.close("}", style, !members.is_empty(), line_ended);
    }

    /// Between two entries or items: a comma, a line break, or both. A
    /// comment or heredoc has ended the line already (`line_ended`).
    fn separator(&mut self, index: usize, style: &Style, line_ended: bool) {
        if index == 0 {
            return;
        }
        if line_ended
            || (self.multi_line(style) && !(style.trailing_comma && index.is_multiple_of(2)))
        {
            self.newline(style.loose && !index.is_multiple_of(2));
        } else {
            self.out.push_str(", ");
        }
    }

    fn close(&mut self, closer: &str, style: &Style, non_empty: bool, line_ended: bool) {
        if style.trailing_comma && non_empty && !line_ended {
            self.out.push(',');
        }
        if self.multi_line(style) || line_ended {
            self.newline(false);
        }
        self.out.push_str(closer);
    }

    /// Writes an entry; whether it ended its line.
    fn member(&mut self, member: &Member) -> bool {
        match member {
            Member::Attribute(key, value, comment) => {
                let _ = write!(self.out, "{key} = ");
                let heredoc = self.value(value);
                match comment {
                    Some(comment) if !heredoc => {
                        let _ = write!(self.out, " {comment}");
                        true
                    }
                    _ => heredoc,
                }
            }
            Member::Block(header, None) => {
                self.out.push_str(header);
                false
            }
            Member::Block(header, Some((body, style))) => {
                let _ = write!(self.out, "{header} ");
                self.body(body, style);
                false
            }
        }
    }

    /// Writes a value; whether it was a heredoc (which ends its line).
    fn value(&mut self, value: &Value) -> bool {
        match value {
            Value::Text(text) => self.out.push_str(text),
            Value::Heredoc(lines, strip) => {
                let _ = writeln!(self.out, "<<{}EOT", if *strip { "-" } else { "" });
                for line in lines {
                    let _ = writeln!(self.out, "  {line}");
                }
                self.out.push_str("  EOT\n");
                return true;
            }
            Value::List(items, style) => self.sequence("[", items, "]", style),
            Value::Call(function, args, style) => {
                self.sequence(&format!("{function}("), args, ")", style)
            }
            Value::Object(fields, style) => {
                self.open("{", style);
                let mut line_ended = false;
                for (i, (key, value)) in fields.iter().enumerate() {
                    self.separator(i, style, line_ended);
                    let _ = write!(self.out, "{key} = ");
                    line_ended = self.value(value);
                }
                self.close("}", style, !fields.is_empty(), line_ended);
            }
        }
        false
    }

    fn sequence(&mut self, opener: &str, items: &[Value], closer: &str, style: &Style) {
        self.open(opener, style);
        let mut line_ended = false;
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
                if self.multi_line(style) {
                    self.newline(style.loose && i == 1);
                } else {
                    self.out.push(' ');
                }
            }
            line_ended = self.value(item);
        }
        self.close(closer, style, !items.is_empty(), line_ended);
    }
}

fn generated_file() -> impl Strategy<Value = String> {
    items().prop_map(|items| {
        let mut writer = Writer { out: String::new() };
        writer.items(&items);
        writer.out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_files_format_to_a_fixed_point_with_the_same_meaning(text in generated_file()) {
        let once = poolc::format(&text)
            .map_err(|d| TestCaseError::fail(format!("generator wrote a bad file: {d:?}\n{text}")))?;
        prop_assert_eq!(format(&once), once.clone(), "not a fixed point:\n{}", text);
        if let Err(problem) = same_tree(&text, &once) {
            return Err(TestCaseError::fail(format!("{problem}\n--- input\n{text}--- output\n{once}")));
        }
        let root = Path::new("/gen/site.pool");
        prop_assert_eq!(
            outcome(root, &Generated(text.clone())),
            outcome(root, &Generated(once.clone())),
            "builds differently"
        );
    }
}

// ---- the command line ---------------------------------------------------------------

/// A folder of .pool files: formatted, unformatted, unparsable, and some in
/// folders that `poolc fmt` skips.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("a.pool", "let  x=1\n");
    write("b.pool", "let x = 1\n");
    write("c.pool", "pool \"c\" {\n  replicas 4\n}\n");
    write("teams/d.pool", "let y   = 2\n");
    for skipped in ["target/e.pool", ".hidden/f.pool", "node_modules/g.pool"] {
        write(skipped, "let  z=3\n");
    }
    dir
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap()
}

#[test]
fn check_lists_what_would_change_and_writes_nothing() {
    let dir = project();
    let output = support::run(&["fmt", "--check"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, "a.pool\nteams/d.pool\n");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("c.pool:2:12") || stderr.contains("pool::E0001"),
        "{stderr}"
    );
    assert!(stderr.contains("2 files are not formatted"), "{stderr}");
    assert_eq!(read(dir.path(), "a.pool"), "let  x=1\n");
}

#[test]
fn fmt_rewrites_files_and_leaves_unparsable_ones_alone() {
    let dir = project();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(dir.path().join("a.pool"), private).unwrap();
    }
    let output = support::run(&["fmt"], dir.path());
    assert_eq!(output.status.code(), Some(1), "c.pool does not parse");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "a.pool\nteams/d.pool\n"
    );
    assert_eq!(read(dir.path(), "a.pool"), "let x = 1\n");
    assert_eq!(read(dir.path(), "teams/d.pool"), "let y = 2\n");
    assert_eq!(
        read(dir.path(), "c.pool"),
        "pool \"c\" {\n  replicas 4\n}\n"
    );
    assert_eq!(read(dir.path(), "target/e.pool"), "let  z=3\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("a.pool"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "a private file stays private");
    }
    let again = support::run(&["fmt", "a.pool", "b.pool", "teams"], dir.path());
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
    let missing = support::run(&["fmt", "missing.pool"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
}

// ---- `poolc fmt` on folders ------------------------------------------------------

#[test]
fn fmt_check_passes_at_the_root_of_this_repository() {
    let output = support::run(&["fmt", "--check"], &support::repo());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A folder with an unformatted `a.pool`, and `b.pool` in a subfolder.
fn unformatted_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let unformatted = "pool \"a\" {\nreplicas=1\n}\n";
    std::fs::write(dir.path().join("a.pool"), unformatted).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/b.pool"), unformatted).unwrap();
    dir
}

fn listed(dir: &Path, args: &[&str]) -> String {
    let output = support::run(args, dir);
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn fmt_skips_what_git_ignores_and_what_poolc_toml_excludes() {
    let dir = unformatted_folder();
    assert_eq!(
        listed(dir.path(), &["fmt", "--check"]),
        "a.pool\nsub/b.pool\n"
    );
    std::fs::write(dir.path().join(".gitignore"), "sub/\n").unwrap();
    assert_eq!(listed(dir.path(), &["fmt", "--check"]), "a.pool\n");
    std::fs::remove_file(dir.path().join(".gitignore")).unwrap();
    std::fs::write(
        dir.path().join("poolc.toml"),
        "[fmt]\nexclude = [\"*.pool\"]\n",
    )
    .unwrap();
    assert_eq!(listed(dir.path(), &["fmt", "--check"]), "sub/b.pool\n");
    // A file named on the command line is formatted whatever the patterns say.
    assert_eq!(
        listed(dir.path(), &["fmt", "--check", "a.pool"]),
        "a.pool\n"
    );
}

#[test]
fn an_invalid_poolc_toml_is_an_error_naming_it() {
    let dir = unformatted_folder();
    std::fs::write(dir.path().join("poolc.toml"), "[fmt]\nexclud = []\n").unwrap();
    let output = support::run(&["fmt", "--check"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("poolc.toml") && stderr.contains("exclud"),
        "{stderr}"
    );
}

#[test]
fn fmt_diff_shows_the_changes_and_writes_nothing() {
    let dir = unformatted_folder();
    let output = support::run(&["fmt", "--diff", "a.pool"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "--- a.pool\n+++ a.pool\n@@ -1,3 +1,3 @@\n pool \"a\" {\n-replicas=1\n+  replicas = 1\n }\n"
    );
    let unchanged = std::fs::read_to_string(dir.path().join("a.pool")).unwrap();
    assert_eq!(unchanged, "pool \"a\" {\nreplicas=1\n}\n");
}
