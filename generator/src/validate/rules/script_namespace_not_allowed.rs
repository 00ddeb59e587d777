//! Rule PP0802 `script-namespace-not-allowed`.

use super::script_checks::ALLOWED_NAMESPACES;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports a `using` directive of `script.csx` whose namespace is not one the platform lets
    /// custom code use (`System`, `System.Net.Http`, `Newtonsoft.Json.Linq`, … — the platform's
    /// documented list).
    ///
    /// ## Why
    /// The platform compiles custom code against those namespaces only: any other fails when the
    /// connector is saved.
    ///
    /// ## Example
    /// ```csharp
    /// using System.Data.SqlClient;
    /// ```
    ///
    /// ## Fix
    /// Remove the directive and do the work with the allowed namespaces (or in the service).
    pub struct ScriptNamespaceNotAllowed {
        code: "PP0802",
        name: "script-namespace-not-allowed",
        category: CustomCode,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "script.csx uses a namespace the platform does not allow",
    }
}

impl Rule for ScriptNamespaceNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(src) = cx.script else { return };
        let (file, s) = (src.file, &src.lexed);
        for u in &s.usings {
            // `using static System.Math;` and `using J = Newtonsoft.Json.Linq.JObject;`: a type of
            // an allowed namespace is allowed.
            let allowed = ALLOWED_NAMESPACES.iter().any(|ns| {
                u.name == *ns
                    || u.may_be_type
                        && u.name
                            .strip_prefix(ns)
                            .and_then(|rest| rest.strip_prefix('.'))
                            .is_some_and(|t| !t.contains('.') && is_type_of(ns, t))
            });
            if !allowed {
                let d = cx.at_text(
                    file,
                    u.span,
                    format!(
                        "`using {};`: custom code may not use this namespace",
                        u.name
                    ),
                );
                cx.push(d.help(format!(
                    "the platform allows {}",
                    ALLOWED_NAMESPACES.join(", ")
                )));
            }
        }
    }
}

/// Whether `ns.t` can be a type of `ns` rather than another namespace: it is not one of the
/// allowed namespaces itself (a type of a namespace that is not allowed is not allowed either,
/// as `System.Data` is not in the list and `System.Data.X` has more dots).
fn is_type_of(ns: &str, t: &str) -> bool {
    !ALLOWED_NAMESPACES.contains(&format!("{ns}.{t}").as_str())
}
