//! A report's tables as CSV, for spreadsheets: numbers as plain decimals
//! (seconds for durations), dates as the report shows them. A text cell
//! that a spreadsheet would read as a formula (an agent named
//! `=HYPERLINK(…)`) is prefixed with `'` so it stays text.

use shared::reports::{Report, SeriesPoint};

/// The tables a report exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Key figures with the previous period's.
    Kpis,
    /// The time series.
    Series,
    /// Per agent.
    Agents,
    /// Chats per weekday and hour.
    Heatmap,
    /// Survey and Net Promoter answers per score.
    Surveys,
}

impl Table {
    /// From its name in the URL.
    pub fn parse(name: &str) -> Option<Table> {
        match name {
            "kpis" => Some(Table::Kpis),
            "series" => Some(Table::Series),
            "agents" => Some(Table::Agents),
            "heatmap" => Some(Table::Heatmap),
            "surveys" => Some(Table::Surveys),
            _ => None,
        }
    }

    /// Its name in the URL and the file name.
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Kpis => "kpis",
            Table::Series => "series",
            Table::Agents => "agents",
            Table::Heatmap => "heatmap",
            Table::Surveys => "surveys",
        }
    }
}

fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn number(n: Option<f64>) -> String {
    match n {
        Some(n) if n.fract() == 0.0 => format!("{n:.0}"),
        Some(n) => format!("{n:.2}"),
        None => String::new(),
    }
}

/// `table` of `report` as CSV text.
pub fn write(report: &Report, table: Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let mut row = |cells: Vec<String>| drop(w.write_record(&cells));
    match table {
        Table::Kpis => {
            row(vec!["figure".into(), "value".into(), "previous".into()]);
            for k in &report.kpis {
                row(vec![
                    k.key.as_str().into(),
                    number(k.value),
                    number(k.previous),
                ]);
            }
        }
        Table::Series => {
            row([
                "period",
                "started",
                "answered",
                "missed",
                "resolved",
                "first_response_median_s",
                "backlog_waiting",
                "backlog_open",
            ]
            .map(String::from)
            .to_vec());
            for SeriesPoint {
                label,
                started,
                answered,
                missed,
                resolved,
                first_response_median,
                backlog_waiting,
                backlog_open,
            } in &report.series
            {
                row(vec![
                    label.clone(),
                    started.to_string(),
                    answered.to_string(),
                    missed.to_string(),
                    resolved.to_string(),
                    number(*first_response_median),
                    backlog_waiting.to_string(),
                    backlog_open.to_string(),
                ]);
            }
        }
        Table::Agents => {
            row([
                "agent_id",
                "agent",
                "answered",
                "resolved",
                "transferred",
                "first_response_median_s",
                "handle_average_s",
                "online_minutes",
                "load_average",
                "load_peak",
                "csat",
            ]
            .map(String::from)
            .to_vec());
            for a in &report.agents {
                row(vec![
                    a.agent.as_str().to_owned(),
                    text(&a.name),
                    a.answered.to_string(),
                    a.resolved.to_string(),
                    a.transferred.to_string(),
                    number(a.first_response_median),
                    number(a.handle_average),
                    a.online_minutes.to_string(),
                    number(a.load_average),
                    a.load_peak.to_string(),
                    number(a.csat),
                ]);
            }
        }
        Table::Surveys => {
            row(vec!["question".into(), "score".into(), "answers".into()]);
            let questions = [("csat", 1, &report.csat), ("nps", 0, &report.nps)];
            for (question, first, counts) in questions {
                for (score, n) in (first..).zip(counts.iter()) {
                    row(vec![question.into(), score.to_string(), n.to_string()]);
                }
            }
        }
        Table::Heatmap => {
            let mut head = vec!["weekday".to_owned()];
            head.extend((0..24).map(|h| format!("{h:02}")));
            row(head);
            let days = [
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            ];
            for (day, hours) in days.iter().zip(&report.heatmap) {
                let mut cells = vec![(*day).to_owned()];
                cells.extend(hours.iter().map(u64::to_string));
                row(cells);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::reports::AgentRow;
    use shared::{AgentId, SiteId};

    fn report() -> Report {
        Report {
            site: SiteId("s_1".into()),
            time_zone: "UTC".into(),
            from: "2026-11-01".into(),
            to: "2026-11-01".into(),
            previous_from: "2026-10-31".into(),
            previous_to: "2026-10-31".into(),
            team: None,
            agent: None,
            kpis: vec![],
            series: vec![],
            heatmap: vec![vec![0; 24]; 7],
            agents: vec![AgentRow {
                agent: AgentId("a_1".into()),
                name: "=HYPERLINK(\"http://x\",\"Ann, \"\"the\"\" best\")".into(),
                answered: 3,
                resolved: 2,
                transferred: 0,
                first_response_median: Some(61.5),
                handle_average: Some(300.0),
                online_minutes: 90,
                load_average: None,
                load_peak: 2,
                csat: None,
            }],
            csat: vec![0; 5],
            nps: vec![0; 11],
        }
    }

    #[test]
    fn text_is_quoted_and_never_a_formula() {
        let csv = write(&report(), Table::Agents);
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().starts_with("agent_id,agent,answered"));
        let line = lines.next().unwrap();
        assert!(line.starts_with("a_1,\"'=HYPERLINK("), "{line}");
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(
            &rec[1],
            "'=HYPERLINK(\"http://x\",\"Ann, \"\"the\"\" best\")"
        );
        assert_eq!(&rec[5], "61.50");
        assert_eq!(&rec[6], "300");
        assert_eq!(&rec[8], "");
    }

    #[test]
    fn the_heatmap_has_a_row_per_weekday() {
        let csv = write(&report(), Table::Heatmap);
        assert_eq!(csv.lines().count(), 8);
        assert!(csv.lines().nth(7).unwrap().starts_with("sunday,0,"));
        assert_eq!(Table::parse("heatmap"), Some(Table::Heatmap));
        let mut r = report();
        r.csat = vec![0, 1, 0, 2, 9];
        let csv = write(&r, Table::Surveys);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 5 + 11);
        assert_eq!(lines[0], "question,score,answers");
        assert_eq!(lines[5], "csat,5,9");
        assert_eq!(lines[6], "nps,0,0");
        assert_eq!(Table::parse("../etc"), None);
    }
}
