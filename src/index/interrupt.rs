//! Stopping an indexing run early, on Ctrl-C or a termination signal.
//!
//! Killing the process at once would lose everything read since the last
//! commit. Instead the first SIGINT or SIGTERM only raises a flag: workers
//! stop taking records, the run commits what it indexed (so the next run
//! resumes from there) and reports it. A second signal, for a commit that
//! takes too long, ends the process at once; the last commit stays intact.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};

/// The exit status of a process ended by `signal`, as shells report it.
pub fn exit_status(signal: i32) -> u8 {
    (128 + signal).clamp(0, 255) as u8
}

/// A run ended early by a signal, after committing what it indexed.
#[derive(Debug, thiserror::Error)]
#[error("interrupted: committed {committed} articles; run the same command again to finish")]
pub struct Interrupted {
    pub signal: i32,
    /// Articles this run indexed (all of them in the last commit).
    pub committed: usize,
}

/// A request to stop, shared by the signal handlers and the run.
#[derive(Clone, Default)]
pub struct Stop {
    /// The signal received, 0 while none is.
    signal: Arc<AtomicUsize>,
}

impl Stop {
    /// A stop that no signal raises (only [`Stop::request`]).
    pub fn never() -> Stop {
        Stop::default()
    }

    /// Raises the stop flag on the first SIGINT or SIGTERM, and makes the
    /// second end the process with the usual status (130, 143).
    pub fn on_signals() -> Result<Stop> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let stop = Stop::default();
        let armed = Arc::new(AtomicBool::new(false));
        for signal in [SIGINT, SIGTERM] {
            // Registered first, so that it sees the flag as the previous
            // signal left it: unarmed the first time.
            signal_hook::flag::register_conditional_shutdown(
                signal,
                i32::from(exit_status(signal)),
                Arc::clone(&armed),
            )
            .context("cannot handle termination signals")?;
            signal_hook::flag::register(signal, Arc::clone(&armed))
                .context("cannot handle termination signals")?;
            signal_hook::flag::register_usize(signal, Arc::clone(&stop.signal), signal as usize)
                .context("cannot handle termination signals")?;
        }
        Ok(stop)
    }

    /// Asks the run to stop as if `signal` had arrived.
    pub fn request(&self, signal: i32) {
        self.signal.store(signal.max(1) as usize, Ordering::SeqCst);
    }

    /// Whether the run should stop.
    pub fn requested(&self) -> bool {
        self.signal.load(Ordering::Relaxed) != 0
    }

    /// The signal that asked the run to stop, if any.
    pub fn signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s as i32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_its_signal() {
        let stop = Stop::never();
        assert!(!stop.requested());
        assert_eq!(stop.signal(), None);
        let seen_by_run = stop.clone();
        stop.request(15);
        assert!(seen_by_run.requested());
        assert_eq!(seen_by_run.signal(), Some(15));
        assert_eq!(exit_status(2), 130);
        assert_eq!(exit_status(15), 143);
    }
}
