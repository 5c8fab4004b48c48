//! Dropping a test's namespace when its engine is dropped, from a synchronous `Drop` (also while
//! a failed assertion unwinds): on a thread of its own with a runtime of its own, since the
//! test's runtime may be the one blocked in the drop.

use std::time::Duration;

use azoth_dsl::Backend;

use super::namespace::Claim;

/// How long dropping a namespace may take before it is left for the next run.
const LIMIT: Duration = Duration::from_secs(30);

/// A namespace to drop, on the server at `server`.
#[derive(Debug)]
pub(super) struct Cleanup {
    claim: Claim,
    server: String,
}

impl Cleanup {
    /// Will drop `claim`'s namespace on the server at `server`.
    pub(super) fn new(claim: Claim, server: String) -> Cleanup {
        Cleanup { claim, server }
    }

    /// Keeps the namespace (the next run with its name drops it) and releases the name.
    pub(super) fn keep(self) {}

    /// Drops the namespace, waiting for it; a failure is reported on stderr, not raised (the
    /// next run with this name drops the namespace anyway).
    pub(super) fn run(self) {
        let Cleanup { claim, server } = self;
        let backend = claim.backend();
        let name = claim.name().to_owned();
        let done = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                match tokio::time::timeout(LIMIT, drop_namespace(backend, &server, &name)).await {
                    Ok(result) => result.map_err(|e| e.to_string()),
                    Err(_) => Err(format!("not done within {LIMIT:?}")),
                }
            })
        })
        .join();
        let name = claim.name();
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("azoth::testing: could not drop `{name}`: {e}"),
            Err(_) => eprintln!("azoth::testing: dropping `{name}` panicked"),
        }
    }
}

async fn drop_namespace(backend: Backend, server: &str, name: &str) -> Result<(), sqlx::Error> {
    match backend {
        #[cfg(feature = "postgres")]
        Backend::Postgres => super::postgres::drop(server, name).await,
        #[cfg(feature = "mysql")]
        Backend::MySql => super::mysql::drop(server, name).await,
        #[allow(unreachable_patterns)]
        _ => {
            let _ = (server, name);
            Ok(())
        }
    }
}
