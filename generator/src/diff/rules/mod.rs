//! The change rules: one per file, listed here in code order.

pub mod connector_added;
pub mod connector_removed;
pub mod host_changed;
pub mod long_running_changed;
pub mod operation_added;
pub mod operation_id_renamed;
pub mod operation_kind_changed;
pub mod operation_method_or_path_changed;
pub mod operation_removed;
pub mod pageable_changed;
pub mod parameter_became_required;
pub mod parameter_enum_value_removed;
pub mod parameter_location_changed;
pub mod parameter_removed;
pub mod parameter_renamed;
pub mod parameter_required_added;
pub mod parameter_type_changed;
pub mod request_body_changed;
pub mod response_body_changed;
pub mod response_enum_value_added;
pub mod response_status_removed;
pub mod security_changed;
pub mod trigger_mode_changed;
pub mod version_not_bumped;

/// Every change rule, in code order.
pub static ALL: &[&dyn super::ChangeRule] = &[
    &connector_removed::ConnectorRemoved,
    &connector_added::ConnectorAdded,
    &operation_removed::OperationRemoved,
    &operation_added::OperationAdded,
    &operation_id_renamed::OperationIdRenamed,
    &operation_method_or_path_changed::OperationMethodOrPathChanged,
    &operation_kind_changed::OperationKindChanged,
    &trigger_mode_changed::TriggerModeChanged,
    &parameter_removed::ParameterRemoved,
    &parameter_required_added::ParameterRequiredAdded,
    &parameter_renamed::ParameterRenamed,
    &parameter_location_changed::ParameterLocationChanged,
    &parameter_type_changed::ParameterTypeChanged,
    &parameter_became_required::ParameterBecameRequired,
    &parameter_enum_value_removed::ParameterEnumValueRemoved,
    &request_body_changed::RequestBodyChanged,
    &response_status_removed::ResponseStatusRemoved,
    &response_body_changed::ResponseBodyChanged,
    &response_enum_value_added::ResponseEnumValueAdded,
    &pageable_changed::PageableChanged,
    &long_running_changed::LongRunningChanged,
    &security_changed::SecurityChanged,
    &host_changed::HostChanged,
    &version_not_bumped::VersionNotBumped,
];
