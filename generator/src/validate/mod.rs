//! Validation: the rule catalogue run over a loaded connector.
//!
//! Each rule lives in its own file under `rules/`, declared with [`rule!`]: a stable code, a
//! kebab-case name, a category, its severity in the `default` and `certification` profiles, and a
//! doc comment (What it does / Why / Example / Fix) from which `docs/rules.md` is generated.
//! Rules read only the model (and the source map for locations).

pub mod baseline;
pub mod config;
pub mod edit;
pub mod fix;
pub mod report;
pub mod rules;

use crate::diagnostics::fix::{Edit, Fix};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::load::source::Sources;
use crate::location::FileId;
use crate::location::{PointerBuf, Span};
use crate::model::{Connector, Origin};
use crate::pipeline::Loaded;

/// Which set of rules runs, and how strictly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Rules that catch broken connectors.
    #[default]
    Default,
    /// Also the certification rules of the platform's published Swagger Validator.
    Certification,
}

/// What area a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Reading files and references.
    Loading,
    /// Authentication and connection settings.
    Auth,
    /// The document as a whole.
    Document,
    /// Operations.
    Operations,
    /// Parameters.
    Parameters,
    /// Responses and schemas.
    Responses,
    /// Triggers.
    Triggers,
    /// Dynamic values and schemas.
    Dynamic,
    /// `apiProperties.json`: branding, publisher, policies.
    Properties,
    /// Custom code: `script.csx` and `scriptOperations`.
    CustomCode,
    /// The certification package: the folder's `readme.md` and icon.
    Package,
}

impl Category {
    /// A heading for documentation.
    pub fn title(self) -> &'static str {
        match self {
            Category::Loading => "Loading",
            Category::Auth => "Authentication",
            Category::Document => "Document",
            Category::Operations => "Operations",
            Category::Parameters => "Parameters",
            Category::Responses => "Responses and schemas",
            Category::Triggers => "Triggers",
            Category::Dynamic => "Dynamic values and schemas",
            Category::Properties => "apiProperties.json",
            Category::CustomCode => "Custom code (script.csx)",
            Category::Package => "Certification package",
        }
    }
}

/// What a rule is.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable short code, e.g. `PP0012`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `oauth-redirect-not-per-connector`.
    pub name: &'static str,
    /// Area.
    pub category: Category,
    /// Severity in the default profile (`None`: only in the certification profile).
    pub default: Option<Severity>,
    /// Severity in the certification profile.
    pub certification: Severity,
    /// Whether its findings come with a fix for `validate --fix`, and how safe it is (a rule
    /// may offer none for some findings: an edit it cannot make exactly).
    pub fix: Option<crate::diagnostics::fix::Safety>,
    /// One line.
    pub summary: &'static str,
    /// The doc comment: What it does / Why / Example / Fix (markdown).
    pub doc: &'static str,
}

impl RuleMeta {
    /// Severity under `profile` (`None`: the rule does not run).
    pub fn severity(&self, profile: Profile) -> Option<Severity> {
        match profile {
            Profile::Default => self.default,
            Profile::Certification => Some(self.certification),
        }
    }

    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn doc_text(&self) -> String {
        crate::text::doc_comment_text(self.doc)
    }
}

/// What a rule needs to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole model (the definition must have been read).
    Definition,
    /// Only `apiProperties.json` and `settings.json`: runs even when the definition is unreadable.
    ConnectionFiles,
}

/// A validation rule.
pub trait Rule: Sync + Send {
    /// What it is.
    fn meta(&self) -> &'static RuleMeta;
    /// What it needs to run.
    fn scope(&self) -> Scope {
        Scope::Definition
    }
    /// Reports what it finds.
    fn check(&self, cx: &mut Checker<'_>);
}

/// Declares a rule: a unit struct with its doc comment and a `META` constant built from it.
#[macro_export]
#[doc(hidden)]
macro_rules! rule {
    // A loader rule: its code, name and severity are the loader's (`diagnostics::codes`); the
    // file holds its documentation.
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            loader: $loader:ident,
            certification: $cert:ident,
            $(fix: $fix:ident,)?
            summary: $summary:literal $(,)?
        }
    ) => {
        $crate::rule! {
            $(#[doc = $doc])*
            pub struct $name {
                code: $crate::diagnostics::codes::$loader.code,
                name: $crate::diagnostics::codes::$loader.name,
                category: Loading,
                default: Some($crate::diagnostics::codes::$loader.severity),
                certification: $cert,
                $(fix: $fix,)?
                summary: $summary,
            }
        }
    };
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:expr,
            name: $kebab:expr,
            category: $cat:ident,
            default: $default:expr,
            certification: $cert:ident,
            $(fix: $fix:ident,)?
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;
        impl $name {
            /// The rule's metadata and documentation.
            pub const META: $crate::validate::RuleMeta = $crate::validate::RuleMeta {
                code: $code,
                name: $kebab,
                category: $crate::validate::Category::$cat,
                default: $default,
                certification: $crate::diagnostics::Severity::$cert,
                fix: $crate::__rule_fix!($($fix)?),
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// The fix safety of a [`rule!`] (none when it names none).
#[macro_export]
#[doc(hidden)]
macro_rules! __rule_fix {
    () => {
        None
    };
    ($fix:ident) => {
        Some($crate::diagnostics::fix::Safety::$fix)
    };
}

/// The files of a connector folder that a certification submission needs besides the
/// definition and its properties.
#[derive(Debug, Clone, Copy)]
pub struct Package {
    /// `readme.md`, read.
    pub readme: Option<FileId>,
    /// Whether `icon.png` is there.
    pub icon: bool,
    /// The definition file, for findings about the folder as a whole.
    pub definition: Option<FileId>,
    /// The folder lies in an `independent-publisher-connectors` folder, as independent
    /// publishers' connectors do in the platform's connectors repository.
    pub independent: bool,
}

/// A connector's custom code: its file and what the lexer found in it (lexed once per
/// connector, for every rule that reads it).
#[derive(Debug)]
pub struct ScriptSource {
    /// `script.csx` in the source map.
    pub file: FileId,
    /// Its tokens, `using` directives, `Script` class and names.
    pub lexed: crate::load::csharp::Script,
}

/// What a rule sees and where it reports.
pub struct Checker<'a> {
    /// The loaded files.
    pub sources: &'a Sources,
    /// The model.
    pub connector: &'a Connector,
    /// The connector folder's `script.csx`, lexed, when it has one.
    pub script: Option<&'a ScriptSource>,
    /// What the connector folder holds for its certification package (`None` for a definition
    /// file given on its own).
    pub package: Option<Package>,
    meta: &'static RuleMeta,
    severity: Severity,
    out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    /// A diagnostic of the current rule at an element.
    pub fn at(&self, origin: &Origin, message: impl Into<String>) -> Diagnostic {
        self.at_span(origin.file, origin.span, &origin.pointer, message)
    }

    /// A diagnostic at the member `path` below an element (e.g. its `redirectMode`), falling back
    /// to the element itself when the member is not written.
    pub fn at_member(
        &self,
        origin: &Origin,
        path: &[&str],
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut ptr = origin.pointer.clone();
        for p in path {
            ptr = ptr.join(p);
        }
        match self.sources.get(origin.file).span_of(&ptr.as_string()) {
            Some(span) => self.at_span(origin.file, span, &ptr, message),
            None => self.at(origin, message),
        }
    }

    /// A diagnostic at the key (not the value) of an element's member, e.g. a misspelt key.
    pub fn at_key(
        &self,
        file: FileId,
        key_span: Span,
        pointer: &PointerBuf,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.at_span(file, key_span, pointer, message)
    }

    fn at_span(
        &self,
        file: FileId,
        span: Span,
        pointer: &PointerBuf,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(
            &Code {
                code: self.meta.code,
                name: self.meta.name,
                severity: self.severity,
            },
            message,
        )
        .at(file, span)
        .pointer(pointer.as_string())
    }

    /// A diagnostic at a place of a file that is not a tree (the custom code).
    pub fn at_text(&self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        self.at_span(file, span, &PointerBuf::root(), message)
    }

    /// A diagnostic for a file as a whole.
    pub fn in_file(&self, file: FileId, message: impl Into<String>) -> Diagnostic {
        self.at_span(file, Span::new(0, 0), &PointerBuf::root(), message)
    }

    /// The OAuth connection parameters of `apiProperties.json` (plain and in parameter sets),
    /// with their settings.
    pub fn oauth_parameters(
        &self,
    ) -> Vec<(
        &'a crate::model::ConnectionParameter,
        &'a crate::model::OAuthSettings,
    )> {
        let Some(props) = &self.connector.connection else {
            return Vec::new();
        };
        props
            .all_parameters()
            .filter_map(|p| Some((p, p.oauth.as_ref()?)))
            .collect()
    }

    /// An editor of a file for the fixes of findings in it (`None` unless it is JSON in UTF-8).
    pub fn editor(&self, file: FileId) -> Option<edit::Editor<'a>> {
        edit::Editor::new(self.sources, file)
    }

    /// A fix of the current rule's safety made of one edit.
    pub fn fix(&self, title: impl Into<String>, edit: Option<Edit>) -> Option<Fix> {
        let safety = self.meta.fix?;
        Some(Fix::new(safety, title, vec![edit?]))
    }

    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}

/// Every rule, in code order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    rules::ALL
}

/// The rule with a code or name.
pub fn find_rule(code_or_name: &str) -> Option<&'static RuleMeta> {
    all_rules()
        .iter()
        .map(|r| r.meta())
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}

/// Runs every rule of `profile` over a loaded connector; returns the loader's diagnostics (with
/// the profile's severities) followed by the rules' findings, in source order. When the
/// definition could not be read, the rules about `apiProperties.json` and `settings.json` still
/// run.
pub fn validate(loaded: &Loaded, profile: Profile) -> Vec<Diagnostic> {
    // The loader's findings take the severity their rule has in this profile (off: dropped).
    let mut out: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter_map(|d| match find_rule(d.code) {
            Some(m) => m.severity(profile).map(|s| d.clone().severity(s)),
            None => Some(d.clone()),
        })
        .collect();
    let without_definition;
    let target: Option<(&Connector, &[Scope])> = match (&loaded.connector, &loaded.connection_only)
    {
        (Some(c), _) => Some((c, &[Scope::Definition, Scope::ConnectionFiles])),
        (None, Some(files)) => {
            without_definition = files.as_connector();
            Some((&without_definition, &[Scope::ConnectionFiles]))
        }
        (None, None) => None,
    };
    if let Some((connector, scopes)) = target {
        // What the folder holds is the same for every rule: worked out once.
        let script = loaded.script.map(|file| ScriptSource {
            file,
            lexed: crate::load::csharp::lex(&loaded.sources.get(file).text),
        });
        let package = loaded.input.folder.as_ref().map(|f| Package {
            readme: loaded.readme,
            icon: loaded.icon.is_some(),
            definition: loaded.sources.find(&loaded.input.definition),
            independent: f.components().any(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .eq_ignore_ascii_case("independent-publisher-connectors")
            }),
        });
        for rule in all_rules() {
            let meta = rule.meta();
            let Some(severity) = meta.severity(profile) else {
                continue;
            };
            if !scopes.contains(&rule.scope()) {
                continue;
            }
            let mut cx = Checker {
                sources: &loaded.sources,
                connector,
                script: script.as_ref(),
                package,
                meta,
                severity,
                out: Vec::new(),
            };
            rule.check(&mut cx);
            out.append(&mut cx.out);
        }
    }
    // An element shared through `$ref` (a parameter, a schema) is checked once for every
    // operation that uses it: report each finding once.
    crate::diagnostics::sort_diagnostics(&mut out);
    dedup_sorted(&mut out);
    out
}

/// Drops every diagnostic that repeats an earlier one (same code, file, span and message) from
/// a list sorted by [`crate::diagnostics::sort_diagnostics`]. The sort is stable and repeats
/// share its key (file, start, code), so they stand in one run after the first: each run is
/// compared within itself, by reference (no copy of a message, and no set of the whole list).
fn dedup_sorted(out: &mut Vec<Diagnostic>) {
    let key = crate::diagnostics::sort_key;
    let mut keep = vec![true; out.len()];
    let mut seen: std::collections::HashSet<(Option<Span>, &str)> = Default::default();
    for (i, d) in out.iter().enumerate() {
        let new_run = i == 0 || key(d) != key(&out[i - 1]);
        if new_run {
            // A large set is dropped rather than cleared: clearing costs its capacity, and
            // most runs after a long one are of one diagnostic.
            if seen.capacity() > 64 {
                seen = Default::default();
            } else {
                seen.clear();
            }
        }
        keep[i] = seen.insert((d.span, d.message.as_str()));
    }
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}
