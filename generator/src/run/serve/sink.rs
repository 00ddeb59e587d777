//! Where a served trigger's events go. An event counts as delivered only once its sink accepted
//! it: `stdout` once its line is written and flushed, `http` on a 2xx answer, `command` when the
//! program exits 0. Each refusal is tried again after a growing pause; after the trigger's
//! `attempts` the caller keeps the event as a dead letter.
//!
//! The http sink sends the event's id as `Idempotency-Key` (a repeated delivery — at least once
//! means there can be some — carries the same key) and, with a key in `secret_env`,
//! `X-Connector-Signature: sha256=HEX(HMAC-SHA256(key, body))` over the exact body sent.

use super::config::SinkConfig;
use hmac::{Hmac, Mac};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Why a sink cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The signing key's variable is not set.
    #[error(
        "the http sink's secret_env `{0}` is not set (or empty): export it with the signing key"
    )]
    NoSecret(String),
    /// The HTTP client did not build.
    #[error("cannot set up the http sink: {0}")]
    Client(String),
}

/// A ready sink.
#[derive(Debug)]
pub enum Sink {
    /// Lines on standard output.
    Stdout,
    /// `POST` to a URL.
    Http {
        /// The client (no redirects: a sink that moves is a refusal, never followed with the
        /// event).
        client: reqwest::Client,
        /// Where.
        url: String,
        /// The signing key.
        key: Option<Vec<u8>>,
    },
    /// A program.
    Command {
        /// The program.
        program: PathBuf,
        /// Its arguments.
        args: Vec<String>,
        /// How long one attempt may take.
        timeout: Duration,
    },
}

/// The header that signs an http sink's body.
pub const SIGNATURE_HEADER: &str = "x-connector-signature";

/// `sha256=HEX` of `body` under `key`.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key size");
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

/// `bytes` in lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The pause before attempt `n` (from 2): 250 ms, doubling, at most 5 s.
pub fn backoff(n: u32) -> Duration {
    Duration::from_millis(250u64.saturating_mul(1 << n.saturating_sub(2).min(5)))
        .min(Duration::from_secs(5))
}

impl Sink {
    /// The sink `config` describes; the http sink's key read from its variable now.
    pub fn new(config: &SinkConfig) -> Result<Sink, SinkError> {
        Ok(match config {
            SinkConfig::Stdout => Sink::Stdout,
            SinkConfig::Http {
                url,
                secret_env,
                timeout,
            } => {
                let key = match secret_env {
                    Some(var) => match std::env::var(var) {
                        Ok(v) if !v.is_empty() => Some(v.into_bytes()),
                        _ => return Err(SinkError::NoSecret(var.clone())),
                    },
                    None => None,
                };
                let client = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(*timeout)
                    .connect_timeout((*timeout).min(Duration::from_secs(10)))
                    .build()
                    .map_err(|e| SinkError::Client(e.to_string()))?;
                Sink::Http {
                    client,
                    url: url.clone(),
                    key,
                }
            }
            SinkConfig::Command {
                program,
                args,
                timeout,
            } => Sink::Command {
                program: program.clone(),
                args: args.clone(),
                timeout: *timeout,
            },
        })
    }

    /// One attempt to hand `line` (the event as one JSON object) with id `id` to the sink.
    pub async fn deliver_once(&self, line: &str, id: &str) -> Result<(), String> {
        match self {
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{line}")
                    .and_then(|_| out.flush())
                    .map_err(|e| format!("cannot write to standard output: {e}"))
            }
            Sink::Http { client, url, key } => {
                let mut request = client
                    .post(url)
                    .header("content-type", "application/json")
                    .header("idempotency-key", id);
                if let Some(key) = key {
                    request = request.header(SIGNATURE_HEADER, signature(key, line.as_bytes()));
                }
                match request.body(line.to_string()).send().await {
                    Ok(r) if r.status().is_success() => Ok(()),
                    Ok(r) => Err(format!("the sink answered {}", r.status())),
                    Err(e) => Err(format!(
                        "the sink cannot be reached: {}",
                        connector_sdk::http::transport_message(e)
                    )),
                }
            }
            Sink::Command {
                program,
                args,
                timeout,
            } => run_command(program, args, *timeout, line).await,
        }
    }
}

async fn run_command(
    program: &PathBuf,
    args: &[String],
    timeout: Duration,
    line: &str,
) -> Result<(), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let mut stdin = child.stdin.take();
    let mut stderr = child.stderr.take();
    let work = async {
        if let Some(mut s) = stdin.take() {
            // A program that exits without reading is judged by its exit status.
            let _ = s.write_all(line.as_bytes()).await;
            let _ = s.write_all(b"\n").await;
        }
        let mut said = Vec::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.take(4096).read_to_end(&mut said).await;
        }
        (child.wait().await, said)
    };
    match tokio::time::timeout(timeout, work).await {
        Err(_) => Err(format!(
            "{} did not finish within {timeout:?}; it was stopped",
            program.display()
        )),
        Ok((Err(e), _)) => Err(format!("{}: {e}", program.display())),
        Ok((Ok(status), _)) if status.success() => Ok(()),
        Ok((Ok(status), said)) => {
            let said = String::from_utf8_lossy(&said);
            let said = said.trim();
            Err(format!(
                "{} exited with {status}{}",
                program.display(),
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {}", said.lines().next().unwrap_or(""))
                }
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_backoff() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(backoff(2), Duration::from_millis(250));
        assert_eq!(backoff(3), Duration::from_millis(500));
        assert_eq!(backoff(40), Duration::from_secs(5));
    }
}
