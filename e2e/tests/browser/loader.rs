//! The loader must never break the host page: not when its own URL is
//! unreachable, and not when it loaded but the Ahlan server behind it is
//! down (the iframe never says it is ready).

use ahlan_e2e::ahlan::snippet;
use ahlan_e2e::browser::free_port;
use ahlan_e2e::fixtures::{action, check, find};
use ahlan_e2e::mini_http::host_page_html;
use ahlan_e2e::{finish, paths, poll, Chromedriver, MiniServer, Reply, TIMEOUT};
use anyhow::{ensure, Context, Result};

const SITE_KEY: &str = "pk_e2e_down";

#[tokio::test]
async fn host_page_works_when_the_loader_is_unreachable() -> Result<()> {
    let driver = Chromedriver::start().await?;
    // Nothing listens there once the probe is dropped.
    let closed = free_port().await?;
    let host = MiniServer::page(host_page_html(&snippet(
        &format!("http://localhost:{closed}"),
        SITE_KEY,
    )))
    .await?;
    let browser = driver.browser("visitor", "en").await?;
    let result = async {
        action::open_page(&browser, &host.url()).await?;
        check::host_script_ran(&browser).await?;
        check::no_iframe_shown(&browser).await?;
        check::no_host_errors(&browser).await?;
        Ok(())
    }
    .await;
    finish("loader-unreachable", result, vec![browser], None).await
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

        poll("window.Ahlan", TIMEOUT, || async {
            let kind = find::eval(&browser, "typeof window.Ahlan").await?;
            Ok((kind != "undefined").then_some(()))
        })
        .await?;
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
        poll("the widget iframe to fail loading", TIMEOUT, || async {
            let loads = find::eval(&browser, "window.__iframeLoads").await?;
            Ok((loads.as_u64() >= Some(1)).then_some(()))
        })
        .await?;
        check::no_iframe_shown(&browser).await?;

        let calls = find::eval(
            &browser,
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
        check::no_iframe_shown(&browser).await?;
        check::no_host_errors(&browser).await?;
        Ok(())
    }
    .await;
    finish("loader-server-down", result, vec![browser], None).await
}
