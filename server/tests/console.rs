//! The site owner's console over REST, and what its changes do to open
//! dashboards and widgets: sites, agents, roles, site membership, teams.

use crate::common::*;
use serde_json::json;

const OTHER_ORIGIN: &str = "https://blog.example";

/// Creates a site allowing [`OTHER_ORIGIN`]; returns its id and key.
async fn blog_site(admin: &Api) -> (String, String) {
    let (status, site) = admin
        .post(
            "/api/sites",
            json!({"name": "Blog", "allowed_origins": [OTHER_ORIGIN]}),
        )
        .await;
    assert_eq!(status, 201, "{site}");
    (
        site["id"].as_str().unwrap().to_owned(),
        site["key"].as_str().unwrap().to_owned(),
    )
}

/// Adds an agent of `sites` by REST and returns their id.
async fn agent_of(admin: &Api, name: &str, sites: &[&str]) -> String {
    let (status, a) = admin
        .post(
            "/api/agents",
            json!({
                "email": format!("{name}@example.com"), "name": name,
                "password": "agent-password", "sites": sites, "capacity": 3
            }),
        )
        .await;
    assert_eq!(status, 201, "{a}");
    a["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn admins_manage_sites_with_clear_field_errors() {
    let assets = fake_assets();
    let server = TestServer::start_with(config_with(&[
        "--assets-dir",
        assets.path().to_str().unwrap(),
    ]))
    .await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let (status, e) = admin
        .post(
            "/api/sites",
            json!({"name": "Shop", "allowed_origins": ["https://shop.example", "https://a * b.example"]}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(e["code"], "bad_request");
    assert_eq!(e["field"], "allowed_origins[1]");
    let (status, e) = admin
        .post(
            "/api/sites",
            json!({"name": "Shop", "appearance": {"accent_color": "teal", "position": "left"}}),
        )
        .await;
    assert_eq!(
        (status, &e["field"]),
        (400, &json!("appearance.accent_color"))
    );

    let (status, site) = admin
        .post(
            "/api/sites",
            json!({"name": " Shop ", "allowed_origins": ["HTTPS://Shop.Example/", "https://*.shop.example"]}),
        )
        .await;
    assert_eq!(status, 201, "{site}");
    assert_eq!(site["name"], "Shop");
    assert_eq!(
        site["allowed_origins"],
        json!(["https://shop.example", "https://*.shop.example"])
    );
    let key = site["key"].as_str().unwrap();
    assert!(key.starts_with("pk_"));
    assert!(site["snippet"].as_str().unwrap().contains(key));
    let id = site["id"].as_str().unwrap();

    // Partial updates: each names only its fields.
    let (status, after) = admin
        .patch(
            &format!("/api/sites/{id}"),
            json!({"accent_color": "#0F766E", "greeting": "Marhaba! How can we help?"}),
        )
        .await;
    assert_eq!(status, 200, "{after}");
    let (_, after) = admin
        .patch(
            &format!("/api/sites/{id}"),
            json!({"position": "left", "locale": "ar"}),
        )
        .await;
    assert_eq!(after["appearance"]["accent_color"], "#0f766e");
    assert_eq!(after["appearance"]["greeting"], "Marhaba! How can we help?");
    assert_eq!(after["appearance"]["position"], "left");
    assert_eq!(after["appearance"]["locale"], "ar");
    // The usual reply time: one of three promises, or none.
    assert!(after["appearance"]["reply_time"].is_null());
    let (status, e) = admin
        .patch(&format!("/api/sites/{id}"), json!({"reply_time": "soon"}))
        .await;
    assert_eq!((status, &e["field"]), (400, &json!("reply_time")));
    let (_, after) = admin
        .patch(&format!("/api/sites/{id}"), json!({"reply_time": "hours"}))
        .await;
    assert_eq!(after["appearance"]["reply_time"], "hours");
    let (status, e) = admin
        .patch(
            &format!("/api/sites/{id}"),
            json!({"avatar": {"kind": "image", "url": "javascript:alert(1)"}}),
        )
        .await;
    assert_eq!((status, &e["field"]), (400, &json!("avatar.url")));
    let (status, _) = admin.patch("/api/sites/s_nope", json!({"name": "x"})).await;
    assert_eq!(status, 404);

    // Agents may neither create, change nor delete sites.
    server.add_agent("omar", 2).await;
    let omar = Api::login(&server, "omar@example.com", "agent-password").await;
    for (status, e) in [
        omar.post("/api/sites", json!({"name": "x"})).await,
        omar.patch(&format!("/api/sites/{id}"), json!({"name": "x"}))
            .await,
        omar.delete(&format!("/api/sites/{id}")).await,
    ] {
        assert_eq!((status, &e["code"]), (403, &json!("forbidden")));
    }
    // …nor see a site they do not serve.
    let (_, theirs) = omar.get("/api/sites").await;
    let ids: Vec<_> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!("s_demo")]);
    assert_eq!(omar.get(&format!("/api/sites/{id}")).await.0, 404);

    // The widget page follows the site's look; a deleted site has none.
    let frame = format!(
        "{}/widget/frame?site={key}&origin=https://eu.shop.example",
        server.url
    );
    let page = reqwest::get(&frame).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("#0f766e"), "the config carries the colour");
    assert!(
        html.contains(r#""reply_time":"hours""#),
        "and the reply time"
    );
    let (_, after) = admin
        .patch(&format!("/api/sites/{id}"), json!({"reply_time": ""}))
        .await;
    assert!(after["appearance"]["reply_time"].is_null(), "{after}");
    assert_eq!(admin.delete(&format!("/api/sites/{id}")).await.0, 204);
    assert_eq!(reqwest::get(&frame).await.unwrap().status(), 404);
    assert_eq!(admin.delete(&format!("/api/sites/{id}")).await.0, 404);
}

/// Issue 9: an agent of site A gets nothing of site B, over REST and over
/// the socket; the agent of site B gets it.
#[actix_web::test]
async fn an_agent_of_one_site_gets_nothing_of_another() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (blog_id, blog_key) = blog_site(&admin).await;
    agent_of(&admin, "demo_agent", &["s_demo"]).await;
    agent_of(&admin, "blog_agent", &[&blog_id]).await;

    // Both dashboards are open, but both agents are away: the chat waits.
    let mut sockets = Vec::new();
    for name in ["demo_agent", "blog_agent"] {
        let cookie = server
            .login(&format!("{name}@example.com"), "agent-password")
            .await;
        let (mut ws, _) = server.agent_socket(&cookie).await;
        ws.expect("ready").await;
        ws.send(json!({"type": "presence", "status": "away"})).await;
        ws.until(|f| f["type"] == "presence" && f["status"] == "away")
            .await;
        sockets.push(ws);
    }
    let (mut demo_ws, mut blog_ws) = (sockets.remove(0), sockets.remove(0));

    let (mut visitor, _) = visitor_of(&server, &blog_key, OTHER_ORIGIN).await;
    visitor
        .send(send_frame("b1", "a question about the blog"))
        .await;
    let ack = visitor.expect("ack").await;
    let conv = ack["conversation"].as_str().unwrap().to_owned();

    // The blog's agent sees it waiting, with its preview.
    let seen = blog_ws
        .until(|f| f["type"] == "conversation" && f["conversation"]["id"] == conv.as_str())
        .await;
    assert_eq!(
        seen["conversation"]["last_message"]["body"],
        "a question about the blog"
    );
    // The demo site's agent hears nothing of it, however long we look.
    let frames = demo_ws.frames_before_sentinel().await;
    assert!(
        !frames.iter().any(|f| f.to_string().contains(&conv)),
        "{frames:?}"
    );
    demo_ws
        .send(json!({"type": "sync", "conversation": conv, "after_seq": 0}))
        .await;
    assert_eq!(demo_ws.expect("error").await["code"], "forbidden");
    demo_ws
        .send(json!({"type": "pick", "conversation": conv}))
        .await;
    assert_eq!(demo_ws.expect("error").await["code"], "forbidden");

    // Same over REST.
    let demo = Api::login(&server, "demo_agent@example.com", "agent-password").await;
    let (_, waiting) = demo.get("/api/conversations?view=waiting").await;
    assert!(waiting.as_array().unwrap().is_empty(), "{waiting}");
    let (status, _) = demo
        .get(&format!("/api/conversations/{conv}/messages"))
        .await;
    assert_eq!(status, 403);
    let blog = Api::login(&server, "blog_agent@example.com", "agent-password").await;
    let (_, waiting) = blog.get("/api/conversations?view=waiting").await;
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    let (status, history) = blog
        .get(&format!("/api/conversations/{conv}/messages"))
        .await;
    assert_eq!((status, history.as_array().map(Vec::len)), (200, Some(1)));
}

/// Security finding 3: colleagues do not receive each other's chats. Once a
/// colleague takes a waiting conversation, the others get one `gone` for it
/// and then nothing — no previews, no client ids.
#[actix_web::test]
async fn a_colleagues_conversation_leaves_with_gone_and_stays_private() {
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    server.add_agent("badr", 3).await;
    let (mut amal, _) = server
        .agent_socket(&server.login("amal@example.com", "agent-password").await)
        .await;
    let (mut badr, _) = server
        .agent_socket(&server.login("badr@example.com", "agent-password").await)
        .await;
    for ws in [&mut amal, &mut badr] {
        ws.expect("ready").await;
        ws.send(json!({"type": "presence", "status": "away"})).await;
        ws.until(|f| f["type"] == "presence" && f["status"] == "away")
            .await;
    }
    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hello")).await;
    let conv = visitor.expect("ack").await["conversation"]
        .as_str()
        .unwrap()
        .to_owned();
    for ws in [&mut amal, &mut badr] {
        ws.until(|f| f["type"] == "conversation" && f["conversation"]["id"] == conv.as_str())
            .await;
    }
    amal.send(json!({"type": "pick", "conversation": conv}))
        .await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "amal");
    let gone = badr.until(|f| f["type"] == "gone").await;
    assert_eq!(gone["conversation"], conv.as_str());

    visitor
        .send(send_frame("v2", "my address is 12 Palm St"))
        .await;
    visitor.expect("ack").await;
    let frames = badr.frames_before_sentinel().await;
    assert!(
        !frames.iter().any(|f| f.to_string().contains(&conv)),
        "{frames:?}"
    );
}

/// Security finding 4: logging out closes that session's dashboards.
#[actix_web::test]
async fn logout_closes_the_sessions_dashboard() {
    let server = TestServer::start().await;
    let api = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let other = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut kept, _) = server.agent_socket(&other).await;
    kept.expect("ready").await;

    // The API client's own session, on a socket of its own.
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut ws, _) = server.agent_socket(&cookie).await;
    ws.expect("ready").await;
    let logout = reqwest::Client::new()
        .post(format!("{}/api/auth/logout", server.url))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    let e = ws.expect("error").await;
    assert_eq!(e["code"], "unauthorized");
    assert_eq!(ws.closed_with().await, Some(4001));
    // Other sessions are untouched.
    assert!(kept
        .frames_before_sentinel()
        .await
        .iter()
        .all(|f| f["type"] != "error"));
    assert_eq!(api.get("/api/me").await.0, 200);
}

/// Disabling an agent signs them out everywhere and their visitors go back
/// to the front of the queue; they cannot log in again.
#[actix_web::test]
async fn disabling_an_agent_signs_them_out_and_requeues_their_chats() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let sara = server.add_agent("sara", 2).await;
    let (mut ws, _) = server
        .agent_socket(&server.login("sara@example.com", "agent-password").await)
        .await;
    ws.expect("ready").await;
    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hi")).await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "sara");

    let (status, body) = admin
        .patch(
            &format!("/api/agents/{}", sara.id),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!((status, &body["disabled"]), (200, &json!(true)));
    assert_eq!(ws.expect("error").await["code"], "unauthorized");
    assert_eq!(ws.closed_with().await, Some(4001));
    assert_eq!(visitor.expect("status").await["status"], "queued");
    let (status, e) = Api::anonymous(&server)
        .post(
            "/api/auth/login",
            json!({"email": "sara@example.com", "password": "agent-password"}),
        )
        .await;
    assert_eq!((status, &e["code"]), (401, &json!("invalid_credentials")));

    // Enabled again, she can log in and is routed chats again.
    admin
        .patch(
            &format!("/api/agents/{}", sara.id),
            json!({"disabled": false}),
        )
        .await;
    let (_ws, _) = server
        .agent_socket(&server.login("sara@example.com", "agent-password").await)
        .await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "sara");
}

/// A change of sites reaches an open dashboard at once: what the agent may
/// no longer see leaves, what they may now see arrives.
#[actix_web::test]
async fn changing_an_agents_sites_resends_what_they_may_see() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (blog_id, blog_key) = blog_site(&admin).await;
    let omar = server.add_agent("omar", 2).await;
    let (mut ws, _) = server
        .agent_socket(&server.login("omar@example.com", "agent-password").await)
        .await;
    ws.expect("ready").await;
    ws.send(json!({"type": "presence", "status": "away"})).await;
    ws.until(|f| f["type"] == "presence" && f["status"] == "away")
        .await;
    let (mut demo_visitor, _) = server.visitor().await;
    demo_visitor.send(send_frame("d1", "demo question")).await;
    let demo_conv = demo_visitor.expect("ack").await["conversation"]
        .as_str()
        .unwrap()
        .to_owned();
    let (mut blog_visitor, _) = visitor_of(&server, &blog_key, OTHER_ORIGIN).await;
    blog_visitor.send(send_frame("b1", "blog question")).await;
    let blog_conv = blog_visitor.expect("ack").await["conversation"]
        .as_str()
        .unwrap()
        .to_owned();
    ws.until(|f| f["type"] == "conversation" && f["conversation"]["id"] == demo_conv.as_str())
        .await;

    let (status, _) = admin
        .patch(
            &format!("/api/agents/{}", omar.id),
            json!({"sites": [blog_id]}),
        )
        .await;
    assert_eq!(status, 200);
    let gone = ws.until(|f| f["type"] == "gone").await;
    assert_eq!(gone["conversation"], demo_conv.as_str());
    let welcome = ws.expect("welcome").await;
    assert_eq!(welcome["agent"]["sites"], json!([blog_id]));
    let mut snapshot = Vec::new();
    loop {
        let f = ws
            .until(|f| f["type"] == "conversation" || f["type"] == "ready")
            .await;
        if f["type"] == "ready" {
            break;
        }
        snapshot.push(f["conversation"]["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(snapshot, vec![blog_conv]);
}

#[actix_web::test]
async fn deleting_a_site_closes_its_widgets() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (blog_id, blog_key) = blog_site(&admin).await;
    let (mut visitor, _) = visitor_of(&server, &blog_key, OTHER_ORIGIN).await;
    visitor.send(send_frame("b1", "hello?")).await;
    visitor.expect("ack").await;
    let (mut demo_visitor, _) = server.visitor().await;

    assert_eq!(admin.delete(&format!("/api/sites/{blog_id}")).await.0, 204);
    assert_eq!(visitor.expect("error").await["code"], "unknown_site");
    assert_eq!(visitor.closed_with().await, Some(1008));
    // Another site's visitor is not touched.
    demo_visitor
        .send(json!({"type": "hello", "site": server.site_key}))
        .await;
    assert_eq!(
        demo_visitor.expect("error").await["code"],
        "already_greeted"
    );
}

#[actix_web::test]
async fn agents_are_managed_and_the_last_admin_stays() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, me) = admin.get("/api/me").await;
    let admin_id = me["agent"]["id"].as_str().unwrap().to_owned();
    let (status, e) = admin
        .patch(&format!("/api/agents/{admin_id}"), json!({"role": "agent"}))
        .await;
    assert_eq!((status, &e["code"]), (409, &json!("last_admin")));
    assert_eq!(
        admin.delete(&format!("/api/agents/{admin_id}")).await.0,
        409
    );

    let sara = agent_of(&admin, "sara", &["s_demo"]).await;
    let (status, e) = admin
        .patch(&format!("/api/agents/{sara}"), json!({"sites": ["s_nope"]}))
        .await;
    assert_eq!((status, &e["field"]), (400, &json!("sites[0]")));
    let (status, e) = admin
        .patch(
            &format!("/api/agents/{sara}"),
            json!({"email": ADMIN_EMAIL}),
        )
        .await;
    assert_eq!(
        (status, &e["code"], &e["field"]),
        (409, &json!("email_taken"), &json!("email"))
    );
    let (status, team) = admin
        .post("/api/teams", json!({"name": "Support — Arabic"}))
        .await;
    assert_eq!(status, 201);
    let (status, sara_after) = admin
        .patch(
            &format!("/api/agents/{sara}"),
            json!({"role": "supervisor", "teams": [team["id"]], "languages": ["ar"], "capacity": 7}),
        )
        .await;
    assert_eq!(status, 200, "{sara_after}");
    assert_eq!(sara_after["role"], "supervisor");
    assert_eq!(sara_after["teams"], json!([team["id"]]));
    let (_, list) = admin.get("/api/agents").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    // Deleting the team takes it off her list.
    let team_id = team["id"].as_str().unwrap();
    assert_eq!(admin.delete(&format!("/api/teams/{team_id}")).await.0, 204);
    let (_, list) = admin.get("/api/agents").await;
    let sara_now = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == sara.as_str())
        .unwrap()
        .clone();
    assert_eq!(sara_now["teams"], json!([]));

    // Agents cannot list or manage accounts; a supervisor (Sara, now)
    // lists the agents of their sites, for the history's and the reports'
    // filters — never another site's — and manages none.
    server.add_agent("omar", 2).await;
    let omar = Api::login(&server, "omar@example.com", "agent-password").await;
    assert_eq!(omar.get("/api/agents").await.0, 403);
    server.add_site("pk_far", "https://far.example").await;
    let far = server.add_agent_of("Farid", "pk_far").await;
    let sara_api = Api::login(&server, "sara@example.com", "agent-password").await;
    let (status, seen) = sara_api.get("/api/agents").await;
    assert_eq!(status, 200, "{seen}");
    let ids: Vec<&str> = seen
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&sara.as_str()) && ids.contains(&"a_omar"),
        "{ids:?}"
    );
    assert!(!ids.contains(&far.id.as_str()), "{ids:?}");
    assert_eq!(sara_api.post("/api/agents", json!({})).await.0, 403);
    assert_eq!(
        sara_api.post("/api/teams", json!({"name": "x"})).await.0,
        403
    );
    assert_eq!(sara_api.get("/api/teams").await.0, 200);

    assert_eq!(admin.delete(&format!("/api/agents/{sara}")).await.0, 204);
    assert_eq!(sara_api.get("/api/me").await.0, 401, "her session ended");
}

/// Every agent may change their own name, languages and password; a new
/// password needs the current one and ends the other sessions.
#[actix_web::test]
async fn agents_change_their_own_profile_and_password() {
    let server = TestServer::start().await;
    server.add_agent("leila", 2).await;
    let here = Api::login(&server, "leila@example.com", "agent-password").await;
    let elsewhere = Api::login(&server, "leila@example.com", "agent-password").await;

    let (status, me) = here
        .patch(
            "/api/me",
            json!({"name": "Leila M.", "languages": ["fa", "en"]}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["agent"]["name"], "Leila M.");
    assert_eq!(me["agent"]["languages"], json!(["fa", "en"]));
    let (status, e) = here
        .patch(
            "/api/me",
            json!({"password": "new-password-1", "current_password": "nope"}),
        )
        .await;
    assert_eq!(
        (status, &e["code"], &e["field"]),
        (403, &json!("wrong_password"), &json!("current_password"))
    );
    let (status, e) = here.patch("/api/me", json!({"role": "admin"})).await;
    assert_eq!(status, 200, "unknown fields are ignored: {e}");
    assert_eq!(
        e["agent"]["role"], "agent",
        "an agent cannot promote themselves"
    );

    let (status, _) = here
        .patch(
            "/api/me",
            json!({"password": "new-password-1", "current_password": "agent-password"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(here.get("/api/me").await.0, 200, "this session stays");
    assert_eq!(elsewhere.get("/api/me").await.0, 401, "the others end");
    Api::login(&server, "leila@example.com", "new-password-1").await;
}

/// Adds a canned response of `scope` by REST.
async fn add(api: &Api, scope: serde_json::Value, shortcut: &str) -> (u16, serde_json::Value) {
    let body = json!({"scope": scope, "title": format!("About {shortcut}"),
                      "shortcut": shortcut, "body": format!("Hi {{visitor.name|there}}: {shortcut}")});
    api.post("/api/canned", body).await
}

/// The shortcuts `api` lists at `/api/canned{query}`.
async fn shortcuts(api: &Api, query: &str) -> Vec<String> {
    let (status, list) = api.get(&format!("/api/canned{query}")).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["shortcut"].as_str().unwrap().to_owned())
        .collect()
}

/// Issue 10, canned responses over REST: each agent lists what they may
/// use (global, their sites', their own), `?site=` narrows to what fits a
/// conversation; agents add only personal ones, supervisors their sites',
/// admins any; another's personal or another site's response is 404 to
/// them; fields are checked with the field named; and deleting the site
/// takes its responses along.
#[actix_web::test]
async fn canned_responses_are_used_and_managed_by_the_right_people() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (blog, _) = blog_site(&admin).await;
    agent_of(&admin, "sara", &["s_demo"]).await;
    agent_of(&admin, "omar", &[&blog]).await;
    let (status, boss) = admin
        .post(
            "/api/agents",
            json!({"email": "boss@example.com", "name": "Boss", "password": "agent-password",
                   "sites": ["s_demo"], "role": "supervisor"}),
        )
        .await;
    assert_eq!(status, 201, "{boss}");
    let sara = Api::login(&server, "sara@example.com", "agent-password").await;
    let omar = Api::login(&server, "omar@example.com", "agent-password").await;
    let boss = Api::login(&server, "boss@example.com", "agent-password").await;

    let (status, global) = add(&admin, json!({"kind": "global"}), "Thanks").await;
    assert_eq!(status, 201, "{global}");
    assert_eq!(global["shortcut"], "thanks", "stored lower-cased");
    let (status, hours) = add(&boss, json!({"kind": "site", "site": "s_demo"}), "hours").await;
    assert_eq!(status, 201, "{hours}");
    let (status, blog_one) = add(&admin, json!({"kind": "site", "site": blog}), "blog").await;
    assert_eq!(status, 201, "{blog_one}");
    let (status, mine) = add(&sara, json!({"kind": "personal"}), "bye").await;
    assert_eq!(status, 201, "{mine}");

    // Who may add what.
    for (api, scope) in [
        (&sara, json!({"kind": "global"})),
        (&sara, json!({"kind": "site", "site": "s_demo"})),
        (&boss, json!({"kind": "global"})),
        (&boss, json!({"kind": "site", "site": blog})),
    ] {
        let (status, e) = add(api, scope.clone(), "nope").await;
        assert_eq!((status, &e["code"]), (403, &json!("forbidden")), "{scope}");
    }
    let (status, e) = add(&admin, json!({"kind": "site", "site": "s_nope"}), "x").await;
    assert_eq!((status, &e["field"]), (400, &json!("scope.site")));
    let (status, e) = add(&sara, json!({"kind": "personal"}), "two words").await;
    assert_eq!((status, &e["field"]), (400, &json!("shortcut")));
    let (status, e) = sara
        .post(
            "/api/canned",
            json!({"scope": {"kind": "personal"}, "title": "t", "shortcut": "long", "body": "x".repeat(5001)}),
        )
        .await;
    assert_eq!((status, &e["field"]), (400, &json!("body")));

    // Who sees what.
    assert_eq!(shortcuts(&sara, "").await, ["bye", "hours", "thanks"]);
    assert_eq!(shortcuts(&omar, "").await, ["blog", "thanks"]);
    assert_eq!(shortcuts(&boss, "").await, ["hours", "thanks"]);
    assert_eq!(shortcuts(&admin, "").await, ["blog", "hours", "thanks"]);
    assert_eq!(shortcuts(&admin, "?site=s_demo").await, ["hours", "thanks"]);

    // Changing and deleting: the owner's or a manager's; others get 404
    // (or 403 when they may use it but not change it).
    let id = |c: &serde_json::Value| c["id"].as_str().unwrap().to_owned();
    let (status, _) = admin
        .patch(&format!("/api/canned/{}", id(&mine)), json!({"title": "x"}))
        .await;
    assert_eq!(status, 404, "an admin does not see a personal one");
    assert_eq!(
        omar.delete(&format!("/api/canned/{}", id(&hours))).await.0,
        404
    );
    let (status, e) = sara
        .patch(
            &format!("/api/canned/{}", id(&hours)),
            json!({"body": "mine now"}),
        )
        .await;
    assert_eq!((status, &e["code"]), (403, &json!("forbidden")));
    let (status, changed) = boss
        .patch(
            &format!("/api/canned/{}", id(&hours)),
            json!({"body": "We open at 9, {visitor.name|friend}.", "shortcut": "open"}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["shortcut"], "open");
    assert_eq!(changed["scope"], json!({"kind": "site", "site": "s_demo"}));
    let (status, e) = boss
        .patch(&format!("/api/canned/{}", id(&hours)), json!({"title": ""}))
        .await;
    assert_eq!((status, &e["field"]), (400, &json!("title")));
    assert_eq!(
        sara.delete(&format!("/api/canned/{}", id(&mine))).await.0,
        204
    );
    assert_eq!(shortcuts(&sara, "").await, ["open", "thanks"]);

    // A deleted site takes its responses along.
    assert_eq!(admin.delete(&format!("/api/sites/{blog}")).await.0, 204);
    assert_eq!(shortcuts(&admin, "").await, ["open", "thanks"]);
}
