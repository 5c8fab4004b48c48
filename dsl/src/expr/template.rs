//! Custom SQL around lowered expressions, for functions sea-query does not build.

use sea_query::Expr as SeaExpr;

use crate::backend::Backend;

/// `tmpl` with each `?` standing for the next of `exprs` (`$1, $2, ..` on PostgreSQL). The
/// template is azoth's own SQL text, never user data; the expressions keep their bound values.
pub(crate) fn custom(b: Backend, tmpl: &str, exprs: Vec<SeaExpr>) -> SeaExpr {
    if b != Backend::Postgres {
        return SeaExpr::cust_with_exprs(tmpl.to_owned(), exprs);
    }
    let mut out = String::with_capacity(tmpl.len() + 4);
    let mut n = 0;
    for c in tmpl.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    SeaExpr::cust_with_exprs(out, exprs)
}
