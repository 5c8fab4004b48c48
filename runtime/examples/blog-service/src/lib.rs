//! A blog over JSON: azoth in an axum service.
//!
//! - `GET /posts?page=&per_page=`: posts with their author and tags, newest first;
//! - `GET /posts/{slug}`, `GET /users/{id}`: one row, or 404;
//! - `GET /posts/search?author=&q=&tag=`: optional filters;
//! - `POST /users`, `POST /posts`: in a transaction per request; 409 for a unique violation.
//!
//! The pooled [`Engine`] lives in the router's state; each request runs in a `tracing` span.

pub mod db;
pub mod error;
pub mod models;
pub mod posts;
pub mod tags;
pub mod users;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use azoth::Engine;
use tracing::Instrument;

// ANCHOR: state
/// What every handler can reach: the engine and its pool.
#[derive(Clone)]
pub struct AppState {
    /// The pooled engine; a session per request is cheap.
    pub engine: Engine,
}

/// The service's routes over `engine`.
pub fn app(engine: Engine) -> Router {
    Router::new()
        .route("/users", post(users::create))
        .route("/users/{id}", get(users::show))
        .route("/posts", get(posts::list).post(posts::create))
        .route("/posts/search", get(posts::search))
        .route("/posts/{slug}", get(posts::show))
        .layer(middleware::from_fn(db::transaction_scope))
        .layer(middleware::from_fn(request_span))
        .with_state(AppState { engine })
}
// ANCHOR_END: state

/// Creates the tables the service needs, if they are missing.
pub async fn create_schema(engine: &Engine) -> azoth::Result<()> {
    engine.create_all::<models::Schema>().await
}

/// Runs each request in a span naming its method and path, and logs its status.
async fn request_span(request: Request, next: Next) -> Response {
    let span =
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path());
    async move {
        let response = next.run(request).await;
        tracing::info!(status = response.status().as_u16(), "answered");
        response
    }
    .instrument(span)
    .await
}
