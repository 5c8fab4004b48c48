//! Database URLs in messages: every error, `Debug` output and log event that mentions a URL shows
//! it through [`redact`], so a password never leaves the program in a message.

use azoth_dsl::Backend;

/// What stands in for a secret.
const MASK: &str = "***";

/// Query parameters that carry a secret (compared without case).
const SECRET_PARAMS: &[&str] = &["password", "sslpassword", "pass", "pwd", "passwd"];

/// The backend a URL's scheme names, if azoth runs on it.
pub(crate) fn backend_of(url: &str) -> Option<Backend> {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase())?;
    match scheme.as_str() {
        "sqlite" => Some(Backend::Sqlite),
        "postgres" | "postgresql" => Some(Backend::Postgres),
        "mysql" | "mariadb" => Some(Backend::MySql),
        _ => None,
    }
}

/// The URL with its user's password and every password-like query parameter replaced by `***`.
///
/// A malformed URL is redacted too: the user info ends at the last `@` before the query (or the
/// last `@` at all when the query holds none), so a password with an unescaped `/`, `?` or `@`
/// is still hidden; when unsure, more is hidden rather than less.
pub(crate) fn redact(url: &str) -> String {
    let (head, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let mut out = String::from(head);
    let rest = match (!head.is_empty()).then(|| userinfo_end(rest)).flatten() {
        Some(at) => {
            let info = &rest[..at];
            match info.split_once(':') {
                Some((user, _)) => {
                    out.push_str(user);
                    out.push(':');
                    out.push_str(MASK);
                }
                None => out.push_str(info),
            }
            out.push('@');
            &rest[at + 1..]
        }
        None => rest,
    };
    match rest.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            out.push_str(&redact_query(query));
        }
        None => out.push_str(rest),
    }
    out
}

/// `text` with every secret of `url` (raw and percent-decoded) replaced by `***`: for messages a
/// driver wrote about the URL.
pub(crate) fn scrub(text: &str, url: &str) -> String {
    let mut secrets = secrets(url);
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets
        .iter()
        .fold(text.to_owned(), |text, secret| text.replace(secret, MASK))
}

/// Where the user info of what follows `scheme://` ends (the index of its `@`).
fn userinfo_end(rest: &str) -> Option<usize> {
    let query = rest.find('?').unwrap_or(rest.len());
    rest[..query].rfind('@').or_else(|| rest.rfind('@'))
}

fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if is_secret_param(key) => format!("{key}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn is_secret_param(key: &str) -> bool {
    SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(key))
}

/// The secrets a URL holds, as written and percent-decoded.
fn secrets(url: &str) -> Vec<String> {
    let mut raw = Vec::new();
    if let Some(i) = url.find("://") {
        let rest = &url[i + 3..];
        if let Some((_, password)) = userinfo_end(rest).and_then(|at| rest[..at].split_once(':')) {
            raw.push(password);
        }
    }
    for pair in url.split(['?', '&']).skip(1) {
        match pair.split_once('=') {
            Some((key, value)) if is_secret_param(key) => raw.push(value),
            _ => {}
        }
    }
    let mut out: Vec<String> = raw
        .iter()
        .flat_map(|s| [(*s).to_owned(), percent_decode(s)])
        .filter(|s| !s.is_empty())
        .collect();
    out.dedup();
    out
}

/// `%XX` escapes decoded (lossily: a secret that is not UTF-8 is matched as the driver prints it).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_wherever_they_are() {
        assert_eq!(
            redact("postgres://ann:s3cr3t@db:5432/app?sslmode=require"),
            "postgres://ann:***@db:5432/app?sslmode=require"
        );
        assert_eq!(redact("postgres://ann@db/app"), "postgres://ann@db/app");
        assert_eq!(
            redact("mysql://ann:p/a?s@s@db/app"),
            "mysql://ann:***@db/app"
        );
        assert_eq!(
            redact("postgres://db/app?user=ann&Password=s3cr3t&x=1"),
            "postgres://db/app?user=ann&Password=***&x=1"
        );
        assert_eq!(redact("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(
            scrub("bad: s3cr3t!x and s3cr3t%21x", "postgres://u:s3cr3t%21x@h"),
            "bad: *** and ***"
        );
    }

    #[test]
    fn the_scheme_names_the_backend() {
        assert_eq!(backend_of("mariadb://h/db"), Some(Backend::MySql));
        assert_eq!(backend_of("PostgreSQL://h/db"), Some(Backend::Postgres));
        assert_eq!(backend_of("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(backend_of("oracle://h/db"), None);
        assert_eq!(backend_of("no scheme"), None);
    }
}
