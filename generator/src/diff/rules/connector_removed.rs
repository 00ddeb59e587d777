//! Change rule PC0001 `connector-removed` (reported when sets of connectors are compared; this file
//! holds its documentation).

use crate::diff::DiffCx;

crate::change_rule! {
/// ## What it does
/// Reports, when two directories are compared, a connector (matched by folder name) that only the old one has.
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
    pub struct ConnectorRemoved {
        code: "PC0001",
        name: "connector-removed",
        level: Breaking,
        summary: "A connector of the old set is gone",
    }
}

fn check(_cx: &mut DiffCx<'_>) {}
