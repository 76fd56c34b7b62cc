//! Which agents have a dashboard open on this node, and the availability
//! each chose. An agent is online while at least one tab is connected and
//! offline when the last one closes; "away" survives reconnects.

use shared::{AgentId, Presence};
use std::collections::HashMap;
use std::sync::Mutex;

/// Connection counts and chosen availability, per agent.
#[derive(Debug, Default)]
pub struct AgentConnections {
    inner: Mutex<HashMap<AgentId, Entry>>,
}

#[derive(Debug)]
struct Entry {
    connections: usize,
    chosen: Presence,
}

impl AgentConnections {
    /// A tab connected. `Some(presence)` when it is the agent's first: the
    /// presence to set.
    pub fn connect(&self, agent: &AgentId) -> Option<Presence> {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry(agent.clone()).or_insert(Entry {
            connections: 0,
            chosen: Presence::Online,
        });
        entry.connections += 1;
        (entry.connections == 1).then_some(entry.chosen)
    }

    /// A tab disconnected. `true` when it was the agent's last.
    pub fn disconnect(&self, agent: &AgentId) -> bool {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(agent) {
            Some(entry) if entry.connections > 1 => {
                entry.connections -= 1;
                false
            }
            Some(entry) if entry.connections == 1 => {
                entry.connections = 0;
                true
            }
            _ => false,
        }
    }

    /// Agents with at least one tab open on this node.
    pub fn connected(&self) -> Vec<AgentId> {
        let map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        map.iter()
            .filter(|(_, e)| e.connections > 0)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The agent chose online or away.
    pub fn choose(&self, agent: &AgentId, presence: Presence) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = map.get_mut(agent) {
            entry.chosen = presence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_tab_sets_presence_last_tab_clears_it() {
        let c = AgentConnections::default();
        let a = AgentId::from("a");
        assert_eq!(c.connect(&a), Some(Presence::Online));
        assert_eq!(c.connect(&a), None);
        assert!(!c.disconnect(&a));
        assert!(c.disconnect(&a));
        assert!(!c.disconnect(&a), "no underflow");
        assert!(c.connected().is_empty());
        c.connect(&a);
        assert_eq!(c.connected(), vec![a.clone()]);
    }

    #[test]
    fn away_survives_reconnect() {
        let c = AgentConnections::default();
        let a = AgentId::from("a");
        c.connect(&a);
        c.choose(&a, Presence::Away);
        c.disconnect(&a);
        assert_eq!(c.connect(&a), Some(Presence::Away));
    }
}
