//! The HTTP/1 server under the webhook listener (feature `runtime`): it faces the internet, so
//! every connection is bounded — the time to send request headers (hyper's header read timeout,
//! also between requests of a kept-alive connection), the time without a byte either way (an
//! idle timeout around the socket), and the number of connections at once. At the cap, the
//! connection that has waited longest for a request is closed to make room, so a crowd of
//! clients that never finish their headers cannot keep a real notification out.

use crate::triggers::webhook::ListenerLimits;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

/// One served connection, as the accept loop sees it.
struct Slot {
    id: u64,
    /// Requests in progress on it (0: it waits for a request's headers).
    busy: Arc<AtomicUsize>,
    /// Told to close the connection.
    close: Arc<Notify>,
}

/// The connections being served.
#[derive(Default)]
struct Slots {
    open: Mutex<Vec<Slot>>,
    /// Signalled whenever a connection ends.
    freed: Notify,
}

impl Slots {
    fn len(&self) -> usize {
        self.open.lock().map_or(0, |o| o.len())
    }

    /// Asks the connection that has waited longest for a request to close; false when every
    /// connection is busy with one.
    fn evict_oldest_waiting(&self) -> bool {
        let Ok(open) = self.open.lock() else {
            return false;
        };
        match open.iter().find(|s| s.busy.load(Ordering::SeqCst) == 0) {
            Some(slot) => {
                slot.close.notify_one();
                true
            }
            None => false,
        }
    }

    fn remove(&self, id: u64) {
        if let Ok(mut open) = self.open.lock() {
            open.retain(|s| s.id != id);
        }
        self.freed.notify_waiters();
    }
}

/// Serves `app` on `socket` within `limits` until the task is dropped.
pub(crate) async fn serve(
    socket: tokio::net::TcpListener,
    app: axum::Router,
    limits: ListenerLimits,
) -> io::Result<()> {
    let slots = Arc::new(Slots::default());
    let ids = AtomicU64::new(0);
    let cap = limits.max_connections.max(1);
    loop {
        let (stream, _) = match socket.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors (or a connection reset before it was accepted): wait
                // a little and go on, as a server must.
                tracing::warn!(error = %e, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Room for it: the longest-waiting connection goes; when all are busy, wait.
        while slots.len() >= cap {
            let freed = slots.freed.notified();
            if !slots.evict_oldest_waiting() {
                tracing::debug!(cap, "every connection is busy; waiting for one to end");
            }
            freed.await;
        }
        let id = ids.fetch_add(1, Ordering::Relaxed);
        let busy = Arc::new(AtomicUsize::new(0));
        let close = Arc::new(Notify::new());
        if let Ok(mut open) = slots.open.lock() {
            open.push(Slot {
                id,
                busy: busy.clone(),
                close: close.clone(),
            });
        }
        let app = app.clone();
        let slots = slots.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(Idle::new(stream, limits.idle_timeout));
            let watched = slots.clone();
            let service = hyper::service::service_fn(move |req| {
                let app = app.clone();
                let busy = busy.clone();
                let watched = watched.clone();
                busy.fetch_add(1, Ordering::SeqCst);
                async move {
                    use tower_service::Service;
                    let mut app = app;
                    let response = app.call(req.map(axum::body::Body::new)).await;
                    // Waiting for its next request, it may now make room for a new one.
                    if busy.fetch_sub(1, Ordering::SeqCst) == 1 {
                        watched.freed.notify_waiters();
                    }
                    response
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout);
            let connection = builder.serve_connection(io, service);
            tokio::select! {
                _ = connection => {}
                _ = close.notified() => {
                    tracing::debug!("closed a connection waiting for its request to make room");
                }
            }
            slots.remove(id);
        });
    }
}

/// A socket that fails with `TimedOut` once no byte has gone either way for `timeout`. Activity
/// only records the time; the timer is moved when it fires early (resetting it on every read
/// and write cost the listener 5 % of its throughput).
struct Idle<T> {
    inner: T,
    timeout: Duration,
    last: tokio::time::Instant,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl<T> Idle<T> {
    fn new(inner: T, timeout: Duration) -> Self {
        Idle {
            inner,
            timeout,
            last: tokio::time::Instant::now(),
            deadline: Box::pin(tokio::time::sleep(timeout)),
        }
    }

    fn progressed(&mut self) {
        self.last = tokio::time::Instant::now();
    }

    /// Whether the connection has been idle for the timeout (registering the waker when not).
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        loop {
            if self.deadline.as_mut().poll(cx).is_pending() {
                return false;
            }
            let due = self.last + self.timeout;
            if due <= tokio::time::Instant::now() {
                return true;
            }
            self.deadline.as_mut().reset(due);
        }
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "the connection was idle too long")
}

impl<T: AsyncRead + Unpin> AsyncRead for Idle<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    self.progressed();
                }
                Poll::Ready(result)
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Idle<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.progressed();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(e) => Poll::Ready(e),
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
