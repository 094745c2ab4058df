//! Name resolution. Each file sees its own `let`s and templates and those of
//! the files it imports directly (not transitively). The site's pools are
//! the root file's and its imports', in source order: an imported file's
//! pools come where it is first imported.

use super::loader::Program;
use crate::diagnostics::{Diagnostics, NameProblem, Quoted, TemplateHint};
use crate::syntax::ast::{Definition, Item, Let, SkippedKind};
use crate::syntax::span::{FileId, Span};
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, Debug)]
pub struct LetRef<'p> {
    pub file: FileId,
    pub binding: &'p Let,
}

#[derive(Clone, Copy, Debug)]
pub struct DefRef<'p> {
    pub file: FileId,
    pub def: &'p Definition,
}

impl DefRef<'_> {
    pub fn name(&self) -> &str {
        &self.def.name.value
    }
}

pub struct Scopes<'p> {
    lets: Vec<HashMap<&'p str, LetRef<'p>>>,
    templates: Vec<HashMap<&'p str, DefRef<'p>>>,
    /// By file: what it may define or import that could not be read.
    gaps: Vec<Gaps>,
    /// Every pool of the site, in order.
    pub pools: Vec<DefRef<'p>>,
    /// Every template of the site, in file order.
    pub all_templates: Vec<DefRef<'p>>,
    /// Each file's name, as the user would write it.
    file_names: Vec<&'p str>,
}

/// Definitions a file may see that poolc could not read: the names of
/// `let`s and templates that did not parse, or anything at all after an
/// import that failed or an item whose name could not be read. A name
/// missing for these reasons is not reported: its definition's problem is.
#[derive(Default)]
struct Gaps {
    any: bool,
    lets: HashSet<String>,
    templates: HashSet<String>,
}

impl Gaps {
    /// The gaps of a file's own items.
    fn own(program: &Program, file: FileId) -> Gaps {
        let mut gaps = Gaps::default();
        for skipped in &program.file(file).skipped {
            match (skipped.kind, &skipped.name) {
                (SkippedKind::Let, Some(name)) => {
                    gaps.lets.insert(name.clone());
                }
                (SkippedKind::Template, Some(name)) => {
                    gaps.templates.insert(name.clone());
                }
                (SkippedKind::Pool, _) => {}
                _ => gaps.any = true,
            }
        }
        gaps
    }

    fn add(&mut self, other: &Gaps) {
        self.any |= other.any;
        self.lets.extend(other.lets.iter().cloned());
        self.templates.extend(other.templates.iter().cloned());
    }
}

/// A file's own definitions.
struct Own<'p> {
    lets: Vec<LetRef<'p>>,
    templates: Vec<DefRef<'p>>,
}

impl<'p> Scopes<'p> {
    pub fn build(program: &'p Program, diagnostics: &mut Diagnostics) -> Scopes<'p> {
        let own: Vec<Own<'p>> = (0..program.files.len())
            .map(|i| own_definitions(program, FileId(i as u32), diagnostics))
            .collect();
        let own_gaps: Vec<Gaps> = (0..program.files.len())
            .map(|i| Gaps::own(program, FileId(i as u32)))
            .collect();
        let mut scopes = Scopes {
            lets: Vec::new(),
            templates: Vec::new(),
            gaps: Vec::new(),
            file_names: (0..program.files.len())
                .map(|i| program.sources.get(FileId(i as u32)).name.as_str())
                .collect(),
            pools: Vec::new(),
            all_templates: own
                .iter()
                .flat_map(|o| o.templates.iter().copied())
                .collect(),
        };
        for (index, imports) in program.imports.iter().enumerate() {
            let mut lets = HashMap::new();
            let mut templates = HashMap::new();
            let sources = std::iter::once((index, None)).chain(imports.iter().map(|(f, span)| {
                (
                    f.0 as usize,
                    Some((*span, program.sources.get(*f).name.as_str())),
                )
            }));
            for (source, import) in sources {
                for binding in &own[source].lets {
                    declare(&mut lets, *binding, import, diagnostics);
                }
                for def in &own[source].templates {
                    declare(&mut templates, *def, import, diagnostics);
                }
            }
            scopes.lets.push(lets);
            scopes.templates.push(templates);
            let mut gaps = Gaps {
                any: program.failed_imports[index],
                ..Gaps::default()
            };
            gaps.add(&own_gaps[index]);
            for (imported, _) in imports {
                gaps.add(&own_gaps[imported.0 as usize]);
            }
            scopes.gaps.push(gaps);
        }
        scopes.collect_pools(program, diagnostics);
        scopes
    }

    pub fn lookup_let(&self, file: FileId, name: &str) -> Option<LetRef<'p>> {
        self.lets[file.0 as usize].get(name).copied()
    }

    pub fn lookup_template(&self, file: FileId, name: &str) -> Option<DefRef<'p>> {
        self.templates[file.0 as usize].get(name).copied()
    }

    /// Whether a `let` of this name may be defined where poolc could not
    /// read it (so that its absence is not an error of its own).
    pub fn may_define_let(&self, file: FileId, name: &str) -> bool {
        let gaps = &self.gaps[file.0 as usize];
        gaps.any || gaps.lets.contains(name)
    }

    pub fn may_define_template(&self, file: FileId, name: &str) -> bool {
        let gaps = &self.gaps[file.0 as usize];
        gaps.any || gaps.templates.contains(name)
    }

    /// What a template name that `file` cannot see is: a pool's name, or a
    /// template of a file it does not import.
    pub fn template_hint(&self, file: FileId, name: &str) -> TemplateHint {
        if self.pools.iter().any(|p| p.name() == name) {
            return TemplateHint::Pool;
        }
        match self.all_templates.iter().find(|t| t.name() == name) {
            Some(t) => {
                let target = self.file_names[t.file.0 as usize];
                TemplateHint::Elsewhere {
                    file: Quoted::public(target),
                    import: Quoted::public(relative(self.file_names[file.0 as usize], target)),
                }
            }
            None => TemplateHint::None,
        }
    }

    /// Names of the `let`s a file can see, for did-you-mean.
    pub fn let_names(&self, file: FileId) -> impl Iterator<Item = &str> {
        self.lets[file.0 as usize].keys().copied()
    }

    pub fn template_names(&self, file: FileId) -> impl Iterator<Item = &str> {
        self.templates[file.0 as usize].keys().copied()
    }

    fn collect_pools(&mut self, program: &'p Program, diagnostics: &mut Diagnostics) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for pool in walk_pools(program) {
            let name = pool.def.name.value.as_str();
            if let Some(previous) = seen.get(name) {
                diagnostics.push(NameProblem::DuplicatePool {
                    span: pool.def.name.span,
                    previous: *previous,
                    name: Quoted::public(name),
                });
                continue;
            }
            seen.insert(name, pool.def.name.span);
            self.pools.push(pool);
        }
    }
}

/// The site's pools in order: each file's own, an imported file's where
/// it is first imported. Walked with a stack of its own, not by recursion,
/// so a chain of imports of any length is walked.
fn walk_pools<'p>(program: &'p Program) -> Vec<DefRef<'p>> {
    let mut order = Vec::new();
    let mut visited = HashSet::from([program.root()]);
    // Files being walked, each with its next item and its next loaded import.
    let mut stack = vec![(program.root(), 0, 0)];
    while let Some((file, next_item, next_import)) = stack.last_mut() {
        let file = *file;
        let items = &program.file(file).items;
        let Some(item) = items.get(*next_item) else {
            stack.pop();
            continue;
        };
        *next_item += 1;
        match item {
            Item::Pool(def) => order.push(DefRef { file, def }),
            Item::Import(import) => {
                let loaded = &program.imports[file.0 as usize][*next_import..];
                // An import that did not load has no entry.
                if let Some(k) = loaded.iter().position(|(_, s)| *s == import.path.span) {
                    *next_import += k + 1;
                    let imported = loaded[k].0;
                    if visited.insert(imported) {
                        stack.push((imported, 0, 0));
                    }
                }
            }
            _ => {}
        }
    }
    order
}

/// The path of `to` from the folder of `from` (both as the user writes
/// them, from the same folder): what `from` would import.
fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let to: Vec<&str> = to.split('/').collect();
    let folder = &from[..from.len() - 1];
    let common = folder.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let up = std::iter::repeat_n("..", folder.len() - common);
    up.chain(to[common..].iter().copied())
        .collect::<Vec<_>>()
        .join("/")
}

/// Something with a name that two definitions could share.
trait Named<'p>: Copy {
    const KIND: &'static str;
    fn name(&self) -> &'p str;
    fn name_span(&self) -> Span;
}

impl<'p> Named<'p> for LetRef<'p> {
    const KIND: &'static str = "let";
    fn name(&self) -> &'p str {
        &self.binding.name.name
    }
    fn name_span(&self) -> Span {
        self.binding.name.span
    }
}

impl<'p> Named<'p> for DefRef<'p> {
    const KIND: &'static str = "template";
    fn name(&self) -> &'p str {
        &self.def.name.value
    }
    fn name_span(&self) -> Span {
        self.def.name.span
    }
}

/// A file's own `let`s and templates, each name once (a second definition
/// in the same file is reported here, once).
fn own_definitions<'p>(
    program: &'p Program,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Own<'p> {
    let mut own = Own {
        lets: Vec::new(),
        templates: Vec::new(),
    };
    let mut lets = HashMap::new();
    let mut templates = HashMap::new();
    for item in &program.file(file).items {
        match item {
            Item::Let(binding)
                if declare(&mut lets, LetRef { file, binding }, None, diagnostics) =>
            {
                own.lets.push(LetRef { file, binding })
            }
            Item::Template(def)
                if declare(&mut templates, DefRef { file, def }, None, diagnostics) =>
            {
                own.templates.push(DefRef { file, def })
            }
            _ => {}
        }
    }
    own
}

/// Adds a definition to a set of visible names, reporting a clash (at the
/// `import` when an import, given with the imported file's name, brought it
/// in). Returns whether it was added.
fn declare<'p, T: Named<'p>>(
    visible: &mut HashMap<&'p str, T>,
    definition: T,
    import: Option<(Span, &str)>,
    diagnostics: &mut Diagnostics,
) -> bool {
    if let Some(previous) = visible.get(definition.name()) {
        let (kind, name, previous) = (T::KIND, definition.name(), previous.name_span());
        let name = Quoted::public(name);
        diagnostics.push(match import {
            Some((span, path)) => NameProblem::ImportClash {
                span,
                previous,
                kind,
                name,
                path: Quoted::public(path),
            },
            None => NameProblem::DuplicateDefinition {
                span: definition.name_span(),
                previous,
                kind,
                name,
            },
        });
        return false;
    }
    visible.insert(definition.name(), definition);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_relative_to_the_importing_file() {
        assert_eq!(relative("site.pool", "lib/base.pool"), "lib/base.pool");
        assert_eq!(relative("lib/a.pool", "lib/b.pool"), "b.pool");
        assert_eq!(relative("lib/x/a.pool", "lib/b.pool"), "../b.pool");
        assert_eq!(
            relative("teams/a.pool", "shared/t.pool"),
            "../shared/t.pool"
        );
    }
}
