//! `ahlan`: parse config → logs → store → seed → bind → print how to use
//! it → serve.

use ahlan_server::config::{Args, Config, LogFormat};
use ahlan_server::store::{embedded::EmbeddedStore, Store};
use ahlan_server::{pages, run, seed, AppState};
use anyhow::Context;
use clap::Parser;
use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

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

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_args(Args::parse())?;
    init_logs(config.log_format);

    let store: Arc<dyn Store> = Arc::new(EmbeddedStore::new());
    let listener = TcpListener::bind(config.bind)
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let bound = listener.local_addr()?;
    let state = AppState::new(config.clone(), store.clone(), bound);
    if state.assets.manifest.is_none() {
        tracing::warn!(dir = %config.assets_dir.display(), "widget and dashboard bundles not found: run `cargo xtask build`");
    }
    let seeded = seed::ensure(&*store, &config, &state.public_url)
        .await
        .context("first-start setup failed")?;
    let url = state.public_url.clone();
    let login = if seeded.admin_created {
        format!("{} / {}", config.admin_email, config.admin_password)
    } else {
        format!("{} (existing account)", config.admin_email)
    };
    // stdout, one item a line: for people and for test harnesses.
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Ahlan is running ({} store: data is kept in memory until the server stops)",
        store.backend()
    )?;
    writeln!(out, "  listening:  http://{bound}")?;
    writeln!(out, "  dashboard:  {url}/app")?;
    writeln!(out, "  login:      {login}")?;
    writeln!(out, "  demo page:  {url}/demo")?;
    writeln!(out, "  site key:   {}", seeded.site.key)?;
    writeln!(
        out,
        "  snippet:    {}",
        pages::snippet(&url, &seeded.site.key)
    )?;
    out.flush()?;
    drop(out);

    run(listener, state)?.await?;
    Ok(())
}
