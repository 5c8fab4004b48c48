//! Key values of relationship columns, hashable for grouping loaded rows under their parents.

use sea_query::Value;

/// Maps keyed by [`Key`]: foldhash (seeded per map) instead of SipHash, which showed in the
/// loading profile.
pub(crate) type KeyMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Sets of keys, hashed like [`KeyMap`].
pub(crate) type KeySet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// A non-NULL key value: integers of any width compare equal by value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Int(i64),
    Text(String),
    Uuid(uuid::Uuid),
    Bytes(Vec<u8>),
    Other(String),
    /// A composite key: its parts in key order.
    Tuple(Box<[Key]>),
}

impl Key {
    /// The key of a value, `None` for NULL.
    pub(crate) fn of(v: &Value) -> Option<Key> {
        Some(match v {
            Value::TinyInt(Some(x)) => Key::Int(i64::from(*x)),
            Value::SmallInt(Some(x)) => Key::Int(i64::from(*x)),
            Value::Int(Some(x)) => Key::Int(i64::from(*x)),
            Value::BigInt(Some(x)) => Key::Int(*x),
            Value::TinyUnsigned(Some(x)) => Key::Int(i64::from(*x)),
            Value::SmallUnsigned(Some(x)) => Key::Int(i64::from(*x)),
            Value::Unsigned(Some(x)) => Key::Int(i64::from(*x)),
            Value::BigUnsigned(Some(x)) => match i64::try_from(*x) {
                Ok(i) => Key::Int(i),
                Err(_) => Key::Other(x.to_string()),
            },
            Value::String(Some(s)) => Key::Text(s.clone()),
            Value::Uuid(Some(u)) => Key::Uuid(*u),
            Value::Bytes(Some(b)) => Key::Bytes(b.clone()),
            other if !other.is_some() => return None,
            other => Key::Other(format!("{other:?}")),
        })
    }

    /// [`Key::of`], taking the value (a text key moves instead of being copied).
    pub(crate) fn take(v: Value) -> Option<Key> {
        match v {
            Value::BigInt(Some(x)) => Some(Key::Int(x)),
            Value::String(Some(s)) => Some(Key::Text(s)),
            Value::Bytes(Some(b)) => Some(Key::Bytes(b)),
            other => Key::of(&other),
        }
    }
}

/// One key from its parts: the part itself for one column, a tuple for several; `None` if a
/// part is NULL (a NULL key relates to nothing) or there is no part (a table without a key).
fn compose(mut parts: impl ExactSizeIterator<Item = Option<Key>>) -> Option<Key> {
    match parts.len() {
        0 => None,
        1 => parts.next().flatten(),
        _ => parts
            .collect::<Option<Vec<_>>>()
            .map(|parts| Key::Tuple(parts.into())),
    }
}

/// The key a row holds in columns `cols`.
pub(crate) fn key_of<M: azoth_dsl::Model>(row: &M, cols: &[&str]) -> Option<Key> {
    compose(cols.iter().map(|c| row.value_of(c).and_then(Key::take)))
}

/// Where `cols` are among model `M`'s columns (to read a key with [`key_at_columns`]); `None`
/// if one is not among them.
pub(crate) fn column_positions<M: azoth_dsl::Model>(cols: &[&str]) -> Option<Vec<usize>> {
    cols.iter()
        .map(|c| M::META.columns.iter().position(|m| m.name == *c))
        .collect()
}

/// The key a row holds in the columns at `positions` ([`column_positions`]): [`key_of`]
/// without comparing column names.
pub(crate) fn key_at_columns<M: azoth_dsl::Model>(row: &M, positions: &[usize]) -> Option<Key> {
    compose(
        positions
            .iter()
            .map(|&i| row.value_at(i).and_then(Key::take)),
    )
}

/// A reader of one key of rows of `M`: by column positions where they were found, else by name.
pub(crate) struct KeyReader<'a> {
    names: &'a [&'a str],
    positions: Option<Vec<usize>>,
}

impl<'a> KeyReader<'a> {
    /// The reader of the key held in columns `names` of rows of `M`.
    pub(crate) fn new<M: azoth_dsl::Model>(names: &'a [&'a str]) -> Self {
        KeyReader {
            names,
            positions: column_positions::<M>(names),
        }
    }

    /// The key `row` holds.
    pub(crate) fn read<M: azoth_dsl::Model>(&self, row: &M) -> Option<Key> {
        match self.positions.as_deref() {
            // One column, the usual key: no parts to compose.
            Some(&[at]) => row.value_at(at).and_then(Key::take),
            Some(at) => key_at_columns(row, at),
            None => key_of(row, self.names),
        }
    }
}

/// The key of values read from a row (several for a composite key).
pub(crate) fn key_of_values(values: &[Value]) -> Option<Key> {
    compose(values.iter().map(Key::of))
}

/// The key held at `positions` of `values` (several for a composite key); `None` if a part is
/// NULL or there is no position.
pub(crate) fn key_at(values: &[Value], positions: &[usize]) -> Option<Key> {
    compose(positions.iter().map(|&i| values.get(i).and_then(Key::of)))
}

/// The column of `meta`'s primary key when it is one integer column: what loading can put rows
/// in order by itself (integers order the same in Rust and in every database).
pub(crate) fn integer_key(meta: &azoth_dsl::TableMeta) -> Option<&'static str> {
    use azoth_dsl::sql_types::SqlKind;
    let mut pk = meta.primary_key();
    match (pk.next(), pk.next()) {
        (Some(c), None)
            if matches!(
                c.kind,
                SqlKind::SmallInt | SqlKind::Integer | SqlKind::BigInt
            ) =>
        {
            Some(c.name)
        }
        _ => None,
    }
}

/// The primary-key columns of model `M`: what identifies its rows.
pub(crate) fn identity_columns<M: azoth_dsl::Model>() -> Vec<&'static str> {
    M::META.primary_key().map(|c| c.name).collect()
}

/// Distinct targets in first-seen order, by identity.
pub(crate) struct Targets<T> {
    id_cols: Vec<&'static str>,
    index_of: KeyMap<Key, usize>,
    /// The targets, in first-seen order.
    pub(crate) rows: Vec<T>,
}

impl<T: azoth_dsl::Model> Targets<T> {
    pub(crate) fn new() -> Self {
        Targets {
            id_cols: identity_columns::<T>(),
            index_of: KeyMap::default(),
            rows: Vec::new(),
        }
    }

    /// The index of `t`, added if it is new; the second value tells whether it was.
    pub(crate) fn add(&mut self, t: T) -> (usize, bool) {
        // A row is identified by its whole primary key.
        match key_of(&t, &self.id_cols) {
            Some(id) => match self.index_of.get(&id) {
                Some(&i) => (i, false),
                None => {
                    self.index_of.insert(id, self.rows.len());
                    self.rows.push(t);
                    (self.rows.len() - 1, true)
                }
            },
            None => {
                self.rows.push(t);
                (self.rows.len() - 1, true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_of_any_width_are_the_same_key_and_null_is_none() {
        assert_eq!(
            Key::of(&Value::Int(Some(7))),
            Key::of(&Value::BigInt(Some(7)))
        );
        assert_eq!(Key::of(&Value::BigInt(None)), None);
        assert_ne!(
            Key::of(&Value::String(Some("7".into()))),
            Key::of(&Value::BigInt(Some(7)))
        );
    }
}
