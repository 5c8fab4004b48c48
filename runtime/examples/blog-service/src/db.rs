//! The database in a request: a session for reads, a request-scoped transaction for writes.
//!
//! [`Tx`] is FastAPI's `Depends(get_db_session)`: a handler that takes it runs in a transaction
//! of its own, which [`transaction_scope`] commits when the handler answers with a success
//! status and rolls back otherwise (an error status, a panic, a client that went away).

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use azoth::{Engine, Session, Transaction};
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

use crate::AppState;
use crate::error::ApiError;

/// A session on the application's pool: each statement autocommits.
pub struct Db(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for Db
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(_: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(Db(AppState::from_ref(state).engine.session()))
    }
}

// ANCHOR: scope
/// The request's transaction, begun when the handler asks for it.
pub struct Tx(OwnedMappedMutexGuard<Option<Transaction<'static>>, Transaction<'static>>);

impl std::ops::Deref for Tx {
    type Target = Transaction<'static>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// Where the request's transaction lives between the handler and [`transaction_scope`].
#[derive(Clone, Default)]
struct TxSlot(Arc<Mutex<Option<Transaction<'static>>>>);

impl<S: Send + Sync> FromRequestParts<S> for Tx
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Some(slot) = parts.extensions.get::<TxSlot>().cloned() else {
            return Err(ApiError::internal(
                "`Tx` needs the `transaction_scope` layer",
            ));
        };
        let mut held: OwnedMutexGuard<_> = slot.0.lock_owned().await;
        if held.is_none() {
            let engine: Engine = AppState::from_ref(state).engine;
            *held = Some(engine.begin().await?);
        }
        OwnedMutexGuard::try_map(held, Option::as_mut)
            .map(Tx)
            .map_err(|_| ApiError::internal("the request's transaction is gone"))
    }
}

/// Commits the request's transaction if the handler succeeded, rolls it back otherwise.
pub async fn transaction_scope(mut request: Request, next: Next) -> Response {
    let slot = TxSlot::default();
    request.extensions_mut().insert(slot.clone());
    let response = next.run(request).await;
    // The handler has returned, and its `Tx` with it: the slot is free.
    let Some(tx) = slot.0.lock().await.take() else {
        return response;
    };
    if response.status().is_success() {
        match tx.commit().await {
            Ok(()) => response,
            Err(e) => ApiError::from(e).into_response(),
        }
    } else {
        if let Err(e) = tx.rollback().await {
            tracing::warn!(error = %e, "rollback failed; the connection is discarded");
        }
        response
    }
}
// ANCHOR_END: scope
