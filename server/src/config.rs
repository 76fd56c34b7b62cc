//! Command line and environment (`AHLAN_*`), parsed by clap and validated
//! into a ready-to-use [`Config`] (the ripgrep low-args → high-args split):
//! nothing downstream re-parses strings.

use crate::auth::MIN_PASSWORD_CHARS;
use crate::origin;
use crate::secrets;
use clap::{Parser, ValueEnum};
use shared::limits::{SENDS_PER_SECOND, SEND_BURST};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where a development build looks for the bundles when none are given
/// and none are embedded.
pub const DEFAULT_ASSETS_DIR: &str = "target/ahlan-assets";

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// The flags, as typed.
#[derive(Debug, Parser)]
#[command(name = "ahlan", version, about = "Ahlan live chat server")]
pub struct Args {
    /// Address to listen on (`:0` picks a free port).
    #[arg(long, env = "AHLAN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The URL browsers reach this server at [default: http://localhost:<port>].
    #[arg(long, env = "AHLAN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Where the embedded store keeps its database (created if missing).
    /// One server per data dir.
    #[arg(long, env = "AHLAN_DATA_DIR", default_value = "ahlan-data")]
    pub data_dir: PathBuf,
    /// Directory of the built widget and dashboard bundles (`cargo xtask
    /// build`) [default: the bundles inside the binary when it was built
    /// with them (`cargo xtask dist`), else target/ahlan-assets].
    #[arg(long, env = "AHLAN_ASSETS_DIR")]
    pub assets_dir: Option<PathBuf>,
    /// Email of the admin account created on first start.
    #[arg(long, env = "AHLAN_ADMIN_EMAIL", default_value = "admin@ahlan.local")]
    pub admin_email: String,
    /// Password of that account [default: random, printed at start].
    #[arg(long, env = "AHLAN_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Create a demo site (if the data has none) and serve a demo page with
    /// its snippet at `/demo`. For trying Ahlan out; off in production.
    #[arg(long, env = "AHLAN_DEMO")]
    pub demo: bool,
    /// Public key of the demo site when `--demo` creates it [default: random].
    #[arg(long, env = "AHLAN_DEMO_SITE_KEY")]
    pub demo_site_key: Option<String>,
    /// Origins allowed to embed the demo site's widget when `--demo` creates
    /// it, comma-separated (`https://shop.example`, `http://localhost:*`,
    /// `https://*.shop.example`).
    #[arg(
        long,
        env = "AHLAN_DEMO_ORIGINS",
        value_delimiter = ',',
        default_value = "http://localhost:*,http://127.0.0.1:*"
    )]
    pub demo_origins: Vec<String>,
    /// With `--demo`: fill the demo site's reports with this many made-up
    /// conversations over the last 30 days (figures only, no messages;
    /// done once, while its reports are empty), with four demo agents.
    /// For trying the reports page; never on real data.
    #[arg(
        long,
        env = "AHLAN_DEMO_HISTORY",
        default_value_t = 0,
        requires = "demo"
    )]
    pub demo_history: u32,
    /// Seconds an agent may be gone (last dashboard tab closed) before their
    /// open conversations go back to the front of the queue.
    #[arg(long, env = "AHLAN_AGENT_GRACE_SECS", default_value_t = 60)]
    pub agent_grace_secs: u64,
    /// Most conversations waiting in one site's queue; a visitor whose
    /// first message would go beyond it gets `queue_full` (nothing stored).
    #[arg(long, env = "AHLAN_MAX_QUEUE", default_value_t = 200)]
    pub max_queue: u32,
    /// Most visitor websockets open at once from one client address (per
    /// server node).
    #[arg(long, env = "AHLAN_MAX_SOCKETS_PER_CLIENT", default_value_t = 50)]
    pub max_sockets_per_client: u32,
    /// New visitors (first messages of new widgets) per minute from one
    /// client address (per server node).
    #[arg(long, env = "AHLAN_NEW_VISITORS_PER_MINUTE", default_value_t = 30)]
    pub new_visitors_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses
    /// or CIDR networks, comma-separated) [default: none; the peer address
    /// is the client].
    #[arg(long, env = "AHLAN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// Log format; the level comes from `RUST_LOG` (default `info`).
    #[arg(long, env = "AHLAN_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Keep state in this Redis (`redis://host:port/db`) so several nodes
    /// can share it [default: in memory, one node].
    #[arg(long, env = "AHLAN_REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Messages per second each websocket connection may send on average
    /// before it gets `rate_limited`.
    #[arg(long, env = "AHLAN_SEND_RATE", default_value_t = SENDS_PER_SECOND)]
    pub send_rate: u32,
    /// Messages a connection may send at once above that average.
    #[arg(long, env = "AHLAN_SEND_BURST", default_value_t = SEND_BURST)]
    pub send_burst: u32,
    /// An online agent with no input in the dashboard (keys, mouse, touch)
    /// for this long is set away, and back online at their next input;
    /// 0 turns it off.
    #[arg(long, env = "AHLAN_AUTO_AWAY_SECS", default_value_t = 600)]
    pub auto_away_secs: u64,
    /// Seconds a waiting conversation holds out for its site's routing team
    /// and for an agent who speaks the visitor's language before any agent
    /// of the site may take it.
    #[arg(long, env = "AHLAN_LANGUAGE_FALLBACK_SECS", default_value_t = 60)]
    pub language_fallback_secs: u64,
    /// A secret (16+ characters) that `/metrics` scrapers send as
    /// `Authorization: Bearer …`. Without it `/metrics` answers only
    /// requests made directly from this machine (see docs/OPERATIONS.md).
    #[arg(long, env = "AHLAN_METRICS_TOKEN")]
    pub metrics_token: Option<String>,
    /// Mail agents' replies to visitors who left a message while the site
    /// was offline, through this SMTP server: `smtp://host:25` (plain),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host` (TLS). Without it replies reach those
    /// visitors only when they come back to the site.
    #[arg(long, env = "AHLAN_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of those mails, e.g. `Support <support@example.com>`
    /// (needed with --smtp-url).
    #[arg(long, env = "AHLAN_SMTP_FROM")]
    pub smtp_from: Option<String>,
}

impl Args {
    /// Parses flags only, without the `AHLAN_*` environment fallbacks: for
    /// tests, which a developer's exported variables must not change.
    #[cfg(any(test, feature = "testing"))]
    pub fn parse_ignoring_env<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        // A flag given twice: the later one wins (tests add to a base set).
        let cmd = <Self as clap::CommandFactory>::command()
            .args_override_self(true)
            .mut_args(|a| a.env(None::<&str>));
        let matches = cmd.try_get_matches_from(args)?;
        <Self as clap::FromArgMatches>::from_arg_matches(&matches)
    }
}

/// The per-connection send limit: a token bucket of `burst` sends refilled
/// at `per_second` ([`crate::ws::frames::SendLimiter`]). [`Config::from_args`]
/// makes sure both are at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendRate {
    /// Average sends per second.
    pub per_second: u32,
    /// Sends allowed at once.
    pub burst: u32,
}

impl Default for SendRate {
    fn default() -> Self {
        Self {
            per_second: SENDS_PER_SECOND,
            burst: SEND_BURST,
        }
    }
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen.
    pub bind: SocketAddr,
    /// Set when given; otherwise derived from the bound port by [`Config::public_url`].
    pub public_url: Option<String>,
    /// The embedded store's directory.
    pub data_dir: PathBuf,
    /// Built bundles, when given; otherwise the embedded ones or
    /// [`DEFAULT_ASSETS_DIR`].
    pub assets_dir: Option<PathBuf>,
    /// First admin's email (lower-cased).
    pub admin_email: String,
    /// First admin's password.
    pub admin_password: String,
    /// Whether to create and serve the demo site.
    pub demo: bool,
    /// Demo site key.
    pub demo_site_key: String,
    /// Demo site origins.
    pub demo_origins: Vec<String>,
    /// Made-up conversations for the demo site's reports (0: none).
    pub demo_history: u32,
    /// How long a gone agent keeps their conversations.
    pub agent_grace: std::time::Duration,
    /// How often each node refreshes its agents' heartbeats and sweeps for
    /// agents whose node died (heartbeats last three intervals).
    pub liveness_interval: std::time::Duration,
    /// Log format.
    pub log_format: LogFormat,
    /// Whether the session cookie gets `Secure` (public URL is https).
    pub secure_cookies: bool,
    /// The shared Redis, if any; otherwise the embedded store.
    pub redis_url: Option<String>,
    /// How fast each websocket connection may send messages.
    pub send_rate: SendRate,
    /// Proxies trusted to name the client in `X-Forwarded-For`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Most conversations waiting per site.
    pub max_queue: u32,
    /// Most visitor sockets per client address.
    pub max_sockets_per_client: u32,
    /// New visitors per minute per client address.
    pub new_visitors_per_minute: u32,
    /// Idle time after which the dashboard sets an online agent away (0:
    /// never).
    pub auto_away_secs: u64,
    /// How long a waiting conversation holds out for its team and language.
    pub language_fallback: std::time::Duration,
    /// What `/metrics` scrapers must present (`None`: local requests only).
    pub metrics_token: Option<String>,
    /// Where reply mails go out, and as whom (`None`: not mailed).
    pub smtp: Option<Smtp>,
}

/// The SMTP server and sender for reply mails ([`crate::mail`]).
#[derive(Clone)]
pub struct Smtp {
    /// lettre's connection URL (may hold a password: never logged).
    pub url: String,
    /// The `From` mailbox.
    pub from: String,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// A flag that does not make sense.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

impl Config {
    /// Validates parsed flags.
    pub fn from_args(args: Args) -> Result<Self, ConfigError> {
        let public_url = match args.public_url {
            Some(url) => {
                let url = url.trim_end_matches('/').to_owned();
                if origin::normalize(&url).is_none() {
                    return Err(ConfigError(format!(
                        "--public-url must be scheme://host[:port] with no path, got {url:?}"
                    )));
                }
                Some(url)
            }
            None => None,
        };
        let admin_email = args.admin_email.trim().to_lowercase();
        if !admin_email.contains('@') {
            return Err(ConfigError(format!(
                "--admin-email is not an email: {admin_email:?}"
            )));
        }
        if let Some(p) = &args.admin_password {
            if p.chars().count() < MIN_PASSWORD_CHARS {
                return Err(ConfigError(format!(
                    "--admin-password must have at least {MIN_PASSWORD_CHARS} characters"
                )));
            }
        }
        // A zero rate would silence a connection for good after its first
        // burst, a zero burst would refuse every send: never what is meant.
        if args.send_rate == 0 {
            return Err(ConfigError(
                "--send-rate must be at least 1 message per second".into(),
            ));
        }
        if args.send_burst == 0 {
            return Err(ConfigError(
                "--send-burst must be at least 1 message".into(),
            ));
        }
        let demo_origins: Vec<String> = args
            .demo_origins
            .into_iter()
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        let metrics_token = args.metrics_token.filter(|t| !t.is_empty());
        if metrics_token
            .as_ref()
            .is_some_and(|t| t.chars().count() < 16)
        {
            return Err(ConfigError(
                "--metrics-token must be at least 16 characters".into(),
            ));
        }
        let smtp = match (
            args.smtp_url.filter(|u| !u.trim().is_empty()),
            args.smtp_from,
        ) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(ConfigError(
                    "--smtp-from is needed with --smtp-url (the mails' sender)".into(),
                ))
            }
            (Some(url), Some(from)) => {
                crate::mail::check_settings(&url, &from).map_err(|e| ConfigError(e.to_string()))?;
                Some(Smtp { url, from })
            }
        };
        let trusted_proxies = crate::client::parse_trusted(&args.trusted_proxies)
            .map_err(|e| ConfigError(format!("--trusted-proxies: {e}")))?;
        let secure_cookies = public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        Ok(Self {
            bind: args.bind,
            public_url,
            data_dir: args.data_dir,
            assets_dir: args.assets_dir,
            admin_email,
            admin_password: args.admin_password.unwrap_or_else(secrets::new_password),
            demo: args.demo,
            demo_site_key: args.demo_site_key.unwrap_or_else(secrets::new_site_key),
            demo_origins,
            demo_history: args.demo_history,
            agent_grace: std::time::Duration::from_secs(args.agent_grace_secs),
            liveness_interval: std::time::Duration::from_secs(5),
            log_format: args.log_format,
            secure_cookies,
            redis_url: args.redis_url.filter(|u| !u.trim().is_empty()),
            send_rate: SendRate {
                per_second: args.send_rate,
                burst: args.send_burst,
            },
            trusted_proxies,
            max_queue: args.max_queue.max(1),
            max_sockets_per_client: args.max_sockets_per_client.max(1),
            new_visitors_per_minute: args.new_visitors_per_minute.max(1),
            auto_away_secs: args.auto_away_secs,
            language_fallback: std::time::Duration::from_secs(args.language_fallback_secs),
            metrics_token,
            smtp,
        })
    }

    /// A configuration for tests: random port, fixed admin password, the
    /// demo site, no assets. The data dir must be set by the caller (each
    /// test server gets its own temp dir). `AHLAN_*` variables in the
    /// environment are ignored, so a developer's shell cannot change tests.
    #[cfg(any(test, feature = "testing"))]
    pub fn for_tests() -> Self {
        Self::for_tests_with(&[])
    }

    /// [`Config::for_tests`] plus more flags.
    #[cfg(any(test, feature = "testing"))]
    pub fn for_tests_with(flags: &[&str]) -> Self {
        let mut args = vec![
            "ahlan",
            "--bind",
            "127.0.0.1:0",
            "--admin-email",
            "admin@ahlan.local",
            "--admin-password",
            "test-password",
            "--demo",
            "--data-dir",
            "/nonexistent-ahlan-data",
            "--assets-dir",
            "/nonexistent-ahlan-assets",
        ];
        args.extend_from_slice(flags);
        let parsed = Args::parse_ignoring_env(args).expect("test flags parse");
        Self::from_args(parsed).expect("test config is valid")
    }

    /// The public base URL, given the port actually bound.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://localhost:{}", bound.port()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, ConfigError> {
        let mut all = vec!["ahlan"];
        all.extend_from_slice(args);
        Config::from_args(Args::parse_ignoring_env(all).expect("flags parse"))
    }

    #[test]
    fn defaults_are_usable() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.bind.port(), 8080);
        assert_eq!(c.public_url(c.bind), "http://localhost:8080");
        assert!(c.demo_site_key.starts_with("pk_"));
        assert!(c.admin_password.len() >= 8);
        assert_eq!(
            c.demo_origins,
            vec!["http://localhost:*", "http://127.0.0.1:*"]
        );
        assert!(!c.secure_cookies);
        assert_eq!(c.redis_url, None);
        assert_eq!(c.send_rate, SendRate::default());
        assert_eq!(Config::for_tests().send_rate, SendRate::default());
        assert_eq!(c.data_dir, PathBuf::from("ahlan-data"));
        assert!(!c.demo, "no demo site unless asked for");
    }

    #[test]
    fn test_configs_ignore_the_environment() {
        let before = std::env::var_os("AHLAN_SEND_RATE");
        // SAFETY: set_var races only with code reading the environment on
        // another thread at the same moment; no other test of this crate
        // reads AHLAN_SEND_RATE (they all parse without the environment).
        unsafe { std::env::set_var("AHLAN_SEND_RATE", "999") };
        let c = Config::for_tests();
        match before {
            // SAFETY: as above.
            Some(v) => unsafe { std::env::set_var("AHLAN_SEND_RATE", v) },
            // SAFETY: as above.
            None => unsafe { std::env::remove_var("AHLAN_SEND_RATE") },
        }
        assert_eq!(c.send_rate, SendRate::default());
    }

    #[test]
    fn send_rate_flags_set_the_limiter() {
        let c = parse(&["--send-rate", "200", "--send-burst", "1000"]).unwrap();
        assert_eq!(
            c.send_rate,
            SendRate {
                per_second: 200,
                burst: 1000
            }
        );
        let e = parse(&["--send-rate", "0"]).unwrap_err();
        assert!(e.to_string().contains("--send-rate"), "{e}");
        let e = parse(&["--send-burst", "0"]).unwrap_err();
        assert!(e.to_string().contains("--send-burst"), "{e}");
    }

    #[test]
    fn smtp_needs_a_usable_url_and_a_sender_and_hides_the_password() {
        assert!(parse(&[]).unwrap().smtp.is_none());
        let c = parse(&[
            "--smtp-url",
            "smtp://mailer:s3cret@mail.example:587?tls=required",
            "--smtp-from",
            "Support <support@example.com>",
        ])
        .unwrap();
        let smtp = c.smtp.expect("set");
        assert!(!format!("{smtp:?}").contains("s3cret"));
        let e = parse(&["--smtp-url", "smtp://mail.example"]).unwrap_err();
        assert!(e.to_string().contains("--smtp-from"), "{e}");
        let e = parse(&["--smtp-url", "ftp://x", "--smtp-from", "a@b.co"]).unwrap_err();
        assert!(e.to_string().contains("--smtp-url"), "{e}");
        let e = parse(&["--smtp-url", "smtp://x:25", "--smtp-from", "nobody"]).unwrap_err();
        assert!(e.to_string().contains("--smtp-from"), "{e}");
    }

    #[test]
    fn redis_url_selects_the_shared_store() {
        let c = parse(&["--redis-url", "redis://127.0.0.1:6379/0"]).unwrap();
        assert_eq!(c.redis_url.as_deref(), Some("redis://127.0.0.1:6379/0"));
    }

    #[test]
    fn rejects_bad_values() {
        assert!(parse(&["--public-url", "https://chat.example/path"]).is_err());
        assert!(parse(&["--admin-email", "nope"]).is_err());
        assert!(parse(&["--admin-password", "short"]).is_err());
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let c = parse(&["--public-url", "https://chat.example/"]).unwrap();
        assert_eq!(c.public_url(c.bind), "https://chat.example");
        assert!(c.secure_cookies);
    }
}
