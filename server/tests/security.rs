//! Security findings 7 and 8: headers on every response, and no state
//! change from another site's page.

use crate::common::*;
use serde_json::json;

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).send().await.unwrap()
}

#[actix_web::test]
async fn every_route_answers_with_the_security_headers() {
    let assets = fake_assets();
    let server = TestServer::start_with(config_with(&[
        "--assets-dir",
        assets.path().to_str().unwrap(),
    ]))
    .await;
    let key = &server.site_key;
    let origin = "http%3A%2F%2F127.0.0.1%3A5555";
    // (path, is an HTML page that must carry a policy, who may frame it)
    let routes = [
        ("/".to_owned(), false, ""),
        ("/app".to_owned(), true, "frame-ancestors 'none'"),
        (
            format!("/widget/frame?site={key}&origin={origin}"),
            true,
            "frame-ancestors http://127.0.0.1:5555;",
        ),
        (
            format!("/widget/frame?site={key}&origin=https%3A%2F%2Fevil.example"),
            true,
            "frame-ancestors 'none'",
        ),
        (
            format!("/widget/frame?site=pk_nope&origin={origin}"),
            true,
            "frame-ancestors 'none'",
        ),
        ("/widget/preview".to_owned(), true, "frame-ancestors 'self'"),
        ("/widget/loader.js".to_owned(), false, ""),
        ("/widget/proactive.js".to_owned(), false, ""),
        ("/assets/widget/h1/ahlan_widget.js".to_owned(), false, ""),
        ("/api/me".to_owned(), false, ""),
        ("/api/openapi.json".to_owned(), false, ""),
        ("/healthz".to_owned(), false, ""),
        ("/demo".to_owned(), false, ""),
        ("/nope".to_owned(), false, ""),
        ("/api/nope".to_owned(), false, ""),
    ];
    for (path, page, framing) in routes {
        let res = get(&format!("{}{path}", server.url)).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert!(
            !h.contains_key("strict-transport-security"),
            "{path}: not https"
        );
        if page {
            let policy = h["content-security-policy"].to_str().unwrap();
            assert!(policy.contains(framing), "{path}: {policy}");
            assert!(policy.contains("object-src 'none'") || policy.contains("default-src 'none'"));
        }
        let boots_an_app = res.status() == 200 && page;
        if boots_an_app {
            // The page's one inline script is the one its policy allows.
            let policy = h["content-security-policy"].to_str().unwrap().to_owned();
            let html = res.text().await.unwrap();
            let start = html.find(r#"<script type="module">"#).unwrap() + 22;
            let end = start + html[start..].find("</script>").unwrap();
            let hash = ahlan_server::security::script_hash(&html[start..end]);
            assert!(policy.contains(&hash), "{path}: {policy}");
        }
    }
}

#[actix_web::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let server =
        TestServer::start_with(config_with(&["--public-url", "https://chat.example"])).await;
    let res = get(&format!("{}/healthz", server.url)).await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

/// Finding 7: a page on another site cannot log an agent out (or change
/// anything) with the agent's cookie; the agent's own pages and non-browser
/// clients can.
#[actix_web::test]
async fn state_changes_from_another_sites_page_are_refused() {
    let server = TestServer::start().await;
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let http = reqwest::Client::new();
    let logout = |headers: &'static [(&'static str, &'static str)]| {
        let mut req = http
            .post(format!("{}/api/auth/logout", server.url))
            .header("Cookie", &cookie);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send()
    };
    for forged in [
        &[("Origin", "https://evil.example")][..],
        &[("Sec-Fetch-Site", "cross-site")][..],
        &[("Origin", "null")][..],
    ] {
        let res = logout(forged).await.unwrap();
        assert_eq!(res.status(), 403, "{forged:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "forbidden");
    }
    let me = http
        .get(format!("{}/api/me", server.url))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200, "the session survived the forged logouts");

    // Changing a site from another page is refused the same way.
    let res = http
        .patch(format!("{}/api/sites/s_demo", server.url))
        .header("Cookie", &cookie)
        .header("Origin", "https://evil.example")
        .json(&json!({"name": "pwned"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // Our own page (the Origin is the host it reached) logs out.
    let own = server.url.clone();
    let res = http
        .post(format!("{own}/api/auth/logout"))
        .header("Cookie", &cookie)
        .header("Origin", own.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

async fn login_from(server: &TestServer, client: &str, password: &str) -> (u16, Option<String>) {
    login_as(server, client, ADMIN_EMAIL, password).await
}

async fn login_as(
    server: &TestServer,
    client: &str,
    email: &str,
    password: &str,
) -> (u16, Option<String>) {
    let res = reqwest::Client::new()
        .post(format!("{}/api/auth/login", server.url))
        .header("X-Forwarded-For", client)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (res.status().as_u16(), retry)
}

/// Finding 2: failed logins slow down the client that makes them, not the
/// account: behind the documented proxy, guessing the admin's password from
/// one address does not lock the admin out from another.
#[actix_web::test]
async fn guessing_slows_the_guesser_not_the_account() {
    let server = TestServer::start_with(config_with(&["--trusted-proxies", "127.0.0.1"])).await;
    for _ in 0..5 {
        assert_eq!(login_from(&server, "198.51.100.7", "wrong").await.0, 401);
    }
    let (status, retry) = login_from(&server, "198.51.100.7", ADMIN_PASSWORD).await;
    assert_eq!(
        status, 429,
        "the guesser waits, even with the right password"
    );
    assert_eq!(retry.as_deref(), Some("1"));
    assert_eq!(
        login_from(&server, "203.0.113.9", ADMIN_PASSWORD).await.0,
        200,
        "the admin, elsewhere, logs in"
    );
}

/// Which key stops what: five misses on one account from an address stop
/// that pair only (a colleague at the same address still logs in); thirty
/// misses from the address, over any accounts, stop the address (not the
/// accounts elsewhere). Correct logins do not count.
#[actix_web::test]
async fn the_throttle_keys_are_the_account_at_an_address_then_the_address() {
    let server = TestServer::start_with(config_with(&["--trusted-proxies", "127.0.0.1"])).await;
    server.add_agent("omar", 2).await;
    let (x, y, omar) = ("198.51.100.7", "203.0.113.9", "omar@example.com");
    for _ in 0..5 {
        assert_eq!(login_from(&server, x, "wrong").await.0, 401);
    }
    assert_eq!(
        login_from(&server, x, ADMIN_PASSWORD).await.0,
        429,
        "the pair"
    );
    assert_eq!(
        login_as(&server, x, omar, "agent-password").await.0,
        200,
        "not the address"
    );
    for i in 0..25 {
        let email = format!("nobody{i}@example.com");
        assert_eq!(
            login_as(&server, x, &email, "wrong").await.0,
            401,
            "miss {i}"
        );
    }
    assert_eq!(
        login_as(&server, x, omar, "agent-password").await.0,
        429,
        "thirty misses stop the address"
    );
    assert_eq!(
        login_as(&server, y, omar, "agent-password").await.0,
        200,
        "not the account elsewhere"
    );
}

/// Without trusted proxies the header is not believed: every request above
/// would be the same client (the peer).
#[actix_web::test]
async fn forwarded_for_is_ignored_unless_the_proxy_is_trusted() {
    let server = TestServer::start().await;
    for _ in 0..5 {
        login_from(&server, "198.51.100.7", "wrong").await;
    }
    assert_eq!(
        login_from(&server, "203.0.113.9", ADMIN_PASSWORD).await.0,
        429
    );
}

/// Finding 2: an attempt is counted before the password is checked, so a
/// burst of concurrent guesses gets the free attempts and no more.
#[actix_web::test]
async fn a_burst_of_guesses_gets_only_the_free_attempts() {
    let server = TestServer::start().await;
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let url = server.url.clone();
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(format!("{url}/api/auth/login"))
                .json(&json!({"email": ADMIN_EMAIL, "password": "wrong"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 429).count(),
        19,
        "{statuses:?}"
    );
}
