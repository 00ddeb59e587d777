//! Change rule PC0002 `connector-added` (reported when sets of connectors are compared; this file
//! holds its documentation).

use crate::diff::DiffCx;

crate::change_rule! {
/// ## What it does
/// Reports, when two directories are compared, a connector (matched by folder name) that only the new one has.
///
/// ## Why
/// Flows built on a removed connector stop working; an added one breaks nothing.
///
/// ## Example
/// ```text
/// old: connectors/contoso-tasks/, connectors/acme-keys/
/// new: connectors/contoso-tasks/
/// ```
///
/// ## Fix
/// Nothing to fix when the change is intended.
    pub struct ConnectorAdded {
        code: "PC0002",
        name: "connector-added",
        level: Info,
        summary: "The new set has a connector the old one had not",
    }
}

fn check(_cx: &mut DiffCx<'_>) {}
