//! Durations as Go's time.ParseDuration reads them (`30s`, `1h30m`,
//! `500ms`), which is what the launcher parses its timeouts with.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duration {
    /// As written, which is a valid Go duration (the launcher reads it so).
    pub text: String,
    pub nanos: u128,
}

const UNITS: [(&str, u128); 7] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

impl Duration {
    pub fn parse(text: &str) -> Result<Duration, String> {
        if text == "0" {
            return Ok(Duration {
                text: text.into(),
                nanos: 0,
            });
        }
        if text.starts_with('-') {
            return Err("a duration cannot be negative".into());
        }
        let mut rest = text;
        let mut nanos: u128 = 0;
        if rest.is_empty() {
            return Err("the duration is empty".into());
        }
        while !rest.is_empty() {
            let number_end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let (number, tail) = rest.split_at(number_end);
            if number.is_empty() || number.matches('.').count() > 1 || number == "." {
                return Err(format!("expected a number at `{rest}`"));
            }
            let unit_end = tail
                .find(|c: char| c.is_ascii_digit() || c == '.')
                .unwrap_or(tail.len());
            let (unit, tail) = tail.split_at(unit_end);
            let Some((_, scale)) = UNITS.iter().find(|(u, _)| *u == unit) else {
                return Err(if unit.is_empty() {
                    format!("`{number}` has no unit; write e.g. {number}s or {number}m")
                } else {
                    format!("`{unit}` is not a unit; use ns, us, ms, s, m or h")
                });
            };
            nanos = nanos
                .checked_add(scaled(number, *scale).ok_or("the duration is too long")?)
                .ok_or("the duration is too long")?;
            rest = tail;
        }
        if nanos > i64::MAX as u128 {
            return Err("the duration is too long".into());
        }
        Ok(Duration {
            text: text.into(),
            nanos,
        })
    }

    /// Whole seconds, when the duration is a whole number of them.
    pub fn whole_seconds(&self) -> Option<i64> {
        self.nanos
            .is_multiple_of(1_000_000_000)
            .then_some((self.nanos / 1_000_000_000) as i64)
    }
}

fn scaled(number: &str, scale: u128) -> Option<u128> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut total = whole.checked_mul(scale)?;
    let mut unit = scale;
    for digit in fraction.chars() {
        unit /= 10;
        total += u128::from(digit.to_digit(10)?) * unit;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(Duration::parse("2h").unwrap().whole_seconds(), Some(7200));
        assert_eq!(
            Duration::parse("1h30m").unwrap().whole_seconds(),
            Some(5400)
        );
        assert_eq!(Duration::parse("120m").unwrap().whole_seconds(), Some(7200));
        assert_eq!(Duration::parse("1.5h").unwrap().whole_seconds(), Some(5400));
        assert_eq!(Duration::parse("0s").unwrap().whole_seconds(), Some(0));
        assert_eq!(Duration::parse("0").unwrap().whole_seconds(), Some(0));
        assert_eq!(Duration::parse("500ms").unwrap().whole_seconds(), None);
        assert_eq!(Duration::parse("1000s").unwrap().text, "1000s");
    }

    #[test]
    fn bad_durations() {
        for (bad, why) in [
            ("30", "no unit"),
            ("2d", "not a unit"),
            ("-1s", "negative"),
            ("h", "number"),
            ("", "empty"),
            ("1..5s", "number"),
        ] {
            let err = Duration::parse(bad).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
