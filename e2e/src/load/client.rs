//! Opening the two kinds of sockets on every target, handshake included,
//! and Ahlan's REST calls the load needs (admin login, adding agents).

use super::conn::{connect, Ws};
use super::wire::{self, AgentEvent, AgentWire, Kind, VisitorEvent};
use anyhow::{anyhow, bail, Context, Result};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio::time::{timeout_at, Instant};
use tokio_tungstenite::tungstenite::Message;

/// How long one handshake may take before the load gives up on it.
pub const HANDSHAKE: Duration = Duration::from_secs(30);

/// Where the load goes.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: Kind,
    /// Base URL visitors connect to (`http://127.0.0.1:port`).
    pub visitor_base: String,
    /// Base URL agents connect to (another node, to cross nodes).
    pub agent_base: String,
    /// Base URL visitors resume on after a drop (another node, as after a
    /// node failure behind a load balancer).
    pub resume_base: String,
    /// Ahlan: the demo site's key and the admin who adds the bench agents.
    pub site: String,
    pub admin_email: String,
    pub admin_password: String,
}

/// Sends a text frame.
pub async fn send(ws: &mut Ws, text: String) -> Result<()> {
    ws.send(Message::text(text)).await.context("send")
}

/// The next text frame, answering nothing; `None` when the socket closed.
pub async fn next_text(ws: &mut Ws) -> Result<Option<String>> {
    while let Some(msg) = ws.next().await {
        match msg.context("read")? {
            Message::Text(t) => return Ok(Some(t.as_str().to_owned())),
            Message::Close(_) => return Ok(None),
            _ => {}
        }
    }
    Ok(None)
}

/// A visitor socket on `base`, bound (baselines) to agent `agent`, after its
/// handshake. Returns Ahlan's visitor token.
pub async fn open_visitor(
    t: &Target,
    base: &str,
    agent: usize,
    resume: Option<(String, u64)>,
) -> Result<(Ws, Option<String>)> {
    let deadline = Instant::now() + HANDSHAKE;
    let url = wire::visitor_url(t.kind, base, agent);
    let mut ws = timeout_at(deadline, connect(&url, &[("Origin", wire::SITE_ORIGIN)]))
        .await
        .map_err(|_| anyhow!("connect {url}: timed out"))??;
    match t.kind {
        Kind::Relay => Ok((ws, None)),
        Kind::Ahlan => {
            let (token, last_seq) = match resume {
                Some((token, seq)) => (Some(token), seq),
                None => (None, 0),
            };
            send(&mut ws, wire::hello(&t.site, token, last_seq)).await?;
            loop {
                match visitor_next(t.kind, &mut ws, deadline).await? {
                    VisitorEvent::Welcome { token } => return Ok((ws, Some(token))),
                    VisitorEvent::Refused { code, .. } => bail!("hello refused: {code}"),
                    _ => {}
                }
            }
        }
        Kind::Socketio => loop {
            if visitor_next(t.kind, &mut ws, deadline).await? == VisitorEvent::Connected {
                return Ok((ws, None));
            }
        },
    }
}

/// The next visitor event before `deadline`, answering pings and the
/// socket.io open packet on the way.
pub async fn visitor_next(kind: Kind, ws: &mut Ws, deadline: Instant) -> Result<VisitorEvent> {
    loop {
        let text = timeout_at(deadline, next_text(ws))
            .await
            .map_err(|_| anyhow!("visitor socket: timed out"))??
            .ok_or_else(|| anyhow!("visitor socket closed"))?;
        match wire::visitor_event(kind, &text)? {
            VisitorEvent::Reply(r) => send(ws, r).await?,
            other => return Ok(other),
        }
    }
}

/// An agent socket, after its handshake (Ahlan: welcome, online, snapshot
/// complete). `cookie` is the Ahlan session.
pub async fn open_agent(t: &Target, agent: usize, cookie: Option<&str>) -> Result<(Ws, AgentWire)> {
    let deadline = Instant::now() + HANDSHAKE;
    let url = wire::agent_url(t.kind, &t.agent_base, agent);
    let mut headers = vec![("Origin", t.agent_base.as_str())];
    if let Some(c) = cookie {
        headers.push(("Cookie", c));
    }
    let mut ws = timeout_at(deadline, connect(&url, &headers))
        .await
        .map_err(|_| anyhow!("connect {url}: timed out"))??;
    let mut wire = AgentWire::new(t.kind);
    if t.kind == Kind::Relay {
        return Ok((ws, wire));
    }
    loop {
        let text = timeout_at(deadline, next_text(&mut ws))
            .await
            .map_err(|_| anyhow!("agent handshake timed out"))??
            .ok_or_else(|| anyhow!("agent socket closed in handshake"))?;
        match wire.event(&text)? {
            AgentEvent::Reply(frames) => {
                for f in frames {
                    send(&mut ws, f).await?;
                }
            }
            AgentEvent::Ready => return Ok((ws, wire)),
            AgentEvent::Refused(code) => bail!("agent socket refused: {code}"),
            _ => {}
        }
    }
}

/// Logs in to Ahlan; returns the session cookie (`name=value`).
pub async fn login(
    http: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> Result<String> {
    let res = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .context("login")?;
    if !res.status().is_success() {
        bail!("login of {email}: {} {}", res.status(), res.text().await?);
    }
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| anyhow!("login of {email}: no session cookie"))?;
    Ok(cookie.to_owned())
}

/// Adds `count` agents of the load's site with room for `capacity` chats
/// each through the admin API and logs each in; returns their session
/// cookies. Emails carry `run` so repeated runs against one store do not
/// collide.
pub async fn ahlan_agents(
    t: &Target,
    count: usize,
    capacity: usize,
    run: &str,
) -> Result<Vec<String>> {
    let http = reqwest::Client::new();
    let admin = login(&http, &t.agent_base, &t.admin_email, &t.admin_password).await?;
    // Agents are given only their sites' conversations.
    let sites: serde_json::Value = http
        .get(format!("{}/api/sites", t.agent_base))
        .header("Cookie", &admin)
        .send()
        .await
        .context("list sites")?
        .json()
        .await
        .context("list sites")?;
    let site = sites
        .as_array()
        .and_then(|all| all.iter().find(|s| s["key"] == t.site.as_str()))
        .and_then(|s| s["id"].as_str())
        .ok_or_else(|| anyhow!("no site with key {}", t.site))?
        .to_owned();
    let password = format!("bench-{run}-password");
    let mut cookies = Vec::with_capacity(count);
    for i in 0..count {
        let email = format!("agent{i}-{run}@bench.ahlan.local");
        let res = http
            .post(format!("{}/api/agents", t.agent_base))
            .header("Cookie", &admin)
            .json(&serde_json::json!({
                "email": email,
                "name": format!("Bench agent {i}"),
                "password": password,
                "capacity": capacity,
                "sites": [site],
            }))
            .send()
            .await
            .context("add agent")?;
        if !res.status().is_success() {
            bail!("add agent {email}: {} {}", res.status(), res.text().await?);
        }
        cookies.push(login(&http, &t.agent_base, &email, &password).await?);
    }
    Ok(cookies)
}
