//! Rule PP0804 `script-forbidden-api`.

use super::script_checks::FORBIDDEN;
use crate::load::csharp::Kind;
use crate::validate::{Checker, Rule, RuleMeta, Scope};

crate::rule! {
    /// ## What it does
    /// Reports custom code that reaches the file system (`File`, `Directory`, `FileStream` …),
    /// sockets (`System.Net.Sockets`, `TcpClient` …), processes (`Process`,
    /// `ProcessStartInfo`), reflection (`System.Reflection`, `Activator`, `GetMethod` …) or
    /// native code (`System.Runtime.InteropServices`, `DllImport`), and `#r`/`#load` directives
    /// that bring in code from elsewhere. Comments and strings are not code and are not looked
    /// at.
    ///
    /// ## Why
    /// Custom code runs in the platform's sandbox: it may transform requests and responses and
    /// send requests through `Context.SendAsync`, nothing else. Code that reaches further fails
    /// at run time or is refused at certification.
    ///
    /// ## Example
    /// ```csharp
    /// var secret = File.ReadAllText("/etc/passwd");
    /// ```
    ///
    /// ## Fix
    /// Do the work with the request and response in memory; call services through
    /// `this.Context.SendAsync`.
    pub struct ScriptForbiddenApi {
        code: "PP0804",
        name: "script-forbidden-api",
        category: CustomCode,
        default: Some(crate::diagnostics::Severity::Error),
        certification: Error,
        summary: "script.csx reaches the file system, sockets, processes or reflection",
    }
}

impl Rule for ScriptForbiddenApi {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn scope(&self) -> Scope {
        Scope::ConnectionFiles
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(src) = cx.script else { return };
        let (file, s) = (src.file, &src.lexed);
        let text = &cx.sources.get(file).text;
        for t in s.tokens.iter().filter(|t| t.kind == Kind::Directive) {
            let line = &text[t.span.start as usize..t.span.end as usize];
            let word = line
                .trim_start_matches('#')
                .split_whitespace()
                .next()
                .unwrap_or("");
            if word == "r" || word == "load" {
                let d = cx.at_text(
                    file,
                    t.span,
                    format!("`{}` brings in code from elsewhere", line.trim()),
                );
                cx.push(d.help("custom code is one file: remove the directive"));
            }
        }
        for n in &s.names {
            let full = n.parts.join(".");
            let first = n.parts[0].as_str();
            let area = FORBIDDEN.iter().find(|a| {
                let written = a
                    .prefixes
                    .iter()
                    .any(|p| full == *p || full.starts_with(&format!("{p}.")));
                let used =
                    !n.after_dot && a.types.contains(&first) && (n.parts.len() > 1 || n.after_new);
                let member = n.after_dot && n.called && a.members.contains(&first);
                written || used || member
            });
            if let Some(a) = area {
                let d = cx.at_text(
                    file,
                    n.span,
                    format!("`{full}` reaches {}, which custom code may not use", a.what),
                );
                cx.push(d.help("custom code may transform the request and response and send requests with this.Context.SendAsync, nothing else"));
            }
        }
    }
}
