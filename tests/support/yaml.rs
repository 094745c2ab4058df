//! Reading YAML the two ways the conformance rules require: as YAML 1.1
//! (the implicit types of the YAML 1.1 spec, as PyYAML and kubectl's older
//! readers resolve them) and as YAML 1.2 (serde_norway), into JSON trees.

use regex::Regex;
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};
use std::sync::LazyLock;

/// YAML 1.1 implicit types of plain scalars (yaml.org/type, 2005), the
/// resolvers PyYAML uses, plus `y`/`n`, which the spec lists as booleans.
static BOOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
    )
    .unwrap()
});
static INT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$").unwrap()
});
static FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$").unwrap()
});
static NULL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:~|null|Null|NULL|)$").unwrap());
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$").unwrap()
});

/// A plain scalar as YAML 1.1 reads it. Types JSON lacks (timestamps, the
/// merge key `<<`, the value key `=`) become tagged objects, so they never
/// equal a string.
fn resolve_11(text: &str) -> Value {
    if NULL.is_match(text) {
        Value::Null
    } else if BOOL.is_match(text) {
        Value::Bool(matches!(
            text,
            "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON"
        ))
    } else if INT.is_match(text) {
        Value::Number(int_11(text).map_or_else(|| Number::from_f64(0.0).unwrap(), Number::from))
    } else if FLOAT.is_match(text) {
        let cleaned = text.replace('_', "");
        Value::Number(
            Number::from_f64(cleaned.parse::<f64>().unwrap_or(f64::MAX))
                .unwrap_or_else(|| Number::from(0)),
        )
    } else if TIMESTAMP.is_match(text) || text == "<<" || text == "=" {
        let mut tagged = Map::new();
        tagged.insert("!yaml11".into(), Value::String(text.into()));
        Value::Object(tagged)
    } else {
        Value::String(text.into())
    }
}

fn int_11(text: &str) -> Option<i64> {
    let cleaned = text.replace('_', "");
    let (sign, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (-1, rest.to_string()),
        None => (1, cleaned.trim_start_matches('+').to_string()),
    };
    let value = if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()?
    } else if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.contains(':') {
        digits
            .split(':')
            .try_fold(0i64, |acc, part| Some(acc * 60 + part.parse::<i64>().ok()?))?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(sign * value)
}

/// Every non-empty document of a stream, read as YAML 1.1.
pub fn load_11(text: &str) -> Result<Vec<Value>, String> {
    let mut events = Vec::new();
    for event in Parser::new_from_str(text) {
        events.push(event.map_err(|e| e.to_string())?.0);
    }
    let mut documents = Vec::new();
    let mut position = 0;
    while position < events.len() {
        if let Event::DocumentStart(_) = events[position] {
            position += 1;
            let value = node(&events, &mut position)?;
            if !value.is_null() {
                documents.push(value);
            }
        } else {
            position += 1;
        }
    }
    Ok(documents)
}

fn node(events: &[Event], position: &mut usize) -> Result<Value, String> {
    let event = &events[*position];
    *position += 1;
    match event {
        Event::Scalar(text, style, _, tag) => {
            Ok(if tag.is_some() || *style != ScalarStyle::Plain {
                Value::String(text.to_string())
            } else {
                resolve_11(text)
            })
        }
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            while !matches!(events[*position], Event::SequenceEnd) {
                items.push(node(events, position)?);
            }
            *position += 1;
            Ok(Value::Array(items))
        }
        Event::MappingStart(..) => {
            let mut map = Map::new();
            while !matches!(events[*position], Event::MappingEnd) {
                let key = match node(events, position)? {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                let value = node(events, position)?;
                if map.insert(key.clone(), value).is_some() {
                    return Err(format!("duplicate key {key:?}"));
                }
            }
            *position += 1;
            Ok(Value::Object(map))
        }
        Event::DocumentEnd => {
            *position -= 1;
            Ok(Value::Null)
        }
        other => Err(format!("unsupported YAML event {other:?}")),
    }
}

/// Every non-empty document of a stream, read as YAML 1.2 by serde_norway.
pub fn load_12(text: &str) -> Result<Vec<Value>, String> {
    use serde::Deserialize;
    let mut documents = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        let value = Value::deserialize(document).map_err(|e| e.to_string())?;
        if !value.is_null() {
            documents.push(value);
        }
    }
    Ok(documents)
}
