//! A mail sink for tests: a small SMTP server on a free port of
//! 127.0.0.1 that accepts every mail and hands it over whole (envelope
//! and message), so tests check what `--smtp-url` delivers without a mail
//! server on the machine. Speaks just enough SMTP for lettre (EHLO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT). Test support only.

use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// One mail as the sink received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The message (headers and body), dot-unstuffed, CRLF line ends.
    pub data: String,
}

impl Received {
    /// A header's value (the first of that name), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            match &mut value {
                Some(v) if line.starts_with([' ', '\t']) => v.push_str(line.trim_start()),
                Some(_) => break,
                None => {
                    if let Some((n, v)) = line.split_once(':') {
                        if n.eq_ignore_ascii_case(name) {
                            value = Some(v.trim().to_owned());
                        }
                    }
                }
            }
        }
        value
    }
}

impl Received {
    /// The body as text, its transfer encoding (base64, quoted-printable
    /// or none) undone: what a mail program would show.
    pub fn body_text(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let encoding = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let bytes = match encoding.as_str() {
            "base64" => {
                use base64::Engine;
                let compact: String = body.split_whitespace().collect();
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .unwrap_or_default()
            }
            "quoted-printable" => unquote(body),
            _ => body.as_bytes().to_vec(),
        };
        String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
    }
}

impl Received {
    /// A multipart message's parts, each as its `Content-Type` and its
    /// text decoded like [`Received::body_text`] (empty for a message
    /// that is not multipart).
    pub fn parts(&self) -> Vec<(String, String)> {
        let Some(boundary) = self
            .header("Content-Type")
            .and_then(|t| t.split_once("boundary=").map(|(_, b)| b.to_owned()))
            .map(|b| b.trim_matches('"').to_owned())
        else {
            return Vec::new();
        };
        let body = self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        body.split(&format!("--{boundary}"))
            .map(|chunk| chunk.trim_start_matches("\r\n"))
            .filter(|chunk| !chunk.is_empty() && !chunk.starts_with("--"))
            .map(|chunk| {
                let part = Received {
                    to: Vec::new(),
                    data: chunk.to_owned(),
                };
                (
                    part.header("Content-Type").unwrap_or_default(),
                    part.body_text(),
                )
            })
            .collect()
    }
}

/// Quoted-printable decoded (`=E2=80=94`, soft line breaks).
fn unquote(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The sink; stops when dropped.
pub struct SmtpSink {
    /// `smtp://127.0.0.1:<port>` for `--smtp-url`.
    pub url: String,
    mails: mpsc::UnboundedReceiver<Received>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    /// Listens on a free port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the SMTP sink");
        let port = listener.local_addr().expect("its address").port();
        let (tx, mails) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, tx.clone()));
            }
        });
        Self {
            url: format!("smtp://127.0.0.1:{port}"),
            mails,
            task,
        }
    }

    /// The next mail, waiting at most `deadline`.
    pub async fn next(&mut self, deadline: Duration) -> Option<Received> {
        tokio::time::timeout(deadline, self.mails.recv())
            .await
            .ok()
            .flatten()
    }
}

async fn session(stream: TcpStream, tx: mpsc::UnboundedSender<Received>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut to = Vec::new();
    if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if command.starts_with("HELO")
            || command.starts_with("MAIL")
            || command.starts_with("NOOP")
        {
            b"250 OK\r\n"
        } else if command.starts_with("RSET") {
            to.clear();
            b"250 OK\r\n"
        } else if command.starts_with("RCPT") {
            let address = line
                .trim_end()
                .get("RCPT TO:".len()..)
                .unwrap_or_default()
                .trim()
                .trim_matches(['<', '>'])
                .split('>')
                .next()
                .unwrap_or_default()
                .to_owned();
            to.push(address);
            b"250 OK\r\n"
        } else if command.starts_with("DATA") {
            if write.write_all(b"354 go on\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let _ = tx.send(Received {
                to: std::mem::take(&mut to),
                data,
            });
            b"250 queued\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not here\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
