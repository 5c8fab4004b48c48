//! Relationship conditions nested in one another (`any` inside `any`): every level's EXISTS names
//! the level above by the alias that level gave its table, two and three levels deep, through an
//! association table and on a self-referential relationship.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::{Case, all, check, same};

azoth_dsl::model! {
    #[table = "artist"]
    pub struct Artist { #[primary_key] pub id: i64, pub name: String }
    relations { albums: has_many(Album, Album::artist_id) }
}

azoth_dsl::model! {
    #[table = "album"]
    pub struct Album { #[primary_key] pub id: i64, pub title: String, pub artist_id: i64 }
    relations { tracks: has_many(Track, Track::album_id) }
}

azoth_dsl::model! {
    #[table = "track"]
    pub struct Track { #[primary_key] pub id: i64, pub name: String, pub album_id: i64, pub ms: i64 }
    relations {
        playlists: many_to_many(Playlist, PlaylistTrack, PlaylistTrack::track_id, PlaylistTrack::playlist_id),
    }
}

azoth_dsl::model! {
    #[table = "playlist"]
    pub struct Playlist { #[primary_key] pub id: i64, pub name: String }
}

azoth_dsl::model! {
    #[table = "playlist_track"]
    pub struct PlaylistTrack {
        #[primary_key(manual)] pub playlist_id: i64,
        #[primary_key(manual)] pub track_id: i64,
    }
}

azoth_dsl::model! {
    #[table = "employee"]
    pub struct Employee { #[primary_key] pub id: i64, pub name: String, pub reports_to: Option<i64> }
    relations { reports: has_many(Employee, Employee::reports_to) }
}

fn s(v: &str) -> Value {
    Value::String(Some(v.to_owned()))
}

#[test]
fn sql_nested_any_names_each_level_by_its_alias() {
    check(vec![
        Case {
            name: "two levels",
            got: all(|b| {
                select(Artist::name)
                    .filter(Artist::albums.any(Album::tracks.any(Track::ms.gt(600_000))))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "artist"."name" FROM "artist" WHERE EXISTS(SELECT 1 FROM "album" AS "album_any" WHERE "album_any"."artist_id" = "artist"."id" AND EXISTS(SELECT 1 FROM "track" AS "track_any2" WHERE "track_any2"."album_id" = "album_any"."id" AND "track_any2"."ms" > ?))"#,
            ),
            values: vec![Value::BigInt(Some(600_000))],
        },
        Case {
            name: "three levels, the last through an association table",
            got: all(|b| {
                select(Artist::name)
                    .filter(
                        Artist::albums.any(
                            Album::tracks.any(Track::playlists.any(Playlist::name.eq("Grunge"))),
                        ),
                    )
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "artist"."name" FROM "artist" WHERE EXISTS(SELECT 1 FROM "album" AS "album_any" WHERE "album_any"."artist_id" = "artist"."id" AND EXISTS(SELECT 1 FROM "track" AS "track_any2" WHERE "track_any2"."album_id" = "album_any"."id" AND EXISTS(SELECT 1 FROM "playlist_track" AS "playlist_track_any3" INNER JOIN "playlist" AS "playlist_any3" ON "playlist_any3"."id" = "playlist_track_any3"."playlist_id" WHERE "playlist_track_any3"."track_id" = "track_any2"."id" AND "playlist_any3"."name" = ?)))"#,
            ),
            values: vec![s("Grunge")],
        },
        Case {
            name: "self-referential, two levels: each level its own alias",
            got: all(|b| {
                select(Employee::name)
                    .filter(Employee::reports.any(Employee::reports.any(Employee::name.eq("Jane"))))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "employee"."name" FROM "employee" WHERE EXISTS(SELECT 1 FROM "employee" AS "employee_any" WHERE "employee_any"."reports_to" = "employee"."id" AND EXISTS(SELECT 1 FROM "employee" AS "employee_any2" WHERE "employee_any2"."reports_to" = "employee_any"."id" AND "employee_any2"."name" = ?))"#,
            ),
            values: vec![s("Jane")],
        },
    ]);
}

#[test]
fn sql_relationship_count_is_a_correlated_scalar_subquery() {
    check(vec![
        Case {
            name: "in the selection and the ordering",
            got: all(|b| {
                select((Artist::name, Artist::albums.count()))
                    .order_by(Artist::albums.count().desc())
                    .limit(3)
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "artist"."name", (SELECT COUNT(*) FROM "album" AS "album_any" WHERE "album_any"."artist_id" = "artist"."id") FROM "artist" ORDER BY (SELECT COUNT(*) FROM "album" AS "album_any" WHERE "album_any"."artist_id" = "artist"."id") DESC LIMIT ?"#,
            ),
            values: vec![Value::BigUnsigned(Some(3))],
        },
        Case {
            name: "in a filter, with a condition and a nested any",
            got: all(|b| {
                select(Artist::name)
                    .filter(
                        Artist::albums
                            .count_where(Album::tracks.any(Track::ms.gt(600_000)))
                            .ge(2),
                    )
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "artist"."name" FROM "artist" WHERE (SELECT COUNT(*) FROM "album" AS "album_any" WHERE "album_any"."artist_id" = "artist"."id" AND EXISTS(SELECT 1 FROM "track" AS "track_any2" WHERE "track_any2"."album_id" = "album_any"."id" AND "track_any2"."ms" > ?)) >= ?"#,
            ),
            values: vec![Value::BigInt(Some(600_000)), Value::BigInt(Some(2))],
        },
    ]);
}

#[test]
fn sql_case_inside_any_names_the_aliased_table() {
    // A self-referential relationship: the EXISTS reads the reports under an alias, and a CASE
    // inside the condition must read them there too, not the outer row.
    let q = select(Employee::name).filter(
        Employee::reports.any(
            case_when(Employee::name.eq("ann"), 1i64)
                .otherwise(0i64)
                .eq(1i64),
        ),
    );
    let (sql, _) = q.to_sql(Backend::Sqlite);
    let exists = &sql[sql.find("EXISTS").expect("an EXISTS")..];
    assert!(
        !exists.contains(r#""employee"."name""#),
        "the CASE inside the EXISTS reads the outer row: {sql}"
    );
}
