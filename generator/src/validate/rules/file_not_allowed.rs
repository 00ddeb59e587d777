//! Rule PP0018 `file-not-allowed` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports a file the definition may not read: a `$ref` with an absolute path or with `..`
/// leading out of the definition's folder, a file (or the definition itself) that is a symbolic
/// link whose real path lies outside that folder, and anything that is not a regular file (a
/// FIFO, a device, a socket). Nothing is read from such a file.
///
/// ## Why
/// Definitions come from strangers, and the validator runs on their pull requests. A
/// `{"$ref": "/proc/self/environ"}` would otherwise print the CI job's environment, tokens
/// included, in a snippet; a FIFO would hang the job and `/dev/zero` exhaust its memory.
///
/// ## Example
/// ```json
/// {"schema": {"$ref": "../../secrets/token.json#/value"}}
/// ```
///
/// ## Fix
/// Keep every file the definition refers to as a regular file inside its folder, referred to
/// by a relative path. A definition that really spans folders can be read with
/// `--root DIR` (or `roots = ["DIR"]` in the `--config` file), which allows files under DIR.
    pub struct FileNotAllowed {
        loader: FILE_NOT_ALLOWED,
        certification: Error,
        summary: "A file outside the definition's folder, or not a regular file",
    }
}

impl Rule for FileNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
