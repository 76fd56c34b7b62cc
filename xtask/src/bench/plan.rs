//! What a benchmark run measures: four deployments, the scenarios each
//! runs, and their sizes (full, or `--quick` to check the plumbing).

use serde_json::{json, Value};

/// A deployment under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deploy {
    /// One Ahlan node, embedded store.
    Ahlan,
    /// Two Ahlan nodes sharing one Redis; visitors on one, agents on the other.
    AhlanRedis,
    /// The bare actix-ws relay: this machine's ceiling.
    Relay,
    /// Two socket.io 4 processes with the Redis adapter.
    SocketIo,
}

impl Deploy {
    pub const ALL: [Deploy; 4] = [
        Deploy::Ahlan,
        Deploy::AhlanRedis,
        Deploy::Relay,
        Deploy::SocketIo,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Deploy::Ahlan => "ahlan-1",
            Deploy::AhlanRedis => "ahlan-redis-2",
            Deploy::Relay => "relay",
            Deploy::SocketIo => "socketio-redis-2",
        }
    }

    /// `ahlan-load --target`.
    pub fn load_target(self) -> &'static str {
        match self {
            Deploy::Ahlan | Deploy::AhlanRedis => "ahlan",
            Deploy::Relay => "relay",
            Deploy::SocketIo => "socketio",
        }
    }

    pub fn nodes(self) -> usize {
        match self {
            Deploy::Ahlan | Deploy::Relay => 1,
            Deploy::AhlanRedis | Deploy::SocketIo => 2,
        }
    }

    pub fn uses_redis(self) -> bool {
        self.nodes() > 1
    }

    pub fn is_ahlan(self) -> bool {
        matches!(self, Deploy::Ahlan | Deploy::AhlanRedis)
    }
}

/// One scenario with its `ahlan-load` arguments.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub key: &'static str,
    args: Vec<String>,
    /// Routing and resume exist only in Ahlan.
    ahlan_only: bool,
    /// More flags for the Ahlan servers it runs against.
    server_args: Vec<String>,
}

impl Scenario {
    fn new(key: &'static str, ahlan_only: bool, args: &[&str]) -> Self {
        Self {
            key,
            args: args.iter().map(|a| a.to_string()).collect(),
            ahlan_only,
            server_args: Vec::new(),
        }
    }

    /// Ahlan servers run with these flags too.
    fn serving(mut self, args: &[&str]) -> Self {
        self.server_args = args.iter().map(|a| a.to_string()).collect();
        self
    }

    pub fn server_args(&self) -> &[String] {
        &self.server_args
    }

    pub fn runs_on(&self, deploy: Deploy) -> bool {
        deploy.is_ahlan() || !self.ahlan_only
    }

    pub fn args(&self) -> &[String] {
        &self.args
    }
}

/// Sizes and repeats.
pub struct Plan {
    pub repeats: usize,
    pub timing_runs: usize,
    pub scenarios: Vec<Scenario>,
}

impl Plan {
    /// The published report's plan: about 15 minutes on 2 cores with the
    /// build.
    pub fn full() -> Self {
        Self {
            repeats: 3,
            timing_runs: 5,
            scenarios: vec![
                Scenario::new(
                    "idle",
                    false,
                    &["idle", "--visitors", "15000", "--hold-secs", "1"],
                ),
                Scenario::new(
                    "chat-max",
                    false,
                    &[
                        "chat", "--pairs", "200", "--agents", "20", "--window", "4", "--secs", "4",
                    ],
                ),
                Scenario::new(
                    "chat-5k",
                    false,
                    &[
                        "chat", "--pairs", "1000", "--agents", "50", "--window", "8", "--rate",
                        "5000", "--secs", "8",
                    ],
                ),
                Scenario::new(
                    "chat-20k",
                    false,
                    &[
                        "chat", "--pairs", "1000", "--agents", "50", "--window", "8", "--rate",
                        "20000", "--secs", "8",
                    ],
                ),
                Scenario::new(
                    "assign",
                    true,
                    &["assign", "--visitors", "1000", "--agents", "50"],
                ),
                Scenario::new(
                    "storm",
                    true,
                    &["storm", "--visitors", "1000", "--agents", "50"],
                ),
                Scenario::new(
                    "soak",
                    true,
                    &["soak", "--cycles", "8", "--visitors", "300"],
                ),
                Scenario::new("reports", true, &["reports", "--requests", "30"])
                    .serving(&["--demo-history", "100000"]),
            ],
        }
    }

    /// A small run that exercises every path in about a minute.
    pub fn quick() -> Self {
        Self {
            repeats: 1,
            timing_runs: 1,
            scenarios: vec![
                Scenario::new(
                    "idle",
                    false,
                    &["idle", "--visitors", "300", "--hold-secs", "0.5"],
                ),
                Scenario::new(
                    "chat-max",
                    false,
                    &[
                        "chat", "--pairs", "20", "--agents", "4", "--window", "4", "--secs", "1",
                    ],
                ),
                Scenario::new(
                    "chat-5k",
                    false,
                    &[
                        "chat", "--pairs", "50", "--agents", "5", "--window", "8", "--rate", "500",
                        "--secs", "1",
                    ],
                ),
                Scenario::new(
                    "assign",
                    true,
                    &["assign", "--visitors", "50", "--agents", "5"],
                ),
                Scenario::new(
                    "storm",
                    true,
                    &["storm", "--visitors", "50", "--agents", "5"],
                ),
                Scenario::new("soak", true, &["soak", "--cycles", "3", "--visitors", "30"]),
                Scenario::new("reports", true, &["reports", "--requests", "5"])
                    .serving(&["--demo-history", "5000"]),
            ],
        }
    }

    /// The plan as data, for the results file.
    pub fn describe(&self) -> Value {
        json!(self
            .scenarios
            .iter()
            .map(|s| json!({"scenario": s.key, "args": s.args, "ahlan_only": s.ahlan_only, "server_args": s.server_args}))
            .collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_skip_routing_scenarios() {
        let plan = Plan::full();
        let assign = plan.scenarios.iter().find(|s| s.key == "assign").unwrap();
        assert!(assign.runs_on(Deploy::AhlanRedis));
        assert!(!assign.runs_on(Deploy::SocketIo));
        let chat = plan.scenarios.iter().find(|s| s.key == "chat-max").unwrap();
        assert!(Deploy::ALL.iter().all(|d| chat.runs_on(*d)));
    }
}
