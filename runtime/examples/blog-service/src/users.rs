//! `/users`: register a user, read one.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::db::{Db, Tx};
use crate::error::ApiError;
use crate::models::{NewUser, User};

/// A user as the API shows it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct UserView {
    pub id: i64,
    pub name: String,
    pub email: String,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
        }
    }
}

/// The body of `POST /users`.
#[derive(Debug, Deserialize)]
pub struct CreateUser {
    pub name: String,
    pub email: String,
}

/// `POST /users`: 201 with the user, 409 when the email is taken.
pub async fn create(
    mut tx: Tx,
    Json(body): Json<CreateUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let user = tx
        .insert(NewUser {
            name: body.name,
            email: body.email,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&user))))
}

/// `GET /users/{id}`: the user, or 404.
pub async fn show(Db(mut s): Db, Path(id): Path<i64>) -> Result<Json<UserView>, ApiError> {
    let user = s
        .get::<User>(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(Json(UserView::from(&user)))
}
