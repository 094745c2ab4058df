//! The JSON schemas of the Kubernetes API's types, as k8s-openapi defines
//! them (through schemars): the fields, types and required fields against
//! which objects written in a .pool file are checked.

use serde_json::Value as Json;
use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The schema name of a resource quantity (`500m`, `100Gi`).
pub const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/// The generated schema of `T`, built once per type per process.
pub fn schema_of<T: schemars::JsonSchema + 'static>() -> Arc<Json> {
    static CACHE: OnceLock<Mutex<HashMap<TypeId, Arc<Json>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(TypeId::of::<T>())
        .or_insert_with(|| Arc::new(schemars::schema_for!(T).to_value()))
        .clone()
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
