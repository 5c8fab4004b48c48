//! The render-once cache gives exactly what sea-query renders: for every kind of SELECT and every
//! backend, the cached text and collected values equal a fresh rendering, also when the same
//! shape is built again with other values; uncacheable parts are rendered each time.

mod common;

use azoth_dsl::prelude::*;
use azoth_dsl::shape::cached_shapes;
use azoth_dsl::{Query, Rendered, Value};
use common::*;

azoth_dsl::alias!(pub Author = User);

/// One query shape, built from a seed: two seeds give the same shape with other values.
type Build = fn(i64) -> Box<dyn Fn(Backend) -> (Rendered, Rendered)>;

/// Cached and fresh renderings of `q`.
fn both<Q, I>(q: Q) -> Box<dyn Fn(Backend) -> (Rendered, Rendered)>
where
    Q: Query<I> + 'static,
{
    Box::new(move |b| {
        let fresh = azoth_dsl::lower::render(&q.to_sea_select(b), b);
        (q.render(b), fresh)
    })
}

fn cacheable_shapes() -> Vec<(&'static str, Build)> {
    vec![
        ("filter, limit", |v| {
            both(
                User::select()
                    .filter(User::name.eq(format!("u{v}")))
                    .limit(v as u64),
            )
        }),
        ("join, three filters, order, limit, offset", |v| {
            both(
                select((User::name, Post::title))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .filter(Post::likes.gt(v as i32))
                    .filter(User::karma.between(v as i32 - 5, v as i32 + 5))
                    .filter(User::bio.is_null().or(User::bio.ne(format!("b{v}"))))
                    .order_by((Post::id.desc(), User::name.asc().nulls_first()))
                    .limit(20)
                    .offset(v as u64),
            )
        }),
        ("offset without limit", |v| {
            both(User::select().order_by(User::id).offset(v as u64))
        }),
        ("IN list", |v| {
            both(select(User::id).filter(User::id.in_(vec![v, v + 1, v + 2])))
        }),
        ("empty IN list", |_| {
            both(select(User::id).filter(User::id.not_in(Vec::<i64>::new())))
        }),
        ("group by, having, aggregates", |v| {
            both(
                select((Post::author_id, count(Post::id), sum(Post::likes)))
                    .group_by(Post::author_id)
                    .having(count(Post::id).gt(v))
                    .order_by(Post::author_id),
            )
        }),
        ("functions, cast, coalesce, arithmetic, label", |v| {
            both(
                select((
                    label(upper(User::name), "shout"),
                    coalesce(User::bio, format!("none{v}")),
                    cast::<azoth_dsl::sql_types::BigInt, _>(avg(Post::likes)),
                    Post::likes.add(v as i32).mul(2).div(3),
                    length(Post::title),
                ))
                .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                .group_by((User::name, User::bio, Post::likes, Post::title)),
            )
        }),
        ("LIKE and ILIKE with patterns", |v| {
            both(
                select(User::id)
                    .filter(User::name.like(format!("a{v}%")))
                    .filter(User::email.ilike(format!("%{v}@x.org")).not()),
            )
        }),
        ("run-time conditions", |v| {
            let conds: Vec<Boxed<User>> = (0..3)
                .map(|i| User::karma.ge(v as i32 + i).boxed())
                .collect();
            both(User::select().filter(and_all(conds)).filter(or_any(vec![
                User::name.eq("a").boxed(),
                User::name.eq(format!("n{v}")).boxed(),
            ])))
        }),
        ("relationship join, alias join, count from", |v| {
            both(
                select((Post::title, Author.col(User::name)))
                    .join(Post::author.aliased(Author))
                    .filter(Author.col(User::karma).lt(v as i32)),
            )
        }),
        ("distinct, left join", |v| {
            both(
                select(User::name)
                    .left_join(User::posts)
                    .filter(Post::score.gt(v as f64 / 2.0))
                    .distinct(),
            )
        }),
        ("model columns with text keys", |v| {
            both(
                select((InvoiceLine::id, InvoiceLine::unit_price))
                    .filter(InvoiceLine::quantity.eq(v as i32))
                    .filter(InvoiceLine::unit_price.lt(rust_decimal::Decimal::new(v, 2))),
            )
        }),
        ("count(*) from", |v| {
            both(select(count_all()).from(User::TABLE).filter(User::id.ne(v)))
        }),
    ]
}

#[test]
fn cached_text_and_values_equal_a_fresh_rendering_for_every_shape_and_backend() {
    for (name, build) in cacheable_shapes() {
        for b in Backend::ALL {
            let before = cached_shapes();
            let (cached, fresh) = build(7)(b);
            assert_eq!(cached, fresh, "{name}, {b:?}: first build");
            assert_eq!(cached_shapes(), before + 1, "{name}, {b:?}: cached once");
            for seed in [8, 1234, -3] {
                let (cached, fresh) = build(seed)(b);
                assert_eq!(cached, fresh, "{name}, {b:?}: seed {seed}");
            }
            assert_eq!(cached_shapes(), before + 1, "{name}, {b:?}: one shape");
        }
    }
}

#[test]
fn the_same_shape_with_other_values_binds_the_new_values() {
    let q = |name: &str, n: u64| {
        User::select()
            .filter(User::name.eq(name.to_owned()))
            .limit(n)
    };
    let (sql1, values1) = q("ann", 5).to_sql(Backend::Postgres);
    let (sql2, values2) = q("bob", 9).to_sql(Backend::Postgres);
    assert_eq!(sql1, sql2);
    assert_eq!(
        sql2,
        r#"SELECT "users"."id", "users"."name", "users"."email", "users"."bio", "users"."karma", "users"."created" FROM "users" WHERE "users"."name" = $1 LIMIT $2"#
    );
    assert_ne!(values1, values2);
    assert_eq!(values2, q("bob", 9).to_sql_uncached(Backend::Postgres).1);
    assert_eq!(values2.0, vec![Value::from("bob"), Value::from(9u64)]);
}

#[test]
fn lists_of_other_lengths_are_other_shapes() {
    let q = |ids: Vec<i64>| select(User::id).filter(User::id.in_(ids));
    for b in Backend::ALL {
        let two = q(vec![1, 2]).to_sql(b);
        let three = q(vec![1, 2, 3]).to_sql(b);
        assert_ne!(two.0, three.0, "{b:?}");
        assert_eq!(three, q(vec![1, 2, 3]).to_sql_uncached(b), "{b:?}");
        assert_eq!(two, q(vec![1, 2]).to_sql_uncached(b), "{b:?}");
    }
}

#[test]
fn first_renders_its_limit_through_the_cache() {
    for b in Backend::ALL {
        for own in [None, Some(0), Some(5)] {
            let mut q = User::select().filter(User::id.gt(3));
            if let Some(n) = own {
                q = q.limit(n);
            }
            let fresh = {
                let mut s = q.to_sea_select(b);
                s.limit(own.map_or(1, |n| n.min(1)));
                azoth_dsl::lower::render(&s, b)
            };
            assert_eq!(q.render_limit(b, 1), fresh, "{b:?} {own:?}");
            assert_eq!(q.render_limit(b, 1), fresh, "{b:?} {own:?}: again");
        }
    }
}

#[test]
fn parts_whose_text_follows_their_values_are_rendered_each_time() {
    // SQLite compares a literal's bytes (its length is in the text); a relationship's EXISTS.
    let contains = |t: &str| select(User::id).filter(User::name.contains(t));
    let any = |n: i32| User::select().filter(User::posts.any(Post::likes.gt(n)));
    let before = cached_shapes();
    for t in ["a", "abc", "x%y"] {
        assert_eq!(
            contains(t).to_sql(Backend::Sqlite),
            contains(t).to_sql_uncached(Backend::Sqlite)
        );
    }
    for n in [1, 2] {
        for b in Backend::ALL {
            assert_eq!(any(n).to_sql(b), any(n).to_sql_uncached(b), "{b:?}");
        }
    }
    assert_eq!(cached_shapes(), before, "nothing cached");
    // Elsewhere a literal is a bound pattern: cached.
    assert_eq!(
        contains("abc").to_sql(Backend::Postgres),
        contains("abc").to_sql_uncached(Backend::Postgres)
    );
    assert_eq!(cached_shapes(), before + 1);
}

#[test]
fn updates_and_deletes_render_once_per_shape() {
    use azoth_dsl::Statement;
    let upd = |v: i32| {
        update(User::TABLE)
            .set(User::karma, User::karma.add(v))
            .set(User::bio, Some(format!("b{v}")))
            .filter(User::id.in_(vec![i64::from(v), 2 * i64::from(v)]))
            .filter(User::name.ne("x"))
    };
    let del = |v: i64| delete(Post::TABLE).filter(Post::author_id.eq(v).or(Post::likes.lt(3)));
    for b in Backend::ALL {
        let before = cached_shapes();
        for v in [1, 7, -2] {
            assert_eq!(
                Statement::to_sql(&upd(v), b),
                azoth_dsl::lower::render(&upd(v).to_sea(b), b),
                "{b:?} {v}"
            );
            assert_eq!(
                Statement::to_sql(&del(v.into()), b),
                azoth_dsl::lower::render(&del(v.into()).to_sea(b), b),
                "{b:?} {v}"
            );
        }
        assert_eq!(cached_shapes(), before + 2, "{b:?}: one shape each");
    }
}

#[test]
fn inserts_and_upserts_render_once_per_shape() {
    use azoth_dsl::Statement;
    let rows = |v: i64, n: i64| {
        (0..n)
            .map(|i| NewPost {
                title: format!("t{v}-{i}"),
                content: String::new(),
                author_id: v + i,
                likes: i as i32,
                score: (i % 2 == 0).then_some(v as f64),
            })
            .collect::<Vec<_>>()
    };
    let plain = |v: i64| insert_many(rows(v, 3));
    let upsert = |v: i64| {
        insert_many(rows(v, 2))
            .on_conflict(Post::id)
            .do_update((Post::title, Post::likes))
    };
    let tags = |v: i64| {
        insert(NewPostTag {
            post_id: v,
            tag: format!("g{v}"),
        })
        .on_conflict((PostTag::post_id, PostTag::tag))
        .do_nothing()
    };
    for b in Backend::ALL {
        let before = cached_shapes();
        for v in [1, 7, 40] {
            assert_eq!(
                Statement::to_sql(&plain(v), b),
                uncached(&plain(v), b),
                "{b:?}"
            );
            assert_eq!(
                Statement::to_sql(&upsert(v), b),
                uncached(&upsert(v), b),
                "{b:?}"
            );
            assert_eq!(
                Statement::to_sql(&tags(v), b),
                uncached(&tags(v), b),
                "{b:?}"
            );
        }
        assert_eq!(cached_shapes(), before + 3, "{b:?}: one shape each");
        // Batches of three rows have the shape of `plain`; the last, shorter batch is another.
        let batches = Statement::to_sql_batches(&insert_many(rows(5, 10)), b, 15);
        assert_eq!(
            batches.len(),
            4,
            "{b:?}: 10 rows of 5 values in batches of 3 rows"
        );
        assert_eq!(batches[0].0, batches[1].0, "{b:?}");
        assert_eq!(cached_shapes(), before + 4, "{b:?}");
        for (i, batch) in batches.iter().enumerate() {
            let rows: Vec<_> = rows(5, 10).into_iter().skip(3 * i).take(3).collect();
            assert_eq!(batch, &uncached(&insert_many(rows), b), "{b:?}: batch {i}");
        }
    }
}

/// An INSERT rendered afresh, with the cache out of the way: a new thread has an empty cache.
fn uncached<S: azoth_dsl::Statement + Sync>(stmt: &S, b: Backend) -> Rendered {
    std::thread::scope(|t| t.spawn(|| stmt.to_sql(b)).join().unwrap())
}

#[test]
fn a_row_that_leaves_a_column_to_its_server_default_renders_each_time() {
    use azoth_dsl::Statement;
    let users = |v: i32| {
        insert_many([
            NewUser {
                name: "a".into(),
                email: "a@x".into(),
                bio: None,
                karma: Some(v),
                created: None,
            },
            NewUser {
                name: "b".into(),
                email: "b@x".into(),
                bio: None,
                karma: None,
                created: None,
            },
        ])
    };
    for b in Backend::ALL {
        let before = cached_shapes();
        for v in [1, 2] {
            assert_eq!(
                Statement::to_sql(&users(v), b),
                uncached(&users(v), b),
                "{b:?}"
            );
        }
        assert_eq!(
            cached_shapes(),
            before,
            "{b:?}: the default's SQL is in the text"
        );
    }
}

#[test]
fn an_insert_that_moves_its_values_out_renders_what_one_that_copies_them_renders() {
    use azoth_dsl::Statement;
    let posts = |v: i64, n: i64| {
        insert_many((0..n).map(|i| NewPost {
            title: format!("m{v}-{i}"),
            content: format!("c{i}"),
            author_id: v * 100 + i,
            likes: (v + i) as i32,
            score: (i % 3 == 0).then_some(v as f64 / 4.0),
        }))
    };
    let users = |v: i32| {
        insert_many([
            NewUser {
                name: format!("a{v}"),
                email: "a@x".into(),
                bio: Some("bio".into()),
                karma: Some(v),
                created: None,
            },
            NewUser {
                name: "b".into(),
                email: "b@x".into(),
                bio: None,
                karma: None,
                created: None,
            },
        ])
    };
    for b in Backend::ALL {
        // Cold (first seen: rendered), then warm (from the cache), with new values each time.
        for v in [3, 4, 5] {
            let want = uncached(&posts(v, 4), b);
            assert_eq!(posts(v, 4).into_sql(b), want, "{b:?}, seed {v}");
            assert_eq!(Statement::to_sql(&posts(v, 4), b), want, "{b:?}, seed {v}");
            assert_eq!(
                posts(v, 10).into_sql_batches(b, 15),
                posts(v, 10).to_sql_batches(b, 15),
                "{b:?}, seed {v}: batches"
            );
            // A row that leaves a column to its server default: rendered each time.
            assert_eq!(
                users(v as i32).into_sql(b),
                uncached(&users(v as i32), b),
                "{b:?}"
            );
            // Batches of rows that set every column (from the cache) around one with a row
            // that leaves `karma` to its default (rendered): values moved out of the right rows.
            let mixed = |v: i32| {
                insert_many((0..5).map(move |i| NewUser {
                    name: format!("u{v}-{i}"),
                    email: "e@x".into(),
                    bio: (i % 2 == 0).then(|| format!("bio {i}")),
                    karma: (i != 3).then_some(v + i),
                    created: None,
                }))
            };
            let batches = mixed(v as i32).into_sql_batches(b, 8);
            assert_eq!(batches.len(), 3, "{b:?}");
            assert_eq!(batches, mixed(v as i32).to_sql_batches(b, 8), "{b:?}");
        }
        assert!(posts(1, 0).into_sql_batches(b, 15).is_empty(), "{b:?}");
    }
}
