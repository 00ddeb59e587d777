//! `connector-gen serve CONFIG`: the triggers of a host configuration, each on the one instance
//! of the fleet holding its lease; `serve CONFIG --check` validates it; `serve status CONFIG`
//! shows the fleet's state.

use connector_gen::run::serve::config::{self, ConfigErrors, HostConfig};
use connector_gen::run::serve::host::{self, Host, Prepared};
use connector_gen::run::serve::{self as s, metrics::Metrics, status};
use connector_sdk::webhook::{Inbox, Signer};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    what: Option<What>,
    /// The host configuration (TOML): `[state]`, `[listener]`, `[lease]`, `[[trigger]]`.
    #[arg(required = true)]
    config: Option<PathBuf>,
    /// Check the configuration and every connector it names, then exit: 0 fine, 1 problems
    /// (each at its line and column), 2 the file cannot be read or is not TOML.
    #[arg(long)]
    check: bool,
    /// Listen here instead of the configuration's `[listener] addr` (instances sharing one
    /// configuration on one machine; `public_url` stays the configuration's).
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
}

#[derive(clap::Subcommand)]
enum What {
    /// Each trigger's owner, last poll, next run, lag, failures and dead letters, from the
    /// store the configuration names.
    Status {
        /// The host configuration.
        config: PathBuf,
        /// As a JSON array.
        #[arg(long)]
        json: bool,
    },
}

/// Reads the configuration: `Err` is the exit code, the mistakes said.
fn read(path: &std::path::Path, invalid: u8) -> Result<HostConfig, ExitCode> {
    config::read(path).map_err(|e| {
        match &e {
            ConfigErrors::Invalid(all) => {
                for one in all {
                    say!("error: {one}");
                }
                say!("{} mistake(s) in {}", all.len(), path.display());
                return ExitCode::from(invalid);
            }
            other => say!("error: {other}"),
        }
        ExitCode::from(2)
    })
}

pub fn run(args: Args) -> ExitCode {
    match args.what {
        Some(What::Status { config, json }) => return show_status(&config, json),
        None => {}
    }
    let Some(path) = args.config else {
        return ExitCode::from(2);
    };
    if args.check {
        return check(&path);
    }
    serve(&path, args.listen.as_deref())
}

fn check(path: &std::path::Path) -> ExitCode {
    let cfg = match read(path, 1) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Nothing is subscribed: any key signs the callback URLs that are only built.
    let (ready, errors, warnings) =
        host::prepare(&cfg, &Signer::new([0; 32]), &super::load_options());
    for w in &warnings {
        say!("warning: {w}");
    }
    for e in &errors {
        say!("error: {e}");
    }
    if !errors.is_empty() {
        say!("{} mistake(s) in {}", errors.len(), path.display());
        return ExitCode::from(1);
    }
    let hooks = ready
        .iter()
        .filter(|p| matches!(p.kind, host::Kind::Webhook { .. }))
        .count();
    let state = match &cfg.state {
        config::StateUrl::Sqlite(p) => format!("SQLite {}", p.display()),
        config::StateUrl::Postgres(u) => {
            format!("PostgreSQL {}", connector_sdk::runtime::redact_url(u))
        }
    };
    say!(
        "ok: {} trigger(s) ({} polling, {hooks} webhook), state in {state}",
        ready.len(),
        ready.len() - hooks
    );
    ExitCode::SUCCESS
}

fn show_status(path: &std::path::Path, json: bool) -> ExitCode {
    let cfg = match read(path, 2) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let store = match s::open_store(&cfg.state, false) {
        Ok(s) => s,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match status::status(&cfg, &*store) {
        Ok(rows) if json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Ok(rows) => {
            print!("{}", connector_gen::text::printable(&status::table(&rows)));
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Logs on stderr through `tracing`: for people, or JSON lines (`[log] format = "json"`);
/// the level from `CONNECTOR_LOG` (`error`, `warn`, `info` — the default —, `debug`).
fn init_logs(json: bool) {
    let level = match std::env::var("CONNECTOR_LOG").as_deref() {
        Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        Ok("trace") => tracing::Level::TRACE,
        _ => tracing::Level::INFO,
    };
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false);
    if json {
        builder.json().init();
    } else {
        builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
}

fn serve(path: &std::path::Path, listen: Option<&str>) -> ExitCode {
    let mut cfg = match read(path, 2) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(addr) = listen {
        if let Err(e) = connector_gen::run::watch::check_listen(addr) {
            say!("error: {e}");
            return ExitCode::from(2);
        }
        match &mut cfg.listener {
            Some(l) => l.addr = addr.to_string(),
            None => {
                say!("error: --listen {addr}: the configuration has no [listener] (its public_url says where services reach it)");
                return ExitCode::from(2);
            }
        }
    }
    init_logs(cfg.log_json);
    let store = match s::open_store(&cfg.state, true) {
        Ok(s) => s,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let key = match store.signing_key() {
        Ok(k) => k,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let signer = Signer::new(key);
    let load = super::load_options();
    let (ready, errors, warnings) = host::prepare(&cfg, &signer, &load);
    for w in &warnings {
        say!("warning: {w}");
    }
    if !errors.is_empty() {
        for e in &errors {
            say!("error: {e}");
        }
        say!(
            "{} mistake(s) in {}: nothing started (`serve {} --check` lists them)",
            errors.len(),
            path.display(),
            path.display()
        );
        return ExitCode::from(2);
    }
    let prepared: Vec<Arc<Prepared>> = ready.into_iter().map(Arc::new).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            say!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let metrics = Arc::new(Metrics::default());
    let healthy = Arc::new(AtomicI64::new(0));
    let owner = host::instance_id();
    let code = runtime.block_on(async {
        let stop = super::watch::interrupt();
        if let Some(listener) = &cfg.listener {
            let socket = match tokio::net::TcpListener::bind(&listener.addr).await {
                Ok(s) => s,
                Err(e) => {
                    say!("error: cannot listen on {}: {e}", listener.addr);
                    return ExitCode::from(2);
                }
            };
            let limits = s::limits(listener);
            let inbox = Inbox::start(store.clone());
            let app = s::router(
                &prepared,
                &signer,
                &inbox,
                &limits,
                metrics.clone(),
                healthy.clone(),
                cfg.lease.ttl,
            );
            tracing::info!(addr = %listener.addr, public_url = %listener.public_url, "listening (webhooks, /healthz, /metrics)");
            tokio::spawn(async move {
                let _ = connector_sdk::webhook::serve_with(socket, app, limits).await;
            });
        }
        tracing::info!(instance = %owner, triggers = prepared.len(), "serving");
        let host = Host {
            prepared: prepared.clone(),
            store: store.clone(),
            owner,
            lease: cfg.lease,
            metrics: metrics.clone(),
            healthy: healthy.clone(),
        };
        host.run(stop, &load).await;
        tracing::info!("stopped");
        ExitCode::SUCCESS
    });
    // The store's own threads end with the process.
    drop(runtime);
    code
}
