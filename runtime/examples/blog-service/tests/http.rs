//! The blog served for real: the server on 127.0.0.1:0, a real HTTP client, a real database
//! (SQLite in memory; PostgreSQL and MySQL when `AZOTH_TEST_POSTGRES_URL` and
//! `AZOTH_TEST_MYSQL_URL` are set, each on a fresh schema or database: `azoth::testing`).

use std::net::SocketAddr;

use azoth::Engine;
use azoth::prelude::*;
use azoth_blog_service::models::Tag;
use azoth_blog_service::models::User;
use azoth_blog_service::posts::{Page, PostView};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

/// A client for the server at `addr`.
struct Api {
    addr: SocketAddr,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Api {
    /// Serves the blog on `engine` at a free port.
    async fn start(engine: Engine) -> Api {
        azoth_blog_service::create_schema(&engine)
            .await
            .expect("schema");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, azoth_blog_service::app(engine)).await });
        let client = Client::builder(TokioExecutor::new()).build_http();
        Api { addr, client }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = Request::builder()
            .method(method)
            .uri(format!("http://{}{path}", self.addr))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        let response = self
            .client
            .request(request)
            .await
            .expect("the server answers");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("JSON")
        };
        (status, json)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("the documented shape")
}

/// Every endpoint, its statuses, and the request-scoped transaction.
async fn walk(engine: Engine) {
    let api = Api::start(engine.clone()).await;

    let (status, ann) = api
        .post("/users", json!({"name": "ann", "email": "ann@x.org"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ann}");
    let ann: User = parse(ann);
    let (status, bob) = api
        .post("/users", json!({"name": "bob", "email": "bob@x.org"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let bob: User = parse(bob);

    // A taken email: 409, and the message names the constraint's kind.
    let (status, err) = api
        .post("/users", json!({"name": "ann2", "email": "ann@x.org"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(
        err["error"].as_str().unwrap_or("").contains("unique"),
        "{err}"
    );

    assert_eq!(
        api.get(&format!("/users/{}", ann.id)).await,
        (StatusCode::OK, json!(ann))
    );
    assert_eq!(api.get("/users/999999").await.0, StatusCode::NOT_FOUND);

    let (status, hello) = api
        .post("/posts", json!({"author_id": ann.id, "slug": "hello", "title": "Hello, Rust", "body": "…", "tags": ["rust", "intro"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hello}");
    let hello: PostView = parse(hello);
    assert_eq!(
        (hello.author.name.as_str(), hello.tags.clone()),
        ("ann", vec!["intro".to_owned(), "rust".to_owned()])
    );
    let (status, _) = api
        .post("/posts", json!({"author_id": bob.id, "slug": "joins", "title": "SQL joins", "body": "…", "tags": ["sql", "rust"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = api
        .post(
            "/posts",
            json!({"author_id": ann.id, "slug": "async", "title": "Async Rust", "body": "…"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // A taken slug fails after the new tag was inserted: the whole request rolls back.
    let (status, err) = api
        .post("/posts", json!({"author_id": bob.id, "slug": "hello", "title": "Again", "body": "…", "tags": ["fresh"]}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    // So does one by an unknown author (a foreign-key violation: 422).
    let (status, err) = api
        .post("/posts", json!({"author_id": 999999, "slug": "ghost", "title": "Boo", "body": "…", "tags": ["ghostly"]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    // A handler that fails without a database error: what it wrote is rolled back too.
    let (status, err) = api
        .post("/posts", json!({"author_id": ann.id, "slug": "tagged", "title": "Tags", "body": "…", "tags": ["kept?", " "]}))
        .await;
    assert_eq!(
        (status, err),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "a tag needs a name"})
        )
    );
    let mut s = engine.session();
    let mut tags: Vec<String> = s.all(select(Tag::name)).await.expect("tags");
    tags.sort();
    assert_eq!(
        tags,
        ["intro", "rust", "sql"],
        "nothing of the failed requests was kept"
    );

    // Pages, newest first, with author and tags loaded.
    let (status, page) = api.get("/posts?per_page=2").await;
    assert_eq!(status, StatusCode::OK);
    let page: Page<PostView> = parse(page);
    let seen: Vec<(&str, &str, usize)> = page
        .items
        .iter()
        .map(|p| (p.slug.as_str(), p.author.name.as_str(), p.tags.len()))
        .collect();
    assert_eq!(seen, [("async", "ann", 0), ("joins", "bob", 2)]);
    let page: Page<PostView> = parse(api.get("/posts?per_page=2&page=2").await.1);
    assert_eq!(
        page.items
            .iter()
            .map(|p| p.slug.as_str())
            .collect::<Vec<_>>(),
        ["hello"]
    );

    assert_eq!(
        api.get("/posts/hello").await,
        (StatusCode::OK, json!(hello))
    );
    assert_eq!(api.get("/posts/nope").await.0, StatusCode::NOT_FOUND);

    // Search: the filters given, all of them.
    let slugs = |v: Value| {
        parse::<Vec<PostView>>(v)
            .into_iter()
            .map(|p| p.slug)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        slugs(api.get("/posts/search?tag=rust").await.1),
        ["hello", "joins"]
    );
    assert_eq!(
        slugs(api.get("/posts/search?author=ann&tag=rust").await.1),
        ["hello"]
    );
    assert_eq!(
        slugs(api.get("/posts/search?q=Rust").await.1),
        ["hello", "async"]
    );
    assert_eq!(
        slugs(api.get("/posts/search").await.1),
        ["hello", "joins", "async"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blog_over_http() {
    for engine in azoth::testing::engines("blog_over_http").await {
        walk(engine.clone()).await;
    }
}
