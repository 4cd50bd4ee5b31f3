//! The threads that run the library calls of requests.
//!
//! Searches are CPU-bound and must not stall the async workers that carry
//! the connections, so they run here: one thread per core, taking calls from
//! one queue. A burst waits in the queue rather than oversubscribing the CPU,
//! and a call whose request gave up (time limit, closed connection) is
//! skipped when its turn comes. The threads live as long as the server, so
//! what they keep per thread (analyzers and their term caches) stays warm
//! and bounded, unlike on a pool that starts and ends threads as it goes.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crossbeam_channel::{Receiver, Sender};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// Why a call gave no result.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("the server's worker threads have stopped")]
    Stopped,
    #[error("a request's library call panicked")]
    Panicked,
}

/// A fixed set of threads and their queue.
pub struct Workers {
    queue: Sender<Job>,
}

impl Workers {
    /// Starts `threads` threads (at least one).
    pub fn new(threads: usize) -> std::io::Result<Workers> {
        let (queue, jobs) = crossbeam_channel::unbounded::<Job>();
        for i in 0..threads.max(1) {
            let jobs: Receiver<Job> = jobs.clone();
            std::thread::Builder::new()
                .name(format!("akhbar-worker-{i}"))
                .spawn(move || {
                    for job in jobs {
                        job();
                    }
                })?;
        }
        Ok(Workers { queue })
    }

    /// Runs `work` on a worker thread and waits for its result.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WorkerError> {
        let (reply, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            if reply.is_closed() {
                return;
            }
            let outcome = catch_unwind(AssertUnwindSafe(work)).map_err(|_| WorkerError::Panicked);
            let _ = reply.send(outcome);
        });
        self.queue.send(job).map_err(|_| WorkerError::Stopped)?;
        result.await.map_err(|_| WorkerError::Stopped)?
    }
}
