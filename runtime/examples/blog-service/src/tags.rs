//! Tags, found or created by name: a helper over [`Db`], so it runs in a session as well as in
//! the request's transaction.

use azoth::prelude::*;

use crate::models::{NewTag, Tag};

// ANCHOR: named
/// The tag called `name`, inserted if there is none yet.
pub async fn named(db: &mut impl Db, name: String) -> azoth::Result<Tag> {
    match db
        .one_or_none(Tag::select().filter(Tag::name.eq(name.clone())))
        .await?
    {
        Some(tag) => Ok(tag),
        None => db.insert(NewTag { name }).await,
    }
}
// ANCHOR_END: named
