//! The outputs of a diff: compiler-style text with both places, and a stable JSON shape.

use super::{Change, Level};
use crate::load::source::Sources;
use crate::location::SourceMap;
use crate::text::printable_line;
use serde_json::{json, Value};
use std::fmt::Write;

/// The version bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed that users see.
    Patch,
    /// Additions, and changes that break nothing that worked.
    Minor,
    /// Something breaks (below 1.0: the minor part).
    Major,
}

impl Bump {
    /// The version after `v` for this bump, as cargo reads versions: from 1.0 a break bumps
    /// the major part and an addition the minor one; below 1.0 cargo takes `0.y` as the major
    /// part, so a break bumps `y` and anything else `z`; in `0.0.z` every release is breaking
    /// and bumps `z`. Pre-release and build parts are dropped.
    pub fn apply(self, v: &semver::Version) -> semver::Version {
        let (major, minor, patch) = match (v.major, v.minor, self) {
            (0, 0, _) => (0, 0, v.patch + 1),
            (0, y, Bump::Major) => (0, y + 1, 0),
            (0, y, _) => (0, y, v.patch + 1),
            (x, _, Bump::Major) => (x + 1, 0, 0),
            (x, y, Bump::Minor) => (x, y + 1, 0),
            (x, y, Bump::Patch) => (x, y, v.patch + 1),
        };
        semver::Version::new(major, minor, patch)
    }

    /// `major`, `minor` or `patch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        }
    }
}

/// The bump `changes` call for: breaking → major; any other change → minor; none → patch.
pub fn bump(changes: &[Change]) -> Bump {
    match super::verdict(changes) {
        Some(Level::Breaking) => Bump::Major,
        Some(_) => Bump::Minor,
        None => Bump::Patch,
    }
}

/// How many changes of each level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Breaking changes.
    pub breaking: usize,
    /// Warnings.
    pub warning: usize,
    /// Other changes.
    pub info: usize,
}

impl Counts {
    /// Counts `changes`.
    pub fn of(changes: &[Change]) -> Counts {
        let mut c = Counts::default();
        for ch in changes {
            match ch.level {
                Level::Breaking => c.breaking += 1,
                Level::Warning => c.warning += 1,
                Level::Info => c.info += 1,
            }
        }
        c
    }
}

/// The two versions' sources, for snippets (either may be missing: a connector on one side).
#[derive(Clone, Copy, Default)]
pub struct Texts<'a> {
    /// The old version's files.
    pub old: Option<&'a Sources>,
    /// The new version's files.
    pub new: Option<&'a Sources>,
}

fn place_lines(out: &mut String, label: &str, place: &super::Place, sources: Option<&Sources>) {
    let _ = writeln!(
        out,
        "  --> {label} {}:{}:{}",
        printable_line(&place.file),
        place.line,
        place.column
    );
    if let Some(s) = sources {
        let text = s.line_text(place.file_id, place.line);
        let shown: String = text.chars().take(160).collect();
        let _ = writeln!(out, "   | {}", printable_line(&shown.replace('\t', " ")));
    }
}

/// Compiler-style text: each change with its place in the old and the new version.
pub fn human(changes: &[Change], texts: Texts<'_>) -> String {
    let mut out = String::new();
    for c in changes {
        let _ = writeln!(
            out,
            "{}[{} {}]: {}",
            c.level.as_str(),
            c.code,
            c.name,
            printable_line(&c.message)
        );
        if let Some(p) = &c.old {
            place_lines(&mut out, "old", p, texts.old);
        }
        if let Some(p) = &c.new {
            place_lines(&mut out, "new", p, texts.new);
        }
        if let Some(h) = &c.help {
            let _ = writeln!(out, "   = help: {}", printable_line(h));
        }
        out.push('\n');
    }
    out
}

/// The summary line: counts and the version bump.
pub fn summary_line(changes: &[Change]) -> String {
    let n = Counts::of(changes);
    format!(
        "{} breaking, {} warning(s), {} other change(s): a {} version",
        n.breaking,
        n.warning,
        n.info,
        bump(changes).as_str()
    )
}

/// `{"changes": [...], "summary": {"breaking", "warning", "info", "bump"}}`.
pub fn json(changes: &[Change]) -> Value {
    let n = Counts::of(changes);
    json!({
        "changes": changes,
        "summary": {
            "breaking": n.breaking,
            "warning": n.warning,
            "info": n.info,
            "bump": bump(changes),
        }
    })
}

/// The change-rule catalogue as markdown (`docs/change-rules.md`).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Change rules\n\n<!-- Generated by `connector-gen rules --changes --format markdown`; do not edit by hand. -->\n\n\
         What `connector-gen diff OLD NEW` reports. Every rule has a stable code and name and a\n\
         level: `breaking` (flows or clients built on the old version break; exit 1), `warning`\n\
         (may break some; exit 1 with `--fail-on warning`) or `info`. Breaking changes call for a\n\
         major version, others for a minor one.\n\n\
         | code | name | level | summary |\n|---|---|---|---|\n",
    );
    let rules = super::all_change_rules();
    for r in rules {
        let m = r.meta();
        let _ = writeln!(
            out,
            "| {} | [`{}`](#{}) | {} | {} |",
            m.code,
            m.name,
            m.name,
            m.level.as_str(),
            m.summary.replace('|', "\\|")
        );
    }
    for r in rules {
        let m = r.meta();
        let doc = m.doc_text().replace("## ", "#### ");
        let _ = write!(
            out,
            "\n## {}\n\n`{}` · {} · {}\n\n{}\n",
            m.name,
            m.code,
            m.level.as_str(),
            m.summary,
            doc.trim_end()
        );
    }
    out
}

/// GitHub Actions workflow commands: `::error` for breaking changes, `::warning`, `::notice`,
/// at the change's place in the new version (else the old one).
pub fn github(changes: &[Change]) -> String {
    use crate::validate::report::{escape_data, escape_property};
    let mut out = String::new();
    for c in changes {
        let kind = match c.level {
            Level::Breaking => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let mut props = format!(
            "title={}",
            escape_property(&format!("{} {}", c.code, c.name))
        );
        if let Some(p) = c.new.as_ref().or(c.old.as_ref()) {
            props = format!(
                "file={},line={},col={},{props}",
                escape_property(&p.file),
                p.line,
                p.column
            );
        }
        let mut message = c.message.clone();
        if let (Some(o), Some(_)) = (&c.old, &c.new) {
            message.push_str(&format!(" (was at {}:{}:{})", o.file, o.line, o.column));
        }
        let _ = writeln!(out, "::{kind} {props}::{}", escape_data(&message));
    }
    out
}

fn cell(s: &str) -> String {
    printable_line(s).replace('|', "\\|").replace('`', "'")
}

/// A pull-request comment: the verdict, then a table of the changes, breaking first.
pub fn markdown(changes: &[Change]) -> String {
    let mut out = String::from("### Connector changes\n\n");
    let _ = writeln!(out, "{}\n", summary_line(changes));
    if changes.is_empty() {
        return out;
    }
    out.push_str("| level | rule | change | old | new |\n|---|---|---|---|---|\n");
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| std::cmp::Reverse(c.level));
    let at = |p: &Option<super::Place>| {
        p.as_ref().map_or("—".to_string(), |p| {
            cell(&format!("{}:{}:{}", p.file, p.line, p.column))
        })
    };
    for c in sorted {
        let _ = writeln!(
            out,
            "| {} | {} `{}` | {} | {} | {} |",
            c.level.as_str(),
            c.code,
            c.name,
            cell(&c.message),
            at(&c.old),
            at(&c.new)
        );
    }
    out
}

fn sarif_location(p: &super::Place) -> Value {
    json!({"physicalLocation": {
        "artifactLocation": {"uri": crate::validate::report::artifact_uri(&p.file)},
        "region": {"startLine": p.line.max(1), "startColumn": p.column.max(1)},
    }})
}

/// The SARIF 2.1.0 log: every change rule with its help, and one result per change at its
/// place in the new version (else the old one), the old place as a related location.
pub fn sarif(changes: &[Change]) -> Value {
    let rules: Vec<&'static super::ChangeMeta> =
        super::all_change_rules().iter().map(|r| r.meta()).collect();
    let level = |l: Level| match l {
        Level::Breaking => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    };
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.summary},
                "help": {"text": m.doc_text(), "markdown": m.doc_text()},
                "defaultConfiguration": {"level": level(m.level)},
            })
        })
        .collect();
    let results: Vec<Value> = changes
        .iter()
        .map(|c| {
            let mut r = json!({
                "ruleId": c.code,
                "level": level(c.level),
                "message": {"text": match &c.help { Some(h) => format!("{} (help: {h})", c.message), None => c.message.clone() }},
                "locations": c.new.as_ref().or(c.old.as_ref()).map(sarif_location).into_iter().collect::<Vec<_>>(),
            });
            if let (Some(o), Some(_)) = (&c.old, &c.new) {
                let mut rel = sarif_location(o);
                rel["id"] = json!(0);
                rel["message"] = json!({"text": "in the old version"});
                r["relatedLocations"] = json!([rel]);
            }
            if let Some(i) = rules.iter().position(|m| m.code == c.code) {
                r["ruleIndex"] = json!(i);
            }
            r
        })
        .collect();
    crate::validate::report::sarif_log(rules_json, results)
}
