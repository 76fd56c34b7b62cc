//! The harness itself: chromedriver, sessions, the host page server and the
//! language settings the RTL tests rely on. These need no Ahlan server, so
//! they say whether a failure elsewhere is the product's or the harness's.

use ahlan_e2e::fixtures::{action, check, find};
use ahlan_e2e::mini_http::{host_page_html, HOST_PAGE_TITLE};
use ahlan_e2e::{finish, poll, Browser, Chromedriver, MiniServer, Reply, TIMEOUT};
use anyhow::{ensure, Result};

#[tokio::test]
async fn chromedriver_serves_a_session_that_loads_the_host_page() -> Result<()> {
    let driver = Chromedriver::start().await?;
    let host = MiniServer::page(host_page_html("")).await?;
    let browser = driver.browser("browser", "en").await?;
    let result = async {
        action::open_page(&browser, &host.url()).await?;
        let title = browser.title().await?;
        ensure!(title == HOST_PAGE_TITLE, "host page title is {title:?}");
        check::host_script_ran(&browser).await?;
        check::no_host_errors(&browser).await?;
        check::no_iframe_shown(&browser).await?;
        Ok(())
    }
    .await;
    finish("harness-host-page", result, vec![browser], None).await
}

#[tokio::test]
async fn browser_language_reaches_scripts_and_servers() -> Result<()> {
    let driver = Chromedriver::start().await?;
    let host = MiniServer::page(host_page_html("")).await?;
    let browser = driver.browser("browser", "ar").await?;
    let result = language_is(&browser, &host, "ar").await;
    finish("harness-language", result, vec![browser], None).await
}

async fn language_is(browser: &Browser, host: &MiniServer, lang: &str) -> Result<()> {
    action::open_page(browser, &host.url()).await?;
    let language = find::eval(browser, "navigator.language").await?;
    ensure!(
        language.as_str().is_some_and(|l| l.starts_with(lang)),
        "navigator.language is {language}"
    );
    let requests = host.requests();
    let accept = requests
        .first()
        .and_then(|request| request.header("accept-language"))
        .unwrap_or_default();
    ensure!(accept.starts_with(lang), "Accept-Language is {accept:?}");
    Ok(())
}

/// The loader tests wait on the host page's iframe load counter; this pins
/// down that Chromium counts a frame whose server hangs up.
#[tokio::test]
async fn a_failed_iframe_still_counts_as_loaded() -> Result<()> {
    let driver = Chromedriver::start().await?;
    let dead = MiniServer::start(|_| Reply::Hangup).await?;
    let frame = format!(
        r#"<iframe src="http://localhost:{}/frame"></iframe>"#,
        dead.port
    );
    let host = MiniServer::page(host_page_html(&frame)).await?;
    let browser = driver.browser("browser", "en").await?;
    let result = async {
        action::open_page(&browser, &host.url()).await?;
        poll("the failed iframe's load event", TIMEOUT, || async {
            let loads = find::eval(&browser, "window.__iframeLoads").await?;
            Ok((loads.as_u64() >= Some(1)).then_some(()))
        })
        .await?;
        ensure!(
            dead.requests().iter().any(|r| r.path == "/frame"),
            "the iframe never asked the dead server"
        );
        Ok(())
    }
    .await;
    finish("harness-failed-iframe", result, vec![browser], None).await
}

/// The XSS test counts on seeing any dialog a hostile message might open,
/// including from the widget's frame on another site (its own process):
/// this pins down that `check::no_dialog` does.
#[tokio::test]
async fn a_dialog_in_a_cross_site_frame_is_seen() -> Result<()> {
    let driver = Chromedriver::start().await?;
    let framed = MiniServer::page(
        "<!doctype html><p>framed</p>\
         <script>window.onmessage = function () { alert(\"probe\"); };</script>"
            .to_owned(),
    )
    .await?;
    // localhost vs 127.0.0.1: another site, as the widget's frame is.
    let frame = format!(
        r#"<iframe src="http://localhost:{}/"></iframe>"#,
        framed.port
    );
    let host = MiniServer::page(host_page_html(&frame)).await?;
    let browser = driver.browser("browser", "en").await?;
    let result = async {
        action::open_page(&browser, &host.url()).await?;
        check::no_dialog(&browser).await?;
        browser
            .execute(
                "document.querySelector('iframe').contentWindow.postMessage('go', '*');",
                vec![],
            )
            .await?;
        let text = poll("the framed page's alert", TIMEOUT, || async {
            Ok(browser.get_alert_text().await.ok())
        })
        .await?;
        ensure!(text == "probe", "the dialog says {text:?}");
        let seen = check::no_dialog(&browser).await;
        ensure!(seen.is_err(), "check::no_dialog missed the open dialog");
        browser.dismiss_alert().await?;
        check::no_dialog(&browser).await
    }
    .await;
    finish("harness-dialog", result, vec![browser], None).await
}
