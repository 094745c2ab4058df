//! Labels and annotations (apimachinery's `ValidateLabels`,
//! `ValidateAnnotations`; validation.go's `ValidateTemplateObjectMeta`).

use super::{Problem, Validator};
use crate::kube::names;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// The most the annotations of one object may hold, keys and values
/// together (`TotalAnnotationSizeLimitB`).
pub const ANNOTATIONS_LIMIT: usize = 256 * 1024;

/// Labels: keys and values.
pub fn labels(v: &mut Validator, labels: &BTreeMap<String, String>) {
    for (key, value) in labels {
        v.key(key, |v| {
            if let Err(reason) = names::label_key(key) {
                v.report_key(Problem::LabelKey { reason });
            }
            if let Err(reason) = names::label_value(value) {
                v.report(Problem::LabelValue { reason });
            }
        });
    }
}

/// Annotations: keys (compared in lowercase), and their total size.
pub fn annotations(v: &mut Validator, annotations: &BTreeMap<String, String>) {
    for key in annotations.keys() {
        if let Err(reason) = names::label_key(&key.to_lowercase()) {
            v.key(key, |v| v.report_key(Problem::LabelKey { reason }));
        }
    }
    let size = annotations_size(annotations.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if size > ANNOTATIONS_LIMIT {
        v.report(Problem::TooLarge {
            what: "annotations",
            size,
            limit: ANNOTATIONS_LIMIT,
        });
    }
}

/// The size the API counts for a set of annotations.
pub fn annotations_size<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> usize {
    entries.map(|(k, v)| k.len() + v.len()).sum()
}

/// The metadata of a template inside another object (an ephemeral
/// volume's claim): labels and annotations, nothing else.
pub fn template_metadata(v: &mut Validator, meta: &ObjectMeta) {
    if let Some(l) = &meta.labels {
        v.field("labels", |v| labels(v, l));
    }
    if let Some(a) = &meta.annotations {
        v.field("annotations", |v| annotations(v, a));
    }
    let json = serde_json::to_value(meta).unwrap_or_default();
    for field in json.as_object().into_iter().flat_map(|o| o.keys()) {
        if field != "labels" && field != "annotations" {
            v.key(field, |v| {
                v.conflict(
                    format!("`{field}` cannot be set in a template's metadata"),
                    "only labels and annotations are kept",
                    "remove it; the claim is named after the pod and the volume",
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Step, Validate, validate};
    use super::*;

    struct Annotated(BTreeMap<String, String>);

    impl Validate for Annotated {
        fn validate(&self, v: &mut Validator) {
            v.field("annotations", |v| annotations(v, &self.0));
        }
    }

    #[test]
    fn annotation_keys_and_size() {
        let ok = Annotated([("Example.com/Key".to_string(), "x".to_string())].into());
        assert_eq!(validate(&ok), [], "keys are compared in lowercase");
        let bad = Annotated([("a b".to_string(), "x".repeat(ANNOTATIONS_LIMIT))].into());
        let found = validate(&bad);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].path,
            [Step::Field("annotations"), Step::Key("a b".into())]
        );
        assert!(found[0].on_key);
        assert!(matches!(found[1].problem, Problem::TooLarge { .. }));
    }
}
