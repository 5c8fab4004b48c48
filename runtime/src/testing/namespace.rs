//! The names of tests' namespaces, and which of them live engines of this process hold.

use std::collections::BTreeSet;
use std::sync::Mutex;

use azoth_dsl::Backend;

/// The longest identifier PostgreSQL keeps (MySQL's is 64).
const MAX_NAME: usize = 63;

/// The schema (PostgreSQL) or database (MySQL/MariaDB) that test `test` gets:
/// `azoth_<test>_<hash>`, where the hash is that of the crate's directory
/// (`CARGO_MANIFEST_DIR`, which `cargo test` sets, else the working directory), so that two
/// checkouts testing against the same servers at once do not drop each other's tables.
/// Characters other than ASCII letters, digits and `_` become `_`; a long name is shortened and
/// ends with a hash of the whole.
///
/// ```
/// let name = azoth::testing::namespace("Sign-up works");
/// assert!(name.starts_with("azoth_sign_up_works_"), "{name}");
/// assert!(azoth::testing::namespace(&"x".repeat(200)).len() <= 63);
/// ```
pub fn namespace(test: &str) -> String {
    let checkout = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default()
    });
    let test: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("azoth_{test}_{:06x}", fnv(checkout.as_bytes()) & 0xff_ffff);
    if name.len() <= MAX_NAME {
        return name;
    }
    format!("{}_{:016x}", &name[..MAX_NAME - 17], fnv(name.as_bytes()))
}

/// FNV-1a: a hash that stays the same across runs and Rust versions.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Namespaces held by live engines of this process, per server.
static IN_USE: Mutex<BTreeSet<(u8, String)>> = Mutex::new(BTreeSet::new());

/// A namespace on one backend's server, held until dropped: no other engine of this process
/// gets it meanwhile.
#[derive(Debug)]
pub(super) struct Claim {
    backend: Backend,
    name: String,
}

impl Claim {
    /// Claims the namespace of `test` on `backend`'s server; panics when a live engine holds it.
    pub(super) fn new(backend: Backend, test: &str) -> Claim {
        let name = namespace(test);
        let key = (backend as u8, name.clone());
        let fresh = IN_USE.lock().unwrap_or_else(|e| e.into_inner()).insert(key);
        assert!(
            fresh,
            "azoth::testing: the test name `{test}` is in use by another test's engine on {} \
             (namespace `{name}`): give each test its own name",
            backend.name()
        );
        Claim { backend, name }
    }

    /// The namespace's name.
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// The server's backend.
    pub(super) fn backend(&self) -> Backend {
        self.backend
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let key = (self.backend as u8, std::mem::take(&mut self.name));
        IN_USE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key);
    }
}
