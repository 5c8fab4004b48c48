//! User types as column types: enums stored as text or integers, newtype ids, typed JSON;
//! required and nullable, in inserts, filters, updates, selections and joins, on every backend.

mod common;

use std::collections::HashMap;

use azoth::prelude::*;
use azoth::{DecodeError, Error, Json};
use serde::{Deserialize, Serialize};

azoth::sql_enum! {
    /// Where a post is in its life, stored as text.
    pub enum Status { Draft = "draft", Published = "published", Archived = "archived" }
}

azoth::sql_enum! {
    /// How urgent a post is, stored as an integer.
    pub enum Priority: i32 { Low = 1, Normal = 5, High = 9 }
}

azoth::sql_newtype! { #[derive(Copy, Eq, Hash)] pub struct UserId(pub i64); }
azoth::sql_newtype! { #[derive(Copy, Eq, Hash)] pub struct PostId(pub i64); }

/// Where a post was imported from: a nested struct inside the JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub lines: Vec<u32>,
}

/// A post's JSON metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub tags: Vec<String>,
    pub source: Source,
    pub score: Option<f64>,
}

azoth::model! {
    #[table = "ctype_users"]
    pub struct CUser {
        #[primary_key] pub id: UserId,
        pub name: String,
    }
    relations { posts: has_many(CPost, CPost::author_id) }
}

azoth::model! {
    #[table = "ctype_posts"]
    pub struct CPost {
        #[primary_key] pub id: PostId,
        #[references(CUser::id, on_delete = cascade)] pub author_id: UserId,
        #[index] pub status: Status,
        pub previous: Option<Status>,
        pub priority: Priority,
        pub urgency: Option<Priority>,
        pub meta: Json<Meta>,
        pub extra: Option<Json<Meta>>,
    }
    relations { author: belongs_to(CUser, CPost::author_id) }
}

azoth::model! {
    /// A map with tuple keys serializes to no JSON object.
    #[table = "ctype_bad_json"]
    pub struct CBadJson {
        #[primary_key] pub id: i64,
        pub doc: Json<HashMap<(i32, i32), i32>>,
    }
}

type Models = (CUser, CPost);

/// A selection of every custom column of a post.
type EveryCustom = (
    Status,
    Option<Status>,
    Priority,
    Option<Priority>,
    Json<Meta>,
    Option<Json<Meta>>,
);

fn meta(tag: &str) -> Meta {
    Meta {
        tags: vec![tag.into(), "ü ✓ \"q\"".into()],
        source: Source {
            name: format!("{tag}.md"),
            lines: vec![1, 20, 300],
        },
        score: Some(0.5),
    }
}

/// Two users, and three posts: one with every nullable column set, two with none.
async fn seed(s: &mut Session) -> (CUser, CUser, Vec<CPost>) {
    let ann = s.insert(NewCUser { name: "ann".into() }).await.unwrap();
    let bob = s.insert(NewCUser { name: "bob".into() }).await.unwrap();
    let mut posts = Vec::new();
    for (author, status, previous, priority, urgency, extra) in [
        (
            ann.id,
            Status::Published,
            Some(Status::Draft),
            Priority::High,
            Some(Priority::Low),
            Some(Json(meta("extra"))),
        ),
        (ann.id, Status::Draft, None, Priority::Normal, None, None),
        (bob.id, Status::Archived, None, Priority::Low, None, None),
    ] {
        posts.push(
            s.insert(NewCPost {
                author_id: author,
                status,
                previous,
                priority,
                urgency,
                meta: Json(meta(status.as_str())),
                extra,
            })
            .await
            .unwrap(),
        );
    }
    (ann, bob, posts)
}

#[tokio::test]
async fn ctype_insert_select_filter_update_on_every_backend() {
    for engine in common::engines("ctype_round_trip").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        let (ann, bob, posts) = seed(&mut s).await;

        // Insert returns what was stored, and a select reads it back, NULLs included.
        assert_eq!(posts[0].status, Status::Published, "{db}");
        assert_eq!(posts[0].previous, Some(Status::Draft), "{db}");
        assert_eq!(posts[0].urgency, Some(Priority::Low), "{db}");
        assert_eq!(posts[0].extra, Some(Json(meta("extra"))), "{db}");
        assert_eq!(posts[1].previous, None, "{db}");
        assert_eq!(posts[1].extra, None, "{db}");
        let all = s.all(CPost::select().order_by(CPost::id)).await.unwrap();
        assert_eq!(all, posts, "{db}: select reads back what insert stored");
        assert_eq!(all[2].meta.source.lines, [1, 20, 300], "{db}: nested JSON");

        // Filters: eq and in_ on enums, newtype ids, NULL in an Option<enum> column.
        let drafts = s
            .all(CPost::select().filter(CPost::status.eq(Status::Draft)))
            .await
            .unwrap();
        assert_eq!(drafts, [posts[1].clone()], "{db}: eq on a text enum");
        let live = s
            .all(
                CPost::select()
                    .filter(CPost::status.in_([Status::Draft, Status::Published]))
                    .order_by(CPost::id),
            )
            .await
            .unwrap();
        assert_eq!(live, posts[..2], "{db}: in_ on a text enum");
        let urgent = s
            .all(
                CPost::select()
                    .filter(CPost::priority.in_([Priority::High, Priority::Normal]))
                    .order_by(CPost::id),
            )
            .await
            .unwrap();
        assert_eq!(urgent, posts[..2], "{db}: in_ on an integer enum");
        let no_previous: i64 = s
            .one(
                select(count_all())
                    .from(CPost::TABLE)
                    .filter(CPost::previous.is_null()),
            )
            .await
            .unwrap();
        assert_eq!(no_previous, 2, "{db}: NULL in an Option<Status> column");
        let was_draft = s
            .all(CPost::select().filter(CPost::previous.eq(Status::Draft)))
            .await
            .unwrap();
        assert_eq!(
            was_draft,
            [posts[0].clone()],
            "{db}: eq on a nullable enum column"
        );
        let by_bob = s
            .all(CPost::select().filter(CPost::author_id.eq(bob.id)))
            .await
            .unwrap();
        assert_eq!(by_bob, [posts[2].clone()], "{db}: eq on a newtype id");

        // Selections: a tuple of custom types, and a join on two newtype columns.
        let row: EveryCustom = s
            .one(
                select((
                    CPost::status,
                    CPost::previous,
                    CPost::priority,
                    CPost::urgency,
                    CPost::meta,
                    CPost::extra,
                ))
                .filter(CPost::id.eq(posts[0].id)),
            )
            .await
            .unwrap();
        assert_eq!(
            row,
            (
                Status::Published,
                Some(Status::Draft),
                Priority::High,
                Some(Priority::Low),
                Json(meta("published")),
                Some(Json(meta("extra")))
            ),
            "{db}"
        );
        let joined: Vec<(PostId, String, Status)> = s
            .all(
                select((CPost::id, CUser::name, CPost::status))
                    .join(CUser::TABLE.on(CPost::author_id.eq(CUser::id)))
                    .order_by(CPost::id),
            )
            .await
            .unwrap();
        assert_eq!(
            joined,
            [
                (posts[0].id, "ann".to_owned(), Status::Published),
                (posts[1].id, "ann".to_owned(), Status::Draft),
                (posts[2].id, "bob".to_owned(), Status::Archived),
            ],
            "{db}: join on newtype ids"
        );
        let found = s.get::<CUser>(bob.id).await.unwrap();
        assert_eq!(found, Some(bob.clone()), "{db}: get by a newtype key");
        let users = s
            .all(
                CUser::select()
                    .order_by(CUser::id)
                    .options(selectin(CUser::posts)),
            )
            .await
            .unwrap();
        let loaded: Vec<PostId> = users[0]
            .get(CUser::posts)
            .iter()
            .map(|p| p.row().id)
            .collect();
        assert_eq!(
            loaded,
            [posts[0].id, posts[1].id],
            "{db}: loading along newtype keys"
        );

        // Updates: set an enum, set a nullable enum to NULL and to a value, set JSON.
        let mut changed = meta("changed");
        changed.source.lines.clear();
        changed.score = None;
        let n = s
            .execute(
                update(CPost::TABLE)
                    .set(CPost::status, Status::Archived)
                    .set(CPost::previous, None::<Status>)
                    .set(CPost::urgency, Priority::High)
                    .set(CPost::extra, Json(changed.clone()))
                    .filter(
                        CPost::author_id
                            .eq(ann.id)
                            .and(CPost::status.eq(Status::Published)),
                    ),
            )
            .await
            .unwrap();
        assert_eq!(n, 1, "{db}");
        let updated = s.get::<CPost>(posts[0].id).await.unwrap().unwrap();
        assert_eq!(
            (
                updated.status,
                updated.previous,
                updated.urgency,
                updated.extra
            ),
            (
                Status::Archived,
                None,
                Some(Priority::High),
                Some(Json(changed))
            ),
            "{db}: updated columns read back"
        );
    }
}

#[tokio::test]
async fn ctype_unknown_stored_values_are_decode_errors() {
    for engine in common::engines("ctype_unknown").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        let (_, _, posts) = seed(&mut s).await;
        let id = posts[1].id.0;

        s.execute(
            text("UPDATE ctype_posts SET status = :s WHERE id = :id")
                .bind("s", "deleted")
                .bind("id", id),
        )
        .await
        .unwrap();
        let err = s.all(CPost::select()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::Unrepresentable { column, problem })
                if column == "status" && problem.contains(r#""deleted" is not a variant of `Status`"#)),
            "{db}: {err}"
        );
        let err = s.all(select(CPost::status)).await.unwrap_err();
        assert!(err.to_string().contains("deleted"), "{db}: {err}");
        // The same row reached through a relationship: a joined load decodes it as it reads
        // the joined rows, selectin from its own statement; both name the column.
        for (how, loaded) in [
            (
                "joined",
                s.all(CUser::select().options(joined(CUser::posts))).await,
            ),
            (
                "selectin",
                s.all(CUser::select().options(selectin(CUser::posts))).await,
            ),
        ] {
            let err = loaded.map(|users| users.len()).unwrap_err();
            assert!(
                matches!(&err, Error::Decode(DecodeError::Unrepresentable { column, problem })
                    if column == "status" && problem.contains(r#""deleted" is not a variant of `Status`"#)),
                "{db}, {how}: {err}"
            );
        }

        s.execute(
            text("UPDATE ctype_posts SET status = 'draft', urgency = :u WHERE id = :id")
                .bind("u", 7)
                .bind("id", id),
        )
        .await
        .unwrap();
        let err = s.all(select(CPost::urgency)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::Unrepresentable { column, problem })
                if column == "urgency" && problem.contains("the stored value 7 is not a variant of `Priority`")),
            "{db}: {err}"
        );

        s.execute(
            text("UPDATE ctype_posts SET urgency = NULL, meta = :m WHERE id = :id")
                .bind("m", serde_json::json!({"tags": "not a list"}))
                .bind("id", id),
        )
        .await
        .unwrap();
        let err = s.all(CPost::select()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::Unrepresentable { column, problem })
                if column == "meta" && problem.contains("is not a `Meta`")),
            "{db}: {err}"
        );
    }
}

#[tokio::test]
async fn ctype_unserializable_json_is_refused_at_bind() {
    for engine in common::engines("ctype_bad_json").await {
        let db = common::name(&engine);
        engine.create_all::<(CBadJson,)>().await.unwrap();
        let mut s = engine.session();
        let err = s
            .insert(NewCBadJson {
                doc: Json([((1, 2), 3)].into()),
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Bind(m) if m.contains("could not be serialized")),
            "{db}: {err}"
        );
        let n: i64 = s
            .one(select(count_all()).from(CBadJson::TABLE))
            .await
            .unwrap();
        assert_eq!(n, 0, "{db}: nothing stored");
    }
}

/// The column type `create_all` gave each column, as the database reports it.
async fn column_types(s: &mut Session, backend: Backend) -> Vec<(String, String)> {
    let q = match backend {
        Backend::Postgres => {
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'ctype_posts' ORDER BY ordinal_position"
        }
        Backend::MySql => {
            "SELECT CAST(column_name AS CHAR), CAST(column_type AS CHAR) FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = 'ctype_posts' ORDER BY ordinal_position"
        }
        Backend::Sqlite => "SELECT name, type FROM pragma_table_info('ctype_posts') ORDER BY cid",
    };
    s.all(text(q).returns::<(String, String)>()).await.unwrap()
}

#[tokio::test]
async fn ctype_create_all_gives_each_custom_type_its_stored_type() {
    for engine in common::engines("ctype_ddl").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        let got = column_types(&mut s, engine.backend()).await;
        let want: &[(&str, &str)] = match engine.backend() {
            Backend::Postgres => &[
                ("id", "bigint"),
                ("author_id", "bigint"),
                ("status", "text"),
                ("previous", "text"),
                ("priority", "integer"),
                ("urgency", "integer"),
                ("meta", "jsonb"),
                ("extra", "jsonb"),
            ],
            // MariaDB's JSON is LONGTEXT with a json_valid check; MySQL reports `json`.
            Backend::MySql => &[
                ("id", "bigint(20)"),
                ("author_id", "bigint(20)"),
                ("status", "varchar(255)"),
                ("previous", "longtext"),
                ("priority", "int(11)"),
                ("urgency", "int(11)"),
                ("meta", "longtext"),
                ("extra", "longtext"),
            ],
            Backend::Sqlite => &[
                ("id", "INTEGER"),
                ("author_id", "INTEGER"),
                ("status", "TEXT"),
                ("previous", "TEXT"),
                ("priority", "INTEGER"),
                ("urgency", "INTEGER"),
                ("meta", "TEXT"),
                ("extra", "TEXT"),
            ],
        };
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(c, t)| ((*c).into(), (*t).into()))
            .collect();
        assert_eq!(got, want, "{db}");
        if engine.backend() == Backend::MySql {
            let (_, create): (String, String) = s
                .one(text("SHOW CREATE TABLE ctype_posts").returns::<(String, String)>())
                .await
                .unwrap();
            assert!(
                create.contains("json_valid(`meta`)") || create.contains("`meta` json"),
                "{db}: {create}"
            );
        }
    }
}
