//! Where a values file may hold secrets, found on its tree before any
//! problem is worded: the values under `credentials` (or a key like it),
//! under any key that names a credential (`token`, `privateKey`,
//! `SPACELIFT_TOKEN`, see `secrets::key_kind`), and the `value` of every
//! env entry, in any container, whose `name` is a credential variable. A
//! file that is not YAML is judged line by line (`secrets::lines`).

use super::yaml::{Node, NodeKind};
use crate::secrets::{KeyKind, key_kind};
use crate::syntax::span::Span;

/// The spans of the values file `node` that may hold secrets.
pub fn find(node: &Node) -> Vec<Span> {
    let mut found = Vec::new();
    search(node, &mut found);
    found
}

/// A node that is not secret itself, with credentials perhaps inside.
fn search(node: &Node, found: &mut Vec<Span>) {
    match &node.kind {
        NodeKind::Map(entries) if is_env_entry(node) => {
            for (key, value) in entries {
                if key.name != "name" && key.name != "valueFrom" {
                    secret(value, found);
                }
            }
        }
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                match key_kind(&key.name) {
                    Some(KeyKind::Credentials) => credentials(value, found),
                    Some(KeyKind::Credential) => secret(value, found),
                    None => search(value, found),
                }
            }
        }
        NodeKind::List(items) => items.iter().for_each(|i| search(i, found)),
        _ => {}
    }
}

/// `credentials:`: its `token` and `privateKey`, and anything else but
/// `create`, are secret, other keys' names included (but for misspellings
/// of theirs, `tokn`: a token written as a key is not that close to one).
fn credentials(node: &Node, found: &mut Vec<Span>) {
    let NodeKind::Map(entries) = &node.kind else {
        return secret(node, found);
    };
    for (key, value) in entries {
        match key.name.as_str() {
            "create" => {}
            "token" | "privateKey" => secret(value, found),
            _ => {
                if key_kind(&key.name) != Some(KeyKind::Credential) {
                    found.push(key.span);
                }
                secret(value, found);
            }
        }
    }
}

/// Every scalar and key of a secret value.
fn secret(node: &Node, found: &mut Vec<Span>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                found.push(key.span);
                secret(value, found);
            }
        }
        NodeKind::List(items) => items.iter().for_each(|i| secret(i, found)),
        _ => found.push(node.span),
    }
}

/// `{name: SPACELIFT_TOKEN, value: ...}`, or a name like one.
fn is_env_entry(node: &Node) -> bool {
    node.get("name")
        .and_then(Node::text)
        .is_some_and(|name| key_kind(name) == Some(KeyKind::Credential))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::span::FileId;

    fn masked(text: &str) -> Vec<&str> {
        let node = super::super::yaml::read(text, FileId(0)).unwrap();
        let mut spans = find(&node);
        spans.sort();
        spans.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn credentials_and_credential_variables_are_found_in_any_container() {
        let values = [
            "credentials:",
            "  create: false",
            "  token: s1",
            "  tokn: s2",
            "  k0: s6",
            "launcher:",
            "  extraEnv:",
            "  - {name: SPACELIFT_TOKEN, value: s3}",
            "  - {name: A, value: a}",
            "dind:",
            "  extraEnv:",
            "  - name: SPACELIFT_POOL_PRIVATE_KEY",
            "    value: s4",
            "extraContainers:",
            "- name: x",
            "  env: [{name: SPACELIFT_TOKN, value: s5}]",
            "replicaCount: 2\n",
        ]
        .join("\n");
        // A misspelt key is kept; any other (a token, perhaps) is not.
        assert_eq!(masked(&values), ["s1", "s2", "k0", "s6", "s3", "s4", "s5"]);
    }

    #[test]
    fn misspelt_credentials_and_token_keys_anywhere_are_found() {
        let values = "credentails:\n  token: s1\nextraLabels:\n  api-token: s2\n";
        assert_eq!(masked(values), ["s1", "s2"]);
    }
}
