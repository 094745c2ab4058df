//! Reuse: `pool "a" extends "base"`. A pool's effective body is its
//! templates' bodies with its own laid over them: a block merges with the
//! inherited block of the same kind and labels, entry by entry; anything
//! else (an attribute, or a block with other labels) replaces what it
//! inherited, in the inherited position; new entries follow, in order.

use super::scope::{DefRef, Scopes};
use super::suggest::suggest;
use crate::diagnostics::{Diagnostics, NameProblem, Quoted};
use crate::syntax::ast::{Attribute, Block, Body, Entry, Key};
use std::collections::{HashMap, VecDeque};

/// An entry of an effective body.
#[derive(Clone, Debug)]
pub enum Node<'a> {
    Attribute(&'a Attribute),
    Block(MergedBlock<'a>),
}

#[derive(Clone, Debug)]
pub struct MergedBlock<'a> {
    /// The block as last written (its kind and labels).
    pub block: &'a Block,
    pub body: Option<Vec<Node<'a>>>,
}

impl<'a> Node<'a> {
    pub fn key(&self) -> &'a Key {
        match self {
            Node::Attribute(a) => &a.key,
            Node::Block(b) => &b.block.kind,
        }
    }
}

pub fn nodes(body: &Body) -> Vec<Node<'_>> {
    body.entries.iter().map(node).collect()
}

fn node(entry: &Entry) -> Node<'_> {
    match entry {
        Entry::Attribute(a) => Node::Attribute(a),
        Entry::Block(b) => Node::Block(MergedBlock {
            block: b,
            body: b.body.as_ref().map(nodes),
        }),
    }
}

/// Lays `child` over `base`.
pub fn merge<'a>(base: Vec<Node<'a>>, child: &'a Body) -> Vec<Node<'a>> {
    // The inherited entries of each name the child has not overridden yet,
    // in order: a second entry of the same name in the child is a
    // duplicate, kept for the checker to report, not another override.
    let mut inherited: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, n) in base.iter().enumerate() {
        inherited.entry(&n.key().name).or_default().push_back(i);
    }
    let mut result = base;
    for entry in &child.entries {
        let name = entry.name().name.as_str();
        let Some(i) = inherited.get_mut(name).and_then(VecDeque::pop_front) else {
            result.push(node(entry));
            continue;
        };
        result[i] = match (&result[i], entry) {
            (Node::Block(old), Entry::Block(new)) if old.block.labels == new.labels => {
                let body = match (&old.body, &new.body) {
                    (Some(old_body), Some(new_body)) => Some(merge(old_body.clone(), new_body)),
                    (_, new_body) => new_body.as_ref().map(nodes),
                };
                Node::Block(MergedBlock { block: new, body })
            }
            _ => node(entry),
        };
    }
    result
}

/// The definitions a pool is built from, base first: its templates, then
/// itself. `None` when a template is missing or the chain loops.
pub fn chain<'p>(
    definition: DefRef<'p>,
    scopes: &Scopes<'p>,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<DefRef<'p>>> {
    let mut chain = vec![definition];
    let mut current = definition;
    while let Some(parent) = &current.def.extends {
        let Some(template) = scopes.lookup_template(current.file, &parent.value) else {
            if !scopes.may_define_template(current.file, &parent.value) {
                diagnostics.push(NameProblem::UndefinedTemplate {
                    span: parent.span,
                    name: Quoted::public(&parent.value),
                    suggestion: suggest(&parent.value, scopes.template_names(current.file))
                        .map(Quoted::public),
                    hint: scopes.template_hint(current.file, &parent.value),
                });
            }
            return None;
        };
        if let Some(start) = chain.iter().position(|d| std::ptr::eq(d.def, template.def)) {
            diagnostics.push(cycle_problem(&chain[start..]));
            return None;
        }
        chain.push(template);
        current = template;
    }
    chain.reverse();
    Some(chain)
}

/// A cycle of templates is reported once, however it was reached: from
/// its first member by name, at that template's `extends`.
fn cycle_problem(members: &[DefRef]) -> NameProblem {
    let first = (0..members.len())
        .min_by_key(|&i| &members[i].def.name.value)
        .unwrap_or(0);
    let rotated: Vec<&DefRef> = members[first..].iter().chain(&members[..first]).collect();
    let mut cycle: Vec<Quoted> = rotated
        .iter()
        .map(|d| Quoted::public(&d.def.name.value))
        .collect();
    cycle.push(cycle[0].clone());
    let span = rotated[0]
        .def
        .extends
        .as_ref()
        .map_or(rotated[0].def.name.span, |e| e.span);
    NameProblem::ExtendsCycle { span, cycle }
}

/// The effective body of a definition chain.
pub fn effective_body<'p>(chain: &[DefRef<'p>]) -> Vec<Node<'p>> {
    let mut body = Vec::new();
    for definition in chain {
        body = merge(body, &definition.def.body);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::{File, Item};
    use crate::syntax::span::FileId;

    fn bodies(src: &str) -> File {
        let mut d = Diagnostics::default();
        crate::syntax::parse(src, FileId(0), &mut d)
    }

    fn body(file: &File, index: usize) -> &Body {
        match &file.items[index] {
            Item::Pool(d) | Item::Template(d) => &d.body,
            _ => panic!(),
        }
    }

    fn names(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match n {
                Node::Attribute(a) => format!("{}={}", a.key.name, &a.value.span.start),
                Node::Block(b) => format!(
                    "{}[{}]",
                    b.block.kind.name,
                    b.body
                        .as_ref()
                        .map_or(String::new(), |b| names(b).join(","))
                ),
            })
            .collect()
    }

    #[test]
    fn blocks_merge_and_attributes_replace() {
        let src = "template \"t\" {\n  replicas = 1\n  launcher {\n    image = \"a\"\n    debug = \
            true\n  }\n}\npool \"p\" {\n  launcher {\n    image = \"b\"\n  }\n  replicas = 2\n  \
            workload = statefulset\n}\n";
        let file = bodies(src);
        let merged = merge(merge(Vec::new(), body(&file, 0)), body(&file, 1));
        let keys: Vec<&str> = merged.iter().map(|n| n.key().name.as_str()).collect();
        assert_eq!(keys, ["replicas", "launcher", "workload"]);
        let Node::Attribute(replicas) = &merged[0] else {
            panic!()
        };
        assert_eq!(
            replicas.span.start as usize,
            src.find("replicas = 2").unwrap(),
            "the pool's replicas wins, in the template's position"
        );
        let Node::Block(launcher) = &merged[1] else {
            panic!()
        };
        let inner = launcher.body.as_ref().unwrap();
        assert_eq!(inner.len(), 2);
        let Node::Attribute(image) = &inner[0] else {
            panic!()
        };
        assert_eq!(
            image.span.start as usize,
            src.find("image = \"b\"").unwrap(),
            "the pool's image replaces the template's"
        );
    }

    #[test]
    fn block_with_other_labels_replaces() {
        let file = bodies(
            "template \"t\" {\n  storage claim { size = 1Gi }\n}\npool \"p\" {\n  storage \
            ephemeral { size = 2Gi }\n}\n",
        );
        let merged = merge(merge(Vec::new(), body(&file, 0)), body(&file, 1));
        assert_eq!(merged.len(), 1);
        let Node::Block(storage) = &merged[0] else {
            panic!()
        };
        assert_eq!(storage.block.labels[0].value, "ephemeral");
    }

    #[test]
    fn duplicates_in_the_child_survive_for_the_checker() {
        let file = bodies(
            "template \"t\" {\n  replicas = 1\n}\npool \"p\" {\n  replicas = 2\n  replicas = \
            3\n}\n",
        );
        let merged = merge(merge(Vec::new(), body(&file, 0)), body(&file, 1));
        assert_eq!(merged.len(), 2, "{:?}", names(&merged));
    }
}
