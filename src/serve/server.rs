//! The HTTP side (axum): the site's files from memory, the live-reload script and its event
//! stream.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::{broadcast, watch};

use super::paths::{self, Resolved};
use super::reload::{self, Message};
use super::state::{Snapshot, State};

/// What the handlers share.
#[derive(Debug, Clone)]
struct App {
    state: Arc<State>,
    /// Becomes `true` when the server stops; open event streams end then.
    stopping: watch::Receiver<bool>,
}

/// The whole server: the live-reload endpoints, and every other path from the site.
pub fn router(state: Arc<State>, stopping: watch::Receiver<bool>) -> Router {
    Router::new()
        .route(reload::SCRIPT_PATH, get(script))
        .route(reload::EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(App { state, stopping })
}

async fn script() -> Response {
    let mut response = reload::SCRIPT.into_response();
    set(
        &mut response,
        header::CONTENT_TYPE,
        paths::content_type("x.js"),
    );
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

/// Server-sent events: `hello` with the current build, the current failure if any, then every
/// message of the rebuild loop until the server stops.
async fn events(Extract(app): Extract<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = app.state.subscribe();
    let snapshot = app.state.current();
    let mut first = vec![hello(&snapshot)];
    if let Some(failure) = &snapshot.failure {
        first.push(event(&Message::Failed {
            overlay: failure.overlay.clone(),
        }));
    }
    let later = stream::unfold(
        (receiver, app.stopping, app.state),
        |(mut receiver, mut stopping, state)| async move {
            if *stopping.borrow() {
                return None;
            }
            let next = tokio::select! {
                message = receiver.recv() => match message {
                    Ok(message) => event(&message),
                    // Too far behind: say which build is current; the page reloads if stale.
                    Err(broadcast::error::RecvError::Lagged(_)) => hello(&state.current()),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = stopping.changed() => return None,
            };
            Some((next, (receiver, stopping, state)))
        },
    );
    let all = stream::iter(first).chain(later).map(Ok);
    Sse::new(all).keep_alive(KeepAlive::default())
}

fn hello(snapshot: &Snapshot) -> Event {
    let data = serde_json::json!({ "build": snapshot.build }).to_string();
    Event::default().event("hello").data(data)
}

fn event(message: &Message) -> Event {
    let (name, data) = message.event();
    Event::default().event(name).data(data)
}

/// A file of the site, a redirect to a folder's `/`, or the 404 page.
async fn file(Extract(app): Extract<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        set(&mut response, header::ALLOW, "GET, HEAD");
        return response;
    }
    let state = &app.state;
    let snapshot = state.current();
    let exists = |key: &str| snapshot.files.contains_key(key);
    match paths::resolve(&state.base_path, uri.path(), exists) {
        Resolved::File(key) => page(state, &snapshot, &key, StatusCode::OK),
        Resolved::Redirect(to) => {
            let location = match uri.query() {
                Some(query) => format!("{to}?{query}"),
                None => to,
            };
            let mut response = StatusCode::FOUND.into_response();
            set(&mut response, header::LOCATION, &location);
            response
        }
        Resolved::NotFound(Some(key)) => page(state, &snapshot, &key, StatusCode::NOT_FOUND),
        Resolved::NotFound(None) => not_found(state, &snapshot),
        Resolved::BadRequest => plain(
            StatusCode::BAD_REQUEST,
            "the path is not one of a file of the site\n",
        ),
    }
}

/// The file at `key`; HTML pages get the live-reload script and any error overlay.
fn page(state: &State, snapshot: &Snapshot, key: &str, status: StatusCode) -> Response {
    let Some(bytes) = snapshot.files.get(key) else {
        return not_found(state, snapshot);
    };
    let content_type = paths::content_type(key);
    let body = if state.live && content_type.starts_with("text/html") {
        let overlay = snapshot.failure.as_ref().map(|f| f.overlay.as_str());
        let not_found = status == StatusCode::NOT_FOUND;
        match reload::inject(bytes, &snapshot.build, not_found, overlay) {
            Some(html) => Body::from(html),
            None => Body::from(bytes.clone()),
        }
    } else {
        Body::from(bytes.clone())
    };
    let mut response = (status, body).into_response();
    set(&mut response, header::CONTENT_TYPE, content_type);
    set(&mut response, header::CACHE_CONTROL, "no-store");
    set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    response
}

/// A site without a 404 page (or no site yet, when the first build failed).
fn not_found(state: &State, snapshot: &Snapshot) -> Response {
    let html =
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
                <body><h1>Not found</h1><p>The site has no page here.</p></body></html>\n";
    let body = if state.live {
        let overlay = snapshot.failure.as_ref().map(|f| f.overlay.as_str());
        reload::inject(html.as_bytes(), &snapshot.build, true, overlay)
            .unwrap_or_else(|| html.as_bytes().to_vec())
    } else {
        html.as_bytes().to_vec()
    };
    let mut response = (StatusCode::NOT_FOUND, body).into_response();
    set(
        &mut response,
        header::CONTENT_TYPE,
        paths::content_type("x.html"),
    );
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    set(
        &mut response,
        header::CONTENT_TYPE,
        paths::content_type("x.txt"),
    );
    response
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}
