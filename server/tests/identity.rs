//! Issue 11, item 3: verified identity. A site's server signs its user's id
//! with the site's secret; with a valid signature the visitor is that user
//! on every device, and only a hello holding the signature reaches their
//! conversation — a forged hash, another user's hash replayed for this id,
//! or the bound visitor's token without the signature reach nothing. In
//! the "required" mode unsigned identities are refused too. Attributes the
//! page sets reach the agent.

use crate::common::*;
use ahlan_server::identity::sign;
use serde_json::{json, Value};

fn site() -> String {
    format!("/api/sites/{}", ahlan_server::seed::DEMO_SITE_ID)
}

/// A visitor socket saying hello with `token` and `identity`.
async fn hello(server: &TestServer, token: Option<&str>, identity: Value) -> (Ws, Value) {
    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(
        json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
        "token": token, "identity": identity}),
    )
    .await;
    let welcome = ws.expect("welcome").await;
    (ws, welcome)
}

#[actix_web::test]
async fn a_signed_user_finds_their_chat_on_every_device_and_nobody_else_does() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // Only admins see the secret; no cache keeps it.
    let (status, identity) = admin.get(&format!("{}/identity", site())).await;
    assert_eq!(status, 200, "{identity}");
    let secret = identity["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    assert_eq!(identity["required"], false);
    server.add_agent("Sara", 3).await;
    let sara = Api::login(&server, "sara@example.com", "agent-password").await;
    assert_eq!(sara.get(&format!("{}/identity", site())).await.0, 403);
    let (_, info) = sara.get(&site()).await;
    assert!(info.get("identity_secret").is_none() && !info.to_string().contains(&secret));

    let cookie = server.login("sara@example.com", "agent-password").await;
    let (mut agent, _) = server.agent_socket(&cookie).await;
    agent.expect("ready").await;

    // The phone: anonymous first, then the page learns who it is.
    let (mut phone, welcome) = server.visitor().await;
    let phone_token = welcome["token"].as_str().unwrap().to_owned();
    phone.send(send_frame("m1", "Before I logged in")).await;
    phone.expect("ack").await;
    drop(phone);
    let leila = json!({"user_id": "user-42", "name": "Leila", "email": "leila@example.com",
        "hash": sign(&secret, "user-42")});
    let (mut phone, welcome) = hello(&server, Some(&phone_token), leila.clone()).await;
    assert_eq!(
        welcome["conversation"]["last_seq"], 1,
        "what they wrote before logging in is theirs: {welcome}"
    );
    phone
        .send(json!({"type": "attributes", "attributes": {"plan": "Pro", "orders": "3"}}))
        .await;
    phone.send(send_frame("m2", "Logged in now")).await;
    phone.expect("ack").await;
    let conv = agent
        .until(|f| {
            let v = &f["conversation"]["visitor"];
            f["type"] == "conversation" && v["user_id"] == "user-42" && v["name"] == "Leila"
        })
        .await;
    let v = &conv["conversation"]["visitor"];
    assert_eq!(
        (v["name"].as_str(), v["email"].as_str()),
        (Some("Leila"), Some("leila@example.com"))
    );
    let conv_id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    let (_, context) = sara
        .get(&format!("/api/conversations/{conv_id}/context"))
        .await;
    assert_eq!(
        context["visitor"]["attributes"],
        json!({"plan": "Pro", "orders": "3"}),
        "{context}"
    );

    // The laptop (no token) with the signature: the same conversation.
    let (mut laptop, welcome) = hello(&server, None, leila.clone()).await;
    assert_eq!(welcome["conversation"]["id"], conv_id.as_str(), "{welcome}");
    let replay = laptop.visitor_frames_before_sentinel().await;
    let bodies: Vec<_> = replay
        .iter()
        .filter(|f| f["type"] == "message")
        .map(|f| f["message"]["body"].clone())
        .collect();
    assert_eq!(
        bodies,
        [json!("Before I logged in"), json!("Logged in now")]
    );

    // Nobody else: a forged hash, user 42's hash replayed for user 43, a
    // hash made with another secret, no hash for a bound visitor's token.
    for (token, identity, code) in [
        (
            None,
            json!({"user_id": "user-42", "hash": "00".repeat(32)}),
            Some("identity_invalid"),
        ),
        (
            None,
            json!({"user_id": "user-43", "hash": sign(&secret, "user-42")}),
            Some("identity_invalid"),
        ),
        (
            None,
            json!({"user_id": "user-42", "hash": sign("other", "user-42")}),
            Some("identity_invalid"),
        ),
        (Some(phone_token.as_str()), Value::Null, None),
        (
            Some(phone_token.as_str()),
            json!({"user_id": "user-42"}),
            None,
        ),
    ] {
        let (mut ws, welcome) = hello(&server, token, identity.clone()).await;
        assert!(welcome["conversation"].is_null(), "{identity}: {welcome}");
        assert_ne!(
            welcome["token"],
            phone_token.as_str(),
            "{identity}: a fresh token"
        );
        match code {
            Some(code) => assert_eq!(ws.expect("error").await["code"], code, "{identity}"),
            None => assert!(
                ws.visitor_frames_before_sentinel().await.is_empty(),
                "{identity}"
            ),
        }
    }

    // Unsigned (allowed by default): the name reaches the agent, the id is
    // an attribute, and it reaches nobody's conversation.
    let (mut omar, welcome) =
        hello(&server, None, json!({"user_id": "user-42", "name": "Omar"})).await;
    assert!(welcome["conversation"].is_null());
    omar.send(send_frame("o1", "Hi, Omar here")).await;
    omar.expect("ack").await;
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["visitor"]["name"] == "Omar")
        .await;
    let v = &conv["conversation"]["visitor"];
    assert_eq!(v["attributes"]["user_id"], "user-42");
    assert!(v.get("user_id").is_none(), "not verified: {v}");
    assert_ne!(conv["conversation"]["id"], conv_id.as_str());

    // Required: unsigned identities are refused (the visitor stays
    // anonymous), signed ones still work. A rotated secret voids old hashes.
    let (status, _) = admin
        .patch(&site(), json!({"identity_required": true}))
        .await;
    assert_eq!(status, 200);
    let (mut ws, welcome) =
        hello(&server, None, json!({"user_id": "user-42", "name": "Eve"})).await;
    assert!(welcome["conversation"].is_null());
    assert_eq!(ws.expect("error").await["code"], "identity_required");
    let (_, welcome) = hello(&server, None, leila.clone()).await;
    assert_eq!(welcome["conversation"]["id"], conv_id.as_str());
    let (status, rotated) = admin
        .post(&format!("{}/identity/rotate", site()), Value::Null)
        .await;
    assert_eq!(status, 200, "{rotated}");
    assert_ne!(rotated["secret"], secret.as_str());
    assert_eq!(rotated["required"], true);
    let (mut ws, welcome) = hello(&server, None, leila).await;
    assert!(welcome["conversation"].is_null());
    assert_eq!(ws.expect("error").await["code"], "identity_invalid");

    // Bad attributes are refused with a reason, and nothing is kept.
    laptop
        .send(json!({"type": "attributes", "attributes": {"has space": "x"}}))
        .await;
    let e = laptop.expect("error").await;
    assert_eq!(e["code"], "bad_request");
    assert!(e["message"].as_str().unwrap().contains("has space"), "{e}");
}
