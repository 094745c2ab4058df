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

/// A Kubernetes DNS-1123 label (container, volume and port-less names):
/// at most 63 lowercase letters, digits and '-', starting and ending with
/// a letter or digit (unlike Helm's release names, it may start with a
/// digit).
pub fn dns1123_label(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.len() > 63 {
        return Err(format!("{} characters; at most 63 are allowed", name.len()));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "`{c}` is not allowed: only lowercase letters, digits and '-'"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

/// A port name (IANA_SVC_NAME): at most 15 lowercase letters, digits and
/// '-', with at least one letter, no '-' at either end and no "--".
pub fn port_name(name: &str) -> Result<(), String> {
    if name.len() > 15 {
        return Err(format!("{} characters; at most 15 are allowed", name.len()));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "`{c}` is not allowed: only lowercase letters, digits and '-'"
        ));
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("must contain at least one letter".into());
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("must start and end with a letter or digit".into());
    }
    if name.contains("--") {
        return Err("must not contain \"--\"".into());
    }
    Ok(())
}

/// A key of a ConfigMap or Secret: letters, digits, '-', '_' and '.', at
/// most 253 characters, and not `.`, `..` or starting with `..`.
pub fn config_map_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("the key is empty".into());
    }
    if key.len() > 253 {
        return Err(format!("{} characters; at most 253 are allowed", key.len()));
    }
    if let Some(c) = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c)))
    {
        return Err(format!("`{c}` is not allowed in a key"));
    }
    if key == "." || key.starts_with("..") {
        return Err("must not be `.` or start with `..`".into());
    }
    Ok(())
}

/// A sysctl name: dot- or slash-separated segments of lowercase letters,
/// digits, '-' and '_', each starting and ending with a letter or digit.
pub fn sysctl_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 253 {
        return Err("must be between 1 and 253 characters".into());
    }
    let segment_ok = |s: &str| {
        let edge =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        edge(s.chars().next())
            && edge(s.chars().last())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    if name.split(['.', '/']).all(segment_ok) {
        Ok(())
    } else {
        Err("segments are lowercase letters, digits, '-' and '_', separated by '.' or '/'".into())
    }
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
    fn kubernetes_labels_ports_and_keys() {
        assert!(dns1123_label("1st-sidecar").is_ok());
        assert!(dns1123_label("my_app").is_err());
        assert!(dns1123_label("-x").is_err());
        assert!(dns1123_label(&"a".repeat(64)).is_err());
        assert!(port_name("http").is_ok() && port_name("web-8080").is_ok());
        assert!(port_name("8080").is_err());
        assert!(port_name("a--b").is_err());
        assert!(port_name("metrics-endpoint").is_err());
        assert!(config_map_key("config.yaml").is_ok());
        assert!(config_map_key("..x").is_err() && config_map_key("a/b").is_err());
        assert!(sysctl_name("net.core.somaxconn").is_ok());
        assert!(sysctl_name("kernel.shm_rmid_forced").is_ok());
        assert!(sysctl_name("Net.core").is_err() && sysctl_name("net..core").is_err());
    }

    #[test]
    fn subdomains() {
        assert!(dns_subdomain("spacelift-secret").is_ok());
        assert!(dns_subdomain("a.b-c.d").is_ok());
        assert!(dns_subdomain("a..b").is_err());
        assert!(dns_subdomain("A").is_err());
    }
}
