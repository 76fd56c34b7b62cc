//! `bench-relay`: the ceiling baseline of `cargo xtask bench`. A bare
//! actix-ws server that forwards each visitor's text frames to the agent
//! socket it names and does nothing else: no parsing, no storage, no
//! routing. Whatever Ahlan does beyond this is what its features cost.
//!
//! `GET /ws?role=agent&id=N` registers agent N; `GET /ws?role=visitor&agent=N`
//! is a visitor whose frames go to agent N (dropped when N is not there).
//! Prints `listening: http://ADDR` on stdout once bound.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use actix_ws::{AggregatedMessage, Session};
use futures_util::StreamExt;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

type Agents = Arc<Mutex<HashMap<u32, Session>>>;

#[derive(Deserialize)]
struct Query {
    role: String,
    id: Option<u32>,
    agent: Option<u32>,
}

async fn socket(
    req: HttpRequest,
    body: web::Payload,
    q: web::Query<Query>,
    agents: web::Data<Agents>,
) -> actix_web::Result<HttpResponse> {
    let (res, session, stream) = actix_ws::handle(&req, body)?;
    let mut stream = stream.aggregate_continuations();
    let agents: Agents = agents.get_ref().clone();
    let (role, id) = match (q.role.as_str(), q.id, q.agent) {
        ("agent", Some(id), _) => ("agent", id),
        ("visitor", _, Some(agent)) => ("visitor", agent),
        _ => return Ok(HttpResponse::BadRequest().body("role=agent&id=N or role=visitor&agent=N")),
    };
    if role == "agent" {
        agents
            .lock()
            .expect("not poisoned")
            .insert(id, session.clone());
    }
    let mut own = session;
    actix_web::rt::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            match msg {
                AggregatedMessage::Text(text) if role == "visitor" => {
                    let agent = agents.lock().expect("not poisoned").get(&id).cloned();
                    if let Some(mut agent) = agent {
                        let _ = agent.text(text).await;
                    }
                }
                AggregatedMessage::Ping(bytes) if own.pong(&bytes).await.is_err() => break,
                AggregatedMessage::Close(_) => break,
                _ => {}
            }
        }
        if role == "agent" {
            agents.lock().expect("not poisoned").remove(&id);
        }
        let _ = own.close(None).await;
    });
    Ok(res)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .skip_while(|a| a != "--bind")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let agents: Agents = Arc::default();
    let data = web::Data::new(agents);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/ws", web::get().to(socket))
    })
    .backlog(4096)
    .bind(&bind)?;
    let addr = server.addrs()[0];
    let mut out = std::io::stdout();
    writeln!(out, "listening: http://{addr}")?;
    out.flush()?;
    server.run().await
}
