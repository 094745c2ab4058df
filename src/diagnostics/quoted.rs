//! User text a problem may quote. Every problem holds the text it quotes
//! as a [`Quoted`] (a test keeps `String` out of the problem enums), and
//! each way of making one says where the text came from, so text that may
//! be secret is withheld when the problem is found, whatever its wording:
//!
//! - [`Quoted::written`]: source text, withheld where a secret may be
//!   written (see `crate::secrets`);
//! - [`Quoted::value`]: an evaluated value's text, withheld when it may be
//!   secret (read by `env()`/`file()`, or flowed from a credential);
//! - [`Quoted::public`]: text that is never a value: the name given to a
//!   definition (a `let`, a pool, a template), a file's name, an I/O
//!   error, or what poolc composed from its words and other `Quoted`s;
//! - [`Quoted::fixed`]: poolc's own words.
//!
//! A withheld text prints as [`MARKER`], the same marker that stands in
//! for the secret in the source snippet.

use crate::secrets::{MARKER, Secrecy, Secrets};
use crate::syntax::span::Span;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Quoted(Text);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Text {
    Shown(String),
    Withheld(Why),
}

/// Why a text is withheld, for wordings that say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Why {
    /// It was read by `env()` or `file()`.
    Read,
    /// It was written where a secret may be, or flowed from there.
    Secret,
}

impl Quoted {
    /// Text written in the source at `span`.
    pub fn written(text: impl Into<String>, span: Span, secrets: &Secrets) -> Quoted {
        if secrets.is_masked(span) {
            Quoted(Text::Withheld(Why::Secret))
        } else {
            Quoted(Text::Shown(text.into()))
        }
    }

    /// An evaluated value's text (or a reason about it that may quote it).
    pub fn value(text: impl Into<String>, secrecy: Secrecy) -> Quoted {
        match secrecy {
            Secrecy::Public => Quoted(Text::Shown(text.into())),
            Secrecy::Read => Quoted(Text::Withheld(Why::Read)),
            Secrecy::Secret | Secrecy::Credential => Quoted(Text::Withheld(Why::Secret)),
        }
    }

    /// Text that is never a value (see the module's documentation).
    pub fn public(text: impl Into<String>) -> Quoted {
        Quoted(Text::Shown(text.into()))
    }

    pub fn fixed(text: &'static str) -> Quoted {
        Quoted(Text::Shown(text.to_string()))
    }

    /// The text, unless it is withheld.
    pub fn shown(&self) -> Option<&str> {
        match &self.0 {
            Text::Shown(text) => Some(text),
            Text::Withheld(_) => None,
        }
    }

    /// Why the text is withheld, if it is.
    pub fn withheld(&self) -> Option<Why> {
        match self.0 {
            Text::Shown(_) => None,
            Text::Withheld(why) => Some(why),
        }
    }

    /// A reason a value is not valid, which may quote the value: the reason
    /// itself, or, withheld, a reason that says only where the value came
    /// from.
    pub fn reason(&self) -> String {
        match &self.0 {
            Text::Shown(reason) => reason.clone(),
            Text::Withheld(Why::Read) => {
                "the value read by env(...) or file(...) is not valid here".into()
            }
            Text::Withheld(Why::Secret) => {
                "the value is not valid here (not shown: it may be secret)".into()
            }
        }
    }
}

impl fmt::Display for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.shown().unwrap_or(MARKER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::span::FileId;

    #[test]
    fn text_where_a_secret_may_be_is_withheld() {
        let secret = Span::new(FileId(0), 10, 20);
        let secrets = Secrets::new(vec![secret], vec![]);
        let inside = Quoted::written("s3cr3t", Span::new(FileId(0), 12, 18), &secrets);
        assert_eq!(inside.to_string(), MARKER);
        assert_eq!(inside.withheld(), Some(Why::Secret));
        let outside = Quoted::written("replicaz", Span::new(FileId(0), 30, 38), &secrets);
        assert_eq!(outside.to_string(), "replicaz");
    }

    #[test]
    fn secret_values_are_withheld_and_reasons_say_why() {
        let read = Quoted::value("`abc` is not a unit", Secrecy::Read);
        assert!(!read.to_string().contains("abc"));
        assert!(read.reason().contains("env(...)"), "{}", read.reason());
        let secret = Quoted::value("`abc` is not a unit", Secrecy::Credential);
        assert!(!secret.reason().contains("abc"));
        let public = Quoted::value("`abc` is not a unit", Secrecy::Public);
        assert_eq!(public.reason(), "`abc` is not a unit");
    }
}
