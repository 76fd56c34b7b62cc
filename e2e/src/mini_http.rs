//! A tiny HTTP/1.1 server for the pages around Ahlan: the host page that
//! embeds the snippet (on another origin than Ahlan, as on a real site), and
//! a stand-in Ahlan origin that serves the loader but is otherwise down.
//!
//! It answers each connection once and closes it; it records every request
//! so tests can see what the browser asked for (and in which language).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request head is small; a browser's is well under this.
const MAX_HEAD: usize = 64 * 1024;
/// Browsers open speculative connections they may never use.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What to answer.
pub enum Reply {
    Html(String),
    Script(Vec<u8>),
    Css(String),
    /// Close the connection without answering, as a dead upstream would
    /// (the browser sees a network error).
    Hangup,
}

/// The parts of a request tests look at.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A header's value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server on `127.0.0.1:<port>`; stops when dropped.
pub struct MiniServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    accept: JoinHandle<()>,
}

impl MiniServer {
    /// Serves `handler`'s replies on a free port.
    pub async fn start(
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding a port for the test HTTP server")?;
        let port = listener.local_addr()?.port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = tokio::spawn(accept_loop(listener, handler, requests.clone()));
        Ok(Self {
            port,
            requests,
            accept,
        })
    }

    /// Answers every request with `html`.
    pub async fn page(html: String) -> Result<Self> {
        Self::start(move |_| Reply::Html(html.clone())).await
    }

    /// `http://127.0.0.1:<port>`. Tests put Ahlan on `localhost`, so this is
    /// a different origin, as a customer's site would be.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests
            .lock()
            .expect("request log lock is never poisoned")
            .clone()
    }
}

impl Drop for MiniServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    handler: Arc<Handler>,
    requests: Arc<Mutex<Vec<Request>>>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let handler = handler.clone();
        let requests = requests.clone();
        tokio::spawn(async move {
            // Errors on one connection (a browser hanging up) concern only
            // that connection.
            let _ = tokio::time::timeout(READ_TIMEOUT, answer(stream, &*handler, &requests)).await;
        });
    }
}

async fn answer(
    mut stream: TcpStream,
    handler: &Handler,
    requests: &Mutex<Vec<Request>>,
) -> Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() > MAX_HEAD {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let Some(request) = parse_head(&String::from_utf8_lossy(&head)) else {
        return Ok(());
    };
    let reply = handler(&request);
    requests
        .lock()
        .expect("request log lock is never poisoned")
        .push(request);

    let (content_type, body) = match reply {
        Reply::Html(html) => ("text/html; charset=utf-8", html.into_bytes()),
        Reply::Script(js) => ("text/javascript; charset=utf-8", js),
        Reply::Css(css) => ("text/css; charset=utf-8", css.into_bytes()),
        Reply::Hangup => return Ok(()),
    };
    let response_head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(response_head.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await?;
    Ok(())
}

/// `GET /path HTTP/1.1` and the header lines.
fn parse_head(head: &str) -> Option<Request> {
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let _method = request_line.next()?;
    let path = request_line.next()?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    Some(Request { path, headers })
}

/// A host page: some content, a script of its own that marks the page when
/// `load` fires (proof the snippet did not break it), an error log and an
/// iframe load counter the tests read, and `snippet` before `</body>` as
/// site owners are told to paste it.
pub fn host_page_html(snippet: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{HOST_PAGE_TITLE}</title>
<script>
  // Errors thrown anywhere on the page (a broken loader included) land here.
  window.__hostErrors = [];
  window.onerror = function (message) {{ window.__hostErrors.push(String(message)); }};
  window.addEventListener("unhandledrejection", function (event) {{
    window.__hostErrors.push("unhandled rejection: " + event.reason);
  }});
  // What the loader tells the page's developer.
  window.__hostWarnings = [];
  var hostWarn = console.warn;
  console.warn = function () {{
    window.__hostWarnings.push(Array.prototype.join.call(arguments, " "));
    hostWarn.apply(console, arguments);
  }};
  // iframe load events do not bubble but can be caught on the way down;
  // Chromium fires one for error pages too, so tests can tell when a frame
  // whose server is down has finished failing.
  window.__iframeLoads = 0;
  function countFrameLoads(event) {{
    if (event.target.tagName === "IFRAME") window.__iframeLoads += 1;
  }}
  document.addEventListener("load", countFrameLoads, true);
  // The loader's iframe is in the shadow root of <ahlan-chat>, and a load
  // event does not leave a shadow root: count there too.
  new MutationObserver(function () {{
    var hosts = document.querySelectorAll("ahlan-chat");
    for (var i = 0; i < hosts.length; i++) {{
      var root = hosts[i].shadowRoot;
      if (root && !root.counted) {{
        root.counted = true;
        root.addEventListener("load", countFrameLoads, true);
      }}
    }}
  }}).observe(document.documentElement, {{ childList: true }});
</script>
<style>body {{ font: 16px/1.5 sans-serif; margin: 2rem; }}</style>
</head>
<body>
<h1>Corner Bakery</h1>
<p>Fresh bread every morning. Ask us anything in the chat.</p>
<p id="host-marker">waiting for load</p>
<script>
  window.addEventListener("load", function () {{
    document.getElementById("host-marker").textContent = "{HOST_MARKER}";
  }});
</script>
{snippet}
</body>
</html>
"#
    )
}

/// The host page's `<title>`.
pub const HOST_PAGE_TITLE: &str = "Ahlan e2e host page";
/// The text the host page's own script writes into `#host-marker` on load.
pub const HOST_MARKER: &str = "host page script ran";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_path_and_headers() {
        let request = parse_head(
            "GET /widget/loader.js?v=1 HTTP/1.1\r\nHost: x\r\nAccept-Language: ar\r\n\r\n",
        )
        .unwrap();
        assert_eq!(request.path, "/widget/loader.js?v=1");
        assert_eq!(request.header("accept-language"), Some("ar"));
        assert_eq!(request.header("cookie"), None);
    }

    #[tokio::test]
    async fn serves_pages_and_hangs_up() {
        let server = MiniServer::start(|request| {
            if request.path == "/" {
                Reply::Html("<p>hi</p>".to_owned())
            } else {
                Reply::Hangup
            }
        })
        .await
        .unwrap();

        let page = get(server.port, "/").await;
        assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
        assert!(page.ends_with("<p>hi</p>"), "{page}");
        assert_eq!(get(server.port, "/gone").await, "");

        let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/", "/gone"]);
    }

    async fn get(port: u16, path: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        stream
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        response
    }
}
