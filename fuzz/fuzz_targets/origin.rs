//! The strict origin parser (`server/src/origin.rs`): page origins from
//! `Origin` headers and `hello` frames, and the allowed-origin patterns
//! site owners type. Whatever comes in, what comes out is clean, parses
//! again to itself, and means the same as what was given.
//!
//! The input is one string, or two separated by the first newline: each is
//! tried as an origin and as a pattern, and the first is matched against
//! the second.

#![no_main]

use ahlan_server::origin::{allowed, matches, normalize, parse_pattern};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, second) = text.split_once('\n').unwrap_or((text, text));
    for s in [first, second] {
        check_origin(s);
        check_pattern(s);
    }
    check_match(first, second);
});

/// `normalize` accepts one trailing slash that `matches` does not: an
/// `Origin` header never has one, so matching stays the stricter of the two.
fn exact(s: &str) -> bool {
    !s.ends_with('/')
}

/// `scheme` and `host[:port]` of a normalised origin or pattern.
fn split(normal: &str) -> (&str, &str) {
    normal
        .split_once("://")
        .unwrap_or_else(|| panic!("{normal:?} has no scheme"))
}

/// `host` and the port text (with its colon) of `host[:port]`; IPv6 hosts
/// keep their brackets.
fn host_port(rest: &str) -> (&str, &str) {
    let end = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |i| i + 1)
    } else {
        rest.find(':').unwrap_or(rest.len())
    };
    rest.split_at(end)
}

fn check_origin(s: &str) {
    let Some(n) = normalize(s) else {
        return;
    };
    let (scheme, rest) = split(&n);
    assert!(scheme == "http" || scheme == "https", "{n:?}");
    assert!(
        rest.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_:[]".contains(&b)),
        "origin {n:?} from {s:?} holds a character outside the grammar"
    );
    assert_eq!(normalize(&n).as_ref(), Some(&n), "not idempotent");
    // An origin is an exact pattern for itself, and matches it.
    assert_eq!(parse_pattern(&n).as_ref(), Ok(&n));
    assert!(matches(&n, &n), "{n:?} does not match itself");
    assert!(allowed(std::slice::from_ref(&n), &n));
    if exact(s) {
        assert!(matches(&n, s), "{s:?} does not match its own origin {n:?}");
    }
    // The wildcards built from it match it too: any port on its host, and
    // any subdomain of its parent domain on its port.
    let (host, port) = host_port(rest);
    let any_port = format!("{scheme}://{host}:*");
    assert_eq!(parse_pattern(&any_port).as_ref(), Ok(&any_port));
    assert!(matches(&any_port, &n), "{any_port:?} misses {n:?}");
    if let Some((_, parent)) = host.split_once('.').filter(|_| !host.starts_with('[')) {
        let subdomains = format!("{scheme}://*.{parent}{port}");
        assert_eq!(parse_pattern(&subdomains).as_ref(), Ok(&subdomains));
        assert!(matches(&subdomains, &n), "{subdomains:?} misses {n:?}");
        let bare = format!("{scheme}://{parent}{port}");
        assert!(
            !matches(&subdomains, &bare),
            "{subdomains:?} matches {bare:?}"
        );
    }
}

fn check_pattern(s: &str) {
    let Ok(p) = parse_pattern(s) else {
        return;
    };
    let (scheme, rest) = split(&p);
    assert!(scheme == "http" || scheme == "https", "{p:?}");
    // The only `*` is a whole leading label or a whole port; what is left
    // is the origin grammar, so nothing can split a header.
    let core = rest
        .strip_prefix("*.")
        .or_else(|| rest.strip_suffix(":*"))
        .unwrap_or(rest);
    assert!(
        core.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_:[]".contains(&b)),
        "pattern {p:?} from {s:?} holds a character outside the grammar"
    );
    assert_eq!(parse_pattern(&p).as_ref(), Ok(&p), "not idempotent");
    if !rest.contains('*') {
        assert_eq!(normalize(&p).as_ref(), Some(&p), "exact pattern {p:?}");
    }
}

fn check_match(pattern: &str, origin: &str) {
    let hit = matches(pattern, origin);
    let (p, n) = match (parse_pattern(pattern), normalize(origin)) {
        (Ok(p), Some(n)) => (p, n),
        _ => {
            assert!(!hit, "{pattern:?} matched {origin:?} though one is invalid");
            return;
        }
    };
    // Normal forms mean what was given.
    assert_eq!(matches(&p, origin), hit, "{pattern:?} vs its form {p:?}");
    if !exact(origin) {
        assert!(!hit, "{pattern:?} matched {origin:?} with its slash");
        return;
    }
    assert_eq!(matches(pattern, &n), hit, "{origin:?} vs its form {n:?}");
    assert_eq!(allowed(std::slice::from_ref(&p), origin), hit);
    if !hit {
        return;
    }
    // And a match is what the pattern says.
    let (scheme, rest) = split(&p);
    let (n_scheme, n_rest) = split(&n);
    assert_eq!(scheme, n_scheme, "{p:?} matched {n:?}");
    if let Some(host) = rest.strip_suffix(":*") {
        assert_eq!(host_port(n_rest).0, host, "{p:?} matched {n:?}");
    } else if let Some(domain) = rest.strip_prefix("*.") {
        let (want_host, want_port) = host_port(domain);
        let (host, port) = host_port(n_rest);
        assert!(
            host.len() > want_host.len() + 1 && host.ends_with(&format!(".{want_host}")),
            "{p:?} matched {n:?}"
        );
        assert_eq!(port, want_port, "{p:?} matched {n:?}");
    } else {
        assert_eq!(n, p);
    }
}
