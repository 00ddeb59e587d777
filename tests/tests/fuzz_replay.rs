//! Replays what the fuzz targets (`fuzz/`, see fuzz/README.md) saved: the minimized corpora they
//! built, the handwritten seeds, and every input that once crashed a target (fuzz/regressions),
//! through the same entry points the targets call. A panic here is a regression.

use std::path::Path;

type Harness = fn(&[u8]);

const TARGETS: &[(&str, Harness)] = &[
    ("definition", connector_gen::fuzzing::definition),
    ("yaml", connector_gen::fuzzing::yaml),
    ("api_properties", connector_gen::fuzzing::api_properties),
    ("postman", connector_gen::fuzzing::definition),
    ("codegen", connector_gen::fuzzing::codegen),
    ("policies", connector_sdk::fuzzing::policies),
    ("recurrence", connector_sdk::fuzzing::recurrence),
    ("oauth_template", connector_sdk::fuzzing::oauth_template),
    ("store", connector_sdk::fuzzing::store),
    ("webhook", connector_sdk::fuzzing::webhook),
    ("listener", connector_sdk::fuzzing::listener),
    ("files", connector_gen::fuzzing::files),
    ("script", connector_gen::fuzzing::script),
    ("fix", connector_gen::fuzzing::fix),
];

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_file());
    v.sort();
    v
}

#[test]
fn every_saved_fuzz_input_runs_without_a_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut counts = Vec::new();
    let mut regressions = 0;
    for (target, harness) in TARGETS {
        let mut n = 0;
        for sub in ["corpus", "seeds", "regressions"] {
            for f in files(&fuzz.join(sub).join(target)) {
                // (A fuzzer running beside the test may replace files of its corpus.)
                let Ok(data) = std::fs::read(&f) else {
                    continue;
                };
                let run = std::panic::catch_unwind(|| harness(&data));
                assert!(run.is_ok(), "{target}: {} panics", f.display());
                n += 1;
                if sub == "regressions" {
                    regressions += 1;
                }
            }
        }
        counts.push(format!("{target} {n}"));
    }
    println!(
        "fuzz replay: {} ({regressions} former crashes)",
        counts.join(", ")
    );
    assert!(regressions >= 2, "the regression inputs are there");
}
