//! Every kind of problem poolc reports, with its stable code and its
//! wording, in one table. Each code is documented in docs/diagnostics.md (a
//! test keeps the two in step). No variant carries a secret: messages name
//! attributes, variables and files, never a credential's value.

use super::{Diagnostic, Label, Severity};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
#[rustfmt::skip]
pub enum Problem {
    // ---- syntax --------------------------------------------------------
    Syntax { span: Span, found: String, expected: Vec<String> },
    BadEscape { span: Span, escape: String },
    InterpolationNotAllowed { span: Span },
    UnterminatedString { span: Span },
    KeywordAsName { span: Span, keyword: String },
    TooDeep { span: Span, limit: usize },
    UnterminatedHeredoc { span: Span, tag: String },

    // ---- files, names and definitions ----------------------------------
    ImportUnreadable { span: Span, path: String, error: String },
    ImportCycle { span: Span, cycle: Vec<String> },
    UndefinedName { span: Span, name: String, suggestion: Option<String> },
    UndefinedTemplate { span: Span, name: String, suggestion: Option<String> },
    DuplicateDefinition { span: Span, previous: Span, kind: &'static str, name: String },
    ImportClash { span: Span, previous: Span, kind: &'static str, name: String, path: String },
    LetCycle { span: Span, name: String },
    DuplicatePool { span: Span, previous: Span, name: String },
    ExtendsCycle { span: Span, cycle: Vec<String> },
    ImportNotPool { span: Span, path: String },

    // ---- functions and expressions -------------------------------------
    UnknownFunction { span: Span, name: String, suggestion: Option<String> },
    ArgumentCount { span: Span, function: &'static str, expected: &'static str, found: usize },
    EnvUnset { span: Span, variable: String },
    FileUnreadable { span: Span, path: String, error: String },
    FileNotText { span: Span, path: String },
    ArgumentType { span: Span, function: &'static str, expected: &'static str, found: &'static str },
    CannotInterpolate { span: Span, found: &'static str },

    // ---- the shape of a pool -------------------------------------------
    UnknownAttribute { span: Span, name: String, context: String, suggestion: Option<String>, known: Vec<&'static str> },
    UnknownBlock { span: Span, name: String, context: String, suggestion: Option<String> },
    TypeMismatch { span: Span, expected: String, found: &'static str },
    DuplicateEntry { span: Span, previous: Span, name: String },
    MissingAttribute { span: Span, name: &'static str, context: String },
    BadBlockLabels { span: Span, block: String, expected: &'static str },
    WrittenAsBlock { span: Span, name: String },
    WrittenAsAttribute { span: Span, name: String },
    UnknownKeyword { span: Span, value: String, expected: Vec<&'static str>, suggestion: Option<String> },
    OutOfRange { span: Span, range: &'static str },

    // ---- values ----------------------------------------------------------
    BadQuantity { span: Span, reason: String },
    BadDuration { span: Span, reason: String },
    BadImage { span: Span, reason: String },
    BadPoolName { span: Span, name: String, reason: String },
    BadLabelKey { span: Span, reason: String },
    BadLabelValue { span: Span, reason: String },
    BadObjectName { span: Span, what: &'static str, reason: String },
    NotWholeSeconds { span: Span },
    BadSettingValue { span: Span, variable: &'static str, reason: String },

    // ---- embedded Kubernetes objects -------------------------------------
    K8sUnknownField { span: Span, field: String, object: String, suggestion: Option<String> },
    K8sType { span: Span, expected: String, found: &'static str, object: String },
    K8sMissingField { span: Span, field: String, object: String },
    K8sInvalid { span: Span, object: String, reason: String },

    // ---- what the chart gets wrong -------------------------------------------
    ClaimOnDeployment { span: Span, workload: Option<Span> },
    TwoStorages { span: Span, previous: Span },
    EmptyCredential { span: Span, which: &'static str },
    PrivateKeyIsPem { span: Span },
    PrivateKeyNotBase64 { span: Span, reason: &'static str },
    PrivateKeyNotPemKey { span: Span },
    ReservedLabel { span: Span, key: String, object: &'static str },
    ReservedEnv { span: Span, name: String, container: &'static str },
    UndefinedVolume { span: Span, name: String, suggestion: Option<String> },
    DuplicateName { span: Span, previous: Span, what: &'static str, name: String },
    MissingCredentials { span: Span, pool: String },
    ExternalCredentialsUnsupplied { span: Span, missing: Vec<&'static str> },
    TokenWhitespace { span: Span },
    ReservedContainer { span: Span, name: String },
    ReservedVolume { span: Span },

    // ---- import: Helm values ----------------------------------------------
    ValuesSyntax { span: Span, reason: String },
    ValuesType { span: Span, value: String, expected: &'static str, found: &'static str },
    HelmReading { span: Span, written: String, reading: String, imported: String },
    UnknownValue { span: Span, key: String, suggestion: Option<String> },
    ChartIgnores { span: Span, what: String, why: String },
    CredentialNotInValues { span: Span, value: &'static str, variable: String },
    ClaimWithoutAccessModes { span: Span },

    // ---- warnings --------------------------------------------------------
    MisspeltSetting { span: Span, name: String, suggestion: &'static str, setting: &'static str },
    TemplateUnused { span: Span, name: String },
}

/// `did you mean `x`?`, the help line shared by every suggestion.
fn did_you_mean(suggestion: &Option<String>) -> Option<String> {
    suggestion.as_ref().map(|s| format!("did you mean `{s}`?"))
}

fn list(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(|i| format!("`{}`", i.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn one_of(items: &[String]) -> String {
    match items {
        [] => "something else".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Builder for the one big match below.
struct D {
    code: &'static str,
    message: String,
    span: Span,
    label: String,
    secondary: Vec<Label>,
    help: Option<String>,
}

impl D {
    fn new(
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> D {
        D {
            code,
            message: message.into(),
            span,
            label: label.into(),
            secondary: Vec::new(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> D {
        self.help = Some(help.into());
        self
    }

    fn maybe_help(mut self, help: Option<String>) -> D {
        self.help = help;
        self
    }

    fn also(mut self, span: Span, text: impl Into<String>) -> D {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }
}

impl Problem {
    pub fn into_diagnostic(self) -> Diagnostic {
        use Problem::*;
        let d = match self {
            Syntax { span, found, expected } => {
                let wants_equals = expected.iter().any(|e| e == "`=`");
                D::new("pool::E0001", span, format!("unexpected {found}"), format!("expected {}", one_of(&expected)))
                    .maybe_help(wants_equals.then(|| "an attribute is written `name = value`, a block `name { ... }`".to_string()))
            }
            BadEscape { span, escape } => D::new("pool::E0002", span, format!("unknown escape `{escape}`"), "not an escape")
                .help(r#"the escapes are \n \r \t \" \\ \uXXXX and \UXXXXXXXX; write \\ for a backslash"#),
            InterpolationNotAllowed { span } => D::new("pool::E0003", span, "interpolation is not allowed here", "names, labels and import paths are plain strings")
                .help("write the name out in full"),

            UnterminatedString { span } => D::new("pool::E0004", span, "unterminated string", "the line ends before the closing `\"`")
                .help("close the string; text on several lines is written as a heredoc: <<EOT ... EOT"),
            KeywordAsName { span, keyword } => D::new("pool::E0005", span, format!("`{keyword}` is a keyword, not a name"), "a keyword")
                .help("the keywords are let, import, pool, template, extends, true and false; choose another name"),
            TooDeep { span, limit } => D::new("pool::E0006", span, "values nest too deeply", format!("more than {limit} levels deep here"))
                .help("flatten the value; Kubernetes objects nest about ten levels at most"),
            UnterminatedHeredoc { span, tag } => D::new("pool::E0007", span, format!("heredoc `{tag}` is never closed"), "opened here")
                .help(format!("end it with a line holding only `{tag}`")),
            ImportUnreadable { span, path, error } => D::new("pool::E0101", span, format!("cannot read `{path}`"), error)
                .help("import paths are relative to the importing file"),
            ImportCycle { span, cycle } => D::new("pool::E0102", span, "import cycle", cycle.join(" → "))
                .help("move what both files need into a third file that both import"),
            UndefinedName { span, name, suggestion } => {
                let help = did_you_mean(&suggestion)
                    .unwrap_or_else(|| format!("define it with `let {name} = ...`, or quote it if you meant the text \"{name}\""));
                D::new("pool::E0103", span, format!("undefined name `{name}`"), "not defined in this file or its imports").help(help)
            }
            UndefinedTemplate { span, name, suggestion } => {
                let help = did_you_mean(&suggestion).unwrap_or_else(|| format!("define it with `template \"{name}\" {{ ... }}` or import the file that does"));
                D::new("pool::E0104", span, format!("no template named `{name}`"), "unknown template").help(help)
            }
            DuplicateDefinition { span, previous, kind, name } => D::new("pool::E0105", span, format!("{kind} `{name}` is defined twice"), "defined again here")
                .also(previous, "first defined here")
                .help("names are shared by a file and the files it imports; rename one"),
            ImportClash { span, previous, kind, name, path } => D::new("pool::E0110", span, format!("`{path}` also defines {kind} `{name}`"), format!("brings in another `{name}`"))
                .also(previous, "already defined here")
                .help("a file sees its own definitions and those of the files it imports; rename one"),
            LetCycle { span, name } => D::new("pool::E0106", span, format!("`{name}` depends on itself"), "used while it is being defined")
                .help("a `let` cannot refer to itself, directly or through other `let`s"),
            DuplicatePool { span, previous, name } => D::new("pool::E0107", span, format!("pool `{name}` is defined twice"), "defined again here")
                .also(previous, "first defined here")
                .help("each pool is one Helm release and needs its own name"),
            ExtendsCycle { span, cycle } => D::new("pool::E0108", span, "templates extend each other in a cycle", cycle.join(" → "))
                .help("a template cannot extend itself, directly or through others"),
            ImportNotPool { span, path } => D::new("pool::E0109", span, format!("`{path}` is not a .pool file"), "imports name .pool files")
                .help("read other files with file(...)"),

            UnknownFunction { span, name, suggestion } => D::new("pool::E0201", span, format!("unknown function `{name}`"), "not a function")
                .help(did_you_mean(&suggestion).unwrap_or_else(|| "the functions are env, file, base64 and trimspace".into())),
            ArgumentCount { span, function, expected, found } => D::new("pool::E0202", span, format!("`{function}` takes {expected}, found {found}"), "wrong number of arguments")
                .help(function_usage(function)),
            EnvUnset { span, variable } => D::new("pool::E0203", span, format!("environment variable `{variable}` is not set"), "read here")
                .help(format!("set it before running poolc, or give a default: env(\"{variable}\", \"...\")")),
            FileUnreadable { span, path, error } => D::new("pool::E0204", span, format!("cannot read `{path}`"), error)
                .help("paths are relative to the .pool file that names them"),
            FileNotText { span, path } => D::new("pool::E0205", span, format!("`{path}` is not UTF-8 text"), "read here")
                .help("file(...) reads text files such as PEM keys"),
            ArgumentType { span, function, expected, found } => D::new("pool::E0206", span, format!("`{function}` expects {expected}, found {found}"), format!("this is {found}"))
                .help(function_usage(function)),
            CannotInterpolate { span, found } => D::new("pool::E0207", span, format!("{found} cannot be interpolated into a string"), format!("this is {found}"))
                .help("only strings, numbers and booleans can appear inside ${...}"),

            UnknownAttribute { span, name, context, suggestion, known } => {
                let help = did_you_mean(&suggestion).unwrap_or_else(|| format!("{context} accepts {}", list(&known)));
                D::new("pool::E0301", span, format!("unknown attribute `{name}` in {context}"), "unknown attribute").help(help)
            }
            UnknownBlock { span, name, context, suggestion } => D::new("pool::E0302", span, format!("unknown block `{name}` in {context}"), "unknown block")
                .maybe_help(did_you_mean(&suggestion)),
            TypeMismatch { span, expected, found } => D::new("pool::E0303", span, format!("expected {expected}, found {found}"), format!("this is {found}")),
            DuplicateEntry { span, previous, name } => D::new("pool::E0304", span, format!("`{name}` is set twice"), "set again here")
                .also(previous, "first set here")
                .help("remove one of them"),
            MissingAttribute { span, name, context } => D::new("pool::E0305", span, format!("{context} needs `{name}`"), format!("`{name}` is missing")),
            BadBlockLabels { span, block, expected } => D::new("pool::E0306", span, format!("`{block}` takes {expected}"), "unexpected labels"),
            WrittenAsBlock { span, name } => D::new("pool::E0307", span, format!("`{name}` is an attribute, not a block"), "written as a block")
                .help(format!("write `{name} = ...`")),
            WrittenAsAttribute { span, name } => D::new("pool::E0308", span, format!("`{name}` is a block, not an attribute"), "written as an attribute")
                .help(format!("write `{name} {{ ... }}`")),
            UnknownKeyword { span, value, expected, suggestion } => {
                let help = did_you_mean(&suggestion).unwrap_or_else(|| format!("write one of {}", list(&expected)));
                D::new("pool::E0309", span, format!("`{value}` is not one of {}", list(&expected)), "unknown value").help(help)
            }
            OutOfRange { span, range } => D::new("pool::E0310", span, "number out of range", format!("must be {range}")),

            BadQuantity { span, reason } => D::new("pool::E0401", span, "invalid quantity", reason)
                .help("quantities are written like 500m, 1, 1.5, 512Mi, 100Gi or 1e3"),
            BadDuration { span, reason } => D::new("pool::E0402", span, "invalid duration", reason)
                .help("durations are written like 30s, 2h, 1h30m or 500ms"),
            BadImage { span, reason } => D::new("pool::E0403", span, "invalid image reference", reason)
                .help("write `repository[:tag]` or `repository@sha256:<64 hex digits>`"),
            BadPoolName { span, name, reason } => D::new("pool::E0404", span, format!("`{name}` is not a valid release name"), reason)
                .help("a pool's name is its Helm release name: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 53 characters"),
            BadLabelKey { span, reason } => D::new("pool::E0405", span, "invalid label key", reason)
                .help("a key is an optional DNS subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"),
            BadLabelValue { span, reason } => D::new("pool::E0406", span, "invalid label value", reason)
                .help("a label value is empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit; quote numbers and booleans"),
            BadObjectName { span, what, reason } => D::new("pool::E0407", span, format!("invalid {what} name"), reason)
                .help("Kubernetes object names are lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"),
            NotWholeSeconds { span } => D::new("pool::E0408", span, "a grace period is a whole number of seconds", "has a fraction of a second")
                .help("Kubernetes counts terminationGracePeriodSeconds in whole seconds"),
            BadSettingValue { span, variable, reason } => D::new("pool::E0409", span, format!("invalid value for {variable}"), reason)
                .help("docs/language.md lists each launcher setting and the values it takes"),

            K8sUnknownField { span, field, object, suggestion } => D::new("pool::E0501", span, format!("unknown field `{field}` in {object}"), "not a field of this object")
                .help(did_you_mean(&suggestion).unwrap_or_else(|| "embedded Kubernetes objects use the Kubernetes API's own field names".into())),
            K8sType { span, expected, found, object } => D::new("pool::E0502", span, format!("expected {expected}, found {found}"), format!("{object} takes {expected}")),
            K8sMissingField { span, field, object } => D::new("pool::E0503", span, format!("{object} needs `{field}`"), format!("`{field}` is missing")),
            K8sInvalid { span, object, reason } => D::new("pool::E0504", span, format!("invalid {object}"), reason),

            ClaimOnDeployment { span, workload } => {
                let d = D::new("pool::E0601", span, "a claim template needs a StatefulSet", "storage claim on a Deployment")
                    .help("add `workload = statefulset`, or use `storage ephemeral { ... }` for a per-pod volume on a Deployment");
                match workload {
                    Some(w) => d.also(w, "the workload is a Deployment"),
                    None => d,
                }
            }
            TwoStorages { span, previous } => D::new("pool::E0602", span, "a pool has one storage", "second storage")
                .also(previous, "first storage")
                .help("the chart would give the pod a volume and a claim both named launcher-storage; keep one"),
            EmptyCredential { span, which } => D::new("pool::E0603", span, format!("the {which} is empty"), "empty")
                .help("the worker crash-loops at start without it; use `credentials external \"SECRET\"` to take it from an existing Secret"),
            PrivateKeyIsPem { span } => D::new("pool::E0604", span, "the private key is a raw PEM, not base64 of one", "a PEM key")
                .help("encode it: base64(file(\"key.pem\")), or `base64 -w0 < key.pem` (`base64 -b 0` on macOS)"),
            PrivateKeyNotBase64 { span, reason } => D::new("pool::E0605", span, "the private key is not base64 on one line", reason)
                .help("encode the whole PEM file on one line: base64(file(\"key.pem\")), or `base64 -w0 < key.pem`"),
            PrivateKeyNotPemKey { span } => D::new("pool::E0606", span, "the private key is base64, but not of a PEM private key", "decodes to something else")
                .help("it must be base64 of the whole PEM file Spacelift gave you, from -----BEGIN to -----END"),
            ReservedLabel { span, key, object } => {
                let help = if crate::render::chart::SELECTOR_LABELS.contains(&key.as_str()) {
                    "it is a selector label: it identifies the pool's pods; choose another key"
                } else {
                    "the chart sets it on every object; choose another key"
                };
                D::new("pool::E0607", span, format!("`{key}` is set by the chart on the {object}"), "redefines a chart label").help(help)
            }
            ReservedEnv { span, name, container } => D::new("pool::E0608", span, format!("`{name}` is already set in the {container} container"), "redefines a variable the chart sets")
                .help("the chart's value would be shadowed; remove this entry"),
            UndefinedVolume { span, name, suggestion } => D::new("pool::E0609", span, format!("no volume named `{name}`"), "mounted here")
                .help(did_you_mean(&suggestion).unwrap_or_else(|| format!("define it in `volumes`: {{ name = \"{name}\", ... }}"))),
            DuplicateName { span, previous, what, name } => D::new("pool::E0610", span, format!("two {what}s named `{name}`"), "second definition")
                .also(previous, "first definition")
                .help(format!("{what} names must be unique")),
            MissingCredentials { span, pool } => D::new("pool::E0611", span, format!("pool `{pool}` has no credentials"), "no `credentials`")
                .help("add `credentials { token = ..., private_key = ... }`, or `credentials external \"SECRET\"` to use an existing Secret"),
            ExternalCredentialsUnsupplied { span, missing } => D::new("pool::E0612", span, format!("nothing supplies {}", list(&missing)), "credentials are external")
                .help("name the Secret (`credentials external \"SECRET\"`), or set the variables in the launcher's `env` or `env_from`"),
            TokenWhitespace { span } => D::new("pool::E0613", span, "the token contains whitespace", "whitespace or a line break in the token")
                .help("a file read with file(...) keeps its final newline: wrap it in trimspace(...)"),
            ReservedVolume { span } => D::new("pool::E0615", span, "`launcher-storage` is the chart's storage volume", "name taken")
                .help("set the pool's storage with a `storage` block, or give this volume another name"),
            ReservedContainer { span, name } => D::new("pool::E0614", span, format!("the chart already has a container named `{name}`"), "name taken")
                .help("`launcher` and `dind` are the chart's own containers; choose another name"),

            ValuesSyntax { span, reason } => D::new("pool::E0801", span, "the values file is not valid YAML", reason)
                .help("Helm could not read it either; fix the YAML"),
            ValuesType { span, value, expected, found } => D::new("pool::E0802", span, format!("`{value}` must be {expected}"), format!("this is {found}"))
                .help("the chart's values and their types are listed in docs/language.md"),
            HelmReading { span, written, reading, imported } => D::new("pool::W0801", span, format!("Helm reads `{written}` as {reading}, but a string is expected here"), "unquoted, so YAML 1.1 reads no string")
                .help(format!("quote it in the values file if you meant the text `{written}`; it is imported as {imported}, what Helm renders")),
            UnknownValue { span, key, suggestion } => D::new("pool::W0802", span, format!("`{key}` is not a value of the chart"), "Helm ignores it; not imported")
                .help(did_you_mean(&suggestion).unwrap_or_else(|| "docs/language.md lists the chart's values".into())),
            ChartIgnores { span, what, why } => D::new("pool::W0803", span, format!("the chart ignores {what}"), why)
                .help("not imported: the .pool renders what the chart renders; write it in the .pool if you meant it"),
            CredentialNotInValues { span, value, variable } => D::new("pool::W0804", span, format!("no `{value}` in the values"), "the chart would write it empty")
                .help(format!("the .pool reads it from the environment variable {variable}; set it before `poolc build`")),
            ClaimWithoutAccessModes { span } => D::new("pool::W0805", span, "the claim has no accessModes", "Kubernetes refuses a claim without them")
                .help("poolc writes accessModes: [ReadWriteOnce], the default of `storage claim` and `storage ephemeral`"),

            MisspeltSetting { span, name, suggestion, setting } => D::new("pool::W0001", span, format!("`{name}` looks like a misspelt `{suggestion}`"), "unknown to the launcher")
                .help(format!("the launcher ignores variables it does not know; write `{setting} = ...` in the launcher block")),
            TemplateUnused { span, name } => D::new("pool::W0002", span, format!("template `{name}` is never used"), "no pool extends it")
                .help("remove it, or extend it from a pool"),
        };
        let severity = if d.code.starts_with("pool::W") {
            Severity::Warning
        } else {
            Severity::Error
        };
        Diagnostic {
            code: d.code,
            severity,
            message: d.message,
            primary: Label {
                span: d.span,
                text: d.label,
            },
            secondary: d.secondary,
            help: d.help,
        }
    }
}

fn function_usage(function: &str) -> &'static str {
    match function {
        "env" => {
            "env(\"NAME\") reads a variable; env(\"NAME\", \"default\") falls back when it is unset"
        }
        "file" => "file(\"path\") reads a text file relative to the .pool file",
        "base64" => "base64(text) encodes a string, e.g. base64(file(\"key.pem\"))",
        _ => "trimspace(text) removes leading and trailing whitespace",
    }
}
