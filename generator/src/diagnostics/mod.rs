//! Diagnostics: what the loader, the lowering and the validator say about a definition.

pub mod codes;
pub mod fix;
pub mod render;

use crate::location::{FileId, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The definition is broken: it cannot be used as it is.
    Error,
    /// Probably a mistake, or something a strict reader would refuse.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A stable diagnostic code with its kebab-case name and default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// Short stable code, e.g. `PP0003`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `trailing-comma`.
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub severity: Severity,
}

/// Another place a diagnostic refers to (e.g. the first of two duplicate keys).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// The file.
    pub file: FileId,
    /// Where in it.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One finding, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Stable code, e.g. `PP0003`.
    pub code: &'static str,
    /// Kebab-case name of the rule.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file it is in, when it is in one.
    pub file: Option<FileId>,
    /// Where in the file.
    pub span: Option<Span>,
    /// The JSON pointer of the element concerned, when known.
    pub pointer: Option<String>,
    /// What to do about it.
    pub help: Option<std::borrow::Cow<'static, str>>,
    /// Other places involved.
    pub related: Vec<Related>,
    /// The edits that would mend it, when the rule knows them.
    pub fix: Option<fix::Fix>,
}

impl Diagnostic {
    /// A diagnostic of `code` saying `message`, not yet located.
    pub fn new(code: &Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.code,
            name: code.name,
            severity: code.severity,
            message: message.into(),
            file: None,
            span: None,
            pointer: None,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    /// Places it at `span` of `file`.
    pub fn at(mut self, file: FileId, span: Span) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self
    }

    /// Records the JSON pointer of the element concerned.
    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Adds what to do about it.
    pub fn help(mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds another place involved.
    pub fn related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Offers a fix (none when `fix` is `None`: an edit that could not be made exactly).
    pub fn fix(mut self, fix: Option<fix::Fix>) -> Self {
        self.fix = fix;
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Orders diagnostics by file, then position, then code: stable output for people and snapshots.
///
/// The keys are sorted with their positions (stable), and the diagnostics then moved once into
/// their places: a merge sort of the diagnostics themselves keeps half of them again as scratch
/// (60 MB for the 600,000 of a definition of 100,000 operations); the keys take 40 bytes each.
pub fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by_cached_key(sort_key);
}

/// What [`sort_diagnostics`] orders by: the file, the start of the span, the code.
pub fn sort_key(d: &Diagnostic) -> (Option<FileId>, Option<u32>, &'static str) {
    (d.file, d.span.map(|s| s.start), d.code)
}
