//! The change rules: one per file, listed here in code order.

pub mod connection_parameter_added;
pub mod connection_parameter_removed;
pub mod connection_parameter_retyped;
pub mod connection_parameter_set_changed;
pub mod connector_added;
pub mod connector_removed;
pub mod dynamic_operation_changed;
pub mod host_changed;
pub mod long_running_changed;
pub mod notification_content_changed;
pub mod oauth_scopes_changed;
pub mod oauth_settings_changed;
pub mod operation_added;
pub mod operation_deprecated;
pub mod operation_id_renamed;
pub mod operation_kind_changed;
pub mod operation_method_or_path_changed;
pub mod operation_removed;
pub mod operation_visibility_changed;
pub mod pageable_changed;
pub mod parameter_became_required;
pub mod parameter_default_changed;
pub mod parameter_encoding_changed;
pub mod parameter_enum_value_removed;
pub mod parameter_location_changed;
pub mod parameter_removed;
pub mod parameter_renamed;
pub mod parameter_required_added;
pub mod parameter_type_changed;
pub mod parameter_visibility_changed;
pub mod policy_template_added;
pub mod policy_template_changed;
pub mod request_body_changed;
pub mod request_media_type_removed;
pub mod response_body_changed;
pub mod response_enum_value_added;
pub mod response_header_removed;
pub mod response_status_removed;
pub mod security_changed;
pub mod server_removed;
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
    &operation_deprecated::OperationDeprecated,
    &operation_visibility_changed::OperationVisibilityChanged,
    &notification_content_changed::NotificationContentChanged,
    &parameter_removed::ParameterRemoved,
    &parameter_required_added::ParameterRequiredAdded,
    &parameter_renamed::ParameterRenamed,
    &parameter_location_changed::ParameterLocationChanged,
    &parameter_type_changed::ParameterTypeChanged,
    &parameter_became_required::ParameterBecameRequired,
    &parameter_enum_value_removed::ParameterEnumValueRemoved,
    &parameter_default_changed::ParameterDefaultChanged,
    &parameter_encoding_changed::ParameterEncodingChanged,
    &parameter_visibility_changed::ParameterVisibilityChanged,
    &dynamic_operation_changed::DynamicOperationChanged,
    &request_body_changed::RequestBodyChanged,
    &request_media_type_removed::RequestMediaTypeRemoved,
    &response_status_removed::ResponseStatusRemoved,
    &response_body_changed::ResponseBodyChanged,
    &response_enum_value_added::ResponseEnumValueAdded,
    &pageable_changed::PageableChanged,
    &long_running_changed::LongRunningChanged,
    &response_header_removed::ResponseHeaderRemoved,
    &security_changed::SecurityChanged,
    &oauth_scopes_changed::OAuthScopesChanged,
    &connection_parameter_added::ConnectionParameterAdded,
    &connection_parameter_removed::ConnectionParameterRemoved,
    &connection_parameter_retyped::ConnectionParameterRetyped,
    &oauth_settings_changed::OAuthSettingsChanged,
    &policy_template_changed::PolicyTemplateChanged,
    &policy_template_added::PolicyTemplateAdded,
    &connection_parameter_set_changed::ConnectionParameterSetChanged,
    &host_changed::HostChanged,
    &version_not_bumped::VersionNotBumped,
    &server_removed::ServerRemoved,
];
