//! Change validation: two versions of a connector compared on the model, so Swagger 2.0,
//! OpenAPI 3.x and Postman compare alike.
//!
//! The engine pairs what the two versions share (operations by id, else by method and path;
//! parameters by name and place, else by position), and each rule of the catalogue (one file
//! under `rules/`, declared with [`change_rule!`]) reads those pairs and reports what changed,
//! with the place on both sides. Schemas are compared structurally through their references
//! ([`schema`]).

pub mod accept;
pub mod git;
pub mod report;
pub mod rules;
pub mod schema;

use crate::location::SourceMap;
use crate::model::{Connector, Operation, Origin, Parameter, ParameterLocation};
use crate::pipeline::Loaded;
use std::collections::HashSet;
use std::rc::Rc;

/// How much a change matters to the flows built on a connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; nothing that worked stops working.
    Info,
    /// May break some flows or clients.
    Warning,
    /// Flows or clients built on the old version break.
    Breaking,
}

impl Level {
    /// `breaking`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

/// What a change rule is.
#[derive(Debug, Clone, Copy)]
pub struct ChangeMeta {
    /// Stable short code, e.g. `PC0101`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `operation-removed`.
    pub name: &'static str,
    /// How much what it finds matters.
    pub level: Level,
    /// One line.
    pub summary: &'static str,
    /// The doc comment: What it does / Why / Example / Fix (markdown).
    pub doc: &'static str,
}

impl ChangeMeta {
    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn doc_text(&self) -> String {
        crate::text::doc_comment_text(self.doc)
    }
}

/// A change rule.
pub trait ChangeRule: Sync + Send {
    /// What it is.
    fn meta(&self) -> &'static ChangeMeta;
    /// Reports what changed.
    fn check(&self, cx: &mut DiffCx<'_>);
}

/// Declares a change rule: a unit struct with its doc comment and a `META` constant built from
/// it.
#[macro_export]
macro_rules! change_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            level: $level:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;
        impl $name {
            /// The rule's metadata and documentation.
            pub const META: $crate::diff::ChangeMeta = $crate::diff::ChangeMeta {
                code: $code,
                name: $kebab,
                level: $crate::diff::Level::$level,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            };
        }
        impl $crate::diff::ChangeRule for $name {
            fn meta(&self) -> &'static $crate::diff::ChangeMeta {
                &Self::META
            }
            fn check(&self, cx: &mut $crate::diff::DiffCx<'_>) {
                check(cx)
            }
        }
    };
}

/// A place in one version: file, line and column (from 1), and the JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    /// The file, as given.
    pub file: String,
    /// Line.
    pub line: u32,
    /// Column (characters).
    pub column: u32,
    /// JSON pointer of the element.
    pub pointer: String,
    #[serde(skip)]
    /// The element's byte offset in its file (for snippets).
    pub offset: u32,
    #[serde(skip)]
    /// The element's file among its version's sources.
    pub file_id: crate::location::FileId,
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    /// The rule's code.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// How much it matters.
    pub level: Level,
    /// What changed.
    pub message: String,
    /// The operation it is about, when it is about one (as the old version calls it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Where it is in the old version (none: it is new).
    pub old: Option<Place>,
    /// Where it is in the new version (none: it is gone).
    pub new: Option<Place>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Change {
    /// `breaking[PC0101 operation-removed]: operation `X` was removed`, as every output heads a
    /// change (not made printable: the caller does that for its medium).
    pub fn headline(&self) -> String {
        format!(
            "{}[{} {}]: {}",
            self.level.as_str(),
            self.code,
            self.name,
            self.message
        )
    }
}

/// One version of the connector.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// What was loaded.
    pub loaded: &'a Loaded,
    /// Its model.
    pub connector: &'a Connector,
}

impl<'a> Side<'a> {
    /// A schema of this version, its references followed.
    pub fn schema(&self, id: crate::model::SchemaId) -> &'a crate::model::Schema {
        let types = &self.connector.types;
        types.get(types.resolve(id))
    }

    /// The connection parameters of `apiProperties.json`, plain and in parameter sets.
    pub fn connection_parameters(&self) -> Vec<&'a crate::model::ConnectionParameter> {
        self.connector
            .connection
            .iter()
            .flat_map(|p| p.all_parameters())
            .collect()
    }

    /// The origin of the member `key` of the connector's document root (e.g. `schemes`), when
    /// it is written; else the document itself.
    pub fn root_member(&self, key: &str) -> Origin {
        let base = &self.connector.origin;
        let pointer = base.pointer.join(key);
        let text = pointer.as_string();
        match self.loaded.sources.get(base.file).span_of(&text) {
            Some(span) => Origin {
                file: base.file,
                pointer,
                span,
            },
            None => base.clone(),
        }
    }

    /// The place of an element of this version.
    pub fn place(&self, origin: &Origin) -> Place {
        let sources = &self.loaded.sources;
        let lc = sources.line_col(origin.file, origin.span.start);
        Place {
            file: sources.path(origin.file).display().to_string(),
            line: lc.line,
            column: lc.column,
            pointer: origin.pointer.as_string(),
            offset: origin.span.start,
            file_id: origin.file,
        }
    }
}

/// An operation of the old version and what it is in the new one.
#[derive(Clone, Copy)]
pub struct OperationPair<'a> {
    /// In the old version.
    pub old: &'a Operation,
    /// In the new version.
    pub new: &'a Operation,
    /// Matched by method and path, not by id: the id changed.
    pub by_place: bool,
}

/// A parameter of an old operation and what it is in the new one.
#[derive(Clone, Copy)]
pub struct ParameterPair<'a> {
    /// In the old version.
    pub old: &'a Parameter,
    /// In the new version.
    pub new: &'a Parameter,
}

/// How the parameters of a pair of operations correspond.
#[derive(Default, Clone)]
pub struct ParameterMatch<'a> {
    /// The same name in the same place.
    pub same: Vec<ParameterPair<'a>>,
    /// The same name, another place (query → header...).
    pub moved: Vec<ParameterPair<'a>>,
    /// Another name, the same place and position: renamed.
    pub renamed: Vec<ParameterPair<'a>>,
    /// Only in the old version.
    pub removed: Vec<&'a Parameter>,
    /// Only in the new version.
    pub added: Vec<&'a Parameter>,
}

impl<'a> ParameterMatch<'a> {
    /// The parameters in both versions: same, moved or renamed.
    pub fn kept(&self) -> impl Iterator<Item = ParameterPair<'a>> + '_ {
        self.same
            .iter()
            .chain(&self.renamed)
            .chain(&self.moved)
            .copied()
    }
}

/// What a change rule sees and where it reports.
pub struct DiffCx<'a> {
    /// The old version.
    pub old: Side<'a>,
    /// The new version.
    pub new: Side<'a>,
    /// Operations in both versions.
    pub pairs: Rc<[OperationPair<'a>]>,
    /// Operations only in the old version.
    pub removed: Rc<[&'a Operation]>,
    /// Operations only in the new version.
    pub added: Rc<[&'a Operation]>,
    /// How the parameters of each pair correspond (in the order of `pairs`).
    pub matches: Rc<[ParameterMatch<'a>]>,
    /// How the schemas of each success response in both versions differ (every pair's, in
    /// order), for the response rules.
    pub responses: Rc<[(OperationPair<'a>, schema::Found)]>,
    /// What the rules before this one found (rules run in code order).
    pub earlier: Vec<Change>,
    meta: &'static ChangeMeta,
    out: Vec<Change>,
}

/// A path template as operations are matched by it: its parameter names left out, without a
/// trailing `/`, in lower case (`/a/{id}` and `/A/{key}/` are one place).
pub fn path_shape(path: &str) -> String {
    crate::model::template_shape(path)
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

fn match_operations<'a>(
    old: &'a Connector,
    new: &'a Connector,
) -> (
    Vec<OperationPair<'a>>,
    Vec<&'a Operation>,
    Vec<&'a Operation>,
) {
    let mut pairs = Vec::new();
    let mut taken: HashSet<usize> = HashSet::new();
    let mut unmatched = Vec::new();
    for o in &old.operations {
        match new
            .operations
            .iter()
            .enumerate()
            .find(|(i, n)| !taken.contains(i) && n.id == o.id)
        {
            Some((i, n)) => {
                taken.insert(i);
                pairs.push(OperationPair {
                    old: o,
                    new: n,
                    by_place: false,
                });
            }
            None => unmatched.push(o),
        }
    }
    let mut removed = Vec::new();
    for o in unmatched {
        // The same method and path under another id: renamed, not removed.
        let shape = path_shape(&o.path);
        match new.operations.iter().enumerate().find(|(i, n)| {
            !taken.contains(i)
                && n.method == o.method
                && path_shape(&n.path) == shape
                && old.operation(&n.id).is_none()
        }) {
            Some((i, n)) => {
                taken.insert(i);
                pairs.push(OperationPair {
                    old: o,
                    new: n,
                    by_place: true,
                });
            }
            None => removed.push(o),
        }
    }
    let added = new
        .operations
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken.contains(i))
        .map(|(_, n)| n)
        .collect();
    (pairs, removed, added)
}

/// How the parameters of two versions of an operation correspond: by name and place, then by
/// name alone (moved), then by position among the unmatched ones of one place (renamed).
pub fn match_parameters<'a>(old: &'a Operation, new: &'a Operation) -> ParameterMatch<'a> {
    let mut m = ParameterMatch::default();
    let mut taken: HashSet<usize> = HashSet::new();
    let mut rest: Vec<&'a Parameter> = Vec::new();
    for p in &old.parameters {
        match new
            .parameters
            .iter()
            .enumerate()
            .find(|(i, q)| !taken.contains(i) && q.name == p.name && q.location == p.location)
        {
            Some((i, q)) => {
                taken.insert(i);
                m.same.push(ParameterPair { old: p, new: q });
            }
            None => rest.push(p),
        }
    }
    let mut rest2 = Vec::new();
    for p in rest {
        match new
            .parameters
            .iter()
            .enumerate()
            .find(|(i, q)| !taken.contains(i) && q.name == p.name)
        {
            Some((i, q)) => {
                taken.insert(i);
                m.moved.push(ParameterPair { old: p, new: q });
            }
            None => rest2.push(p),
        }
    }
    // Renamed: the only unmatched parameter of its place on both sides (a path parameter
    // renamed with its template, a query parameter spelt differently).
    let unmatched_new: Vec<(usize, &'a Parameter)> = new
        .parameters
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken.contains(i))
        .collect();
    for p in rest2 {
        let same_place =
            |loc: &ParameterLocation| loc == &p.location && *loc != ParameterLocation::Body;
        let olds = old
            .parameters
            .iter()
            .filter(|x| same_place(&x.location))
            .filter(|x| !m.same.iter().any(|s| std::ptr::eq(s.old, *x)))
            .count();
        let news: Vec<&(usize, &Parameter)> = unmatched_new
            .iter()
            .filter(|(i, q)| !taken.contains(i) && same_place(&q.location))
            .collect();
        match news.as_slice() {
            [(i, q)] if olds == 1 => {
                taken.insert(*i);
                m.renamed.push(ParameterPair { old: p, new: q });
            }
            _ => m.removed.push(p),
        }
    }
    m.added = new
        .parameters
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken.contains(i))
        .map(|(_, q)| q)
        .collect();
    m
}

impl<'a> DiffCx<'a> {
    /// Every parameter in both versions of an operation in both versions, with its operation.
    pub fn kept_parameters(&self) -> Vec<(OperationPair<'a>, ParameterPair<'a>)> {
        self.pairs
            .iter()
            .zip(self.matches.iter())
            .flat_map(|(p, m)| m.kept().map(move |q| (*p, q)))
            .collect()
    }

    /// A change found inside the schemas of an operation: at the schema elements when they are
    /// there, else at the operation.
    pub fn in_schema(
        &self,
        p: &OperationPair<'_>,
        f: &schema::Found,
        message: String,
    ) -> ChangeBuilder {
        self.change(message)
            .operation(&p.old.id)
            .old(&self.old, f.old.as_ref().unwrap_or(&p.old.origin))
            .new_at(&self.new, f.new.as_ref().unwrap_or(&p.new.origin))
    }

    /// A change of the current rule; add places with [`ChangeBuilder`]'s methods.
    pub fn change(&self, message: impl Into<String>) -> ChangeBuilder {
        ChangeBuilder(Change {
            code: self.meta.code,
            name: self.meta.name,
            level: self.meta.level,
            message: message.into(),
            operation: None,
            old: None,
            new: None,
            help: None,
        })
    }

    /// A change at an element of both versions.
    pub fn between(&self, old: &Origin, new: &Origin, message: impl Into<String>) -> ChangeBuilder {
        let mut b = self.change(message);
        b.0.old = Some(self.old.place(old));
        b.0.new = Some(self.new.place(new));
        b
    }

    /// Records a change.
    pub fn push(&mut self, b: ChangeBuilder) {
        self.out.push(b.0);
    }
}

/// A change being written.
pub struct ChangeBuilder(Change);

impl ChangeBuilder {
    /// The operation it is about.
    pub fn operation(mut self, id: &str) -> Self {
        self.0.operation = Some(id.to_string());
        self
    }
    /// Where it is in the old version.
    pub fn old(mut self, side: &Side<'_>, origin: &Origin) -> Self {
        self.0.old = Some(side.place(origin));
        self
    }
    /// Where it is in the new version.
    pub fn new_at(mut self, side: &Side<'_>, origin: &Origin) -> Self {
        self.0.new = Some(side.place(origin));
        self
    }
    /// What to do about it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }
}

/// Why two versions could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// One version's definition could not be read.
    #[error("the {side} version cannot be read: {}", path.display())]
    Unreadable {
        /// `old` or `new`.
        side: &'static str,
        /// Its definition.
        path: std::path::PathBuf,
    },
}

/// Every change rule, in code order.
pub fn all_change_rules() -> &'static [&'static dyn ChangeRule] {
    rules::ALL
}

/// Compares two loaded versions of a connector with every rule; changes in code order, then in
/// the order of the old version.
pub fn diff(old: &Loaded, new: &Loaded) -> Result<Vec<Change>, DiffError> {
    let unreadable = |l: &Loaded, side: &'static str| DiffError::Unreadable {
        side,
        path: l.input.definition.clone(),
    };
    let oc = old
        .connector
        .as_ref()
        .ok_or_else(|| unreadable(old, "old"))?;
    let nc = new
        .connector
        .as_ref()
        .ok_or_else(|| unreadable(new, "new"))?;
    Ok(compare(
        Side {
            loaded: old,
            connector: oc,
        },
        Side {
            loaded: new,
            connector: nc,
        },
    ))
}

/// Compares two versions whose models were read.
pub fn compare<'a>(old: Side<'a>, new: Side<'a>) -> Vec<Change> {
    let (pairs, removed, added) = match_operations(old.connector, new.connector);
    let matches: Rc<[ParameterMatch<'a>]> = pairs
        .iter()
        .map(|p| match_parameters(p.old, p.new))
        .collect();
    let responses: Rc<[(OperationPair<'a>, schema::Found)]> =
        response_differences(old, new, &pairs).into();
    let (pairs, removed, added): (Rc<[_]>, Rc<[_]>, Rc<[_]>) =
        (pairs.into(), removed.into(), added.into());
    let mut out = Vec::new();
    for rule in all_change_rules() {
        let mut cx = DiffCx {
            old,
            new,
            pairs: pairs.clone(),
            removed: removed.clone(),
            added: added.clone(),
            matches: matches.clone(),
            responses: responses.clone(),
            earlier: std::mem::take(&mut out),
            meta: rule.meta(),
            out: Vec::new(),
        };
        rule.check(&mut cx);
        out = cx.earlier;
        out.append(&mut cx.out);
    }
    out
}

/// Compares the connectors of two sets (two directories, or one connector each): a connector
/// of each is paired with the one of the other set of the same folder (or file) name; one on a
/// side only is reported as removed or added. Changes in the order of the old set.
pub fn diff_sets(old: &[Loaded], new: &[Loaded]) -> Result<Vec<Change>, DiffError> {
    if old.len() == 1 && new.len() == 1 {
        return diff(&old[0], &new[0]);
    }
    let key = |l: &Loaded| -> String {
        l.input
            .folder
            .as_deref()
            .unwrap_or(&l.input.definition)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for o in old {
        match new.iter().find(|n| key(n) == key(o)) {
            Some(n) => out.extend(diff(o, n)?),
            None => out.push(connector_change(
                o,
                &rules::connector_removed::ConnectorRemoved::META,
                "old",
                "was removed",
            )),
        }
    }
    for n in new {
        if !old.iter().any(|o| key(o) == key(n)) {
            out.push(connector_change(
                n,
                &rules::connector_added::ConnectorAdded::META,
                "new",
                "was added",
            ));
        }
    }
    Ok(out)
}

pub(crate) fn connector_change(
    l: &Loaded,
    meta: &'static ChangeMeta,
    side: &str,
    what: &str,
) -> Change {
    let name = l
        .connector
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_else(|| l.input.definition.display().to_string());
    let place = Place {
        file: l.input.definition.display().to_string(),
        line: 1,
        column: 1,
        pointer: String::new(),
        offset: 0,
        file_id: crate::location::FileId(0),
    };
    Change {
        code: meta.code,
        name: meta.name,
        level: meta.level,
        message: format!("connector `{name}` {what}"),
        operation: None,
        old: (side == "old").then(|| place.clone()),
        new: (side == "new").then_some(place),
        help: None,
    }
}

/// The differences of the success responses of every pair (a status in both versions).
fn response_differences<'a>(
    old: Side<'a>,
    new: Side<'a>,
    pairs: &[OperationPair<'a>],
) -> Vec<(OperationPair<'a>, schema::Found)> {
    let mut out = Vec::new();
    for p in pairs {
        for r in p.old.responses.iter().filter(|r| r.status.is_success()) {
            let Some(n) = p.new.responses.iter().find(|n| n.status == r.status) else {
                continue;
            };
            let (Some(os), Some(ns)) = (r.schema(), n.schema()) else {
                continue;
            };
            for f in schema::compare(&old.connector.types, os, &new.connector.types, ns) {
                out.push((*p, f));
            }
        }
    }
    out
}

/// The most a set of changes matters (none: `None`).
pub fn verdict(changes: &[Change]) -> Option<Level> {
    changes.iter().map(|c| c.level).max()
}
