//! How a failed request answers: azoth's error kinds mapped to HTTP statuses.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use azoth::ConstraintKind;
use serde_json::json;

/// A failed request: a status and a message for the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// A 404 for a missing `what`.
    pub fn not_found(what: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("{what} not found"),
        }
    }

    /// A 422 for a request body that is well-formed JSON but not acceptable.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.into(),
        }
    }

    /// A 500 for a fault of the service itself; the client sees no detail.
    pub fn internal(detail: &str) -> Self {
        tracing::error!(detail, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error".into(),
        }
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

// ANCHOR: statuses
impl From<azoth::Error> for ApiError {
    fn from(err: azoth::Error) -> Self {
        let status = match err.constraint_kind() {
            _ if err.is_not_found() => StatusCode::NOT_FOUND,
            // A taken email or slug.
            Some(ConstraintKind::Unique) => StatusCode::CONFLICT,
            // An unknown author, a missing value, a failed check: the request's fault.
            Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
            // A deadlock or serialization failure: the client may send it again.
            None if err.is_retryable() => StatusCode::SERVICE_UNAVAILABLE,
            None => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The details stay in the log; the client learns only that it failed.
            tracing::error!(error = %err, "request failed");
            return ApiError {
                status,
                message: "internal error".into(),
            };
        }
        ApiError {
            status,
            message: err.to_string(),
        }
    }
}
// ANCHOR_END: statuses

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}
