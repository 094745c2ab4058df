//! Which text may be secret, found from the source side before any
//! diagnostic is worded or shown, and how it is hidden.
//!
//! A secret is a pool's token or private key, and any text read by `env()`
//! or `file()`. Three things keep every byte of one out of every report:
//!
//! - [`Secrets`]: the spans of source text that may hold a secret. For a
//!   .pool file that parses they are found on its syntax tree
//!   ([`positions`]): every string, number or bare word written where a
//!   credential may be (however and wherever the credentials are written),
//!   and the `let`s those use. In a file with an item that does not parse,
//!   and in a Helm values file that is not YAML, lines that look like
//!   credentials are taken whole too ([`lines`]); a values file that is
//!   YAML is read by `import::secrets`. The renderer shows [`MARKER`] in place of each ([`mask`]).
//! - [`Secrecy`]: carried by every evaluated value, so text that flowed
//!   from a secret (through `let`s, interpolation, `base64`, `env`) is
//!   never quoted in a message, and a credential flowing into a field that
//!   is not secret is an error.
//! - `diagnostics::Quoted`: the only type a problem may quote user text
//!   with; its constructors withhold what may be secret.

pub mod lines;
pub mod mask;
pub mod positions;

use crate::syntax::ast::File;
use crate::syntax::span::{FileId, Span};

/// What a report shows in place of a secret, whatever its length.
pub const MARKER: &str = "***";

/// How secret a value's text may be. Combining two values keeps the higher.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Secrecy {
    /// Written in the source where no secret is expected: may be quoted.
    #[default]
    Public,
    /// Read by `env()` or `file()`: never quoted.
    Read,
    /// Written where a secret may be (a misspelt credential, an `env`
    /// value of a credential variable in any container, a `token` key):
    /// masked in snippets and never quoted.
    Secret,
    /// A pool's credential: also an error in any field but a credential.
    Credential,
}

/// Spans of text that may be secret, per file, for the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Source text to mask wherever source is shown: sorted, disjoint.
    masked: Vec<Span>,
    /// Expressions whose value is a pool's credential (the masked
    /// literals, and the `env()`/`file()` calls whose text is not secret
    /// but whose result is): sorted, looked up exactly.
    credentials: Vec<Span>,
}

impl Secrets {
    /// The set of `masked` spans and `credentials` expressions, in any
    /// order, overlapping or not.
    pub fn new(mut masked: Vec<Span>, mut credentials: Vec<Span>) -> Secrets {
        masked.retain(|s| s.start < s.end);
        masked.sort();
        let mut merged: Vec<Span> = Vec::with_capacity(masked.len());
        for span in masked {
            match merged.last_mut() {
                Some(last) if last.file == span.file && span.start <= last.end => {
                    last.end = last.end.max(span.end)
                }
                _ => merged.push(span),
            }
        }
        credentials.sort();
        credentials.dedup();
        Secrets {
            masked: merged,
            credentials,
        }
    }

    /// Adds another set (other files, or more spans of the same).
    pub fn extend(&mut self, other: Secrets) {
        let masked = std::mem::take(&mut self.masked);
        let credentials = std::mem::take(&mut self.credentials);
        *self = Secrets::new(
            masked.into_iter().chain(other.masked).collect(),
            credentials.into_iter().chain(other.credentials).collect(),
        );
    }

    /// Every masked span and every credential expression, each sorted.
    pub(crate) fn spans(&self) -> (&[Span], &[Span]) {
        (&self.masked, &self.credentials)
    }

    /// The masked spans of one file, in order.
    pub fn masked_in(&self, file: FileId) -> &[Span] {
        let start = self.masked.partition_point(|s| s.file < file);
        let end = self.masked.partition_point(|s| s.file <= file);
        &self.masked[start..end]
    }

    /// Whether any text of `span` (or, for an empty span, the character at
    /// it) may be secret.
    pub fn is_masked(&self, span: Span) -> bool {
        // The first masked span that ends after `span` starts, in its file
        // or a later one (the spans are sorted and disjoint, so their ends
        // are sorted too): one search, for a test made for every value.
        let i = self
            .masked
            .partition_point(|s| (s.file, s.end) <= (span.file, span.start));
        self.masked
            .get(i)
            .is_some_and(|s| s.file == span.file && s.start < span.end.max(span.start + 1))
    }

    /// How secret the value of the expression written at `span` is, by
    /// where it was written alone.
    pub fn secrecy_at(&self, span: Span) -> Secrecy {
        if self.credentials.binary_search(&span).is_ok() {
            Secrecy::Credential
        } else if self.is_masked(span) {
            Secrecy::Secret
        } else {
            Secrecy::Public
        }
    }
}

/// Where .pool files (each with its id and text) may hold secrets: found
/// on the syntax tree of what parsed, and, in a file with an item that did
/// not, line by line in the whole file (a broken item may use a `let` of
/// the rest, and the rest may be what the broken item makes secret).
pub fn find<'f>(
    files: &[(FileId, &str, &'f File)],
    lookup: positions::LookupLet<'_, 'f>,
) -> Secrets {
    let trees: Vec<(FileId, &File)> = files.iter().map(|&(id, _, file)| (id, file)).collect();
    let mut secrets = positions::find(&trees, lookup);
    let broken = files.iter().filter(|(_, _, file)| !file.skipped.is_empty());
    let lines = broken.flat_map(|&(id, text, _)| lines::spans(text, id));
    secrets.extend(Secrets::new(lines.collect(), Vec::new()));
    secrets
}

/// What a name (of an attribute, block, object key, values key or env
/// variable) says about the value written under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// `credentials`, or something close: a body of credentials.
    Credentials,
    /// A token, a private key, a password, or a credential variable
    /// (`SPACELIFT_TOKEN`): the value is a secret.
    Credential,
}

/// Parts of a name that make its value a secret (names are compared
/// without case, `_`, `-` or `.`).
const CREDENTIAL_WORDS: [&str; 5] = ["token", "privatekey", "password", "passwd", "apikey"];

/// Names whose misspellings count too: `token`, `private_key` and the
/// credential variables (`SPACELIFT_TOKEN`, `SPACELIFT_POOL_PRIVATE_KEY`).
const CREDENTIAL_NAMES: [&str; 4] = [
    "token",
    "privatekey",
    "spacelifttoken",
    "spaceliftpoolprivatekey",
];

/// What `name` says about its value, erring on the side of secrecy: close
/// misspellings count. (Called for every key of a site: it allocates one
/// string and compares lengths before distances.)
pub fn key_kind(name: &str) -> Option<KeyKind> {
    let normal: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if normal.starts_with("cred") || close(&normal, "credentials") {
        return Some(KeyKind::Credentials);
    }
    let credential = CREDENTIAL_WORDS.iter().any(|w| normal.contains(w))
        || CREDENTIAL_NAMES.iter().any(|c| close(&normal, c));
    credential.then_some(KeyKind::Credential)
}

/// Whether `normal` is `candidate` or a misspelling of it: at most a third
/// of its length of edits away, as did-you-mean counts.
fn close(normal: &str, candidate: &str) -> bool {
    let threshold = (normal.len() / 3).max(1);
    normal.len().abs_diff(candidate.len()) <= threshold
        && letters_apart(normal, candidate) <= threshold
        && strsim::osa_distance(normal, candidate) <= threshold
}

/// A lower bound of the edit distance between two names, a tenth of its
/// cost (every key of a site is compared): the larger of the numbers of
/// letters each has that the other lacks, as an edit adds or removes at
/// most one of each and swapping two changes none. Zero for names that
/// are not ASCII, where a letter is several bytes.
fn letters_apart(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i32; 128];
    a.bytes().for_each(|byte| counts[usize::from(byte)] += 1);
    b.bytes().for_each(|byte| counts[usize::from(byte)] -= 1);
    let only_a: i32 = counts.iter().filter(|c| **c > 0).sum();
    let only_b: i32 = counts.iter().filter(|c| **c < 0).map(|c| -c).sum();
    usize::try_from(only_a.max(only_b)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn letters_apart_is_never_more_than_the_edit_distance() {
        let names = [
            "token",
            "tokn",
            "otken",
            "privatekey",
            "privtaekey",
            "spacelifttoken",
        ];
        let more = [
            "image",
            "replicas",
            "spaceliftpoolprivatekey",
            "ékey",
            "tökén",
            "",
        ];
        for a in names.iter().chain(&more) {
            for b in names.iter().chain(&more) {
                let bound = super::letters_apart(a, b);
                assert!(bound <= strsim::osa_distance(a, b), "{a} {b}");
            }
        }
        assert_eq!(super::letters_apart("token", "image"), 4);
        assert_eq!(super::letters_apart("token", "otken"), 0);
    }

    #[test]
    fn names_of_credentials_and_their_misspellings_are_known() {
        use KeyKind::*;
        for (name, kind) in [
            ("credentials", Some(Credentials)),
            ("credentails", Some(Credentials)),
            ("crdentials", Some(Credentials)),
            ("creds", Some(Credentials)),
            ("token", Some(Credential)),
            ("tokn", Some(Credential)),
            ("private_key", Some(Credential)),
            ("privateKey", Some(Credential)),
            ("privat_key", Some(Credential)),
            ("SPACELIFT_TOKEN", Some(Credential)),
            ("SPACELIFT_TOKN", Some(Credential)),
            ("SPACELIFT_POOL_PRIVATE_KEY", Some(Credential)),
            ("DB_PASSWORD", Some(Credential)),
            ("key", None),
            ("secretKeyRef", None),
            ("image", None),
            ("SPACELIFT_DEBUG", None),
            ("labels", None),
        ] {
            assert_eq!(key_kind(name), kind, "{name}");
        }
    }

    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span::new(FileId(0), start, end)
    }

    #[test]
    fn overlapping_spans_merge_and_queries_see_any_overlap() {
        let secrets = Secrets::new(vec![span(10, 20), span(15, 25), span(40, 41)], vec![]);
        assert_eq!(secrets.masked_in(FileId(0)), &[span(10, 25), span(40, 41)]);
        assert!(secrets.is_masked(span(0, 11)));
        assert!(secrets.is_masked(span(24, 30)));
        assert!(!secrets.is_masked(span(25, 40)));
        assert!(secrets.is_masked(span(40, 40)), "an empty span at a secret");
        assert!(!secrets.is_masked(span(41, 41)));
        assert!(!secrets.is_masked(Span::new(FileId(1), 10, 20)));
        // Several files: a span is masked by its own file's secrets only.
        let in_file = |file, start, end| Span::new(FileId(file), start, end);
        let secrets = Secrets::new(vec![in_file(0, 50, 60), in_file(2, 5, 8)], vec![]);
        assert!(secrets.is_masked(in_file(0, 55, 56)));
        assert!(!secrets.is_masked(in_file(1, 55, 56)));
        assert!(!secrets.is_masked(in_file(1, 5, 8)));
        assert!(secrets.is_masked(in_file(2, 0, 6)));
        assert!(secrets.is_masked(in_file(2, 7, 7)));
        assert!(!secrets.is_masked(in_file(2, 8, 8)));
        assert!(!secrets.is_masked(in_file(0, 60, 70)));
    }

    #[test]
    fn secrecy_is_credential_only_for_the_exact_expression() {
        let call = span(8, 30);
        let secrets = Secrets::new(vec![span(50, 60)], vec![call, span(50, 60)]);
        assert_eq!(secrets.secrecy_at(call), Secrecy::Credential);
        // The variable's name inside env("...") is not a secret.
        assert_eq!(secrets.secrecy_at(span(12, 20)), Secrecy::Public);
        assert_eq!(secrets.secrecy_at(span(50, 60)), Secrecy::Credential);
        assert_eq!(secrets.secrecy_at(span(52, 55)), Secrecy::Secret);
        assert!(Secrecy::Credential > Secrecy::Secret && Secrecy::Secret > Secrecy::Read);
    }
}
