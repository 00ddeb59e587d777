//! Facts about triggers: where a webhook registration carries its notification URL.

use crate::model::*;

/// The body parameter that carries the notification URL, and the property path inside it
/// (`body/callbackUrl` → (`body`, [`callbackUrl`])).
pub fn notification_target(op: &Operation) -> Option<(String, Vec<String>)> {
    let OperationKind::WebhookTrigger {
        notification_url_param: Some(p),
        ..
    } = &op.kind
    else {
        return None;
    };
    let mut segments = p.split('/').map(str::to_string);
    let first = segments.next()?;
    Some((first, segments.collect()))
}
