//! Rule PP0704 `unknown-policy-template`.

use crate::model::PolicyKind;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports policy template instances whose `templateId` is not one of the platform's
    /// templates.
    ///
    /// ## Why
    /// An unknown template does nothing on the platform, and the runtime here cannot apply it
    /// either.
    ///
    /// ## Example
    /// ```json
    /// { "templateId": "setheaders", ... }
    /// ```
    ///
    /// ## Fix
    /// Correct the id (setheader, setqueryparameter, dynamichosturl, routerequesttoendpoint,
    /// updatenextlink, setproperty, pollingtrigger, setvaluefromurl, stringreplace,
    /// convertobjecttoarray, convertarraytoobject, ...).
    pub struct UnknownPolicyTemplate {
        code: "PP0704",
        name: "unknown-policy-template",
        category: Properties,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "Unknown policy templateId",
    }
}

/// Templates the platform offers beyond the ones the model names.
const OTHER_KNOWN: [&str; 5] = [
    "dynamicsubdomain",
    "moveproperties",
    "setconnectionstatustounauthenticated",
    "stringtoarray",
    "encodepropertyvalue",
];

impl Rule for UnknownPolicyTemplate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        for p in &cx.connector.policies {
            if let PolicyKind::Other(id) = &p.kind {
                if OTHER_KNOWN.contains(&id.to_ascii_lowercase().as_str()) {
                    continue;
                }
                let d = cx.at_member(
                    &p.origin,
                    &["templateId"],
                    format!("policy templateId \"{id}\" is not a known template"),
                );
                cx.push(d.help("check the spelling of the templateId"));
            }
        }
    }
}
