//! What a visitor's `page` frame may say: a page of the web (`http`,
//! `https`), a title, a referrer and a time zone, each bounded, so a
//! hostile widget cannot store scripts' URLs or megabytes of "title".
//! Pure: unit-tested here; the socket stores what it returns.

use crate::store::PageVisit;
use shared::Millis;

/// Longest URL kept (longer is refused).
pub const MAX_URL_CHARS: usize = 2048;
/// Longest title kept (longer is cut).
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest time zone name (`America/Argentina/ComodRivadavia` is 32).
const MAX_TIME_ZONE_CHARS: usize = 64;

/// An `http(s)` URL of at most [`MAX_URL_CHARS`], without control
/// characters.
fn web_url(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme_ok = url
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        || url
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("http://"));
    (scheme_ok && url.chars().count() <= MAX_URL_CHARS && !url.chars().any(char::is_control))
        .then(|| url.to_owned())
}

/// The page view a `page` frame describes, at `at`, or why it is refused.
/// A referrer or time zone that is not one is dropped, not refused (the
/// page is what matters).
pub fn page_visit(
    url: &str,
    title: Option<&str>,
    referrer: Option<&str>,
    time_zone: Option<&str>,
    user_agent: Option<&str>,
    at: Millis,
) -> Result<PageVisit, &'static str> {
    let url = web_url(url).ok_or("url must be an http or https URL of at most 2048 characters")?;
    let title = title
        .map(|t| {
            t.chars()
                .filter(|c| !c.is_control())
                .take(MAX_TITLE_CHARS)
                .collect::<String>()
        })
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let referrer = referrer.and_then(web_url);
    let time_zone = time_zone.map(str::trim).filter(|z| {
        !z.is_empty()
            && z.len() <= MAX_TIME_ZONE_CHARS
            && z.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
    });
    Ok(PageVisit {
        at,
        url,
        title,
        referrer,
        user_agent: user_agent.map(|u| u.chars().take(512).collect()),
        time_zone: time_zone.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_web_page_is_kept_with_what_came_with_it() {
        let v = page_visit(
            "https://shop.example/cart?x=1",
            Some("  Cart \u{7}"),
            Some("https://www.google.com/"),
            Some("Asia/Tehran"),
            Some("Mozilla/5.0"),
            9,
        )
        .unwrap();
        assert_eq!(v.url, "https://shop.example/cart?x=1");
        assert_eq!(v.title.as_deref(), Some("Cart"));
        assert_eq!(v.referrer.as_deref(), Some("https://www.google.com/"));
        assert_eq!(v.time_zone.as_deref(), Some("Asia/Tehran"));
        assert_eq!(v.at, 9);
    }

    #[test]
    fn only_web_urls_are_pages() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "",
            "shop.example",
            "ftp://x",
        ] {
            assert!(page_visit(bad, None, None, None, None, 0).is_err(), "{bad}");
        }
        let long = format!("https://x.example/{}", "a".repeat(MAX_URL_CHARS));
        assert!(page_visit(&long, None, None, None, None, 0).is_err());
        assert!(page_visit("HTTP://X.EXAMPLE/", None, None, None, None, 0).is_ok());
    }

    #[test]
    fn doubtful_extras_are_dropped_and_long_titles_cut() {
        let title = "t".repeat(1000);
        let v = page_visit(
            "http://x.example/",
            Some(&title),
            Some("javascript:evil()"),
            Some("Europe/<b>"),
            None,
            0,
        )
        .unwrap();
        assert_eq!(v.title.unwrap().chars().count(), MAX_TITLE_CHARS);
        assert_eq!(v.referrer, None);
        assert_eq!(v.time_zone, None);
        assert_eq!(
            page_visit("http://x.example/", Some("  "), None, None, None, 0)
                .unwrap()
                .title,
            None
        );
    }
}
