//! Inputs and outputs at the edges: reports far to the right of a line,
//! stdout closed or full, import chains thousands of files long, bytes
//! that are not UTF-8, and objects of fifty thousand entries. None of
//! them may crash poolc or make it crawl.
#![cfg(unix)]

mod support;

use poolc::{Host, ReadError};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use support::run;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn site(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("site.pool"), text).unwrap();
    dir
}

/// The diagnostics of a run in the JSON format (on stdout for `check`,
/// on stderr for the others).
fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    let printed = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    printed
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

// ---- reports past column 65,535 ---------------------------------------------------

/// Far enough right that miette could not pad to it.
const FAR: usize = 70_000;

#[test]
fn a_report_past_column_65535_is_drawn_around_its_label() {
    let wide = format!(
        "pool \"a\" {{\n  credentials external \"s\"\n  labels = {{{}team = 1 }}\n}}\n",
        " ".repeat(FAR)
    );
    let dir = site(&wide);
    for command in ["check", "build"] {
        let output = run(&[command, "site.pool"], dir.path());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{command}: {}",
            stderr(&output)
        );
        let report = stderr(&output);
        assert!(
            report.contains(&format!("[site.pool:3:{}]", FAR + 20)),
            "{report}"
        );
        assert!(
            report.contains("…") && report.contains("team = 1 }"),
            "{report}"
        );
        assert!(report.lines().all(|l| l.chars().count() < 200), "{report}");
    }
    let syntax = site(&wide.replace("team = 1", "team = = 1"));
    let output = run(&["fmt", "--check", "site.pool"], syntax.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("unexpected `=`"));

    let values = format!(
        "replicaCount: 2\nlauncher: {{{}imagge: x}}\n",
        " ".repeat(FAR)
    );
    fs::write(dir.path().join("values.yaml"), values).unwrap();
    let output = run(&["import", "values.yaml", "--name", "ci"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains(&format!("[values.yaml:2:{}]", FAR + 12)));
}

// ---- stdout closed or full --------------------------------------------------------

/// A site `build --check` finds out of date, an unformatted file and a
/// values file: every command that writes to stdout has something to say.
fn busy_folder() -> tempfile::TempDir {
    let dir = site("pool \"a\" {\n  credentials external \"s\"\n}\n");
    fs::write(
        dir.path().join("messy.pool"),
        "pool \"m\" {\ncredentials external \"s\"\n}\n",
    )
    .unwrap();
    fs::write(dir.path().join("values.yaml"), "replicaCount: 2\n").unwrap();
    dir
}

/// Each command that prints to stdout, with the status it ends with when
/// its output is read.
const PRINTING: &[(&[&str], i32)] = &[
    (&["build", "site.pool"], 0),
    (&["build", "site.pool", "-o", "out", "--check"], 1),
    (&["fmt", "messy.pool"], 0),
    (&["explain", "E0001"], 0),
    (&["import", "values.yaml", "--name", "ci"], 0),
];

/// Runs poolc with stdout the write end of a pipe whose read end is
/// already closed: its first write fails with EPIPE.
fn with_closed_stdout(args: &[&str], dir: &Path) -> Output {
    let (reader, writer) = io::pipe().unwrap();
    drop(reader);
    support::poolc()
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::from(writer))
        .output()
        .unwrap()
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    for (args, status) in PRINTING {
        let dir = busy_folder();
        let output = with_closed_stdout(args, dir.path());
        assert_eq!(
            output.status.code(),
            Some(*status),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            !stderr(&output).contains("panicked"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_full_stdout_is_an_io_error() {
    for (args, _) in PRINTING {
        let dir = busy_folder();
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = support::poolc()
            .args(*args)
            .current_dir(dir.path())
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("error: cannot write to stdout: No space left on device"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // fmt still formats when it cannot list what it formatted.
    let dir = busy_folder();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let fmt = support::poolc()
        .args(["fmt", "messy.pool"])
        .current_dir(dir.path())
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(fmt.status.code(), Some(2));
    let formatted = fs::read_to_string(dir.path().join("messy.pool")).unwrap();
    assert!(formatted.contains("\n  credentials"), "{formatted}");
}

#[test]
fn a_closed_stderr_does_not_crash_a_report() {
    let dir = site("pool \"a\" {\n  replicaz = 1\n}\n");
    let (reader, writer) = io::pipe().unwrap();
    drop(reader);
    let status = support::poolc()
        .args(["check", "site.pool"])
        .current_dir(dir.path())
        .stderr(Stdio::from(writer))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

// ---- long import chains ------------------------------------------------------------

/// File `i` of a chain of `n`: it imports the next, and the last defines
/// the template the root's pool extends.
fn chain_file(i: usize, n: usize) -> String {
    let mut text = String::new();
    if i + 1 < n {
        text += &format!("import \"f{}.pool\"\n", i + 1);
    }
    if i == 0 {
        text += "pool \"a\" {\n  credentials external \"s\"\n}\n";
    } else {
        text += &format!("let v{i} = {i}\n");
    }
    text
}

#[test]
fn an_import_chain_of_ten_thousand_files_loads() {
    let dir = tempfile::tempdir().unwrap();
    let n = 10_000;
    for i in 0..n {
        fs::write(dir.path().join(format!("f{i}.pool")), chain_file(i, n)).unwrap();
    }
    let output = run(&["build", "f0.pool"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("name: a-spacelift-worker"));
}

/// The chain in memory, for a thread with a small stack.
struct Chain(usize);

impl Host for Chain {
    fn read(&self, path: &Path, _: u64) -> Result<Vec<u8>, ReadError> {
        let name = path.file_stem().unwrap().to_string_lossy();
        let i: usize = name[1..].parse().unwrap();
        Ok(chain_file(i, self.0).into_bytes())
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(path.to_path_buf())
    }
    fn env_var(&self, _: &str) -> Option<String> {
        None
    }
}

#[test]
fn a_long_import_chain_loads_on_a_small_stack() {
    let checked = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| poolc::check(Path::new("/chain/f0.pool"), &Chain(5_000)).unwrap())
        .unwrap()
        .join()
        .unwrap();
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert_eq!(checked.sources.files().count(), 5_000);
    assert_eq!(checked.site.pools.len(), 1);
}

// ---- not UTF-8 --------------------------------------------------------------------

#[test]
fn bytes_that_are_not_utf8_are_an_input_error_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = b"pool \"a\" {\n  credentials external \"s\"\n  labels = { t = \"caf".to_vec();
    bad.extend(b"\xe9\" }\n}\n");
    fs::write(dir.path().join("bad.pool"), &bad).unwrap();
    fs::write(dir.path().join("site.pool"), "import \"lib.pool\"\n").unwrap();
    fs::write(
        dir.path().join("lib.pool"),
        b"let x = 1\nlet y = \"\xff\"\n",
    )
    .unwrap();
    let place = |root: &str| {
        let output = run(&["check", root, "--message-format", "json"], dir.path());
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let found = json_lines(&output);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d["code"], "pool::E0008");
        format!(
            "{}:{}:{}",
            d["file"].as_str().unwrap(),
            d["span"]["line"],
            d["span"]["column"]
        )
    };
    assert_eq!(place("bad.pool"), "bad.pool:3:22");
    assert_eq!(place("site.pool"), "lib.pool:2:10", "in an imported file");
    // fmt and import say the same.
    let short = ["--message-format", "short"];
    let fmt = run(
        &[&["fmt", "--check", "bad.pool"], &short[..]].concat(),
        dir.path(),
    );
    assert_eq!(fmt.status.code(), Some(1));
    assert!(
        stderr(&fmt).contains("bad.pool:3:22: error: the file is not UTF-8 text"),
        "{}",
        stderr(&fmt)
    );
    fs::write(
        dir.path().join("values.yaml"),
        b"replicaCount: 2\nname: \"\xc3\"\n",
    )
    .unwrap();
    let import = run(
        &[&["import", "values.yaml", "--name", "ci"], &short[..]].concat(),
        dir.path(),
    );
    assert_eq!(import.status.code(), Some(1));
    assert!(
        stderr(&import).contains("values.yaml:2:8: error: the file is not UTF-8 text"),
        "{}",
        stderr(&import)
    );
}

// ---- linear time -------------------------------------------------------------------

/// One site with 50,000 entries in each structure whose duplicate check
/// was once quadratic: an object literal, a block body read as an object
/// and a claim spec, and a template's block merged with a pool's. Checked
/// in linear time it takes seconds (of parsing, in a debug build); the
/// quadratic checks took minutes.
#[test]
fn objects_of_fifty_thousand_entries_check_in_linear_time() {
    let n = 50_000;
    let entries = |prefix: &str, value: &str| -> String {
        (0..n)
            .map(|i| format!("    {prefix}{i} = {value}\n"))
            .collect()
    };
    let text = format!(
        "template \"t\" {{\n  storage claim {{\n    size = 1Gi\n{}  }}\n}}\n\npool \"a\" extends \"t\" {{\n  \
        credentials external \"s\"\n  labels = {{\n{}  }}\n  storage claim {{\n    size = 1Gi\n{}  }}\n}}\n",
        entries("t", "1"),
        entries("k", "\"v\""),
        entries("t", "2"),
    );
    let checked = poolc::check(
        Path::new("/big/site.pool"),
        &poolc::MemoryHost::default().with_file("/big/site.pool", text),
    )
    .unwrap();
    // Every entry of the claim is an unknown field of the spec, once.
    let unknown = checked
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("unknown field"))
        .count();
    assert_eq!(unknown, n, "{:?}", checked.diagnostics.first());
}
