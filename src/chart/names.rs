//! The names the chart gives a pool's objects, and the labels it puts on
//! them, as its helpers compute them (docs/chart.md, "Names").

use super::{APP_VERSION, CHART_LABEL, CHART_NAME, COMMON_LABELS, MANAGED_BY, SELECTOR_LABELS};
use crate::kube::names::dns_label;
use crate::model::{Pool, ServiceAccount};
use std::collections::BTreeMap;

/// Helm release names: a DNS-1123 label of at most 53 characters (Helm
/// keeps 10 characters of the 63 for the names it derives).
pub fn release_name(name: &str) -> Result<(), String> {
    if name.len() > 53 {
        return Err(format!(
            "{} characters; a release name has at most 53",
            name.len()
        ));
    }
    dns_label(name, 53)
}

/// The names a pool's objects get.
pub struct Names {
    pub release: String,
    /// The `app.kubernetes.io/name` label.
    pub name: String,
    /// The objects' name.
    pub fullname: String,
    pub service_account: String,
}

/// Helm's `trunc 63 | trimSuffix "-"`.
fn trim63(name: &str) -> String {
    let cut = &name[..name.len().min(63)];
    cut.strip_suffix('-').unwrap_or(cut).to_string()
}

impl Names {
    pub fn of(pool: &Pool) -> Names {
        let spec = &pool.spec;
        let release = pool.name.value.clone();
        let base = spec
            .name_override
            .as_ref()
            .map_or(CHART_NAME, |n| n.value.as_str());
        let name = trim63(base);
        let fullname = match &spec.fullname_override {
            Some(full) => trim63(full),
            None if release.contains(base) => trim63(&release),
            None => trim63(&format!("{release}-{base}")),
        };
        let service_account = match spec.service_account.as_ref().map(|s| &s.value) {
            None => fullname.clone(),
            Some(ServiceAccount::Create { name, .. }) => {
                name.as_ref().map_or(fullname.clone(), |n| n.value.clone())
            }
            Some(ServiceAccount::Existing { name }) => {
                name.as_ref().map_or("default".into(), |n| n.value.clone())
            }
        };
        Names {
            release,
            name,
            fullname,
            service_account,
        }
    }

    /// The labels on every object.
    pub fn common_labels(&self) -> BTreeMap<String, String> {
        let values = [
            CHART_LABEL,
            &self.name,
            &self.release,
            APP_VERSION,
            MANAGED_BY,
        ];
        COMMON_LABELS
            .iter()
            .zip(values)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The labels that select the pool's pods.
    pub fn selector_labels(&self) -> BTreeMap<String, String> {
        let values = [&self.name, &self.release];
        SELECTOR_LABELS
            .iter()
            .zip(values)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names() {
        assert!(release_name("worker-pool-1").is_ok());
        assert!(release_name("platform-team-production-eu-west-1-terraform-pool").is_ok());
        assert!(release_name(&"a".repeat(53)).is_ok());
        assert!(
            release_name(&"a".repeat(54))
                .unwrap_err()
                .contains("54 characters")
        );
        assert!(release_name("Prod").unwrap_err().contains("`P`"));
        assert!(release_name("1pool").unwrap_err().contains("start"));
        assert!(release_name("pool-").unwrap_err().contains("end"));
        assert!(release_name("my_pool").is_err());
        assert!(release_name("").is_err());
    }

    #[test]
    fn helm_truncation_removes_one_trailing_dash() {
        assert_eq!(
            trim63("a-very-long-worker-pool-name-for-the-production-cluster-in-eu-west-1"),
            "a-very-long-worker-pool-name-for-the-production-cluster-in-eu-w"
        );
        let with_dash_at_63 = format!("{}-x", "a".repeat(62));
        assert_eq!(trim63(&with_dash_at_63), "a".repeat(62));
        assert_eq!(trim63("short"), "short");
    }
}
