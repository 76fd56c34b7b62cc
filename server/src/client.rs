//! Who is asking: the client's address, for login throttling. Behind a
//! reverse proxy every request comes from the proxy's address, so the
//! address the proxy saw is taken from `X-Forwarded-For` — but only when
//! the request comes from a proxy the operator listed (`--trusted-proxies`),
//! since anyone can send that header.

use ipnet::IpNet;
use std::net::IpAddr;

/// The client address: the peer, unless the peer is a trusted proxy; then
/// the right-most `X-Forwarded-For` entry that is not itself a trusted
/// proxy (entries to its left were written by the client and prove
/// nothing).
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for entry in header.rsplit(',') {
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            // Garbage from here on: the last good address stands.
            Err(_) => break,
        }
    }
    client
}

/// Parses `--trusted-proxies` entries: addresses or networks (CIDR).
pub fn parse_trusted(entries: &[String]) -> Result<Vec<IpNet>, String> {
    entries
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .map(|e| {
            e.parse::<IpNet>()
                .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{e:?} is not an IP address or network (CIDR)"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let trusted = parse_trusted(&["10.0.0.0/8".into(), "127.0.0.1".into()]).unwrap();
        // Direct client: the header is whatever it says, and ignored.
        assert_eq!(
            client_ip(ip("203.0.113.9"), Some("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
        // Through the proxy: the address the proxy saw.
        assert_eq!(
            client_ip(ip("127.0.0.1"), Some("198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        // A client lying in front of the proxy: the proxy's own entry wins.
        assert_eq!(
            client_ip(
                ip("10.1.1.1"),
                Some("6.6.6.6, 198.51.100.7, 10.2.2.2"),
                &trusted
            ),
            ip("198.51.100.7")
        );
        assert_eq!(client_ip(ip("127.0.0.1"), None, &trusted), ip("127.0.0.1"));
        assert_eq!(
            client_ip(ip("127.0.0.1"), Some("junk"), &trusted),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_ip(ip("127.0.0.1"), Some("::1, 2001:db8::1"), &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(client_ip(ip("127.0.0.1"), Some("x"), &[]), ip("127.0.0.1"));
        assert!(parse_trusted(&["nope".into()]).is_err());
    }
}
