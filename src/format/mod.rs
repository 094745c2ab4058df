//! The canonical layout of a .pool file (`poolc fmt`). docs/fmt.md states
//! the rules for users:
//!
//! - two spaces of indentation per level;
//! - entries of a multi-line body or object one per line, without commas;
//!   the `=` of a run of one-line attributes (or of `let`s) aligned; a
//!   blank line, a comment on its own line, a block or a multi-line value
//!   ends the run;
//! - a list, object, call or block written on one line stays on one line
//!   while it fits in [`MAX_WIDTH`] columns, as `[a, b]`, `{ k = v }`,
//!   `f(a)`, `kind label { k = v, ... }`; otherwise it is broken, one item
//!   per line, and a multi-line list or call ends each item with a comma;
//!   a sequence whose only item is a multi-line object, list or heredoc
//!   written right after the opening bracket hugs it (`[{` ... `}]`);
//!   empty ones are `[]`, `{}`, `f()`;
//! - at most one blank line in a row, none after an opening bracket or
//!   before a closing one, exactly one around each pool and template;
//! - object keys bare when they are names, quoted otherwise; strings,
//!   heredocs, numbers, labels and the order of everything as written;
//! - comments stay where they were: one that followed code on its line
//!   ends the line of that construct, one on its own line stays on its own
//!   line before what followed it, at that construct's indentation.
//!
//! The formatter is a function of the text: no I/O, and only files that
//! parse without a diagnostic are formatted. For one that does not, it
//! says where the file may hold secrets, so its problems are shown with
//! them masked, as `check` shows them.

mod layout;
mod printer;

pub use layout::is_name;

use crate::diagnostics::{Diagnostics, Quoted, SyntaxProblem};
use crate::secrets::{Secrets, lines, positions};
use crate::syntax::ast::{File, Item, Let};
use crate::syntax::span::FileId;
use std::collections::HashMap;

/// The width a line may reach before a construct written on one line is
/// broken over several.
pub const MAX_WIDTH: usize = 100;

/// Why a file cannot be formatted.
#[derive(Debug)]
pub struct Unformattable {
    /// Its syntax problems, with spans in file `FileId(0)`.
    pub diagnostics: Diagnostics,
    /// Where it may hold secrets.
    pub secrets: Secrets,
}

/// The source in the canonical layout, or why it cannot be formatted.
pub fn format(source: &str) -> Result<String, Unformattable> {
    let file = parsed(source)?;
    if !source.contains('\r') {
        return Ok(layout::file(source, &file));
    }
    // The grammar reads \r\n and \r as line breaks, as \n; with them
    // turned into \n (heredocs included) the file means the same.
    let unix = source.replace("\r\n", "\n").replace('\r', "\n");
    let file = parsed(&unix)?;
    Ok(layout::file(&unix, &file))
}

/// The syntax tree of a file without a syntax problem.
fn parsed(source: &str) -> Result<File, Unformattable> {
    let mut diagnostics = Diagnostics::default();
    let Some(file) = crate::syntax::parse(source, FileId(0), &mut diagnostics) else {
        let secrets = Secrets::new(lines::spans(source, FileId(0)), Vec::new());
        return Err(Unformattable {
            diagnostics,
            secrets,
        });
    };
    if diagnostics.is_empty() && file.bad_escapes.is_empty() {
        return Ok(file);
    }
    // The file's own `let`s (an imported one cannot be seen from here).
    let lets: HashMap<&str, &Let> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Let(binding) => Some((binding.name.name.as_str(), binding)),
            _ => None,
        })
        .collect();
    let lookup = |_: FileId, name: &str| lets.get(name).copied();
    let secrets = positions::find(&[(FileId(0), &file)], &lookup);
    for &span in &file.bad_escapes {
        let escape = source.get(span.range()).unwrap_or_default();
        diagnostics.push(SyntaxProblem::BadEscape {
            span,
            escape: Quoted::written(escape, span, &secrets),
        });
    }
    Err(Unformattable {
        diagnostics,
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::format;

    /// The input formats to the expected text, and that text is stable.
    macro_rules! assert_format {
        ($input:expr, $expected:expr $(,)?) => {{
            let formatted = format($input).expect("parses");
            assert_eq!(formatted, $expected, "\n--- got\n{formatted}");
            assert_eq!(
                format(&formatted).expect("reparses"),
                formatted,
                "not idempotent"
            );
        }};
    }

    /// Already canonical.
    macro_rules! assert_canonical {
        ($input:expr $(,)?) => {
            assert_format!($input, $input)
        };
    }

    #[test]
    fn indentation_and_alignment() {
        assert_format!(
            "pool \"a\" {\n    replicas = 4\n  workload=statefulset\n}\n",
            "pool \"a\" {\n  replicas = 4\n  workload = statefulset\n}\n",
        );
        assert_format!(
            "pool \"a\" {\nreplicas = 4\ntermination_grace_period = 2h\n}",
            "pool \"a\" {\n  replicas                 = 4\n  termination_grace_period = 2h\n}\n",
        );
    }

    #[test]
    fn runs_end_at_blank_lines_comments_blocks_and_multi_line_values() {
        assert_canonical!(
            "pool \"a\" {\n  a = 1\n\n  bbb = 2\n  # c\n  cc = 3\n  launcher {}\n  d = 4\n  eeeee \
            = [\n    1,\n  ]\n  f = 5\n}\n"
        );
        assert_format!(
            "pool \"a\" {\n  a = 1 # one\n  bbb = 2\n}\n",
            "pool \"a\" {\n  a   = 1 # one\n  bbb = 2\n}\n",
        );
    }

    #[test]
    fn lets_align_like_attributes() {
        assert_format!(
            "let a = 1\nlet long = 2\nimport \"x.pool\"\nlet b = 3\n",
            "let a    = 1\nlet long = 2\nimport \"x.pool\"\nlet b = 3\n",
        );
    }

    #[test]
    fn blank_lines() {
        assert_format!(
            "\n\nlet a = 1\n\n\n\nlet b = 2\npool \"a\" {\n\n  replicas = 1\n\n\n  workload = \
            statefulset\n\n}\npool \"b\" {}\n\n\n",
            "let a = 1\n\nlet b = 2\n\npool \"a\" {\n  replicas = 1\n\n  workload = \
            statefulset\n}\n\npool \"b\" {}\n",
        );
    }

    #[test]
    fn one_entry_per_line_without_commas() {
        assert_format!(
            "pool \"a\" {\n  replicas = 1, workload = statefulset,\n}\n",
            "pool \"a\" {\n  replicas = 1\n  workload = statefulset\n}\n",
        );
        assert_format!(
            "pool \"a\" { replicas = 1 }\n",
            "pool \"a\" {\n  replicas = 1\n}\n"
        );
    }

    #[test]
    fn one_line_constructs_stay_on_one_line() {
        assert_format!(
            "pool \"a\" {\n  storage claim {class=\"gp2\",size=100Gi,}\n  labels = \
            {a=\"b\",\"c.d/e\"=\"f\",\"g\"=\"h\"}\n  s = [ \"a\" , \"b\", ]\n  t = f( 1,2 )\n}\n",
            "pool \"a\" {\n  storage claim { class = \"gp2\", size = 100Gi }\n  labels = { a = \
            \"b\", \"c.d/e\" = \"f\", g = \"h\" }\n  s      = [\"a\", \"b\"]\n  t      = f(1, \
            2)\n}\n",
        );
    }

    #[test]
    fn multi_line_lists_get_trailing_commas() {
        assert_format!(
            "let x = [\n\"a\",\n  \"b\"\n]\n",
            "let x = [\n  \"a\",\n  \"b\",\n]\n"
        );
        assert_format!("let x = [\n]\nlet y = {\n}\n", "let x = []\nlet y = {}\n");
    }

    #[test]
    fn long_lines_are_broken_outermost_first() {
        let long = format!(
            "let x = [{{ name = \"{}\", value = \"v\" }}, {{ name = \"b\" }}]\n",
            "n".repeat(80)
        );
        assert_format!(
            &long,
            format!(
                "let x = [\n  {{\n    name  = \"{}\"\n    value = \"v\"\n  }},\n  {{ name = \"b\" \
                }},\n]\n",
                "n".repeat(80)
            ),
        );
    }

    #[test]
    fn a_lone_object_hugs_its_brackets() {
        assert_canonical!("let x = [{\n  a = 1\n  b = 2\n}]\n");
        assert_format!("let x = [{\n  a = 1\n}\n]\n", "let x = [{\n  a = 1\n}]\n");
        assert_format!(
            "let x = [\n  {\n    a = 1\n  }\n]\n",
            "let x = [\n  {\n    a = 1\n  },\n]\n"
        );
    }

    #[test]
    fn keys_are_bare_when_they_are_names() {
        assert_format!(
            "let x = { \"a\" = 1, \"b-c\" = 2, \"d.e\" = 3, \"true\" = 4, \"9\" = 5, \"\\u0061b\" \
            = 6 }\n",
            "let x = { a = 1, b-c = 2, \"d.e\" = 3, \"true\" = 4, \"9\" = 5, ab = 6 }\n",
        );
    }

    #[test]
    fn literals_keep_their_source_text() {
        assert_canonical!(
            "let x = [\"a\\tb\\u00e9\", 1e3, 0777, 500m, 1h30m, \"${y}\", \"$${z}\", true]\n"
        );
    }

    #[test]
    fn comments_stay_with_their_construct() {
        assert_format!(
            "# head\n\n\n# about a\nlet a = 1   # trailing\npool \"p\" { // opening\n  # about \
            replicas\n    replicas = 1 # one\n\n  # end of body\n} # after\n# tail\n",
            "# head\n\n# about a\nlet a = 1 # trailing\n\npool \"p\" { // opening\n  # about \
            replicas\n  replicas = 1 # one\n\n  # end of body\n} # after\n\n# tail\n",
        );
        assert_format!(
            "let x = [ # open\n  \"a\" # a\n  , \"b\", # b\n  # before close\n]\n",
            "let x = [ # open\n  \"a\", # a\n  \"b\", # b\n  # before close\n]\n",
        );
        assert_canonical!("let x = {\n  # only a comment\n}\n");
    }

    #[test]
    fn heredocs_are_kept_and_end_their_line() {
        assert_canonical!("let x = <<EOT\n  keep  this\nEOT\n");
        assert_canonical!("pool \"p\" {\n  script = <<-EOT\n      a\n    EOT\n  replicas = 1\n}\n");
        assert_format!(
            "let x = [<<EOT\na\nEOT\n, \"b\", <<EOT\nc\nEOT\n]\n",
            "let x = [\n  <<EOT\na\nEOT\n  ,\n  \"b\",\n  <<EOT\nc\nEOT\n]\n",
        );
        assert_canonical!("let x = trimspace(<<EOT\na\nEOT\n)\n");
    }

    #[test]
    fn blocks_and_labels() {
        assert_format!(
            "pool \"p\" extends \"base\" {\ncredentials   external    \"s\"\nservice_account \
            external\nlauncher {\ndebug = true\n}\ndind { resources { requests = { cpu = 2 } } \
            }\n}\n",
            "pool \"p\" extends \"base\" {\n  credentials external \"s\"\n  service_account \
            external\n  launcher {\n    debug = true\n  }\n  dind { resources { requests = { cpu = \
            2 } } }\n}\n",
        );
    }

    #[test]
    fn line_endings_become_newlines() {
        assert_format!(
            "let a = 1\r\nlet b = <<EOT\r\nx\r\nEOT\r\n",
            "let a = 1\nlet b = <<EOT\nx\nEOT\n"
        );
    }

    #[test]
    fn files_that_do_not_parse_are_refused() {
        assert!(format("pool \"a\" {\n  replicas 4\n}\n").is_err());
        assert!(format("let x = \"a\\qb\"\n").is_err());
        assert_eq!(format("").unwrap(), "");
        assert_eq!(format("# only\n").unwrap(), "# only\n");
    }
}
