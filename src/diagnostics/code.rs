//! Diagnostic codes: stable, typed, each with its severity. A code prints
//! as `pool::E0042` (errors) or `pool::W0002` (warnings); its long
//! explanation is its section of docs/diagnostics.md (`poolc explain`).
//! The table below is the only place a code is given its number.

use super::Severity;
use std::fmt;

/// Declares [`Code`], one variant per kind of problem, with its severity
/// and number, and [`Code::ALL`].
macro_rules! codes {
    ($($kind:ident = $severity:ident $number:literal,)*) => {
        /// The stable code of a kind of problem.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($kind,)*
        }

        impl Code {
            /// Every code, in the table's order.
            pub const ALL: &'static [Code] = &[$(Code::$kind,)*];

            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$kind => Severity::$severity,)*
                }
            }

            pub const fn number(self) -> u16 {
                match self {
                    $(Code::$kind => $number,)*
                }
            }
        }
    };
}

codes! {
    Syntax = Error 1,
    BadEscape = Error 2,
    InterpolationNotAllowed = Error 3,
    UnterminatedString = Error 4,
    KeywordAsName = Error 5,
    TooDeep = Error 6,
    UnterminatedHeredoc = Error 7,
    NotUtf8 = Error 8,
    ImportUnreadable = Error 101,
    ImportCycle = Error 102,
    UndefinedName = Error 103,
    UndefinedTemplate = Error 104,
    DuplicateDefinition = Error 105,
    ImportClash = Error 110,
    LetCycle = Error 106,
    DuplicatePool = Error 107,
    ExtendsCycle = Error 108,
    ImportNotPool = Error 109,
    ImportOutside = Error 111,
    UnknownFunction = Error 201,
    ArgumentCount = Error 202,
    EnvUnset = Error 203,
    FileUnreadable = Error 204,
    FileNotText = Error 205,
    ArgumentType = Error 206,
    CannotInterpolate = Error 207,
    FileOutside = Error 208,
    UnknownAttribute = Error 301,
    UnknownBlock = Error 302,
    TypeMismatch = Error 303,
    DuplicateEntry = Error 304,
    MissingAttribute = Error 305,
    BadBlockLabels = Error 306,
    WrittenAsBlock = Error 307,
    WrittenAsAttribute = Error 308,
    UnknownKeyword = Error 309,
    OutOfRange = Error 310,
    BadQuantity = Error 401,
    BadDuration = Error 402,
    BadImage = Error 403,
    BadPoolName = Error 404,
    BadLabelKey = Error 405,
    BadLabelValue = Error 406,
    BadObjectName = Error 407,
    NotWholeSeconds = Error 408,
    BadSettingValue = Error 409,
    LeadingZero = Error 410,
    BadInteger = Error 411,
    UnknownField = Error 501,
    FieldType = Error 502,
    MissingField = Error 503,
    InvalidObject = Error 504,
    InvalidName = Error 505,
    UnsupportedValue = Error 506,
    RequestsAndLimits = Error 507,
    BadResourceQuantity = Error 508,
    KubeOutOfRange = Error 509,
    FieldConflict = Error 510,
    RequiredValue = Error 511,
    BadPath = Error 512,
    DuplicateValue = Error 513,
    TooLarge = Error 514,
    ClaimOnDeployment = Error 601,
    TwoStorages = Error 602,
    EmptyCredential = Error 603,
    PrivateKeyIsPem = Error 604,
    PrivateKeyNotBase64 = Error 605,
    PrivateKeyNotPemKey = Error 606,
    ReservedLabel = Error 607,
    ReservedEnv = Error 608,
    UndefinedVolume = Error 609,
    DuplicateName = Error 610,
    MissingCredentials = Error 611,
    ExternalCredentialsUnsupplied = Error 612,
    TokenWhitespace = Error 613,
    ReservedContainer = Error 614,
    ReservedVolume = Error 615,
    CredentialInField = Error 616,
    StorageWithoutSize = Error 617,
    ZeroTimeout = Error 618,
    CredentialsSwapped = Error 619,
    MountPathTaken = Error 620,
    DindOnOperator = Error 701,
    ClaimOnOperator = Error 702,
    DockerOnlySetting = Error 703,
    CredentialsOnlyInEnv = Error 704,
    AmbiguousContainer = Error 705,
    OperatorOnly = Error 706,
    PrunedField = Error 707,
    CrdViolation = Error 708,
    ReservedRunContainer = Error 709,
    ReservedRunVolume = Error 710,
    BadOperatorValue = Error 711,
    ValuesSyntax = Error 801,
    ValuesType = Error 802,
    HelmReading = Warning 801,
    UnknownValue = Warning 802,
    ChartIgnores = Warning 803,
    CredentialNotInValues = Warning 804,
    ClaimWithoutAccessModes = Warning 805,
    InertOnOperator = Warning 701,
    PinnedLauncherImage = Warning 702,
    ChartPodLabel = Warning 703,
    MisspeltSetting = Warning 1,
    TemplateUnused = Warning 2,
    LogsTimeoutDefeated = Warning 3,
    NothingToBuild = Warning 4,
}

impl Code {
    /// The code written as `pool::E0604`, `E0604` or `e0604`.
    pub fn parse(text: &str) -> Option<Code> {
        let text = text.trim();
        let bare = text.strip_prefix("pool::").unwrap_or(text);
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.to_string()["pool::".len()..].eq_ignore_ascii_case(bare))
    }
}

/// Errors before warnings, then by number: the order of the written codes.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.severity(), self.number()).cmp(&(other.severity(), other.number()))
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letter = match self.severity() {
            Severity::Error => 'E',
            Severity::Warning => 'W',
        };
        write!(f, "pool::{letter}{:04}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_written_once() {
        let written: HashSet<String> = Code::ALL.iter().map(Code::to_string).collect();
        assert_eq!(written.len(), Code::ALL.len());
    }

    #[test]
    fn codes_print_with_their_severity_letter() {
        assert_eq!(Code::Syntax.to_string(), "pool::E0001");
        assert_eq!(Code::TemplateUnused.to_string(), "pool::W0002");
        assert_eq!(Code::TemplateUnused.severity(), Severity::Warning);
    }

    #[test]
    fn codes_parse_however_they_are_written() {
        for written in ["pool::E0604", "E0604", "e0604", " pool::e0604 "] {
            assert_eq!(
                Code::parse(written),
                Some(Code::PrivateKeyIsPem),
                "{written}"
            );
        }
        assert_eq!(Code::parse("E9999"), None);
        assert_eq!(Code::parse("pool::"), None);
    }
}
