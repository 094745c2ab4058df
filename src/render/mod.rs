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

/// A pool's manifests, for its target.
pub fn pool(pool: &Pool) -> Rendered {
    let objects: Vec<(Value, bool)> = match pool.target {
        Target::Chart => chart::objects(pool)
            .iter()
            .map(|o| (to_json(o), matches!(o, Object::Secret(_))))
            .collect(),
        Target::Operator => operator::objects(pool)
            .into_iter()
            .map(|o| (o.json, o.is_secret))
            .collect(),
    };
    let mut yaml = String::new();
    let mut has_secret = false;
    for (object, is_secret) in &objects {
        has_secret |= is_secret;
        start_document(&mut yaml, pool);
        yaml::write_document(&mut yaml, object);
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
