//! Origin checks. A site lists the origins allowed to embed its widget:
//! exact origins (`https://shop.example`), a port wildcard for development
//! (`http://localhost:*`), or a subdomain wildcard (`https://*.shop.example`).
//! Paths, queries and trailing slashes are never part of an origin.

/// Normalises an origin: lower-case scheme and host, no trailing slash,
/// default ports removed. `None` if it is not `scheme://host[:port]`.
pub fn normalize(origin: &str) -> Option<String> {
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = origin.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.contains(['/', '?', '#', '@'])
    {
        return None;
    }
    let rest = match (scheme, rest.rsplit_once(':')) {
        ("http", Some((host, "80"))) | ("https", Some((host, "443"))) => host,
        _ => rest,
    };
    Some(format!("{scheme}://{rest}"))
}

/// Whether `origin` matches one allowed pattern.
pub fn matches(pattern: &str, origin: &str) -> bool {
    let (Some(origin), pattern) = (
        normalize(origin),
        pattern.trim().trim_end_matches('/').to_ascii_lowercase(),
    ) else {
        return false;
    };
    if let Some(prefix) = pattern.strip_suffix(":*") {
        // Any port (or none) on this exact scheme and host.
        return origin == prefix
            || origin
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
    }
    if let Some((scheme, domain)) = pattern.split_once("://*.") {
        let Some((o_scheme, o_host)) = origin.split_once("://") else {
            return false;
        };
        return o_scheme == scheme && o_host.ends_with(&format!(".{domain}"));
    }
    normalize(&pattern).is_some_and(|p| p == origin)
}

/// Whether `origin` matches any of `allowed`.
pub fn allowed(allowed: &[String], origin: &str) -> bool {
    allowed.iter().any(|p| matches(p, origin))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(normalize("https://shop.example/path"), None);
        assert_eq!(normalize("ftp://x"), None);
        assert_eq!(normalize("null"), None);
        assert_eq!(normalize("https://user@x"), None);
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
        assert!(!matches(
            "https://*.shop.example",
            "https://evilshop.example"
        ));
        assert!(!matches("https://*.shop.example", "http://eu.shop.example"));
        assert!(!matches("https://shop.example", "garbage"));
    }
}
