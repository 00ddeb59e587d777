//! Rule PP0208 `contact-email-invalid`.

use crate::validate::{Checker, Rule, RuleMeta};

crate::rule! {
    /// ## What it does
    /// Reports an `info.contact.email` that is not an email address.
    ///
    /// ## Why
    /// Users and the certification team use it to reach the publisher.
    ///
    /// ## Example
    /// ```json
    /// "contact": { "email": "support at contoso" }
    /// ```
    ///
    /// ## Fix
    /// `"email": "support@contoso.example"`.
    pub struct ContactEmailInvalid {
        code: "PP0208",
        name: "contact-email-invalid",
        category: Document,
        default: Some(crate::diagnostics::Severity::Warning),
        certification: Error,
        summary: "info.contact.email is not an email address",
    }
}

/// A deliberately simple check: one `@`, something before it, a dot in the domain, no spaces.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

impl Rule for ContactEmailInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(contact) = &cx.connector.metadata.contact else {
            return;
        };
        let Some(email) = contact.email.as_deref() else {
            return;
        };
        if !looks_like_email(email.trim()) {
            let d = cx.at_member(
                &contact.origin,
                &["email"],
                format!("contact email \"{email}\" is not an email address"),
            );
            cx.push(d.help("write an address such as support@example.com"));
        }
    }
}
