//! The usual start of a browser test: an Ahlan server, chromedriver, and a
//! host page on another origin that embeds the server's snippet.

use anyhow::Result;

use crate::mini_http::host_page_html;
use crate::{Ahlan, Browser, Chromedriver, MiniServer};

pub struct Stage {
    /// Names the artifacts (`<test>.server.log`, screenshots on failure).
    pub test: String,
    pub ahlan: Ahlan,
    pub driver: Chromedriver,
    /// Serves the host page at every path.
    pub host: MiniServer,
}

impl Stage {
    pub async fn start(test: &str) -> Result<Self> {
        let ahlan = Ahlan::start(test).await?;
        let driver = Chromedriver::start().await?;
        let host = MiniServer::page(host_page_html(&ahlan.snippet())).await?;
        Ok(Self {
            test: test.to_owned(),
            ahlan,
            driver,
            host,
        })
    }

    /// A browser session in language `lang` (see [`Chromedriver::browser`]).
    pub async fn browser(&self, name: &str, lang: &str) -> Result<Browser> {
        self.driver.browser(name, lang).await
    }

    /// The host page's URL.
    pub fn host_url(&self) -> String {
        self.host.url()
    }

    /// The dashboard's URL.
    pub fn dashboard_url(&self) -> String {
        format!("{}/app", self.ahlan.base_url)
    }

    /// Ends the test: failure screenshots and the server log on error, and
    /// every browser closed either way (see [`crate::finish`]).
    pub async fn finish(&self, result: Result<()>, browsers: Vec<Browser>) -> Result<()> {
        crate::finish(&self.test, result, browsers, Some(self.ahlan.log_tail())).await
    }
}
