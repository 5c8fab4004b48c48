//! Parent keys as one PostgreSQL array, for `WHERE fk IN (SELECT UNNEST($1))`: one statement (and one
//! prepared plan) whatever the number of parents, and no bind-parameter limit to chunk around.

use sea_query::{ArrayType, Value};

/// The array type the keys go in: they are single-column, each `Some`, all of one type that
/// PostgreSQL has an array of and the driver binds; `None` sends the caller to `IN (..)`.
pub(super) fn element_type(keys: &[Vec<Value>]) -> Option<ArrayType> {
    let ty = array_type(keys.first()?.first()?)?;
    keys.iter()
        .all(|k| matches!(k.as_slice(), [v] if v.is_some() && array_type(v).as_ref() == Some(&ty)))
        .then_some(ty)
}

/// The keys as one array value, when [`element_type`] finds one.
pub(super) fn of_keys(keys: &[Vec<Value>]) -> Option<Value> {
    let ty = element_type(keys)?;
    let items = keys.iter().filter_map(|k| k.first().cloned()).collect();
    Some(Value::Array(ty, Some(Box::new(items))))
}

/// The element type of an array of `v`'s kind, for the kinds keys have.
fn array_type(v: &Value) -> Option<ArrayType> {
    Some(match v {
        Value::SmallInt(_) => ArrayType::SmallInt,
        Value::Int(_) => ArrayType::Int,
        Value::BigInt(_) => ArrayType::BigInt,
        Value::String(_) => ArrayType::String,
        Value::Uuid(_) => ArrayType::Uuid,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_one_type_make_one_array() {
        let keys = vec![vec![Value::BigInt(Some(3))], vec![Value::BigInt(Some(5))]];
        let Some(Value::Array(ArrayType::BigInt, Some(items))) = of_keys(&keys) else {
            panic!("expected a bigint array");
        };
        assert_eq!(*items, vec![Value::BigInt(Some(3)), Value::BigInt(Some(5))]);
    }

    #[test]
    fn mixed_null_composite_or_unsupported_keys_stay_in_lists() {
        let mixed = vec![vec![Value::BigInt(Some(3))], vec![Value::Int(Some(5))]];
        assert!(of_keys(&mixed).is_none());
        assert!(of_keys(&[vec![Value::BigInt(None)]]).is_none());
        let composite = vec![vec![Value::BigInt(Some(1)), Value::BigInt(Some(2))]];
        assert!(of_keys(&composite).is_none());
        assert!(of_keys(&[vec![Value::Double(Some(1.5))]]).is_none());
        assert!(of_keys(&[]).is_none());
    }
}
