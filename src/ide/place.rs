//! Where a path of fields leads in a pool: a body of the pool's own fields,
//! a storage block, a Kubernetes object (walked in its JSON schema), an
//! object of strings, or somewhere unknown. Hover and completion ask a
//! place which fields it has and what each means.

use super::fields::{self, FieldDoc, Kind};
use super::locate::Step;
use crate::kube::enums;
use crate::model::StorageKind;
use crate::model::launcher_settings::{self, Setting};
use crate::semantics::decode::Shape;
use crate::semantics::pool::fields_of;
use serde_json::Value as Json;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum Place {
    /// A body of the pool's own fields: `""` (a pool or template),
    /// `launcher`, `dind`, `credentials`, `service_account`.
    Body(&'static str),
    Storage(StorageKind),
    /// A Kubernetes value: `node` is its schema, inside `root`'s `$defs`.
    Kube {
        root: Arc<Json>,
        node: Json,
    },
    /// An object of strings.
    Strings,
    /// The value of a field that is not an object.
    Leaf,
    Unknown,
}

/// A field of a place, and what is known of it.
#[derive(Clone, Debug)]
pub enum Field {
    Pool(&'static FieldDoc, Shape),
    Setting(&'static Setting),
    /// A field of a Kubernetes object: its name, its schema, and the
    /// object's short type name.
    Kube {
        name: String,
        node: Json,
        root: Arc<Json>,
        object: String,
    },
    /// A shorthand of a storage block (`class`, `size`).
    Shorthand(&'static str, &'static str),
}

impl std::fmt::Debug for FieldDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.path)
    }
}

/// The place a path leads to from a pool's body.
pub fn of(steps: &[Step]) -> Place {
    steps
        .iter()
        .fold(Place::Body(""), |place, step| place.child(step))
}

impl Place {
    fn child(self, step: &Step) -> Place {
        match (self, step) {
            (Place::Kube { root, node }, Step::Item) => match node.get("items") {
                Some(items) => kube(root.clone(), items),
                None => Place::Unknown,
            },
            (place, Step::Field { name, label }) => match place.field(name) {
                Some(field) => field.place(label.as_deref()),
                None => Place::Unknown,
            },
            _ => Place::Unknown,
        }
    }

    /// The field `name` of this place (any name, in a map of values such
    /// as `requests`).
    pub fn field(&self, name: &str) -> Option<Field> {
        let listed = self.fields().into_iter().find(|f| f.name() == name);
        listed.or_else(|| {
            let Place::Kube { root, node } = self else {
                return None;
            };
            let values = node.get("additionalProperties").filter(|v| v.is_object())?;
            Some(Field::Kube {
                name: name.to_string(),
                node: values.clone(),
                root: root.clone(),
                object: title_of(root, node),
            })
        })
    }

    /// Every field this place can have.
    pub fn fields(&self) -> Vec<Field> {
        match self {
            Place::Body(body) => body_fields(body),
            Place::Storage(kind) => {
                let mut out = Vec::new();
                if matches!(kind, StorageKind::Claim | StorageKind::Ephemeral) {
                    out.extend(
                        fields::CLAIM_SHORTHANDS
                            .iter()
                            .map(|(name, doc)| Field::Shorthand(name, doc)),
                    );
                }
                let root = fields::storage_schema(*kind)();
                let node = strip_defs(&root);
                let skip = |name: &str| *kind == StorageKind::Volume && name == "name";
                out.extend(
                    kube_fields(&root, &node)
                        .into_iter()
                        .filter(|f| !skip(&f.name())),
                );
                out
            }
            Place::Kube { root, node } => kube_fields(root, node),
            Place::Strings | Place::Leaf | Place::Unknown => Vec::new(),
        }
    }
}

impl Field {
    pub fn name(&self) -> String {
        match self {
            Field::Pool(doc, _) => doc.path.rsplit('.').next().unwrap_or(doc.path).to_string(),
            Field::Setting(setting) => setting.name.to_string(),
            Field::Kube { name, .. } => name.clone(),
            Field::Shorthand(name, _) => name.to_string(),
        }
    }

    /// Where the field's value leads; `label` is a block's first label.
    pub fn place(&self, label: Option<&str>) -> Place {
        match self {
            Field::Pool(doc, _) => match doc.kind {
                Kind::Body => match doc.path {
                    "launcher" => Place::Body("launcher"),
                    "dind" => Place::Body("dind"),
                    "worker" => Place::Body("worker"),
                    "init" => Place::Body("init"),
                    "grpc" => Place::Body("grpc"),
                    "pod_history" => Place::Body("pod_history"),
                    _ => Place::Unknown,
                },
                Kind::Labelled { .. } if doc.path == "storage" || doc.path == "binaries_cache" => {
                    label
                        .and_then(StorageKind::parse)
                        .map_or(Place::Unknown, Place::Storage)
                }
                Kind::Labelled { .. } => match (doc.path, label) {
                    ("credentials", Some("auto")) => Place::Body("credentials auto"),
                    ("credentials", _) => Place::Body("credentials"),
                    ("service_account", _) => Place::Body("service_account"),
                    _ => Place::Unknown,
                },
                Kind::Kube { schema, list } => {
                    let root = schema();
                    let node = strip_defs(&root);
                    match list {
                        true => Place::Kube {
                            root,
                            node: serde_json::json!({ "type": "array", "items": node }),
                        },
                        false => Place::Kube { root, node },
                    }
                }
                Kind::Strings => Place::Strings,
                _ => Place::Leaf,
            },
            Field::Kube { node, root, .. } => kube(root.clone(), node),
            Field::Setting(_) | Field::Shorthand(..) => Place::Leaf,
        }
    }

    /// The fixed words the field's value may be.
    pub fn words(&self) -> Vec<&'static str> {
        match self {
            Field::Pool(doc, _) => match doc.kind {
                Kind::Keyword { words, .. } => words(),
                _ => Vec::new(),
            },
            Field::Setting(setting) => match setting.kind {
                launcher_settings::SettingKind::Bool => vec!["true", "false"],
                _ => Vec::new(),
            },
            Field::Kube {
                name,
                object,
                node,
                root,
            } => {
                let values = enums::values(object, name);
                let node = resolve(root, node);
                if values.is_empty() && node.get("type").and_then(Json::as_str) == Some("boolean") {
                    return vec!["true", "false"];
                }
                values.to_vec()
            }
            Field::Shorthand(..) => Vec::new(),
        }
    }

    /// Is the field written as a block (`launcher { ... }`)?
    pub fn is_block(&self) -> bool {
        matches!(self, Field::Pool(_, Shape::Block))
    }
}

fn body_fields(body: &str) -> Vec<Field> {
    fields_of(body)
        .into_iter()
        .filter_map(|(name, shape)| {
            let path = match body {
                "" => name.to_string(),
                _ => format!("{body}.{name}"),
            };
            match fields::doc(&path) {
                Some(doc) => Some(Field::Pool(doc, shape)),
                None if body == "launcher" => launcher_settings::by_name(name).map(Field::Setting),
                None => None,
            }
        })
        .collect()
}

/// A schema with the definitions it refers to taken out (they stay in the
/// root, where references are looked up).
fn strip_defs(root: &Json) -> Json {
    let mut node = root.clone();
    if let Some(map) = node.as_object_mut() {
        map.remove("$defs");
    }
    node
}

/// The schema a reference names, or the node itself.
fn resolve<'j>(root: &'j Json, node: &'j Json) -> &'j Json {
    let Some(reference) = node.get("$ref").and_then(Json::as_str) else {
        return node;
    };
    let name = reference.rsplit('/').next().unwrap_or(reference);
    root.get("$defs").and_then(|d| d.get(name)).unwrap_or(node)
}

fn kube(root: Arc<Json>, node: &Json) -> Place {
    let node = resolve(&root, node).clone();
    Place::Kube { root, node }
}

/// The properties of an object schema, each with its schema (references
/// resolved) and the object's short type name.
fn kube_fields(root: &Arc<Json>, node: &Json) -> Vec<Field> {
    let node = resolve(root, node);
    let object = node
        .get("title")
        .and_then(Json::as_str)
        .and_then(short_name)
        .unwrap_or_else(|| title_of(root, node));
    let properties = node.get("properties").and_then(Json::as_object);
    properties
        .into_iter()
        .flatten()
        .map(|(name, schema)| Field::Kube {
            name: name.clone(),
            node: schema.clone(),
            root: root.clone(),
            object: object.clone(),
        })
        .collect()
}

/// The short type name of a definition: the root's title, or the name
/// under which `node` is defined.
fn title_of(root: &Json, node: &Json) -> String {
    let defined = root
        .get("$defs")
        .and_then(Json::as_object)
        .and_then(|defs| defs.iter().find(|(_, d)| *d == node).map(|(name, _)| name));
    let name = defined
        .map(String::as_str)
        .or_else(|| root.get("title").and_then(Json::as_str))
        .unwrap_or_default();
    short_name(name).unwrap_or_default()
}

fn short_name(name: &str) -> Option<String> {
    let short = name.rsplit(['.', '/']).next()?;
    (!short.is_empty()).then(|| short.to_string())
}

/// A schema's description and type, in Markdown.
pub fn describe_kube(name: &str, node: &Json, root: &Json, object: &str) -> String {
    let mut text = format!("**`{name}`** in {object}: {}", kube_type(node));
    let node = resolve(root, node);
    // The first paragraph: some types (Quantity) document their grammar after it.
    if let Some(description) = node.get("description").and_then(Json::as_str) {
        text.push_str("\n\n");
        text.push_str(description.split("\n\n").next().unwrap_or(description));
    }
    text
}

/// How a schema's type is written: `string`, `integer (int32)`, `list of
/// Toleration`, `quantity`.
pub fn kube_type(node: &Json) -> String {
    if let Some(reference) = node.get("$ref").and_then(Json::as_str) {
        if reference.ends_with(crate::kube::schema::QUANTITY) {
            return "quantity".into();
        }
        return short_name(reference).unwrap_or_default();
    }
    if node.get("x-kubernetes-int-or-string").is_some() {
        return "integer or string".into();
    }
    match node.get("type").and_then(Json::as_str) {
        Some("array") => match node.get("items") {
            Some(items) => format!("list of {}", kube_type(items)),
            None => "list".into(),
        },
        Some("object") => match node.get("additionalProperties") {
            Some(values) if values.is_object() => format!("object of {}", kube_type(values)),
            _ => "object".into(),
        },
        Some("integer") => match node.get("format").and_then(Json::as_str) {
            Some(format) => format!("integer ({format})"),
            None => "integer".into(),
        },
        Some(other) => other.to_string(),
        None => "any value".into(),
    }
}

/// Is the schema (a field's) a quantity, as `cpu = 500m` is?
pub fn is_quantity(root: &Json, node: &Json) -> bool {
    let is = |n: &Json| {
        n.get("$ref")
            .and_then(Json::as_str)
            .is_some_and(|r| r.ends_with(crate::kube::schema::QUANTITY))
    };
    is(node)
        || node.get("additionalProperties").is_some_and(is)
        || resolve(root, node).get("title").and_then(Json::as_str)
            == Some(crate::kube::schema::QUANTITY)
}
