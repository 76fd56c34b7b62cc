//! What an hourly bucket holds. A report's figures are counted as things
//! happen, into cells keyed by site, UTC hour, dimension (the whole site,
//! one team, one agent) and field; a report adds up the cells of its hours.
//! Durations are counted three ways — how many, their sum and a histogram
//! over fixed bounds — so averages are exact and medians and p90s are
//! estimated from the histogram (docs/REPORTS.md says how closely).

use shared::{AgentId, Millis, TeamId};

/// One hour, in ms.
pub const HOUR: Millis = 3_600_000;

/// The start of the UTC hour `at` falls in.
pub fn hour_of(at: Millis) -> Millis {
    at - at % HOUR
}

/// Whose figure a cell is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    /// The whole site.
    Site,
    /// One team's conversations.
    Team(TeamId),
    /// One agent's work.
    Agent(AgentId),
}

impl Dim {
    /// How the stores spell it.
    pub fn key(&self) -> String {
        match self {
            Dim::Site => "site".to_owned(),
            Dim::Team(team) => format!("team:{}", team.as_str()),
            Dim::Agent(agent) => format!("agent:{}", agent.as_str()),
        }
    }

    /// The dimension a stored key names (`None`: not one of ours).
    pub fn parse(key: &str) -> Option<Dim> {
        match key.split_once(':') {
            None if key == "site" => Some(Dim::Site),
            Some(("team", id)) if !id.is_empty() => Some(Dim::Team(TeamId(id.to_owned()))),
            Some(("agent", id)) if !id.is_empty() => Some(Dim::Agent(AgentId(id.to_owned()))),
            _ => None,
        }
    }
}

/// How a count meets what its cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyOp {
    /// Added to it (events, sums, histogram bars).
    Add,
    /// Kept if higher (peaks sampled by several nodes: counting twice
    /// changes nothing).
    Max,
}

impl TallyOp {
    /// How the stores spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            TallyOp::Add => "add",
            TallyOp::Max => "max",
        }
    }
}

/// One change to one cell of an hour's bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// [`Dim::key`].
    pub dim: String,
    /// A field name ([`field`]).
    pub field: String,
    /// By how much (or the sample, for [`TallyOp::Max`]).
    pub value: i64,
    /// How it combines.
    pub op: TallyOp,
}

/// One stored cell, as a report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The start of its UTC hour.
    pub hour: Millis,
    /// [`Dim::key`].
    pub dim: String,
    /// Field name.
    pub field: String,
    /// Its value.
    pub value: i64,
}

/// The field names (docs/REPORTS.md defines each).
pub mod field {
    /// New conversations.
    pub const STARTED: &str = "started";
    /// Resolved conversations the visitor wrote in again.
    pub const REOPENED: &str = "reopened";
    /// Chats given a first reply.
    pub const ANSWERED: &str = "answered";
    /// Chats nobody answered in time.
    pub const MISSED: &str = "missed";
    /// Resolutions.
    pub const RESOLVED: &str = "resolved";
    /// Hand-overs.
    pub const TRANSFERRED: &str = "transferred";
    /// Survey answers; `csat.1`..`csat.5` per score.
    pub const RATED: &str = "csat";
    /// Net Promoter answers; `nps.0`..`nps.10` per score.
    pub const NPS: &str = "nps";
    /// First response time (duration).
    pub const FIRST_RESPONSE: &str = "frt";
    /// Every reply's wait (duration).
    pub const REPLY: &str = "reply";
    /// First assignment to resolution (duration).
    pub const HANDLE: &str = "handle";
    /// Time in the queue before an agent took it (duration).
    pub const WAIT: &str = "wait";
    /// Minutes an agent was online.
    pub const ONLINE: &str = "online";
    /// Sum over online minutes of the agent's open chats.
    pub const LOAD: &str = "load";
    /// Most open chats an agent had at once (max).
    pub const LOAD_PEAK: &str = "load.peak";
    /// Most conversations waiting at once (max).
    pub const BACKLOG_WAITING: &str = "backlog.waiting";
    /// Most conversations open (assigned) at once (max).
    pub const BACKLOG_OPEN: &str = "backlog.open";
    /// Callback requests made (the whole site only).
    pub const CALLBACKS_REQUESTED: &str = "callbacks.requested";
    /// Callback requests closed as done: the visitor was called.
    pub const CALLBACKS_DONE: &str = "callbacks.done";
    /// Callback requests closed as failed: the visitor was not reached.
    pub const CALLBACKS_FAILED: &str = "callbacks.failed";
    /// Callback requests the visitor cancelled.
    pub const CALLBACKS_CANCELLED: &str = "callbacks.cancelled";
    /// Help articles opened in the widget (the whole site only).
    pub const HELP_OPENED: &str = "help.opened";
    /// Of those, opens after which the visitor still wrote to the team.
    pub const HELP_ASKED: &str = "help.asked";
}

/// A duration histogram's upper bounds, in seconds; one more bar holds
/// everything longer. Dense where support times usually fall (seconds to
/// minutes), so medians there are estimated to within a few seconds.
pub const BOUNDS: [u64; 24] = [
    5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 450, 600, 900, 1200, 1800, 2700, 3600, 7200,
    14_400, 28_800, 86_400, 259_200,
];

/// Which bar a duration of `secs` goes in.
pub fn bar(secs: u64) -> usize {
    BOUNDS.partition_point(|&upper| upper < secs)
}

/// Collects the counts of one event for the dimensions it concerns.
#[derive(Debug, Default)]
pub struct Counts {
    counts: Vec<Count>,
}

impl Counts {
    /// `value` more of `field` for each of `dims`.
    pub fn add(&mut self, dims: &[Dim], field: &str, value: i64) {
        self.push(dims, field, value, TallyOp::Add);
    }

    /// A sample of `field`, kept where it is the hour's highest.
    pub fn max(&mut self, dims: &[Dim], field: &str, value: i64) {
        self.push(dims, field, value, TallyOp::Max);
    }

    /// A duration: how many (`<field>.n`), their sum in seconds
    /// (`<field>.sum`), the longest (`<field>.max`) and its histogram bar
    /// (`<field>.h<i>`).
    pub fn duration(&mut self, dims: &[Dim], field: &str, ms: Millis) {
        let secs = ms / 1000;
        let value = i64::try_from(secs).unwrap_or(i64::MAX);
        self.add(dims, &format!("{field}.n"), 1);
        self.add(dims, &format!("{field}.sum"), value);
        self.max(dims, &format!("{field}.max"), value);
        self.add(dims, &format!("{field}.h{}", bar(secs)), 1);
    }

    fn push(&mut self, dims: &[Dim], field: &str, value: i64, op: TallyOp) {
        for dim in dims {
            self.counts.push(Count {
                dim: dim.key(),
                field: field.to_owned(),
                value,
                op,
            });
        }
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The counts.
    pub fn into_vec(self) -> Vec<Count> {
        self.counts
    }
}

/// A duration's figures added up over many cells: estimates its median
/// and other quantiles from the histogram.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Durations {
    /// How many.
    pub n: u64,
    /// Their sum, in seconds.
    pub sum: u64,
    /// The longest, in seconds.
    pub max: u64,
    /// Per bar of [`BOUNDS`] (one more for the rest).
    pub bars: Vec<u64>,
}

impl Durations {
    /// Adds one cell (`suffix` is what follows `<field>.`).
    pub fn take(&mut self, suffix: &str, value: i64) {
        let value = u64::try_from(value).unwrap_or(0);
        match suffix {
            "n" => self.n += value,
            "sum" => self.sum += value,
            "max" => self.max = self.max.max(value),
            bar => {
                if let Some(i) = bar.strip_prefix('h').and_then(|i| i.parse::<usize>().ok()) {
                    if i <= BOUNDS.len() {
                        if self.bars.len() <= i {
                            self.bars.resize(BOUNDS.len() + 1, 0);
                        }
                        self.bars[i] += value;
                    }
                }
            }
        }
    }

    /// The average, in seconds (`None`: nothing counted).
    pub fn average(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }

    /// The `q` quantile (0.5: median), in seconds: the bar holding it,
    /// read as evenly spread between its bounds (the last bar ends at the
    /// longest seen).
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total: u64 = self.bars.iter().sum();
        if total == 0 {
            return None;
        }
        let rank = q.clamp(0.0, 1.0) * total as f64;
        let mut below = 0u64;
        for (i, &count) in self.bars.iter().enumerate() {
            if count == 0 {
                continue;
            }
            if (below + count) as f64 >= rank {
                let lower = if i == 0 { 0 } else { BOUNDS[i - 1] };
                let upper = BOUNDS
                    .get(i)
                    .copied()
                    .unwrap_or(self.max)
                    .min(self.max.max(lower));
                let within = (rank - below as f64) / count as f64;
                return Some(lower as f64 + within * (upper.saturating_sub(lower)) as f64);
            }
            below += count;
        }
        Some(self.max as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dims_round_trip_and_foreign_keys_are_refused() {
        for dim in [
            Dim::Site,
            Dim::Team(TeamId("t_1".into())),
            Dim::Agent(AgentId("a_1".into())),
        ] {
            assert_eq!(Dim::parse(&dim.key()), Some(dim));
        }
        for bad in ["", "team:", "agent", "x:1", "sites"] {
            assert_eq!(Dim::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bars_hold_their_upper_bound() {
        assert_eq!(bar(0), 0);
        assert_eq!(bar(5), 0);
        assert_eq!(bar(6), 1);
        assert_eq!(bar(60), 6);
        assert_eq!(bar(61), 7);
        assert_eq!(bar(1_000_000), BOUNDS.len());
    }

    fn durations(secs: &[u64]) -> Durations {
        let mut counts = Counts::default();
        for s in secs {
            counts.duration(&[Dim::Site], "frt", s * 1000);
        }
        let mut d = Durations::default();
        for c in counts.into_vec() {
            let suffix = c.field.strip_prefix("frt.").unwrap();
            if c.op == TallyOp::Max {
                d.take(suffix, c.value.max(d.max as i64));
            } else {
                d.take(suffix, c.value);
            }
        }
        d
    }

    #[test]
    fn averages_are_exact_and_quantiles_fall_in_the_right_bar() {
        let d = durations(&[12, 14, 40, 50, 55, 70, 400]);
        assert_eq!(d.n, 7);
        assert_eq!(d.sum, 641);
        assert_eq!(d.max, 400);
        assert!((d.average().unwrap() - 641.0 / 7.0).abs() < 1e-9);
        // The true median is 50 (in the 45–60 bar).
        let median = d.quantile(0.5).unwrap();
        assert!((45.0..=60.0).contains(&median), "{median}");
        // The p90 is the 400 s chat: the 300–450 bar, never past the longest.
        let p90 = d.quantile(0.9).unwrap();
        assert!((300.0..=400.0).contains(&p90), "{p90}");
        assert_eq!(durations(&[]).quantile(0.5), None);
        assert_eq!(durations(&[]).average(), None);
    }

    #[test]
    fn the_last_bar_ends_at_the_longest_seen() {
        let d = durations(&[400_000, 500_000]);
        let p90 = d.quantile(0.9).unwrap();
        assert!((259_200.0..=500_000.0).contains(&p90), "{p90}");
        // Estimates never pass the longest, even within a bounded bar.
        let d = durations(&[3]);
        assert!(d.quantile(1.0).unwrap() <= 3.0);
    }
}
