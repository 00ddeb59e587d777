//! Sending requests: one HTTP client (pooled connections, rustls), credentials applied,
//! responses checked and decoded.

use crate::call::{Body, Call};
use crate::connection::{Connection, Credential, KeyLocation};
use crate::Error;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// The largest part of an error body kept in [`Error::Status`].
const ERROR_BODY_LIMIT: usize = 4096;

/// Runs operations against one service.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    connection: Connection,
}

/// A received response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The operation it answers.
    pub operation: &'static str,
    /// HTTP status.
    pub status: u16,
    /// Headers (names in lower case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Client {
    /// A client for `connection`; `connector` names the connector in the `User-Agent`.
    /// Requests time out after 120 seconds.
    pub fn new(connection: Connection, connector: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .user_agent(format!("{connector} connector-sdk/{}", crate::VERSION))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| Error::Request {
                operation: String::new(),
                message: format!("cannot create the HTTP client: {e}"),
            })?;
        Ok(Client { http, connection })
    }

    /// The connection it uses.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Sends a request; a status outside 2xx is an [`Error::Status`].
    pub async fn send(&self, mut call: Call) -> Result<Response, Error> {
        let operation = call.spec.id;
        if let Credential::ApiKey {
            name,
            location: KeyLocation::Query,
            value,
        } = &self.connection.credential
        {
            call.query.push((name.clone(), value.expose().to_string()));
        }
        let url = call.url(&self.connection.base_url)?;
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let method = reqwest::Method::from_bytes(call.spec.method.as_bytes()).map_err(|_| {
            Error::Request {
                operation: operation.to_string(),
                message: format!("invalid method {}", call.spec.method),
            }
        })?;
        let mut req = self.http.request(method, &url);
        match &self.connection.credential {
            Credential::None => {}
            Credential::ApiKey {
                name,
                location: KeyLocation::Header,
                value,
            } => req = req.header(name.as_str(), value.expose()),
            Credential::ApiKey { .. } => {}
            Credential::Basic { username, password } => {
                req = req.basic_auth(username, Some(password.expose()))
            }
            Credential::Bearer(token) => req = req.bearer_auth(token.expose()),
        }
        for (k, v) in &call.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        req = match call.body.take() {
            None => req,
            Some(Body::Json(v)) => req
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&v).unwrap_or_default()),
            Some(Body::Form(fields)) => {
                let encoded: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}={}",
                            crate::call::encode_component(k),
                            crate::call::encode_component(v)
                        )
                    })
                    .collect();
                req.header("content-type", "application/x-www-form-urlencoded")
                    .body(encoded.join("&"))
            }
            Some(Body::Multipart(parts)) => {
                let mut form = reqwest::multipart::Form::new();
                for p in parts {
                    let mut part = reqwest::multipart::Part::bytes(p.data);
                    if let Some(f) = p.file_name {
                        part = part.file_name(f);
                    }
                    form = form.part(p.name, part);
                }
                req.multipart(form)
            }
            Some(Body::Bytes(data, content_type)) => {
                req.header("content-type", content_type).body(data)
            }
        };
        let transport = |e: reqwest::Error| Error::Transport {
            operation: operation.to_string(),
            host: host.clone(),
            message: e.to_string(),
        };
        let resp = req.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp.bytes().await.map_err(transport)?.to_vec();
        if !(200..300).contains(&status) {
            let mut text =
                String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_LIMIT)]).into_owned();
            if body.len() > ERROR_BODY_LIMIT {
                text.push_str(" …");
            }
            return Err(Error::Status {
                operation: operation.to_string(),
                status,
                host,
                body: text,
            });
        }
        Ok(Response {
            operation,
            status,
            headers,
            body,
        })
    }
}

impl Response {
    /// Decodes the JSON body; a mismatch names the JSON path where it was found.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
            operation: self.operation.to_string(),
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// A header's value (name compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
