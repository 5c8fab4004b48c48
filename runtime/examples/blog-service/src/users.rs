//! `/users`: register a user, read one.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;

use crate::db::{Db, Tx};
use crate::error::ApiError;
use crate::models::{NewUser, User};

/// `POST /users` with a `NewUser` body: 201 with the user, 409 when the email is taken.
pub async fn create(
    mut tx: Tx,
    Json(new): Json<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let user = tx.insert(new).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// `GET /users/{id}`: the user, or 404.
pub async fn show(Db(mut s): Db, Path(id): Path<i64>) -> Result<Json<User>, ApiError> {
    let user = s
        .get::<User>(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(Json(user))
}
