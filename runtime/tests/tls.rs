//! TLS through sqlx's rustls: an encrypted PostgreSQL session, a certificate that cannot be
//! verified, and a MySQL server without TLS when TLS is required.

use azoth::prelude::*;

/// The URL in `var`, if set; unset with `AZOTH_TEST_REQUIRE_ALL=1` (CI) fails the test.
fn server_url(var: &str) -> Option<String> {
    let url = std::env::var(var).ok();
    if url.is_none() {
        let required = std::env::var("AZOTH_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1");
        assert!(!required, "{var} is required (AZOTH_TEST_REQUIRE_ALL=1)");
        eprintln!("skipping: {var} is not set");
    }
    url
}

/// The PostgreSQL URL of the test server with `params` added, if one is configured.
fn pg_url(params: &str) -> Option<String> {
    let url = server_url("AZOTH_TEST_POSTGRES_URL")?;
    let sep = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{sep}{params}"))
}

#[tokio::test]
async fn sslmode_require_encrypts_the_postgres_session() {
    let Some(url) = pg_url("sslmode=require") else {
        return;
    };
    let engine = Engine::connect(&url).await.expect("a TLS connection");
    let encrypted: bool = engine
        .session()
        .one(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").returns())
        .await
        .unwrap();
    assert!(encrypted, "pg_stat_ssl reports the session encrypted");
}

#[tokio::test]
async fn sslmode_verify_full_refuses_an_unknown_certificate() {
    let Some(url) = pg_url("sslmode=verify-full") else {
        return;
    };
    // The local server's certificate is self-signed: no trusted root vouches for it.
    let err = Engine::connect(&url).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    let message = err.to_string();
    assert!(
        message.to_lowercase().contains("certificate"),
        "the message names the certificate: {message}"
    );
}

#[tokio::test]
async fn a_mysql_server_without_tls_is_refused_when_tls_is_required() {
    let Some(url) = server_url("AZOTH_TEST_MYSQL_URL") else {
        return;
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    let required = format!("{url}{sep}ssl-mode=REQUIRED");
    let server_has_tls = Engine::connect(&format!("{url}{sep}ssl-mode=PREFERRED"))
        .await
        .unwrap()
        .session()
        .one(text("SELECT @@have_ssl").returns::<String>())
        .await
        .unwrap()
        == "YES";
    let result = Engine::connect(&required).await;
    if server_has_tls {
        result.expect("a TLS connection");
    } else {
        let err = result.unwrap_err();
        assert!(err.is_connection(), "{err:?}");
    }
}
