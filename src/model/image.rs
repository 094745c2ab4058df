//! Container image references: `repository[:tag]` or
//! `repository@sha256:<64 hex>`, as the chart renders them.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub repository: String,
    pub pin: Option<Pin>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pin {
    Tag(String),
    Digest(String),
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repository)?;
        match &self.pin {
            Some(Pin::Tag(tag)) => write!(f, ":{tag}"),
            Some(Pin::Digest(digest)) => write!(f, "@{digest}"),
            None => Ok(()),
        }
    }
}

impl ImageRef {
    /// Parses and validates a reference; the error says what is wrong.
    pub fn parse(text: &str) -> Result<ImageRef, String> {
        if text.is_empty() {
            return Err("the reference is empty".into());
        }
        if let Some(c) = text.chars().find(|c| c.is_whitespace()) {
            return Err(format!("contains whitespace ({c:?})"));
        }
        let (name, pin) = match text.split_once('@') {
            Some((name, digest)) => (name, Some(Pin::Digest(check_digest(digest)?))),
            None => split_tag(text)?,
        };
        if name.contains(':') && name.rfind(':') > name.rfind('/') {
            return Err("has both a tag and a digest; the digest alone pins the image".into());
        }
        check_repository(name)?;
        Ok(ImageRef {
            repository: name.to_string(),
            pin,
        })
    }
}

/// The tag is what follows the last ':' after the last '/', so a registry
/// port (`registry:5000/app`) is not mistaken for a tag.
fn split_tag(text: &str) -> Result<(&str, Option<Pin>), String> {
    let last_slash = text.rfind('/').map_or(0, |i| i + 1);
    match text[last_slash..].rfind(':') {
        Some(i) => {
            let (name, tag) = (&text[..last_slash + i], &text[last_slash + i + 1..]);
            check_tag(tag)?;
            Ok((name, Some(Pin::Tag(tag.to_string()))))
        }
        None => Ok((text, None)),
    }
}

fn check_tag(tag: &str) -> Result<(), String> {
    let valid_start = tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    if tag.is_empty()
        || tag.len() > 128
        || !valid_start
        || !tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        return Err(format!(
            "the tag `{tag}` is not valid: up to 128 letters, digits, '_', '.' and '-', not \
            starting with '.' or '-'"
        ));
    }
    Ok(())
}

fn check_digest(digest: &str) -> Result<String, String> {
    let Some(hex) = digest.strip_prefix("sha256:") else {
        return Err(format!("the digest `{digest}` must start with `sha256:`"));
    };
    if hex.len() != 64
        || !hex
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    {
        return Err(format!(
            "a sha256 digest has 64 lowercase hex digits, this one has {} characters",
            hex.chars().count()
        ));
    }
    Ok(digest.to_string())
}

/// `[registry[:port]/]path` where each path component is lowercase
/// alphanumerics separated by '.', '_', '__' or '-'.
fn check_repository(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the repository is empty".into());
    }
    let mut components: Vec<&str> = name.split('/').collect();
    let first = components[0];
    let has_registry = components.len() > 1
        && (first.contains('.')
            || first.contains(':')
            || first == "localhost"
            || first.chars().any(|c| c.is_ascii_uppercase()));
    if has_registry {
        check_registry(first)?;
        components.remove(0);
    }
    for component in components {
        check_path_component(component)?;
    }
    Ok(())
}

fn check_registry(host: &str) -> Result<(), String> {
    let (host_name, port) = match host.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (host, None),
    };
    let host_ok = !host_name.is_empty()
        && host_name.split('.').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        });
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    if host_ok && port_ok {
        Ok(())
    } else {
        Err(format!("`{host}` is not a valid registry host"))
    }
}

fn check_path_component(component: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "`{component}` is not a valid repository path component: lowercase letters and digits, \
            separated by '.', '_', '__' or '-'"
        ))
    };
    if component.is_empty()
        || !component.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        || !component.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        || !component
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        || component.contains("..")
        || component.contains("___")
    {
        return bad();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_references() {
        for ok in [
            "docker:23.0.6-dind",
            "public.ecr.aws/spacelift/launcher:latest",
            "registry.example.com:5000/mirror/docker",
            "gcr.io/google.com/cloudsdktool/cloud-sdk:slim",
            "localhost/app",
            "public.ecr.aws/spacelift/launcher@sha256:\
            84a6bcc230a55058ba27c72a29903557c5bcf1c805f9360391e8fafaf4edaca4",
        ] {
            let image = ImageRef::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(image.to_string(), ok);
        }
    }

    #[test]
    fn registry_port_is_not_a_tag() {
        let image = ImageRef::parse("registry:5000/app").unwrap();
        assert_eq!(image.repository, "registry:5000/app");
        assert_eq!(image.pin, None);
    }

    #[test]
    fn rejects_bad_references() {
        for (bad, why) in [
            ("", "empty"),
            ("Docker:latest", "component"),
            ("docker:", "tag"),
            ("docker:la test", "whitespace"),
            ("docker@sha256:abc", "64"),
            ("docker@md5:abc", "sha256:"),
            (
                "docker:1@sha256:84a6bcc230a55058ba27c72a29903557c5bcf1c805f9360391e8fafaf4edaca4",
                "both",
            ),
            ("a//b", "component"),
        ] {
            let err = ImageRef::parse(bad).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
