//! Connections and measurements outside the protocol: opening a websocket
//! with the headers a browser would send, and reading a process's resident
//! memory or a Redis server's used memory.

use anyhow::{bail, Context, Result};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderName;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// One client websocket.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a websocket. The read buffer is small (tungstenite's default is
/// 128 KiB a socket) so one load process can hold ~15k sockets in little
/// memory: chat frames are a few hundred bytes.
pub async fn connect(url: &str, headers: &[(&str, &str)]) -> Result<Ws> {
    let mut req = url
        .into_client_request()
        .with_context(|| format!("bad websocket url {url}"))?;
    for (name, value) in headers {
        req.headers_mut()
            .insert(name.parse::<HeaderName>()?, value.parse()?);
    }
    let config = WebSocketConfig::default().read_buffer_size(4096);
    let (ws, _) = tokio_tungstenite::connect_async_with_config(req, Some(config), true)
        .await
        .with_context(|| format!("connect {url}"))?;
    Ok(ws)
}

/// Resident memory of a process in bytes (`VmRSS` from `/proc`).
pub fn rss_bytes(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("read /proc/{pid}/status"))?;
    parse_vm_rss(&status).with_context(|| format!("no VmRSS for pid {pid}"))
}

fn parse_vm_rss(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `used_memory` of the Redis at `addr` (`host:port`), by a plain `INFO
/// memory` over RESP: one call does not justify a Redis client here.
pub async fn redis_used_memory(addr: &str) -> Result<u64> {
    let mut stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connect redis {addr}"))?;
    stream
        .write_all(b"*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n")
        .await?;
    let mut reader = BufReader::new(stream);
    let mut header = String::new();
    reader.read_line(&mut header).await?;
    let Some(len) = header.strip_prefix('$') else {
        bail!("unexpected INFO reply {header:?}");
    };
    let len: usize = len.trim().parse()?;
    let mut body = vec![0; len];
    tokio::io::AsyncReadExt::read_exact(&mut reader, &mut body).await?;
    let body = String::from_utf8_lossy(&body);
    parse_used_memory(&body).context("no used_memory in INFO")
}

fn parse_used_memory(info: &str) -> Option<u64> {
    info.lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vm_rss_in_bytes() {
        let status = "Name:\tahlan\nVmPeak:\t  900 kB\nVmRSS:\t   12345 kB\nThreads: 3\n";
        assert_eq!(parse_vm_rss(status), Some(12345 * 1024));
        assert_eq!(parse_vm_rss("Name: x\n"), None);
        assert!(rss_bytes(std::process::id()).unwrap() > 0);
    }

    #[test]
    fn reads_used_memory() {
        let info = "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\n";
        assert_eq!(parse_used_memory(info), Some(1048576));
    }
}
