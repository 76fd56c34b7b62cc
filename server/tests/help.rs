//! Issue 12, item 5: help articles. Supervisors and admins write a site's
//! articles in the console; visitors search them in the widget and get
//! them suggested while typing their first message — an Arabic question
//! finds its article whatever alef, yeh or teh marbuta it is typed with;
//! opening one counts, and so does writing to the team afterwards (the
//! article did not answer). Bad input gets a clear code and the socket
//! stays usable.

use crate::common::*;
use serde_json::{json, Value};

fn article(lang: &str, title: &str, body: &str) -> Value {
    json!({"lang": lang, "title": title, "body": body})
}

/// A visitor of the demo site whose widget speaks `locale`.
async fn visitor_in(server: &TestServer, locale: &str) -> Ws {
    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(
        json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
        "locale": locale}),
    )
    .await;
    ws.expect("welcome").await;
    ws
}

fn titles(frame: &Value) -> Vec<String> {
    frame["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

/// The figures of the article `id` as the console lists them.
async fn figures(api: &Api, path: &str, id: &str) -> (u64, u64) {
    let (status, all) = api.get(path).await;
    assert_eq!(status, 200, "{all}");
    let row = all
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["article"]["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed: {all}"));
    (
        row["stats"]["opens"].as_u64().unwrap(),
        row["stats"]["asked_after"].as_u64().unwrap(),
    )
}

#[actix_web::test]
async fn articles_are_written_in_the_console_found_by_visitors_and_counted() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let path = format!("/api/sites/{}/articles", ahlan_server::seed::DEMO_SITE_ID);
    server.add_agent("Sara", 3).await;
    server.add_supervisor("Maryam").await;
    server.add_site("pk_other", "https://other.example").await;
    server.add_agent_of("Omar", "pk_other").await;
    let sara = Api::login(&server, "sara@example.com", "agent-password").await;
    let maryam = Api::login(&server, "maryam@example.com", "agent-password").await;
    let omar = Api::login(&server, "omar@example.com", "agent-password").await;

    // Each field is checked and named.
    for (bad, field) in [
        (article("de", "Hallo", "Text"), "lang"),
        (article("en", "  ", "Text"), "title"),
        (article("en", "Two\nlines", "Text"), "title"),
        (article("ar", "سؤال", &"ع".repeat(10_001)), "body"),
    ] {
        let (status, body) = admin.post(&path, bad).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{body}"
        );
    }
    // Agents read, supervisors of the site write; another site's agent
    // does not even see the site.
    let (status, body) = sara.post(&path, article("en", "Mine", "Text")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    assert_eq!(sara.get(&path).await, (200, json!([])));
    assert_eq!(omar.get(&path).await.0, 404);
    assert_eq!(omar.post(&path, article("en", "x", "y")).await.0, 404);

    // A full-length Arabic answer is taken (far over the API's usual
    // 16 KiB of JSON).
    let (status, pw) = maryam
        .post(
            &path,
            article(
                "ar",
                "كيف أغيّر كلمة المرور؟",
                "من **الإعدادات** اختر «الأمان» ثم كلمة المرور.",
            ),
        )
        .await;
    assert_eq!(status, 201, "{pw}");
    let long_body = format!("الشحن {}", "ع".repeat(9_000));
    let (status, ship) = admin
        .post(&path, article("ar", "متى يصل طلبي؟", &long_body))
        .await;
    assert_eq!(status, 201, "{ship}");
    let (status, order) = admin
        .post(
            &path,
            article("en", "Where is my order?", "Orders ship within *2 days*."),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    let pw_id = pw["id"].as_str().unwrap().to_owned();

    // Before hello: refused.
    let mut early = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    early.send(json!({"type": "help", "query": "x"})).await;
    assert_eq!(early.expect("error").await["code"], "hello_required");

    // An Arabic visitor types their first message with plain alef, heh
    // for teh marbuta and no shadda: the article is suggested.
    let mut visitor = visitor_in(&server, "ar").await;
    visitor
        .send(json!({"type": "help", "query": "كيف اغير كلمه المرور", "ask": "suggest"}))
        .await;
    let found = visitor.expect("help").await;
    assert_eq!(found["ask"], "suggest", "{found}");
    assert_eq!(found["query"], "كيف اغير كلمه المرور");
    assert_eq!(titles(&found), ["كيف أغيّر كلمة المرور؟"], "{found}");
    // The empty search lists the visitor's language's articles only; a
    // search finds across languages by their words.
    visitor.send(json!({"type": "help", "query": ""})).await;
    let listed = visitor.expect("help").await;
    assert_eq!(listed["ask"], "search");
    assert_eq!(titles(&listed), ["كيف أغيّر كلمة المرور؟", "متى يصل طلبي؟"]);
    visitor
        .send(json!({"type": "help", "query": "ORDER"}))
        .await;
    assert_eq!(
        titles(&visitor.expect("help").await),
        ["Where is my order?"]
    );
    // Stop words alone find nothing.
    visitor
        .send(json!({"type": "help", "query": "كيف هل من"}))
        .await;
    assert_eq!(visitor.expect("help").await["articles"], json!([]));

    // Opening counts; a plain-text excerpt came with the hit.
    assert!(found["articles"][0]["excerpt"]
        .as_str()
        .unwrap()
        .starts_with("من الإعدادات"));
    visitor.send(json!({"type": "article", "id": pw_id})).await;
    let read = visitor.expect("article").await;
    assert_eq!(read["article"]["body"], pw["body"], "{read}");
    // Counted after the article is sent: done once the socket has
    // handled the next frame.
    assert!(visitor.visitor_frames_before_sentinel().await.is_empty());
    assert_eq!(figures(&admin, &path, &pw_id).await, (1, 0));
    // Writing afterwards counts as asked-after, once.
    visitor
        .send(send_frame("m1", "ما زلت لا أستطيع تغيير كلمة المرور"))
        .await;
    visitor.expect("ack").await;
    visitor.send(send_frame("m2", "هل من أحد؟")).await;
    visitor.expect("ack").await;
    visitor.visitor_frames_before_sentinel().await;
    assert_eq!(figures(&admin, &path, &pw_id).await, (1, 1));
    // Another visitor reads it and does not write: helped.
    let mut helped = visitor_in(&server, "fa").await;
    helped.send(json!({"type": "article", "id": pw_id})).await;
    helped.expect("article").await;
    helped.visitor_frames_before_sentinel().await;
    assert_eq!(figures(&admin, &path, &pw_id).await, (2, 1));

    // Bad asks get a clear code, and the socket stays usable.
    visitor
        .send(json!({"type": "help", "query": "x".repeat(301)}))
        .await;
    assert_eq!(visitor.expect("error").await["code"], "bad_request");
    visitor.send(json!({"type": "help"})).await;
    assert_eq!(visitor.expect("error").await["code"], "malformed_frame");
    visitor
        .send(json!({"type": "article", "id": "ar_nope"}))
        .await;
    assert_eq!(visitor.expect("error").await["code"], "not_found");
    let (status, foreign) = admin
        .post(
            "/api/sites/s_pk_other/articles",
            article("en", "Elsewhere", "Another site's answer."),
        )
        .await;
    assert_eq!(status, 201, "{foreign}");
    visitor
        .send(json!({"type": "article", "id": foreign["id"]}))
        .await;
    assert_eq!(
        visitor.expect("error").await["code"],
        "not_found",
        "another site's article"
    );
    visitor
        .send(json!({"type": "help", "query": "elsewhere"}))
        .await;
    assert_eq!(visitor.expect("help").await["articles"], json!([]));
    // A flood is cut, not the connection.
    for n in 0..30 {
        visitor
            .send(json!({"type": "help", "query": format!("q{n}")}))
            .await;
    }
    let flood = visitor.visitor_frames_before_sentinel().await;
    let limited = flood
        .iter()
        .filter(|f| f["type"] == "error" && f["code"] == "rate_limited")
        .count();
    let answered = flood.iter().filter(|f| f["type"] == "help").count();
    assert!(limited > 0 && answered > 0, "{flood:?}");
    assert_eq!(limited + answered, 30, "{flood:?}");

    // A rewrite keeps the figures; a deleted article is gone for visitors.
    let one = format!("{path}/{pw_id}");
    let (status, body) = maryam
        .put(&one, article("ar", "كيف أغيّر كلمة السر؟", "من الإعدادات."))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(figures(&admin, &path, &pw_id).await, (2, 1));
    let (status, body) = sara.put(&one, article("ar", "x", "y")).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(admin.delete(&one).await.0, 204);
    assert_eq!(admin.delete(&one).await.0, 404);
    assert_eq!(admin.put(&one, article("ar", "x", "y")).await.0, 404);
    let mut late = visitor_in(&server, "ar").await;
    late.send(json!({"type": "article", "id": pw_id})).await;
    assert_eq!(late.expect("error").await["code"], "not_found");
    late.send(json!({"type": "help", "query": "كلمه السر"}))
        .await;
    assert_eq!(late.expect("help").await["articles"], json!([]));
}
