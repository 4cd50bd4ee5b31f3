//! Feedback during an indexing run: a progress bar on a terminal, a plain
//! line every few seconds otherwise (logs, CI), or nothing.

use std::io::Write;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where a run stands.
#[derive(Debug, Clone, Copy, Default)]
pub struct Snapshot {
    pub files_done: u64,
    pub files_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub articles: u64,
    pub elapsed: Duration,
}

impl Snapshot {
    fn mb_per_s(&self) -> f64 {
        self.bytes_done as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-3)
    }
}

/// Receives snapshots from the run, a few times a second.
pub trait Progress: Sync {
    /// How often the run should report.
    fn interval(&self) -> Duration;
    fn update(&self, snapshot: &Snapshot);
    /// A short message (committing, merging).
    fn message(&self, text: &str);
    fn finish(&self);
}

/// No feedback.
pub struct Silent;

impl Progress for Silent {
    fn interval(&self) -> Duration {
        Duration::from_secs(3600)
    }
    fn update(&self, _: &Snapshot) {}
    fn message(&self, _: &str) {}
    fn finish(&self) {}
}

/// A progress bar on stderr: files, articles, MB/s and ETA by bytes.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg} ETA {eta}",
            )
            .expect("valid template"),
        );
        Bar { bar }
    }
}

impl Default for Bar {
    fn default() -> Bar {
        Bar::new()
    }
}

impl Progress for Bar {
    fn interval(&self) -> Duration {
        Duration::from_millis(200)
    }

    fn update(&self, s: &Snapshot) {
        self.bar.set_length(s.bytes_total.max(1));
        self.bar.set_position(s.bytes_done.min(s.bytes_total));
        self.bar.set_message(format!(
            "{}/{} files, {} articles, {:.1} MB/s",
            s.files_done,
            s.files_total,
            s.articles,
            s.mb_per_s()
        ));
    }

    fn message(&self, text: &str) {
        self.bar.set_message(text.to_string());
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A line on stderr every few seconds.
pub struct Lines {
    every: Duration,
    started: Instant,
}

impl Lines {
    pub fn new(every: Duration) -> Lines {
        Lines {
            every,
            started: Instant::now(),
        }
    }
}

impl Progress for Lines {
    fn interval(&self) -> Duration {
        self.every
    }

    fn update(&self, s: &Snapshot) {
        let eta = if s.bytes_done > 0 && s.bytes_total > s.bytes_done {
            let rate = s.bytes_done as f64 / s.elapsed.as_secs_f64().max(1e-3);
            format!(
                ", ETA {:.0} s",
                (s.bytes_total - s.bytes_done) as f64 / rate
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            std::io::stderr(),
            "akhbar: {}/{} files, {} articles, {:.1} MB/s{eta}",
            s.files_done,
            s.files_total,
            s.articles,
            s.mb_per_s()
        );
    }

    fn message(&self, text: &str) {
        let _ = writeln!(
            std::io::stderr(),
            "akhbar: {text} ({:.0} s)",
            self.started.elapsed().as_secs_f64()
        );
    }

    fn finish(&self) {}
}
