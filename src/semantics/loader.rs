//! Loading a site: the root file and, transitively, every file it imports,
//! each read (through the [`Host`]) and parsed once. Import cycles are
//! reported at the `import` that closes them.

use crate::diagnostics::{Diagnostics, NameProblem, Quoted};
use crate::source::{Host, SourceMap, describe_io};
use crate::syntax::ast::{File, Item};
use crate::syntax::span::{FileId, Span};
use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The parsed files of a site.
pub struct Program {
    pub sources: SourceMap,
    /// Parsed syntax, by file id (without the items that did not parse).
    pub files: Vec<File>,
    /// Each file's imports that loaded, in source order, with the span of
    /// the `import` item.
    pub imports: Vec<Vec<(FileId, Span)>>,
    /// Imports that could not be read: a change to them can mend the site.
    pub unreadable: Vec<PathBuf>,
    /// By file id: whether one of its imports failed (unreadable, not a
    /// .pool file, or closing a cycle), so that it may miss definitions.
    pub failed_imports: Vec<bool>,
}

impl Program {
    pub fn root(&self) -> FileId {
        FileId(0)
    }

    pub fn file(&self, id: FileId) -> &File {
        &self.files[id.0 as usize]
    }
}

/// Loads `root` and its imports. An unreadable root is an I/O error for the
/// front-end to report; everything else becomes a diagnostic.
pub fn load(root: &Path, host: &dyn Host, diagnostics: &mut Diagnostics) -> io::Result<Program> {
    let text = read_text(host, root)?;
    let canonical = host.canonicalize(root)?;
    let mut loader = Loader {
        host,
        program: Program {
            sources: SourceMap::default(),
            files: Vec::new(),
            imports: Vec::new(),
            unreadable: Vec::new(),
            failed_imports: Vec::new(),
        },
        by_path: HashMap::new(),
        stack: Vec::new(),
        diagnostics,
    };
    let name = display_name(root);
    loader.add(name, canonical, text);
    Ok(loader.program)
}

fn read_text(host: &dyn Host, path: &Path) -> io::Result<String> {
    let bytes = host.read(path)?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

struct Loader<'h, 'd> {
    host: &'h dyn Host,
    program: Program,
    by_path: HashMap<PathBuf, FileId>,
    /// Files being loaded, outermost first, to detect cycles.
    stack: Vec<FileId>,
    diagnostics: &'d mut Diagnostics,
}

impl Loader<'_, '_> {
    fn add(&mut self, name: String, canonical: PathBuf, text: String) -> FileId {
        let id = self
            .program
            .sources
            .add(name, canonical.clone(), text.into());
        self.by_path.insert(canonical, id);
        let text = self.program.sources.get(id).text.clone();
        let parsed = crate::syntax::parse(&text, id, self.diagnostics);
        let import_items: Vec<(String, Span)> = parsed
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Import(i) => Some((i.path.value.clone(), i.path.span)),
                _ => None,
            })
            .collect();
        self.program.files.push(parsed);
        self.program.imports.push(Vec::new());
        self.program.failed_imports.push(false);
        self.stack.push(id);
        for (path, span) in import_items {
            match self.import(id, &path, span) {
                Some(imported) => self.program.imports[id.0 as usize].push((imported, span)),
                None => self.program.failed_imports[id.0 as usize] = true,
            }
        }
        self.stack.pop();
        id
    }

    fn import(&mut self, importer: FileId, path: &str, span: Span) -> Option<FileId> {
        if Path::new(path).extension().is_none_or(|e| e != "pool") {
            self.diagnostics.push(NameProblem::ImportNotPool {
                span,
                path: Quoted::public(path),
            });
            return None;
        }
        let from = self.program.sources.get(importer);
        let fs_path = from.path.parent().unwrap_or(Path::new("")).join(path);
        let name = display_name(
            &Path::new(&from.name)
                .parent()
                .unwrap_or(Path::new(""))
                .join(path),
        );
        let unreadable = |error: io::Error| NameProblem::ImportUnreadable {
            span,
            path: Quoted::public(path),
            error: Quoted::public(describe_io(&error)),
        };
        let canonical = match self.host.canonicalize(&fs_path) {
            Ok(c) => c,
            Err(e) => {
                self.diagnostics.push(unreadable(e));
                self.program.unreadable.push(fs_path);
                return None;
            }
        };
        if let Some(&existing) = self.by_path.get(&canonical) {
            if let Some(position) = self.stack.iter().position(|&f| f == existing) {
                let mut cycle: Vec<Quoted> = self.stack[position..]
                    .iter()
                    .map(|&f| Quoted::public(&self.program.sources.get(f).name))
                    .collect();
                cycle.push(Quoted::public(&self.program.sources.get(existing).name));
                self.diagnostics
                    .push(NameProblem::ImportCycle { span, cycle });
                return None;
            }
            return Some(existing);
        }
        match read_text(self.host, &fs_path) {
            Ok(text) => Some(self.add(name, canonical, text)),
            Err(e) => {
                self.diagnostics.push(unreadable(e));
                self.program.unreadable.push(fs_path);
                None
            }
        }
    }
}

/// A path as the user would write it: `.` and `..` resolved lexically,
/// '/' separators, so diagnostics look the same everywhere.
pub fn display_name(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..".into());
                }
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_lexically_normalised() {
        assert_eq!(
            display_name(Path::new("./examples/../site.pool")),
            "site.pool"
        );
        assert_eq!(display_name(Path::new("a/./b/../c.pool")), "a/c.pool");
        assert_eq!(display_name(Path::new("../x.pool")), "../x.pool");
        assert_eq!(display_name(Path::new("/etc/../x.pool")), "/x.pool");
    }
}
