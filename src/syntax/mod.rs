//! Syntax: the grammar (`grammar/pool.pest`), the parser, and the syntax
//! tree with spans. Nothing here knows what a pool is.

pub mod ast;
pub mod parser;
pub mod span;

pub use parser::parse;
