//! The Kubernetes API's naming rules (k8s.io/apimachinery's validation).
//! Each check returns the reason a name is invalid, written for the user.

/// A DNS-1123 label: lowercase alphanumerics and '-', starting and ending
/// with an alphanumeric. Helm also wants release names to start with a letter.
pub fn dns_label(name: &str, max: usize) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.len() > max {
        return Err(format!(
            "{} characters; at most {max} are allowed",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "`{c}` is not allowed: only lowercase letters, digits and '-'"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter".into());
    }
    if name.ends_with('-') {
        return Err("must end with a letter or digit".into());
    }
    Ok(())
}

/// A DNS-1123 subdomain (Secret, ServiceAccount, ConfigMap names).
pub fn dns_subdomain(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.len() > 253 {
        return Err(format!(
            "{} characters; at most 253 are allowed",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return Err(format!(
            "`{c}` is not allowed: only lowercase letters, digits, '-' and '.'"
        ));
    }
    for part in name.split('.') {
        if part.is_empty() || part.starts_with('-') || part.ends_with('-') {
            return Err("each '.'-separated part must start and end with a letter or digit".into());
        }
    }
    Ok(())
}

/// A qualified name: the part after the optional prefix of a label or
/// annotation key, and a non-empty label value.
fn qualified_name(name: &str, what: &str) -> Result<(), String> {
    if name.len() > 63 {
        return Err(format!(
            "the {what} has {} characters; at most 63 are allowed",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c)))
    {
        return Err(format!("`{c}` is not allowed in a {what}"));
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
        return Err(format!(
            "a {what} must start and end with a letter or digit"
        ));
    }
    Ok(())
}

/// Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain.
pub fn label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        dns_subdomain(prefix).map_err(|e| format!("the prefix `{prefix}`: {e}"))?;
    }
    if name.is_empty() {
        return Err("the name after the prefix is empty".into());
    }
    qualified_name(name, "key name")
}

/// Label values: empty, or a qualified name.
pub fn label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    qualified_name(value, "label value")
}

/// Environment variable names, as Kubernetes accepts them: printable ASCII
/// without '='. (The launcher settings also use these for variable lists.)
pub fn env_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the variable name is empty".into());
    }
    if let Some(c) = name.chars().find(|c| !c.is_ascii_graphic() || *c == '=') {
        return Err(format!("{c:?} is not allowed in a variable name"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_keys_and_values() {
        assert!(label_key("app.kubernetes.io/name").is_ok());
        assert!(label_key("cost-center").is_ok());
        assert!(label_key("Example.com/x").is_err());
        assert!(label_key("a/b/c").is_err());
        assert!(label_key("example.com/").is_err());
        assert!(label_key(&"k".repeat(64)).is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("1234").is_ok());
        assert!(label_value("has space").is_err());
        assert!(label_value("-x").is_err());
    }

    #[test]
    fn subdomains() {
        assert!(dns_subdomain("spacelift-secret").is_ok());
        assert!(dns_subdomain("a.b-c.d").is_ok());
        assert!(dns_subdomain("a..b").is_err());
        assert!(dns_subdomain("A").is_err());
    }
}
