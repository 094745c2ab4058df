//! Reading the chart's values as Helm does: keys the chart does not have
//! (a typo is reported with a did-you-mean, where Helm silently ignores
//! it), Helm's merge of several values files, and Go templates' idea of
//! true.

use super::yaml::{Node, NodeKind};
use crate::chart::values::Known;
use crate::diagnostics::{ImportProblem, Quoted};
use crate::secrets::Secrets;
use crate::semantics::suggest::suggest;

/// Reports every key the chart does not have (quoted unless it may be
/// secret), and maps where the chart has a map.
pub fn check_keys(
    node: &Node,
    known: &Known,
    path: &str,
    secrets: &Secrets,
    problems: &mut Vec<ImportProblem>,
) {
    let Known::Map(keys) = known else {
        return;
    };
    let NodeKind::Map(entries) = &node.kind else {
        if !matches!(node.kind, NodeKind::Null) {
            problems.push(ImportProblem::ValuesType {
                span: node.span,
                // Only the chart's own keys lead here.
                value: Quoted::public(if path.is_empty() { "the values" } else { path }),
                expected: "a map",
                found: node.describe(),
            });
        }
        return;
    };
    for (key, value) in entries {
        let qualified = if path.is_empty() {
            key.name.clone()
        } else {
            format!("{path}.{}", key.name)
        };
        match keys.iter().find(|(name, _)| *name == key.name) {
            Some((_, known)) => check_keys(value, known, &qualified, secrets, problems),
            None => problems.push(ImportProblem::UnknownValue {
                span: key.span,
                key: Quoted::written(qualified, key.span, secrets),
                suggestion: suggest(&key.name, keys.iter().map(|(name, _)| *name))
                    .map(Quoted::public),
            }),
        }
    }
}

/// Helm's merge of values files given with `-f`: a later file wins, maps
/// are merged key by key, anything else (lists too) is replaced.
pub fn merge(base: Node, over: Node) -> Node {
    match (base.kind, over.kind) {
        (NodeKind::Map(mut entries), NodeKind::Map(overrides)) => {
            for (key, value) in overrides {
                match entries.iter().position(|(k, _)| k.name == key.name) {
                    Some(i) => {
                        let (_, old) = entries.remove(i);
                        entries.insert(i, (key, merge(old, value)));
                    }
                    None => entries.push((key, value)),
                }
            }
            Node {
                kind: NodeKind::Map(entries),
                span: over.span,
                reread: None,
            }
        }
        (_, kind) => Node { kind, ..over },
    }
}

/// Whether `{{ if VALUE }}` takes the branch: false, 0, null and empty
/// strings, lists and maps are false; anything else is true.
pub fn truthy(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Bool(b) => *b,
        NodeKind::Number(n) => *n != 0.0,
        _ => !node.is_unset(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::VALUES;
    use crate::import::yaml::read;
    use crate::syntax::span::FileId;

    fn values(text: &str) -> Node {
        read(text, FileId(0)).unwrap()
    }

    #[test]
    fn later_files_win_maps_merge_lists_are_replaced() {
        let base = values("a: 1\nm: {p: 1, q: 2}\nl: [1, 2]\n");
        let over = values("m: {q: 3, r: 4}\nl: [5]\nb: 2\n");
        let merged = merge(base, over);
        let get = |path: &[&str]| merged.at(path).unwrap().kind.clone();
        assert_eq!(get(&["a"]), NodeKind::Number(1.0));
        assert_eq!(get(&["m", "p"]), NodeKind::Number(1.0));
        assert_eq!(get(&["m", "q"]), NodeKind::Number(3.0));
        assert_eq!(get(&["m", "r"]), NodeKind::Number(4.0));
        assert!(matches!(get(&["l"]), NodeKind::List(items) if items.len() == 1));
        assert_eq!(get(&["b"]), NodeKind::Number(2.0));
    }

    #[test]
    fn go_templates_truth() {
        let node = values("a: false\nb: 0\nc: \"\"\nd: \"false\"\ne: []\nf: 1\n");
        let truth: Vec<bool> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|k| truthy(node.get(k).unwrap()))
            .collect();
        assert_eq!(truth, [false, false, false, true, false, true]);
    }

    #[test]
    fn unknown_keys_get_a_suggestion_at_their_level() {
        let mut problems = Vec::new();
        let node = values("replicaCont: 1\nlauncher:\n  image:\n    tga: v1\n");
        check_keys(&node, &VALUES, "", &Secrets::default(), &mut problems);
        let found: Vec<(String, Option<String>)> = problems
            .into_iter()
            .map(|p| match p {
                ImportProblem::UnknownValue {
                    key, suggestion, ..
                } => (key.to_string(), suggestion.map(|s| s.to_string())),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            found,
            [
                ("replicaCont".to_string(), Some("replicaCount".to_string())),
                ("launcher.image.tga".to_string(), Some("tag".to_string())),
            ]
        );
    }
}
