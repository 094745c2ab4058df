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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_quantities() {
        for q in [
            "1", "500m", "1.5", "512Mi", "100Gi", "1e3", "1E-3", "0.5Gi", "-1", "1Ei", ".5",
        ] {
            assert_eq!(parse(q).as_deref(), Ok(q), "{q}");
        }
    }

    #[test]
    fn invalid_quantities() {
        for q in ["", "Gi", "1GB", "1.2.3", "1 Gi", "1mi", "1e", "abc"] {
            assert!(parse(q).is_err(), "{q}");
        }
    }
}
