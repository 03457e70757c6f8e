//! The dev server's connections, bounded: at most [`MAX_CONNECTIONS`] at once, and a connection
//! on which nothing is read or written for [`IDLE_TIMEOUT`] is closed. Idle or half-sent
//! requests (a browser's spare connections, a stuck client, a slow-loris) then cannot take every
//! file descriptor and block the real requests. The live-reload stream is never idle: it sends a
//! keep-alive every 15 seconds.
//!
//! axum's [`axum::serve`] takes any [`Listener`]; this one wraps tokio's `TcpListener`. Written
//! here because neither axum nor hyper-util's server offers a connection cap or an idle timeout
//! on the connection itself.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Connections served at once; more wait to be accepted until one closes.
pub const MAX_CONNECTIONS: usize = 128;

/// How long a connection may stay without reading or writing a byte.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A listener that caps connections and closes idle ones.
#[derive(Debug)]
pub struct Guarded {
    inner: TcpListener,
    permits: Arc<Semaphore>,
    idle: Duration,
}

impl Guarded {
    pub fn new(inner: TcpListener) -> Guarded {
        Guarded::with_limits(inner, MAX_CONNECTIONS, IDLE_TIMEOUT)
    }

    pub fn with_limits(inner: TcpListener, connections: usize, idle: Duration) -> Guarded {
        Guarded {
            inner,
            permits: Arc::new(Semaphore::new(connections.max(1))),
            idle,
        }
    }
}

impl Listener for Guarded {
    type Io = GuardedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (GuardedStream, SocketAddr) {
        loop {
            // Wait for a free place before taking the next connection off the queue.
            let Ok(permit) = Arc::clone(&self.permits).acquire_owned().await else {
                // The semaphore is never closed; wait a little rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            match self.inner.accept().await {
                Ok((stream, address)) => {
                    let _ = stream.set_nodelay(true);
                    return (GuardedStream::new(stream, permit, self.idle), address);
                }
                // Out of file descriptors, or the client gave up: try again shortly.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// One connection: its place among the [`MAX_CONNECTIONS`] is given back when it is dropped.
#[derive(Debug)]
pub struct GuardedStream {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl GuardedStream {
    fn new(stream: TcpStream, permit: OwnedSemaphorePermit, idle: Duration) -> GuardedStream {
        GuardedStream {
            stream,
            _permit: permit,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    fn active(&mut self) {
        let next = Instant::now() + self.idle;
        self.deadline.as_mut().reset(next);
    }

    /// `Pending` stays pending until the idle deadline; then the connection fails.
    fn idle_check<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the connection was idle too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for GuardedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(result) => {
                this.active();
                Poll::Ready(result)
            }
            Poll::Pending => this.idle_check(cx),
        }
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.stream).poll_write(cx, buf) {
            Poll::Ready(result) => {
                this.active();
                Poll::Ready(result)
            }
            Poll::Pending => this.idle_check(cx),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Two places, idle after 300 ms: two idle clients take both places, a third client is
    /// answered once the idle ones are closed.
    #[test]
    fn idle_connections_are_closed_and_give_their_place_back() -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let address = listener.local_addr()?;
            let router = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
            let guarded = Guarded::with_limits(listener, 2, Duration::from_millis(300));
            tokio::spawn(async move { axum::serve(guarded, router).await });

            let mut idle = Vec::new();
            for _ in 0..2 {
                let mut stream = TcpStream::connect(address).await?;
                // Half a request, never finished.
                stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await?;
                idle.push(stream);
            }
            let started = std::time::Instant::now();
            let mut client = TcpStream::connect(address).await?;
            client
                .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await?;
            let mut answer = String::new();
            tokio::time::timeout(Duration::from_secs(20), client.read_to_string(&mut answer))
                .await
                .map_err(|_| io::Error::other("no answer"))??;
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
            assert!(
                started.elapsed() >= Duration::from_millis(250),
                "answered before the idle connections were closed: the cap did not hold"
            );
            // The server closed the idle connections: reading them ends (at the end of the
            // stream, or with a reset) instead of waiting.
            for mut stream in idle {
                let mut rest = Vec::new();
                let ended =
                    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest))
                        .await;
                assert!(ended.is_ok(), "an idle connection is still open");
            }
            Ok(())
        })
    }
}
