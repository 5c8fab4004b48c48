//! The example schema the rendering tests share (the quick start's blog, plus a Chinook table
//! whose names differ from the Rust ones).
#![allow(dead_code)]

use azoth_dsl::prelude::*;

azoth_dsl::model! {
    /// A registered user.
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        #[max_len = 50] pub name: String,
        #[unique] pub email: String,
        pub bio: Option<String>,
        #[server_default(0)] pub karma: i32,
        #[server_default(now())] pub created: chrono::DateTime<chrono::Utc>,
    }
    relations {
        posts: has_many(Post, Post::author_id),
    }
}

azoth_dsl::model! {
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        pub title: String,
        pub content: String,
        #[references(User::id, on_delete = cascade)] #[index] pub author_id: i64,
        pub likes: i32,
        pub score: Option<f64>,
    }
    relations {
        author: belongs_to(User, Post::author_id),
    }
}

azoth_dsl::model! {
    #[table = "post_tags"]
    pub struct PostTag {
        #[primary_key(manual)] #[references(Post::id)] pub post_id: i64,
        #[primary_key(manual)] pub tag: String,
    }
}

azoth_dsl::model! {
    /// Chinook's invoice lines: table and column names differ from the Rust ones.
    #[table = "InvoiceLine"]
    pub struct InvoiceLine {
        #[primary_key] #[column = "InvoiceLineId"] pub id: i32,
        #[column = "InvoiceId"] pub invoice_id: i32,
        #[column = "TrackId"] pub track_id: i32,
        #[column = "UnitPrice"] pub unit_price: rust_decimal::Decimal,
        #[column = "Quantity"] pub quantity: i32,
    }
}

/// Renders for the three backends, in the order PostgreSQL, MySQL, SQLite.
pub fn all(render: impl Fn(Backend) -> azoth_dsl::Rendered) -> [azoth_dsl::Rendered; 3] {
    Backend::ALL.map(render)
}

/// One rendering case: a statement rendered for each backend against the SQL each should give.
pub struct Case {
    pub name: &'static str,
    pub got: [azoth_dsl::Rendered; 3],
    pub want: [String; 3],
    pub values: Vec<azoth_dsl::Value>,
}

/// The three expected texts from the SQLite form: PostgreSQL numbers the `?` placeholders
/// (`$1`, `$2`, ...), MySQL quotes identifiers with backticks.
pub fn same(sqlite: &str) -> [String; 3] {
    let mut pg = String::new();
    let mut n = 0;
    for c in sqlite.chars() {
        if c == '?' {
            n += 1;
            pg.push_str(&format!("${n}"));
        } else {
            pg.push(c);
        }
    }
    [pg, sqlite.replace('"', "`"), sqlite.to_owned()]
}

/// Expected texts given one per backend (PostgreSQL, MySQL, SQLite).
pub fn each(pg: &str, mysql: &str, sqlite: &str) -> [String; 3] {
    [pg.to_owned(), mysql.to_owned(), sqlite.to_owned()]
}

/// Checks every case, reporting all mismatches at once.
pub fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for case in &cases {
        for (i, backend) in Backend::ALL.iter().enumerate() {
            let (sql, values) = &case.got[i];
            if *sql != case.want[i] {
                failures.push(format!(
                    "{} on {}:\n   got: {sql}\n  want: {}",
                    case.name,
                    backend.name(),
                    case.want[i]
                ));
            }
            if values.0 != case.values {
                failures.push(format!(
                    "{} on {}: values {:?}, want {:?}",
                    case.name,
                    backend.name(),
                    values.0,
                    case.values
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
