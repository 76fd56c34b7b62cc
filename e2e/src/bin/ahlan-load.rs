//! `ahlan-load`: load for Ahlan and the benchmark baselines over loopback,
//! bounded in count and time. Prints one JSON object (the scenario's
//! result) on stdout; progress and errors go to stderr.
//!
//! ```text
//! ahlan-load --target ahlan --visitor-url http://127.0.0.1:PORT [--agent-url …] \
//!            --site pk_… --admin-password … chat --pairs 500 --agents 50 --secs 10
//! ahlan-load --target socketio --visitor-url … --agent-url … idle --visitors 15000 --pid 123
//! ```

use ahlan_e2e::load::{assign, chat, idle, reports, soak, storm, Kind, Target};
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ahlan-load",
    about = "Load generator for Ahlan and its baselines"
)]
struct Args {
    /// What serves the load.
    #[arg(long, value_enum, default_value = "ahlan")]
    target: Kind,
    /// Base URL visitors connect to (http://127.0.0.1:PORT).
    #[arg(long)]
    visitor_url: String,
    /// Base URL agents connect to [default: the visitors'].
    #[arg(long)]
    agent_url: Option<String>,
    /// Base URL visitors resume on after a drop [default: the agents'].
    #[arg(long)]
    resume_url: Option<String>,
    /// Ahlan: the demo site's public key.
    #[arg(long, default_value = "")]
    site: String,
    /// Ahlan: the admin who adds the bench agents.
    #[arg(long, default_value = "admin@ahlan.local")]
    admin_email: String,
    #[arg(long, default_value = "")]
    admin_password: String,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// Hold idle visitor connections; server memory per connection.
    Idle {
        #[arg(long, default_value_t = 10_000)]
        visitors: usize,
        #[arg(long, default_value_t = 5.0)]
        hold_secs: f64,
        /// Server process ids whose resident memory counts (repeatable).
        #[arg(long = "pid")]
        pids: Vec<u32>,
        /// A Redis (host:port) whose used memory counts too.
        #[arg(long)]
        redis: Option<String>,
    },
    /// Visitor → agent messages with a window in flight or at a rate.
    Chat {
        #[arg(long, default_value_t = 200)]
        pairs: usize,
        #[arg(long, default_value_t = 20)]
        agents: usize,
        #[arg(long, default_value_t = 4)]
        window: u32,
        /// Offered messages per second in all [default: closed loop].
        #[arg(long)]
        rate: Option<f64>,
        #[arg(long, default_value_t = 10.0)]
        secs: f64,
    },
    /// A burst of new conversations; time to assignment.
    Assign {
        #[arg(long, default_value_t = 500)]
        visitors: usize,
        #[arg(long, default_value_t = 20)]
        agents: usize,
    },
    /// Time a site's report (the server holds `--demo-history`).
    Reports {
        #[arg(long, default_value_t = 20)]
        requests: usize,
        #[arg(long, default_value = "30d")]
        period: String,
    },
    /// Drop and resume every visitor at once.
    Storm {
        #[arg(long, default_value_t = 500)]
        visitors: usize,
        #[arg(long, default_value_t = 20)]
        agents: usize,
    },
    /// Cycles of new visitors chatting, oversized and garbage frames,
    /// everyone leaving; server memory after each cycle.
    Soak {
        #[arg(long, default_value_t = 8)]
        cycles: usize,
        #[arg(long, default_value_t = 300)]
        visitors: usize,
        #[arg(long, default_value_t = 3)]
        messages: usize,
        #[arg(long, default_value_t = 5)]
        agents: usize,
        /// Server process ids whose resident memory counts (repeatable).
        #[arg(long = "pid")]
        pids: Vec<u32>,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    // One thread: the load generator gets its own core (taskset) and the
    // servers the other; a second worker would only contend with them.
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ahlan-load: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(args)) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ahlan-load: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<serde_json::Value> {
    let agent_base = args.agent_url.unwrap_or_else(|| args.visitor_url.clone());
    let target = Target {
        kind: args.target,
        resume_base: args.resume_url.unwrap_or_else(|| agent_base.clone()),
        visitor_base: args.visitor_url,
        agent_base,
        site: args.site,
        admin_email: args.admin_email,
        admin_password: args.admin_password,
    };
    match args.scenario {
        Scenario::Idle {
            visitors,
            hold_secs,
            pids,
            redis,
        } => {
            idle::run(
                &target,
                &idle::IdleOpts {
                    visitors,
                    hold_secs,
                    pids,
                    redis,
                },
            )
            .await
        }
        Scenario::Chat {
            pairs,
            agents,
            window,
            rate,
            secs,
        } => {
            chat::run(
                &target,
                &chat::ChatOpts {
                    pairs,
                    agents,
                    window,
                    rate,
                    secs,
                },
            )
            .await
        }
        Scenario::Assign { visitors, agents } => {
            assign::run(&target, &assign::AssignOpts { visitors, agents }).await
        }
        Scenario::Reports { requests, period } => {
            reports::run(&target, &reports::ReportsOpts { requests, period }).await
        }
        Scenario::Storm { visitors, agents } => {
            storm::run(&target, &storm::StormOpts { visitors, agents }).await
        }
        Scenario::Soak {
            cycles,
            visitors,
            messages,
            agents,
            pids,
        } => {
            let opts = soak::SoakOpts {
                cycles,
                visitors,
                messages,
                agents,
                pids,
            };
            soak::run(&target, &opts).await
        }
    }
}
