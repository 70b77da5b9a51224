//! Work spread over threads, with results in a fixed order whatever the scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack size of a worker thread: as much as the main thread has, since every stage was
/// written (and fuzzed) against that.
const STACK_BYTES: usize = 8 << 20;

/// Applies `work` to every item on up to `threads` threads (the calling one among them)
/// and returns the results in the order of `items`. Threads take the next item as they
/// finish one, so uneven items still keep every thread busy.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let drain = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, work(item)));
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, drain)
            })
            .collect();
        let mut results = drain();
        // A thread that could not start took no items; the others took them all.
        for handle in helpers.into_iter().flatten() {
            match handle.join() {
                Ok(done) => results.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    results.sort_unstable_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        for threads in [1, 2, 7] {
            let squares = map(&items, threads, |n| n * n);
            assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        }
        assert!(map(&[] as &[u8], 4, |n| *n).is_empty());
    }
}
