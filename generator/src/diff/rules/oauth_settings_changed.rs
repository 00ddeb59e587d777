//! Change rule PC0506 `oauth-settings-changed`.

#[allow(unused_imports)]
use crate::diff::{match_parameters, schema, DiffCx};
#[allow(unused_imports)]
use crate::model::*;

crate::change_rule! {
/// ## What it does
/// Reports an OAuth connection parameter in both versions whose `identityProvider` or `redirectMode` changed.
///
/// ## Why
/// Existing connections were signed in with the old provider and redirect URL: their tokens no longer refresh, and the app registration must change.
///
/// ## Example
/// ```text
/// old: identityProvider: aad, redirectMode: Global
/// new: identityProvider: oauth2, redirectMode: GlobalPerConnector
/// ```
///
/// ## Fix
/// Keep the settings; create a new connector for another provider.
    pub struct OAuthSettingsChanged {
        code: "PC0506",
        name: "oauth-settings-changed",
        level: Breaking,
        summary: "The identity provider or redirect mode of the OAuth settings changed",
    }
}

fn check(cx: &mut DiffCx<'_>) {
    let (old, new) = (
        cx.old.connection_parameters(),
        cx.new.connection_parameters(),
    );
    for o in &old {
        let (Some(os), Some(n)) = (&o.oauth, new.iter().find(|n| n.name == o.name)) else {
            continue;
        };
        let Some(ns) = &n.oauth else { continue };
        let idp = |s: &OAuthSettings| {
            s.identity_provider
                .as_ref()
                .map_or("(none)".to_string(), |p| p.as_str().to_string())
        };
        let mut what = Vec::new();
        if idp(os) != idp(ns) {
            what.push(format!("identity provider {} → {}", idp(os), idp(ns)));
        }
        if os.redirect_mode != ns.redirect_mode {
            let m = |s: &OAuthSettings| s.redirect_mode.clone().unwrap_or_else(|| "(none)".into());
            what.push(format!("redirect mode {} → {}", m(os), m(ns)));
        }
        if what.is_empty() {
            continue;
        }
        let c = cx.between(
            &os.origin,
            &ns.origin,
            format!("OAuth settings of `{}`: {}", o.name, what.join(", ")),
        );
        cx.push(c);
    }
}
