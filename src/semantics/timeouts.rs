//! The launcher's two timeouts, as it will use them: a zero run or logs
//! timeout ends every run at once, and a logs timeout at least as long as
//! the run timeout can never fire.

use crate::diagnostics::{ChartProblem, Diagnostics, Warning};
use crate::model::ContainerSpec;
use crate::model::duration::Duration;
use crate::model::launcher_settings::{self, DEFAULT_RUN_TIMEOUT};
use crate::syntax::span::Span;

const RUN: &str = "run_timeout";
const LOGS: &str = "logs_timeout";

/// A timeout set in the launcher's env (typed or raw), where it is set.
struct Timeout {
    duration: Duration,
    span: Span,
}

fn timeout(launcher: &ContainerSpec, setting: &str) -> Option<Timeout> {
    let variable = launcher_settings::by_name(setting)?.variable;
    launcher.env.iter().rev().find_map(|entry| {
        let text = entry
            .var
            .value
            .as_deref()
            .filter(|_| entry.var.name == variable)?;
        Some(Timeout {
            duration: Duration::parse(text).ok()?,
            span: entry.span,
        })
    })
}

/// Zero timeouts, which no run survives.
pub fn check_zero(launcher: &ContainerSpec, diagnostics: &mut Diagnostics) {
    for setting in [RUN, LOGS] {
        if let Some(t) = timeout(launcher, setting).filter(|t| t.duration.nanos == 0) {
            diagnostics.push(ChartProblem::ZeroTimeout {
                span: t.span,
                setting,
            });
        }
    }
}

/// A logs timeout that the run timeout always beats.
pub fn check_order(launcher: &ContainerSpec, diagnostics: &mut Diagnostics) {
    let Some(logs) = timeout(launcher, LOGS) else {
        return;
    };
    let run = timeout(launcher, RUN);
    let run_nanos = match &run {
        Some(run) => run.duration.nanos,
        None => Duration::parse(DEFAULT_RUN_TIMEOUT).map_or(u128::MAX, |d| d.nanos),
    };
    if logs.duration.nanos >= run_nanos && run_nanos > 0 {
        diagnostics.push(Warning::LogsTimeoutDefeated {
            span: logs.span,
            run: run.map(|r| r.span),
        });
    }
}
