//! A made-up month of figures, for trying the reports (`--demo-history N`)
//! and for the benchmark that times a report over 100,000 conversations.
//!
//! N conversations are spread over the last days the way a support desk's
//! traffic goes (weekday afternoons busy, nights and weekends quiet); each
//! lives a plausible chat — a wait in the queue, a first reply, a few
//! exchanges, sometimes a transfer, a reopening or a missed chat, often a
//! survey answer — and its steps run through the same clocks as a live
//! chat ([`super::clocks::step`]). The counts land in the buckets as the
//! recorder would write them. Only figures are made: no conversation or
//! message is stored, so the history stays empty.

use super::clocks::{step, Clocks, Step, Whose};
use super::tally::{hour_of, Count, Dim, TallyOp, HOUR};
use crate::store::{Store, StoreResult};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::{AgentId, Millis, SiteId, TeamId};
use std::collections::BTreeMap;

const MINUTE: Millis = 60_000;
const DAY: Millis = 24 * HOUR;

/// What to make.
#[derive(Debug, Clone)]
pub struct Plan {
    /// How many conversations.
    pub conversations: u32,
    /// Over how many days, ending `now` (the first starts at the UTC
    /// midnight `days - 1` days before today's).
    pub days: u32,
    /// Who answers them (at least one).
    pub agents: Vec<AgentId>,
    /// Their teams (may be empty).
    pub teams: Vec<TeamId>,
    /// The random seed: the same plan makes the same month.
    pub seed: u64,
}

/// What was made, counted from the made-up chats themselves (not from the
/// buckets): the figures a report of the same days must show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    /// Conversations opened.
    pub started: u64,
    /// Chats reopened.
    pub reopened: u64,
    /// Chats missed.
    pub missed: u64,
    /// Resolutions.
    pub resolved: u64,
    /// Survey answers per score, 1–5.
    pub csat: [u64; 5],
    /// Per agent: how many they resolved.
    pub resolved_by: BTreeMap<AgentId, u64>,
}

/// How busy an hour (UTC) of a weekday (Monday 0) is, 0–1.
fn busyness(weekday: u64, hour: u64) -> f64 {
    let day = if weekday >= 5 { 0.35 } else { 1.0 };
    let hour = match hour {
        0..=6 => 0.08,
        7..=8 => 0.45,
        9..=12 => 1.0,
        13 => 0.8,
        14..=17 => 0.95,
        18..=20 => 0.5,
        _ => 0.2,
    };
    day * hour
}

/// A duration around `typical` ms, skewed long as waits are.
fn around(rng: &mut StdRng, typical: Millis) -> Millis {
    let f: f64 = rng.gen_range(0.25..1.0f64).powi(2) * 3.0;
    (typical as f64 * f) as Millis + 1_000
}

/// The month's counts, each stamped with its hour, and what was made.
pub fn simulate(plan: &Plan, now: Millis) -> (Vec<(Millis, Count)>, Made) {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let first = (now / DAY).saturating_sub(u64::from(plan.days.max(1)) - 1) * DAY;
    let mut counts = Vec::new();
    let mut made = Made::default();
    let agents = if plan.agents.is_empty() {
        vec![AgentId("a_demo".into())]
    } else {
        plan.agents.clone()
    };
    let pick_agent = |rng: &mut StdRng| agents[rng.gen_range(0..agents.len())].clone();
    for _ in 0..plan.conversations {
        // A start time, drawn until the desk's traffic shape accepts it.
        let start = loop {
            let at = rng.gen_range(first..now.max(first + 1));
            // 1970-01-01 was a Thursday (3 with Monday 0).
            let weekday = (at / DAY + 3) % 7;
            if rng.gen_bool(busyness(weekday, (at % DAY) / HOUR)) {
                break at;
            }
        };
        let team = (!plan.teams.is_empty() && rng.gen_bool(0.7))
            .then(|| plan.teams[rng.gen_range(0..plan.teams.len())].clone());
        let mut steps: Vec<(Millis, Step, Option<AgentId>)> = Vec::new();
        let chat = |steps: &mut Vec<(Millis, Step, Option<AgentId>)>,
                    rng: &mut StdRng,
                    t0: Millis,
                    reopened: bool| {
            let opened = Step::VisitorMessage {
                opened: true,
                reopened,
            };
            steps.push((t0, opened, None));
            let agent = pick_agent(rng);
            if rng.gen_bool(0.06) {
                // Nobody free for long: missed, then closed unanswered.
                steps.push((t0 + 31 * MINUTE, Step::Swept, None));
                steps.push((t0 + 35 * MINUTE, Step::Assigned, Some(agent.clone())));
                steps.push((t0 + 36 * MINUTE, Step::Resolved, Some(agent)));
                return;
            }
            let mut t = t0 + around(rng, 40_000);
            steps.push((t, Step::Assigned, Some(agent.clone())));
            t += around(rng, 35_000);
            steps.push((t, Step::AgentReply, Some(agent.clone())));
            let mut holder = agent;
            for _ in 0..rng.gen_range(1..4) {
                t += around(rng, 70_000);
                let more = Step::VisitorMessage {
                    opened: false,
                    reopened: false,
                };
                steps.push((t, more, Some(holder.clone())));
                t += around(rng, 30_000);
                steps.push((t, Step::AgentReply, Some(holder.clone())));
            }
            if agents.len() > 1 && rng.gen_bool(0.05) {
                steps.push((t, Step::Transferred, Some(holder.clone())));
                let taker = loop {
                    let a = pick_agent(rng);
                    if a != holder {
                        break a;
                    }
                };
                t += around(rng, 20_000);
                steps.push((t, Step::Assigned, Some(taker.clone())));
                t += around(rng, 40_000);
                steps.push((t, Step::AgentReply, Some(taker.clone())));
                holder = taker;
            }
            t += around(rng, 4 * MINUTE);
            steps.push((t, Step::Resolved, Some(holder.clone())));
            if rng.gen_bool(0.55) {
                let score = match rng.gen_range(0..100) {
                    0..=54 => 5,
                    55..=79 => 4,
                    80..=89 => 3,
                    90..=94 => 2,
                    _ => 1,
                };
                let nps = rng.gen_bool(0.5).then(|| match score {
                    5 => rng.gen_range(8..=10),
                    4 => rng.gen_range(6..=9),
                    _ => rng.gen_range(0..=6),
                });
                steps.push((t + MINUTE, Step::Rated { score, nps }, Some(holder)));
            }
        };
        chat(&mut steps, &mut rng, start, false);
        if rng.gen_bool(0.04) {
            let again = start + rng.gen_range(2 * HOUR..2 * DAY);
            chat(&mut steps, &mut rng, again, true);
        }
        let mut clocks: Option<Clocks> = None;
        for (at, s, agent) in steps {
            if at >= now {
                // Not yet happened: a chat still going on.
                break;
            }
            // What happened, as a person counting the chats would see it.
            match &s {
                Step::VisitorMessage {
                    opened: true,
                    reopened: false,
                } => made.started += 1,
                Step::VisitorMessage {
                    opened: true,
                    reopened: true,
                } => made.reopened += 1,
                Step::Swept => made.missed += 1,
                Step::Resolved => {
                    made.resolved += 1;
                    if let Some(a) = &agent {
                        *made.resolved_by.entry(a.clone()).or_default() += 1;
                    }
                }
                Step::Rated { score, .. } => made.csat[usize::from(*score) - 1] += 1,
                _ => {}
            }
            let whose = Whose {
                team: team.clone(),
                agent,
            };
            let (next, c) = step(clocks.as_ref(), &s, &whose, at);
            counts.extend(c.into_vec().into_iter().map(|c| (hour_of(at), c)));
            clocks = Some(next);
        }
    }
    // Agents on shift (9:00–17:00 UTC on weekdays), with a few chats at once.
    let mut hour = first;
    while hour < hour_of(now) {
        let (weekday, h) = ((hour / DAY + 3) % 7, (hour % DAY) / HOUR);
        if weekday < 5 && (9..17).contains(&h) {
            for agent in &agents {
                let dims = [Dim::Agent(agent.clone())];
                let load = rng.gen_range(1..=3);
                for (field, value, op) in [
                    (super::tally::field::ONLINE, 60, TallyOp::Add),
                    (super::tally::field::LOAD, 60 * load, TallyOp::Add),
                    (super::tally::field::LOAD_PEAK, load + 1, TallyOp::Max),
                ] {
                    counts.push((
                        hour,
                        Count {
                            dim: dims[0].key(),
                            field: field.to_owned(),
                            value,
                            op,
                        },
                    ));
                }
            }
        }
        let peak = (busyness(weekday, h) * 6.0).round() as i64;
        for (field, value) in [
            (super::tally::field::BACKLOG_WAITING, peak / 2),
            (super::tally::field::BACKLOG_OPEN, peak),
        ] {
            counts.push((
                hour,
                Count {
                    dim: Dim::Site.key(),
                    field: field.to_owned(),
                    value,
                    op: TallyOp::Max,
                },
            ));
        }
        // Visitors reading help articles; about a third still write. A
        // few ask to be called back; most calls reach them.
        let opened = (busyness(weekday, h) * 3.0).round() as i64;
        let calls = (busyness(weekday, h) * 0.6).round() as i64;
        let missed_calls = i64::from(calls > 0 && (hour / HOUR).is_multiple_of(4));
        for (field, value) in [
            (super::tally::field::HELP_OPENED, opened),
            (super::tally::field::HELP_ASKED, opened / 3),
            (super::tally::field::CALLBACKS_REQUESTED, calls),
            (super::tally::field::CALLBACKS_DONE, calls - missed_calls),
            (super::tally::field::CALLBACKS_FAILED, missed_calls),
        ] {
            if value > 0 {
                counts.push((
                    hour,
                    Count {
                        dim: Dim::Site.key(),
                        field: field.to_owned(),
                        value,
                        op: TallyOp::Add,
                    },
                ));
            }
        }
        hour += HOUR;
    }
    (counts, made)
}

/// Adds up `counts` per cell, as the stores would.
fn merge(counts: Vec<(Millis, Count)>) -> BTreeMap<Millis, Vec<Count>> {
    let mut cells: BTreeMap<(Millis, String, String), (TallyOp, i64)> = BTreeMap::new();
    for (hour, c) in counts {
        let slot = cells.entry((hour, c.dim, c.field)).or_insert((c.op, 0));
        slot.1 = match c.op {
            TallyOp::Add => slot.1 + c.value,
            TallyOp::Max => slot.1.max(c.value),
        };
    }
    let mut hours: BTreeMap<Millis, Vec<Count>> = BTreeMap::new();
    for ((hour, dim, field), (op, value)) in cells {
        hours.entry(hour).or_default().push(Count {
            dim,
            field,
            value,
            op,
        });
    }
    hours
}

/// Makes the month for `site` and writes its figures: one store call per
/// hour.
pub async fn fill(store: &dyn Store, site: &SiteId, plan: &Plan, now: Millis) -> StoreResult<Made> {
    let (counts, made) = simulate(plan, now);
    for (hour, counts) in merge(counts) {
        store.tally(site, hour, counts).await?;
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::compute::{report, Scope};
    use crate::reports::period::Period;
    use crate::store::embedded::EmbeddedStore;
    use shared::reports::KpiKey;
    use std::collections::HashMap;

    /// The report of the made-up month shows what was made, counted from
    /// the made-up chats themselves.
    #[tokio::test]
    async fn a_generated_month_reads_back_as_made() {
        let (store, _dir) = EmbeddedStore::open_temp();
        let site = SiteId("s_demo".into());
        let now = 1_780_000_000_000; // 2026-05-28, a Thursday
        let plan = Plan {
            conversations: 800,
            days: 30,
            agents: vec![
                AgentId("a_1".into()),
                AgentId("a_2".into()),
                AgentId("a_3".into()),
            ],
            teams: vec![TeamId("t_sales".into())],
            seed: 7,
        };
        let made = fill(&store, &site, &plan, now).await.unwrap();
        assert!(made.started > 790 && made.started <= 800, "{made:?}");
        assert!(made.missed > 20 && made.missed < 90, "{made:?}");
        let period = Period::named("30d", None, None, jiff::tz::TimeZone::UTC, now).unwrap();
        let (_, end) = period.hours().unwrap();
        let (before, _) = period.previous().unwrap().hours().unwrap();
        let cells = store.tallies(&site, before, end).await.unwrap();
        let scope = Scope {
            site: site.clone(),
            dim: Dim::Site,
        };
        let r = report(&scope, &period, &cells, &HashMap::new()).unwrap();
        let kpi = |key| r.kpis.iter().find(|k| k.key == key).unwrap().value;
        assert_eq!(kpi(KpiKey::Started), Some(made.started as f64));
        assert_eq!(kpi(KpiKey::Reopened), Some(made.reopened as f64));
        assert_eq!(kpi(KpiKey::Missed), Some(made.missed as f64));
        assert_eq!(kpi(KpiKey::Resolved), Some(made.resolved as f64));
        assert_eq!(r.csat, made.csat.to_vec());
        for row in &r.agents {
            assert_eq!(
                Some(&row.resolved),
                made.resolved_by.get(&row.agent),
                "{row:?}"
            );
            assert!(row.online_minutes > 0);
        }
        assert_eq!(r.agents.len(), 3);
        // The desk's shape: weekday afternoons busier than weekend nights.
        let weekday_noon: u64 = (0..5).map(|d| r.heatmap[d][12]).sum();
        let weekend_night: u64 = (5..7).map(|d| r.heatmap[d][3]).sum();
        assert!(weekday_noon > 5 * weekend_night.max(1), "{:?}", r.heatmap);
        // Nothing fell in the month before.
        assert!(r.kpis.iter().all(|k| k.previous.unwrap_or(0.0) == 0.0));
    }
}
