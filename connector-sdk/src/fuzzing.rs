//! Entry points of the fuzz targets (`fuzz/`), also replayed over their saved corpora by the
//! tests: each takes arbitrary bytes (a third party's policy templates, recurrence, callback
//! query, OAuth template, or store file) and must return without panicking or hanging.

use crate::auth::connection::Connection;
use crate::http::call::{Call, OperationSpec, PathEncoding};
use crate::http::policy::Policies;
use crate::http::response::Response;
use std::path::Path;

/// Splits fuzz input at its first NUL byte: two independent texts from one input.
fn two_parts(data: &[u8]) -> (&str, &str) {
    let (a, b) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    (
        std::str::from_utf8(a).unwrap_or(""),
        std::str::from_utf8(b).unwrap_or(""),
    )
}

/// Policy templates (`apiProperties.json` `policyTemplateInstances`, before the NUL) applied to a
/// request and to a response whose body follows the NUL: expressions, set-property paths,
/// routes, dynamic hosts, next links, polling templates.
pub fn policies(data: &[u8]) {
    let (templates, body) = two_parts(data);
    let policies = match serde_json::from_str::<serde_json::Value>(templates) {
        Ok(v) => Policies::from_value(&v),
        Err(_) => return,
    };
    let connection = Connection::new("https://api.example.com/v1")
        .with_parameter("region", "eu")
        .with_parameter("host", "tenant.example.com")
        .with_parameter("token", "t");
    for (id, method, path) in [
        ("GetItem", "GET", "/items/{id}"),
        ("ListItems", "GET", "/items"),
        ("CreateItem", "POST", "/items"),
    ] {
        let spec = OperationSpec { id, method, path };
        let mut call = Call::new(spec);
        call.path("id", "a/b c", PathEncoding::Double);
        call.set_query("q", "x");
        let _ = policies.base_url(id, &connection);
        if let Ok(call) = policies.apply_request(call, &connection, false) {
            let _ = call.url("https://api.example.com/v1");
        }
        let mut response = Response {
            operation: id.into(),
            host: "api.example.com".into(),
            status: 200,
            headers: reqwest::header::HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        };
        let _ = policies.apply_response(&mut response, &connection, "https://api.example.com/v1");
        if let Some(polling) = policies.polling(id) {
            if let Ok(v) = serde_json::from_str(body) {
                let _ = polling.events(&v);
                let _ = polling.next_query(&v);
            }
        }
    }
}

/// A recurrence configuration (JSON) and the first runs it gives.
pub fn recurrence(data: &[u8]) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(r) = crate::triggers::recurrence::Recurrence::from_config(&v) else {
        return;
    };
    let now = jiff::Timestamp::from_second(1_767_225_600).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut t = r.first_run(now);
    for _ in 0..16 {
        let next = r.next_after(t, now);
        assert!(next > t, "a recurrence went back in time: {next} after {t}");
        t = next;
    }
}

/// An OAuth 2.0 `oauth2generic` URL or query template (before the NUL) filled with values
/// (after it, as `name=value` lines), encoded and not.
pub fn oauth_template(data: &[u8]) {
    let (template, values) = two_parts(data);
    let pairs: Vec<(&str, &str)> = values
        .lines()
        .filter_map(|l| l.split_once('='))
        .chain([("clientId", "id"), ("redirectUrl", "https://x/cb")])
        .collect();
    for encode in [false, true] {
        let _ = crate::auth::oauth::fill_template(template, &pairs, encode);
    }
}

/// A connection store file: as found on disk (any bytes), and as the plain text inside a file
/// sealed with the right key.
pub fn store(data: &[u8]) {
    use chacha20poly1305::aead::{Aead, KeyInit};
    let store = crate::auth::store::Store::with_key([7u8; 32]);
    let path = Path::new("/nonexistent-fuzz-input/connections.enc");
    let _ = store.decode(data, path);
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(&[7u8; 32].into());
    let nonce = [1u8; 24];
    if let Ok(sealed) = cipher.encrypt(chacha20poly1305::XNonce::from_slice(&nonce), data) {
        let mut file = crate::auth::store::MAGIC.to_vec();
        file.extend_from_slice(&nonce);
        file.extend_from_slice(&sealed);
        let _ = store.decode(&file, path);
    }
}

/// A webhook callback: the path (before the NUL) and query (after it) of a request checked
/// against the signer, and a URL the signer made for that path verified back.
#[cfg(feature = "runtime")]
pub fn webhook(data: &[u8]) {
    let (path, query) = two_parts(data);
    let signer = crate::triggers::webhook::Signer::new([9u8; 32]);
    let _ = signer.verify(path, query);
    let url = signer.callback_url("https://hooks.example.com", path);
    if let Some((_, q)) = url.split_once('?') {
        assert!(
            signer.verify(path, q),
            "a URL the signer made does not verify: {url}"
        );
    }
    let _ = crate::triggers::webhook::notification(query);
}

/// A request to the webhook listener: its first byte chooses whether the query is the valid
/// signature of the path (so the body is judged too) or the fuzzed text after the path's NUL;
/// the rest is the path and the body. Whatever the listener accepts, delivery must read as the
/// same JSON (never the `null` of an unreadable body), and what it refuses it never stores.
#[cfg(feature = "runtime")]
pub fn listener(data: &[u8]) {
    use crate::triggers::webhook::{judge, notification, parse_notification, Signer, Verdict};
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (head, body) = match rest.iter().position(|b| *b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &rest[..0]),
    };
    let head = std::str::from_utf8(head).unwrap_or("");
    let (path, fuzzed_query) = head.split_once('?').unwrap_or((head, ""));
    let signer = Signer::new([9u8; 32]);
    let signed = signer.callback_url("https://hooks.example.com", path);
    let query = if mode & 1 == 0 {
        signed.split_once('?').map_or("", |(_, q)| q)
    } else {
        fuzzed_query
    };
    let max_body = 1 + usize::from(mode >> 1) * 64;
    match judge(&signer, path, query, body, max_body) {
        Verdict::Accept(text) => {
            assert!(
                signer.verify(path, query),
                "accepted without a valid signature"
            );
            assert!(body.len() <= max_body, "accepted a body over the limit");
            let parsed = parse_notification(body).expect("accepted what delivery cannot parse");
            assert_eq!(notification(&text), parsed, "delivery reads another value");
        }
        Verdict::Reject(status, _) => {
            assert!(
                matches!(status, 400 | 401 | 413),
                "unexpected status {status}"
            );
            if status == 401 {
                assert!(!signer.verify(path, query));
            }
        }
    }
}
