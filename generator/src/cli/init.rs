//! `connector-gen init`.

use clap::ValueEnum;
use connector_gen::init::{self, AuthTemplate, InitOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// The connection templates (as `pac connector init --connection-template`).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Auth {
    /// No authentication.
    None,
    /// User name and password (HTTP basic).
    Basic,
    /// An API key in a header.
    Apikey,
    /// OAuth 2.0 through URL and body templates (identityProvider `oauth2generic`).
    Oauth2generic,
    /// Microsoft Entra ID (identityProvider `aad`).
    Aad,
}

#[derive(clap::Args)]
pub struct Args {
    /// The new connector's folder (made when missing; files in it are never overwritten).
    dir: PathBuf,
    /// How connections authenticate.
    #[arg(long, value_enum)]
    auth: Auth,
    /// The connector's title (default: from the folder's name).
    #[arg(long)]
    title: Option<String>,
    /// Where the API is: a host (`api.contoso.com`, `api.contoso.com:8443/v1`) or an http(s) URL.
    #[arg(long, default_value = "api.contoso.com")]
    host: String,
    /// The publisher (default: "Contoso").
    #[arg(long, default_value = "Contoso")]
    publisher: String,
    /// Also write `script.csx` (custom code, run for the operations in `scriptOperations`).
    #[arg(long)]
    script: bool,
    /// Also write `settings.json` (what the platform's CLI reads to deploy).
    #[arg(long)]
    settings: bool,
}

/// `my-connector` → `My Connector`.
fn title_from(dir: &std::path::Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        "New Connector".into()
    } else {
        words.join(" ")
    }
}

pub fn run(args: Args) -> ExitCode {
    let auth = match args.auth {
        Auth::None => AuthTemplate::None,
        Auth::Basic => AuthTemplate::Basic,
        Auth::Apikey => AuthTemplate::ApiKey,
        Auth::Oauth2generic => AuthTemplate::OAuth2Generic,
        Auth::Aad => AuthTemplate::Aad,
    };
    let opts = InitOptions {
        auth,
        title: args.title.clone().unwrap_or_else(|| title_from(&args.dir)),
        host: args.host.clone(),
        publisher: args.publisher.clone(),
        script: args.script,
        settings: args.settings,
    };
    let files = match init::files(&opts) {
        Ok(f) => f,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = init::write(&args.dir, &files) {
        say!("error: {e}");
        return ExitCode::from(2);
    }
    for (name, _) in &files {
        say!("  Created  {}", args.dir.join(name).display());
    }
    say!(
        "Next: fill in readme.md and the client id (OAuth), then `connector-gen validate --profile certification {}`",
        args.dir.display()
    );
    ExitCode::SUCCESS
}
