//! Issue 12, item 6: proactive messages. The owner writes rules in the
//! console (checked field by field); the launcher's look carries the rules
//! that greet a visitor of its language (on, with a text in it) so the
//! loader can evaluate them without the widget; a visitor whose widget
//! showed a rule's text and who then writes has a conversation that says
//! it started from it — only for a real rule of the site, in a language
//! it has.

use crate::common::*;
use serde_json::{json, Value};

fn rules() -> Value {
    json!([
        {"name": "Pricing", "url": {"kind": "contains", "value": "/pricing"},
         "after_secs": 5, "min_visits": 1,
         "messages": {"en": "Questions about our plans?", "fa": "دربارهٔ طرح‌ها پرسشی دارید؟"}},
        {"name": "Loyal", "url": {"kind": "any"}, "min_visits": 3,
         "messages": {"en": "Welcome back!"}},
        {"name": "Off", "url": {"kind": "glob", "value": "*/checkout*"},
         "messages": {"fa": "کمک می‌خواهید؟"}, "enabled": false}
    ])
}

async fn launcher(server: &TestServer, langs: &str) -> Value {
    let url = format!(
        "{}/widget/launcher?site={}&origin={}&langs={langs}",
        server.url, server.site_key, SITE_ORIGIN
    );
    let res = reqwest::get(url).await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[actix_web::test]
async fn rules_reach_the_loader_by_language_and_mark_the_conversations_they_start() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let site = format!("/api/sites/{}", ahlan_server::seed::DEMO_SITE_ID);

    // Each rule is checked, and the 400 names the rule and its field.
    let bad = [
        (
            json!([{"name": "", "url": {"kind": "any"}, "messages": {"en": "Hi"}}]),
            "proactive[0].name",
        ),
        (
            json!([{"name": "x", "url": {"kind": "contains", "value": " "}, "messages": {"en": "Hi"}}]),
            "proactive[0].url",
        ),
        (
            json!([{"name": "x", "url": {"kind": "any"}, "after_secs": 3601, "messages": {"en": "Hi"}}]),
            "proactive[0].after_secs",
        ),
        (
            json!([{"name": "x", "url": {"kind": "any"}, "min_visits": 0, "messages": {"en": "Hi"}}]),
            "proactive[0].min_visits",
        ),
        (
            json!([{"name": "x", "url": {"kind": "any"}, "messages": {"de": "Hallo"}}]),
            "proactive[0].messages",
        ),
        (
            json!([{"name": "x", "url": {"kind": "any"}, "messages": {}}]),
            "proactive[0].messages",
        ),
    ];
    for (rules, field) in bad {
        let (status, body) = admin.patch(&site, json!({ "proactive": rules })).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{body}"
        );
    }
    let eleven: Vec<Value> = (0..11)
        .map(|n| json!({"name": format!("r{n}"), "url": {"kind": "any"}, "messages": {"en": "Hi"}}))
        .collect();
    let (status, body) = admin.patch(&site, json!({ "proactive": eleven })).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("proactive")),
        "{body}"
    );
    let (status, body) = admin
        .patch(&site, json!({"proactive": [{"name": "x", "url": {"kind": "nearby"}, "messages": {"en": "Hi"}}]}))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );

    // Kept with ids given by the server.
    let (status, saved) = admin.patch(&site, json!({ "proactive": rules() })).await;
    assert_eq!(status, 200, "{saved}");
    let kept = saved["proactive"].as_array().unwrap();
    assert_eq!(kept.len(), 3);
    let pricing = kept[0]["id"].as_str().unwrap().to_owned();
    assert!(pricing.starts_with("pr_"), "{pricing}");
    assert_eq!(kept[1]["after_secs"], 0);
    // Saving them back as read changes nothing (ids are kept).
    let (_, again) = admin.patch(&site, json!({ "proactive": kept })).await;
    assert_eq!(again["proactive"], saved["proactive"]);

    // The loader gets the rules that greet its visitor, without texts.
    let en = launcher(&server, "en-GB,en").await;
    let ids: Vec<&str> = en["proactive"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{en}");
    assert_eq!(ids[0], pricing);
    assert_eq!(
        en["proactive"][0]["url"],
        json!({"kind": "contains", "value": "/pricing"})
    );
    assert_eq!(en["proactive"][0]["after_secs"], 5);
    assert!(
        en["proactive"][0].get("messages").is_none(),
        "no texts: {en}"
    );
    let fa = launcher(&server, "fa-IR").await;
    assert_eq!(fa["lang"], "fa");
    assert_eq!(
        fa["proactive"].as_array().unwrap().len(),
        1,
        "the Persian-speaking rule that is on: {fa}"
    );
    // No rule speaks Arabic: the look says nothing of rules, and the loader
    // then fetches no proactive.js.
    let ar = launcher(&server, "ar").await;
    assert_eq!(ar["lang"], "ar");
    assert!(ar.get("proactive").is_none(), "no rules: {ar}");

    // A visitor greeted by the pricing rule writes: the conversation says
    // where it began.
    let mut visitor = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    visitor
        .send(
            json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
            "locale": "fa-IR", "proactive": {"rule": pricing, "lang": "fa"}}),
        )
        .await;
    visitor.expect("welcome").await;
    visitor
        .send(send_frame("m1", "بله، قیمت سالانه چقدر است؟"))
        .await;
    let ack = visitor.expect("ack").await;
    let conv = ack["conversation"].as_str().unwrap().to_owned();
    let started = |body: &Value| body["visitor"]["attributes"]["proactive message"].clone();
    let context = eventually("the note of the greeting", || async {
        let (status, body) = admin
            .get(&format!("/api/conversations/{conv}/context"))
            .await;
        if status == 200 && started(&body) != Value::Null {
            Ok(body)
        } else {
            Err(format!("{status} {body}"))
        }
    })
    .await;
    assert_eq!(started(&context), "دربارهٔ طرح‌ها پرسشی دارید؟");

    // An unknown rule, a language it has no text in, or a switched-off
    // rule note nothing.
    let off = kept[2]["id"].as_str().unwrap().to_owned();
    for (rule, lang) in [
        ("pr_nope", "en"),
        (pricing.as_str(), "ar"),
        (off.as_str(), "fa"),
    ] {
        let mut other = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
        other
            .send(
                json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
                "proactive": {"rule": rule, "lang": lang}}),
            )
            .await;
        other.expect("welcome").await;
        other.send(send_frame("m1", "Hello")).await;
        let id = other.expect("ack").await["conversation"]
            .as_str()
            .unwrap()
            .to_owned();
        other.visitor_frames_before_sentinel().await;
        let (_, body) = admin.get(&format!("/api/conversations/{id}/context")).await;
        assert_eq!(started(&body), Value::Null, "{rule} {lang}: {body}");
    }
}
