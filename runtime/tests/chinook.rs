//! Relationships on real data: the Chinook sample database (`../shared/data/chinook`, MIT),
//! loaded from its SQLite script, copied with azoth into each backend (tables made by
//! `create_all`), then read back with `selectin`, `joined`, many-to-many through a composite key,
//! and a self-join under aliases.

mod common;

use azoth::prelude::*;

mod chinook_data;

use chinook_data::*;

azoth::alias!(pub Manager = Employee);
azoth::alias!(pub Grand = Employee as "grand_manager");

async fn count<M: Model>(s: &mut Session) -> i64 {
    s.scalar(select(count_all()).from(azoth::Table::<M>::new()))
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test]
async fn artists_albums_and_tracks_load_alike_three_levels_deep() {
    let source = chinook_source("three_levels").await;
    for engine in common::engines("chinook_three_levels").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();
        let (albums, tracks) = (count::<Album>(&mut s).await, count::<Track>(&mut s).await);
        assert_eq!(
            (albums, tracks),
            (347, 3503),
            "{db}: Chinook's albums and tracks"
        );

        let artists = || Artist::select().order_by(Artist::id);
        let before = engine.statements_run();
        let by_selectin = s
            .all(artists().options(selectin(Artist::albums).then(selectin(Album::tracks))))
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            3,
            "{db}: artists, albums, tracks"
        );
        let before = engine.statements_run();
        let by_joined = s
            .all(artists().options(joined(Artist::albums).then(joined(Album::tracks))))
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 1, "{db}: one statement");
        assert_eq!(by_joined, by_selectin, "{db}");

        let loaded_albums: usize = by_joined.iter().map(|a| a.get(Artist::albums).len()).sum();
        let loaded_tracks: usize = by_joined
            .iter()
            .flat_map(|a| a.get(Artist::albums))
            .map(|al| al.get(Album::tracks).len())
            .sum();
        assert_eq!((loaded_albums, loaded_tracks), (347, 3503), "{db}");
        let acdc = &by_joined[0];
        let titles: Vec<(&str, usize)> = acdc
            .get(Artist::albums)
            .iter()
            .map(|al| (al.title.as_str(), al.get(Album::tracks).len()))
            .collect();
        assert_eq!(
            (acdc.name.as_deref(), titles),
            (
                Some("AC/DC"),
                vec![
                    ("For Those About To Rock We Salute You", 10),
                    ("Let There Be Rock", 8)
                ]
            ),
            "{db}"
        );
    }
}

#[tokio::test]
async fn playlists_and_tracks_through_a_composite_association_key() {
    let source = chinook_source("playlists").await;
    for engine in common::engines("chinook_playlists").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();
        let expected: Vec<(i64, i64)> = s
            .all(
                select((PlaylistTrack::playlist_id, count_all()))
                    .group_by(PlaylistTrack::playlist_id)
                    .order_by(PlaylistTrack::playlist_id),
            )
            .await
            .unwrap();
        let playlists = s
            .all(
                Playlist::select()
                    .order_by(Playlist::id)
                    .options(selectin(Playlist::tracks)),
            )
            .await
            .unwrap();
        let loaded: Vec<(i64, i64)> = playlists
            .iter()
            .map(|p| (p.id, p.get(Playlist::tracks).len() as i64))
            .filter(|(_, n)| *n > 0)
            .collect();
        assert_eq!(loaded, expected, "{db}: tracks per playlist");

        // From the other side, 3503 tracks ask in one array on PostgreSQL (`IN (SELECT UNNEST($1))`), in
        // chunks of 500 keys elsewhere: 1 + 1 or 1 + 8 statements.
        let key_queries = if engine.backend() == Backend::Postgres {
            1
        } else {
            8
        };
        let before = engine.statements_run();
        let tracks = s
            .all(
                Track::select()
                    .order_by(Track::id)
                    .options(selectin(Track::playlists)),
            )
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 1 + key_queries, "{db}");
        let links: usize = tracks.iter().map(|t| t.get(Track::playlists).len()).sum();
        assert_eq!(links as i64, count::<PlaylistTrack>(&mut s).await, "{db}");
        let joined_tracks = s
            .all(
                Track::select()
                    .order_by(Track::id)
                    .options(joined(Track::playlists)),
            )
            .await
            .unwrap();
        assert_eq!(joined_tracks, tracks, "{db}");
    }
}

#[tokio::test]
async fn employees_join_their_managers_under_aliases() {
    let source = chinook_source("employees").await;
    for engine in common::engines("chinook_employees").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();
        let chain: Vec<(String, Option<String>, Option<String>)> = s
            .all(
                select((
                    Employee::first_name,
                    Manager.col(Employee::first_name),
                    Grand.col(Employee::first_name),
                ))
                .left_join(Employee::manager.aliased(Manager))
                .left_join(Employee::manager.starting_at(Manager).aliased(Grand))
                .order_by(Employee::id),
            )
            .await
            .unwrap();
        let expected = [
            ("Andrew", None, None),
            ("Nancy", Some("Andrew"), None),
            ("Jane", Some("Nancy"), Some("Andrew")),
            ("Margaret", Some("Nancy"), Some("Andrew")),
            ("Steve", Some("Nancy"), Some("Andrew")),
            ("Michael", Some("Andrew"), None),
            ("Robert", Some("Michael"), Some("Andrew")),
            ("Laura", Some("Michael"), Some("Andrew")),
        ]
        .map(|(e, m, g)| (e.to_owned(), m.map(str::to_owned), g.map(str::to_owned)));
        assert_eq!(chain, expected, "{db}");

        // The general manager's reports and theirs, loaded both ways.
        let top = || Employee::select().filter(Employee::reports_to.is_null());
        let by_joined = s
            .one(top().options(joined(Employee::reports).then(joined(Employee::reports))))
            .await
            .unwrap();
        let by_selectin = s
            .one(top().options(selectin(Employee::reports).then(selectin(Employee::reports))))
            .await
            .unwrap();
        assert_eq!(by_joined, by_selectin, "{db}");
        let tree: Vec<(&str, Vec<&str>)> = by_joined
            .get(Employee::reports)
            .iter()
            .map(|m| {
                let names = m
                    .get(Employee::reports)
                    .iter()
                    .map(|r| r.first_name.as_str())
                    .collect();
                (m.first_name.as_str(), names)
            })
            .collect();
        assert_eq!(
            tree,
            [
                ("Nancy", vec!["Jane", "Margaret", "Steve"]),
                ("Michael", vec!["Robert", "Laura"])
            ],
            "{db}"
        );
    }
}

#[tokio::test]
async fn subqueries_filter_with_in_and_exists() {
    let source = chinook_source("subqueries").await;
    for engine in common::engines("chinook_subqueries").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();
        // Artists with an album whose title starts with "Let There Be".
        let albums = select(Album::artist_id).filter(Album::title.starts_with("Let There Be"));
        let names: Vec<Option<String>> = s
            .all(
                select(Artist::name)
                    .filter(Artist::id.in_query(albums))
                    .order_by(Artist::id),
            )
            .await
            .unwrap();
        assert_eq!(names, [Some("AC/DC".to_owned())], "{db}");

        // Artists without any album, counted two ways.
        let without: i64 = s
            .scalar(
                select(count_all())
                    .from(Artist::TABLE)
                    .filter(Artist::id.not_in_query(select(Album::artist_id))),
            )
            .await
            .unwrap()
            .unwrap_or_default();
        let with: i64 = s
            .scalar(
                select(count_all())
                    .from(Artist::TABLE)
                    .filter(Artist::id.in_query(select(Album::artist_id))),
            )
            .await
            .unwrap()
            .unwrap_or_default();
        assert_eq!(with + without, 275, "{db}");
        assert_eq!(with, 204, "{db}: Chinook's artists with an album");

        // EXISTS over a query of its own.
        let long_track = select(Track::id).filter(Track::milliseconds.gt(5_000_000));
        let any: Vec<i64> = s
            .all(
                select(Playlist::id)
                    .filter(exists(long_track))
                    .order_by(Playlist::id)
                    .limit(1),
            )
            .await
            .unwrap();
        assert_eq!(any, [1], "{db}: a track over 83 minutes exists");
        let none: Vec<i64> = s
            .all(
                select(Playlist::id)
                    .filter(exists(select(Track::id).filter(Track::milliseconds.lt(0)))),
            )
            .await
            .unwrap();
        assert!(none.is_empty(), "{db}");
    }
}

#[tokio::test]
async fn conditions_along_relationships_with_any_and_exists() {
    let source = chinook_source("any").await;
    for engine in common::engines("chinook_any").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();
        // One-to-many: artists with an album titled "Let There Be ..".
        let names: Vec<Option<String>> = s
            .all(
                select(Artist::name)
                    .filter(Artist::albums.any(Album::title.starts_with("Let There Be"))),
            )
            .await
            .unwrap();
        assert_eq!(names, [Some("AC/DC".to_owned())], "{db}");
        // The same count as the IN subquery.
        let with_albums: i64 = s
            .scalar(
                select(count_all())
                    .from(Artist::TABLE)
                    .filter(Artist::albums.exists()),
            )
            .await
            .unwrap()
            .unwrap_or_default();
        assert_eq!(with_albums, 204, "{db}");

        // Self-referential, both ways: who manages someone, and who reports to Nancy.
        let managers: Vec<String> = s
            .all(
                select(Employee::first_name)
                    .filter(Employee::reports.exists())
                    .order_by(Employee::id),
            )
            .await
            .unwrap();
        assert_eq!(managers, ["Andrew", "Nancy", "Michael"], "{db}");
        let nancys: Vec<String> = s
            .all(
                select(Employee::first_name)
                    .filter(Employee::manager.any(Employee::first_name.eq("Nancy")))
                    .order_by(Employee::id),
            )
            .await
            .unwrap();
        assert_eq!(nancys, ["Jane", "Margaret", "Steve"], "{db}");

        // Many-to-many through the association table: tracks on the "Grunge" playlist.
        let grunge: i64 = s
            .scalar(
                select(count_all())
                    .from(Track::TABLE)
                    .filter(Track::playlists.any(Playlist::name.eq("Grunge"))),
            )
            .await
            .unwrap()
            .unwrap_or_default();
        let expected: i64 = s
            .scalar(
                select(count_all()).from(PlaylistTrack::TABLE).filter(
                    PlaylistTrack::playlist_id
                        .in_query(select(Playlist::id).filter(Playlist::name.eq("Grunge"))),
                ),
            )
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(expected > 0, "{db}");
        assert_eq!(grunge, expected, "{db}");
    }
}
