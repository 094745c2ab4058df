//! The open documents and their checks. Each open document is the root of
//! a site, checked with the open buffers over the disk; an edit re-checks
//! the document's own site and every site that read the edited file (the
//! files that import it). Diagnostics are published per file: a site's own
//! root's, and those of the files it imports that are not open themselves.

use crate::convert::{Encoding, Lines, uri_of};
use crate::host::{Overlay, canonical};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, PublishDiagnosticsParams,
};
use poolc::diagnostics::{Code, Severity};
use poolc::{Checked, ItemCache, PoolCache};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

pub struct Document {
    pub version: i32,
}

/// The check of one open document as the root of a site.
pub struct Site {
    /// `None` until checked, or when the check could not run at all.
    pub checked: Option<Checked>,
    /// The last check in which the root parsed, when the latest's did not:
    /// completion takes the names of `let`s and templates from it.
    pub parsed: Option<Checked>,
    /// Its inputs changed since it was checked.
    pub dirty: bool,
    /// The files it published diagnostics for.
    published: HashSet<PathBuf>,
    /// The trees of its files' items at the last check: an edit parses
    /// again only the items it changed.
    items: ItemCache,
    /// Its pools as read at the last check: an edit reads again only the
    /// pools it changed.
    pools: PoolCache,
}

pub struct Workspace {
    pub encoding: Encoding,
    /// Where a code's explanation is: a base URL, to which `#anchor` is added.
    pub explanations: Option<String>,
    /// The open documents' texts, by canonical path.
    pub texts: HashMap<PathBuf, String>,
    pub documents: HashMap<PathBuf, Document>,
    pub sites: HashMap<PathBuf, Site>,
}

impl Workspace {
    pub fn new(encoding: Encoding, explanations: Option<String>) -> Workspace {
        Workspace {
            encoding,
            explanations,
            texts: HashMap::new(),
            documents: HashMap::new(),
            sites: HashMap::new(),
        }
    }

    pub fn open(&mut self, path: &Path, version: i32, text: String) {
        let path = canonical(path);
        self.texts.insert(path.clone(), text);
        self.documents.insert(path.clone(), Document { version });
        self.sites.insert(
            path.clone(),
            Site {
                checked: None,
                parsed: None,
                dirty: true,
                published: HashSet::new(),
                items: ItemCache::new(),
                pools: PoolCache::new(),
            },
        );
        self.changed(&path);
    }

    pub fn edit(&mut self, path: &Path, version: i32, text: String) {
        let path = canonical(path);
        if let Some(document) = self.documents.get_mut(&path) {
            document.version = version;
            self.texts.insert(path.clone(), text);
            self.changed(&path);
        }
    }

    /// Closes a document; returns the diagnostics to clear.
    pub fn close(&mut self, path: &Path) -> Vec<PublishDiagnosticsParams> {
        let path = canonical(path);
        self.texts.remove(&path);
        self.documents.remove(&path);
        let cleared = self
            .sites
            .remove(&path)
            .map(|s| s.published)
            .unwrap_or_default();
        self.changed(&path);
        cleared
            .into_iter()
            .filter_map(|file| {
                Some(PublishDiagnosticsParams::new(
                    uri_of(&file)?,
                    Vec::new(),
                    None,
                ))
            })
            .collect()
    }

    /// Marks every site that read `path` for a new check.
    pub fn changed(&mut self, path: &Path) {
        for (root, site) in &mut self.sites {
            let read = site
                .checked
                .as_ref()
                .is_some_and(|c| c.inputs.iter().any(|i| canonical(i) == path));
            if root == path || read {
                site.dirty = true;
            }
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.sites.values().any(|s| s.dirty)
    }

    /// Checks every site whose inputs changed; returns the diagnostics to
    /// publish.
    pub fn check(&mut self) -> Vec<PublishDiagnosticsParams> {
        let dirty: Vec<PathBuf> = self
            .sites
            .iter()
            .filter(|(_, s)| s.dirty)
            .map(|(p, _)| p.clone())
            .collect();
        let mut out = Vec::new();
        for root in dirty {
            let Some(site) = self.sites.get(&root) else {
                continue;
            };
            let host = Overlay {
                open: &self.texts,
                items: &site.items,
                pools: &site.pools,
            };
            // The core does not panic on any input (tests/robustness.rs);
            // should it, the server answers on, without this site's check.
            let checked = catch_unwind(AssertUnwindSafe(|| poolc::check(&root, &host)))
                .ok()
                .and_then(Result::ok);
            let by_file = checked
                .as_ref()
                .map(|c| self.diagnostics(c))
                .unwrap_or_default();
            let Some(site) = self.sites.get_mut(&root) else {
                continue;
            };
            site.dirty = false;
            let old = std::mem::replace(&mut site.checked, checked);
            if root_parsed(site.checked.as_ref()) {
                site.parsed = None;
            } else if root_parsed(old.as_ref()) {
                site.parsed = old;
            }
            let open: HashSet<&PathBuf> = self.documents.keys().collect();
            let mut published = HashSet::new();
            for (file, diagnostics) in by_file {
                if file != root && open.contains(&file) {
                    continue;
                }
                if let Some(uri) = uri_of(&file) {
                    let version = self.documents.get(&file).map(|d| d.version);
                    out.push(PublishDiagnosticsParams::new(uri, diagnostics, version));
                    published.insert(file);
                }
            }
            for stale in site.published.difference(&published) {
                if let Some(uri) = uri_of(stale) {
                    out.push(PublishDiagnosticsParams::new(uri, Vec::new(), None));
                }
            }
            site.published = published;
        }
        out
    }

    /// A check's diagnostics as the protocol's, by file (every file of the
    /// site, those without diagnostics too, so old ones are cleared).
    fn diagnostics(&self, checked: &Checked) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = checked
            .sources
            .files()
            .map(|(_, f)| (f.path.clone(), Vec::new()))
            .collect();
        let lines: Vec<Lines> = checked
            .sources
            .files()
            .map(|(_, f)| Lines::new(&f.text, self.encoding))
            .collect();
        for diagnostic in &checked.diagnostics {
            let span = diagnostic.primary.span;
            let file = checked.sources.get(span.file);
            let converted = self.convert(diagnostic, checked, &lines);
            by_file
                .entry(file.path.clone())
                .or_default()
                .push(converted);
        }
        by_file
    }

    fn convert(
        &self,
        diagnostic: &poolc::diagnostics::Diagnostic,
        checked: &Checked,
        lines: &[Lines],
    ) -> Diagnostic {
        let range = |span: poolc::syntax::span::Span| {
            lines[span.file.0 as usize].range(span.start as usize, span.end as usize)
        };
        let related: Vec<DiagnosticRelatedInformation> = diagnostic
            .secondary
            .iter()
            .filter_map(|label| {
                let path = &checked.sources.get(label.span.file).path;
                Some(DiagnosticRelatedInformation {
                    location: Location::new(uri_of(path)?, range(label.span)),
                    message: label.text.clone(),
                })
            })
            .collect();
        let mut message = diagnostic.message.clone();
        let label = &diagnostic.primary.text;
        if !label.is_empty() && !message.to_lowercase().contains(&label.to_lowercase()) {
            message.push_str(&format!(": {}", diagnostic.primary.text));
        }
        if let Some(help) = &diagnostic.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        Diagnostic {
            range: range(diagnostic.primary.span),
            severity: Some(match diagnostic.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(diagnostic.code.to_string())),
            code_description: self.explanation(diagnostic.code),
            source: Some("poolc".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }

    fn explanation(&self, code: Code) -> Option<CodeDescription> {
        let base = self.explanations.as_ref()?;
        let anchor = poolc::diagnostics::explain::anchor(code)?;
        let href = format!("{base}#{anchor}").parse().ok()?;
        Some(CodeDescription { href })
    }

    /// The freshest check that read `path`, and the file's id in it: the
    /// file's own site first.
    pub fn analysis(&self, path: &Path) -> Option<(&Checked, poolc::syntax::span::FileId)> {
        let path = canonical(path);
        let own = self.sites.get(&path).into_iter();
        let others = self
            .sites
            .iter()
            .filter(|(p, _)| **p != path)
            .map(|(_, s)| s);
        own.chain(others).find_map(|site| {
            let checked = site.checked.as_ref()?;
            let file = poolc::ide::file_of(checked, &path)?;
            Some((checked, file))
        })
    }

    /// The check to complete from: the file's own site's last check in
    /// which it parsed.
    pub fn names(&self, path: &Path) -> Option<(&Checked, poolc::syntax::span::FileId)> {
        let site = self.sites.get(&canonical(path))?;
        let checked = site.parsed.as_ref().or(site.checked.as_ref())?;
        Some((checked, poolc::ide::file_of(checked, &canonical(path))?))
    }

    /// Every check that read `path`, with the file's id in it.
    pub fn analyses(&self, path: &Path) -> Vec<(&Checked, poolc::syntax::span::FileId)> {
        let path = canonical(path);
        self.sites
            .values()
            .filter_map(|site| {
                let checked = site.checked.as_ref()?;
                Some((checked, poolc::ide::file_of(checked, &path)?))
            })
            .collect()
    }
}

/// Did the root file of a check parse?
fn root_parsed(checked: Option<&Checked>) -> bool {
    checked.is_some_and(|c| poolc::ide::parsed(c, poolc::syntax::span::FileId(0)))
}
