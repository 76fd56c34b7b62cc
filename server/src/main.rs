//! `ahlan`: parse config → logs → store → seed → bind → print how to use
//! it → serve.

use ahlan_server::config::{Args, Config, LogFormat};
use ahlan_server::store::{embedded::EmbeddedStore, redis::RedisStore, Store};
use ahlan_server::{pages, run, seed, AppState};
use anyhow::Context;
use clap::Parser;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

/// mimalloc rather than the system allocator: glibc keeps what each
/// thread's arena once held (a password check takes 19 MiB on whichever
/// blocking thread runs it), so the server's memory only ever grew;
/// mimalloc returns large freed blocks to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_logs(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Every node sharing one namespace shares conversations and events.
const REDIS_NAMESPACE: &str = "ahlan";

async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match &config.redis_url {
        Some(url) => Arc::new(
            RedisStore::connect(url, REDIS_NAMESPACE)
                .await
                .context("cannot connect to redis")?,
        ),
        None => Arc::new(EmbeddedStore::open(&config.data_dir)?),
    })
}

/// The banner's store line. Only the host of the Redis URL is shown: the
/// URL may hold a password.
fn store_description(config: &Config) -> String {
    match &config.redis_url {
        Some(url) => {
            let host = url.rsplit('@').next().unwrap_or(url);
            let host = host
                .trim_start_matches("redis://")
                .trim_start_matches("rediss://");
            format!("redis store at {host}, namespace `{REDIS_NAMESPACE}`: data is shared by every node using it")
        }
        None => {
            let dir =
                std::fs::canonicalize(&config.data_dir).unwrap_or_else(|_| config.data_dir.clone());
            format!("embedded store: data is kept in {}", dir.display())
        }
    }
}

/// stdout, one item a line: for people and for test harnesses. The first
/// admin's password appears here once, at creation, and never in the logs.
fn print_banner(
    store: &str,
    bound: SocketAddr,
    url: &str,
    login: &str,
    demo_key: Option<&str>,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "Ahlan is running ({store})")?;
    writeln!(out, "  listening:  http://{bound}")?;
    writeln!(out, "  dashboard:  {url}/app")?;
    writeln!(out, "  login:      {login}")?;
    if let Some(key) = demo_key {
        writeln!(out, "  demo page:  {url}/demo")?;
        writeln!(out, "  site key:   {key}")?;
        writeln!(out, "  snippet:    {}", pages::snippet(url, key))?;
    }
    out.flush()
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_args(Args::parse())?;
    init_logs(config.log_format);

    let store = open_store(&config).await?;
    let listener = TcpListener::bind(config.bind)
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let bound = listener.local_addr()?;
    let public_url = config.public_url(bound);
    let seeded = seed::ensure(&*store, &config, &public_url)
        .await
        .context("first-start setup failed")?;
    let demo_key = seeded.demo_site.as_ref().map(|s| s.key.clone());
    let state = AppState::new(config.clone(), store.clone(), bound).with_demo(demo_key.clone());
    if state.assets.manifest.is_none() {
        let dir = config
            .assets_dir
            .clone()
            .unwrap_or_else(|| ahlan_server::config::DEFAULT_ASSETS_DIR.into());
        tracing::warn!(dir = %dir.display(), "widget and dashboard bundles not found: run `cargo xtask build` (or build the binary with `cargo xtask dist`)");
    }
    let login = if seeded.admin_created {
        format!("{} / {}", config.admin_email, config.admin_password)
    } else {
        "the accounts already in the data (passwords unchanged)".to_owned()
    };
    // Best effort: a supervisor or harness that stops reading stdout must
    // not take the server down with a broken pipe.
    if let Err(e) = print_banner(
        &store_description(&config),
        bound,
        &public_url,
        &login,
        demo_key.as_deref(),
    ) {
        tracing::warn!(error = %e, "could not print the start banner");
    }

    run(listener, state)?.await?;
    Ok(())
}
