//! Did-you-mean. A candidate is suggested when its Damerau-Levenshtein
//! distance from what was written, compared without regard to case, is at
//! most a third of the written name's length (at least 1), as rustc does;
//! the closest wins, ties going to the earlier candidate.

pub fn suggest<'c>(written: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    let written_lower = written.to_lowercase();
    let threshold = (written.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != written)
        .map(|c| {
            (
                strsim::damerau_levenshtein(&written_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, _)| *distance <= threshold)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c.to_string())
}

/// A name meant for one of `near`'s (written, meant) pairs, compared
/// without regard to case, `_` or `-`: the names edit distance cannot
/// find (`size` for `sizeLimit`, `storageclass` for `class`).
pub fn near(written: &str, near: &[(&str, &'static str)]) -> Option<&'static str> {
    let normal = |name: &str| name.to_lowercase().replace(['_', '-'], "");
    let written = normal(written);
    near.iter()
        .find(|(name, _)| normal(name) == written)
        .map(|(_, meant)| *meant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_found_however_written() {
        let table = [("storageclass", "class"), ("size", "sizeLimit")];
        assert_eq!(near("storage_class", &table), Some("class"));
        assert_eq!(near("StorageClass", &table), Some("class"));
        assert_eq!(near("Size", &table), Some("sizeLimit"));
        assert_eq!(near("class", &table), None);
    }

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(
            suggest("replicaz", ["replicas", "workload"]).as_deref(),
            Some("replicas")
        );
        assert_eq!(
            suggest("efect", ["effect", "key"]).as_deref(),
            Some("effect")
        );
        assert_eq!(
            suggest("NodeSelector", ["nodeSelector"]).as_deref(),
            Some("nodeSelector")
        );
        assert_eq!(
            suggest(
                "SPACELIFT_LAUNCHER_RUN_TIMOUT",
                ["SPACELIFT_LAUNCHER_RUN_TIMEOUT", "SPACELIFT_DEBUG"]
            )
            .as_deref(),
            Some("SPACELIFT_LAUNCHER_RUN_TIMEOUT")
        );
    }

    #[test]
    fn distant_names_are_not() {
        assert_eq!(suggest("colour", ["replicas", "workload"]), None);
        assert_eq!(suggest("HTTP_PROXY", ["SPACELIFT_DEBUG"]), None);
        assert_eq!(suggest("ab", ["xy"]), None);
    }
}
