//! Exact decimals: `NUMERIC`/`DECIMAL` values and doubles read as `rust_decimal::Decimal` with
//! every digit kept, or an error saying why a `Decimal` cannot hold the value.

use rust_decimal::Decimal;
use sea_query::Value;
use sqlx::{Row, TypeInfo, ValueRef};

use super::ReadError;

/// Reads a `NUMERIC` column exactly: every digit the database sent is kept, and a value a
/// `Decimal` cannot hold is [`ReadError::Unrepresentable`], never rounded and never NULL.
pub(super) trait ReadNumeric {
    fn numeric(&self, i: usize) -> Result<Value, ReadError>;
}

/// The decimal written `text`, exactly; trailing zeros after the point are dropped where a
/// `Decimal` could not hold them (`1.000..0` with 30 zeros is `1`).
pub(crate) fn exact_decimal(text: &str) -> Result<Decimal, String> {
    Decimal::from_str_exact(text)
        .or_else(|e| match text.split_once('.') {
            Some((int, frac)) => {
                let frac = frac.trim_end_matches('0');
                let shorter = if frac.is_empty() {
                    int.to_owned()
                } else {
                    format!("{int}.{frac}")
                };
                Decimal::from_str_exact(&shorter)
            }
            None => Err(e),
        })
        .map_err(|_| {
            format!(
                "the value {text} does not fit a rust_decimal::Decimal (at most 28 digits after \
                 the point, about 28 significant digits, magnitude below 7.9e28); azoth does not \
                 round it"
            )
        })
}

/// The decimal a double stands for: its shortest decimal form, the one that reads back as the
/// same double (what `f64`'s `Display` writes).
pub(crate) fn decimal_of_double(f: f64) -> Result<Decimal, String> {
    if !f.is_finite() {
        return Err(format!(
            "the value {f} is not a number a rust_decimal::Decimal holds"
        ));
    }
    exact_decimal(&f.to_string())
}

/// A number of another type read as a decimal: an integer, or a double (exactly the decimal it
/// stands for).
#[cfg_attr(
    not(any(feature = "postgres", feature = "mysql")),
    allow(unused_macros)
)]
macro_rules! other_number {
    ($row:expr, $i:expr) => {{
        match $row.try_get::<Option<i64>, _>($i) {
            Ok(v) => Ok(Value::Decimal(v.map(Decimal::from))),
            Err(first) => match $row.try_get::<Option<f64>, _>($i) {
                Ok(v) => v
                    .map(decimal_of_double)
                    .transpose()
                    .map(Value::Decimal)
                    .map_err(ReadError::Unrepresentable),
                Err(_) => Err(ReadError::Type(first)),
            },
        }
    }};
}

#[cfg(feature = "postgres")]
impl ReadNumeric for sqlx::postgres::PgRow {
    fn numeric(&self, i: usize) -> Result<Value, ReadError> {
        let raw = self.try_get_raw(i)?;
        if raw.is_null() {
            return Ok(Value::Decimal(None));
        }
        if raw.type_info().name() != "NUMERIC" {
            return other_number!(self, i);
        }
        let text = match raw.format() {
            sqlx::postgres::PgValueFormat::Text => raw.as_str().map(str::to_owned),
            sqlx::postgres::PgValueFormat::Binary => raw.as_bytes().and_then(pg_numeric_text),
        }
        .map_err(|e| ReadError::Unrepresentable(e.to_string()))?;
        exact_decimal(&text)
            .map(|d| Value::Decimal(Some(d)))
            .map_err(ReadError::Unrepresentable)
    }
}

/// The text of a PostgreSQL `NUMERIC` in the binary format: digit count, weight, sign and display
/// scale (each 16 bits), then base-10000 digits, the first of weight `weight`.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
fn pg_numeric_text(bytes: &[u8]) -> Result<String, sqlx::error::BoxDynError> {
    let word = |k: usize| -> Result<u16, sqlx::error::BoxDynError> {
        let b = bytes.get(2 * k..2 * k + 2).ok_or("a truncated NUMERIC")?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    };
    let ndigits = usize::from(word(0)?);
    let weight = i64::from(word(1)? as i16);
    let sign = word(2)?;
    let dscale = usize::from(word(3)?);
    let digits = (0..ndigits)
        .map(|k| word(4 + k))
        .collect::<Result<Vec<u16>, _>>()?;
    let negative = match sign {
        0x0000 => false,
        0x4000 => true,
        0xC000 => return Err("the value NaN is not a number a rust_decimal::Decimal holds".into()),
        _ => return Err("the value Infinity is not a number a rust_decimal::Decimal holds".into()),
    };
    // The digit of weight `w` (10000^w), zero outside the stored ones.
    let digit = |w: i64| -> u16 {
        usize::try_from(weight - w)
            .ok()
            .and_then(|k| digits.get(k).copied())
            .unwrap_or(0)
    };
    let mut text = String::new();
    if negative {
        text.push('-');
    }
    if weight < 0 {
        text.push('0');
    } else {
        text.push_str(&digit(weight).to_string());
        for w in (0..weight).rev() {
            text.push_str(&format!("{:04}", digit(w)));
        }
    }
    let stored = usize::try_from((i64::try_from(ndigits)? - weight - 1).max(0))? * 4;
    let frac_len = dscale.max(stored);
    if frac_len > 0 {
        let mut frac = String::new();
        let mut w = -1;
        while frac.len() < frac_len {
            frac.push_str(&format!("{:04}", digit(w)));
            w -= 1;
        }
        // The last base-10000 digit is padded with zeros past the display scale.
        while frac.len() > dscale && frac.ends_with('0') {
            frac.pop();
        }
        if frac.is_empty() {
            return Ok(text);
        }
        text.push('.');
        text.push_str(&frac);
    }
    Ok(text)
}

#[cfg(feature = "mysql")]
impl ReadNumeric for sqlx::mysql::MySqlRow {
    fn numeric(&self, i: usize) -> Result<Value, ReadError> {
        let raw = self.try_get_raw(i)?;
        if raw.is_null() {
            return Ok(Value::Decimal(None));
        }
        if raw.type_info().name() != "DECIMAL" {
            return other_number!(self, i);
        }
        // MySQL sends a DECIMAL as its text in both protocols, padded with zeros to the column's
        // scale (28 places in the columns `create_all` makes): the value without that padding.
        let text = self.try_get_unchecked::<String, _>(i)?;
        exact_decimal(&text)
            .map(|d| Value::Decimal(Some(d.normalize())))
            .map_err(ReadError::Unrepresentable)
    }
}

#[cfg(feature = "sqlite")]
impl ReadNumeric for sqlx::sqlite::SqliteRow {
    /// SQLite holds a number as an integer or a double (text in a column written by others).
    fn numeric(&self, i: usize) -> Result<Value, ReadError> {
        let raw = self.try_get_raw(i)?;
        // A NULL's type is the column's declared one (`REAL`, `TEXT`): test for NULL first.
        if raw.is_null() {
            return Ok(Value::Decimal(None));
        }
        let decimal = match raw.type_info().name() {
            "INTEGER" => Ok(Decimal::from(self.try_get_unchecked::<i64, _>(i)?)),
            "REAL" => decimal_of_double(self.try_get_unchecked::<f64, _>(i)?),
            "TEXT" => exact_decimal(self.try_get_unchecked::<String, _>(i)?.trim()),
            _ => return first_of!(self, i, &mut None; String => String),
        };
        decimal
            .map(|d| Value::Decimal(Some(d)))
            .map_err(ReadError::Unrepresentable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(ndigits: u16, weight: i16, sign: u16, dscale: u16, digits: &[u16]) -> Vec<u8> {
        let mut b = Vec::new();
        for w in [ndigits, weight as u16, sign, dscale].iter().chain(digits) {
            b.extend_from_slice(&w.to_be_bytes());
        }
        b
    }

    #[test]
    fn postgres_binary_numerics_read_as_their_text() {
        let cases: &[(Vec<u8>, &str)] = &[
            (numeric(2, 0, 0, 2, &[19, 9900]), "19.99"),
            (numeric(1, -1, 0, 4, &[1]), "0.0001"),
            (numeric(1, -2, 0, 5, &[1000]), "0.00001"),
            (numeric(3, 1, 0x4000, 1, &[1234, 5678, 9000]), "-12345678.9"),
            (numeric(1, 2, 0, 0, &[1]), "100000000"),
            (numeric(0, 0, 0, 2, &[]), "0.00"),
            (numeric(0, 0, 0, 0, &[]), "0"),
            (numeric(2, 0, 0, 1, &[1, 5000]), "1.5"),
        ];
        for (bytes, text) in cases {
            assert_eq!(pg_numeric_text(bytes).unwrap(), *text);
        }
        assert!(
            pg_numeric_text(&numeric(0, 0, 0xC000, 0, &[])).is_err(),
            "NaN"
        );
        assert!(
            pg_numeric_text(&numeric(0, 0, 0xD000, 0, &[])).is_err(),
            "Infinity"
        );
        assert!(pg_numeric_text(&[0, 2, 0, 0]).is_err(), "truncated");
        assert!(
            pg_numeric_text(&numeric(2, 0, 0, 0, &[1])).is_err(),
            "truncated digits"
        );
    }

    #[test]
    fn decimals_are_exact_or_an_error() {
        assert_eq!(exact_decimal("19.99").unwrap().to_string(), "19.99");
        // Zero padding beyond what a Decimal holds is dropped, nothing else.
        let padded = format!("-9223372036854775807.{}", "0".repeat(28));
        assert_eq!(
            exact_decimal(&padded).unwrap().to_string(),
            "-9223372036854775807"
        );
        assert!(exact_decimal("0.12345678901234567890123456789").is_err());
        assert!(exact_decimal("123456789012345678901234567890123").is_err());
        assert!(exact_decimal("abc").is_err());
        assert_eq!(decimal_of_double(19.99).unwrap().to_string(), "19.99");
        assert_eq!(
            decimal_of_double(1e20).unwrap().to_string(),
            "100000000000000000000"
        );
        assert!(decimal_of_double(1e30).is_err());
        assert!(decimal_of_double(f64::NAN).is_err());
        assert!(decimal_of_double(f64::INFINITY).is_err());
    }
}
