//! The connector's policy templates as the runtime reads them.

use crate::model::*;

/// The connector's policy templates (apiProperties.json `policyTemplateInstances`) as the JSON
/// array the SDK's `Policies::from_json` reads; `None` when it has none.
pub fn policy_templates(c: &Connector) -> Option<String> {
    if c.policies.is_empty() {
        return None;
    }
    let list: Vec<serde_json::Value> = c
        .policies
        .iter()
        .map(|p| {
            let mut m = serde_json::Map::new();
            m.insert("templateId".into(), p.template_id.clone().into());
            if let Some(t) = &p.title {
                m.insert("title".into(), t.clone().into());
            }
            m.insert(
                "parameters".into(),
                p.parameters
                    .iter()
                    .cloned()
                    .collect::<serde_json::Map<_, _>>()
                    .into(),
            );
            serde_json::Value::Object(m)
        })
        .collect();
    Some(serde_json::Value::Array(list).to_string())
}
