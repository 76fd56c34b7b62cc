//! REST and pages: login, sessions, access control, the iframe page.

use crate::common::*;
use serde_json::{json, Value};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

#[actix_web::test]
async fn login_errors_are_clear_and_repeated_failures_are_slowed() {
    let server = TestServer::start().await;
    let http = client();
    let url = format!("{}/api/auth/login", server.url);

    let res = http
        .post(&url)
        .json(&json!({"email": ADMIN_EMAIL, "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "invalid_credentials");
    assert!(!body["message"].as_str().unwrap().is_empty());

    let res = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "bad_request");

    for _ in 0..4 {
        http.post(&url)
            .json(&json!({"email": ADMIN_EMAIL, "password": "wrong"}))
            .send()
            .await
            .unwrap();
    }
    // Locked now, even with the right password.
    let res = http
        .post(&url)
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "too_many_attempts"
    );
}

#[actix_web::test]
async fn sessions_are_http_only_cookies_and_logout_ends_them() {
    let server = TestServer::start().await;
    let http = client();
    let me = format!("{}/api/me", server.url);
    let res = http.get(&me).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "unauthorized");

    let res = http
        .post(format!("{}/api/auth/login", server.url))
        .json(&json!({"email": "  ADMIN@ahlan.local ", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["agent"]["role"], "admin");

    let res = http.get(&me).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap()["agent"]["email"],
        ADMIN_EMAIL
    );

    let res = http
        .post(format!("{}/api/auth/logout", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(http.get(&me).send().await.unwrap().status(), 401);
}

/// A session that runs out is refused over HTTP, and a dashboard opened
/// with it says so and closes (4001) when it does, on its own.
#[actix_web::test]
async fn an_expired_session_is_refused_and_closes_its_dashboard() {
    use ahlan_server::secrets::{new_token, token_hash};
    let server = TestServer::start().await;
    let admin = server
        .store
        .list_agents()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == ADMIN_EMAIL)
        .unwrap();
    let token = new_token("st");
    let ttl = std::time::Duration::from_secs(2);
    server
        .store
        .create_session(&token_hash(&token), &admin.id, ttl)
        .await
        .unwrap();
    let cookie = format!("ahlan_session={token}");
    let me = || async {
        reqwest::Client::new()
            .get(format!("{}/api/me", server.url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(me().await, 200);
    let (mut dashboard, _) = server.agent_socket(&cookie).await;
    dashboard.expect("ready").await;

    let started = std::time::Instant::now();
    let e = dashboard.expect("error").await;
    assert_eq!(e["code"], "unauthorized");
    assert_eq!(dashboard.closed_with().await, Some(4001));
    // At the session's end, not at some later periodic check (generous:
    // the point is "not a heartbeat or two later").
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    assert_eq!(me().await, 401);
    // And a new dashboard with it is refused at the door.
    let refused = Ws::try_connect(
        &format!("{}/ws/agent", server.ws),
        &[("Cookie", &cookie), ("Origin", &server.url)],
    )
    .await;
    assert!(refused.is_err(), "the upgrade must be refused");
}

#[actix_web::test]
async fn history_is_only_for_agents_who_may_see_it() {
    let server = TestServer::start().await;
    server.add_agent("omar", 2).await;
    server.add_agent("leila", 2).await;
    let (mut v, _) = server.visitor().await;
    v.send(send_frame("m1", "hello")).await;
    let conv = v.expect("ack").await["conversation"]
        .as_str()
        .unwrap()
        .to_owned();

    let omar = client();
    omar.post(format!("{}/api/auth/login", server.url))
        .json(&json!({"email": "omar@example.com", "password": "agent-password"}))
        .send()
        .await
        .unwrap();
    let leila = client();
    leila
        .post(format!("{}/api/auth/login", server.url))
        .json(&json!({"email": "leila@example.com", "password": "agent-password"}))
        .send()
        .await
        .unwrap();

    let waiting: Value = omar
        .get(format!("{}/api/conversations?view=waiting", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(waiting[0]["id"], conv.as_str());
    let messages = format!(
        "{}/api/conversations/{conv}/messages?after_seq=0",
        server.url
    );
    let list: Value = leila
        .get(&messages)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list[0]["body"], "hello",
        "anyone may preview a waiting conversation"
    );

    server
        .store
        .pick(
            &shared::ConversationId(conv.clone()),
            &shared::AgentId("a_omar".into()),
            1,
        )
        .await
        .unwrap();
    let res = leila.get(&messages).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "forbidden");
    assert_eq!(omar.get(&messages).send().await.unwrap().status(), 200);
    let mine: Value = omar
        .get(format!("{}/api/conversations?view=mine", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);

    let res = omar
        .get(format!("{}/api/conversations/c_nope/messages", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = omar
        .get(format!("{}/api/conversations?view=everything", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = omar
        .get(format!("{}/api/nothing-here", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
}

#[actix_web::test]
async fn the_iframe_page_is_only_for_allowed_origins_and_bundles_are_cached_forever() {
    let assets = fake_assets();
    let config = config_with(&[
        "--assets-dir",
        assets.path().to_str().unwrap(),
        "--demo-origins",
        "https://shop.example",
    ]);
    let server = TestServer::start_with(config).await;
    let http = reqwest::Client::new();
    let frame = |origin: &str| {
        format!(
            "{}/widget/frame?site={}&origin={}",
            server.url, server.site_key, origin
        )
    };

    let res = http
        .get(frame("https%3A%2F%2Fevil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = http
        .get(format!(
            "{}/widget/frame?site=pk_nope&origin=https%3A%2F%2Fshop.example",
            server.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let res = http
        .get(frame("https%3A%2F%2Fshop.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let policy = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains("frame-ancestors https://shop.example;"),
        "{policy}"
    );
    let html = res.text().await.unwrap();
    assert!(
        html.contains(r#""host_origin":"https://shop.example""#),
        "{html}"
    );
    assert!(html.contains("/assets/widget/h1/ahlan_widget.js"));

    let res = http
        .get(format!("{}/assets/widget/h1/ahlan_widget.js", server.url))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    // The host page's scripts: fixed URLs, so cached briefly, and their
    // timing readable by the page.
    for (script, body) in [
        ("loader.js", "/* loader */"),
        ("proactive.js", "/* proactive */"),
    ] {
        let res = http
            .get(format!("{}/widget/{script}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{script}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=300");
        assert_eq!(res.headers()["timing-allow-origin"], "*");
        assert_eq!(res.text().await.unwrap(), body);
    }
    let res = http
        .get(format!("{}/assets/../manifest.json", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let demo = http
        .get(format!("{}/demo", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(demo.contains(&format!(r#"data-site="{}""#, server.site_key)));
    std::fs::remove_dir_all(assets).unwrap();
}

/// `POST /api/agents` with `http`'s cookies: status and JSON body.
async fn add_agent_by_api(
    http: &reqwest::Client,
    server: &TestServer,
    body: Value,
) -> (u16, Value) {
    let res = http
        .post(format!("{}/api/agents", server.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn logged_in(server: &TestServer, email: &str, password: &str) -> reqwest::Client {
    let http = client();
    let res = http
        .post(format!("{}/api/auth/login", server.url))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login of {email}");
    http
}

#[actix_web::test]
async fn an_admin_adds_an_agent_who_can_log_in_and_take_chats() {
    let server = TestServer::start().await;
    let admin = logged_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let (status, sara) = add_agent_by_api(
        &admin,
        &server,
        json!({"email": " Sara@Example.COM ", "name": "  Sara ", "password": "sara-password",
               "sites": ["s_demo"], "languages": ["AR", "en"]}),
    )
    .await;
    assert_eq!(status, 201, "{sara}");
    assert_eq!(sara["email"], "sara@example.com");
    assert_eq!(sara["name"], "Sara");
    assert_eq!(sara["role"], "agent");
    assert_eq!(sara["sites"], json!(["s_demo"]));
    assert_eq!(sara["languages"], json!(["ar", "en"]));
    assert_eq!(sara["capacity"], ahlan_server::seed::DEFAULT_CAPACITY);
    let (status, karim) = add_agent_by_api(
        &admin,
        &server,
        json!({
            "email": "karim@example.com", "name": "Karim",
            "password": "karim-password", "capacity": 12
        }),
    )
    .await;
    assert_eq!((status, &karim["capacity"]), (201, &json!(12)));
    assert_ne!(karim["id"], sara["id"]);

    let cookie = server.login("sara@example.com", "sara-password").await;
    let (_ws, welcome) = server.agent_socket(&cookie).await;
    assert_eq!(welcome["agent"], sara);
    // Her open dashboard makes her the only online agent: the next visitor
    // is routed to her.
    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hello")).await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "Sara");
}

#[actix_web::test]
async fn only_admins_add_agents_with_unique_emails_and_valid_fields() {
    let server = TestServer::start().await;
    let body = json!({"email": "new@example.com", "name": "New", "password": "new-password"});

    let (status, e) = add_agent_by_api(&client(), &server, body.clone()).await;
    assert_eq!((status, &e["code"]), (401, &json!("unauthorized")));
    server.add_agent("omar", 2).await;
    let omar = logged_in(&server, "omar@example.com", "agent-password").await;
    let (status, e) = add_agent_by_api(&omar, &server, body.clone()).await;
    assert_eq!((status, &e["code"]), (403, &json!("forbidden")));

    let admin = logged_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(add_agent_by_api(&admin, &server, body).await.0, 201);
    for email in ["NEW@example.com", "omar@example.com", ADMIN_EMAIL] {
        let (status, e) = add_agent_by_api(
            &admin,
            &server,
            json!({"email": email, "name": "Again", "password": "new-password"}),
        )
        .await;
        assert_eq!(
            (status, &e["code"]),
            (409, &json!("email_taken")),
            "{email}"
        );
        assert!(!e["message"].as_str().unwrap().is_empty());
    }

    // One bad field at a time (`None`: the field is missing).
    let good = json!({"email": "x@example.com", "name": "X", "password": "password1"});
    let bad = [
        ("email", Some(json!("no-at-sign"))),
        ("email", Some(json!("x y@example.com"))),
        ("name", Some(json!("   "))),
        ("name", Some(json!("n".repeat(101)))),
        ("name", None),
        ("password", Some(json!("short"))),
        ("capacity", Some(json!(0))),
        ("capacity", Some(json!(101))),
    ];
    for (field, value) in bad {
        let mut body = good.clone();
        match value {
            Some(v) => body[field] = v,
            None => {
                body.as_object_mut().unwrap().remove(field);
            }
        }
        let (status, e) = add_agent_by_api(&admin, &server, body.clone()).await;
        assert_eq!((status, &e["code"]), (400, &json!("bad_request")), "{body}");
        assert!(
            e["message"].as_str().unwrap().contains(field),
            "{body}: {e}"
        );
    }
    assert!(
        server
            .store
            .agent_by_email("x@example.com")
            .await
            .unwrap()
            .is_none(),
        "nothing stored for a bad request"
    );
}

/// Issue 9: the OpenAPI document covers every REST route the server has,
/// and every route it lists exists (answers something else than the
/// unknown-route 404).
#[actix_web::test]
async fn the_openapi_document_lists_every_rest_route() {
    // With bundles, so `/readyz` is ready rather than 503.
    let assets = fake_assets();
    let dir = assets.path().to_str().unwrap();
    let server = TestServer::start_with(config_with(&["--assets-dir", dir])).await;
    let doc: Value = reqwest::get(format!("{}/api/openapi.json", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut listed = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            listed.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    listed.sort();
    // Every route of routes/*.rs under /api (and /healthz).
    let mut served = vec![
        "POST /api/auth/login",
        "POST /api/auth/logout",
        "GET /api/me",
        "PATCH /api/me",
        "GET /api/agents",
        "POST /api/agents",
        "PATCH /api/agents/{id}",
        "DELETE /api/agents/{id}",
        "GET /api/sites",
        "POST /api/sites",
        "GET /api/sites/{id}",
        "PATCH /api/sites/{id}",
        "DELETE /api/sites/{id}",
        "GET /api/sites/{id}/identity",
        "POST /api/sites/{id}/identity/rotate",
        "GET /api/teams",
        "POST /api/teams",
        "PATCH /api/teams/{id}",
        "DELETE /api/teams/{id}",
        "GET /api/canned",
        "POST /api/canned",
        "PATCH /api/canned/{id}",
        "DELETE /api/canned/{id}",
        "GET /api/callbacks",
        "POST /api/callbacks/{id}/claim",
        "POST /api/callbacks/{id}/close",
        "GET /api/sites/{site}/articles",
        "POST /api/sites/{site}/articles",
        "PUT /api/sites/{site}/articles/{id}",
        "DELETE /api/sites/{site}/articles/{id}",
        "GET /api/conversations",
        "GET /api/conversations/{id}/messages",
        "GET /api/conversations/{id}/colleagues",
        "GET /api/conversations/{id}/context",
        "GET /api/history",
        "GET /api/visitors/{id}/export",
        "DELETE /api/visitors/{id}",
        "GET /api/reports",
        "GET /api/reports/{table}.csv",
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",
    ];
    served.sort();
    assert_eq!(listed, served);

    let http = reqwest::Client::new();
    for entry in &listed {
        let (method, path) = entry.split_once(' ').unwrap();
        let url = format!("{}{}", server.url, path.replace("{id}", "x_1"));
        let res = http
            .request(method.parse().unwrap(), &url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        // Without a session every served route answers 401 (or, for login
        // and logout, 400 and 204) before looking up the id; only a route
        // that does not exist answers 404.
        assert_ne!(status, 404, "{entry} is not served: {body}");
        assert!(status < 500, "{entry}: {status} {body}");
    }
}

/// Issue 8 (schemathesis): a known path with a method it does not take is
/// 405 with the methods it takes in `Allow`, not 404; and a body must be a
/// JSON object (serde reads a struct from an array, so `[null, null]` used
/// to pass as an update that changes nothing).
#[actix_web::test]
async fn wrong_methods_and_non_object_bodies_are_refused_clearly() {
    let server = TestServer::start().await;
    let http = logged_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for (method, path, allow) in [
        ("TRACE", "/healthz", "GET"),
        ("PUT", "/api/sites", "GET, POST"),
        ("POST", "/api/sites/s_1", "GET, PATCH, DELETE"),
        ("GET", "/api/auth/logout", "POST"),
    ] {
        let res = http
            .request(method.parse().unwrap(), format!("{}{path}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(
            res.headers()["allow"].to_str().unwrap(),
            allow,
            "{method} {path}"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "method_not_allowed", "{method} {path}");
    }
    let res = http
        .get(format!("{}/api/no-such-thing", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    for path in ["/api/me", "/api/teams"] {
        for body in ["[null, null]", "[]", "null", "7"] {
            let res = http
                .request(
                    if path == "/api/me" { "PATCH" } else { "POST" }
                        .parse()
                        .unwrap(),
                    format!("{}{path}", server.url),
                )
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400, "{path} took {body}");
            let error: Value = res.json().await.unwrap();
            assert_eq!(error["code"], "bad_request", "{path} {body}: {error}");
        }
    }
}

/// An admin cannot lock themselves out from the agents list (found by
/// schemathesis, whose run signed itself out): disabling, demoting or
/// deleting their own account is refused (another admin can), and a new
/// password set there keeps the tab they use signed in while every other
/// session of theirs ends — as on their profile.
#[actix_web::test]
async fn admins_cannot_lock_themselves_out_from_the_agents_list() {
    let server = TestServer::start().await;
    let http = logged_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let other_tab = logged_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // A second admin, so "last admin" is not what refuses.
    let (status, _) = add_agent_by_api(
        &http,
        &server,
        json!({"email": "second@example.com", "name": "Second", "password": "second-password", "role": "admin"}),
    )
    .await;
    assert_eq!(status, 201);
    let me: Value = http
        .get(format!("{}/api/me", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let own = format!(
        "{}/api/agents/{}",
        server.url,
        me["agent"]["id"].as_str().unwrap()
    );
    for change in [
        json!({"disabled": true}),
        json!({"role": "agent"}),
        json!({"role": "supervisor"}),
    ] {
        let res = http.patch(&own).json(&change).send().await.unwrap();
        assert_eq!(res.status(), 403, "{change}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "forbidden");
        assert!(
            body["message"].as_str().unwrap().contains("another admin"),
            "{body}"
        );
    }
    let res = http.delete(&own).send().await.unwrap();
    assert_eq!(res.status(), 403);

    let res = http
        .patch(&own)
        .json(&json!({"password": "a-new-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let status = |client: reqwest::Client| {
        let url = format!("{}/api/me", server.url);
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(http.clone()).await, 200, "this tab stays signed in");
    assert_eq!(status(other_tab).await, 401, "other sessions end");
    logged_in(&server, ADMIN_EMAIL, "a-new-password").await;
    // Nothing was refused for its own sake: the account is still an
    // active admin.
    let me: Value = http
        .get(format!("{}/api/me", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["agent"]["role"], "admin");
    assert_eq!(me["agent"]["disabled"], false);
}

/// The operator's instruments: `/metrics` counts what this node did (a
/// chat both ways, a malformed frame, a failed login, open sockets, the
/// queue) for a local scraper, and refuses anyone else without the token;
/// `/readyz` is not ready without the bundles, ready with them.
#[actix_web::test]
async fn metrics_count_what_the_node_did_and_readyz_says_when_it_can_serve() {
    let server = TestServer::start().await;
    server.add_agent("sara", 1).await;
    let (mut sara, mut visitor, id) = server.chat_with("sara@example.com").await;
    sara.send(json!({"type": "send", "conversation": id, "client_id": "a1", "body": "hi"}))
        .await;
    sara.expect("ack").await;
    visitor.send_text("not json".into()).await;
    assert_eq!(visitor.expect("error").await["code"], "malformed_frame");
    // Sara is full: a second visitor waits.
    let (mut waiting, _) = server.visitor().await;
    waiting.send(send_frame("w1", "anyone?")).await;
    waiting.expect("queue").await;
    let (status, _) = Api::anonymous(&server)
        .post(
            "/api/auth/login",
            json!({"email": "sara@example.com", "password": "wrong"}),
        )
        .await;
    assert_eq!(status, 401);

    let res = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    for expected in [
        "ahlan_messages_total{from=\"visitor\"} 2",
        "ahlan_messages_total{from=\"agent\"} 1",
        "ahlan_rejected_frames_total{socket=\"visitor\",code=\"malformed_frame\"} 1",
        "ahlan_login_failures_total 1",
        "ahlan_connections{socket=\"visitor\"} 2",
        "ahlan_connections{socket=\"agent\"} 1",
        "ahlan_assignments_total 1",
        "ahlan_queue_waiting{site=\"s_demo\",team=\"\"} 1",
        "ahlan_store_seconds_count{op=\"append_visitor\"} 2",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    // Through a proxy, or from elsewhere, it takes the token.
    let res = reqwest::Client::new()
        .get(format!("{}/metrics", server.url))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let guarded =
        TestServer::start_with(config_with(&["--metrics-token", "0123456789abcdef-ops"])).await;
    let scrape = |token: Option<&'static str>| {
        let mut req = reqwest::Client::new().get(format!("{}/metrics", guarded.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(scrape(None).await.unwrap().status(), 401);
    assert_eq!(
        scrape(Some("0123456789abcdef-opz")).await.unwrap().status(),
        401
    );
    assert_eq!(
        scrape(Some("0123456789abcdef-ops")).await.unwrap().status(),
        200
    );

    // Ready only with the bundles.
    let res = reqwest::get(format!("{}/readyz", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (&body["status"], &body["assets"], &body["store"]),
        (&json!("not_ready"), &json!(false), &json!("ok"))
    );
    let assets = fake_assets();
    let dir = assets.path().to_str().unwrap();
    let built = TestServer::start_with(config_with(&["--assets-dir", dir])).await;
    let res = reqwest::get(format!("{}/readyz", built.url)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "ready");
}
