//! Serves the blog: `cargo run -p azoth-blog-service`, then
//! `curl -X POST localhost:3000/users -H 'content-type: application/json' -d '{"name":"ann","email":"ann@x.org"}'`.
//!
//! `DATABASE_URL` picks the database (default: a SQLite file `blog.db`), `ADDR` the address
//! (default `127.0.0.1:3000`), `RUST_LOG` what is logged (default `info`).

use azoth::{Engine, EngineOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://blog.db?mode=rwc".into());
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let engine = Engine::connect_with(&url, EngineOptions::default().max_connections(10)).await?;
    azoth_blog_service::create_schema(&engine).await?;
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!(%addr, "serving the blog");
    axum::serve(listener, azoth_blog_service::app(engine)).await?;
    Ok(())
}
