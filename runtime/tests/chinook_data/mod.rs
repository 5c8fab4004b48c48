//! The Chinook sample (`../shared/data/chinook`, MIT) for `chinook.rs` and the `sql_*` tests: its
//! models, its SQLite script loaded into a file, and a copy of the modelled tables into each
//! backend, so that a DSL query can be compared with the same query in raw SQL.
#![allow(dead_code)]

use azoth::prelude::*;

azoth::model! {
    #[table = "Artist"]
    pub struct Artist {
        #[primary_key(manual)] #[column = "ArtistId"] pub id: i64,
        #[column = "Name"] pub name: Option<String>,
    }
    relations { albums: has_many(Album, Album::artist_id) }
}

azoth::model! {
    #[table = "Album"]
    pub struct Album {
        #[primary_key(manual)] #[column = "AlbumId"] pub id: i64,
        #[column = "Title"] pub title: String,
        #[column = "ArtistId"] #[references(Artist::id)] #[index] pub artist_id: i64,
    }
    relations {
        artist: belongs_to(Artist, Album::artist_id),
        tracks: has_many(Track, Track::album_id),
    }
}

azoth::model! {
    #[table = "Track"]
    pub struct Track {
        #[primary_key(manual)] #[column = "TrackId"] pub id: i64,
        #[column = "Name"] pub name: String,
        #[column = "AlbumId"] #[references(Album::id)] #[index] pub album_id: Option<i64>,
        #[column = "Milliseconds"] pub milliseconds: i64,
    }
    relations {
        album: belongs_to(Album, Track::album_id),
        playlists: many_to_many(Playlist, PlaylistTrack, PlaylistTrack::track_id, PlaylistTrack::playlist_id),
    }
}

azoth::model! {
    #[table = "Playlist"]
    pub struct Playlist {
        #[primary_key(manual)] #[column = "PlaylistId"] pub id: i64,
        #[column = "Name"] pub name: Option<String>,
    }
    relations {
        tracks: many_to_many(Track, PlaylistTrack, PlaylistTrack::playlist_id, PlaylistTrack::track_id),
    }
}

azoth::model! {
    #[table = "PlaylistTrack"]
    pub struct PlaylistTrack {
        #[primary_key(manual)] #[column = "PlaylistId"] #[references(Playlist::id)] pub playlist_id: i64,
        #[primary_key(manual)] #[column = "TrackId"] #[references(Track::id)] #[index] pub track_id: i64,
    }
}

azoth::model! {
    #[table = "Employee"]
    pub struct Employee {
        #[primary_key(manual)] #[column = "EmployeeId"] pub id: i64,
        #[column = "FirstName"] pub first_name: String,
        #[column = "LastName"] pub last_name: String,
        #[column = "ReportsTo"] #[references(Employee::id)] pub reports_to: Option<i64>,
    }
    relations {
        manager: belongs_to(Employee, Employee::reports_to),
        reports: has_many(Employee, Employee::reports_to),
    }
}

pub type Models = (Artist, Album, Track, Playlist, PlaylistTrack, Employee);

/// An engine on a SQLite file built from Chinook's own script (removed when dropped).
pub async fn chinook_source(test: &str) -> Source {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/chinook/Chinook_Sqlite.sql");
    let sql = std::fs::read_to_string(&script)
        .unwrap_or_else(|e| panic!("the Chinook script at {}: {e}", script.display()));
    let path = std::env::temp_dir().join(format!("azoth-chinook-{test}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite:{}?mode=rwc", path.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    Source {
        engine: Engine::connect(&url).await.unwrap(),
        path,
    }
}

/// The Chinook source database and its file.
pub struct Source {
    pub engine: Engine,
    path: std::path::PathBuf,
}

impl Drop for Source {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copies the modelled tables from `source` into `target` (tables made by `create_all`).
pub async fn copy(source: &Engine, target: &Engine) {
    target.create_all::<Models>().await.unwrap();
    let mut from = source.session();
    let mut to = target.session();
    let artists = from.all(Artist::select()).await.unwrap();
    to.execute(insert_many(artists.into_iter().map(|a| NewArtist {
        id: a.id,
        name: a.name,
    })))
    .await
    .unwrap();
    let albums = from.all(Album::select()).await.unwrap();
    to.execute(insert_many(albums.into_iter().map(|a| NewAlbum {
        id: a.id,
        title: a.title,
        artist_id: a.artist_id,
    })))
    .await
    .unwrap();
    let tracks = from.all(Track::select()).await.unwrap();
    to.execute(insert_many(tracks.into_iter().map(|t| NewTrack {
        id: t.id,
        name: t.name,
        album_id: t.album_id,
        milliseconds: t.milliseconds,
    })))
    .await
    .unwrap();
    let playlists = from.all(Playlist::select()).await.unwrap();
    to.execute(insert_many(playlists.into_iter().map(|p| NewPlaylist {
        id: p.id,
        name: p.name,
    })))
    .await
    .unwrap();
    let links = from.all(PlaylistTrack::select()).await.unwrap();
    to.execute(insert_many(links.into_iter().map(|l| NewPlaylistTrack {
        playlist_id: l.playlist_id,
        track_id: l.track_id,
    })))
    .await
    .unwrap();
    let employees = from
        .all(Employee::select().order_by(Employee::id))
        .await
        .unwrap();
    to.execute(insert_many(employees.into_iter().map(|e| NewEmployee {
        id: e.id,
        first_name: e.first_name,
        last_name: e.last_name,
        reports_to: e.reports_to,
    })))
    .await
    .unwrap();
}

/// `sql` written with `"` quotes, for `engine`'s backend (MySQL quotes with backticks).
pub fn quoted(engine: &Engine, sql: &str) -> String {
    if engine.backend() == Backend::MySql {
        sql.replace('"', "`")
    } else {
        sql.to_owned()
    }
}
