//! What a pool's target cannot do. Each pool field's fate on the operator
//! is a row of `operator::fields::MAPPING`, and each launcher setting's a
//! row of `operator::LAUNCHER_VARIABLES`: this reads a pool's effective
//! body against those rows, so every problem is reported where the field
//! is written (in the pool, or in the template it comes from).

use super::merge::Node;
use crate::diagnostics::{Diagnostics, OperatorProblem, Quoted};
use crate::model::launcher_settings;
use crate::model::{Credentials, Pool, Storage, Target};
use crate::operator::fields::{OnOperator, on_operator};
use crate::operator::{self, Destination};

/// Reports what `pool`'s target cannot do; `by_command_line` when the
/// command line chose the target for every pool.
pub fn check(pool: &Pool, nodes: &[Node], by_command_line: bool, diagnostics: &mut Diagnostics) {
    // The command line chose only when it says other than the pool.
    let written = pool
        .spec
        .target
        .as_ref()
        .map_or(Target::default(), |t| t.value);
    let chosen = by_command_line && written != pool.target;
    match pool.target {
        Target::Chart => on_chart(pool, nodes, chosen, diagnostics),
        Target::Operator => on_operator_target(pool, nodes, chosen, diagnostics),
    }
}

/// Operator-only settings are errors on the chart.
fn on_chart(pool: &Pool, nodes: &[Node], chosen: bool, diagnostics: &mut Diagnostics) {
    for node in nodes {
        let key = node.key();
        if let Some(OnOperator::Only(_)) = on_operator(&key.name) {
            diagnostics.push(OperatorProblem::OperatorOnly {
                span: key.span,
                // The name of one of the operator's settings.
                field: Quoted::public(&key.name),
                by_command_line: chosen,
            });
        }
    }
    if let Credentials::AutoRegistered(_) = pool.credentials.value {
        diagnostics.push(OperatorProblem::OperatorOnly {
            span: pool.credentials.span,
            field: Quoted::fixed("credentials auto"),
            by_command_line: chosen,
        });
    }
}

fn on_operator_target(pool: &Pool, nodes: &[Node], chosen: bool, diagnostics: &mut Diagnostics) {
    for node in nodes {
        let key = node.key();
        match on_operator(&key.name) {
            Some(OnOperator::Inert(why)) => diagnostics.push(OperatorProblem::InertOnOperator {
                span: key.span,
                field: Quoted::public(&key.name),
                why,
            }),
            Some(OnOperator::Unsupported) => diagnostics.push(OperatorProblem::DindOnOperator {
                span: key.span,
                by_command_line: chosen,
            }),
            _ => {}
        }
        if let Node::Block(block) = node
            && key.name == "launcher"
        {
            launcher(
                block.body.as_deref().unwrap_or_default(),
                chosen,
                diagnostics,
            );
        }
    }
    if let Some(storage) = &pool.spec.storage
        && let Storage::Claim(_) = storage.value
    {
        diagnostics.push(OperatorProblem::ClaimOnOperator {
            span: storage.span,
            by_command_line: chosen,
        });
    }
    if let Credentials::External = pool.credentials.value {
        diagnostics.push(OperatorProblem::CredentialsOnlyInEnv {
            span: pool.credentials.span,
            by_command_line: chosen,
        });
    }
}

/// The launcher's fields: its container settings are ambiguous, its image
/// is discouraged, and its Docker settings have no counterpart.
fn launcher(nodes: &[Node], chosen: bool, diagnostics: &mut Diagnostics) {
    for node in nodes {
        let key = node.key();
        let field = format!("launcher.{}", key.name);
        match on_operator(&field) {
            Some(OnOperator::Ambiguous) => diagnostics.push(OperatorProblem::AmbiguousContainer {
                span: key.span,
                field: Quoted::public(&key.name),
                by_command_line: chosen,
            }),
            Some(OnOperator::At(_)) if key.name == "image" => {
                diagnostics.push(OperatorProblem::PinnedLauncherImage { span: key.span })
            }
            _ => {}
        }
        let setting = launcher_settings::by_name(&key.name);
        if let Some(setting) = setting
            && operator::destination(setting.variable) == Some(Destination::DockerOnly)
        {
            diagnostics.push(OperatorProblem::DockerOnlySetting {
                span: key.span,
                setting: setting.name,
                variable: setting.variable,
                by_command_line: chosen,
            });
        }
    }
}
