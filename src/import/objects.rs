//! Values that are Kubernetes objects, written as .pool values of the
//! right type, guided by the Kubernetes schema (the one the compiler checks
//! against): strings where strings are needed, quantities as literals
//! (`500m`), whole numbers as integers. A plain YAML scalar that Helm
//! reads as a boolean or number where a string is needed is imported as
//! the string Helm renders, with a warning (pool::W0801).

use super::output::{self, Expr};
use super::yaml::{self, Node, NodeKind};
use crate::diagnostics::{ImportProblem, Quoted};
use crate::kube::quantity;
use crate::secrets::Secrets;
use serde_json::Value as Json;

use crate::kube::schema::QUANTITY;

/// A Kubernetes type's JSON schema with its definitions.
pub struct Schema<'s> {
    pub root: &'s Json,
}

impl<'s> Schema<'s> {
    fn resolve(&self, schema: &'s Json) -> Resolved<'s> {
        let Some(reference) = schema.get("$ref").and_then(Json::as_str) else {
            return Resolved::Schema(schema);
        };
        let name = reference.rsplit('/').next().unwrap_or(reference);
        if name == QUANTITY {
            return Resolved::Quantity;
        }
        match self.root.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => self.resolve(target),
            None => Resolved::Any,
        }
    }

    /// The schema of field `key` of an object schema.
    fn field(&self, schema: &'s Json, key: &str) -> Option<&'s Json> {
        let Resolved::Schema(schema) = self.resolve(schema) else {
            return None;
        };
        schema
            .get("properties")
            .and_then(|p| p.get(key))
            .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))
    }
}

enum Resolved<'s> {
    Schema(&'s Json),
    Quantity,
    Any,
}

/// Converts values-file nodes into .pool values, collecting warnings.
pub struct Converter<'p> {
    pub problems: &'p mut Vec<ImportProblem>,
    /// Where the values may hold secrets: warnings quote nothing there.
    pub secrets: &'p Secrets,
}

impl Converter<'_> {
    /// A node as a value of `schema` (`None` for null, which Kubernetes
    /// reads as absent).
    pub fn value(&mut self, node: &Node, schema: &Json, types: &Schema) -> Option<Expr> {
        let expr = match types.resolve(schema) {
            Resolved::Quantity => self.quantity(node),
            Resolved::Any => self.any(node)?,
            Resolved::Schema(s) if s.get("x-kubernetes-int-or-string").is_some() => {
                match &node.kind {
                    NodeKind::Number(n) if n.fract() == 0.0 => Expr::Text(yaml::json_number(*n)),
                    _ => self.string(node)?,
                }
            }
            Resolved::Schema(s) => match s.get("type").and_then(Json::as_str) {
                Some("object") => self.object(node, s, types)?,
                Some("array") => self.array(node, s, types)?,
                Some("string") => self.string(node)?,
                _ => self.any(node)?,
            },
        };
        Some(Expr::from(node.span, expr))
    }

    fn object(&mut self, node: &Node, schema: &Json, types: &Schema) -> Option<Expr> {
        let NodeKind::Map(entries) = &node.kind else {
            return self.any(node);
        };
        let fields = entries
            .iter()
            .filter_map(|(key, value)| {
                let converted = match types.field(schema, &key.name) {
                    Some(field) => self.value(value, field, types),
                    // Not a field: written as is, for the compiler to report.
                    None => self.any(value),
                };
                Some((output::key(&key.name), Expr::from(key.span, converted?)))
            })
            .collect();
        Some(Expr::Object(fields))
    }

    fn array(&mut self, node: &Node, schema: &Json, types: &Schema) -> Option<Expr> {
        let NodeKind::List(items) = &node.kind else {
            return self.any(node);
        };
        let item_schema = schema.get("items");
        let items = items
            .iter()
            .filter_map(|item| match item_schema {
                Some(s) => self.value(item, s, types),
                None => self.any(item),
            })
            .collect();
        Some(Expr::List(items))
    }

    /// A node where a string is needed.
    pub fn string(&mut self, node: &Node) -> Option<Expr> {
        let rendered = match &node.kind {
            NodeKind::Text(text) => return Some(Expr::Text(output::text(text))),
            NodeKind::Null => return None,
            NodeKind::Bool(b) => b.to_string(),
            NodeKind::Number(n) => yaml::json_number(*n),
            NodeKind::Map(_) | NodeKind::List(_) => return self.any(node),
        };
        Some(Expr::Text(self.reread(node, rendered)))
    }

    /// A boolean or number read from a plain scalar where a string is
    /// needed: the string Helm renders, and a warning.
    fn reread(&mut self, node: &Node, rendered: String) -> String {
        let literal = output::string(&rendered);
        self.warn_reread(node, &literal);
        literal
    }

    /// Warns that Helm reads a plain scalar as `imported`, not as written.
    pub fn warn_reread(&mut self, node: &Node, imported: &str) {
        if let Some(written) = &node.reread {
            let reading = match node.kind {
                NodeKind::Bool(b) => format!("the boolean {b}"),
                NodeKind::Number(n) => format!("the number {}", yaml::json_number(n)),
                _ => "something else".into(),
            };
            let quoted = |text: &str| Quoted::written(text, node.span, self.secrets);
            let problem = ImportProblem::HelmReading {
                span: node.span,
                written: quoted(written),
                reading: quoted(&reading),
                imported: quoted(imported),
            };
            self.problems.push(problem);
        }
    }

    /// A quantity: a literal when it is one (`500m`, `2`), else a string.
    fn quantity(&mut self, node: &Node) -> Expr {
        match &node.kind {
            NodeKind::Number(n) => Expr::Text(yaml::json_number(*n)),
            NodeKind::Text(text) if quantity::parse(text).is_ok() && is_number_token(text) => {
                Expr::Text(text.clone())
            }
            _ => self
                .string(node)
                .unwrap_or_else(|| Expr::Text("\"\"".into())),
        }
    }

    /// A node the schema says nothing about: as it is.
    fn any(&mut self, node: &Node) -> Option<Expr> {
        Some(match &node.kind {
            NodeKind::Null => return None,
            NodeKind::Bool(b) => Expr::Text(b.to_string()),
            NodeKind::Number(n) => Expr::Text(yaml::json_number(*n)),
            NodeKind::Text(text) => Expr::Text(output::text(text)),
            NodeKind::List(items) => Expr::List(items.iter().filter_map(|i| self.any(i)).collect()),
            NodeKind::Map(entries) => Expr::Object(
                entries
                    .iter()
                    .filter_map(|(k, v)| {
                        Some((output::key(&k.name), Expr::from(k.span, self.any(v)?)))
                    })
                    .collect(),
            ),
        })
    }
}

/// Whether text is one number-like token of the grammar (`500m`, `1.5`,
/// `1e+3`): a digit first, then letters, digits, dots, and signs after an
/// exponent's `e`.
pub fn is_number_token(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let mut previous = ' ';
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| {
            let ok = c.is_ascii_alphanumeric()
                || c == '.'
                || (matches!(c, '+' | '-') && matches!(previous, 'e' | 'E'));
            previous = c;
            ok
        })
}

#[cfg(test)]
mod tests {
    use super::is_number_token;

    #[test]
    fn number_tokens_of_the_grammar() {
        for token in ["500m", "1.5", "100Gi", "1e+3", "-1", "0"] {
            assert!(is_number_token(token), "{token}");
        }
        for text in [".5", "1 Gi", "+1", "1-2", "", "Gi"] {
            assert!(!is_number_token(text), "{text}");
        }
    }
}
