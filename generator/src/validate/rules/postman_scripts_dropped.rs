//! Rule PP0124 `postman-scripts-dropped` (reported by the loader; this file holds its documentation).

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
/// ## What it does
/// Reports, once per collection, how many pre-request and test scripts it holds (v2 `event` entries with code, v1 `preRequestScript` and `tests`).
///
/// ## Why
/// A definition cannot run scripts: whatever they compute (signatures, tokens, timestamps) has to be given another way.
///
/// ## Example
/// ```json
/// {"event": [{"listen": "prerequest", "script": {"exec": ["pm.variables.set('ts', Date.now())"]}}]}
/// ```
///
/// ## Fix
/// Make the computed values parameters or connection settings, or use a policy template.
    pub struct PostmanScriptsDropped {
        loader: POSTMAN_SCRIPTS_DROPPED,
        certification: Info,
        summary: "Postman pre-request or test scripts are not converted",
    }
}

impl Rule for PostmanScriptsDropped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, _cx: &mut Checker<'_>) {}
}
