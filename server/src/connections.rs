//! How connections are taken and served: a request head must arrive whole
//! within [`HEAD_WAIT`], one that stays silent is closed, the onion
//! listener holds a bounded number open, and a few for each Tor circuit
//! (so that Tor's clients cannot use up the descriptors the public address
//! needs, nor one circuit the onion listener), and a connection from Tor
//! must name its circuit (Tor's `HiddenServiceExportCircuitID haproxy`),
//! which stands for the client's address in the rate limits.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// A connection with no byte read or written for this long is closed.
pub const IDLE: Duration = Duration::from_secs(60);

/// Time a request head (its line and headers) has to arrive whole, however
/// slowly its bytes come; also how long a kept-alive connection may wait
/// for its next request.
pub const HEAD_WAIT: Duration = Duration::from_secs(20);

/// Time a connection from Tor has to name its circuit.
const HEADER_WAIT: Duration = Duration::from_secs(10);

/// The longest PROXY protocol (version 1) line, with its CRLF.
const PROXY_LINE_MOST: usize = 107;

/// How one listener takes its connections.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// At most this many open at once; the rest wait in the kernel's queue.
    pub most_open: Option<usize>,
    /// At most this many open at once from one source (one Tor circuit).
    pub most_per_source: Option<usize>,
    /// Each connection must begin with a PROXY protocol line naming its
    /// source; one that does not is closed.
    pub proxy_line: bool,
}

impl Policy {
    pub const PUBLIC: Policy = Policy {
        most_open: None,
        most_per_source: None,
        proxy_line: false,
    };

    /// Tor's connections: a quarter of the descriptors this process may
    /// open, at most 256, eight for one circuit (a browser opens six), each
    /// naming its circuit.
    pub fn onion() -> Policy {
        let descriptors = rustix::process::getrlimit(rustix::process::Resource::Nofile)
            .current
            .unwrap_or(u64::MAX);
        let quarter = usize::try_from(descriptors / 4).unwrap_or(usize::MAX);
        Policy {
            most_open: Some(quarter.clamp(8, 256)),
            most_per_source: Some(8),
            proxy_line: true,
        }
    }
}

/// A listener whose connections are taken by a task of its own, so that a
/// slow one never holds up the next.
pub struct Guarded {
    ready: mpsc::Receiver<(Connection, SocketAddr)>,
}

pub fn guard(listener: TcpListener, policy: Policy) -> Guarded {
    let (send, ready) = mpsc::channel(64);
    let open = policy.most_open.map(|most| Arc::new(Semaphore::new(most)));
    let per_source = Arc::new(Mutex::new(HashMap::new()));
    tokio::spawn(async move {
        loop {
            // Ends when the server stops taking connections.
            let taken = tokio::select! {
                _ = send.closed() => return,
                taken = take_one(&listener, open.as_ref()) => taken,
            };
            let Some((stream, peer, permit)) = taken else {
                continue;
            };
            let send = send.clone();
            let per_source = per_source.clone();
            tokio::spawn(async move {
                let named = if policy.proxy_line {
                    tokio::time::timeout(HEADER_WAIT, read_proxy_line(stream, peer)).await
                } else {
                    Ok(Ok((stream, Vec::new(), peer)))
                };
                let Ok(Ok((stream, early, source))) = named else {
                    return;
                };
                let slot = match policy.most_per_source {
                    Some(most) => match SourceSlot::take(per_source, source.ip(), most) {
                        Some(slot) => Some(slot),
                        None => return,
                    },
                    None => None,
                };
                let connection = Connection::new(stream, early, (permit, slot));
                let _ = send.send((connection, source)).await;
            });
        }
    });
    Guarded { ready }
}

/// The next connection, once there is room for it.
async fn take_one(
    listener: &TcpListener,
    open: Option<&Arc<Semaphore>>,
) -> Option<(TcpStream, SocketAddr, Option<OwnedSemaphorePermit>)> {
    let permit = match open {
        Some(open) => Some(open.clone().acquire_owned().await.ok()?),
        None => None,
    };
    match listener.accept().await {
        Ok((stream, peer)) => {
            let _ = stream.set_nodelay(true);
            Some((stream, peer, permit))
        }
        Err(error) => {
            // Out of descriptors, most likely: wait for some to close.
            tracing::warn!(%error, "cannot accept a connection");
            tokio::time::sleep(Duration::from_millis(100)).await;
            None
        }
    }
}

/// One of the connections a source may hold open, given back on drop.
struct SourceSlot {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
    source: IpAddr,
}

impl SourceSlot {
    fn take(
        counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
        source: IpAddr,
        most: usize,
    ) -> Option<SourceSlot> {
        {
            let mut held = counts.lock().unwrap_or_else(|e| e.into_inner());
            let open = held.entry(source).or_insert(0);
            if *open >= most {
                return None;
            }
            *open += 1;
        }
        Some(SourceSlot { counts, source })
    }
}

impl Drop for SourceSlot {
    fn drop(&mut self) {
        let mut held = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(open) = held.get_mut(&self.source) {
            *open -= 1;
            if *open == 0 {
                held.remove(&self.source);
            }
        }
    }
}

impl Guarded {
    /// The next connection, and the address it came from (for Tor, its
    /// circuit).
    pub async fn accept(&mut self) -> (Connection, SocketAddr) {
        match self.ready.recv().await {
            Some(taken) => taken,
            // The accepting task ended with the runtime: nothing more comes.
            None => std::future::pending().await,
        }
    }
}

/// Serves `router` on the connections `listener` takes, each request
/// carrying the address it came from (`ConnectInfo`), until `stop`; then
/// each open connection is closed once between requests, and this returns
/// when all are.
pub async fn serve(mut listener: Guarded, router: axum::Router, stop: impl Future<Output = ()>) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use tower::ServiceExt;
    let (stopping, stop_seen) = tokio::sync::watch::channel(());
    let (all_closed, still_open) = tokio::sync::watch::channel(());
    let mut stop = std::pin::pin!(stop);
    loop {
        let (io, from) = tokio::select! {
            taken = listener.accept() => taken,
            () = &mut stop => break,
        };
        let service = router.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(from));
                request.map(axum::body::Body::new)
            },
        );
        let service = hyper_util::service::TowerToHyperService::new(service);
        let stopping = stopping.clone();
        let open = still_open.clone();
        tokio::spawn(async move {
            let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_WAIT);
            let connection = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
            let mut connection = std::pin::pin!(connection);
            let mut told = std::pin::pin!(stopping.closed());
            let mut closing = false;
            loop {
                tokio::select! {
                    _ = connection.as_mut() => break,
                    () = &mut told, if !closing => {
                        closing = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(stop_seen);
    drop(still_open);
    all_closed.closed().await;
}

/// Reads the PROXY line a connection must begin with: the source it names,
/// and whatever came after it. A connection that begins otherwise is
/// refused, so that no one can name a circuit of their choosing when Tor
/// names none.
async fn read_proxy_line(
    mut stream: TcpStream,
    peer: SocketAddr,
) -> io::Result<(TcpStream, Vec<u8>, SocketAddr)> {
    let mut early = Vec::with_capacity(PROXY_LINE_MOST);
    let mut chunk = [0u8; PROXY_LINE_MOST];
    loop {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        early.extend_from_slice(&chunk[..read]);
        let seen = early.len().min(6);
        if early[..seen] != b"PROXY "[..seen] {
            static SAID: AtomicBool = AtomicBool::new(false);
            if !SAID.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    "a connection to the onion listener began without Tor's PROXY line, \
                     and was closed: add `HiddenServiceExportCircuitID haproxy` to the onion \
                     service in torrc (see deploy/torrc)"
                );
            }
            return Err(io::ErrorKind::InvalidData.into());
        }
        if let Some(end) = early.windows(2).position(|pair| pair == b"\r\n") {
            let source = proxy_source(&early[..end]).ok_or(io::ErrorKind::InvalidData)?;
            let rest = early.split_off(end + 2);
            return Ok((stream, rest, source.unwrap_or(peer)));
        }
        if early.len() >= PROXY_LINE_MOST {
            return Err(io::ErrorKind::InvalidData.into());
        }
    }
}

/// The source a PROXY line names (`PROXY TCP6 SRC DST SPORT DPORT`), or
/// `Some(None)` for `PROXY UNKNOWN`; `None` when it is not such a line.
fn proxy_source(line: &[u8]) -> Option<Option<SocketAddr>> {
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split(' ');
    if words.next()? != "PROXY" {
        return None;
    }
    let family = words.next()?;
    if family == "UNKNOWN" {
        return Some(None);
    }
    let source: IpAddr = words.next()?.parse().ok()?;
    let _destination: IpAddr = words.next()?.parse().ok()?;
    let port: u16 = words.next()?.parse().ok()?;
    let _destination_port: u16 = words.next()?.parse().ok()?;
    let family_matches = match family {
        "TCP4" => source.is_ipv4(),
        "TCP6" => source.is_ipv6(),
        _ => false,
    };
    (family_matches && words.next().is_none()).then_some(Some(SocketAddr::new(source, port)))
}

/// A taken connection: the bytes read before hyper's turn come first, and
/// it closes after [`IDLE`] without progress either way.
pub struct Connection {
    stream: TcpStream,
    early: Vec<u8>,
    early_at: usize,
    idle: Pin<Box<Sleep>>,
    _room: Room,
}

/// The room a connection takes while open: its place in the listener's
/// and in its source's counts.
type Room = (Option<OwnedSemaphorePermit>, Option<SourceSlot>);

impl Connection {
    fn new(stream: TcpStream, early: Vec<u8>, room: Room) -> Connection {
        Connection {
            stream,
            early,
            early_at: 0,
            idle: Box::pin(tokio::time::sleep(IDLE)),
            _room: room,
        }
    }

    /// After a read or write: progress puts off the idle deadline; work
    /// still pending past it is an error, which closes the connection.
    fn after<T>(&mut self, cx: &mut Context<'_>, done: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match done {
            Poll::Ready(result) => {
                self.idle.as_mut().reset(Instant::now() + IDLE);
                Poll::Ready(result)
            }
            Poll::Pending => match self.idle.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::ErrorKind::TimedOut.into())),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.early_at < this.early.len() {
            let left = &this.early[this.early_at..];
            let taken = left.len().min(buf.remaining());
            buf.put_slice(&left[..taken]);
            this.early_at += taken;
            return Poll::Ready(Ok(()));
        }
        let read = Pin::new(&mut this.stream).poll_read(cx, buf);
        this.after(cx, read)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, data);
        self.after(cx, written)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, data);
        self.after(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    #[test]
    fn proxy_lines_name_their_source() {
        let circuit = proxy_source(b"PROXY TCP6 fc00:dead:beef:4dad::0:2a ::1 65535 80");
        assert_eq!(
            circuit,
            Some(Some("[fc00:dead:beef:4dad::0:2a]:65535".parse().unwrap()))
        );
        assert!(app::web::is_tor_circuit(circuit.unwrap().unwrap().ip()));
        assert_eq!(proxy_source(b"PROXY UNKNOWN"), Some(None));
        assert!(proxy_source(b"PROXY TCP4 10.0.0.1 10.0.0.2 1 80").is_some());
        for wrong in [
            &b"PROXY TCP4 fc00::1 ::1 1 80"[..],
            b"PROXY TCP6 fc00::1 ::1 1",
            b"PROXY TCP6 fc00::1 ::1 1 80 extra",
            b"PROXY TCP6 nonsense ::1 1 80",
            b"GET / HTTP/1.1",
        ] {
            assert_eq!(
                proxy_source(wrong),
                None,
                "{}",
                String::from_utf8_lossy(wrong)
            );
        }
        assert!(!app::web::is_tor_circuit(IpAddr::V6(Ipv6Addr::LOCALHOST)));
    }

    /// The next connection handed on within 300 ms, if any.
    async fn accepted_soon(guarded: &mut Guarded) -> Option<(Connection, SocketAddr)> {
        let accept = guarded.accept();
        tokio::time::timeout(Duration::from_millis(300), accept)
            .await
            .ok()
    }

    #[tokio::test]
    async fn connections_from_tor_name_their_circuit_and_wait_for_room() {
        use tokio::io::AsyncWriteExt;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut guarded = guard(
            listener,
            Policy {
                most_open: Some(2),
                most_per_source: Some(1),
                proxy_line: true,
            },
        );
        let connect = |first: &'static [u8]| async move {
            let mut stream = TcpStream::connect(address).await.unwrap();
            stream.write_all(first).await.unwrap();
            stream
        };
        let circuit_7 = b"PROXY TCP6 fc00:dead:beef:4dad::1:7 ::1 65535 80\r\nGET /";
        let _first = connect(circuit_7).await;
        let (mut connection, source) = guarded.accept().await;
        assert_eq!(
            source.ip(),
            "fc00:dead:beef:4dad::1:7".parse::<IpAddr>().unwrap()
        );
        let mut start = [0u8; 5];
        connection.read_exact(&mut start).await.unwrap();
        assert_eq!(&start, b"GET /");

        // No PROXY line: closed, never handed on.
        let mut plain = connect(b"GET / HTTP/1.1\r\n").await;
        let mut byte = [0u8; 1];
        assert_eq!(plain.read(&mut byte).await.unwrap(), 0, "closed");
        // A second connection of the same circuit: closed.
        let mut again = connect(circuit_7).await;
        assert_eq!(again.read(&mut byte).await.unwrap(), 0, "closed");
        assert!(accepted_soon(&mut guarded).await.is_none());

        // Another circuit takes the second place; a third waits for room.
        let _second = connect(b"PROXY TCP6 fc00:dead:beef:4dad::1:8 ::1 65535 80\r\n").await;
        let second = accepted_soon(&mut guarded).await;
        assert!(second.is_some());
        let _third = connect(b"PROXY TCP6 fc00:dead:beef:4dad::1:9 ::1 65535 80\r\n").await;
        assert!(accepted_soon(&mut guarded).await.is_none(), "no room");
        drop(connection);
        let (_, source) = accepted_soon(&mut guarded).await.expect("room again");
        assert_eq!(
            source.ip(),
            "fc00:dead:beef:4dad::1:9".parse::<IpAddr>().unwrap()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_head_dripped_slowly_is_cut_off() {
        use tokio::io::AsyncWriteExt;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let listener = guard(listener, Policy::PUBLIC);
        tokio::spawn(serve(listener, router, std::future::pending()));
        let mut client = TcpStream::connect(address).await.unwrap();
        let started = Instant::now();
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        // A byte a second keeps the connection from idling out; the head
        // never ends.
        let cut_after =
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let mut byte = [0u8; 1];
                let closed =
                    match tokio::time::timeout(Duration::from_millis(1), client.read(&mut byte))
                        .await
                    {
                        Ok(_) => true,
                        Err(_) => client.write_all(b"a").await.is_err(),
                    };
                if closed {
                    break started.elapsed();
                }
                assert!(started.elapsed() < IDLE, "never cut off");
            };
        assert!(
            cut_after >= HEAD_WAIT && cut_after <= HEAD_WAIT + Duration::from_secs(2),
            "{cut_after:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_connection_is_closed() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut guarded = guard(listener, Policy::PUBLIC);
        let _silent = TcpStream::connect(address).await.unwrap();
        let (mut connection, _) = guarded.accept().await;
        let mut byte = [0u8; 1];
        let read = connection.read(&mut byte).await;
        assert_eq!(read.unwrap_err().kind(), io::ErrorKind::TimedOut);
    }
}
