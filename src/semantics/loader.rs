//! Loading a site: the root file and, transitively, every file it imports,
//! each read (through the [`Host`]) and parsed once. Import cycles are
//! reported at the `import` that closes them. Imports are followed with a
//! stack of their own, not by recursion, so a chain of any length loads
//! (the parser needs the thread's stack for itself). An import must lie in
//! an allowed folder ([`Access`]).

use crate::diagnostics::{Diagnostics, NameProblem, Quoted};
use crate::source::{self, Access, Host, MAX_SOURCE_BYTES, SourceMap, Unreadable};
use crate::syntax::ast::{File, Item, Skipped, SkippedKind};
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
    /// .pool file, outside the allowed folders, not UTF-8, or closing a
    /// cycle), so that it may miss definitions.
    pub failed_imports: Vec<bool>,
    /// The folders whose files the site may read (canonical): the root
    /// file's, then those the user allowed.
    pub folders: Vec<PathBuf>,
    /// By file id: its name as the manifests' `# Source:` comments give it
    /// (see [`Program::origin`]), worked out once for all its pools.
    origin_names: Vec<String>,
}

impl Program {
    pub fn root(&self) -> FileId {
        FileId(0)
    }

    pub fn file(&self, id: FileId) -> &File {
        &self.files[id.0 as usize]
    }

    /// Where `span` starts, as the manifests' `# Source:` comments say it:
    /// the file relative to the root file's folder (so the comment is the
    /// same from whatever folder poolc runs), and the line.
    pub fn origin(&self, span: Span) -> String {
        let (line, _) = self.sources.get(span.file).line_col(span.start);
        format!("{}:{line}", self.origin_names[span.file.0 as usize])
    }

    /// The file relative to the root file's folder, as [`Program::origin`]
    /// gives it.
    fn origin_name(&self, file: FileId) -> String {
        let root = Path::new(&self.sources.get(self.root()).name);
        let from = root.parent().unwrap_or(Path::new(""));
        let path = relative_name(from, Path::new(&self.sources.get(file).name));
        // A file name may hold a line break: it must not end the comment.
        path.chars().flat_map(char::escape_debug).collect()
    }
}

/// `to` relative to the folder `from`, both display names (normalised by
/// [`display_name`]), `/` between names.
fn relative_name(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let ups = from.len() - shared;
    std::iter::repeat_n("..".to_string(), ups)
        .chain(
            to[shared..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// Loads `root` and its imports. An unreadable root is an I/O error for the
/// front-end to report; everything else becomes a diagnostic.
pub fn load(
    root: &Path,
    host: &dyn Host,
    access: &Access,
    diagnostics: &mut Diagnostics,
) -> io::Result<Program> {
    let bytes = source::read_root(host, root)?;
    let canonical = host.canonicalize(root)?;
    let folders = std::iter::once(canonical.parent().unwrap_or(Path::new("/")).to_path_buf())
        .chain(access.allowed.iter().cloned())
        .collect();
    let mut loader = Loader {
        host,
        program: Program {
            sources: SourceMap::default(),
            files: Vec::new(),
            imports: Vec::new(),
            unreadable: Vec::new(),
            failed_imports: Vec::new(),
            folders,
            origin_names: Vec::new(),
        },
        by_path: HashMap::new(),
        stack: Vec::new(),
        diagnostics,
    };
    loader.add(display_name(root), canonical, bytes);
    loader.follow_imports();
    let mut program = loader.program;
    program.origin_names = program
        .sources
        .files()
        .map(|(id, _)| program.origin_name(id))
        .collect();
    Ok(program)
}

struct Loader<'h, 'd> {
    host: &'h dyn Host,
    program: Program,
    by_path: HashMap<PathBuf, FileId>,
    /// Files being loaded, outermost first (to detect cycles), each with
    /// its imports still to follow, in reverse order.
    stack: Vec<(FileId, Vec<(String, Span)>)>,
    diagnostics: &'d mut Diagnostics,
}

impl Loader<'_, '_> {
    /// Adds a file, parses it, and pushes it on the stack with its imports.
    /// A file that is not UTF-8 is reported and read as one skipped item:
    /// whatever it defines is unknown.
    fn add(&mut self, name: String, canonical: PathBuf, bytes: Vec<u8>) -> FileId {
        let id = FileId(self.program.files.len() as u32);
        let decoded = crate::syntax::decode(bytes, id, self.diagnostics);
        let text = decoded.as_ref().unwrap_or_else(|shown| shown).clone();
        let length = text.len();
        self.program
            .sources
            .add(name, canonical.clone(), text.into());
        self.by_path.insert(canonical, id);
        let parsed = match decoded {
            Ok(_) => {
                let text = self.program.sources.get(id).text.clone();
                match self.host.item_cache() {
                    Some(cache) => crate::syntax::cache::parse(&text, id, self.diagnostics, cache),
                    None => crate::syntax::parse(&text, id, self.diagnostics),
                }
            }
            Err(_) => File {
                skipped: vec![Skipped {
                    kind: SkippedKind::Unknown,
                    name: None,
                    span: Span::new(id, 0, length),
                }],
                ..File::default()
            },
        };
        let mut import_items: Vec<(String, Span)> = parsed
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Import(i) => Some((i.path.value.clone(), i.path.span)),
                _ => None,
            })
            .collect();
        import_items.reverse();
        self.program.files.push(parsed);
        self.program.imports.push(Vec::new());
        self.program.failed_imports.push(false);
        self.stack.push((id, import_items));
        id
    }

    /// Follows every import, depth first, in source order.
    fn follow_imports(&mut self) {
        while let Some((importer, items)) = self.stack.last_mut() {
            let importer = *importer;
            let Some((path, span)) = items.pop() else {
                self.stack.pop();
                continue;
            };
            match self.import(importer, &path, span) {
                Some(imported) => self.program.imports[importer.0 as usize].push((imported, span)),
                None => self.program.failed_imports[importer.0 as usize] = true,
            }
        }
    }

    /// The file an import names: loaded already, or read and added now
    /// (its own imports followed next).
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
        let canonical = match Access::resolve(self.host, &self.program.folders, &fs_path) {
            Ok(Some(canonical)) => canonical,
            Ok(None) => {
                self.diagnostics.push(NameProblem::ImportOutside {
                    span,
                    path: Quoted::public(path),
                });
                return None;
            }
            Err(e) => {
                let reason = Unreadable::Io(source::describe_io(&e));
                self.unreadable(span, path, fs_path, reason);
                return None;
            }
        };
        if let Some(&existing) = self.by_path.get(&canonical) {
            if let Some(position) = self.stack.iter().position(|(f, _)| *f == existing) {
                let mut cycle: Vec<Quoted> = self.stack[position..]
                    .iter()
                    .map(|(f, _)| Quoted::public(&self.program.sources.get(*f).name))
                    .collect();
                cycle.push(Quoted::public(&self.program.sources.get(existing).name));
                self.diagnostics
                    .push(NameProblem::ImportCycle { span, cycle });
                return None;
            }
            return Some(existing);
        }
        match source::read(self.host, &canonical, MAX_SOURCE_BYTES) {
            Ok(bytes) => Some(self.add(name, canonical, bytes)),
            Err(reason) => {
                self.unreadable(span, path, fs_path, reason);
                None
            }
        }
    }

    fn unreadable(&mut self, span: Span, path: &str, fs_path: PathBuf, reason: Unreadable) {
        self.diagnostics.push(NameProblem::ImportUnreadable {
            span,
            path: Quoted::public(path),
            reason,
        });
        self.program.unreadable.push(fs_path);
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
    fn names_are_relative_to_the_root_files_folder() {
        let name = |from: &str, to: &str| relative_name(Path::new(from), Path::new(to));
        assert_eq!(name("", "site.pool"), "site.pool");
        assert_eq!(
            name("examples", "examples/teams/data.pool"),
            "teams/data.pool"
        );
        assert_eq!(name("examples", "shared/x.pool"), "../shared/x.pool");
        assert_eq!(name("/a/b", "/a/c/x.pool"), "../c/x.pool");
    }

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
