//! What a service answered: status, headers and body, and the ways to read the body.

use crate::Error;
use serde::de::DeserializeOwned;

/// The largest part of an error body kept in [`Error::Status`].
const ERROR_BODY_LIMIT: usize = 4096;

/// A received response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The operation it answers.
    pub operation: crate::http::call::Name,
    /// The host that answered.
    pub host: String,
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The response itself when its status is 2xx, else an [`Error::Status`] with the start of
    /// its body.
    pub fn success(self) -> Result<Response, Error> {
        if (200..300).contains(&self.status) {
            return Ok(self);
        }
        let body = &self.body;
        let mut text =
            String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_LIMIT)]).into_owned();
        if body.len() > ERROR_BODY_LIMIT {
            text.push_str(" …");
        }
        Err(Error::Status {
            operation: self.operation.to_string(),
            status: self.status,
            host: self.host,
            body: text,
        })
    }

    /// Decodes the JSON body; a mismatch names the JSON path where it was found.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        // Decoding with path tracking costs on every call; it runs only to explain a failure.
        if let Ok(v) = serde_json::from_slice(body) {
            return Ok(v);
        }
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
            operation: self.operation.to_string(),
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// The body as received: a file, an image, a document (`type: file` or `format: binary`
    /// responses).
    pub fn bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.body.clone())
    }

    /// The body as text (a string response whose media type is not JSON, such as
    /// `text/plain` or `text/csv`); a body that is not UTF-8 is a decode error.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.clone()).map_err(|e| Error::Decode {
            operation: self.operation.to_string(),
            path: ".".into(),
            message: format!("the text response is not UTF-8: {e}"),
        })
    }

    /// A header's value (name compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}
