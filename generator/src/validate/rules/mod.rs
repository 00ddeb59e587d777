//! The rule catalogue: one rule per file, listed here in code order.

pub mod aad_missing_resource_uri;
pub mod api_key_in_query;
pub mod auth_definitions_disagree;
pub mod base_path_invalid;
pub mod body_conflict;
pub mod connector_metadata;
pub mod consumes_missing;
pub mod contact_email_invalid;
pub mod default_response_with_schema;
pub mod description_length;
pub mod description_missing;
pub mod duplicate_key;
pub mod duplicate_path;
pub mod dynamic_operation_unknown;
pub mod dynamic_parameters_missing;
pub mod file_not_allowed;
pub mod file_outside_formdata;
pub mod file_too_large;
pub mod get_with_body;
pub mod host_invalid;
pub mod icon_brand_color;
pub mod insecure_auth_url;
pub mod internal_required_without_default;
pub mod invalid_api_properties;
pub mod invalid_extension_value;
pub mod invalid_syntax;
pub mod invalid_visibility;
pub mod json_comment;
pub mod misspelt_extension;
pub mod not_a_definition;
pub mod not_swagger2;
pub mod not_utf8;
pub mod number_not_finite;
pub mod oauth2generic_missing_templates;
pub mod oauth_redirect_not_per_connector;
pub mod oauth_redirect_url_mismatch;
pub mod operation_id_duplicate;
pub mod operation_id_missing;
pub mod operation_id_not_alphanumeric;
pub mod operation_id_too_long;
pub mod package_icon;
pub mod package_readme_missing;
pub mod package_readme_sections;
pub mod pageable_next_link_invalid;
pub mod parameter_duplicate;
pub mod parameter_summary_missing;
pub mod path_parameter_not_required;
pub mod path_parameter_url_encoding;
pub mod path_template_invalid;
pub mod policy_parameters_missing;
pub mod postman_auth_unsupported;
pub mod postman_body_not_json;
pub mod postman_credentials_in_url;
pub mod postman_request_merged;
pub mod postman_request_skipped;
pub mod postman_scripts_dropped;
pub mod postman_undefined_variable;
pub mod produces_missing;
pub mod publisher_missing;
pub mod read_error;
pub mod ref_loop;
pub mod responses_missing;
pub mod schemes_invalid;
pub mod script_checks;
pub mod script_class_missing;
pub mod script_forbidden_api;
pub mod script_namespace_not_allowed;
pub mod script_operation_unknown;
pub mod script_too_large;
pub mod secret_in_definition;
pub mod server_address_invalid;
pub mod success_response_schema_missing;
pub mod summary_invalid;
pub mod summary_missing;
pub mod title_invalid;
pub mod too_many_operations;
pub mod trailing_comma;
pub mod unexpected_type;
pub mod unknown_policy_template;
pub mod unresolved_ref;
pub mod unsupported_media_type;
pub mod unsupported_ref;
pub mod unsupported_version;
pub mod utf8_bom;
pub mod webhook_notification_content_missing;
pub mod webhook_notification_url_invalid;

use super::Rule;

/// Every rule, in code order.
pub static ALL: &[&dyn Rule] = &[
    &invalid_syntax::InvalidSyntax,
    &utf8_bom::Utf8Bom,
    &trailing_comma::TrailingComma,
    &duplicate_key::DuplicateKey,
    &not_utf8::NotUtf8,
    &json_comment::JsonComment,
    &unresolved_ref::UnresolvedRef,
    &ref_loop::RefLoop,
    &unsupported_ref::UnsupportedRef,
    &insecure_auth_url::InsecureAuthUrl,
    &api_key_in_query::ApiKeyInQuery,
    &oauth_redirect_not_per_connector::OAuthRedirectNotPerConnector,
    &oauth_redirect_url_mismatch::OAuthRedirectUrlMismatch,
    &aad_missing_resource_uri::AadMissingResourceUri,
    &oauth2generic_missing_templates::OAuth2GenericMissingTemplates,
    &auth_definitions_disagree::AuthDefinitionsDisagree,
    &secret_in_definition::SecretInDefinition,
    &file_not_allowed::FileNotAllowed,
    &number_not_finite::NumberNotFinite,
    &not_a_definition::NotADefinition,
    &postman_body_not_json::PostmanBodyNotJson,
    &postman_credentials_in_url::PostmanCredentialsInUrl,
    &postman_scripts_dropped::PostmanScriptsDropped,
    &postman_undefined_variable::PostmanUndefinedVariable,
    &postman_auth_unsupported::PostmanAuthUnsupported,
    &postman_request_skipped::PostmanRequestSkipped,
    &postman_request_merged::PostmanRequestMerged,
    &unsupported_version::UnsupportedVersion,
    &unexpected_type::UnexpectedType,
    &misspelt_extension::MisspeltExtension,
    &invalid_extension_value::InvalidExtensionValue,
    &read_error::ReadError,
    &invalid_api_properties::InvalidApiProperties,
    &not_swagger2::NotSwagger2,
    &host_invalid::HostInvalid,
    &base_path_invalid::BasePathInvalid,
    &schemes_invalid::SchemesInvalid,
    &title_invalid::TitleInvalid,
    &description_length::DescriptionLength,
    &connector_metadata::ConnectorMetadata,
    &contact_email_invalid::ContactEmailInvalid,
    &too_many_operations::TooManyOperations,
    &file_too_large::FileTooLarge,
    &duplicate_path::DuplicatePath,
    &server_address_invalid::ServerAddressInvalid,
    &operation_id_not_alphanumeric::OperationIdNotAlphanumeric,
    &operation_id_missing::OperationIdMissing,
    &operation_id_duplicate::OperationIdDuplicate,
    &operation_id_too_long::OperationIdTooLong,
    &summary_missing::SummaryMissing,
    &summary_invalid::SummaryInvalid,
    &description_missing::DescriptionMissing,
    &invalid_visibility::InvalidVisibility,
    &internal_required_without_default::InternalRequiredWithoutDefault,
    &path_parameter_not_required::PathParameterNotRequired,
    &path_parameter_url_encoding::PathParameterUrlEncoding,
    &get_with_body::GetWithBody,
    &body_conflict::BodyConflict,
    &file_outside_formdata::FileOutsideFormData,
    &consumes_missing::ConsumesMissing,
    &unsupported_media_type::UnsupportedMediaType,
    &responses_missing::ResponsesMissing,
    &success_response_schema_missing::SuccessResponseSchemaMissing,
    &default_response_with_schema::DefaultResponseWithSchema,
    &pageable_next_link_invalid::PageableNextLinkInvalid,
    &parameter_duplicate::ParameterDuplicate,
    &path_template_invalid::PathTemplateInvalid,
    &produces_missing::ProducesMissing,
    &parameter_summary_missing::ParameterSummaryMissing,
    &dynamic_operation_unknown::DynamicOperationUnknown,
    &dynamic_parameters_missing::DynamicParametersMissing,
    &webhook_notification_url_invalid::WebhookNotificationUrlInvalid,
    &webhook_notification_content_missing::WebhookNotificationContentMissing,
    &icon_brand_color::IconBrandColor,
    &publisher_missing::PublisherMissing,
    &policy_parameters_missing::PolicyParametersMissing,
    &unknown_policy_template::UnknownPolicyTemplate,
    &script_too_large::ScriptTooLarge,
    &script_namespace_not_allowed::ScriptNamespaceNotAllowed,
    &script_class_missing::ScriptClassMissing,
    &script_forbidden_api::ScriptForbiddenApi,
    &script_operation_unknown::ScriptOperationUnknown,
    &package_readme_missing::PackageReadmeMissing,
    &package_readme_sections::PackageReadmeSections,
    &package_icon::PackageIcon,
];
