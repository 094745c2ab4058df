//! The credentials poolc writes into the pool's Secret, checked as the
//! launcher will read them: a token without whitespace, and base64 of the
//! whole PEM private key on one line. A token and a key written in each
//! other's place are said to be so. No message quotes either value.

use crate::diagnostics::{ChartProblem, Diagnostics};
use crate::model::Secret;
use crate::syntax::span::Spanned;
use base64::Engine as _;

pub fn check(token: &Spanned<Secret>, key: &Spanned<Secret>, diagnostics: &mut Diagnostics) {
    check_token(token, diagnostics);
    check_private_key(key, &token.value, diagnostics);
}

fn check_token(token: &Spanned<Secret>, diagnostics: &mut Diagnostics) {
    let text = token.value.text.as_str();
    if text.is_empty() {
        diagnostics.push(ChartProblem::EmptyCredential {
            span: token.span,
            which: "token",
        });
    } else if is_private_key(text) {
        diagnostics.push(ChartProblem::TokenIsKey { span: token.span });
    } else if text.contains(char::is_whitespace) {
        diagnostics.push(ChartProblem::TokenWhitespace {
            span: token.span,
            written: token.value.written,
        });
    }
}

/// The launcher wants base64 of the whole PEM file, on one line.
fn check_private_key(key: &Spanned<Secret>, token: &Secret, diagnostics: &mut Diagnostics) {
    let text = key.value.text.as_str();
    let span = key.span;
    let problem = if text.is_empty() {
        ChartProblem::EmptyCredential {
            span,
            which: "private key",
        }
    } else if text == token.text || is_token(text) {
        ChartProblem::KeyIsToken { span }
    } else if text.trim_start().starts_with("-----BEGIN") {
        ChartProblem::PrivateKeyIsPem { span }
    } else if text.trim_end().contains(['\n', '\r']) {
        ChartProblem::PrivateKeyNotBase64 {
            span,
            reason: "has line breaks",
        }
    } else {
        match decode(text) {
            None => ChartProblem::PrivateKeyNotBase64 {
                span,
                reason: "not base64",
            },
            Some(decoded) if is_pem_private_key(&decoded) => return,
            Some(_) => ChartProblem::PrivateKeyNotPemKey { span },
        }
    };
    diagnostics.push(problem);
}

fn decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
}

/// A PEM private key, raw or in base64: what `private_key` takes.
fn is_private_key(text: &str) -> bool {
    is_pem_private_key(text.as_bytes()) || decode(text).is_some_and(|d| is_pem_private_key(&d))
}

/// What a worker pool token looks like: base64 of its JSON configuration.
fn is_token(text: &str) -> bool {
    decode(text).is_some_and(|decoded| {
        let decoded = String::from_utf8_lossy(&decoded);
        let decoded = decoded.trim();
        decoded.starts_with('{') && decoded.ends_with('}')
    })
}

fn is_pem_private_key(decoded: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(decoded) else {
        return false;
    };
    let text = text.trim_start();
    text.starts_with("-----BEGIN ")
        && text.contains("PRIVATE KEY-----")
        && text.contains("-----END ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::model::Written;
    use crate::syntax::span::{FileId, Span};

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";

    fn secret(text: &str) -> Spanned<Secret> {
        Spanned::new(
            Secret {
                text: text.into(),
                written: Written::Computed,
            },
            Span::new(FileId(0), 0, 1),
        )
    }

    fn codes(token: &str, key: &str) -> Vec<Code> {
        let mut d = Diagnostics::default();
        check(&secret(token), &secret(key), &mut d);
        d.into_sorted().into_iter().map(|d| d.code).collect()
    }

    fn b64(text: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    #[test]
    fn good_credentials_pass() {
        assert_eq!(codes(&b64("{\"pool\": 1}"), &b64(PEM)), []);
    }

    #[test]
    fn swapped_credentials_are_named() {
        let token = b64("{\"pool\": 1}");
        assert_eq!(codes(&b64(PEM), &token), [Code::CredentialsSwapped; 2]);
        assert_eq!(codes(PEM, &b64(PEM)), [Code::CredentialsSwapped]);
        assert_eq!(codes("abc", "abc"), [Code::CredentialsSwapped]);
    }

    #[test]
    fn the_older_checks_still_apply() {
        assert_eq!(codes("a b", &b64(PEM)), [Code::TokenWhitespace]);
        assert_eq!(codes("t", PEM), [Code::PrivateKeyIsPem]);
        assert_eq!(codes("t", "not base64!"), [Code::PrivateKeyNotBase64]);
        assert_eq!(codes("t", &b64("hello")), [Code::PrivateKeyNotPemKey]);
        assert_eq!(
            codes("", ""),
            [Code::EmptyCredential, Code::EmptyCredential]
        );
    }
}
