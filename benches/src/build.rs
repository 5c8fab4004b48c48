//! The construction workloads, each built and rendered to PostgreSQL SQL with its bound values by
//! every peer: azoth, sea-query by hand, Diesel, SeaORM's query builder and the floor (`format!`
//! plus pushing the values). The tests below check that each peer renders the same statement.

use azoth::prelude::*;

use crate::{NewUser, Post, User};

/// A new user of the insert workloads, as every peer receives it.
#[derive(Clone)]
pub struct Row {
    /// The user's name.
    pub name: String,
    /// The user's e-mail address.
    pub email: String,
    /// The user's karma.
    pub karma: i32,
}

/// `n` new users.
pub fn rows(n: usize) -> Vec<Row> {
    (0..n)
        .map(|i| Row {
            name: format!("user {i}"),
            email: format!("user{i}@example.org"),
            karma: i as i32,
        })
        .collect()
}

fn new_user(r: &Row) -> NewUser {
    NewUser {
        name: r.name.clone(),
        email: r.email.clone(),
        karma: r.karma,
    }
}

/// azoth: each workload, through the render-once cache (`to_sql`), and for SELECT also afresh
/// (`to_sql_uncached`).
pub mod azoth_peer {
    use super::*;

    /// `SELECT <user columns> FROM users WHERE id = $1`.
    pub fn trivial(id: i64) -> azoth::Rendered {
        User::select()
            .filter(User::id.eq(id))
            .to_sql(Backend::Postgres)
    }

    /// The same, rendered by sea-query each time.
    pub fn trivial_uncached(id: i64) -> azoth::Rendered {
        User::select()
            .filter(User::id.eq(id))
            .to_sql_uncached(Backend::Postgres)
    }

    /// The medium query, rendered by sea-query each time.
    pub fn medium_uncached(author: i64, min_likes: i32, needle: &str) -> azoth::Rendered {
        select((User::name, Post::id, Post::title))
            .join(Post::TABLE.on(Post::author_id.eq(User::id)))
            .filter(User::id.eq(author))
            .filter(Post::likes.ge(min_likes))
            .filter(Post::title.like(needle))
            .order_by(Post::id.desc())
            .limit(20)
            .to_sql_uncached(Backend::Postgres)
    }

    /// `INSERT INTO users (name, email, karma) VALUES ..` of `rows`.
    /// Rendered the way the runtime renders a statement it was given: its values moved out.
    pub fn insert(rows: &[Row]) -> azoth::Rendered {
        insert_many(rows.iter().map(new_user)).into_sql(Backend::Postgres)
    }

    /// `UPDATE users SET name = $1, karma = $2 WHERE id = $3`.
    pub fn update(id: i64, name: &str, karma: i32) -> azoth::Rendered {
        Statement::to_sql(
            &azoth::update(User::TABLE)
                .set(User::name, name.to_owned())
                .set(User::karma, karma)
                .filter(User::id.eq(id)),
            Backend::Postgres,
        )
    }

    /// `INSERT .. ON CONFLICT (email) DO UPDATE SET name = excluded.name, karma = excluded.karma`.
    pub fn upsert(row: &Row) -> azoth::Rendered {
        Statement::to_sql(
            &azoth::insert(new_user(row))
                .on_conflict(User::email)
                .do_update((User::name, User::karma)),
            Backend::Postgres,
        )
    }

    /// Fills this thread's render-once cache to its capacity with other shapes, so that every
    /// statement first built afterwards on this thread is rendered afresh each time (the cost of
    /// a shape the cache does not hold: its key is computed, looked up, missed, then sea-query
    /// renders it). Used to measure INSERT/UPDATE/upsert uncached, which have no `to_sql_uncached`.
    pub fn fill_cache() {
        'outer: for filters in 1..=200usize {
            for len in 1..=64usize {
                if azoth::shape::cached_shapes() >= 4096 {
                    break 'outer;
                }
                let mut q = User::select();
                for _ in 0..filters {
                    q = q.filter(User::id.in_(vec![0i64; len]));
                }
                let _ = q.to_sql(Backend::Postgres);
            }
        }
    }
}

/// sea-query 1.0 (the version azoth renders with), statements built by hand.
pub mod sea_query_peer {
    use super::Row;
    use sea_query::{
        Expr, ExprTrait, JoinType, LikeExpr, OnConflict, Order, PostgresQueryBuilder, Query, Values,
    };

    /// The trivial select.
    pub fn trivial(id: i64) -> (String, Values) {
        Query::select()
            .column(("users", "id"))
            .column(("users", "name"))
            .column(("users", "email"))
            .column(("users", "karma"))
            .from("users")
            .and_where(Expr::col(("users", "id")).eq(id))
            .build(PostgresQueryBuilder)
    }

    /// The medium select.
    pub fn medium(author: i64, min_likes: i32, needle: &str) -> (String, Values) {
        Query::select()
            .column(("users", "name"))
            .column(("posts", "id"))
            .column(("posts", "title"))
            .from("users")
            .join(
                JoinType::InnerJoin,
                "posts",
                Expr::col(("posts", "author_id")).equals(("users", "id")),
            )
            .and_where(Expr::col(("users", "id")).eq(author))
            .and_where(Expr::col(("posts", "likes")).gte(min_likes))
            .and_where(Expr::col(("posts", "title")).like(LikeExpr::new(needle).escape('!')))
            .order_by(("posts", "id"), Order::Desc)
            .limit(20)
            .build(PostgresQueryBuilder)
    }

    /// The insert of `rows`.
    pub fn insert(rows: &[Row]) -> (String, Values) {
        let mut q = Query::insert();
        q.into_table("users").columns(["name", "email", "karma"]);
        for r in rows {
            q.values_panic([
                r.name.clone().into(),
                r.email.clone().into(),
                r.karma.into(),
            ]);
        }
        q.build(PostgresQueryBuilder)
    }

    /// The update with two sets.
    pub fn update(id: i64, name: &str, karma: i32) -> (String, Values) {
        Query::update()
            .table("users")
            .value("name", name)
            .value("karma", karma)
            .and_where(Expr::col(("users", "id")).eq(id))
            .build(PostgresQueryBuilder)
    }

    /// The upsert.
    pub fn upsert(r: &Row) -> (String, Values) {
        Query::insert()
            .into_table("users")
            .columns(["name", "email", "karma"])
            .values_panic([
                r.name.clone().into(),
                r.email.clone().into(),
                r.karma.into(),
            ])
            .on_conflict(
                OnConflict::column("email")
                    .update_columns(["name", "karma"])
                    .to_owned(),
            )
            .build(PostgresQueryBuilder)
    }
}

/// Diesel 2.3: the SQL text from `QueryFragment::to_sql` into a `PgQueryBuilder`, and the bound
/// values serialised as Diesel does before sending them (`collect_binds` into a
/// `RawBytesBindCollector`): what Diesel computes for a statement it has not cached.
pub mod diesel_peer {
    use super::Row;
    use diesel::pg::{Pg, PgMetadataLookup, PgQueryBuilder, PgTypeMetadata};
    use diesel::prelude::*;
    use diesel::query_builder::bind_collector::RawBytesBindCollector;
    use diesel::query_builder::{QueryBuilder, QueryFragment};

    diesel::table! { users (id) { id -> BigInt, name -> Text, email -> Text, karma -> Integer, } }
    diesel::table! { posts (id) { id -> BigInt, title -> Text, author_id -> BigInt, likes -> Integer, } }
    diesel::joinable!(posts -> users (author_id));
    diesel::allow_tables_to_appear_in_same_query!(users, posts);

    /// A new user, for Diesel's inserts.
    #[derive(Insertable)]
    #[diesel(table_name = users)]
    pub struct NewUser<'a> {
        name: &'a str,
        email: &'a str,
        karma: i32,
    }

    struct NoLookup;
    impl PgMetadataLookup for NoLookup {
        fn lookup_type(&mut self, _: &str, _: Option<&str>) -> PgTypeMetadata {
            unreachable!("the benchmark binds built-in types only")
        }
    }

    /// The serialised bound values (Diesel keeps them private).
    pub type Binds = RawBytesBindCollector<Pg>;

    /// The SQL text and the serialised binds of `q`.
    pub fn render<Q: QueryFragment<Pg>>(q: &Q) -> (String, Binds) {
        let mut qb = PgQueryBuilder::default();
        q.to_sql(&mut qb, &Pg).unwrap();
        let mut binds = RawBytesBindCollector::<Pg>::new();
        q.collect_binds(&mut binds, &mut NoLookup, &Pg).unwrap();
        (qb.finish(), binds)
    }

    /// The trivial select.
    pub fn trivial(id: i64) -> (String, Binds) {
        render(&users::table.filter(users::id.eq(id)))
    }

    /// The medium select.
    pub fn medium(author: i64, min_likes: i32, needle: &str) -> (String, Binds) {
        render(
            &users::table
                .inner_join(posts::table)
                .select((users::name, posts::id, posts::title))
                .filter(users::id.eq(author))
                .filter(posts::likes.ge(min_likes))
                .filter(posts::title.like(needle).escape('!'))
                .order(posts::id.desc())
                .limit(20),
        )
    }

    fn new_user(r: &Row) -> NewUser<'_> {
        NewUser {
            name: &r.name,
            email: &r.email,
            karma: r.karma,
        }
    }

    /// The insert of `rows`.
    pub fn insert(rows: &[Row]) -> (String, Binds) {
        let rows: Vec<NewUser<'_>> = rows.iter().map(new_user).collect();
        render(&diesel::insert_into(users::table).values(&rows))
    }

    /// The update with two sets.
    pub fn update(id: i64, name: &str, karma: i32) -> (String, Binds) {
        render(
            &diesel::update(users::table.filter(users::id.eq(id)))
                .set((users::name.eq(name), users::karma.eq(karma))),
        )
    }

    /// The upsert.
    pub fn upsert(r: &Row) -> (String, Binds) {
        use diesel::upsert::excluded;
        render(
            &diesel::insert_into(users::table)
                .values(new_user(r))
                .on_conflict(users::email)
                .do_update()
                .set((
                    users::name.eq(excluded(users::name)),
                    users::karma.eq(excluded(users::karma)),
                )),
        )
    }
}

/// SeaORM 1.1's query builder (`QueryTrait::build`), which renders with sea-query 0.32.
pub mod sea_orm_peer {
    use super::Row;
    use sea_orm::sea_query::{Expr, LikeExpr, OnConflict};
    use sea_orm::{
        ActiveValue::Set, ColumnTrait, DbBackend, EntityTrait, JoinType, QueryFilter, QueryOrder,
        QuerySelect, QueryTrait, RelationTrait, Statement,
    };

    /// The `users` entity.
    pub mod user {
        use sea_orm::entity::prelude::*;
        /// A user.
        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "users")]
        pub struct Model {
            /// Key.
            #[sea_orm(primary_key)]
            pub id: i64,
            /// Name.
            pub name: String,
            /// E-mail address.
            pub email: String,
            /// Karma.
            pub karma: i32,
        }
        /// Relations.
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            /// The user's posts.
            #[sea_orm(has_many = "super::post::Entity")]
            Post,
        }
        impl Related<super::post::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::Post.def()
            }
        }
        impl ActiveModelBehavior for ActiveModel {}
    }

    /// The `posts` entity.
    pub mod post {
        use sea_orm::entity::prelude::*;
        /// A post.
        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "posts")]
        pub struct Model {
            /// Key.
            #[sea_orm(primary_key)]
            pub id: i64,
            /// Title.
            pub title: String,
            /// Author.
            pub author_id: i64,
            /// Likes.
            pub likes: i32,
        }
        /// Relations.
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            /// The post's author.
            #[sea_orm(
                belongs_to = "super::user::Entity",
                from = "Column::AuthorId",
                to = "super::user::Column::Id"
            )]
            User,
        }
        impl Related<super::user::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::User.def()
            }
        }
        impl ActiveModelBehavior for ActiveModel {}
    }

    /// The trivial select.
    pub fn trivial(id: i64) -> Statement {
        user::Entity::find()
            .filter(user::Column::Id.eq(id))
            .build(DbBackend::Postgres)
    }

    /// The medium select.
    pub fn medium(author: i64, min_likes: i32, needle: &str) -> Statement {
        user::Entity::find()
            .select_only()
            .column(user::Column::Name)
            .column(post::Column::Id)
            .column(post::Column::Title)
            .join(JoinType::InnerJoin, user::Relation::Post.def())
            .filter(user::Column::Id.eq(author))
            .filter(post::Column::Likes.gte(min_likes))
            .filter(
                Expr::col((post::Entity, post::Column::Title))
                    .like(LikeExpr::new(needle).escape('!')),
            )
            .order_by_desc(post::Column::Id)
            .limit(20)
            .build(DbBackend::Postgres)
    }

    fn active(r: &Row) -> user::ActiveModel {
        user::ActiveModel {
            name: Set(r.name.clone()),
            email: Set(r.email.clone()),
            karma: Set(r.karma),
            ..Default::default()
        }
    }

    /// The insert of `rows`.
    pub fn insert(rows: &[Row]) -> Statement {
        user::Entity::insert_many(rows.iter().map(active)).build(DbBackend::Postgres)
    }

    /// The update with two sets.
    pub fn update(id: i64, name: &str, karma: i32) -> Statement {
        user::Entity::update_many()
            .col_expr(user::Column::Name, Expr::value(name))
            .col_expr(user::Column::Karma, Expr::value(karma))
            .filter(user::Column::Id.eq(id))
            .build(DbBackend::Postgres)
    }

    /// The upsert.
    pub fn upsert(r: &Row) -> Statement {
        user::Entity::insert(active(r))
            .on_conflict(
                OnConflict::column(user::Column::Email)
                    .update_columns([user::Column::Name, user::Column::Karma])
                    .to_owned(),
            )
            .build(DbBackend::Postgres)
    }
}

/// The floor: the SQL text written with `format!`/`write!` and the values pushed into a vector,
/// with nothing checked, quoted or cached.
pub mod floor {
    use super::Row;
    use sea_query::Value;
    use std::fmt::Write as _;

    /// The trivial select.
    pub fn trivial(id: i64) -> (String, Vec<Value>) {
        (
            String::from(
                r#"SELECT "users"."id", "users"."name", "users"."email", "users"."karma" FROM "users" WHERE "users"."id" = $1"#,
            ),
            vec![Value::from(id)],
        )
    }

    /// The medium select.
    pub fn medium(author: i64, min_likes: i32, needle: &str) -> (String, Vec<Value>) {
        let sql = format!(
            r#"SELECT "users"."name", "posts"."id", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE "users"."id" = ${} AND "posts"."likes" >= ${} AND "posts"."title" LIKE ${} ESCAPE '!' ORDER BY "posts"."id" DESC LIMIT ${}"#,
            1, 2, 3, 4
        );
        let values = vec![
            Value::from(author),
            Value::from(min_likes),
            Value::from(needle),
            Value::from(20u64),
        ];
        (sql, values)
    }

    /// The insert of `rows`.
    pub fn insert(rows: &[Row]) -> (String, Vec<Value>) {
        let mut sql = String::from(r#"INSERT INTO "users" ("name", "email", "karma") VALUES "#);
        let mut values = Vec::with_capacity(rows.len() * 3);
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let n = i * 3;
            let _ = write!(sql, "(${}, ${}, ${})", n + 1, n + 2, n + 3);
            values.push(Value::from(r.name.clone()));
            values.push(Value::from(r.email.clone()));
            values.push(Value::from(r.karma));
        }
        (sql, values)
    }

    /// The update with two sets.
    pub fn update(id: i64, name: &str, karma: i32) -> (String, Vec<Value>) {
        (
            format!(
                r#"UPDATE "users" SET "name" = ${}, "karma" = ${} WHERE "users"."id" = ${}"#,
                1, 2, 3
            ),
            vec![Value::from(name), Value::from(karma), Value::from(id)],
        )
    }

    /// The upsert.
    pub fn upsert(r: &Row) -> (String, Vec<Value>) {
        (
            String::from(
                r#"INSERT INTO "users" ("name", "email", "karma") VALUES ($1, $2, $3) ON CONFLICT ("email") DO UPDATE SET "name" = "excluded"."name", "karma" = "excluded"."karma""#,
            ),
            vec![
                Value::from(r.name.clone()),
                Value::from(r.email.clone()),
                Value::from(r.karma),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL with quotes, parentheses and whitespace removed: Diesel parenthesises conditions
    /// and SeaORM's sea-query 0.32 quotes like sea-query 1.0; the rest must be equal.
    fn norm(sql: &str) -> String {
        sql.chars()
            .filter(|c| !matches!(c, '"' | '(' | ')' | ' '))
            .collect::<String>()
            .to_lowercase()
    }

    /// `$1`, `$2`, .. as `$`.
    fn unnumber(sql: &str) -> String {
        let mut out = String::new();
        let mut after_dollar = false;
        for c in sql.chars() {
            if after_dollar && c.is_ascii_digit() {
                continue;
            }
            after_dollar = c == '$' || (after_dollar && c.is_ascii_digit());
            out.push(c);
        }
        out
    }

    fn check(
        what: &str,
        azoth: azoth::Rendered,
        sea: (String, sea_query::Values),
        diesel: (String, diesel_peer::Binds),
        orm: sea_orm::Statement,
        floor: (String, Vec<sea_query::Value>),
    ) {
        assert_eq!(azoth.0, sea.0, "{what}: azoth vs sea-query");
        assert_eq!(azoth.1, sea.1, "{what}: azoth vs sea-query values");
        assert_eq!(azoth.0, floor.0, "{what}: azoth vs the floor");
        assert_eq!(azoth.1.0, floor.1, "{what}: azoth vs the floor values");
        // SeaORM writes a has-many join's condition parent side first.
        let orm_sql =
            norm(&orm.sql).replace("onusers.id=posts.author_id", "onposts.author_id=users.id");
        assert_eq!(norm(&azoth.0), orm_sql, "{what}: azoth vs SeaORM");
        let orm_values = orm.values.map(|v| v.0.len()).unwrap_or(0);
        assert_eq!(azoth.1.0.len(), orm_values, "{what}: SeaORM's values");
        let diesel_sql = unnumber(&norm(&diesel.0)).replace("escape$", "escape'!'");
        assert_eq!(
            unnumber(&norm(&azoth.0)),
            diesel_sql,
            "{what}: azoth vs Diesel"
        );
        // Diesel binds the LIKE escape character.
        let escape = usize::from(diesel.0.contains("ESCAPE $"));
        let placeholders = diesel.0.matches('$').count();
        assert_eq!(
            azoth.1.0.len() + escape,
            placeholders,
            "{what}: Diesel's binds"
        );
    }

    #[test]
    fn every_peer_renders_the_same_statements() {
        check(
            "trivial",
            azoth_peer::trivial(7),
            sea_query_peer::trivial(7),
            diesel_peer::trivial(7),
            sea_orm_peer::trivial(7),
            floor::trivial(7),
        );
        assert_eq!(azoth_peer::trivial(7), azoth_peer::trivial_uncached(7));
        check(
            "medium",
            crate::azoth_medium(7, 3, "%rust%"),
            sea_query_peer::medium(7, 3, "%rust%"),
            diesel_peer::medium(7, 3, "%rust%"),
            sea_orm_peer::medium(7, 3, "%rust%"),
            floor::medium(7, 3, "%rust%"),
        );
        assert_eq!(
            crate::azoth_medium(7, 3, "%rust%"),
            azoth_peer::medium_uncached(7, 3, "%rust%")
        );
        let rs = rows(100);
        check(
            "insert",
            azoth_peer::insert(&rs),
            sea_query_peer::insert(&rs),
            diesel_peer::insert(&rs),
            sea_orm_peer::insert(&rs),
            floor::insert(&rs),
        );
        check(
            "update",
            azoth_peer::update(7, "ann", 3),
            sea_query_peer::update(7, "ann", 3),
            diesel_peer::update(7, "ann", 3),
            sea_orm_peer::update(7, "ann", 3),
            floor::update(7, "ann", 3),
        );
        check(
            "upsert",
            azoth_peer::upsert(&rs[0]),
            sea_query_peer::upsert(&rs[0]),
            diesel_peer::upsert(&rs[0]),
            sea_orm_peer::upsert(&rs[0]),
            floor::upsert(&rs[0]),
        );
    }

    #[test]
    fn a_full_cache_renders_afresh() {
        std::thread::spawn(|| {
            azoth_peer::fill_cache();
            let before = azoth::shape::cached_shapes();
            assert!(before >= 4096);
            let rs = rows(3);
            assert_eq!(azoth_peer::insert(&rs), sea_query_peer_values(&rs));
            assert_eq!(azoth::shape::cached_shapes(), before);
        })
        .join()
        .unwrap();
    }

    fn sea_query_peer_values(rs: &[Row]) -> azoth::Rendered {
        sea_query_peer::insert(rs)
    }
}
