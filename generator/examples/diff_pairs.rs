//! Diffs every `<pair>/old` against `<pair>/new` under a directory, in one process (the
//! benchmark of `bench/diff.sh`): prints how many pairs were compared, how many changes of each
//! level were found, and the time taken.
//!
//!     cargo run --release -p connector-gen --example diff_pairs -- ../shared/corpus/changes/certified

use connector_gen::diff::{self, Level};
use connector_gen::load::LoadOptions;
use connector_gen::pipeline;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/changes/certified".into());
    let started = std::time::Instant::now();
    let mut pairs: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(r) => r
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("old").is_dir() && p.join("new").is_dir())
            .collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(2);
        }
    };
    pairs.sort();
    let opts = LoadOptions::default();
    let results: Vec<Option<Vec<diff::Change>>> = pipeline::with_loader_pool(|| {
        use rayon::prelude::*;
        pairs
            .par_iter()
            .map(|p| {
                let old = pipeline::load_path(&p.join("old"), &opts).ok()?;
                let new = pipeline::load_path(&p.join("new"), &opts).ok()?;
                diff::diff_sets(&old, &new).ok()
            })
            .collect()
    });
    let compared = results.iter().flatten().count();
    let count = |l: Level| {
        results
            .iter()
            .flatten()
            .flatten()
            .filter(|c| c.level == l)
            .count()
    };
    println!(
        "{} pairs, {compared} compared, {} with a side that cannot be read; {} breaking, {} warnings, {} other changes; {:.3} s",
        pairs.len(),
        pairs.len() - compared,
        count(Level::Breaking),
        count(Level::Warning),
        count(Level::Info),
        started.elapsed().as_secs_f64()
    );
}
