//! The JSON schemas of the Kubernetes API's types, as k8s-openapi defines
//! them (through schemars): the fields, types and required fields against
//! which objects written in a .pool file are checked.
//!
//! The schemas are generated ahead of time, with schemars, into two files
//! under `schema/`: `definitions.txt`, the definitions as schemars writes
//! them, which the editor's hover reads, and `checks.txt`, the same without
//! their descriptions (five sixths of the text), which checking reads. Each
//! starts with an index of its definitions (a line each: the name, a tab,
//! the length of its JSON), sorted by name, then an empty line, then their
//! JSON, a line each, in the same order. A run reads the short index and
//! parses only the definitions it reads, once each: building them with
//! schemars at run time was 44% of a one-pool build. A test regenerates
//! the files and compares (`POOLC_REGENERATE_SCHEMAS=1` rewrites them,
//! after a k8s-openapi upgrade).

use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The schema name of a resource quantity (`500m`, `100Gi`).
pub const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/// A Kubernetes type whose schema is among the generated definitions.
pub trait Described {
    /// Its definition's name (schemars' schema name).
    const NAME: &'static str;
}

/// Declares the Kubernetes types poolc reads, with their schema names; the
/// tests generate the definitions from the same list.
macro_rules! described {
    ($($ty:ty => $name:literal,)*) => {
        $(impl Described for $ty {
            const NAME: &'static str = $name;
        })*

        /// Each type's name and schemars' whole schema of it.
        #[cfg(test)]
        fn schemars_roots() -> Vec<(&'static str, std::borrow::Cow<'static, str>, Json)> {
            vec![$((
                $name,
                <$ty as schemars::JsonSchema>::schema_name(),
                schemars::schema_for!($ty).to_value(),
            )),*]
        }

        /// Each type's name, schemars' schema of a list of it, and ours.
        #[cfg(test)]
        fn list_schemas() -> Vec<(&'static str, Json, Arc<Json>)> {
            vec![$((
                $name,
                schemars::schema_for!(Vec<$ty>).to_value(),
                list_schema_of::<$ty>(),
            )),*]
        }
    };
}

use k8s_openapi::api::core::v1 as core;

described! {
    core::Affinity => "io.k8s.api.core.v1.Affinity",
    core::Container => "io.k8s.api.core.v1.Container",
    core::EmptyDirVolumeSource => "io.k8s.api.core.v1.EmptyDirVolumeSource",
    core::EnvFromSource => "io.k8s.api.core.v1.EnvFromSource",
    core::EnvVar => "io.k8s.api.core.v1.EnvVar",
    core::HostPathVolumeSource => "io.k8s.api.core.v1.HostPathVolumeSource",
    core::PersistentVolumeClaimSpec => "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
    core::PodSecurityContext => "io.k8s.api.core.v1.PodSecurityContext",
    core::ResourceRequirements => "io.k8s.api.core.v1.ResourceRequirements",
    core::SecurityContext => "io.k8s.api.core.v1.SecurityContext",
    core::Toleration => "io.k8s.api.core.v1.Toleration",
    core::TopologySpreadConstraint => "io.k8s.api.core.v1.TopologySpreadConstraint",
    core::Volume => "io.k8s.api.core.v1.Volume",
    core::VolumeMount => "io.k8s.api.core.v1.VolumeMount",
}

/// Definitions as checking reads them: without their descriptions.
static CHECKED: Generated = Generated::new(include_str!("schema/checks.txt"));
/// Definitions as schemars writes them, descriptions included.
static DOCUMENTED: Generated = Generated::new(include_str!("schema/definitions.txt"));

/// A generated file of definitions (see the module's documentation).
struct Generated {
    text: &'static str,
    table: OnceLock<Vec<Definition>>,
}

/// One generated definition, parsed when first read.
struct Definition {
    name: &'static str,
    text: &'static str,
    parsed: OnceLock<Json>,
}

impl Generated {
    const fn new(text: &'static str) -> Generated {
        Generated {
            text,
            table: OnceLock::new(),
        }
    }

    /// The definitions, sorted by name, found from the index.
    fn definitions(&self) -> &[Definition] {
        self.table.get_or_init(|| {
            let (index, mut texts) = self.text.split_once("\n\n").unwrap_or_default();
            let mut table = Vec::new();
            for (name, length) in index.lines().filter_map(|line| line.split_once('\t')) {
                let length = length.parse().unwrap_or(0);
                let (text, rest) = texts.split_at_checked(length).unwrap_or_default();
                texts = rest.strip_prefix('\n').unwrap_or(rest);
                table.push(Definition {
                    name,
                    text,
                    parsed: OnceLock::new(),
                });
            }
            table
        })
    }

    fn get(&'static self, name: &str) -> Option<&'static Json> {
        let table = self.definitions();
        let found = table.binary_search_by(|d| d.name.cmp(name)).ok()?;
        let definition = &table[found];
        // The text is generated by serde_json (tested), so it always parses.
        Some(
            definition
                .parsed
                .get_or_init(|| serde_json::from_str(definition.text).unwrap_or(Json::Null)),
        )
    }
}

/// The schema of the definition `name` (the last part of a `$ref`) as
/// checking reads it (without descriptions), or none for a name that is
/// not defined.
pub fn definition(name: &str) -> Option<&'static Json> {
    CHECKED.get(name)
}

/// The schema of `T` itself; the definitions it refers to are read with
/// [`definition`].
pub fn root_of<T: Described>() -> &'static Json {
    definition(T::NAME).unwrap_or(&Json::Null)
}

/// The whole schema of `T` as schemars writes it (the root with a `$defs`
/// of every definition it refers to), descriptions included, built once
/// per type per process.
pub fn schema_of<T: Described>() -> Arc<Json> {
    whole(T::NAME, || {
        DOCUMENTED.get(T::NAME).cloned().unwrap_or_default()
    })
}

/// The whole schema of a list of `T`, as schemars writes it.
pub fn list_schema_of<T: Described>() -> Arc<Json> {
    whole(&format!("Array_of_{}", T::NAME), || {
        let reference = Map::from_iter([("$ref".into(), format!("#/$defs/{}", T::NAME).into())]);
        let list = [("type", "array".into()), ("items", Json::Object(reference))];
        Json::Object(list.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    })
}

/// A root schema titled `title` (schemars' name of its type), with the
/// definitions it refers to (transitively) under `$defs`, built once.
fn whole(title: &str, root: impl FnOnce() -> Json) -> Arc<Json> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Json>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(whole) = cache.get(title) {
        return whole.clone();
    }
    let mut root = root();
    let mut defs = Map::new();
    let mut pending = vec![];
    references(&root, &mut pending);
    while let Some(name) = pending.pop() {
        if defs.contains_key(name) {
            continue;
        }
        if let Some(schema) = DOCUMENTED.get(name) {
            references(schema, &mut pending);
            defs.insert(name.to_string(), schema.clone());
        }
    }
    if let Some(map) = root.as_object_mut() {
        map.insert("title".into(), title.into());
        if !defs.is_empty() {
            map.insert("$defs".into(), Json::Object(defs));
        }
    }
    let whole = Arc::new(root);
    cache.insert(title.to_string(), whole.clone());
    whole
}

/// The definitions `schema` refers to, by name.
fn references<'j>(schema: &'j Json, names: &mut Vec<&'j str>) {
    match schema {
        Json::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Json::as_str) {
                names.push(reference.rsplit('/').next().unwrap_or(reference));
            }
            map.values().for_each(|v| references(v, names));
        }
        Json::Array(items) => items.iter().for_each(|v| references(v, names)),
        _ => {}
    }
}

/// Names written for a field of a Kubernetes object that edit distance
/// does not find: (object, written, field).
pub const NEAR_NAMES: &[(&str, &str, &str)] = &[
    ("EmptyDirVolumeSource", "size", "sizeLimit"),
    ("EmptyDirVolumeSource", "limit", "sizeLimit"),
    ("SecretVolumeSource", "name", "secretName"),
    ("ConfigMapVolumeSource", "configMapName", "name"),
    ("PersistentVolumeClaimVolumeSource", "name", "claimName"),
    ("VolumeMount", "path", "mountPath"),
    ("VolumeMount", "volume", "name"),
    ("Container", "environment", "env"),
    ("Toleration", "op", "operator"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The definitions as schemars generates them today, by name.
    fn generated() -> BTreeMap<String, Json> {
        let mut defs: BTreeMap<String, Json> = BTreeMap::new();
        let mut add = |name: String, schema: Json| match defs.get(&name) {
            Some(known) => assert_eq!(known, &schema, "{name} is defined twice, differently"),
            None => {
                defs.insert(name, schema);
            }
        };
        for (name, _, mut root) in schemars_roots() {
            let map = root.as_object_mut().expect("a schema is an object");
            if let Some(Json::Object(referred)) = map.remove("$defs") {
                referred.into_iter().for_each(|(n, s)| add(n, s));
            }
            map.remove("$schema");
            map.remove("title");
            add(name.to_string(), root);
        }
        defs
    }

    /// A schema without its descriptions (and a property of that name kept).
    fn undescribed(schema: &Json) -> Json {
        match schema {
            Json::Object(map) => Json::Object(
                map.iter()
                    .filter(|(k, v)| !(*k == "description" && v.is_string()))
                    .map(|(k, v)| match (k.as_str(), v) {
                        ("properties", Json::Object(fields)) => {
                            let fields = fields.iter().map(|(f, s)| (f.clone(), undescribed(s)));
                            (k.clone(), Json::Object(fields.collect()))
                        }
                        _ => (k.clone(), undescribed(v)),
                    })
                    .collect(),
            ),
            Json::Array(items) => Json::Array(items.iter().map(undescribed).collect()),
            other => other.clone(),
        }
    }

    /// A generated file's text (see the module's documentation).
    fn file(defs: &BTreeMap<String, Json>) -> String {
        let texts: Vec<String> = defs.values().map(Json::to_string).collect();
        let index: String = defs
            .keys()
            .zip(&texts)
            .map(|(name, text)| format!("{name}\t{}\n", text.len()))
            .collect();
        let texts: String = texts.iter().map(|text| format!("{text}\n")).collect();
        format!("{index}\n{texts}")
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // a test, rewriting its own fixtures on request
    fn the_checked_in_definitions_are_what_schemars_generates() {
        let documented = generated();
        let checked = documented
            .iter()
            .map(|(name, schema)| (name.clone(), undescribed(schema)))
            .collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/kube/schema/");
        for (generated, name, text) in [
            (file(&documented), "definitions.txt", DOCUMENTED.text),
            (file(&checked), "checks.txt", CHECKED.text),
        ] {
            if std::env::var_os("POOLC_REGENERATE_SCHEMAS").is_some() {
                std::fs::write(format!("{dir}{name}"), &generated).expect("writing");
                continue;
            }
            assert!(
                text == generated,
                "src/kube/schema/{name} is out of date: run \
                 `POOLC_REGENERATE_SCHEMAS=1 cargo test -p poolc --lib kube::schema`"
            );
        }
    }

    #[test]
    fn each_type_has_its_schemars_name_and_its_whole_schema() {
        for (name, schemars_name, mut expected) in schemars_roots() {
            assert_eq!(name, schemars_name);
            let map = expected.as_object_mut().expect("a schema is an object");
            map.remove("$schema");
            assert_eq!(
                whole(name, || definition(name).cloned().unwrap()).as_ref(),
                &expected
            );
        }
    }

    #[test]
    fn a_list_has_schemars_whole_schema_of_a_list() {
        for (name, mut expected, ours) in list_schemas() {
            let map = expected.as_object_mut().expect("a schema is an object");
            map.remove("$schema");
            assert_eq!(ours.as_ref(), &expected, "{name}");
        }
    }

    #[test]
    fn every_definition_parses_and_every_reference_is_defined() {
        for generated in [&CHECKED, &DOCUMENTED] {
            let definitions = generated.definitions();
            for d in definitions {
                let schema: Json = serde_json::from_str(d.text).expect(d.name);
                let mut names = vec![];
                references(&schema, &mut names);
                assert!(
                    names.iter().all(|n| generated.get(n).is_some()),
                    "{}",
                    d.name
                );
            }
            assert!(definitions.windows(2).all(|w| w[0].name < w[1].name));
            let lines = generated.text.lines().filter(|l| l.starts_with('{'));
            assert_eq!(definitions.len(), lines.count());
        }
    }
}
