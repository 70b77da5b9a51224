//! Progress on a terminal: a run that takes longer than a second says how many definitions
//! it has done, on one line of stderr that it clears when it ends. The CLI turns it on only
//! for human output to a terminal; build scripts and machine formats never see it.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a run goes before it shows progress.
pub const DELAY: Duration = Duration::from_secs(1);

/// The environment variable that sets another delay, in milliseconds (for tests, which
/// cannot rely on a run lasting a second).
pub const DELAY_VARIABLE: &str = "CONNECTOR_GEN_PROGRESS_AFTER_MS";

/// The delay before progress shows: [`DELAY`], or the one [`DELAY_VARIABLE`] sets.
pub fn delay() -> Duration {
    std::env::var(DELAY_VARIABLE)
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}
/// How often the line is redrawn.
const INTERVAL: Duration = Duration::from_millis(100);

/// Counts the definitions done; shared by the workers.
#[derive(Debug, Default)]
pub struct Counter {
    done: AtomicUsize,
}

impl Counter {
    /// One more definition done.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs `work` with a counter; while it runs, and once `delay` has passed, redraws
/// `done of total` on `out` every tenth of a second, and clears the line at the end. A run
/// shorter than `delay` writes nothing and is not held up.
pub fn report<R>(
    total: usize,
    delay: Duration,
    out: impl Write + Send,
    work: impl FnOnce(&Counter) -> R,
) -> R {
    let counter = Counter::default();
    let (finished, wait) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let counter = &counter;
        scope.spawn(move || draw(counter, total, delay, out, &wait));
        let result = work(counter);
        drop(finished);
        result
    })
}

fn draw(
    counter: &Counter,
    total: usize,
    delay: Duration,
    mut out: impl Write,
    finished: &mpsc::Receiver<()>,
) {
    let start = Instant::now();
    let mut shown = false;
    let redraw = |out: &mut dyn Write| {
        let done = counter.done.load(Ordering::Relaxed);
        // Progress is a courtesy: a terminal that cannot take it is no reason to fail.
        let _ = write!(out, "\r\x1b[K{done} of {total} connectors").and_then(|()| out.flush());
    };
    if delay.is_zero() {
        redraw(&mut out);
        shown = true;
    }
    loop {
        let wait = if shown {
            INTERVAL
        } else {
            delay.saturating_sub(start.elapsed())
        };
        match finished.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
        redraw(&mut out);
        shown = true;
    }
    if shown {
        let _ = write!(out, "\r\x1b[K").and_then(|()| out.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_run_shows_its_count_and_clears_the_line() {
        let mut out = Vec::new();
        let result = report(3, Duration::ZERO, &mut out, |counter| {
            for _ in 0..3 {
                counter.tick();
                std::thread::sleep(Duration::from_millis(150));
            }
            7
        });
        assert_eq!(result, 7);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(" of 3 connectors"), "{text:?}");
        assert!(text.ends_with("\r\x1b[K"), "{text:?}");
    }

    #[test]
    fn a_short_run_shows_nothing() {
        let mut out = Vec::new();
        let started = Instant::now();
        report(3, Duration::from_secs(60), &mut out, |counter| {
            counter.tick()
        });
        assert!(out.is_empty());
        // The reporter does not hold the run up until its delay has passed.
        assert!(started.elapsed() < Duration::from_secs(30));
    }
}
