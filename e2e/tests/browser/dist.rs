//! Issue 9: the binary as shipped (`cargo xtask dist`; the tests run a debug
//! build with the same `embed-assets` feature) serves the dashboard, the
//! loader and the widget from inside itself, started from a directory with
//! no built assets anywhere near.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::mini_http::host_page_html;
use ahlan_e2e::{Ahlan, Chromedriver, MiniServer, TIMEOUT};
use anyhow::Result;

#[tokio::test]
async fn the_binary_serves_its_own_bundles_from_any_directory() -> Result<()> {
    let ahlan = Ahlan::start_self_contained("dist").await?;
    let driver = Chromedriver::start().await?;
    let host = MiniServer::page(host_page_html(&ahlan.snippet())).await?;
    let browser = driver.browser("visitor", "en").await?;
    let result = async {
        action::open_page(&browser, &format!("{}/app", ahlan.base_url)).await?;
        find::wait_for(&browser, &hook("login-email"), TIMEOUT).await?;
        action::open_page(&browser, &host.url()).await?;
        action::switch_to_widget_frame(&browser).await?;
        action::open_widget(&browser).await?;
        action::send_visitor_message(&browser, "served from inside the binary").await?;
        check::message_shown(&browser, "visitor", "served from inside the binary").await?;
        Ok(())
    }
    .await;
    ahlan_e2e::finish("dist", result, vec![browser], Some(ahlan.log_tail())).await
}
