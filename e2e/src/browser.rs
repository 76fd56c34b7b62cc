//! Headless Chromium through chromedriver.
//!
//! One chromedriver per test, on a free port, serves all of that test's
//! browser sessions (a visitor and an agent are two sessions, two separate
//! browsers with their own profiles). Sessions must be closed — `finish`
//! does it on success and failure alike — or Chromium outlives the test;
//! as a backstop chromedriver runs in its own process group, which is killed
//! when the `Chromedriver` is dropped.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

use crate::{fixtures, paths, poll};

/// How long chromedriver may take to accept connections.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(20);

/// A running chromedriver; it and its browsers are killed when dropped.
pub struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    /// Starts chromedriver on a free port and waits until it accepts.
    pub async fn start() -> Result<Self> {
        let port = free_port().await?;
        let driver = paths::chromedriver();
        let mut child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own group, so Drop can take Chromium down with it.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (install chromium-driver, or run `cargo xtask test`)",
                    driver.display()
                )
            })?;

        let ready = poll(
            "chromedriver to accept connections",
            DRIVER_START_TIMEOUT,
            || {
                let exited = child.try_wait();
                async move {
                    if let Ok(Some(status)) = exited {
                        bail!("chromedriver exited at start ({status})");
                    }
                    Ok(TcpStream::connect(("127.0.0.1", port))
                        .await
                        .ok()
                        .map(|_| ()))
                }
            },
        )
        .await;
        ready.with_context(|| format!("starting {} --port={port}", driver.display()))?;
        Ok(Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }

    /// A new browser session with `lang` as the browser's language (UI
    /// language and `Accept-Language`), e.g. `"en"`, `"ar"`, `"fa"`.
    /// `name` labels its failure screenshots.
    pub async fn browser(&self, name: &str, lang: &str) -> Result<Browser> {
        let profile =
            std::env::temp_dir().join(format!("ahlan-e2e-profile-{}", crate::random_hex(16)));
        std::fs::create_dir_all(&profile)
            .with_context(|| format!("creating {}", profile.display()))?;
        let chromium = paths::chromium();
        let capabilities = json!({
            "browserName": "chrome",
            // A dialog nobody expected stays open, so `check::no_dialog`
            // sees it and every later command fails ("unexpected alert
            // open"); by default chromedriver would dismiss it on the next
            // command, which a poll would take for "not yet" and forget.
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    // The machines have no network beyond loopback; without
                    // these Chromium keeps trying to reach Google services.
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,800",
                    format!("--user-data-dir={}", profile.display()),
                    format!("--lang={lang}"),
                ],
                // `--lang` sets the UI language; `navigator.languages` and
                // the Accept-Language header follow this preference.
                "prefs": { "intl.accept_languages": lang },
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("json! of an object literal is an object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .with_context(|| {
                format!(
                    "opening a browser session ({} via chromedriver at {})",
                    chromium.display(),
                    self.url
                )
            })?;
        Ok(Browser {
            client,
            name: name.to_owned(),
            profile,
        })
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            // SAFETY: kill(2) has no memory effects; the negative pid names
            // the process group chromedriver leads (set at spawn), which
            // holds only it and the browsers it started.
            unsafe {
                libc::kill(-(pid as libc::pid_t), libc::SIGKILL);
            }
        }
    }
}

/// One browser session. Derefs to the fantoccini [`Client`], so fixtures
/// take `&Client` and tests pass `&browser`.
pub struct Browser {
    client: Client,
    name: String,
    profile: PathBuf,
}

impl Browser {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Ends the session (Chromium exits) and removes the profile.
    pub async fn close(self) -> Result<()> {
        let closed = self.client.clone().close().await;
        // Chromium has exited once close returns; its profile can go.
        let _ = std::fs::remove_dir_all(&self.profile);
        closed.with_context(|| format!("closing the {} browser", self.name))
    }
}

impl std::ops::Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// Ends a test: on failure, screenshots every browser as
/// `<test>-failed-<browser>.png` and adds `server_log` (if any) to the
/// error; then closes every browser whatever happened.
pub async fn finish(
    test: &str,
    result: Result<()>,
    browsers: Vec<Browser>,
    server_log: Option<String>,
) -> Result<()> {
    if result.is_err() {
        for browser in &browsers {
            // Best effort: a failing test's own error matters more.
            let name = format!("{test}-failed-{}", browser.name());
            if let Err(err) = fixtures::action::screenshot(browser, &name).await {
                eprintln!("could not take the failure screenshot {name}: {err:#}");
            }
        }
    }
    let mut close_error = None;
    for browser in browsers {
        if let Err(err) = browser.close().await {
            close_error.get_or_insert(err);
        }
    }
    match (result, server_log) {
        // Debug keeps the whole cause chain; the log goes after it so the
        // failure itself is the first thing read.
        (Err(err), Some(log)) => Err(anyhow!("{err:?}\n\nserver log (tail):\n{log}")),
        (Err(err), None) => Err(err),
        (Ok(()), _) => close_error.map_or(Ok(()), Err),
    }
}

/// A port nobody listens on right now: bind port 0, note it, let go.
/// (Racy in principle; the window is a few milliseconds on loopback.)
pub async fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}
