//! What one client address may open on this node: a cap on concurrent
//! visitor sockets, and a token bucket for new visitors (a visitor is
//! created at their first message). Anonymous clients cost nothing until
//! they write, and one address cannot open thousands of sockets or mint
//! thousands of visitors. Per node and in memory: these are flood guards,
//! not accounting (the login throttle, which is, lives in the store).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Entries kept before idle ones are swept.
const SWEEP_ABOVE: usize = 10_000;

/// The limits of one node.
pub struct ClientLimits {
    max_sockets: u32,
    new_per_minute: u32,
    clients: Mutex<HashMap<IpAddr, Entry>>,
}

struct Entry {
    sockets: u32,
    tokens: f64,
    last: Instant,
}

/// An open visitor socket, counted against its address until dropped.
pub struct SocketSlot {
    limits: Arc<ClientLimits>,
    ip: IpAddr,
}

impl ClientLimits {
    /// At most `max_sockets` sockets and `new_per_minute` new visitors per
    /// minute (in bursts of as many) per address.
    pub fn new(max_sockets: u32, new_per_minute: u32) -> Self {
        Self {
            max_sockets,
            new_per_minute,
            clients: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<IpAddr, Entry>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn entry<'a>(
        &self,
        map: &'a mut HashMap<IpAddr, Entry>,
        ip: IpAddr,
        now: Instant,
    ) -> &'a mut Entry {
        if map.len() > SWEEP_ABOVE {
            map.retain(|_, e| {
                e.sockets > 0 || now.duration_since(e.last) < Duration::from_secs(60)
            });
        }
        map.entry(ip).or_insert(Entry {
            sockets: 0,
            tokens: f64::from(self.new_per_minute),
            last: now,
        })
    }

    /// Counts a new socket from `ip`, or `None` if it has as many as
    /// allowed.
    pub fn open_socket(self: &Arc<Self>, ip: IpAddr) -> Option<SocketSlot> {
        let mut map = self.lock();
        let e = self.entry(&mut map, ip, Instant::now());
        if e.sockets >= self.max_sockets {
            return None;
        }
        e.sockets += 1;
        Some(SocketSlot {
            limits: self.clone(),
            ip,
        })
    }

    /// Whether `ip` may create one more visitor now.
    pub fn new_visitor(&self, ip: IpAddr, now: Instant) -> bool {
        let mut map = self.lock();
        let per_second = f64::from(self.new_per_minute) / 60.0;
        let cap = f64::from(self.new_per_minute);
        let e = self.entry(&mut map, ip, now);
        let elapsed = now.saturating_duration_since(e.last).as_secs_f64();
        e.last = now;
        e.tokens = (e.tokens + elapsed * per_second).min(cap);
        if e.tokens >= 1.0 {
            e.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    #[cfg(test)]
    fn sockets(&self, ip: IpAddr) -> u32 {
        self.lock().get(&ip).map_or(0, |e| e.sockets)
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut map = self.limits.lock();
        if let Some(e) = map.get_mut(&self.ip) {
            e.sockets = e.sockets.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    #[test]
    fn sockets_are_capped_per_address_and_freed_on_drop() {
        let limits = Arc::new(ClientLimits::new(2, 10));
        let a = limits.open_socket(ip(1)).unwrap();
        let _b = limits.open_socket(ip(1)).unwrap();
        assert!(
            limits.open_socket(ip(1)).is_none(),
            "a third from one address"
        );
        assert!(
            limits.open_socket(ip(2)).is_some(),
            "another address is not held back"
        );
        drop(a);
        assert_eq!(limits.sockets(ip(1)), 1);
        assert!(limits.open_socket(ip(1)).is_some());
    }

    #[test]
    fn new_visitors_come_in_bursts_then_at_the_rate() {
        let limits = ClientLimits::new(10, 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limits.new_visitor(ip(1), t0));
        }
        assert!(!limits.new_visitor(ip(1), t0));
        assert!(limits.new_visitor(ip(2), t0), "per address");
        assert!(!limits.new_visitor(ip(1), t0 + Duration::from_secs(19)));
        assert!(
            limits.new_visitor(ip(1), t0 + Duration::from_secs(21)),
            "one per 20 s"
        );
    }
}
