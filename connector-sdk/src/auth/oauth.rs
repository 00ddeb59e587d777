//! OAuth 2.0 for connections: the authorization-code flow with PKCE (S256) and a checked
//! `state`, client credentials, and access tokens that refresh themselves — before they expire
//! and once after a 401 — with one refresh at a time however many calls need it.
//!
//! Token requests go through the `oauth2` crate with this crate's HTTP client.

use crate::auth::secret::Secret;
use crate::Error;
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardErrorResponse,
    TokenResponse, TokenUrl,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// A token is refreshed this long before it expires (half its lifetime for tokens that live
/// less than two minutes).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Where and how to get tokens.
#[derive(Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct OAuthConfig {
    /// The application's client id.
    pub client_id: String,
    /// The application's client secret (absent for public clients).
    pub client_secret: Option<String>,
    /// Where the user signs in.
    pub authorization_url: String,
    /// Where codes and refresh tokens are exchanged.
    pub token_url: String,
    /// Where tokens are refreshed, when not the token URL.
    #[serde(default)]
    pub refresh_url: Option<String>,
    /// The redirect URI registered with the provider.
    #[serde(default)]
    pub redirect_url: String,
    /// Scopes to ask for.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Extra parameters of the authorization request (e.g. `resource`, `prompt`).
    #[serde(default)]
    pub extra_authorize: Vec<(String, String)>,
    /// For the platform's `oauth2generic` identity provider: the URL and body templates that
    /// replace the standard requests.
    #[serde(default)]
    pub generic: Option<GenericTemplates>,
}

/// The templates of an `oauth2generic` connection (apiProperties `customParameters`), with the
/// placeholders `{clientId}`, `{clientSecret}`, `{redirectUrl}`, `{State}`, `{Scopes}`, `{code}`,
/// `{refreshToken}` (any letter case) and any other name filled from `values`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct GenericTemplates {
    /// `authorizationUrlTemplate`.
    pub authorization_url: String,
    /// `authorizationUrlQueryStringTemplate`.
    #[serde(default)]
    pub authorization_query: String,
    /// `tokenUrlTemplate`.
    pub token_url: String,
    /// `tokenUrlQueryStringTemplate`.
    #[serde(default)]
    pub token_query: String,
    /// `tokenBodyTemplate` (absent: the standard form body).
    #[serde(default)]
    pub token_body: Option<String>,
    /// `refreshUrlTemplate` (absent: the token URL).
    #[serde(default)]
    pub refresh_url: Option<String>,
    /// `refreshBodyTemplate` (absent: the standard form body).
    #[serde(default)]
    pub refresh_body: Option<String>,
    /// `ScopeListDelimiter` (default: a space).
    #[serde(default)]
    pub scope_delimiter: Option<String>,
    /// Values of other placeholders (e.g. `{CustomHost}` from a connection parameter).
    #[serde(default)]
    pub values: Vec<(String, String)>,
}

/// Fills `{name}` placeholders (names compared without regard to case); values are
/// percent-encoded when `encode`; an unknown placeholder is an error naming it.
pub(crate) fn fill_template(
    template: &str,
    values: &[(&str, &str)],
    encode: bool,
) -> Result<String, Error> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return Ok(out);
        };
        let name = &rest[open + 1..open + close];
        let value = values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .ok_or_else(|| Error::Auth {
                message: format!(
                    "the OAuth template `{template}` uses `{{{name}}}`, which the connection does not give: add it as a connection parameter"
                ),
            })?;
        if encode {
            out.push_str(&crate::http::call::encode_component(value));
        } else {
            out.push_str(value);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A token endpoint's JSON answer, read without the `oauth2` crate (for `oauth2generic`).
fn generic_tokens(
    doing: &str,
    status: u16,
    body: &[u8],
    keep_refresh: Option<&str>,
) -> Result<Tokens, Error> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
    let text = |k: &str| {
        v.get(k)
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    };
    if let (true, Some(access)) = ((200..300).contains(&status), text("access_token")) {
        let life = v.get("expires_in").and_then(|e| {
            e.as_u64()
                .or_else(|| e.as_str().and_then(|s| s.parse().ok()))
        });
        return Ok(Tokens {
            access_token: access,
            refresh_token: text("refresh_token").or_else(|| keep_refresh.map(str::to_string)),
            expires_at: life.map(|l| now_secs() + l - REFRESH_MARGIN.as_secs().min(l / 2)),
        });
    }
    let detail = text("error_description")
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    let message = match text("error").as_deref() {
        Some("invalid_client") | Some("unauthorized_client") => format!(
            "the provider refused the client id or secret{detail}: check them and run `connector-gen connect` again"
        ),
        Some("invalid_grant") if doing == "refresh" => format!(
            "the refresh token was revoked or has expired{detail}: sign in again with `connector-gen connect`"
        ),
        Some("invalid_grant") => format!(
            "the provider refused the authorization code (expired or already used){detail}: sign in again"
        ),
        Some(other) => format!("the provider answered `{other}`{detail}"),
        None => format!("the token endpoint answered HTTP {status} without a token"),
    };
    Err(Error::Auth {
        message: format!("OAuth {doing} failed: {message}"),
    })
}

impl std::fmt::Debug for OAuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConfig")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("authorization_url", &self.authorization_url)
            .field("token_url", &self.token_url)
            .field("refresh_url", &self.refresh_url)
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// Tokens a provider issued.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tokens {
    /// The access token.
    pub access_token: String,
    /// The refresh token, when the provider gave one.
    pub refresh_token: Option<String>,
    /// When the access token is to be refreshed (seconds since the Unix epoch): its expiry less
    /// [`REFRESH_MARGIN`]; `None` when the provider did not say.
    pub expires_at: Option<u64>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Tokens {
    fn fresh(&self) -> bool {
        self.expires_at.is_none_or(|at| now_secs() < at)
    }
}

/// What a client needs to start a sign-in: the URL to open, and what to check and keep until
/// the provider redirects back.
pub struct Authorization {
    /// The URL the user opens.
    pub url: String,
    /// The `state` the redirect must carry back.
    pub state: String,
    verifier: PkceCodeVerifier,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Called with new tokens after each refresh (to store them).
pub type OnRefresh = Arc<dyn Fn(&Tokens) + Send + Sync>;

/// Access tokens of one connection, refreshed as needed.
pub struct TokenSource {
    config: OAuthConfig,
    http: reqwest::Client,
    tokens: tokio::sync::Mutex<Tokens>,
    /// Bumped by each refresh: a caller that saw generation `g` fail refreshes only if no one
    /// else has since.
    generation: AtomicU64,
    refreshes: AtomicU64,
    on_refresh: Option<OnRefresh>,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("config", &self.config)
            .field("refreshes", &self.refreshes.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl PartialEq for TokenSource {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for TokenSource {}

/// An error of the token endpoint, said so that the user knows what to do.
fn token_error<E: std::error::Error + 'static>(
    doing: &str,
    e: RequestTokenError<E, StandardErrorResponse<BasicErrorResponseType>>,
) -> Error {
    let message = match e {
        RequestTokenError::ServerResponse(r) => {
            let detail = r
                .error_description()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            match r.error() {
                BasicErrorResponseType::InvalidClient | BasicErrorResponseType::UnauthorizedClient => format!(
                    "the provider refused the client id or secret{detail}: check them and run `connector-gen connect` again"
                ),
                BasicErrorResponseType::InvalidGrant if doing == "refresh" => format!(
                    "the refresh token was revoked or has expired{detail}: sign in again with `connector-gen connect`"
                ),
                BasicErrorResponseType::InvalidGrant => format!(
                    "the provider refused the authorization code (expired, already used, or a PKCE mismatch){detail}: sign in again"
                ),
                other => format!("the provider answered `{}`{detail}", other.as_ref()),
            }
        }
        RequestTokenError::Request(e) => format!("cannot reach the token endpoint: {e}"),
        RequestTokenError::Parse(e, _) => {
            format!("the token endpoint's answer is not a token response: {e}")
        }
        RequestTokenError::Other(e) => e,
    };
    Error::Auth {
        message: format!("OAuth {doing} failed: {message}"),
    }
}

/// The transport error of a token request (no URL: a query could carry a code).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// This crate's HTTP client, for the `oauth2` crate.
struct Http(reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for Http {
    type Error = HttpError;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse, HttpError>> + Send + 'c>,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(send(self.0.clone(), request))
    }
}

async fn send(
    http: reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, HttpError> {
    let request = reqwest::Request::try_from(request).map_err(|e| HttpError(e.to_string()))?;
    let response = http
        .execute(request)
        .await
        .map_err(|e| HttpError(e.without_url().to_string()))?;
    let mut out = http_response(response.status());
    *out.headers_mut() = response.headers().clone();
    *out.body_mut() = response
        .bytes()
        .await
        .map_err(|e| HttpError(e.without_url().to_string()))?
        .to_vec();
    Ok(out)
}

fn http_response(status: reqwest::StatusCode) -> oauth2::HttpResponse {
    let mut r = oauth2::HttpResponse::new(Vec::new());
    *r.status_mut() = status;
    r
}

/// The HTTP client for token requests: no redirects followed (the oauth2 crate's advice
/// against SSRF).
pub fn token_http_client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| Error::Auth {
            message: format!("cannot create the HTTP client: {e}"),
        })
}

fn bad_url(what: &str, url: &str, e: impl std::fmt::Display) -> Error {
    Error::Auth {
        message: format!("the {what} `{url}` is not a URL: {e}"),
    }
}

fn tokens_of(
    r: &oauth2::StandardTokenResponse<oauth2::EmptyExtraTokenFields, oauth2::basic::BasicTokenType>,
    keep_refresh: Option<&str>,
) -> Tokens {
    Tokens {
        access_token: r.access_token().secret().clone(),
        refresh_token: r
            .refresh_token()
            .map(|t| t.secret().clone())
            .or_else(|| keep_refresh.map(str::to_string)),
        expires_at: r.expires_in().map(|d| {
            let life = d.as_secs();
            now_secs() + life - REFRESH_MARGIN.as_secs().min(life / 2)
        }),
    }
}

/// The `oauth2` client with its authorization and token endpoints set.
type Oauth2Client = oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    oauth2::basic::BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

impl OAuthConfig {
    fn client(&self, token_url: &str) -> Result<Oauth2Client, Error> {
        // A client-credentials configuration has no authorization URL; the crate wants one.
        let auth = if self.authorization_url.is_empty() {
            token_url
        } else {
            &self.authorization_url
        };
        let mut c = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_auth_uri(
                AuthUrl::new(auth.to_string())
                    .map_err(|e| bad_url("authorization URL", auth, e))?,
            )
            .set_token_uri(
                TokenUrl::new(token_url.to_string())
                    .map_err(|e| bad_url("token URL", token_url, e))?,
            );
        if let Some(secret) = &self.client_secret {
            c = c.set_client_secret(ClientSecret::new(secret.clone()));
        }
        if !self.redirect_url.is_empty() {
            c = c.set_redirect_uri(
                RedirectUrl::new(self.redirect_url.clone())
                    .map_err(|e| bad_url("redirect URL", &self.redirect_url, e))?,
            );
        }
        Ok(c)
    }

    /// Starts a sign-in: the authorization URL with a PKCE (S256) challenge and a random
    /// `state`.
    pub fn authorize(&self) -> Result<Authorization, Error> {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        if let Some(g) = &self.generic {
            // The templates decide every parameter: no PKCE (the token body could not carry
            // the verifier), the state still checked.
            let state = CsrfToken::new_random().secret().clone();
            let scopes = self
                .scopes
                .join(g.scope_delimiter.as_deref().unwrap_or(" "));
            let values = self.template_values(&state, &scopes, "", "");
            let url = format!(
                "{}{}",
                fill_template(&g.authorization_url, &values, false)?,
                fill_template(&g.authorization_query, &values, true)?
            );
            return Ok(Authorization {
                url,
                state,
                verifier,
            });
        }
        let client = self.client(&self.token_url)?;
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .set_pkce_challenge(challenge)
            .add_scopes(self.scopes.iter().cloned().map(Scope::new));
        for (k, v) in &self.extra_authorize {
            request = request.add_extra_param(k.clone(), v.clone());
        }
        let (url, state) = request.url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            verifier,
        })
    }

    /// Finishes a sign-in: checks that the redirect's `state` is the one sent, then exchanges
    /// the code with the PKCE verifier.
    pub async fn finish(
        &self,
        authorization: Authorization,
        returned_state: &str,
        code: &str,
    ) -> Result<Tokens, Error> {
        if !constant_time_eq(returned_state.as_bytes(), authorization.state.as_bytes()) {
            return Err(Error::Auth {
                message: "the sign-in came back with another `state` than the one sent: it was not started here (or was replayed); sign in again".into(),
            });
        }
        if let Some(g) = &self.generic {
            let body = g.token_body.clone().unwrap_or_else(|| {
                "grant_type=authorization_code&code={code}&redirect_uri={redirectUrl}&client_id={clientId}&client_secret={clientSecret}".into()
            });
            let url = format!("{}{}", g.token_url, g.token_query);
            return self
                .generic_request("code exchange", &url, &body, code, "")
                .await;
        }
        let http = Http(token_http_client()?);
        let client = self.client(&self.token_url)?;
        let r = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .set_pkce_verifier(authorization.verifier)
            .request_async(&http)
            .await
            .map_err(|e| token_error("code exchange", e))?;
        Ok(tokens_of(&r, None))
    }

    /// Tokens for the application itself (the client-credentials grant).
    pub async fn client_credentials(&self) -> Result<Tokens, Error> {
        let http = Http(token_http_client()?);
        let client = self.client(&self.token_url)?;
        let r = client
            .exchange_client_credentials()
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .request_async(&http)
            .await
            .map_err(|e| token_error("client credentials", e))?;
        Ok(tokens_of(&r, None))
    }

    /// The placeholder values of the generic templates.
    fn template_values<'a>(
        &'a self,
        state: &'a str,
        scopes: &'a str,
        code: &'a str,
        refresh: &'a str,
    ) -> Vec<(&'a str, &'a str)> {
        let mut v = vec![
            ("clientId", self.client_id.as_str()),
            ("clientSecret", self.client_secret.as_deref().unwrap_or("")),
            ("redirectUrl", self.redirect_url.as_str()),
            ("State", state),
            ("Scopes", scopes),
            ("code", code),
            ("refreshToken", refresh),
        ];
        if let Some(g) = &self.generic {
            v.extend(g.values.iter().map(|(k, x)| (k.as_str(), x.as_str())));
        }
        v
    }

    /// A token request of an `oauth2generic` connection: the URL and body templates filled
    /// in, the body sent as a form.
    async fn generic_request(
        &self,
        doing: &str,
        url_template: &str,
        body_template: &str,
        code: &str,
        refresh: &str,
    ) -> Result<Tokens, Error> {
        let g = self.generic.as_ref().expect("generic templates");
        let scopes = self
            .scopes
            .join(g.scope_delimiter.as_deref().unwrap_or(" "));
        let values = self.template_values("", &scopes, code, refresh);
        // The URL template's host part is not encoded; its query is.
        let (head, query) = url_template.split_once('?').unwrap_or((url_template, ""));
        let mut url = fill_template(head, &values, false)?;
        if !query.is_empty() {
            url.push('?');
            url.push_str(&fill_template(query, &values, true)?);
        }
        let body = fill_template(body_template.trim_start_matches('?'), &values, true)?;
        let response = token_http_client()?
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| Error::Auth {
                message: format!(
                    "OAuth {doing} failed: cannot reach the token endpoint: {}",
                    e.without_url()
                ),
            })?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap_or_default();
        generic_tokens(
            doing,
            status,
            &bytes,
            (!refresh.is_empty()).then_some(refresh),
        )
    }

    async fn refresh(&self, http: &reqwest::Client, refresh: &str) -> Result<Tokens, Error> {
        if let Some(g) = &self.generic {
            let url = g
                .refresh_url
                .clone()
                .unwrap_or_else(|| format!("{}{}", g.token_url, g.token_query));
            let body = g.refresh_body.clone().unwrap_or_else(|| {
                "grant_type=refresh_token&refresh_token={refreshToken}&client_id={clientId}&client_secret={clientSecret}".into()
            });
            return self
                .generic_request("refresh", &url, &body, "", refresh)
                .await;
        }
        let url = self.refresh_url.as_deref().unwrap_or(&self.token_url);
        let client = self.client(url)?;
        let http = Http(http.clone());
        let r = client
            .exchange_refresh_token(&RefreshToken::new(refresh.to_string()))
            .request_async(&http)
            .await
            .map_err(|e| token_error("refresh", e))?;
        Ok(tokens_of(&r, Some(refresh)))
    }
}

/// The platform's shared (global) OAuth redirect URI, which stopped working for new sign-ins
/// after 17 February 2024.
pub const GLOBAL_REDIRECT_URL: &str = "https://global.consent.azure-apim.net/redirect";

/// The per-connector OAuth redirect URI for a connector id (`shared_` prefix removed), as used
/// with `"redirectMode": "GlobalPerConnector"`.
pub fn per_connector_redirect_url(connector_id: &str) -> String {
    let id = connector_id.strip_prefix("shared_").unwrap_or(connector_id);
    format!("{GLOBAL_REDIRECT_URL}/{id}")
}

/// The redirect URI `connector-gen connect` listens on for a connector: the loopback address,
/// `port`, and a path of its own (`/redirect/<connector as a slug>`).
pub fn loopback_redirect_url(port: u16, connector: &str) -> String {
    format!("http://127.0.0.1:{port}/redirect/{}", slug(connector))
}

/// `Contoso Tasks` → `contoso-tasks`: lower-case ASCII letters and digits joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Compares secrets without stopping at the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl TokenSource {
    /// Tokens of `config`, refreshed with it; `on_refresh` sees each new set (to store it).
    pub fn new(
        config: OAuthConfig,
        tokens: Tokens,
        on_refresh: Option<OnRefresh>,
    ) -> Result<Self, Error> {
        Ok(TokenSource {
            config,
            http: token_http_client()?,
            tokens: tokio::sync::Mutex::new(tokens),
            generation: AtomicU64::new(0),
            refreshes: AtomicU64::new(0),
            on_refresh,
        })
    }

    /// How many times the tokens were refreshed.
    pub fn refreshes(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    /// A valid access token and its generation: refreshed first when it expires within
    /// [`REFRESH_MARGIN`]. Concurrent callers wait for one refresh.
    pub async fn access_token(&self) -> Result<(Secret, u64), Error> {
        let mut tokens = self.tokens.lock().await;
        if !tokens.fresh() {
            self.refresh_locked(&mut tokens).await?;
        }
        Ok((
            Secret::new(tokens.access_token.clone()),
            self.generation.load(Ordering::Acquire),
        ))
    }

    /// After a 401 with the token of generation `seen`: refreshes unless another caller
    /// already did since.
    pub async fn refresh_after_unauthorized(&self, seen: u64) -> Result<(), Error> {
        let mut tokens = self.tokens.lock().await;
        if self.generation.load(Ordering::Acquire) != seen {
            return Ok(());
        }
        self.refresh_locked(&mut tokens).await
    }

    async fn refresh_locked(&self, tokens: &mut Tokens) -> Result<(), Error> {
        let new = match &tokens.refresh_token {
            Some(refresh) => self.config.refresh(&self.http, refresh).await?,
            None if self.config.client_secret.is_some() && self.config.authorization_url.is_empty() => {
                self.config.client_credentials().await?
            }
            None => {
                return Err(Error::Auth {
                    message: "the access token has expired and there is no refresh token: sign in again with `connector-gen connect`".into(),
                })
            }
        };
        *tokens = new;
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        if let Some(f) = &self.on_refresh {
            f(tokens);
        }
        tracing::debug!("access token refreshed");
        Ok(())
    }
}
