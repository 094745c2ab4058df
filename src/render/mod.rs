//! Rendering: the pool model to its target's Kubernetes objects (the
//! chart's, [`chart`], or the operator's, [`operator`]), and those to YAML
//! ([`yaml`]). [`verify`] checks what the operator target writes against
//! the operator's CRD.

mod chart;
mod operator;
mod yaml;

use crate::diagnostics::Diagnostic;
use crate::model::{Pool, Site, Target};
use chart::Object;

/// One pool's manifests.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// A YAML stream, one document per object, in the chart's order.
    pub yaml: String,
    /// Whether it holds a Secret (such files are written readable by the
    /// owner only).
    pub has_secret: bool,
}

/// A pool's manifests, for its target.
pub fn pool(pool: &Pool) -> Rendered {
    let mut yaml = String::with_capacity(8 * 1024);
    let mut has_secret = false;
    match pool.target {
        Target::Chart => {
            for object in chart::objects(pool) {
                has_secret |= matches!(object, Object::Secret(_));
                start_document(&mut yaml, pool);
                write_object(&mut yaml, &object);
            }
        }
        Target::Operator => {
            for object in operator::objects(pool) {
                has_secret |= object.is_secret;
                start_document(&mut yaml, pool);
                yaml::write_document(&mut yaml, &object.json);
            }
        }
    }
    Rendered { yaml, has_secret }
}

/// Starts an object's document with where it came from, as Helm marks
/// each object with its template: `# Source: teams/data.pool:4, pool
/// "data-etl"`, so a reviewer can go from a manifest to its source.
fn start_document(yaml: &mut String, pool: &Pool) {
    yaml.push_str("---\n# Source: ");
    yaml.push_str(&pool.origin);
    yaml.push_str(", pool \"");
    // A pool's name is a release name: it has no quote or line break.
    yaml.push_str(&pool.name.value);
    yaml.push_str("\"\n");
}

/// What the API server would refuse or silently drop in the site's
/// WorkerPools (the operator target's; the chart's objects are typed).
pub fn verify(site: &Site) -> Vec<Diagnostic> {
    site.pools
        .iter()
        .filter(|p| p.target == Target::Operator)
        .flat_map(operator::verify)
        .collect()
}

/// One of the chart's objects, written from its typed form. (A
/// StatefulSet's claim templates are written without `apiVersion` and
/// `kind`, as the chart writes them and the API server ignores them.)
fn write_object(yaml: &mut String, object: &Object) {
    match object {
        Object::ServiceAccount(o) => yaml::write_serialized(yaml, o),
        Object::Secret(o) => yaml::write_serialized(yaml, o),
        Object::Service(o) => yaml::write_serialized(yaml, o),
        Object::Deployment(o) => yaml::write_serialized(yaml, o),
        Object::StatefulSet(o) => yaml::write_serialized(yaml, o),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Host;
    use std::io;
    use std::path::{Path, PathBuf};

    /// Files in memory, by name: a site and what it imports.
    struct Memory(Vec<(&'static str, &'static str)>);

    impl Host for Memory {
        fn read(&self, path: &Path, _: u64) -> Result<Vec<u8>, crate::source::ReadError> {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let found = self.0.iter().find(|(n, _)| *n == name);
            found
                .map(|(_, text)| text.as_bytes().to_vec())
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound).into())
        }
        fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
            Ok(path.to_path_buf())
        }
        fn env_var(&self, name: &str) -> Option<String> {
            Some(format!("value of {name}"))
        }
    }

    /// What the chart's objects were written from before they were written
    /// straight from their types: their JSON tree, claim templates without
    /// `apiVersion` and `kind`.
    fn via_tree(object: &impl serde::Serialize) -> String {
        let mut tree = serde_json::to_value(object).unwrap_or(serde_json::Value::Null);
        let templates = tree.pointer_mut("/spec/volumeClaimTemplates");
        for template in templates
            .and_then(|t| t.as_array_mut())
            .into_iter()
            .flatten()
        {
            if let Some(template) = template.as_object_mut() {
                template.shift_remove("apiVersion");
                template.shift_remove("kind");
            }
        }
        let mut yaml = String::new();
        yaml::write_document(&mut yaml, &tree);
        yaml
    }

    fn tree_of(object: &Object) -> String {
        match object {
            Object::ServiceAccount(o) => via_tree(o),
            Object::Secret(o) => via_tree(o),
            Object::Service(o) => via_tree(o),
            Object::Deployment(o) => via_tree(o),
            Object::StatefulSet(o) => via_tree(o),
        }
    }

    /// The conformance cases' sites, by name.
    macro_rules! corpus {
        ($($case:literal),* $(,)?) => {
            [$((
                $case,
                include_str!(concat!("../../tests/conformance/cases/", $case, "/site.pool")),
            )),*]
        };
    }

    #[test]
    fn objects_are_written_as_their_json_tree_would_be() {
        let credentials = include_str!("../../tests/conformance/credentials.pool");
        let mut sites = corpus!(
            "additional-containers",
            "custom-images",
            "deployment-ephemeral-volume",
            "deployment-full",
            "dind-digest",
            "dind-extras",
            "env-from",
            "external-credentials",
            "extra-volumes",
            "fullname-override",
            "image-pull-secrets",
            "launcher-digest",
            "launcher-env",
            "long-fullname-override",
            "long-release-name",
            "metadata",
            "minimal",
            "name-override",
            "pull-policies",
            "release-contains-chart-name",
            "release-equals-chart-name",
            "replicas-and-grace",
            "replicas-disabled",
            "resources",
            "revision-history-limit",
            "scheduling",
            "security-contexts",
            "service-account-existing",
            "service-account-irsa",
            "service-account-not-created",
            "statefulset-claim-template",
            "statefulset-default-storage",
            "statefulset-ephemeral-volume",
            "statefulset-full",
            "statefulset-replicas-disabled",
            "storage-host-path",
            "zero-grace",
        )
        .to_vec();
        // Strings that need quotes or a literal block, numbers, empty values.
        sites.push(("odd values", ODD_VALUES));
        let mut objects = 0;
        for (case, site) in sites {
            let host = Memory(vec![("site.pool", site), ("credentials.pool", credentials)]);
            let checked = crate::check(Path::new("site.pool"), &host).unwrap();
            assert!(!checked.has_errors(), "{case}: {:?}", checked.diagnostics);
            for pool in &checked.site.pools {
                for object in chart::objects(pool) {
                    let mut yaml = String::new();
                    write_object(&mut yaml, &object);
                    assert_eq!(yaml, tree_of(&object), "{case}");
                    objects += 1;
                }
            }
        }
        assert!(objects > 100, "{objects} objects");
    }

    const ODD_VALUES: &str = r#"
pool "odd" {
  credentials external "s"
  labels      = { "on" = "yes", empty = "" }
  annotations = { script = "one\ntwo\n", quoted = "say \"hi\"", tab = "a\tb", colon = "a: b" }
  workload    = statefulset
  storage claim { size = 1Gi }
  launcher {
    env = { A = "0777", B = "1e3", C = "-", D = "~" }
  }
  volumes = [{ name = "empty", emptyDir = {} }]
  tolerations = [{ key = "k", operator = "Exists", effect = "NoExecute", tolerationSeconds = 30 }]
}
"#;
}
