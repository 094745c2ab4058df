//! This crate provides the .pool language (poolc's worker-pool files) for
//! the [tree-sitter] parsing library.
//!
//! ```
//! let code = "pool \"prod\" {\n  credentials external \"prod\"\n}\n";
//! let mut parser = tree_sitter::Parser::new();
//! let language = tree_sitter_pool::LANGUAGE;
//! parser
//!     .set_language(&language.into())
//!     .expect("Error loading the pool parser");
//! let tree = parser.parse(code, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```
//!
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_pool() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_pool) };

/// The content of the [`node-types.json`] file for this grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// The syntax highlighting query (Neovim, Zed and tree-sitter CLI names).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// The syntax highlighting query with Helix's capture names.
pub const HELIX_HIGHLIGHTS_QUERY: &str = include_str!("../../queries/helix/highlights.scm");

/// The indentation query with Helix's captures.
pub const HELIX_INDENTS_QUERY: &str = include_str!("../../queries/helix/indents.scm");

/// The indentation query (Neovim style captures).
pub const INDENTS_QUERY: &str = include_str!("../../queries/indents.scm");

/// The folding query.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

#[cfg(test)]
mod tests {
    #[test]
    fn test_can_load_grammar() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("Error loading the pool parser");
    }
}
