//! The loader must never break the host page, whichever way it fails: the
//! Ahlan server refuses the snippet's site key (the iframe page answers
//! 403), or the loader came (from a cache or a CDN) but the server behind
//! it is down. Either way no empty frame shows, the `Ahlan` API still
//! answers, and the page's own error log stays empty.

use ahlan_e2e::ahlan::snippet;
use ahlan_e2e::fixtures::{action, check, find, LOADER_LAUNCHER};
use ahlan_e2e::mini_http::host_page_html;
use ahlan_e2e::{finish, paths, poll, Ahlan, Browser, Chromedriver, MiniServer, Reply, TIMEOUT};
use anyhow::{ensure, Context, Result};

const SITE_KEY: &str = "pk_e2e_down";

#[tokio::test]
async fn host_page_works_when_the_site_key_is_refused() -> Result<()> {
    let ahlan = Ahlan::start("loader-refused").await?;
    // A real server, its real loader, a key it does not know (a deleted
    // site, a typo in the snippet).
    let refused = format!("pk_refused_{}", ahlan_e2e::random_hex(8));
    let driver = Chromedriver::start().await?;
    let host = MiniServer::page(host_page_html(&snippet(&ahlan.base_url, &refused))).await?;
    let browser = driver.browser("visitor", "en").await?;
    let result = async {
        action::open_page(&browser, &host.url()).await?;
        check::host_script_ran(&browser).await?;
        wait_for_the_api(&browser).await?;
        // The launcher's look was asked for and refused: the page is told
        // why, once, as a warning.
        poll("the loader's warning", TIMEOUT, || async {
            let warnings = find::eval(&browser, "window.__hostWarnings").await?;
            let told = warnings.as_array().is_some_and(|w| {
                w.len() == 1
                    && w[0]
                        .as_str()
                        .is_some_and(|w| w.contains("No site has this key"))
            });
            Ok(told.then_some(()))
        })
        .await?;
        quiet_failure(&browser).await?;
        // No launcher either, and open() loaded nothing.
        ensure!(
            find::shown_count(&browser, LOADER_LAUNCHER).await? == 0,
            "a launcher is shown for a refused site key"
        );
        let frames = find::eval(&browser, "window.__iframeLoads").await?;
        ensure!(
            frames == 0,
            "{frames} iframe(s) loaded for a refused site key"
        );
        Ok(())
    }
    .await;
    finish(
        "loader-refused",
        result,
        vec![browser],
        Some(ahlan.log_tail()),
    )
    .await
}

#[tokio::test]
async fn host_page_works_when_the_server_is_down() -> Result<()> {
    let loader_path = paths::loader_js()?;
    let loader = std::fs::read(&loader_path)
        .with_context(|| format!("reading {}", loader_path.display()))?;
    // A stand-in Ahlan origin: the loader comes (as from a cache or a CDN),
    // everything else (the iframe page, any API call) hangs up.
    let down = MiniServer::start(move |request| {
        if request.path.starts_with("/widget/loader.js") {
            Reply::Script(loader.clone())
        } else {
            Reply::Hangup
        }
    })
    .await?;
    let driver = Chromedriver::start().await?;
    let host = MiniServer::page(host_page_html(&snippet(
        &format!("http://localhost:{}", down.port),
        SITE_KEY,
    )))
    .await?;
    let browser = driver.browser("visitor", "en").await?;
    let result = async {
        action::open_page(&browser, &host.url()).await?;
        check::host_script_ran(&browser).await?;
        wait_for_the_api(&browser).await?;
        // The loader has tried the server and the failure has played out:
        // only now does "no iframe shown" mean something.
        poll("the loader to try the server", TIMEOUT, || async {
            let tried = down
                .requests()
                .iter()
                .any(|request| !request.path.starts_with("/widget/loader.js"));
            Ok(tried.then_some(()))
        })
        .await?;
        iframe_loaded_once(&browser).await?;
        quiet_failure(&browser).await
    }
    .await;
    finish("loader-server-down", result, vec![browser], None).await
}

async fn wait_for_the_api(browser: &Browser) -> Result<()> {
    poll("window.Ahlan", TIMEOUT, || async {
        let kind = find::eval(browser, "typeof window.Ahlan").await?;
        Ok((kind != "undefined").then_some(()))
    })
    .await
}

async fn iframe_loaded_once(browser: &Browser) -> Result<()> {
    poll("the widget iframe to finish loading", TIMEOUT, || async {
        let loads = find::eval(browser, "window.__iframeLoads").await?;
        Ok((loads.as_u64() >= Some(1)).then_some(()))
    })
    .await
}

/// What a failed widget leaves: no frame on screen, an API that takes
/// every call without throwing (and still shows nothing), no page errors.
async fn quiet_failure(browser: &Browser) -> Result<()> {
    check::no_iframe_shown(browser).await?;
    let calls = find::eval(
        browser,
        r#"(function () {
            try {
                Ahlan.on("ready", function () {});
                Ahlan.open();
                Ahlan.close();
                Ahlan.open();
                return "ok";
            } catch (error) {
                return "threw: " + error;
            }
        })()"#,
    )
    .await?;
    ensure!(calls == "ok", "the Ahlan API {calls}");
    check::no_iframe_shown(browser).await?;
    check::no_host_errors(browser).await
}
