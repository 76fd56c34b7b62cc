//! Origins, parsed strictly. A site lists the origins allowed to embed its
//! widget: exact origins (`https://shop.example`), a port wildcard for
//! development (`http://localhost:*`), or a subdomain wildcard
//! (`https://*.shop.example`). Paths, queries and trailing slashes are
//! never part of an origin.
//!
//! Every origin that is accepted or echoed (into `frame-ancestors`, into
//! the agents' view) has been through [`normalize`] or [`parse_pattern`]:
//! scheme `http`/`https`, a host of DNS labels (letters, digits, `-`, `_`),
//! an IPv4 address or a bracketed IPv6 address, and an optional port. No
//! whitespace, `*`, `;` or `,` can reach a header through here.

/// Normalises an origin: lower-case, default port removed. `None` unless
/// it is exactly `scheme://host[:port]`.
pub fn normalize(origin: &str) -> Option<String> {
    let o = parse(origin.strip_suffix('/').unwrap_or(origin))?;
    Some(o.to_string())
}

/// Checks an allowed-origin pattern and returns its normal form, or why
/// it is not one.
pub fn parse_pattern(pattern: &str) -> Result<String, String> {
    let p = pattern.trim();
    let p = p.strip_suffix('/').unwrap_or(p).to_ascii_lowercase();
    let Some((scheme, rest)) = p.split_once("://") else {
        return Err(format!(
            "{pattern:?} is not an origin: expected scheme://host[:port]"
        ));
    };
    if let Some(host) = rest.strip_suffix(":*") {
        return parse(&format!("{scheme}://{host}"))
            .filter(|o| o.port.is_none())
            .map(|o| format!("{}:*", o))
            .ok_or_else(|| invalid(pattern));
    }
    if let Some(domain) = rest.strip_prefix("*.") {
        return parse(&format!("{scheme}://{domain}"))
            .filter(|o| !o.host.starts_with('['))
            .map(|o| o.to_string().replacen("://", "://*.", 1))
            .ok_or_else(|| invalid(pattern));
    }
    parse(&p)
        .map(|o| o.to_string())
        .ok_or_else(|| invalid(pattern))
}

fn invalid(pattern: &str) -> String {
    format!(
        "{pattern:?} is not an allowed-origin pattern: use scheme://host[:port], \
         scheme://host:* or scheme://*.domain, with http or https, no path"
    )
}

/// Whether `origin` matches one allowed pattern.
pub fn matches(pattern: &str, origin: &str) -> bool {
    // The same reading as `normalize` (a trailing slash is dropped), so an
    // origin matches exactly when its normal form does (found by fuzzing).
    let origin = origin.strip_suffix('/').unwrap_or(origin);
    let (Some(origin), Ok(pattern)) = (parse(origin), parse_pattern(pattern)) else {
        return false;
    };
    if let Some(prefix) = pattern.strip_suffix(":*") {
        // Any port (or none) on this exact scheme and host.
        return format!("{}://{}", origin.scheme, origin.host) == prefix;
    }
    if let Some((scheme, domain)) = pattern.split_once("://*.") {
        let (domain, port) = match domain.rsplit_once(':') {
            Some((d, p)) if !d.ends_with(']') => (d, Some(p)),
            _ => (domain, None),
        };
        return origin.scheme == scheme
            && origin.host.ends_with(&format!(".{domain}"))
            && origin.port.as_deref() == port;
    }
    origin.to_string() == pattern
}

/// Whether `origin` matches any of `allowed`.
pub fn allowed(allowed: &[String], origin: &str) -> bool {
    allowed.iter().any(|p| matches(p, origin))
}

/// A parsed origin, lower-case, default port dropped.
struct Origin {
    scheme: &'static str,
    host: String,
    port: Option<String>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.port {
            Some(p) => write!(f, "{}://{}:{p}", self.scheme, self.host),
            None => write!(f, "{}://{}", self.scheme, self.host),
        }
    }
}

fn parse(text: &str) -> Option<Origin> {
    let lower = text.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    let scheme = match scheme {
        "http" => "http",
        "https" => "https",
        _ => return None,
    };
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (addr, after) = v6.split_once(']')?;
        if addr.is_empty()
            || !addr
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return None;
        }
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (format!("[{addr}]"), port)
    } else {
        let (host, port) = match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        };
        if !valid_domain(host) {
            return None;
        }
        (host.to_owned(), port)
    };
    let port = match port {
        None => None,
        Some(p) => {
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = p.parse().ok()?;
            if n == 0 || n > 65_535 {
                return None;
            }
            let default = (scheme == "http" && n == 80) || (scheme == "https" && n == 443);
            (!default).then(|| n.to_string())
        }
    };
    Some(Origin { scheme, host, port })
}

/// DNS labels of letters, digits, `-` and `_` (no label starting or ending
/// with `-`), dot-separated, at most 253 characters. IPv4 addresses are
/// such names too.
fn valid_domain(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize("HTTPS://Shop.Example/").as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(
            normalize("https://shop.example:443").as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(normalize("http://a:8080").as_deref(), Some("http://a:8080"));
        assert_eq!(
            normalize("http://[::1]:8080").as_deref(),
            Some("http://[::1]:8080")
        );
        for bad in [
            "https://shop.example/path",
            "ftp://x",
            "null",
            "https://user@x",
            "https://a b.example",
            "https://a*b.example",
            "https://a;b.example",
            "https://a,b.example",
            "https://-a.example",
            "https://a..example",
            "https://a:0",
            "https://a:65536",
            "https://a:",
            "https://",
            " https://a.example",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn patterns_are_checked_and_normalised() {
        assert_eq!(
            parse_pattern(" HTTP://LocalHost:* ").unwrap(),
            "http://localhost:*"
        );
        assert_eq!(
            parse_pattern("https://*.Shop.example/").unwrap(),
            "https://*.shop.example"
        );
        assert_eq!(
            parse_pattern("https://shop.example:443").unwrap(),
            "https://shop.example"
        );
        for bad in [
            "https://*.shop.example:*",
            "https://a * b.shop.example",
            "https://*",
            "*",
            "https://shop.example/path",
            "shop.example",
            "https://*.[::1]",
            "https://x.*.example",
            "https://a.example:8080:*",
        ] {
            assert!(parse_pattern(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn exact_and_wildcards() {
        assert!(matches("https://shop.example", "https://shop.example"));
        assert!(!matches("https://shop.example", "http://shop.example"));
        assert!(!matches(
            "https://shop.example",
            "https://shop.example.evil.com"
        ));
        assert!(matches("http://localhost:*", "http://localhost:3000"));
        assert!(matches("http://localhost:*", "http://localhost"));
        assert!(!matches(
            "http://localhost:*",
            "http://localhost.evil.com:3000"
        ));
        assert!(!matches("http://localhost:*", "http://localhostx:3000"));
        assert!(matches("https://*.shop.example", "https://eu.shop.example"));
        assert!(matches(
            "https://*.shop.example",
            "https://a.eu.shop.example"
        ));
        assert!(!matches(
            "https://*.shop.example",
            "https://evilshop.example"
        ));
        assert!(!matches("https://*.shop.example", "https://shop.example"));
        assert!(!matches("https://*.shop.example", "http://eu.shop.example"));
        assert!(!matches(
            "https://*.shop.example",
            "https://eu.shop.example:8443"
        ));
        assert!(matches(
            "https://*.shop.example:8443",
            "https://eu.shop.example:8443"
        ));
        assert!(!matches("https://shop.example", "garbage"));
        // Security finding 6: a host with spaces and `*` is no origin.
        assert!(!matches(
            "https://*.shop.example",
            "https://a * b.shop.example"
        ));
    }

    proptest! {
        /// Whatever a client sends, what comes out is a clean origin: it
        /// parses again to itself and holds nothing a header could split on.
        #[test]
        fn normalized_origins_are_clean(s in "\\PC{0,40}") {
            if let Some(o) = normalize(&s) {
                prop_assert!(!o.contains([' ', '*', ';', ',', '\t', '\n', '\r', '/', '"', '\'']) ||
                    o.starts_with("http://") || o.starts_with("https://"));
                let rest = o.split_once("://").unwrap().1;
                prop_assert!(!rest.contains([' ', '*', ';', ',', '/', '"', '\'', '\n', '\r', '\t']));
                prop_assert_eq!(normalize(&o), Some(o.clone()));
            }
        }

        /// Same for patterns, and matching never panics.
        #[test]
        fn patterns_are_clean(p in "(https?://)?[a-z*.:0-9 ;,\\-]{0,24}", o in "\\PC{0,30}") {
            if let Ok(n) = parse_pattern(&p) {
                let rest = n.split_once("://").unwrap().1;
                prop_assert!(!rest.contains([' ', ';', ',', '/']));
                prop_assert!(rest.matches('*').count() <= 1);
                prop_assert_eq!(parse_pattern(&n), Ok(n.clone()));
            }
            let _ = matches(&p, &o);
        }

        /// Matching reads an origin as `normalize` does: it matches
        /// exactly when its normal form matches (a trailing slash or upper
        /// case change nothing). Patterns are built from the origin's own
        /// parts so that most cases are meant to match.
        #[test]
        fn matching_agrees_with_normalize(
            scheme in "https?",
            sub in "[a-z]{1,6}",
            domain in "[a-z]{1,6}\\.(com|ir|sa)",
            port in proptest::option::of(1u16..),
            kind in 0..4u8,
            slash in any::<bool>(),
            upper in any::<bool>(),
        ) {
            let port_part = port.map(|p| format!(":{p}")).unwrap_or_default();
            let mut origin = format!("{scheme}://{sub}.{domain}{port_part}");
            let pattern = match kind {
                0 => origin.clone(),
                1 => format!("{scheme}://{sub}.{domain}:*"),
                2 => format!("{scheme}://*.{domain}{port_part}"),
                _ => format!("{scheme}://*.{sub}.{domain}"),
            };
            if upper {
                origin = origin.to_uppercase();
            }
            if slash {
                origin.push('/');
            }
            let normal = normalize(&origin);
            prop_assert!(normal.is_some(), "{} does not normalize", origin);
            let normal = normal.unwrap();
            prop_assert_eq!(matches(&pattern, &origin), matches(&pattern, &normal));
            // Every kind but the sub-subdomain one is meant to match.
            prop_assert_eq!(matches(&pattern, &origin), kind < 3, "{} vs {}", pattern, origin);
        }

        /// A host with a character outside the grammar never matches a
        /// wildcard, so it can never reach `frame-ancestors`.
        #[test]
        fn hostile_hosts_never_match(prefix in "[a-z]{1,5}", bad in "[ *;,\"'<>]", suffix in "[a-z]{0,5}") {
            let origin = format!("https://{prefix}{bad}{suffix}.shop.example");
            prop_assert!(!matches("https://*.shop.example", &origin));
            prop_assert_eq!(normalize(&origin), None);
        }
    }
}
