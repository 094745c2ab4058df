//! Rendering: the pool model to the chart's Kubernetes objects
//! ([`chart`]), and those to YAML ([`yaml`]).

mod chart;
mod yaml;

use crate::model::Pool;
use chart::Object;
use serde_json::Value;

/// One pool's manifests.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// A YAML stream, one document per object, in the chart's order.
    pub yaml: String,
    /// Whether it holds a Secret (such files are written readable by the
    /// owner only).
    pub has_secret: bool,
}

pub fn pool(pool: &Pool) -> Rendered {
    let mut yaml = String::new();
    let mut has_secret = false;
    for object in chart::objects(pool) {
        has_secret |= matches!(object, Object::Secret(_));
        yaml.push_str("---\n");
        yaml::write_document(&mut yaml, &to_json(&object));
    }
    Rendered { yaml, has_secret }
}

fn to_json(object: &Object) -> Value {
    let value = match object {
        Object::ServiceAccount(o) => serde_json::to_value(o),
        Object::Secret(o) => serde_json::to_value(o),
        Object::Service(o) => serde_json::to_value(o),
        Object::Deployment(o) => serde_json::to_value(o),
        Object::StatefulSet(o) => serde_json::to_value(o),
    };
    // Serialising plain data structures into a JSON tree cannot fail.
    let mut value = value.unwrap_or(Value::Null);
    // k8s-openapi writes apiVersion and kind on the claim templates inside
    // a StatefulSet; the chart writes neither (and the API server ignores
    // them), so they are dropped to render exactly what the chart does.
    if let Some(templates) = value
        .pointer_mut("/spec/volumeClaimTemplates")
        .and_then(Value::as_array_mut)
    {
        for template in templates.iter_mut().filter_map(Value::as_object_mut) {
            template.shift_remove("apiVersion");
            template.shift_remove("kind");
        }
    }
    value
}
