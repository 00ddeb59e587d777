//! Rule PP0803 `script-class-missing`.

use crate::location::Span;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports a `script.csx` without a class named `Script` deriving from `ScriptBase`, or
    /// whose `Script` class declares no `ExecuteAsync` method; also a comment or string that
    /// never ends.
    ///
    /// ## Why
    /// The platform runs custom code by calling `ExecuteAsync` of `Script : ScriptBase`;
    /// without it the connector cannot be saved.
    ///
    /// ## Example
    /// ```csharp
    /// public class Transform : ScriptBase { ... }
    /// ```
    ///
    /// ## Fix
    /// `public class Script : ScriptBase { public override async Task<HttpResponseMessage>
    /// ExecuteAsync() { ... } }`
    pub struct ScriptClassMissing {
        code: "PP0803",
        name: "script-class-missing",
        category: CustomCode,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "script.csx has no Script : ScriptBase class with ExecuteAsync",
    }
}

impl Rule for ScriptClassMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(src) = cx.script else { return };
        let (file, s) = (src.file, &src.lexed);
        if let Some(at) = s.unterminated {
            let d = cx.at_text(
                file,
                Span::new(at, at + 1),
                "a comment or string starting here never ends",
            );
            cx.push(d.help("close it: the rest of the file is read as part of it"));
        }
        let help = "declare `public class Script : ScriptBase` with `public override async Task<HttpResponseMessage> ExecuteAsync()`";
        match &s.class {
            None => {
                let d = cx.at_text(
                    file,
                    Span::new(0, 0),
                    "script.csx declares no class named `Script`",
                );
                cx.push(d.help(help));
            }
            Some(c) if !c.bases.iter().any(|b| b == "ScriptBase") => {
                let d = cx.at_text(
                    file,
                    c.name,
                    "the class `Script` does not derive from `ScriptBase`",
                );
                cx.push(d.help(help));
            }
            Some(c) if c.execute_async.is_none() => {
                let d = cx.at_text(
                    file,
                    c.name,
                    "the class `Script` declares no `ExecuteAsync` method",
                );
                cx.push(d.help(help));
            }
            Some(_) => {}
        }
    }
}
