//! Helpers shared by the corpus tests: where the corpus is, and an independent JSON reading.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};

/// `../shared/corpus/<sub>` when it exists; otherwise prints `SKIPPED` and gives `None`.
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: corpus not found at {}", dir.display());
        None
    }
}

/// Removes trailing commas (outside strings) so that serde_json can read the files the platform
/// accepts although they are not strict JSON. Written independently of the loader under test.
pub fn strip_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some(']' | '}')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

pub fn read_json_independently(path: &Path) -> Option<Value> {
    let bytes = std::fs::read(path).ok()?;
    let text =
        String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&strip_trailing_commas(&text)))
        .ok()
}

/// The SARIF 2.1.0 schema (vendored in `tests/schemas/`), compiled.
pub fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/sarif-2.1.0-rtm.5.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

/// The first schema errors of a SARIF log (none: it is valid SARIF 2.1.0).
pub fn sarif_errors(sarif: &serde_json::Value) -> Vec<String> {
    sarif_validator()
        .iter_errors(sarif)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}
