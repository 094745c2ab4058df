//! `poolc watch` as a real process, with real file events: the ways editors
//! save, imports and `file(...)` inputs, errors and recovery, bursts, the
//! output folder's lock and Ctrl-C.
//!
//! Every test waits for something it can see (a status line, a file's
//! content) with a generous limit, and never sleeps to let time prove a
//! point: the one short pause (`settle`) only gives a wrong rebuild the
//! chance to happen before the test looks for it.
#![cfg(unix)]

mod support;

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long anything may take before a test fails: far more than a build
/// needs, for a machine busy with other work.
const PATIENCE: Duration = Duration::from_secs(15);

/// poolc's debounce window.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// A running `poolc watch`.
struct Watch {
    child: Child,
    /// stderr, line by line, as it comes.
    stderr: Receiver<String>,
    /// Every stderr line read so far.
    seen: Vec<String>,
    /// Everything written to stdout so far.
    stdout: Arc<Mutex<String>>,
}

impl Watch {
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = support::poolc()
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("poolc runs");
        let (lines, stderr) = mpsc::channel();
        let reader = BufReader::new(child.stderr.take().unwrap());
        thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let stdout = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stdout.take().unwrap();
        let collected = Arc::clone(&stdout);
        thread::spawn(move || {
            let mut buffer = [0; 1 << 16];
            while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                let text = String::from_utf8_lossy(&buffer[..n]).into_owned();
                collected.lock().unwrap().push_str(&text);
            }
        });
        Watch {
            child,
            stderr,
            seen: Vec::new(),
            stdout,
        }
    }

    /// Starts a watcher writing to `out` and waits for its first build.
    fn with_folder(dir: &Path) -> Watch {
        let mut watch = Watch::start(dir, &["site.pool", "-o", "out"]);
        let first = watch.status();
        assert!(first.contains("built"), "{first}");
        watch
    }

    /// The next status line, without its time stamp.
    fn status(&mut self) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if let Some(status) = status_of(&line) {
                        return status.to_string();
                    }
                }
                Err(_) => panic!(
                    "no status line within {PATIENCE:?}; stderr so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Sends SIGINT (Ctrl-C), waits for the exit, and returns its status
    /// with the status lines not read yet.
    fn interrupt(&mut self) -> (ExitStatus, Vec<String>) {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = wait_until(|| self.child.try_wait().unwrap(), "poolc watch to exit");
        // stderr is closed now: read what is left.
        let rest: Vec<String> = self.stderr.iter().collect();
        self.seen.extend(rest.iter().cloned());
        let statuses = rest
            .iter()
            .filter_map(|l| status_of(l))
            .map(str::to_string)
            .collect();
        (status, statuses)
    }

    /// Ctrl-C, which must end the watcher with status 0; returns the status
    /// lines not read yet.
    fn stop(&mut self) -> Vec<String> {
        let (status, rest) = self.interrupt();
        assert_eq!(status.code(), Some(0), "stderr:\n{}", self.seen.join("\n"));
        rest
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // Already gone unless a test failed half-way.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `[12:34:56] 2 pools built ...` → `2 pools built ...`.
fn status_of(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    (bytes.len() > 11 && bytes[0] == b'[' && bytes[9] == b']' && bytes[10] == b' ')
        .then(|| &line[11..])
}

/// Polls `ready` until it gives a value.
fn wait_until<T>(mut ready: impl FnMut() -> Option<T>, what: &str) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(Instant::now() < deadline, "waited {PATIENCE:?} for {what}");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Gives the watcher the time it would need to react to a change it must
/// ignore, so a wrong rebuild shows among the status lines.
fn settle() {
    thread::sleep(DEBOUNCE * 4);
}

fn pool(name: &str, replicas: u32) -> String {
    format!(
        "pool \"{name}\" {{\n  credentials external \"{name}-credentials\"\n  replicas = {replicas}\n}}\n"
    )
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

/// A folder with `site.pool` holding `text`.
fn site(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site.pool");
    fs::write(&root, text).unwrap();
    (dir, root)
}

#[test]
fn an_in_place_write_rewrites_only_the_changed_file() {
    let (dir, root) = site(&(pool("a", 1) + &pool("b", 1)));
    let out = dir.path().join("out");
    let mut watch = Watch::with_folder(dir.path());
    assert!(read(out.join("a.yaml")).contains("replicas: 1"));
    let b_before = fs::metadata(out.join("b.yaml")).unwrap().ino();

    fs::write(&root, pool("a", 3) + &pool("b", 1)).unwrap();
    let status = watch.status();
    assert!(
        status.starts_with("2 pools built in ") && status.ends_with(" ms, 1 file changed"),
        "{status}"
    );
    assert!(read(out.join("a.yaml")).contains("replicas: 3"));
    let b_after = fs::metadata(out.join("b.yaml")).unwrap().ino();
    assert_eq!(b_before, b_after, "an unchanged output is not rewritten");
    watch.stop();
}

/// `--target operator` holds for every build of the watch, including the
/// rebuilds a save starts.
#[test]
fn target_on_the_command_line_holds_for_every_build() {
    let (dir, root) = site(&pool("a", 1));
    let out = dir.path().join("out");
    let mut watch = Watch::start(
        dir.path(),
        &["site.pool", "-o", "out", "--target", "operator"],
    );
    assert!(watch.status().contains("built"));
    assert!(read(out.join("a.yaml")).contains("kind: WorkerPool"));
    fs::write(&root, pool("a", 3)).unwrap();
    let status = watch.status();
    assert!(status.ends_with("1 file changed"), "{status}");
    let rebuilt = read(out.join("a.yaml"));
    assert!(
        rebuilt.contains("kind: WorkerPool") && rebuilt.contains("poolSize: 3"),
        "{rebuilt}"
    );
    watch.stop();
}

/// Only the pools a save changed are rendered again; the others' files are
/// trusted as long as they exist, and one removed behind the watcher's
/// back is written again at the next save.
#[test]
fn an_unchanged_pools_file_removed_meanwhile_comes_back_at_the_next_save() {
    let (dir, root) = site(&(pool("a", 1) + &pool("b", 1)));
    let out = dir.path().join("out");
    let mut watch = Watch::with_folder(dir.path());
    let b = read(out.join("b.yaml"));
    fs::remove_file(out.join("b.yaml")).unwrap();

    // `b` keeps its place and meaning (a pool moved to another line
    // renders another `# Source:` line).
    fs::write(&root, pool("a", 2) + &pool("b", 1)).unwrap();
    let status = watch.status();
    assert!(status.ends_with(" ms, 2 files changed"), "{status}");
    assert_eq!(read(out.join("b.yaml")), b, "the same manifests as before");
    assert!(read(out.join("a.yaml")).contains("replicas: 2"));
    watch.stop();
}

#[test]
fn a_save_by_rename_is_seen() {
    let (dir, root) = site(&pool("a", 1));
    let out = dir.path().join("out/a.yaml");
    let mut watch = Watch::with_folder(dir.path());

    // VS Code, JetBrains: a temporary file renamed over the original.
    let temporary = dir.path().join(".site.pool.tmp");
    fs::write(&temporary, pool("a", 2)).unwrap();
    fs::rename(&temporary, &root).unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(&out).contains("replicas: 2"));

    // Vim: the original renamed to a backup, a new file, the backup removed.
    let backup = dir.path().join("site.pool~");
    fs::rename(&root, &backup).unwrap();
    fs::write(&root, pool("a", 3)).unwrap();
    fs::remove_file(&backup).unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(&out).contains("replicas: 3"));
    watch.stop();
}

#[test]
fn a_deleted_root_is_reported_and_watched_for_until_it_comes_back() {
    let (dir, root) = site(&pool("a", 1));
    let out = dir.path().join("out/a.yaml");
    let mut watch = Watch::with_folder(dir.path());
    let built = read(&out);

    fs::remove_file(&root).unwrap();
    assert_eq!(
        watch.status(),
        "cannot read site.pool: no such file; waiting for it to come back"
    );
    assert_eq!(read(&out), built, "the last good output stays");

    fs::write(&root, pool("a", 4)).unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(&out).contains("replicas: 4"));
    watch.stop();
}

#[test]
fn imports_are_watched_as_they_come_and_go() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site.pool");
    let out = dir.path().join("out/a.yaml");
    fs::create_dir(dir.path().join("lib")).unwrap();
    let base = dir.path().join("lib/base.pool");
    let template = |replicas: u32| format!("template \"base\" {{\n  replicas = {replicas}\n}}\n");
    let pool_of = |imports: &str| {
        format!("{imports}pool \"a\" extends \"base\" {{\n  credentials external \"a\"\n}}\n")
    };
    fs::write(&base, template(1)).unwrap();
    fs::write(&root, pool_of("import \"lib/base.pool\"\n")).unwrap();
    let mut watch = Watch::with_folder(dir.path());

    // An imported file edited.
    fs::write(&base, template(2)).unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(&out).contains("replicas: 2"));

    // A new import of a file (in a folder) that does not exist yet: an
    // error, and the file watched for.
    fs::write(
        &root,
        pool_of("import \"lib/base.pool\"\nimport \"more/extra.pool\"\n"),
    )
    .unwrap();
    let failed = watch.status();
    assert!(failed.starts_with("build failed: 1 error"), "{failed}");
    fs::create_dir(dir.path().join("more")).unwrap();
    let extra = dir.path().join("more/extra.pool");
    fs::write(&extra, "let unused = 1\n").unwrap();
    let recovered = watch.status();
    assert!(recovered.contains("built"), "{recovered}");

    // The import removed: the file is no longer watched. Then a change
    // that is watched, to see what was built in between.
    fs::write(&root, pool_of("import \"lib/base.pool\"\n")).unwrap();
    assert!(watch.status().contains("built"));
    fs::write(&extra, "let unused = 2\n").unwrap();
    settle();
    fs::write(&base, template(5)).unwrap();
    let next = watch.status();
    assert!(next.ends_with("1 file changed"), "{next}");
    assert!(read(&out).contains("replicas: 5"));
    assert_eq!(
        watch.stop(),
        Vec::<String>::new(),
        "no build for the old import"
    );
}

#[test]
fn a_file_input_is_watched() {
    let (dir, root) = site(
        "pool \"a\" {\n  credentials external \"a\"\n  annotations = { note = file(\"note.txt\") }\n}\n",
    );
    let note = dir.path().join("note.txt");
    fs::write(&note, "first").unwrap();
    let out = dir.path().join("out/a.yaml");
    let mut watch = Watch::with_folder(dir.path());
    assert!(read(&out).contains("note: first"));

    fs::write(&note, "second").unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(&out).contains("note: second"));

    // Gone: an error, reported, and the file watched for.
    fs::remove_file(&note).unwrap();
    assert!(watch.status().starts_with("build failed: 1 error"));
    fs::write(&note, "third").unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(&out).contains("note: third"));
    assert!(root.exists());
    watch.stop();
}

#[test]
fn a_syntax_error_keeps_the_last_good_output_until_it_is_fixed() {
    let (dir, root) = site(&(pool("a", 1) + &pool("b", 1)));
    let out = dir.path().join("out");
    let mut watch = Watch::with_folder(dir.path());
    let built = (read(out.join("a.yaml")), read(out.join("b.yaml")));

    fs::write(&root, "pool \"a\" {\n  replicas = = 2\n}\n").unwrap();
    assert_eq!(watch.status(), "build failed: 1 error; out left as it was");
    assert!(
        watch.seen.iter().any(|l| l.contains("site.pool:2:")),
        "the diagnostic is printed: {:#?}",
        watch.seen
    );
    assert_eq!((read(out.join("a.yaml")), read(out.join("b.yaml"))), built);

    fs::write(&root, pool("a", 2) + &pool("b", 1)).unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(out.join("a.yaml")).contains("replicas: 2"));
    watch.stop();
}

#[test]
fn a_burst_of_twenty_saves_is_one_rebuild_on_the_last_content() {
    let (dir, root) = site(&pool("a", 1));
    let out = dir.path().join("out/a.yaml");
    let mut watch = Watch::with_folder(dir.path());

    let mut gaps = Vec::new();
    let mut last = Instant::now();
    for replicas in 2..=21 {
        fs::write(&root, pool("a", replicas)).unwrap();
        gaps.push(last.elapsed());
        last = Instant::now();
    }
    wait_until(
        || read(&out).contains("replicas: 21").then_some(()),
        "the last content",
    );
    settle();
    let builds = watch.stop();
    // One rebuild, unless this test was held up mid-burst for long enough
    // that the watcher saw a pause (the first gap is before the burst).
    let pauses = gaps[1..].iter().filter(|&&gap| gap >= DEBOUNCE / 2).count();
    assert!(
        !builds.is_empty() && builds.len() <= 1 + pauses,
        "{} rebuilds for {pauses} pauses: {builds:?}",
        builds.len()
    );
}

#[test]
fn the_files_of_removed_pools_are_deleted_and_nothing_else() {
    let (dir, root) = site(&(pool("a", 1) + &pool("b", 1)));
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.yaml"), "kept: true\n").unwrap();
    let mut watch = Watch::with_folder(dir.path());
    assert!(out.join("b.yaml").exists());

    fs::write(&root, pool("a", 1)).unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(!out.join("b.yaml").exists());
    assert_eq!(read(out.join("notes.yaml")), "kept: true\n");
    assert!(out.join("a.yaml").exists());
    watch.stop();
    assert_eq!(
        support::names(&out),
        ["a.yaml", "notes.yaml"],
        "no lock file to commit"
    );
}

#[test]
fn the_output_folder_is_created_by_the_first_build_that_succeeds() {
    let (dir, root) = site("pool \"a\" {\n  replicas = \"two\"\n}\n");
    let out = dir.path().join("out");
    let mut watch = Watch::start(dir.path(), &["site.pool", "-o", "out"]);
    let first = watch.status();
    assert!(first.contains("error"), "{first}");
    assert!(!out.exists(), "a failed build creates no folder");

    fs::write(&root, pool("a", 1)).unwrap();
    let second = watch.status();
    assert!(second.contains("built"), "{second}");
    assert!(out.join("a.yaml").exists());
    watch.stop();
}

#[test]
fn a_second_watcher_on_the_same_folder_is_refused() {
    let (dir, _root) = site(&pool("a", 1));
    let mut first = Watch::with_folder(dir.path());

    let second = support::run(&["watch", "site.pool", "-o", "out"], dir.path());
    assert_eq!(second.status.code(), Some(2));
    let message = String::from_utf8(second.stderr).unwrap();
    let expected = format!(
        "error: another poolc watch (pid {}) is already writing to out; stop it first, or write to another folder\n",
        first.child.id()
    );
    assert_eq!(message, expected);

    // Ctrl-C releases the folder.
    first.stop();
    let mut third = Watch::with_folder(dir.path());
    third.stop();
}

#[test]
fn without_an_output_folder_every_build_prints_the_stream() {
    let (dir, root) = site(&pool("a", 1));
    let mut watch = Watch::start(dir.path(), &["site.pool"]);
    assert_eq!(watch.status().split(" in ").next(), Some("1 pool built"));
    wait_until(
        || watch.stdout().contains("replicas: 1").then_some(()),
        "the first stream",
    );

    fs::write(&root, pool("a", 2)).unwrap();
    watch.status();
    wait_until(
        || watch.stdout().contains("replicas: 2").then_some(()),
        "the second stream",
    );
    let header = "# Generated by poolc from site.pool.";
    assert_eq!(watch.stdout().matches(header).count(), 2);
    watch.stop();
}

#[test]
fn a_root_missing_at_the_start_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = support::run(&["watch", "nothing.pool"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: cannot read nothing.pool: no such file\n"
    );
}

#[test]
fn a_report_past_column_65535_leaves_the_watcher_running() {
    let (dir, root) = site(&pool("a", 1));
    let out = dir.path().join("out");
    let mut watch = Watch::with_folder(dir.path());
    let wide = format!(
        "pool \"a\" {{\n  credentials external \"s\"\n  labels = {{{}team = 1 }}\n}}\n",
        " ".repeat(70_000)
    );
    fs::write(&root, wide).unwrap();
    assert_eq!(watch.status(), "build failed: 1 error; out left as it was");
    assert!(
        watch.seen.iter().any(|l| l.contains("[site.pool:3:70020]")),
        "{:#?}",
        watch.seen
    );
    fs::write(&root, pool("a", 2)).unwrap();
    assert!(watch.status().ends_with("1 file changed"));
    assert!(read(out.join("a.yaml")).contains("replicas: 2"));
    watch.stop();
}

#[test]
fn a_file_in_the_way_is_left_alone_and_said_so() {
    let (dir, root) = site(&pool("a", 1));
    let out = dir.path().join("out");
    let mut watch = Watch::with_folder(dir.path());
    fs::write(out.join("b.yaml"), "# kept by hand\n").unwrap();
    fs::write(&root, pool("a", 2) + &pool("b", 1)).unwrap();
    assert_eq!(
        watch.status(),
        "out/b.yaml lacks poolc's header: poolc did not write it and will not replace it; \
        nothing was written"
    );
    assert!(
        read(out.join("a.yaml")).contains("replicas: 1"),
        "nothing at all"
    );
    assert_eq!(read(out.join("b.yaml")), "# kept by hand\n");
    fs::remove_file(out.join("b.yaml")).unwrap();
    fs::write(&root, pool("a", 3) + &pool("b", 1)).unwrap();
    assert!(watch.status().ends_with("2 files changed"));
    watch.stop();
}

/// The watcher parses again only the items a save changed: after each of
/// a sequence of saves (an edit, items moved by a comment, a pool added, a
/// template changed, a syntax error and its fix), its files are byte for
/// byte those a fresh `poolc build` writes.
#[test]
fn after_each_save_the_output_is_a_fresh_builds() {
    let template = "template \"t\" {\n  replicas = 4\n}\n";
    let extended = "pool \"c\" extends \"t\" {\n  credentials external \"c-credentials\"\n}\n";
    let saves = [
        format!("{}{}{template}{extended}", pool("a", 3), pool("b", 2)),
        format!(
            "# moved\n{}{}{template}{extended}",
            pool("a", 3),
            pool("b", 2)
        ),
        format!(
            "{}{}{}{template}{extended}",
            pool("a", 3),
            pool("n", 5),
            pool("b", 2)
        ),
        format!(
            "{}{}{}{}{extended}",
            pool("a", 3),
            pool("n", 5),
            pool("b", 2),
            template.replace("4", "6")
        ),
        format!(
            "{}pool \"n\" {{\n{}{template}{extended}",
            pool("a", 3),
            pool("b", 2)
        ),
        format!(
            "{}{}{}{template}{extended}",
            pool("a", 1),
            pool("n", 5),
            pool("b", 2)
        ),
    ];
    let (dir, root) = site(&format!(
        "{}{}{template}{extended}",
        pool("a", 1),
        pool("b", 2)
    ));
    let mut watch = Watch::with_folder(dir.path());
    for (n, text) in saves.iter().enumerate() {
        fs::write(&root, text).unwrap();
        let status = watch.status();
        let fresh = dir.path().join(format!("fresh{n}"));
        let built = support::poolc()
            .args(["build", "site.pool", "-o"])
            .arg(&fresh)
            .current_dir(dir.path())
            .output()
            .unwrap();
        if !built.status.success() {
            assert!(status.contains("error"), "save {n}: {status}");
            continue;
        }
        assert!(status.contains("built"), "save {n}: {status}");
        assert_eq!(
            yaml_files(&dir.path().join("out")),
            yaml_files(&fresh),
            "save {n}"
        );
    }
    watch.stop();
}

/// The YAML files of a folder, by name.
fn yaml_files(dir: &Path) -> std::collections::BTreeMap<String, String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                read(&path),
            )
        })
        .collect()
}
