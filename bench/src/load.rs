//! Concurrent clients over loopback, and what their timings come to.

use std::sync::Arc;
use std::time::{Duration, Instant};

/// A load's outcome: requests per second and latency percentiles.
pub(crate) struct Stats {
    count: usize,
    pub(crate) errors: usize,
    seconds: f64,
    latencies: Vec<Duration>,
}

impl Stats {
    pub(crate) fn per_second(&self) -> f64 {
        self.count as f64 / self.seconds
    }
    pub(crate) fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[at].as_secs_f64() * 1000.0
    }
}

/// Sends `count` requests, `concurrency` at a time; `request(i)` builds the
/// i-th and `ok` judges its status.
pub(crate) async fn load(
    count: usize,
    concurrency: usize,
    request: Arc<dyn Fn(usize) -> reqwest::RequestBuilder + Send + Sync>,
    ok: fn(u16) -> bool,
) -> Stats {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (next, request) = (next.clone(), request.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let sent = Instant::now();
                match request(i).send().await {
                    Ok(answer) => {
                        let status = answer.status().as_u16();
                        let _ = answer.bytes().await;
                        if !ok(status) {
                            errors += 1;
                        }
                    }
                    Err(_) => errors += 1,
                }
                latencies.push(sent.elapsed());
            }
            (latencies, errors)
        }));
    }
    let mut stats = Stats {
        count,
        errors: 0,
        seconds: 0.0,
        latencies: Vec::new(),
    };
    for worker in workers {
        let (latencies, errors) = worker.await.expect("a load worker");
        stats.latencies.extend(latencies);
        stats.errors += errors;
    }
    stats.seconds = started.elapsed().as_secs_f64();
    stats
}
