//! Stored connections: one file per user, encrypted at rest with XChaCha20-Poly1305.
//!
//! The directory is `$CONNECTOR_GEN_HOME`, else the platform's data directory +
//! `connector-gen` (`~/.local/share/connector-gen` on Linux). It holds `connections.enc` and,
//! unless `CONNECTOR_GEN_KEY` gives the key (64 hex digits), the key file `key` (created with
//! mode 0600, 32 random bytes as hex). The file is rewritten whole, atomically, with a fresh
//! nonce at each change.

use crate::auth::connection::{Connection, Credential, KeyLocation};
use crate::auth::oauth::{OAuthConfig, TokenSource, Tokens};
use crate::auth::secret::Secret;
use crate::Error;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) const MAGIC: &[u8] = b"connector-gen store 1\n";
const FILE: &str = "connections.enc";
const KEY_FILE: &str = "key";
/// The largest store file read (connections are a few hundred bytes each).
const STORE_LIMIT: u64 = 64 * 1024 * 1024;

/// How a stored connection authenticates, with its secrets.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredAuth {
    /// Nothing.
    None,
    /// An API key.
    ApiKey {
        /// Header or query parameter name.
        name: String,
        /// `true`: in the query string.
        in_query: bool,
        /// The key.
        value: String,
    },
    /// HTTP basic.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// A fixed bearer token.
    Bearer {
        /// The token.
        token: String,
    },
    /// OAuth 2.0.
    OAuth2 {
        /// Where tokens come from.
        config: Box<OAuthConfig>,
        /// The current tokens.
        tokens: Tokens,
    },
}

impl StoredAuth {
    /// What kind it is, for listings.
    pub fn kind(&self) -> &'static str {
        match self {
            StoredAuth::None => "none",
            StoredAuth::ApiKey { .. } => "api key",
            StoredAuth::Basic { .. } => "basic",
            StoredAuth::Bearer { .. } => "bearer",
            StoredAuth::OAuth2 { .. } => "oauth2",
        }
    }
}

/// One stored connection.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredConnection {
    /// The connector's name.
    pub connector: String,
    /// The base URL requests go to.
    pub base_url: String,
    /// Connection parameter values (policy templates read them).
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// The credential.
    pub auth: StoredAuth,
    /// When it was created (RFC 3339).
    pub created: String,
}

impl std::fmt::Debug for StoredConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredConnection")
            .field("connector", &self.connector)
            .field("base_url", &self.base_url)
            .field("parameters", &self.parameters.keys().collect::<Vec<_>>())
            .field("auth", &self.auth.kind())
            .field("created", &self.created)
            .finish()
    }
}

/// The connection store of this user.
pub struct Store {
    dir: PathBuf,
    key: chacha20poly1305::Key,
    key_origin: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Auth {
        message: format!("cannot {what} {}: {e}", path.display()),
    }
}

fn parse_key(text: &str, origin: &str) -> Result<chacha20poly1305::Key, Error> {
    let t = text.trim();
    let bytes: Option<Vec<u8>> = (t.len() == 64)
        .then(|| {
            (0..32)
                .map(|i| u8::from_str_radix(&t[2 * i..2 * i + 2], 16).ok())
                .collect()
        })
        .flatten();
    match bytes {
        Some(b) => Ok(*chacha20poly1305::Key::from_slice(&b)),
        None => Err(Error::Auth {
            message: format!(
                "{origin} is not a key: it must be 64 hexadecimal digits (32 bytes), e.g. from `openssl rand -hex 32`"
            ),
        }),
    }
}

impl Store {
    /// The directory of the store: `$CONNECTOR_GEN_HOME`, else the platform's data directory.
    pub fn default_dir() -> Result<PathBuf, Error> {
        if let Some(home) = std::env::var_os("CONNECTOR_GEN_HOME") {
            return Ok(PathBuf::from(home));
        }
        dirs::data_dir()
            .map(|d| d.join("connector-gen"))
            .ok_or_else(|| Error::Auth {
                message: "no data directory for this user: set CONNECTOR_GEN_HOME".into(),
            })
    }

    /// A store with `key` and no directory (only for decoding given contents).
    pub(crate) fn with_key(key: [u8; 32]) -> Store {
        Store {
            dir: PathBuf::new(),
            key: key.into(),
            key_origin: "the given key".into(),
        }
    }

    /// The store of this user (see the module documentation for where it lives).
    pub fn open() -> Result<Store, Error> {
        Store::open_in(&Store::default_dir()?)
    }

    /// The store in `dir`; the key comes from `CONNECTOR_GEN_KEY`, else from `dir/key`
    /// (created when missing).
    pub fn open_in(dir: &Path) -> Result<Store, Error> {
        std::fs::create_dir_all(dir).map_err(|e| io("create", dir, e))?;
        if let Ok(text) = std::env::var("CONNECTOR_GEN_KEY") {
            let key = parse_key(&text, "CONNECTOR_GEN_KEY")?;
            return Ok(Store {
                dir: dir.to_path_buf(),
                key,
                key_origin: "CONNECTOR_GEN_KEY".into(),
            });
        }
        let path = dir.join(KEY_FILE);
        let origin = format!("the key file {}", path.display());
        let key = match crate::files::read_bounded(&path, 1024) {
            Ok(bytes) => {
                check_private(&path)?;
                parse_key(&String::from_utf8_lossy(&bytes), &origin)?
            }
            Err(e) if e.is_not_found() => {
                let key = XChaCha20Poly1305::generate_key(&mut OsRng);
                let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
                write_private(&path, format!("{hex}\n").as_bytes())?;
                key
            }
            Err(e) => {
                return Err(Error::Auth {
                    message: format!("cannot read the key file: {e}"),
                })
            }
        };
        Ok(Store {
            dir: dir.to_path_buf(),
            key,
            key_origin: origin,
        })
    }

    /// The encrypted file.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// Every stored connection by name.
    pub fn load(&self) -> Result<BTreeMap<String, StoredConnection>, Error> {
        let path = self.path();
        let data = match crate::files::read_bounded(&path, STORE_LIMIT) {
            Ok(d) => d,
            Err(e) if e.is_not_found() => return Ok(BTreeMap::new()),
            Err(e) => {
                return Err(Error::Auth {
                    message: format!("cannot read the connection store: {e}"),
                })
            }
        };
        self.decode(&data, &path)
    }

    /// The connections in the contents of a store file (`path` names it in errors).
    pub(crate) fn decode(
        &self,
        data: &[u8],
        path: &Path,
    ) -> Result<BTreeMap<String, StoredConnection>, Error> {
        let not_ours = || Error::Auth {
            message: format!("{} is not a connection store", path.display()),
        };
        let rest = data.strip_prefix(MAGIC).ok_or_else(not_ours)?;
        if rest.len() < 24 {
            return Err(not_ours());
        }
        let (nonce, sealed) = rest.split_at(24);
        let plain = XChaCha20Poly1305::new(&self.key)
            .decrypt(XNonce::from_slice(nonce), sealed)
            .map_err(|_| Error::Auth {
                message: format!(
                    "{} cannot be decrypted with the key from {}: it was written with another key (or changed). Use the key it was written with, or remove the file to start again",
                    path.display(),
                    self.key_origin
                ),
            })?;
        serde_json::from_slice(&plain).map_err(|e| Error::Auth {
            message: format!("{} holds unreadable connections: {e}", path.display()),
        })
    }

    /// Writes every connection (a new nonce each time; the file is replaced atomically).
    pub fn save(&self, all: &BTreeMap<String, StoredConnection>) -> Result<(), Error> {
        let plain = serde_json::to_vec(all).map_err(|e| Error::Auth {
            message: format!("cannot encode the connections: {e}"),
        })?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = XChaCha20Poly1305::new(&self.key)
            .encrypt(&nonce, plain.as_slice())
            .map_err(|_| Error::Auth {
                message: "cannot encrypt the connections".into(),
            })?;
        let mut data = MAGIC.to_vec();
        data.extend_from_slice(&nonce);
        data.extend_from_slice(&sealed);
        write_private(&self.path(), &data)
    }

    /// One connection.
    pub fn get(&self, name: &str) -> Result<StoredConnection, Error> {
        let mut all = self.load()?;
        all.remove(name).ok_or_else(|| Error::Auth {
            message: format!(
                "no stored connection `{name}`{}; create it with `connector-gen connect PATH --name {name}`",
                if all.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (stored: {})",
                        all.keys().cloned().collect::<Vec<_>>().join(", ")
                    )
                }
            ),
        })
    }

    /// Stores `conn` as `name` (replacing one of that name); the name must pass [`check_name`].
    pub fn put(&self, name: &str, conn: StoredConnection) -> Result<(), Error> {
        check_name(name)?;
        let mut all = self.load()?;
        all.insert(name.to_string(), conn);
        self.save(&all)
    }

    /// Removes `name`; false when there was none.
    pub fn remove(&self, name: &str) -> Result<bool, Error> {
        let mut all = self.load()?;
        let had = all.remove(name).is_some();
        if had {
            self.save(&all)?;
        }
        Ok(had)
    }
}

/// Whether `name` can name a stored connection: 1 to 100 characters, no path separator, no
/// control character or bidirectional override, not `.` or `..` — names are shown in listings
/// and given on command lines, where such characters would mislead.
pub fn check_name(name: &str) -> Result<(), Error> {
    let bad = |why: &str| {
        Err(Error::Auth {
            message: format!(
                "{name:?} cannot name a connection: {why} (use letters, digits, `-`, `_` and `.`)"
            ),
        })
    };
    if name.trim().is_empty() {
        return bad("it is empty");
    }
    if name.chars().count() > 100 {
        return bad("it is longer than 100 characters");
    }
    if name.contains(['/', '\\']) || name == "." || name == ".." {
        return bad("it looks like a path");
    }
    if name.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }) {
        return bad("it holds a control character");
    }
    Ok(())
}

/// Writes `data` to `path` atomically, readable by the user only (mode 0600).
fn write_private(path: &Path, data: &[u8]) -> Result<(), Error> {
    crate::files::write_atomic(path, data, crate::files::Access::Private).map_err(|e| Error::Auth {
        message: format!("cannot write {e}"),
    })
}

/// Refuses a key file that others may read, as ssh refuses such private keys: whoever can read
/// it can decrypt every stored connection.
fn check_private(path: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| io("read", path, e))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::Auth {
                message: format!(
                    "the key file {} can be read by others (mode {mode:04o}): whoever reads it can decrypt the stored connections; make it private with `chmod 600 {}`",
                    path.display(),
                    path.display()
                ),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl StoredConnection {
    /// The connection it describes. OAuth tokens refresh themselves, and each refresh is written
    /// back to the store under `name`.
    pub fn connection(&self, name: &str) -> Result<Connection, Error> {
        let mut conn = Connection::new(&self.base_url);
        for (k, v) in &self.parameters {
            conn = conn.with_parameter(k, v);
        }
        conn.credential = match &self.auth {
            StoredAuth::None => Credential::None,
            StoredAuth::ApiKey {
                name,
                in_query,
                value,
            } => Credential::ApiKey {
                name: name.clone(),
                location: if *in_query {
                    KeyLocation::Query
                } else {
                    KeyLocation::Header
                },
                value: Secret::new(value.clone()),
            },
            StoredAuth::Basic { username, password } => Credential::Basic {
                username: username.clone(),
                password: Secret::new(password.clone()),
            },
            StoredAuth::Bearer { token } => Credential::Bearer(Secret::new(token.clone())),
            StoredAuth::OAuth2 { config, tokens } => {
                let stored_as = name.to_string();
                let on_refresh: crate::auth::oauth::OnRefresh = Arc::new(move |new: &Tokens| {
                    let saved = Store::open().and_then(|store| {
                        let mut all = store.load()?;
                        if let Some(StoredConnection {
                            auth: StoredAuth::OAuth2 { tokens, .. },
                            ..
                        }) = all.get_mut(&stored_as)
                        {
                            *tokens = new.clone();
                        }
                        store.save(&all)
                    });
                    if let Err(e) = saved {
                        tracing::warn!(connection = %stored_as, error = %e, "refreshed tokens not stored");
                    }
                });
                Credential::OAuth2(Arc::new(TokenSource::new(
                    (**config).clone(),
                    tokens.clone(),
                    Some(on_refresh),
                )?))
            }
        };
        Ok(conn)
    }
}

impl Connection {
    /// The connection stored as `name` (by `connector-gen connect`) in this user's store.
    pub fn stored(name: &str) -> Result<Connection, Error> {
        Store::open()?.get(name)?.connection(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StoredConnection {
        StoredConnection {
            connector: "contoso".into(),
            base_url: "https://api.contoso.example".into(),
            parameters: [("region".to_string(), "eu".to_string())].into(),
            auth: StoredAuth::ApiKey {
                name: "X-Key".into(),
                in_query: false,
                value: "very-secret-key-123".into(),
            },
            created: "2026-11-22T00:00:00Z".into(),
        }
    }

    #[test]
    fn the_file_holds_no_secret_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        store.put("c1", sample()).unwrap();
        let raw = std::fs::read(store.path()).unwrap();
        let text = String::from_utf8_lossy(&raw);
        for clear in ["very-secret-key-123", "X-Key", "contoso", "region"] {
            assert!(!text.contains(clear), "{clear} in the clear");
        }
        assert_eq!(store.get("c1").unwrap(), sample());
        // The key file is private.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(format!("{:?}", sample()).contains("api key"));
        assert!(!format!("{:?}", sample()).contains("very-secret"));
        assert!(store.remove("c1").unwrap());
        assert!(!store.remove("c1").unwrap());
        let e = store.get("c1").unwrap_err().to_string();
        assert!(e.contains("connector-gen connect PATH --name c1"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused_with_the_chmod_that_fixes_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        Store::open_in(dir.path()).unwrap();
        let key = dir.path().join(KEY_FILE);
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = Store::open_in(dir.path()).unwrap_err().to_string();
        assert!(e.contains("can be read by others (mode 0644)"), "{e}");
        assert!(e.contains(&format!("chmod 600 {}", key.display())), "{e}");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(Store::open_in(dir.path()).is_ok());
    }

    #[test]
    fn a_wrong_key_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        Store::open_in(dir.path())
            .unwrap()
            .put("c1", sample())
            .unwrap();
        std::fs::write(dir.path().join(KEY_FILE), "00".repeat(32)).unwrap();
        let e = Store::open_in(dir.path()).unwrap().load().unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("cannot be decrypted with the key from the key file"),
            "{text}"
        );
        std::fs::write(dir.path().join(KEY_FILE), "not a key").unwrap();
        let e = Store::open_in(dir.path()).unwrap_err().to_string();
        assert!(e.contains("must be 64 hexadecimal digits"), "{e}");
    }
}
