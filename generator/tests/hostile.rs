//! Hostile input: documents made at test time (nothing huge is committed) that must end in a clear
//! exit code and message from `validate` and `generate`, never a crash or a hang, with memory
//! under 2 GiB, and nothing written by `generate` when it refuses. The limits are documented in
//! docs/limits.md.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A command that has not ended after this long is a hang (a guard, not a performance claim:
/// the inputs below end in a few seconds on a debug build).
const HANG: Duration = Duration::from_secs(120);

struct Ran {
    code: i32,
    out: String,
    /// Peak resident memory of the process (at most that of any earlier child), in KiB.
    peak_kib: u64,
}

/// Runs `connector-gen ARGS`, killing it after [`HANG`], and reads its peak memory.
fn run(args: &[&str], env: &[(&str, &str)]) -> Ran {
    let mut cmd: Command = common::command();
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start connector-gen");
    let pid = child.id();
    let start = Instant::now();
    // Drain the pipes on threads so that a chatty command cannot block on them.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t1 = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut so, &mut s).ok();
        s
    });
    let t2 = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut se, &mut s).ok();
        s
    });
    let mut peak_kib = 0;
    let status = loop {
        // VmHWM is the process's peak resident set so far.
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            panic!("connector-gen {args:?} did not end within {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The largest resident set of any child waited for so far (an upper bound for this one,
    // which also covers a process that ended before it could be sampled).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0 {
        peak_kib = peak_kib.max(usage.ru_maxrss as u64);
    }
    let out = format!("{}{}", t1.join().unwrap(), t2.join().unwrap());
    Ran {
        code: status.code().unwrap_or_else(|| {
            panic!("connector-gen {args:?} was killed by a signal: {status:?}\n{out}")
        }),
        out,
        peak_kib,
    }
}

const TWO_GIB_KIB: u64 = 2 * 1024 * 1024;

/// `validate FILE` ends with `code` and says `message`; `generate FILE` ends with exit 1 or 2 and
/// writes nothing (or, when `generates`, succeeds). Both stay under 2 GiB.
fn check(file: &Path, code: i32, message: &str, generates: bool) {
    let v = run(&["validate", file.to_str().unwrap()], &[]);
    assert_eq!(v.code, code, "validate {}:\n{}", file.display(), v.out);
    assert!(
        v.out.contains(message),
        "validate {}: expected `{message}` in:\n{}",
        file.display(),
        v.out
    );
    assert!(
        v.peak_kib < TWO_GIB_KIB,
        "validate {}: {} KiB",
        file.display(),
        v.peak_kib
    );
    let out_dir = file.with_extension("crate");
    let g = run(
        &[
            "generate",
            file.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        g.peak_kib < TWO_GIB_KIB,
        "generate {}: {} KiB",
        file.display(),
        g.peak_kib
    );
    if generates {
        assert_eq!(g.code, 0, "generate {}:\n{}", file.display(), g.out);
    } else {
        assert!(
            g.code == 1 || g.code == 2,
            "generate {}: exit {}\n{}",
            file.display(),
            g.code,
            g.out
        );
        assert!(
            !out_dir.exists(),
            "generate {} refused but wrote {}",
            file.display(),
            out_dir.display()
        );
    }
    println!(
        "{}: validate exit {} ({} MiB), generate exit {} ({} MiB)",
        file.file_name().unwrap().to_string_lossy(),
        v.code,
        v.peak_kib / 1024,
        g.code,
        g.peak_kib / 1024
    );
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn swagger(paths: &str, definitions: &str, extra: &str) -> String {
    format!(
        r#"{{"swagger": "2.0", "info": {{"title": "Hostile", "version": "1.0"{extra}}}, "host": "api.example.com",
"basePath": "/", "schemes": ["https"], "paths": {{{paths}}}, "definitions": {{{definitions}}}}}"#
    )
}

#[test]
fn nesting_200000_deep_stops_at_the_depth_limit() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "[".repeat(200_000) + &"]".repeat(200_000);
    check(
        &write(dir.path(), "deep.json", &deep),
        1,
        "nesting deeper than 256",
        false,
    );
    check(
        &write(dir.path(), "deep.yaml", &deep),
        1,
        "error[PP0001]",
        false,
    );
    // Block-style YAML nesting, and the same JSON with the limit raised to the maximum: the
    // 10,000 limit stops it too, without overflowing a stack.
    let mut block = String::new();
    for i in 0..3000 {
        let _ = writeln!(block, "{}a:", "  ".repeat(i));
    }
    check(
        &write(dir.path(), "deep-block.yaml", &block),
        1,
        "nesting deeper than 256",
        false,
    );
    let raised = run(
        &["validate", dir.path().join("deep.json").to_str().unwrap()],
        &[("CONNECTOR_GEN_MAX_DEPTH", "10000")],
    );
    assert_eq!(raised.code, 1);
    assert!(
        raised.out.contains("nesting deeper than 10000"),
        "{}",
        raised.out
    );
}

#[test]
fn a_billion_laughs_stops_at_the_yaml_value_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = 'a';
    for name in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        let _ = writeln!(yaml, "{name}: &{name} [{refs}]");
        prev = name;
    }
    check(
        &write(dir.path(), "laughs.yaml", &yaml),
        1,
        "expands to more than 5000000 values",
        false,
    );
}

#[test]
fn a_document_of_100000_operations_validates_and_generate_names_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = String::new();
    for i in 0..100_000 {
        if i > 0 {
            paths.push(',');
        }
        let _ = write!(
            paths,
            r##""/items{i}/{{id}}": {{"get": {{"operationId": "GetItem{i}", "summary": "Get item {i}",
"parameters": [{{"name": "id", "in": "path", "required": true, "type": "string"}}],
"responses": {{"200": {{"description": "OK", "schema": {{"$ref": "#/definitions/Item"}}}}}}}}}}"##
        );
    }
    let doc = swagger(
        &paths,
        r#""Item": {"type": "object", "properties": {"id": {"type": "string"}}}"#,
        "",
    );
    let file = write(dir.path(), "big.json", &doc);
    // Valid but beyond the platform's limits (size, operation count): errors, not a collapse.
    check(&file, 1, "PP0209", false);
    let g = run(
        &[
            "generate",
            file.to_str().unwrap(),
            "-o",
            dir.path().join("g").to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        g.out
            .contains("100000 operations, more than the limit of 5000"),
        "{}",
        g.out
    );
    let i = run(
        &["inspect", file.to_str().unwrap(), "--format", "json"],
        &[],
    );
    assert_eq!(i.code, 0, "{}", i.out);
    assert!(i.peak_kib < TWO_GIB_KIB, "inspect: {} KiB", i.peak_kib);
}

#[test]
fn ref_chains_and_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = r##""/a": {"get": {"operationId": "GetA", "summary": "Get A", "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/D0"}}}}}"##;
    // 50,000 definitions, each a reference to the next: resolved, not quadratic.
    let mut defs = String::new();
    for i in 0..50_000 {
        let _ = write!(defs, r##""D{i}": {{"$ref": "#/definitions/D{}"}},"##, i + 1);
    }
    defs.push_str(r#""D50000": {"type": "object", "properties": {"id": {"type": "string"}}}"#);
    check(
        &write(dir.path(), "chain.json", swagger(path, &defs, "")),
        1,
        "PP0210",
        true,
    );
    // 1,000 definitions in one loop, and one that refers to itself.
    let mut defs = String::new();
    for i in 0..1000 {
        let _ = write!(
            defs,
            r##""D{i}": {{"$ref": "#/definitions/D{}"}},"##,
            (i + 1) % 1000
        );
    }
    defs.push_str(r##""Self": {"$ref": "#/definitions/Self"}"##);
    check(
        &write(dir.path(), "loop.json", swagger(path, &defs, "")),
        1,
        "error[PP0008]",
        true,
    );
}

#[test]
fn huge_strings_random_bytes_empty_files_and_other_json_end_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    // A 50 MB description: read, over the platform's size limit, generated.
    let huge = swagger(
        r#""/a": {"get": {"operationId": "GetA", "summary": "Get A", "responses": {"200": {"description": "OK"}}}}"#,
        "",
        &format!(r#", "description": "{}""#, "x".repeat(50_000_000)),
    );
    check(
        &write(dir.path(), "huge-string.json", huge),
        1,
        "PP0210",
        true,
    );
    // A file over the 256 MiB read limit (sparse: nothing is written to disk).
    let sparse = dir.path().join("sparse.json");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    check(
        &sparse,
        1,
        "more than the limit of 268435456 bytes (CONNECTOR_GEN_MAX_FILE_BYTES",
        false,
    );
    // Random bytes (a fixed xorshift stream), as JSON and as YAML.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..1 << 20)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    check(
        &write(dir.path(), "random.json", &bytes),
        1,
        "error[PP0",
        false,
    );
    check(
        &write(dir.path(), "random.yaml", &bytes),
        1,
        "error[PP0",
        false,
    );
    check(
        &write(dir.path(), "empty.json", ""),
        1,
        "the file is empty",
        false,
    );
    check(
        &write(dir.path(), "empty.yaml", ""),
        1,
        "the file is empty",
        false,
    );
    for (name, text) in [
        ("object.json", r#"{"hello": "world"}"#),
        ("array.json", "[1, 2, 3]"),
        ("number.json", "42"),
        ("string.json", r#""swagger""#),
    ] {
        check(&write(dir.path(), name, text), 1, "error[PP0101]", false);
    }
}

#[test]
fn limits_are_configurable_and_bad_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "small.json", r#"{"swagger": "2.0"}"#);
    let r = run(
        &["validate", file.to_str().unwrap()],
        &[("CONNECTOR_GEN_MAX_FILE_BYTES", "10")],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.out.contains("more than the limit of 10 bytes"),
        "{}",
        r.out
    );
    let r = run(
        &["validate", file.to_str().unwrap()],
        &[("CONNECTOR_GEN_MAX_DEPTH", "lots")],
    );
    assert_eq!(r.code, 2);
    assert!(r.out.contains("CONNECTOR_GEN_MAX_DEPTH=lots"), "{}", r.out);
}
