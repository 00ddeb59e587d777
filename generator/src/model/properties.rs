//! `apiProperties.json` and `settings.json`: connection parameters, policy templates, publisher.

use super::Origin;

/// The type of a connection parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionParameterType {
    /// `securestring`: a secret (API key, password).
    SecureString,
    /// `string`.
    String,
    /// `int`.
    Int,
    /// `bool`.
    Bool,
    /// `oauthSetting`: an OAuth 2.0 sign-in.
    OAuthSetting,
    /// `gatewaySetting`: an on-premises data gateway.
    GatewaySetting,
    /// `clientCertificate`.
    ClientCertificate,
    /// Anything else, as written.
    Other(String),
}

impl ConnectionParameterType {
    /// Reads a `type` value (case-insensitively; the exact spelling stays in `type_raw`).
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "securestring" => Self::SecureString,
            "string" => Self::String,
            "int" => Self::Int,
            "bool" => Self::Bool,
            "oauthsetting" => Self::OAuthSetting,
            "gatewaysetting" => Self::GatewaySetting,
            "clientcertificate" => Self::ClientCertificate,
            _ => Self::Other(s.to_string()),
        }
    }
}

/// The identity provider of an OAuth connection parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityProvider {
    /// `oauth2`: generic authorization code with the swagger's URLs.
    OAuth2,
    /// `aad`: Microsoft Entra ID.
    Aad,
    /// `aadcertificate`: Entra ID with a certificate.
    AadCertificate,
    /// `oauth2generic`: URL and body templates.
    OAuth2Generic,
    /// A named first-party provider (e.g. `DocuSign`) or anything else, as written.
    Other(String),
}

impl IdentityProvider {
    /// The value as the platform spells it (`Other` as written).
    pub fn as_str(&self) -> &str {
        match self {
            Self::OAuth2 => "oauth2",
            Self::Aad => "aad",
            Self::AadCertificate => "aadcertificate",
            Self::OAuth2Generic => "oauth2generic",
            Self::Other(s) => s,
        }
    }

    /// Reads an `identityProvider` value.
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "oauth2" => Self::OAuth2,
            "aad" => Self::Aad,
            "aadcertificate" => Self::AadCertificate,
            "oauth2generic" => Self::OAuth2Generic,
            _ => Self::Other(s.to_string()),
        }
    }
}

/// `oAuthSettings` of an `oauthSetting` connection parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthSettings {
    /// `identityProvider` as read.
    pub identity_provider: Option<IdentityProvider>,
    /// `clientId`.
    pub client_id: Option<String>,
    /// `scopes`.
    pub scopes: Vec<String>,
    /// `redirectMode` as written (`GlobalPerConnector`, `Global`, `Direct`...); `None` when absent.
    pub redirect_mode: Option<String>,
    /// `redirectUrl`.
    pub redirect_url: Option<String>,
    /// `customParameters`: name → `value` (non-string values as JSON text).
    pub custom_parameters: Vec<(String, Option<String>)>,
    /// `properties` (e.g. `IsFirstParty`, `AzureActiveDirectoryResourceId`).
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// The whole object as written.
    pub raw: serde_json::Value,
    /// Where it is written.
    pub origin: Origin,
}

impl OAuthSettings {
    /// The value of a custom parameter.
    pub fn custom(&self, name: &str) -> Option<&str> {
        self.custom_parameters
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// A connection parameter (`connectionParameters.<name>`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionParameter {
    /// The name.
    pub name: String,
    /// The type as understood.
    pub kind: ConnectionParameterType,
    /// The type as written.
    pub type_raw: Option<String>,
    /// `uiDefinition.displayName`.
    pub display_name: Option<String>,
    /// `uiDefinition.description`.
    pub description: Option<String>,
    /// `uiDefinition.tooltip`.
    pub tooltip: Option<String>,
    /// `uiDefinition.constraints.required` (`"true"` / `true`).
    pub required: bool,
    /// `uiDefinition.constraints.hidden`.
    pub hidden: bool,
    /// `uiDefinition.constraints.allowedValues[*].value`.
    pub allowed_values: Vec<String>,
    /// `oAuthSettings`, for OAuth parameters.
    pub oauth: Option<OAuthSettings>,
    /// The whole object as written.
    pub raw: serde_json::Value,
    /// Where it is written.
    pub origin: Origin,
}

/// One alternative of `connectionParameterSets`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionParameterSet {
    /// `name`.
    pub name: String,
    /// `uiDefinition.displayName`.
    pub display_name: Option<String>,
    /// Its parameters.
    pub parameters: Vec<ConnectionParameter>,
    /// Where it is written.
    pub origin: Origin,
}

/// The policy templates the platform (and our runtime) knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyKind {
    /// `setheader`
    SetHeader,
    /// `setqueryparameter`
    SetQueryParameter,
    /// `dynamichosturl`
    DynamicHostUrl,
    /// `routerequesttoendpoint`
    RouteRequestToEndpoint,
    /// `updatenextlink`
    UpdateNextLink,
    /// `setproperty`
    SetProperty,
    /// `pollingtrigger`
    PollingTrigger,
    /// `setvaluefromurl`
    SetValueFromUrl,
    /// `stringreplace`
    StringReplace,
    /// `convertobjecttoarray`
    ConvertObjectToArray,
    /// `convertarraytoobject`
    ConvertArrayToObject,
    /// Anything else, as written.
    Other(String),
}

impl PolicyKind {
    /// Reads a `templateId` (case-insensitively, as real files vary: `dynamicHostUrl`, `SetProperty`).
    pub fn parse(id: &str) -> Self {
        match id.to_ascii_lowercase().as_str() {
            "setheader" => Self::SetHeader,
            "setqueryparameter" => Self::SetQueryParameter,
            "dynamichosturl" => Self::DynamicHostUrl,
            "routerequesttoendpoint" => Self::RouteRequestToEndpoint,
            "updatenextlink" => Self::UpdateNextLink,
            "setproperty" => Self::SetProperty,
            "pollingtrigger" => Self::PollingTrigger,
            "setvaluefromurl" => Self::SetValueFromUrl,
            "stringreplace" => Self::StringReplace,
            "convertobjecttoarray" => Self::ConvertObjectToArray,
            "convertarraytoobject" => Self::ConvertArrayToObject,
            _ => Self::Other(id.to_string()),
        }
    }
}

/// A `policyTemplateInstances` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyTemplate {
    /// `templateId` as written.
    pub template_id: String,
    /// What it is.
    pub kind: PolicyKind,
    /// `title`.
    pub title: Option<String>,
    /// `parameters`, in written order (e.g. `x-ms-apimTemplateParameter.name`).
    pub parameters: Vec<(String, serde_json::Value)>,
    /// Where it is written.
    pub origin: Origin,
}

/// `apiProperties.json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiProperties {
    /// `connectionParameters`.
    pub parameters: Vec<ConnectionParameter>,
    /// `connectionParameterSets.values`.
    pub parameter_sets: Vec<ConnectionParameterSet>,
    /// `iconBrandColor`.
    pub icon_brand_color: Option<String>,
    /// `capabilities`.
    pub capabilities: Vec<String>,
    /// `publisher`.
    pub publisher: Option<String>,
    /// `stackOwner`.
    pub stack_owner: Option<String>,
    /// `scriptOperations`.
    pub script_operations: Vec<String>,
    /// Other members of `properties`, as written.
    pub other: Vec<(String, serde_json::Value)>,
    /// Where `properties` is written.
    pub origin: Origin,
}

impl ApiProperties {
    /// Every connection parameter, from the plain list and from every parameter set.
    pub fn all_parameters(&self) -> impl Iterator<Item = &ConnectionParameter> {
        self.parameters
            .iter()
            .chain(self.parameter_sets.iter().flat_map(|s| s.parameters.iter()))
    }
}

/// `settings.json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// `connectorId` (e.g. `shared_contoso-5f...`).
    pub connector_id: Option<String>,
    /// `environment`.
    pub environment: Option<String>,
    /// Every member, as written.
    pub raw: serde_json::Value,
    /// Where it is written.
    pub origin: Origin,
}

/// What `apiProperties.json` and `settings.json` say, read on their own.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConnectionFiles {
    /// `apiProperties.json`, when it could be read.
    pub properties: Option<ApiProperties>,
    /// Its policy templates.
    pub policies: Vec<PolicyTemplate>,
    /// `settings.json`, when present.
    pub settings: Option<Settings>,
}

impl ConnectionFiles {
    /// A connector of which only the connection files are known: no definition, no operations
    /// (what the rules scoped to the connection files check when the definition is unreadable).
    pub fn as_connector(&self) -> super::Connector {
        super::Connector {
            name: String::new(),
            title: String::new(),
            description: None,
            version: None,
            format: super::SpecFormat::Swagger2,
            host: None,
            base_path: None,
            schemes: Vec::new(),
            servers: Vec::new(),
            consumes: Vec::new(),
            produces: Vec::new(),
            auth: Vec::new(),
            security: Vec::new(),
            connection: self.properties.clone(),
            settings: self.settings.clone(),
            policies: self.policies.clone(),
            operations: Vec::new(),
            types: Default::default(),
            metadata: Default::default(),
            extensions: Default::default(),
            origin: Origin::default(),
        }
    }
}
