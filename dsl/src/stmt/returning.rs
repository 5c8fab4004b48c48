//! `RETURNING` on UPDATE and DELETE: the selected items lowered, and the clause rendered for each
//! backend.

use sea_query::{
    ColumnName, ColumnRef, DeleteStatement, Expr as SeaExpr, ReturningClause, SelectStatement,
    UpdateStatement,
};

use super::selection::Selection;
use crate::backend::Backend;
use crate::lower::{Rendered, render};

/// The items of `sel` for a RETURNING clause, columns named bare (`"id"`, not `"user"."id"`):
/// the statement's own table is the only one in scope.
pub(crate) fn returning_exprs<Sel: Selection>(sel: &Sel, backend: Backend) -> Vec<SeaExpr> {
    let mut items = Vec::new();
    sel.lower_items(backend, &mut items);
    items.into_iter().map(|(e, _)| bare(e)).collect()
}

/// A selected column without its table (RETURNING names the statement's table bare); other
/// expressions keep their qualified columns.
fn bare(e: SeaExpr) -> SeaExpr {
    match e {
        SeaExpr::Column(ColumnRef::Column(ColumnName(Some(_), col))) => {
            SeaExpr::Column(ColumnRef::Column(ColumnName(None, col)))
        }
        e => e,
    }
}

/// A statement that takes a RETURNING clause.
pub(crate) trait WithReturning: sea_query::QueryStatementWriter {
    /// Sets the clause.
    fn set_returning(&mut self, exprs: Vec<SeaExpr>);
}

impl WithReturning for UpdateStatement {
    fn set_returning(&mut self, exprs: Vec<SeaExpr>) {
        self.returning(ReturningClause::Exprs(exprs));
    }
}

impl WithReturning for DeleteStatement {
    fn set_returning(&mut self, exprs: Vec<SeaExpr>) {
        self.returning(ReturningClause::Exprs(exprs));
    }
}

/// Renders `stmt` followed by `RETURNING exprs`.
///
/// sea-query renders no RETURNING for MySQL; MariaDB runs `DELETE … RETURNING`, so there the
/// clause is rendered as a select list and appended, its values after the statement's (MySQL's
/// placeholders are positional). MySQL itself, and `UPDATE … RETURNING` on MariaDB, reject it:
/// the runtime reports that as `Error::Unsupported`.
pub(crate) fn render_returning<S: WithReturning>(
    mut stmt: S,
    exprs: Vec<SeaExpr>,
    backend: Backend,
) -> Rendered {
    if backend != Backend::MySql {
        stmt.set_returning(exprs);
        return render(&stmt, backend);
    }
    let (mut sql, mut values) = render(&stmt, backend);
    let mut list = SelectStatement::new();
    list.exprs(exprs);
    let (items, item_values) = render(&list, backend);
    sql.push_str(" RETURNING ");
    sql.push_str(items.strip_prefix("SELECT ").unwrap_or(&items));
    values.0.extend(item_values.0);
    (sql, values)
}
