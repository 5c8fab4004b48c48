//! `/posts`: list (paginated, with author and tags loaded), show, search, create.

use axum::Json;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use azoth::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::{Db, Tx};
use crate::error::ApiError;
use crate::models::{NewPost, Post, Tag, User};
use crate::tags;

/// A post as the API shows it: with its author and its tags (sorted by name).
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct PostView {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub author: User,
    pub tags: Vec<String>,
}

/// One page of a listing.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Page<T> {
    pub page: u64,
    pub per_page: u64,
    pub items: Vec<T>,
}

/// `?page=2&per_page=10` (pages count from 1; at most 100 a page).
#[derive(Debug, Deserialize)]
pub struct Paging {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// `?author=ann&q=rust&tag=sql`: every filter is optional, those given must all match.
#[derive(Debug, Deserialize)]
pub struct Search {
    /// The author's name.
    pub author: Option<String>,
    /// Words in the title.
    pub q: Option<String>,
    /// A tag the post carries.
    pub tag: Option<String>,
}

/// The body of `POST /posts`.
#[derive(Debug, Deserialize)]
pub struct CreatePost {
    pub author_id: i64,
    pub slug: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `GET /posts?page=&per_page=`: newest first.
pub async fn list(
    Db(mut s): Db,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<PostView>>, ApiError> {
    let per_page = paging.per_page.unwrap_or(20).clamp(1, 100);
    let page = paging.page.unwrap_or(1).max(1);
    let posts = s
        .all(
            Post::select()
                .order_by(Post::id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
                .options((selectin(Post::author), selectin(Post::tags))),
        )
        .await?;
    let items = posts
        .iter()
        .map(|p| view(p, p.get(Post::author), p.get(Post::tags)))
        .collect();
    Ok(Json(Page {
        page,
        per_page,
        items,
    }))
}

/// `GET /posts/{slug}`: the post, or 404.
pub async fn show(Db(mut s): Db, Path(slug): Path<String>) -> Result<Json<PostView>, ApiError> {
    let post = s
        .one_or_none(
            Post::select()
                .filter(Post::slug.eq(slug))
                .options((selectin(Post::author), selectin(Post::tags))),
        )
        .await?
        .ok_or_else(|| ApiError::not_found("post"))?;
    Ok(Json(view(
        &post,
        post.get(Post::author),
        post.get(Post::tags),
    )))
}

/// `GET /posts/search?author=&q=&tag=`: oldest first, at most 100.
pub async fn search(
    Db(mut s): Db,
    Query(search): Query<Search>,
) -> Result<Json<Vec<PostView>>, ApiError> {
    let mut filters: Vec<Boxed<Post>> = Vec::new();
    if let Some(author) = search.author {
        filters.push(Post::author.any(User::name.eq(author)).boxed());
    }
    if let Some(words) = search.q {
        filters.push(Post::title.contains(&words).boxed());
    }
    if let Some(tag) = search.tag {
        filters.push(Post::tags.any(Tag::name.eq(tag)).boxed());
    }
    let posts = s
        .all(
            Post::select()
                .filter(and_all(filters))
                .order_by(Post::id)
                .limit(100)
                .options((selectin(Post::author), selectin(Post::tags))),
        )
        .await?;
    Ok(Json(
        posts
            .iter()
            .map(|p| view(p, p.get(Post::author), p.get(Post::tags)))
            .collect(),
    ))
}

// ANCHOR: create
/// `POST /posts`: the post and its tags in the request's transaction; 201, 409 for a taken
/// slug, 422 for an unknown author (nothing of the request is kept).
pub async fn create(
    mut tx: Tx,
    Json(body): Json<CreatePost>,
) -> Result<(StatusCode, Json<PostView>), ApiError> {
    let mut tagged = Vec::new();
    for name in body.tags {
        if name.trim().is_empty() {
            // The tags before it are already inserted: answering an error rolls them back.
            return Err(ApiError::invalid("a tag needs a name"));
        }
        tagged.push(tags::named(&mut *tx, name).await?);
    }
    let post = tx
        .insert(NewPost {
            author_id: body.author_id,
            slug: body.slug,
            title: body.title,
            body: body.body,
        })
        .await?;
    for tag in &tagged {
        tx.link(Post::tags, &post, tag).await?;
    }
    let post = tx
        .one(
            Post::select()
                .filter(Post::id.eq(post.id))
                .options((selectin(Post::author), selectin(Post::tags))),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&post, post.get(Post::author), post.get(Post::tags))),
    ))
}
// ANCHOR_END: create

/// The view of a post, from the rows loaded with it.
fn view<T: std::ops::Deref<Target = Tag>>(
    post: &Post,
    author: &User,
    tags: &[std::sync::Arc<T>],
) -> PostView {
    let mut tags: Vec<String> = tags.iter().map(|t| t.name.clone()).collect();
    tags.sort();
    PostView {
        id: post.id,
        slug: post.slug.clone(),
        title: post.title.clone(),
        body: post.body.clone(),
        author: author.clone(),
        tags,
    }
}
