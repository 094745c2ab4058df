//! Kubernetes resource quantities (`500m`, `1.5`, `512Mi`, `1e3`), checked
//! by the grammar in k8s.io/apimachinery's `resource.Quantity`.

const SUFFIXES: [&str; 13] = [
    "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi",
];

/// Validates a quantity and returns it as Kubernetes will read it (the
/// text is kept as written: `cpu: 1` and `cpu: "1"` are the same quantity).
pub fn parse(text: &str) -> Result<String, String> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_end);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return Err(format!("`{text}` does not start with a number"));
    }
    if SUFFIXES.contains(&suffix) || suffix == "Ei" || is_exponent(suffix) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{suffix}` is not a unit; use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an \
            exponent such as e3"
        ))
    }
}

fn is_exponent(suffix: &str) -> bool {
    let Some(rest) = suffix.strip_prefix(['e', 'E']) else {
        return false;
    };
    let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// A quantity's exact value: `mantissa × 10^exponent × 2^binary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Value {
    negative: bool,
    mantissa: u128,
    exponent: i32,
    binary: u32,
}

impl Value {
    /// The value of a quantity written as `parse` accepts it.
    pub fn of(text: &str) -> Option<Value> {
        let negative = text.starts_with('-');
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        let number_end = unsigned
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(unsigned.len());
        let (number, suffix) = unsigned.split_at(number_end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits = format!("{whole}{fraction}");
        if digits.is_empty() || fraction.contains('.') {
            return None;
        }
        let mantissa = digits.trim_start_matches('0');
        let mantissa: u128 = if mantissa.is_empty() {
            0
        } else {
            mantissa.parse().ok()?
        };
        let (scale, binary) = suffix_scale(suffix)?;
        let exponent = scale.checked_sub(i32::try_from(fraction.len()).ok()?)?;
        Some(Value {
            negative: negative && mantissa != 0,
            mantissa,
            exponent,
            binary,
        })
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// Whether the value is a whole number.
    pub fn is_whole(&self) -> bool {
        if self.exponent >= 0 || self.mantissa == 0 {
            return true;
        }
        let mut m = self.mantissa;
        for _ in 0..self.exponent.unsigned_abs() {
            if !m.is_multiple_of(10) {
                return false;
            }
            m /= 10;
        }
        true
    }

    /// Whether the value is a whole multiple of `unit` (a positive value).
    pub fn is_multiple_of(&self, unit: &Value) -> bool {
        match (self.exact(), unit.exact()) {
            (Some((a, e_a)), Some((b, e_b))) if b != 0 => {
                let e = e_a.min(e_b);
                match (scaled(a, e_a - e), scaled(b, e_b - e)) {
                    (Some(a), Some(b)) => a % b == 0,
                    _ => true,
                }
            }
            _ => true,
        }
    }

    /// `mantissa × 2^binary` and the decimal exponent, when it fits.
    fn exact(&self) -> Option<(u128, i32)> {
        let m = self.mantissa.checked_mul(1u128.checked_shl(self.binary)?)?;
        Some((m, self.exponent))
    }

    fn approximate(&self) -> f64 {
        let magnitude =
            self.mantissa as f64 * 10f64.powi(self.exponent) * 2f64.powi(self.binary as i32);
        if self.negative { -magnitude } else { magnitude }
    }
}

/// `m × 10^by`, when it fits.
fn scaled(m: u128, by: i32) -> Option<u128> {
    m.checked_mul(10u128.checked_pow(u32::try_from(by).ok()?)?)
}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Value) -> Option<std::cmp::Ordering> {
        use std::cmp::Ordering;
        let sign = |v: &Value| {
            if v.negative {
                -1
            } else {
                i32::from(v.mantissa != 0)
            }
        };
        let by_sign = sign(self).cmp(&sign(other));
        if by_sign != Ordering::Equal || sign(self) == 0 {
            return Some(by_sign);
        }
        let magnitude = match (self.exact(), other.exact()) {
            (Some((a, e_a)), Some((b, e_b))) => {
                let e = e_a.min(e_b);
                match (scaled(a, e_a - e), scaled(b, e_b - e)) {
                    (Some(a), Some(b)) => Some(a.cmp(&b)),
                    _ => None,
                }
            }
            _ => None,
        };
        let magnitude = magnitude.or_else(|| {
            self.approximate()
                .abs()
                .partial_cmp(&other.approximate().abs())
        })?;
        Some(if self.negative {
            magnitude.reverse()
        } else {
            magnitude
        })
    }
}

/// A suffix as a decimal exponent and a power of two.
fn suffix_scale(suffix: &str) -> Option<(i32, u32)> {
    const DECIMAL: [(&str, i32); 8] = [
        ("", 0),
        ("m", -3),
        ("k", 3),
        ("M", 6),
        ("G", 9),
        ("T", 12),
        ("P", 15),
        ("E", 18),
    ];
    const BINARY: [(&str, u32); 6] = [
        ("Ki", 10),
        ("Mi", 20),
        ("Gi", 30),
        ("Ti", 40),
        ("Pi", 50),
        ("Ei", 60),
    ];
    if let Some((_, e)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
        return Some((*e, 0));
    }
    if let Some((_, b)) = BINARY.iter().find(|(s, _)| *s == suffix) {
        return Some((0, *b));
    }
    let rest = suffix.strip_prefix(['e', 'E'])?;
    Some((rest.parse().ok()?, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::Equal;

    #[test]
    fn valid_quantities() {
        for q in [
            "1", "500m", "1.5", "512Mi", "100Gi", "1e3", "1E-3", "0.5Gi", "-1", "1Ei", ".5",
        ] {
            assert_eq!(parse(q).as_deref(), Ok(q), "{q}");
        }
    }

    fn value(text: &str) -> Value {
        Value::of(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn values_compare_exactly() {
        assert!(value("500m") < value("1"));
        assert!(value("1Gi") > value("1G"));
        assert_eq!(value("1Gi").partial_cmp(&value("1073741824")), Some(Equal));
        assert_eq!(value("0.1").partial_cmp(&value("100m")), Some(Equal));
        assert_eq!(value("1e3").partial_cmp(&value("1k")), Some(Equal));
        assert!(value("-1") < value("0"));
        assert!(value("-2") < value("-1"));
        assert_eq!(value("0").partial_cmp(&value("-0")), Some(Equal));
        assert!(value("2Ei") > value("1E"));
    }

    #[test]
    fn whole_numbers_and_multiples() {
        assert!(value("2").is_whole() && !value("1500m").is_whole());
        assert!(value("2000m").is_whole() && value("1.0").is_whole());
        assert!(value("4Mi").is_multiple_of(&value("2Mi")));
        assert!(!value("3Mi").is_multiple_of(&value("2Mi")));
        assert!(value("-1").is_negative() && !value("-0").is_negative());
        assert!(value("0Gi").is_zero());
    }

    #[test]
    fn invalid_quantities() {
        for q in ["", "Gi", "1GB", "1.2.3", "1 Gi", "1mi", "1e", "abc"] {
            assert!(parse(q).is_err(), "{q}");
        }
    }
}
