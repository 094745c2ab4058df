//! Integer literals: decimal (`755`, `-1`) and octal (`0o755`). A decimal
//! literal with a leading zero (`0755`) is refused: YAML 1.1 and C read it
//! as octal, poolc would read it as decimal, and the two differ (a file mode
//! of 755 is refused by the API server; `0o755` is 493).

/// Why a number-like literal is not an integer the language accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntegerError {
    /// Not an integer at all (`1.5`, `500m`): the caller reports a type
    /// mismatch.
    NotInteger,
    /// `0755`: its two readings.
    LeadingZero {
        decimal: String,
        /// The octal reading, when every digit is an octal digit.
        octal: Option<(String, i64)>,
    },
    /// `0o` followed by something other than octal digits.
    BadOctal { reason: String },
    /// Does not fit in 64 bits.
    TooLarge,
}

/// Reads an integer literal.
pub fn parse(text: &str) -> Result<i64, IntegerError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let sign = if negative { "-" } else { "" };
    if let Some(octal) = digits.strip_prefix("0o") {
        return parse_octal(octal).map(|n| if negative { -n } else { n });
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(IntegerError::NotInteger);
    }
    if digits.len() > 1 && digits.starts_with('0') {
        let bare = digits.trim_start_matches('0');
        let bare = if bare.is_empty() { "0" } else { bare };
        let octal = parse_octal(bare)
            .ok()
            .map(|n| (format!("{sign}0o{bare}"), if negative { -n } else { n }));
        return Err(IntegerError::LeadingZero {
            decimal: format!("{sign}{bare}"),
            octal,
        });
    }
    text.parse::<i64>().map_err(|_| IntegerError::TooLarge)
}

fn parse_octal(digits: &str) -> Result<i64, IntegerError> {
    if digits.is_empty() {
        return Err(IntegerError::BadOctal {
            reason: "no digits after `0o`".into(),
        });
    }
    if let Some(c) = digits.chars().find(|c| !('0'..='7').contains(c)) {
        return Err(IntegerError::BadOctal {
            reason: format!("`{c}` is not an octal digit (0 to 7)"),
        });
    }
    i64::from_str_radix(digits, 8).map_err(|_| IntegerError::TooLarge)
}

/// Whether a literal is written as an integer (decimal or octal), valid or
/// not: `0755` and `0o9` are integers written wrongly, `1.5` is no integer.
pub fn looks_integer(text: &str) -> bool {
    parse(text) != Err(IntegerError::NotInteger)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_octal() {
        assert_eq!(parse("755"), Ok(755));
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("-1"), Ok(-1));
        assert_eq!(parse("0o755"), Ok(0o755));
        assert_eq!(parse("0o644"), Ok(420));
        assert_eq!(parse("-0o10"), Ok(-8));
    }

    #[test]
    fn a_leading_zero_offers_both_readings() {
        assert_eq!(
            parse("0755"),
            Err(IntegerError::LeadingZero {
                decimal: "755".into(),
                octal: Some(("0o755".into(), 493)),
            })
        );
        assert_eq!(
            parse("089"),
            Err(IntegerError::LeadingZero {
                decimal: "89".into(),
                octal: None,
            })
        );
        assert_eq!(
            parse("00"),
            Err(IntegerError::LeadingZero {
                decimal: "0".into(),
                octal: Some(("0o0".into(), 0)),
            })
        );
    }

    #[test]
    fn bad_octal_and_non_integers() {
        assert!(matches!(parse("0o8"), Err(IntegerError::BadOctal { .. })));
        assert!(matches!(parse("0o"), Err(IntegerError::BadOctal { .. })));
        assert_eq!(parse("1.5"), Err(IntegerError::NotInteger));
        assert_eq!(parse("500m"), Err(IntegerError::NotInteger));
        assert_eq!(parse("0x1f"), Err(IntegerError::NotInteger));
        assert_eq!(parse("99999999999999999999"), Err(IntegerError::TooLarge));
        assert!(looks_integer("0755") && looks_integer("0o9") && !looks_integer("2h"));
    }
}
