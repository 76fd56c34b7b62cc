//! The usual start of a browser test: an Ahlan server, chromedriver, and a
//! host page on another origin that embeds the server's snippet.

use anyhow::Result;

use crate::mini_http::host_page_html;
use crate::{Ahlan, Browser, Chromedriver, Deployment, MiniServer, Reply, Request};

pub struct Stage {
    /// Names the artifacts (`<test>.server.log`, screenshots on failure).
    pub test: String,
    pub ahlan: Ahlan,
    pub driver: Chromedriver,
    /// Serves the host page (at every path, unless the test said otherwise).
    pub host: MiniServer,
}

impl Stage {
    pub async fn start(test: &str) -> Result<Self> {
        Self::start_in(test, &Deployment::new(None)).await
    }

    /// Like [`Stage::start`], with the server a node of `deployment` (the
    /// host page's snippet points at this node).
    pub async fn start_in(test: &str, deployment: &Deployment) -> Result<Self> {
        let ahlan = Ahlan::start_in(test, deployment).await?;
        let page = host_page_html(&ahlan.snippet());
        Self::around(test, ahlan, move |_| Reply::Html(page.clone())).await
    }

    /// Like [`Stage::start`], with the host origin's answers made by
    /// `host`, which is given the server (its snippet and URL) to make them
    /// from.
    pub async fn start_hosting<H>(test: &str, host: impl FnOnce(&Ahlan) -> H) -> Result<Self>
    where
        H: Fn(&Request) -> Reply + Send + Sync + 'static,
    {
        let ahlan = Ahlan::start(test).await?;
        let handler = host(&ahlan);
        Self::around(test, ahlan, handler).await
    }

    async fn around(
        test: &str,
        ahlan: Ahlan,
        host: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Result<Self> {
        let driver = Chromedriver::start().await?;
        let host = MiniServer::start(host).await?;
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

    /// A visitor's and an agent's browser, in these languages. If the
    /// agent's cannot start, the visitor's is closed (with the usual failure
    /// artifacts) before the error is returned.
    pub async fn visitor_and_agent(
        &self,
        visitor_lang: &str,
        agent_lang: &str,
    ) -> Result<(Browser, Browser)> {
        let visitor = self.browser("visitor", visitor_lang).await?;
        match self.browser("agent", agent_lang).await {
            Ok(agent) => Ok((visitor, agent)),
            Err(err) => {
                let closed = self.finish(Err(err), vec![visitor]).await;
                Err(closed
                    .err()
                    .unwrap_or_else(|| anyhow::anyhow!("the agent's browser did not start")))
            }
        }
    }

    /// The host page's URL.
    pub fn host_url(&self) -> String {
        self.host.url()
    }

    /// The dashboard's URL.
    pub fn dashboard_url(&self) -> String {
        format!("{}/app", self.ahlan.base_url)
    }

    /// The whole of a two-browser test: a stage named `test`, a visitor's
    /// and an agent's browser in these languages, `play`, then the usual
    /// finish (artifacts on failure, browsers closed).
    pub async fn run_chat(
        test: &str,
        visitor_lang: &str,
        agent_lang: &str,
        play: impl AsyncFnOnce(&Stage, &Browser, &Browser) -> Result<()>,
    ) -> Result<()> {
        let stage = Stage::start(test).await?;
        let (visitor, agent) = stage.visitor_and_agent(visitor_lang, agent_lang).await?;
        let result = play(&stage, &visitor, &agent).await;
        stage.finish(result, vec![visitor, agent]).await
    }

    /// Logs `browser` into the dashboard as the server's admin.
    pub async fn log_in_admin(&self, browser: &Browser) -> Result<()> {
        crate::fixtures::action::login(
            browser,
            &self.dashboard_url(),
            &self.ahlan.admin_email,
            &self.ahlan.admin_password,
        )
        .await
    }

    /// Ends the test: failure screenshots and the server log on error, and
    /// every browser closed either way (see [`crate::finish`]).
    pub async fn finish(&self, result: Result<()>, browsers: Vec<Browser>) -> Result<()> {
        crate::finish(&self.test, result, browsers, Some(self.ahlan.log_tail())).await
    }
}
