//! One exchange with a service: the request of a call (or of a link the service gave) with
//! the connection's credential, the redirects it gets followed by hand — nothing the connection
//! or the call adds crosses to another origin — and the response read within its size limit.

use super::call::{Body, Call, Name};
use super::client::Client;
use super::response::Response;
use crate::auth::connection::{Credential, KeyLocation};
use crate::auth::secret::Secret;
use crate::Error;

impl Client {
    /// One attempt; a transport error says whether the connection could not be made at all.
    /// The call is borrowed: a JSON or form body is encoded from it, so attempts copy nothing
    /// but the bytes of multipart and binary bodies.
    pub(super) async fn send_once(
        &self,
        call: &Call,
        token: Option<&Secret>,
    ) -> Result<Response, (Error, bool)> {
        let operation = &call.spec.id;
        let url = call
            .url(&self.connection.base_url)
            .and_then(|u| {
                reqwest::Url::parse(&u).map_err(|e| Error::Request {
                    operation: operation.to_string(),
                    // Without the query string: it may hold an API key.
                    message: format!("invalid URL `{}`: {e}", without_query(&u)),
                })
            })
            .map_err(|e| (e, false))?;
        let method = reqwest::Method::from_bytes(call.method().as_bytes()).map_err(|_| {
            (
                Error::Request {
                    operation: operation.to_string(),
                    message: format!("invalid method {}", call.method()),
                },
                false,
            )
        })?;
        let build = |method: reqwest::Method, url: reqwest::Url, hop: Hop| {
            // Off the connector's origin a request carries nothing of the call or the
            // connection: not the credential, not the headers (parameters and policy headers
            // may hold connection values), not the body.
            if !hop.credentials {
                return self.http.request(method, url);
            }
            let mut req = self.authorized(method, url, token);
            for (k, v) in &call.headers {
                req = req.header(&**k, v.as_str());
            }
            if !hop.body {
                return req;
            }
            match &call.body {
                None => req,
                Some(Body::Json(v)) => req
                    .header("content-type", "application/json")
                    .body(serde_json::to_vec(v).unwrap_or_default()),
                Some(Body::Form(fields)) => {
                    let encoded: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| {
                            format!(
                                "{}={}",
                                crate::http::call::encode_component(k),
                                crate::http::call::encode_component(v)
                            )
                        })
                        .collect();
                    req.header("content-type", "application/x-www-form-urlencoded")
                        .body(encoded.join("&"))
                }
                Some(Body::Multipart(parts)) => {
                    let mut form = reqwest::multipart::Form::new();
                    for p in parts {
                        let mut part = reqwest::multipart::Part::bytes(p.data.clone());
                        if let Some(f) = &p.file_name {
                            part = part.file_name(f.clone());
                        }
                        form = form.part(p.name.clone(), part);
                    }
                    req.multipart(form)
                }
                Some(Body::Bytes(data, content_type)) => req
                    .header("content-type", content_type.as_str())
                    .body(data.clone()),
            }
        };
        let first = Hop {
            credentials: true,
            body: call.body.is_some(),
        };
        let response = self.exchange(operation, method, url, first, &build).await?;
        self.answered(response).map_err(|e| (e, false))
    }

    /// Sends a request and follows the redirects it gets (at most [`Client::with_max_redirects`]):
    /// `build` makes the request of each hop. The origin of the first URL is the one the
    /// connection's credential belongs to: once a redirect leaves it, no later hop carries the
    /// credential, even back on that origin.
    async fn exchange(
        &self,
        operation: &Name,
        mut method: reqwest::Method,
        mut url: reqwest::Url,
        mut hop: Hop,
        build: &(dyn Fn(reqwest::Method, reqwest::Url, Hop) -> reqwest::RequestBuilder + Sync),
    ) -> Result<Response, (Error, bool)> {
        if !url.username().is_empty() || url.password().is_some() {
            // The HTTP client would send them as Basic authentication, to whatever host the
            // URL names: a definition (or a service's link) is no place for credentials.
            return Err((
                Error::Request {
                    operation: operation.to_string(),
                    message: format!(
                        "the URL for {} carries credentials (user:…@); nothing was sent (credentials belong in the connection, not in a definition or a link)",
                        host_of(&url)
                    ),
                },
                false,
            ));
        }
        // The credential's origin, worked out at the first redirect (most requests have none).
        let mut origin: Option<url::Origin> = None;
        let mut redirects = 0;
        loop {
            // The URL goes to the request; a redirect gives it back (most requests have none,
            // and need no copy of it).
            let host = host_of(&url);
            let (response, sent) = self
                .transmit(operation, host, build(method.clone(), url, hop))
                .await?;
            // `transmit` gives the URL back only for a redirect to follow.
            let Some(sent) = sent else {
                return Ok(response);
            };
            let Some(location) = response.header("location").map(str::to_string) else {
                return Ok(response);
            };
            url = sent;
            let refuse = |target: &str, reason: String| {
                (
                    Error::Redirect {
                        operation: operation.to_string(),
                        host: authority_of(&url),
                        target: without_query(target).to_string(),
                        reason,
                    },
                    false,
                )
            };
            let mut next = url
                .join(&location)
                .map_err(|e| refuse(&location, format!("the Location is not a URL: {e}")))?;
            // Credentials a service writes into a Location are not sent anywhere.
            let _ = next.set_username("");
            let _ = next.set_password(None);
            if redirects == self.max_redirects {
                return Err((
                    Error::Limit {
                        operation: operation.to_string(),
                        message: format!(
                            "{} redirected again after {redirects} redirects, the most followed for one request (Client::with_max_redirects, or --max-redirects)",
                            authority_of(&url)
                        ),
                    },
                    false,
                ));
            }
            redirects += 1;
            let origin = origin.get_or_insert_with(|| url.origin());
            let (m, h) = redirect_step(response.status, &method, &url, &next, origin, hop)
                .map_err(|reason| refuse(next.as_str(), reason.to_string()))?;
            (method, hop) = (m, h);
            let status = response.status;
            tracing::debug!(status, to = %without_query(next.as_str()), "redirected");
            url = next;
        }
    }

    /// A `GET` of a URL the service gave (a `Location` to poll, a next link). A relative URL is
    /// resolved against the operation's base URL. The credential, and the headers the policy
    /// templates set (they may hold connection parameters), are sent only when the URL has the
    /// scheme, host and port of that base URL: a link to another host gets no secret.
    pub async fn follow(&self, operation: impl Into<Name>, link: &str) -> Result<Response, Error> {
        self.link(reqwest::Method::GET, &operation.into(), link)
            .await
    }

    /// A `DELETE` of a URL the service gave (a webhook subscription's `Location`), with the
    /// same rule for the credential as [`Client::follow`].
    pub async fn delete_link(
        &self,
        operation: impl Into<Name>,
        link: &str,
    ) -> Result<Response, Error> {
        self.link(reqwest::Method::DELETE, &operation.into(), link)
            .await
    }

    async fn link(
        &self,
        method: reqwest::Method,
        operation: &Name,
        link: &str,
    ) -> Result<Response, Error> {
        let base = self.base_url(operation);
        let url = resolve(&base, operation, link)?;
        // On the connector's own origin a followed link is a request of the operation: it gets
        // the credential and the headers the policies set.
        let own = same_origin(&base, &url);
        let (headers, token) = if own {
            (
                self.policies.follow_headers(operation, &self.connection)?,
                self.oauth_token().await?,
            )
        } else {
            (Vec::new(), None)
        };
        let secret = token.as_ref().map(|(t, _)| t);
        let build = |method: reqwest::Method, url: reqwest::Url, hop: Hop| {
            if !hop.credentials {
                return self.http.request(method, url);
            }
            let mut req = self.authorized(method, url, secret);
            for (k, v) in &headers {
                req = req.header(&**k, v.as_str());
            }
            req
        };
        let first = Hop {
            credentials: own,
            body: false,
        };
        let response = self
            .exchange(operation, method, url, first, &build)
            .await
            .map_err(|(e, _)| e)?;
        self.answered(response)
    }

    /// A request to `url` carrying the connection's credential: an API key in the query string
    /// (unless the URL already has it), or a header.
    fn authorized(
        &self,
        method: reqwest::Method,
        mut url: reqwest::Url,
        token: Option<&Secret>,
    ) -> reqwest::RequestBuilder {
        if let Credential::ApiKey {
            name,
            location: KeyLocation::Query,
            value,
        } = &self.connection.credential
        {
            if !url.query_pairs().any(|(k, _)| k == name.as_str()) {
                let pair = format!(
                    "{}={}",
                    crate::http::call::encode_component(name),
                    crate::http::call::encode_component(value.expose())
                );
                let query = match url.query() {
                    Some(q) if !q.is_empty() => format!("{q}&{pair}"),
                    _ => pair,
                };
                url.set_query(Some(&query));
            }
        }
        let req = self.http.request(method, url);
        match &self.connection.credential {
            Credential::None
            | Credential::ApiKey {
                location: KeyLocation::Query,
                ..
            } => req,
            Credential::ApiKey {
                name,
                location: KeyLocation::Header,
                value,
            } => req.header(name.as_str(), value.expose()),
            Credential::Basic { username, password } => {
                req.basic_auth(username, Some(password.expose()))
            }
            Credential::Bearer(token) => req.bearer_auth(token.expose()),
            Credential::OAuth2(_) => match token {
                Some(t) => req.bearer_auth(t.expose()),
                None => req,
            },
        }
    }

    /// The current OAuth access token (refreshed first when it is about to expire) and its
    /// generation, for an OAuth connection.
    pub(super) async fn oauth_token(&self) -> Result<Option<(Secret, u64)>, Error> {
        match &self.connection.credential {
            Credential::OAuth2(source) => source.access_token().await.map(Some),
            _ => Ok(None),
        }
    }

    /// Sends one request and reads its response, at most [`Client::max_body_bytes`] of body;
    /// with the URL it was sent to when the response is a redirect to follow.
    async fn transmit(
        &self,
        operation: &Name,
        host: String,
        req: reqwest::RequestBuilder,
    ) -> Result<(Response, Option<reqwest::Url>), (Error, bool)> {
        let transport = |e: reqwest::Error| {
            let connect = e.is_connect();
            let error = if e.is_timeout() {
                Error::Timeout {
                    operation: operation.to_string(),
                    after: self.timeout,
                    waiting_for: format!("a response from {host}"),
                }
            } else {
                Error::Transport {
                    operation: operation.to_string(),
                    host: host.clone(),
                    message: transport_message(e),
                }
            };
            (error, connect)
        };
        let mut resp = req.timeout(self.timeout).send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let limit = self.max_body_bytes;
        let too_large = |what: String| {
            (
                Error::Limit {
                    operation: operation.to_string(),
                    message: format!(
                        "the response from {host} (HTTP {status}) {what}, more than the limit of {limit} bytes; raise it with Client::with_max_body_bytes, or --max-body-bytes"
                    ),
                },
                false,
            )
        };
        if let Some(length) = resp.content_length().filter(|l| *l > limit) {
            return Err(too_large(format!("says it is {length} bytes")));
        }
        let sent = (self.max_redirects > 0 && matches!(status, 301 | 302 | 303 | 307 | 308))
            .then(|| resp.url().clone());
        let headers = std::mem::take(resp.headers_mut());
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large("goes on".into()));
            }
            body.extend_from_slice(&chunk);
        }
        let response = Response {
            operation: operation.clone(),
            host,
            status,
            headers,
            body,
        };
        Ok((response, sent))
    }

    /// The final response of an exchange, shaped by the connector's response policies.
    fn answered(&self, mut response: Response) -> Result<Response, Error> {
        if !self.policies.is_empty() {
            let base = self.base_url(&response.operation);
            self.policies
                .apply_response(&mut response, &self.connection, &base)?;
        }
        Ok(response)
    }
}

/// The request a redirect (`status`, from `from` to `to`) makes of one sent with `method` at
/// `hop`, the connection's credential belonging to `origin`; or why it is not followed.
fn redirect_step(
    status: u16,
    method: &reqwest::Method,
    from: &reqwest::Url,
    to: &reqwest::Url,
    origin: &url::Origin,
    mut hop: Hop,
) -> Result<(reqwest::Method, Hop), Refusal> {
    if !matches!(to.scheme(), "http" | "https") {
        return Err(Refusal::Scheme(to.scheme().to_string()));
    }
    if from.scheme() == "https" && to.scheme() == "http" {
        return Err(Refusal::Downgrade);
    }
    let mut method = method.clone();
    if status == 303 || (matches!(status, 301 | 302) && method == reqwest::Method::POST) {
        // See Other (and what browsers do with a POST moved): a GET of the new place.
        if method != reqwest::Method::HEAD {
            method = reqwest::Method::GET;
        }
        hop.body = false;
    }
    if &to.origin() != origin {
        hop.credentials = false;
        if hop.body {
            return Err(Refusal::BodyToAnotherOrigin(status));
        }
    }
    Ok((method, hop))
}

/// Why a redirect is not followed.
#[derive(Debug, thiserror::Error)]
enum Refusal {
    #[error("only http and https are followed, not {0}")]
    Scheme(String),
    #[error("a redirect from https to http would send the request unencrypted")]
    Downgrade,
    #[error("HTTP {0} asks to send the request's body to another origin; it is sent only to the origin it was meant for")]
    BodyToAnotherOrigin(u16),
}

/// How a request is sent at one hop of a redirect chain.
#[derive(Debug, Clone, Copy)]
struct Hop {
    /// With the connection's credential and the call's headers (the connector's origin).
    credentials: bool,
    /// With the call's body.
    body: bool,
}

/// The host of `url`, for responses and messages.
fn host_of(url: &reqwest::Url) -> String {
    url.host_str().unwrap_or_default().to_string()
}

/// The host and port (when written) of `url`: redirects between ports of one host are between
/// origins, so their messages say which.
fn authority_of(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// `url` without its query string (which may hold a key or a signature), for messages.
fn without_query(url: &str) -> &str {
    url.split_once('?').map_or(url, |(head, _)| head)
}

/// `link` resolved against `base`: `join` keeps an absolute link as it is and resolves a
/// relative one.
fn resolve(base: &str, operation: &str, link: &str) -> Result<reqwest::Url, Error> {
    reqwest::Url::parse(&format!("{}/", base.trim_end_matches('/')))
        .and_then(|b| b.join(link))
        .map_err(|e| Error::Request {
            operation: operation.to_string(),
            message: format!("the service gave an invalid link `{link}`: {e}"),
        })
}

/// Whether `url` has the scheme, host and port of `base`.
fn same_origin(base: &str, url: &reqwest::Url) -> bool {
    reqwest::Url::parse(base).is_ok_and(|b| b.origin() == url.origin())
}

/// What went wrong, with its causes ("error sending request: connection refused"), without the
/// URL: a query string may carry an API key.
pub fn transport_message(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    fn url(s: &str) -> reqwest::Url {
        reqwest::Url::parse(s).unwrap()
    }

    #[test]
    fn redirects_keep_credentials_and_bodies_on_their_origin_only() {
        let from = url("https://api.example/a");
        let origin = from.origin();
        let with_body = Hop {
            credentials: true,
            body: true,
        };
        // Same origin: 307/308 keep method, body and credential.
        for status in [307, 308] {
            let (m, h) = redirect_step(
                status,
                &Method::POST,
                &from,
                &url("https://api.example/b"),
                &origin,
                with_body,
            )
            .unwrap();
            assert_eq!((m, h.credentials, h.body), (Method::POST, true, true));
        }
        // 303, and 301/302 after a POST: a GET without the body.
        for status in [301, 302, 303] {
            let (m, h) = redirect_step(
                status,
                &Method::POST,
                &from,
                &url("https://api.example/b"),
                &origin,
                with_body,
            )
            .unwrap();
            assert_eq!((m, h.credentials, h.body), (Method::GET, true, false));
        }
        let (m, _) = redirect_step(
            303,
            &Method::HEAD,
            &from,
            &url("https://api.example/b"),
            &origin,
            with_body,
        )
        .unwrap();
        assert_eq!(m, Method::HEAD);
        // Another host, port or scheme is another origin: no credential from then on.
        let no_body = Hop {
            credentials: true,
            body: false,
        };
        for to in ["https://other.example/b", "https://api.example:8443/b"] {
            let (m, h) =
                redirect_step(302, &Method::GET, &from, &url(to), &origin, no_body).unwrap();
            assert_eq!((m, h.credentials), (Method::GET, false), "{to}");
        }
        // A body is never sent to another origin: 307/308 there are refused.
        for status in [307, 308] {
            let e = redirect_step(
                status,
                &Method::PUT,
                &from,
                &url("https://other.example/b"),
                &origin,
                with_body,
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("another origin"), "{e}");
        }
        // Down to http, or to another scheme: refused.
        let e = redirect_step(
            302,
            &Method::GET,
            &from,
            &url("http://api.example/a"),
            &origin,
            no_body,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("from https to http"), "{e}");
        let e = redirect_step(
            302,
            &Method::GET,
            &from,
            &url("file:///etc/passwd"),
            &origin,
            no_body,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("not file"), "{e}");
        // http to https is an upgrade, but another origin all the same.
        let plain = url("http://api.example/a");
        let (_, h) = redirect_step(
            301,
            &Method::GET,
            &plain,
            &url("https://api.example/a"),
            &plain.origin(),
            no_body,
        )
        .unwrap();
        assert!(!h.credentials);
    }
}
