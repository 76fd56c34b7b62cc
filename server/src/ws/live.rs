//! Live messages on a socket that must stay gap-free: the event already
//! carries the stored message, so the next one in order goes straight out;
//! only a gap (events from several nodes can overtake each other, or some
//! were lost to lag) costs a read of the store.

use shared::Seq;

/// What to do with a live message, given the highest seq this socket sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The next in order: send the event's message as is.
    Send,
    /// Already sent (a catch-up read got it first).
    Skip,
    /// Something is missing before it: read the store from `last_sent`.
    CatchUp,
}

/// The rule, as a plain function.
pub fn step(last_sent: Seq, incoming: Seq) -> Step {
    if incoming <= last_sent {
        Step::Skip
    } else if incoming == last_sent + 1 {
        Step::Send
    } else {
        Step::CatchUp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_goes_out_gaps_read_the_store_repeats_are_dropped() {
        assert_eq!(step(0, 1), Step::Send);
        assert_eq!(step(4, 5), Step::Send);
        assert_eq!(step(4, 6), Step::CatchUp);
        assert_eq!(step(4, 4), Step::Skip);
        assert_eq!(step(4, 2), Step::Skip);
    }
}
