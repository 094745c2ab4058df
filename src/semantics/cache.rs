//! Pools kept from one check of a site to the next, for a front-end that
//! checks the same site again and again (the watcher, the language
//! server): a pool whose text and surroundings have not changed is not
//! read again, wherever it has moved. Reading the pools was two thirds of
//! a rebuild once parsing was cached ([`crate::ItemCache`]), and a save
//! changes one pool or a few.
//!
//! A pool's model and problems are a function of its own item's text
//! (its place only shifts their spans, which are moved with it: see
//! [`crate::model::spans`]) and of what it may see: the
//! site's other items but pools (lets, templates, imports, and text that
//! did not parse, with their places), the files' names in load order,
//! where secrets are written outside pools, and the `--target` given. All
//! of that is the site's *surroundings*, fingerprinted once per check: any
//! change there forgets every pool. What is not in the fingerprint keeps a
//! pool out of the cache: a pool read on a thread that has read a file or
//! an environment variable, or after a `let` that reported a problem (the
//! problem is reported by the first pool that evaluates it), or a pool
//! whose problems point outside its own text (a template's mistake).

use super::loader::Program;
use crate::diagnostics::Diagnostic;
use crate::model::spans::Spans as _;
use crate::model::{Pool, Target};
use crate::secrets::Secrets;
use crate::syntax::ast::Item;
use crate::syntax::span::{FileId, Span};
use foldhash::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;

/// The pools of the last check, with the fingerprint of their
/// surroundings.
#[derive(Default)]
pub struct PoolCache {
    kept: Mutex<Kept>,
}

impl PoolCache {
    pub fn new() -> PoolCache {
        PoolCache::default()
    }

    /// The pools kept for a check whose surroundings are `surroundings`:
    /// none when they changed. The cache is empty until [`PoolCache::keep`].
    pub(super) fn take(&self, surroundings: u64) -> Kept {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let taken = std::mem::take(&mut *kept);
        match taken.surroundings == surroundings {
            true => taken,
            false => Kept {
                surroundings,
                pools: HashMap::default(),
            },
        }
    }

    /// Keeps the pools of the check just made, and only those.
    pub(super) fn keep(&self, kept: Kept) {
        *self.kept.lock().unwrap_or_else(|p| p.into_inner()) = kept;
    }
}

/// Pools by their file and their item's text.
#[derive(Default)]
pub(super) struct Kept {
    surroundings: u64,
    pools: HashMap<FileId, HashMap<Box<str>, Entry>>,
}

/// A pool as read, with what reading it reported, and where its item was.
pub(super) struct Entry {
    item: Span,
    pool: Pool,
    diagnostics: Vec<Diagnostic>,
}

impl Kept {
    /// The pool read last time from an item with the text of `item`, and
    /// what reading it reported, moved to where `item` is now.
    pub fn get(&self, item: Span, text: &str) -> Option<(Pool, Vec<Diagnostic>)> {
        let entry = self.pools.get(&item.file)?.get(text)?;
        let mut pool = entry.pool.clone();
        let mut diagnostics = entry.diagnostics.clone();
        if entry.item != item {
            let by = i64::from(item.start) - i64::from(entry.item.start);
            // Only spans into the pool's own text: a template's stay.
            let mut moved = |span: &mut Span| {
                if entry.item.covers(*span) {
                    span.shift(by);
                }
            };
            pool.visit_spans(&mut moved);
            diagnostics
                .iter_mut()
                .flat_map(Diagnostic::spans_mut)
                .for_each(moved);
        }
        Some((pool, diagnostics))
    }

    /// The kept pools still written in `used` (found again) and the
    /// `fresh` ones read this time: what the next check may reuse.
    pub fn renewed<'p>(
        mut self,
        used: impl IntoIterator<Item = (FileId, &'p str)>,
        fresh: impl IntoIterator<Item = (&'p str, Entry)>,
    ) -> Kept {
        let mut pools: HashMap<FileId, HashMap<Box<str>, Entry>> = HashMap::default();
        for (file, text) in used {
            let entry = self.pools.get_mut(&file).and_then(|f| f.remove_entry(text));
            if let Some((text, entry)) = entry {
                pools.entry(file).or_default().insert(text, entry);
            }
        }
        for (text, entry) in fresh {
            pools
                .entry(entry.item.file)
                .or_default()
                .insert(text.into(), entry);
        }
        Kept {
            surroundings: self.surroundings,
            pools,
        }
    }
}

/// What to keep of a pool just read from `item`, when it may be kept:
/// nothing it reported points outside its own text.
pub(super) fn entry(item: Span, pool: &Pool, mut reported: Vec<Diagnostic>) -> Option<Entry> {
    let all_inside = reported
        .iter_mut()
        .flat_map(Diagnostic::spans_mut)
        .all(|s| item.covers(*s));
    all_inside.then(|| Entry {
        item,
        pool: pool.clone(),
        diagnostics: reported,
    })
}

/// The fingerprint of what every pool of `program` may see (see the
/// module's documentation).
pub(super) fn surroundings(program: &Program, secrets: &Secrets, target: Option<Target>) -> u64 {
    let mut hasher = DefaultHasher::new();
    target.map(|t| t as u8).hash(&mut hasher);
    let mut pools = Vec::new();
    for (id, source) in program.sources.files() {
        source.name.hash(&mut hasher);
        let file = program.file(id);
        for item in &file.items {
            let span = item.span();
            if let Item::Pool(_) = item {
                pools.push(span);
                continue;
            }
            (span.start, &source.text[span.range()]).hash(&mut hasher);
        }
        for skipped in &file.skipped {
            (skipped.span.start, &source.text[skipped.span.range()]).hash(&mut hasher);
        }
    }
    pools.sort();
    let outside = |span: &&Span| {
        // The last pool item starting at or before the span.
        let before = pools.partition_point(|p| (p.file, p.start) <= (span.file, span.start));
        !before
            .checked_sub(1)
            .is_some_and(|i| pools[i].covers(**span))
    };
    let (masked, credentials) = secrets.spans();
    for spans in [masked, credentials] {
        "then".hash(&mut hasher);
        for span in spans.iter().filter(outside) {
            span.hash(&mut hasher);
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Access, MemoryHost, ReadError};
    use std::path::{Path, PathBuf};

    /// A memory host with a pool cache that outlives it.
    struct Cached<'c> {
        host: MemoryHost,
        cache: &'c PoolCache,
    }

    impl crate::Host for Cached<'_> {
        fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
            self.host.read(path, limit)
        }
        fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
            self.host.canonicalize(path)
        }
        fn env_var(&self, name: &str) -> Option<String> {
            self.host.env_var(name)
        }
        fn pool_cache(&self) -> Option<&PoolCache> {
            Some(self.cache)
        }
    }

    fn check(host: &dyn crate::Host) -> crate::Checked {
        super::super::check(Path::new("site.pool"), host, None, &Access::default()).unwrap()
    }

    /// Checks `host`'s site with the cache and without: the same pools
    /// and diagnostics. Returns how many pools the cache now keeps.
    fn same_as_fresh(host: MemoryHost, cache: &PoolCache) -> usize {
        let fresh = check(&host);
        let cached = check(&Cached { host, cache });
        // Spans and origins included, which models' equality leaves out.
        let pools = |c: &crate::Checked| format!("{:#?}", c.site.pools);
        assert_eq!(pools(&cached), pools(&fresh));
        // Where secrets were written, which their Debug hides.
        let written = |c: &crate::Checked| {
            let written = c
                .site
                .pools
                .iter()
                .filter_map(|p| match &p.credentials.value {
                    crate::model::Credentials::Inline { token, private_key } => Some(format!(
                        "{:?} {:?}",
                        token.value.written, private_key.value.written
                    )),
                    _ => None,
                });
            written.collect::<Vec<_>>()
        };
        assert_eq!(written(&cached), written(&fresh));
        assert_eq!(cached.diagnostics, fresh.diagnostics);
        assert_eq!(cached.secrets, fresh.secrets);
        kept_count(cache)
    }

    fn kept_count(cache: &PoolCache) -> usize {
        cache
            .kept
            .lock()
            .unwrap()
            .pools
            .values()
            .map(HashMap::len)
            .sum()
    }

    const SITE: &str = concat!(
        r#"let registry = "registry.example.com"
let label = "team-a"

template "base" {
  launcher { image = "${registry}/launcher:1" }
}

pool "a" extends "base" {
  credentials external "a"
  labels = { team = label }
  replicas = 1
}

pool "b" {
  credentials external "b"
  replicas = 2
  pod_labels = { app = "b", app = "again" }
  annotations = { team = label }
}

pool "c" {
  credentials external "c"
  replicas = 3
  workload = statefulset
  annotations = { team = "platform" }
  service_account {
    annotations = { "iam.gke.io/gcp-service-account" = "ci@p.iam.gserviceaccount.com" }
  }
  launcher {
    resources { requests = { cpu = 250m, memory = 256Mi } }
    debug = true
    env = { EXTRA = "1" }
    volume_mounts = [{ name = "ca", mountPath = "/etc/ca.pem", subPath = "ca.pem" }]
  }
  volumes = [{ name = "ca", configMap = { name = "internal-ca" } }]
  storage claim { class = "premium-rwo", size = 200Gi }
  tolerations = [{ key = "ci", operator = "Exists", effect = "NoSchedule" }]
}

pool "d" {
  credentials {
    token = "eyJicm9rZXIiOnsiZW5kcG9pbnQiOiJodHRwczovL2V4YW1wbGUuYXBwLnNwYWNlbGlmdC5pbyJ9fQ=="
    private_key = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcFFJQkFBS0NBUUVB"#,
        r#"dGVzdGtleQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo="
  }
}
"#
    );

    /// Each edit applied to the site as the previous one left it.
    const EDITS: &[(&str, &str)] = &[
        // One pool, in place, then growing: the pools after it move, and
        // are taken from the cache at their new place.
        ("replicas = 2", "replicas = 4"),
        (
            "replicas = 4",
            "replicas = 42\n  node_selector = { a = \"b\" }",
        ),
        ("replicas = 3", "replicas = 0x"),
        // The surroundings: a let, a template.
        ("team-a", "team-b"),
        ("launcher:1", "launcher:2"),
        // A let becomes a credential: where pool a uses it is an error.
        (
            "credentials external \"c\"",
            "credentials {\n    token = label\n    private_key = registry\n  }",
        ),
        (
            "credentials {\n    token = label\n    private_key = registry\n  }",
            "credentials external \"c\"",
        ),
        // A let with a problem, reported by the first pool to use it:
        // when that pool no longer does, the next one reports it.
        ("\"team-b\"", "trimspace(1)"),
        ("labels = { team = label }", "labels = { team = \"lab\" }"),
        ("labels = { team = \"lab\" }", "labels = { team = label }"),
    ];

    #[test]
    fn a_cached_check_is_a_fresh_check_after_every_kind_of_edit() {
        let cache = PoolCache::new();
        let site = |text: &str| MemoryHost::site(text);
        // All the pools are kept, b with its own problem.
        assert_eq!(same_as_fresh(site(SITE), &cache), 4);
        assert_eq!(same_as_fresh(site(SITE), &cache), 4);
        let mut text = SITE.to_string();
        for (from, to) in EDITS {
            assert!(text.contains(from), "{from}");
            text = text.replacen(from, to, 1);
            same_as_fresh(site(&text), &cache);
        }
    }

    #[test]
    fn a_pool_that_reads_the_environment_or_a_file_is_read_again() {
        let cache = PoolCache::new();
        /// A site's text and an input's value as a host.
        type WithInput = fn(&str, &str) -> MemoryHost;
        let reads: [(&str, WithInput); 2] = [
            ("env(\"V\")", |text, value| {
                MemoryHost::site(text).with_env("V", value)
            }),
            ("file(\"v.txt\")", |text, value| {
                MemoryHost::site(text).with_file("v.txt", value)
            }),
        ];
        for (call, host) in reads {
            let text = SITE.replace(
                "replicas = 3",
                &format!("replicas = 3\n  labels = {{ v = {call} }}"),
            );
            same_as_fresh(host(&text, "one"), &cache);
            same_as_fresh(host(&text, "two"), &cache);
        }
    }

    #[test]
    fn an_unchanged_pool_is_taken_from_the_cache_where_it_now_is() {
        let cache = PoolCache::new();
        same_as_fresh(MemoryHost::site(SITE), &cache);
        // Mark what the cache keeps: the pools it gives back carry the mark.
        for entry in cache
            .kept
            .lock()
            .unwrap()
            .pools
            .values_mut()
            .flat_map(|f| f.values_mut())
        {
            entry.pool.spec.replicas = None;
        }
        // Pool a grows: b and c move down a line.
        let grown = SITE.replace("replicas = 1", "replicas = 1\n  revision_history_limit = 3");
        let host = Cached {
            host: MemoryHost::site(&grown),
            cache: &cache,
        };
        let checked = check(&host);
        let kept: Vec<(&str, bool)> = checked
            .site
            .pools
            .iter()
            .map(|p| (p.name.value.as_str(), p.spec.replicas.is_none()))
            .collect();
        assert_eq!(kept, [("a", false), ("b", true), ("c", true), ("d", true)]);
        // b and c as a fresh check reads them: spans and origin moved.
        let fresh = check(&MemoryHost::site(&grown));
        for (cached, fresh) in checked.site.pools.iter().zip(&fresh.site.pools).skip(1) {
            let mut fresh = fresh.clone();
            fresh.spec.replicas = None;
            assert_eq!(format!("{cached:?}"), format!("{fresh:?}"));
        }
        assert_eq!(checked.diagnostics, fresh.diagnostics);
        assert_eq!(kept_count(&cache), 4);
    }
}
