//! Where secrets may be written in .pool files that parse, found on their
//! syntax trees, before anything is evaluated.
//!
//! A pool's credentials are the attributes `token` and `private_key` of a
//! pool's or template's `credentials { }` block (not `credentials auto`,
//! which holds a space and a description for the operator to register the
//! pool with), and the `value` of the
//! launcher's `env` entries for `SPACELIFT_TOKEN` and
//! `SPACELIFT_POOL_PRIVATE_KEY`: their values are [`Secrecy::Credential`].
//! Beyond those, wherever and however they are written (a
//! `credentials = { }` object, a misspelt `credentails { }` block, an `env`
//! block, a credential variable in dind or an extra container, a `token`
//! key anywhere, a `let` named like one), values are [`Secrecy::Secret`].
//!
//! In either, every string, number and bare word is masked (so is every
//! object key inside the value, and the name of an unknown function), and
//! a reference to a `let` is followed so the `let`'s own literals are
//! masked too. `env()` and `file()` calls are not masked (they name a
//! variable or a file), but their results in a credential are credentials.

use super::{KeyKind, Secrecy, Secrets, key_kind};
use crate::model::launcher_settings::CREDENTIAL_VARIABLES;
use crate::syntax::ast::{
    Attribute, Block, Body, Entry, Expr, ExprKind, File, Item, Key, Label, Let, StrPart,
};
use crate::syntax::span::{FileId, Span};
use foldhash::{HashMap, HashMapExt as _};

/// The `let` a bare name refers to, as seen from the file it is written in.
pub type LookupLet<'a, 'f> = &'a dyn Fn(FileId, &str) -> Option<&'f Let>;

/// The secret positions of `files` (each with its id).
pub fn find<'f>(files: &[(FileId, &'f File)], lookup: LookupLet<'_, 'f>) -> Secrets {
    let mut finder = Finder {
        lookup,
        masked: Vec::new(),
        credentials: Vec::new(),
        followed: HashMap::new(),
        kinds: HashMap::new(),
    };
    for (_, file) in files {
        for item in &file.items {
            match item {
                Item::Let(binding) => finder.binding(binding),
                Item::Pool(def) | Item::Template(def) => finder.definition(&def.body),
                Item::Import(_) => {}
            }
        }
    }
    Secrets::new(finder.masked, finder.credentials)
}

/// Only the functions that read from outside give text that is not in the
/// source.
const READERS: [&str; 2] = ["env", "file"];
/// Every function of the language: another name in a secret position may
/// be the secret itself, mistaken for a call.
const FUNCTIONS: [&str; 4] = ["env", "file", "base64", "trimspace"];

struct Finder<'a, 'f> {
    lookup: LookupLet<'a, 'f>,
    masked: Vec<Span>,
    credentials: Vec<Span>,
    /// `let`s followed (by the span of their name), with the highest
    /// secrecy they were followed at.
    followed: HashMap<Span, Secrecy>,
    /// What each name says about its value ([`key_kind`]), as found: a site
    /// writes the same few names over and over.
    kinds: HashMap<&'f str, Option<KeyKind>>,
}

impl<'f> Finder<'_, 'f> {
    fn kind(&mut self, name: &'f str) -> Option<KeyKind> {
        *self.kinds.entry(name).or_insert_with(|| key_kind(name))
    }

    /// A `let` named like a credential holds a secret; any other is
    /// searched for credentials written inside its value.
    fn binding(&mut self, binding: &'f Let) {
        match self.kind(&binding.name.name) {
            Some(_) => self.secret(&binding.value, Secrecy::Secret),
            None => self.search(&binding.value),
        }
    }

    /// A pool's or template's body: its `credentials` block and the
    /// launcher's `env` hold the pool's credentials.
    fn definition(&mut self, body: &'f Body) {
        for entry in &body.entries {
            match entry {
                Entry::Block(block) if block.kind.name == "credentials" && is_auto(block) => {
                    let inner = block.body.iter().flat_map(|b| &b.entries);
                    inner.for_each(|e| self.entry(e));
                }
                Entry::Block(block) if block.kind.name == "credentials" => {
                    self.labels(block, true);
                    if let Some(inner) = &block.body {
                        self.credentials_body(&inner.entries, Secrecy::Credential);
                    }
                }
                Entry::Block(block) if block.kind.name == "launcher" => {
                    let Some(inner) = &block.body else { continue };
                    for entry in &inner.entries {
                        match entry {
                            Entry::Attribute(a) if a.key.name == "env" => {
                                self.env(&a.value, Secrecy::Credential)
                            }
                            other => self.entry(other),
                        }
                    }
                }
                other => self.entry(other),
            }
        }
    }

    /// Any entry of a body, at any depth.
    fn entry(&mut self, entry: &'f Entry) {
        match entry {
            Entry::Attribute(attribute) => self.attribute(attribute),
            Entry::Block(block) => {
                let kind = self.kind(&block.kind.name);
                if kind.is_some() {
                    self.labels(block, kind == Some(KeyKind::Credentials));
                }
                let Some(inner) = &block.body else { return };
                match kind {
                    Some(KeyKind::Credentials) => {
                        self.credentials_body(&inner.entries, Secrecy::Secret)
                    }
                    Some(KeyKind::Credential) => self.secret_body(&inner.entries),
                    // An `env` block's variables are attributes too.
                    None => inner.entries.iter().for_each(|e| self.entry(e)),
                }
            }
        }
    }

    /// A block's labels, except `external` and the name of the Secret
    /// after it (`credentials external "name"`), which are not secret.
    fn labels(&mut self, block: &'f Block, credentials: bool) {
        let external = |l: &Label| l.value == "external" && !l.quoted;
        let spans: Vec<Span> = match block.labels.as_slice() {
            [first, ..] if credentials && external(first) && block.labels.len() <= 2 => Vec::new(),
            labels => labels.iter().map(|l| l.span).collect(),
        };
        self.masked.extend(spans);
    }

    /// The entries of a credentials body: `token` and `private_key` hold
    /// credentials (at `secrecy`); anything else written there is secret,
    /// its name included unless it is a misspelling of theirs (`privte_key`:
    /// a token written as a name is not that close to one).
    fn credentials_body(&mut self, entries: &'f [Entry], secrecy: Secrecy) {
        for entry in entries {
            match entry {
                Entry::Attribute(a) if matches!(a.key.name.as_str(), "token" | "private_key") => {
                    self.secret(&a.value, secrecy)
                }
                Entry::Attribute(a) => {
                    self.credential_key(&a.key);
                    self.secret(&a.value, Secrecy::Secret);
                }
                Entry::Block(b) => self.secret_block(b),
            }
        }
    }

    /// A key among credentials: masked unless it names one (or nearly).
    fn credential_key(&mut self, key: &'f Key) {
        if self.kind(&key.name) != Some(KeyKind::Credential) {
            self.masked.push(key.span);
        }
    }

    /// A block among secrets: its kind, labels and body, all masked.
    fn secret_block(&mut self, block: &'f Block) {
        self.masked.push(block.kind.span);
        self.masked.extend(block.labels.iter().map(|l| l.span));
        if let Some(inner) = &block.body {
            self.secret_body(&inner.entries);
        }
    }

    /// Every key and value of a body that is a secret as a whole.
    fn secret_body(&mut self, entries: &'f [Entry]) {
        for entry in entries {
            match entry {
                Entry::Attribute(a) => {
                    self.masked.push(a.key.span);
                    self.secret(&a.value, Secrecy::Secret);
                }
                Entry::Block(b) => self.secret_block(b),
            }
        }
    }

    /// `key = value` in a body or an object (a variable of an `env` block
    /// or object among them).
    fn attribute(&mut self, attribute: &'f Attribute) {
        match (self.kind(&attribute.key.name), attribute.key.name.as_str()) {
            (Some(KeyKind::Credentials), _) => self.credentials_value(&attribute.value),
            (Some(KeyKind::Credential), _) => self.secret(&attribute.value, Secrecy::Secret),
            (None, "env") => self.env(&attribute.value, Secrecy::Secret),
            (None, _) => self.search(&attribute.value),
        }
    }

    /// `credentials = { token = ..., ... }` written as an object (or a
    /// `let` holding one).
    fn credentials_value(&mut self, expr: &'f Expr) {
        match &expr.kind {
            ExprKind::Object(attributes) => {
                for a in attributes {
                    self.credential_key(&a.key);
                    self.secret(&a.value, Secrecy::Secret);
                }
            }
            _ => self.secret(expr, Secrecy::Secret),
        }
    }

    /// An `env` value: a list of entries `{ name = ..., value = ... }` or an
    /// object `{ NAME = "value" }`. The values of credential variables are
    /// secret: credentials (at `exact`) when the name is exactly one.
    fn env(&mut self, expr: &'f Expr, exact: Secrecy) {
        let expr = self.resolve(expr);
        match &expr.kind {
            ExprKind::List(items) => {
                for item in items {
                    self.env_entry(self.resolve(item), exact);
                }
            }
            ExprKind::Object(attributes) => {
                for a in attributes {
                    let secrecy = variable_secrecy(&a.key.name, exact);
                    if secrecy > Secrecy::Public {
                        self.secret(&a.value, secrecy);
                    } else {
                        self.search(&a.value);
                    }
                }
            }
            _ => self.search(expr),
        }
    }

    /// One entry of an env list: when its `name` is a credential variable,
    /// every other field but `valueFrom` is secret (the name of any field
    /// but `value` too).
    fn env_entry(&mut self, item: &'f Expr, exact: Secrecy) {
        let ExprKind::Object(attributes) = &item.kind else {
            return self.search(item);
        };
        let name = attributes
            .iter()
            .find(|a| a.key.name == "name")
            .and_then(|a| literal_text(self.resolve(&a.value)));
        let secrecy = name.map_or(Secrecy::Public, |n| variable_secrecy(&n, exact));
        for a in attributes {
            match a.key.name.as_str() {
                "name" | "valueFrom" => self.search(&a.value),
                "value" if secrecy > Secrecy::Public => self.secret(&a.value, secrecy),
                _ if secrecy > Secrecy::Public => {
                    self.masked.push(a.key.span);
                    self.secret(&a.value, Secrecy::Secret)
                }
                _ => self.attribute(a),
            }
        }
    }

    /// An expression that is not itself secret: credentials may still be
    /// written inside it (an object with a `token` key, a container's
    /// `env`, an env entry kept in a `let`).
    fn search(&mut self, expr: &'f Expr) {
        match &expr.kind {
            ExprKind::Object(attributes) if is_env_entry(attributes) => {
                self.env_entry(expr, Secrecy::Secret)
            }
            ExprKind::Object(attributes) => attributes.iter().for_each(|a| self.attribute(a)),
            ExprKind::List(items) => items.iter().for_each(|i| self.search(i)),
            ExprKind::Call(call) => call.args.iter().for_each(|a| self.search(a)),
            ExprKind::Str(parts) => {
                for part in parts {
                    if let StrPart::Interpolation(inner) = part {
                        self.search(inner);
                    }
                }
            }
            ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Ref(_) => {}
        }
    }

    /// Every literal that can reach the value of `expr`, which is secret:
    /// masked, and, at [`Secrecy::Credential`], a credential.
    fn secret(&mut self, expr: &'f Expr, secrecy: Secrecy) {
        let credential = secrecy == Secrecy::Credential;
        match &expr.kind {
            ExprKind::Str(_) | ExprKind::Number(_) => self.leaf(expr.span, credential),
            ExprKind::Bool(_) => {}
            ExprKind::Ref(ident) => match (self.lookup)(expr.span.file, &ident.name) {
                Some(binding) => self.follow(binding, secrecy),
                // A bare word: perhaps the secret itself, unquoted.
                None => self.leaf(expr.span, credential),
            },
            ExprKind::List(items) => items.iter().for_each(|i| self.secret(i, secrecy)),
            ExprKind::Object(attributes) => {
                for a in attributes {
                    self.masked.push(a.key.span);
                    self.secret(&a.value, secrecy);
                }
            }
            ExprKind::Call(call) => {
                let name = call.function.name.as_str();
                if !FUNCTIONS.contains(&name) {
                    self.masked.push(call.function.span);
                }
                if READERS.contains(&name) && credential {
                    self.credentials.push(expr.span);
                }
                // env's first argument names a variable and file's a path;
                // env's default and the other functions' input are the value.
                let value_args = match name {
                    "env" => call.args.get(1..).unwrap_or_default(),
                    "file" => &[],
                    _ => &call.args,
                };
                value_args.iter().for_each(|a| self.secret(a, secrecy));
            }
        }
        // Interpolations inside a secret string are followed too.
        if let ExprKind::Str(parts) = &expr.kind {
            for part in parts {
                if let StrPart::Interpolation(inner) = part {
                    self.secret(inner, secrecy);
                }
            }
        }
    }

    fn leaf(&mut self, span: Span, credential: bool) {
        self.masked.push(span);
        if credential {
            self.credentials.push(span);
        }
    }

    /// A `let` used where a secret is: its literals are secret too (once
    /// per `let` and secrecy, so cycles end).
    fn follow(&mut self, binding: &'f Let, secrecy: Secrecy) {
        let seen = self.followed.entry(binding.name.span).or_default();
        if *seen >= secrecy {
            return;
        }
        *seen = secrecy;
        self.secret(&binding.value, secrecy);
    }

    /// An expression, through any `let` references.
    fn resolve(&self, mut expr: &'f Expr) -> &'f Expr {
        for _ in 0..16 {
            let ExprKind::Ref(ident) = &expr.kind else {
                break;
            };
            match (self.lookup)(expr.span.file, &ident.name) {
                Some(binding) => expr = &binding.value,
                None => break,
            }
        }
        expr
    }
}

/// How secret the value of the variable `name` is: a credential when it
/// is exactly a credential variable (and `exact` says so), secret when it
/// looks like one.
fn variable_secrecy(name: &str, exact: Secrecy) -> Secrecy {
    if CREDENTIAL_VARIABLES.contains(&name) {
        exact
    } else if key_kind(name).is_some() {
        Secrecy::Secret
    } else {
        Secrecy::Public
    }
}

/// `credentials auto { ... }`: the operator registers the pool itself.
fn is_auto(block: &Block) -> bool {
    matches!(block.labels.as_slice(), [auto] if auto.value == "auto" && !auto.quoted)
}

/// `{ name = "...", value = ... }` with a name like a credential variable.
fn is_env_entry(attributes: &[Attribute]) -> bool {
    // The cheap test first: most objects with a `name` (volumes, mounts)
    // have no `value`.
    attributes.iter().any(|a| a.key.name == "value")
        && attributes.iter().any(|a| {
            a.key.name == "name"
                && literal_text(&a.value).is_some_and(|n| key_kind(&n) == Some(KeyKind::Credential))
        })
}

/// The text of a string without interpolation, or of a bare word.
fn literal_text(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Str(parts) => match parts.as_slice() {
            [StrPart::Text(text, _)] => Some(text.clone()),
            _ => None,
        },
        ExprKind::Ref(ident) => Some(ident.name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    /// The text of each masked span, and of each credential expression, of
    /// one file.
    fn found(text: &str) -> (Vec<&str>, Vec<&str>) {
        let mut diagnostics = Diagnostics::default();
        let file = crate::syntax::parse(text, FileId(0), &mut diagnostics);
        assert!(diagnostics.is_empty(), "parses");
        let lets: HashMap<&str, &Let> = file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Let(l) => Some((l.name.name.as_str(), l)),
                _ => None,
            })
            .collect();
        let lookup = |_: FileId, name: &str| lets.get(name).copied();
        let secrets = find(&[(FileId(0), &file)], &lookup);
        let masked = secrets
            .masked_in(FileId(0))
            .iter()
            .map(|s| &text[s.range()])
            .collect();
        let credentials = secrets
            .credentials
            .iter()
            .map(|s| &text[s.range()])
            .collect();
        (masked, credentials)
    }

    #[test]
    fn credentials_and_the_lets_they_use_are_credentials() {
        let text = "let t = \"tok\"\nlet k = base64(file(\"k.pem\"))\npool \"a\" {\n  \
            credentials {\n    token = t\n    private_key = k\n  }\n  replicas = 2\n}\n";
        let (masked, credentials) = found(text);
        assert_eq!(masked, ["\"tok\""]);
        assert_eq!(credentials, ["\"tok\"", "file(\"k.pem\")"]);
    }

    #[test]
    fn credentials_however_written_are_masked() {
        let (masked, credentials) = found(
            "pool \"a\" {\n  credentials = { token = \"s1\", tokn = s2, k0 = s6 }\n  credentails { \
            private_key = \"s3\" }\n  labels = { token = \"s4\" }\n}\nlet password = 5\n",
        );
        // A misspelt key is kept; any other (a token, perhaps) is not.
        assert_eq!(
            masked,
            ["\"s1\"", "s2", "k0", "s6", "\"s3\"", "\"s4\"", "5"]
        );
        assert!(credentials.is_empty(), "{credentials:?}");
    }

    #[test]
    fn credential_variables_in_any_container_are_masked() {
        let text = "pool \"a\" {\n  credentials external\n  launcher {\n    env = [{ name = \
            \"SPACELIFT_TOKEN\", value = \"s1\" }, { name = \"A\", value = \"a\" }]\n  }\n  \
            dind { env = { SPACELIFT_POOL_PRIVATE_KEY = \"s2\", B = \"b\" } }\n  \
            extra_containers = [{ name = \"x\", env = [{ name = \"SPACELIFT_TOKN\", value = s3 \
            }] }]\n}\n";
        let (masked, credentials) = found(text);
        assert_eq!(masked, ["\"s1\"", "\"s2\"", "s3"]);
        assert_eq!(
            credentials,
            ["\"s1\""],
            "only the launcher's are the pool's"
        );
    }

    #[test]
    fn env_blocks_keys_in_secrets_and_unknown_calls_are_masked() {
        let text = "pool \"a\" {\n  credentials external \"named\"\n  launcher {\n    env { \
            SPACELIFT_TOKEN = \"s1\" }\n  }\n  token = { s2 = 1 }\n}\ntemplate \"t\" {\n  \
            credentials { token = s3(s4) }\n}\n";
        let (masked, credentials) = found(text);
        assert_eq!(masked, ["\"s1\"", "s2", "1", "s3", "s4"]);
        assert_eq!(credentials, ["s4"]);
    }

    #[test]
    fn interpolations_and_heredocs_are_followed_and_masked() {
        let text = "let p = \"pre\"\npool \"a\" {\n  credentials {\n    token = \"${p}-x\"\n    \
            private_key = <<EOT\n    abc\n    EOT\n  }\n}\n";
        let (masked, _) = found(text);
        assert_eq!(masked[0], "\"pre\"");
        assert_eq!(masked[1], "\"${p}-x\"");
        assert!(masked[2].starts_with("<<EOT\n") && masked[2].contains("abc"));
    }
}
