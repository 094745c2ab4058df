//! The API server's validation beyond the schema: the rules of
//! kubernetes/kubernetes `pkg/apis/core/validation/validation.go` and
//! apimachinery's validation helpers that a well-typed object can still
//! break (names, enumerations, ranges, fields that exclude each other),
//! checked against Kubernetes 1.37, the version poolc pins (k8s-openapi's
//! `latest` feature). docs/validation.md lists every rule with its source.
//!
//! A rule reports a [`Finding`]: the [`Problem`] and where it is in the
//! object, as a path of API field names, list indices and map keys. The
//! checker turns the path into the span where that part was written.
//! One file per family of objects: [`containers`] (containers, variables,
//! mounts, ports, probes), [`security`] (security contexts), [`resources`]
//! (requests and limits), [`volumes`] (volume sources and claims),
//! [`scheduling`] (tolerations, affinity, spread constraints, selectors)
//! and [`metadata`] (labels and annotations); [`pod`] puts them together
//! for a whole pod spec.

mod containers;
pub mod metadata;
pub mod pod;
mod resources;
mod scheduling;
mod security;
mod volumes;

/// One step of a path into an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A field, by its API name (`mountPath`).
    Field(&'static str),
    /// An item of a list.
    Index(usize),
    /// An entry of a map (`requests.cpu`), by its key.
    Key(String),
}

/// A rule an object breaks, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Where, from the object's root.
    pub path: Vec<Step>,
    /// The problem is the last step's key (a map key, a resource name),
    /// not its value.
    pub on_key: bool,
    pub problem: Problem,
    /// A related part, from the same root: where a duplicate was first
    /// used, the limit a request is compared with.
    pub related: Option<Vec<Step>>,
}

/// What a rule found. The wording is the diagnostics' (`KubeProblem`).
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A name that breaks its naming rule.
    Name {
        what: &'static str,
        name: String,
        rule: NameRule,
        reason: String,
    },
    /// A string the API takes from a fixed set of values.
    NotSupported {
        what: &'static str,
        value: String,
        allowed: &'static [&'static str],
    },
    /// Requests and limits of one resource that disagree.
    Requests {
        resource: String,
        request: String,
        limit: Option<String>,
        rule: RequestRule,
    },
    /// A quantity the resource cannot take.
    Quantity {
        resource: String,
        value: String,
        rule: QuantityRule,
    },
    /// A number outside the range the API accepts.
    Range {
        what: &'static str,
        value: i64,
        expected: String,
        help: Option<String>,
    },
    /// Fields that exclude or require each other.
    Conflict {
        message: String,
        label: String,
        help: String,
    },
    /// A value that must be given and is missing or empty.
    Required {
        what: String,
        help: String,
    },
    /// A path of the wrong kind.
    Path {
        what: &'static str,
        value: String,
        rule: PathRule,
    },
    /// A value that must be unique and is not (the finding's `related`
    /// path is where it was used first).
    Duplicate {
        what: &'static str,
        value: String,
    },
    /// An invalid label or annotation key, or label value.
    LabelKey {
        reason: String,
    },
    LabelValue {
        reason: String,
    },
    /// Annotations beyond the API's total size.
    TooLarge {
        what: &'static str,
        size: usize,
        limit: usize,
    },
}

/// The naming rules, each with its own help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    /// DNS-1123 label: containers, volumes.
    DnsLabel,
    /// DNS-1123 subdomain: Secrets, ConfigMaps, storage classes.
    DnsSubdomain,
    /// IANA service name: ports.
    PortName,
    /// Environment variable names.
    EnvVar,
    /// Resource names in requests and limits.
    Resource,
    /// Keys of ConfigMaps and Secrets.
    ConfigMapKey,
    /// Kernel parameters.
    Sysctl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestRule {
    /// A request above its limit.
    ExceedsLimit,
    /// An extended resource or huge pages: a request must equal its limit.
    MustEqualLimit,
    /// An extended resource or huge pages requested without a limit.
    LimitRequired,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuantityRule {
    Negative,
    /// A size that must be more than zero.
    NotPositive,
    /// An extended resource in fractions.
    NotWhole,
    /// Huge pages not in whole pages of their size.
    NotMultiple {
        unit: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathRule {
    MustBeAbsolute,
    MustBeRelative,
    NoBacksteps,
}

/// An object the API server validates.
pub trait Validate {
    fn validate(&self, v: &mut Validator);
}

/// Every rule `object` breaks, in the order found.
pub fn validate<T: Validate>(object: &T) -> Vec<Finding> {
    let mut validator = Validator::default();
    object.validate(&mut validator);
    validator.findings
}

/// Walks an object, keeping the path to the part being checked.
#[derive(Default)]
pub struct Validator {
    path: Vec<Step>,
    findings: Vec<Finding>,
}

impl Validator {
    /// Checks the field `name` with `check`.
    pub fn field(&mut self, name: &'static str, check: impl FnOnce(&mut Self)) {
        self.within(Step::Field(name), check);
    }

    /// Checks each item of a list with `check`.
    pub fn items<'a, T>(
        &mut self,
        name: &'static str,
        items: Option<&'a Vec<T>>,
        mut check: impl FnMut(&mut Self, usize, &'a T),
    ) {
        self.field(name, |v| {
            for (i, item) in items.into_iter().flatten().enumerate() {
                v.within(Step::Index(i), |v| check(v, i, item));
            }
        });
    }

    /// Checks the entry `key` of a map with `check`.
    pub fn key(&mut self, key: &str, check: impl FnOnce(&mut Self)) {
        self.within(Step::Key(key.to_string()), check);
    }

    fn within(&mut self, step: Step, check: impl FnOnce(&mut Self)) {
        self.path.push(step);
        check(self);
        self.path.pop();
    }

    /// A problem with the value at the current path.
    pub fn report(&mut self, problem: Problem) {
        self.push(problem, false, None);
    }

    /// A problem with the value at the current path, related to the part
    /// at `related` (a path from the root, see [`Self::sibling`]).
    pub fn report_related(&mut self, problem: Problem, related: Vec<Step>) {
        self.push(problem, false, Some(related));
    }

    /// A problem with the key of the current map entry.
    pub fn report_key(&mut self, problem: Problem) {
        self.push(problem, true, None);
    }

    fn push(&mut self, problem: Problem, on_key: bool, related: Option<Vec<Step>>) {
        self.findings.push(Finding {
            path: self.path.clone(),
            on_key,
            problem,
            related,
        });
    }

    /// The path `up` steps above the current one, followed by `rest`:
    /// `sibling(2, [Index(0), Field("name")])` from `ports[3].name` is
    /// `ports[0].name`.
    pub fn sibling(&self, up: usize, rest: &[Step]) -> Vec<Step> {
        let keep = self.path.len().saturating_sub(up);
        self.path[..keep].iter().chain(rest).cloned().collect()
    }

    /// A problem with the field `name` of the object at the current path.
    pub fn report_field(&mut self, name: &'static str, problem: Problem) {
        self.field(name, |v| v.report(problem));
    }

    /// Reports a string that is not one of `allowed`.
    pub fn one_of(&mut self, what: &'static str, value: &str, allowed: &'static [&'static str]) {
        if !allowed.contains(&value) {
            self.report(Problem::NotSupported {
                what,
                value: value.to_string(),
                allowed,
            });
        }
    }

    /// Reports the optional string field `name` when it is not one of `allowed`.
    pub fn enum_field(
        &mut self,
        name: &'static str,
        what: &'static str,
        value: Option<&String>,
        allowed: &'static [&'static str],
    ) {
        if let Some(value) = value {
            self.field(name, |v| v.one_of(what, value, allowed));
        }
    }

    /// Reports a name that breaks `rule` (checked by `check`).
    pub fn name(
        &mut self,
        what: &'static str,
        name: &str,
        rule: NameRule,
        check: fn(&str) -> Result<(), String>,
    ) {
        if let Err(reason) = check(name) {
            self.report(Problem::Name {
                what,
                name: name.to_string(),
                rule,
                reason,
            });
        }
    }

    /// Reports a number outside `min..=max`.
    pub fn range(&mut self, what: &'static str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            let expected = if max == i64::MAX {
                format!("at least {min}")
            } else {
                format!("between {min} and {max}")
            };
            self.report(Problem::Range {
                what,
                value,
                expected,
                help: None,
            });
        }
    }

    /// Reports an empty value that must be given.
    pub fn required(&mut self, what: impl Into<String>, help: impl Into<String>) {
        self.report(Problem::Required {
            what: what.into(),
            help: help.into(),
        });
    }

    pub fn conflict(
        &mut self,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report(Problem::Conflict {
            message: message.into(),
            label: label.into(),
            help: help.into(),
        });
    }

    /// Reports a path of the wrong kind.
    pub fn path_rule(&mut self, what: &'static str, value: &str, rule: PathRule) {
        self.report(Problem::Path {
            what,
            value: value.to_string(),
            rule,
        });
    }

    /// Checks a path that must be absolute and free of `..`.
    pub fn absolute_path(&mut self, what: &'static str, value: &str) {
        if value.is_empty() {
            self.required(
                format!("the {what}"),
                "write an absolute path such as /data",
            );
        } else if !value.starts_with('/') {
            self.path_rule(what, value, PathRule::MustBeAbsolute);
        } else if has_backsteps(value) {
            self.path_rule(what, value, PathRule::NoBacksteps);
        }
    }

    /// Checks a path that must be relative and free of `..`.
    pub fn relative_path(&mut self, what: &'static str, value: &str) {
        if value.starts_with('/') {
            self.path_rule(what, value, PathRule::MustBeRelative);
        } else if has_backsteps(value) || value.starts_with("..") {
            self.path_rule(what, value, PathRule::NoBacksteps);
        }
    }
}

/// A path with a `..` element.
fn has_backsteps(path: &str) -> bool {
    path.split(['/', '\\']).any(|part| part == "..")
}

/// A file mode (0 to 0777). A decimal number that reads as a mode when
/// taken for octal (644, 755) gets a help with its octal form.
pub(crate) fn file_mode(v: &mut Validator, what: &'static str, mode: Option<i32>) {
    let Some(mode) = mode else { return };
    if (0..=0o777).contains(&mode) {
        return;
    }
    let digits = mode.to_string();
    let help = (digits.len() == 3 && digits.chars().all(|c| ('0'..='7').contains(&c)))
        .then(|| format!("file modes are octal: write `0o{digits}`"));
    v.report(Problem::Range {
        what,
        value: i64::from(mode),
        expected: "between 0 and 0o777 (511)".into(),
        help: help.or_else(|| Some("write the mode in octal, such as 0o644".into())),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Mode(i32);

    impl Validate for Mode {
        fn validate(&self, v: &mut Validator) {
            v.field("mode", |v| file_mode(v, "file mode", Some(self.0)));
        }
    }

    #[test]
    fn paths_lead_to_the_part_and_modes_are_octal() {
        assert!(validate(&Mode(0o644)).is_empty());
        let found = validate(&Mode(644));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, [Step::Field("mode")]);
        let Problem::Range { help, .. } = &found[0].problem else {
            panic!("{found:?}")
        };
        assert_eq!(help.as_deref(), Some("file modes are octal: write `0o644`"));
    }

    #[test]
    fn backsteps_are_path_elements() {
        assert!(has_backsteps("a/../b") && has_backsteps(".."));
        assert!(!has_backsteps("a..b/c"));
    }
}
