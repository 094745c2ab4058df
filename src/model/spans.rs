//! Every span a model holds, visited in place: a pool kept from one check
//! to the next (`semantics::cache`) is moved to where its text now is.

use super::image::ImageRef;
use super::span_tree::{Parts, SpanTree};
use super::*;
use crate::syntax::span::{Span, Spanned};
use duration::Duration;
use std::sync::Arc;

/// A value whose spans can be visited (and changed) in place.
pub trait Spans {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span));
}

/// Values that hold no span.
macro_rules! no_spans {
    ($($t:ty),*) => {
        $(impl Spans for $t {
            fn visit_spans(&mut self, _: &mut dyn FnMut(&mut Span)) {}
        })*
    };
}

no_spans!(
    String,
    i32,
    i64,
    Target,
    Workload,
    Replicas,
    PullPolicy,
    DriftDetectionRuns,
    ImageRef,
    Duration
);

impl Spans for Span {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        f(self)
    }
}

impl<T: Spans> Spans for Spanned<T> {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        f(&mut self.span);
        self.value.visit_spans(f);
    }
}

impl<T: Spans> Spans for Option<T> {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        if let Some(value) = self {
            value.visit_spans(f);
        }
    }
}

impl<T: Spans> Spans for Vec<T> {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        for value in self {
            value.visit_spans(f);
        }
    }
}

impl<T: Spans> Spans for Box<T> {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        (**self).visit_spans(f);
    }
}

impl<A: Spans, B: Spans> Spans for (A, B) {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        self.0.visit_spans(f);
        self.1.visit_spans(f);
    }
}

impl Spans for SpanTree {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        f(&mut self.span);
        match &mut self.parts {
            Parts::Leaf => {}
            Parts::Fields(fields) => {
                for field in fields {
                    f(&mut field.key_span);
                    field.value.visit_spans(f);
                }
            }
            Parts::Items(items) => items.visit_spans(f),
        }
    }
}

impl<T> Spans for Embedded<T> {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        Arc::make_mut(&mut self.spans).visit_spans(f);
    }
}

// The structs are taken apart field by field, so that a field added to
// the model without its spans here does not compile.

impl Spans for Pool {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        let Pool {
            name,
            credentials,
            target: _,
            spec,
            origin: _,
        } = self;
        name.visit_spans(f);
        credentials.visit_spans(f);
        spec.visit_spans(f);
    }
}

impl Spans for PoolSpec {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        let PoolSpec {
            target,
            workload,
            replicas,
            termination_grace_period_seconds,
            revision_history_limit,
            name_override,
            fullname_override,
            labels,
            annotations,
            pod_labels,
            pod_annotations,
            pod_security_context,
            image_pull_secrets,
            service_account,
            launcher,
            dind,
            extra_containers,
            volumes,
            storage,
            node_selector,
            tolerations,
            affinity,
            topology_spread_constraints,
            operator,
        } = self;
        target.visit_spans(f);
        workload.visit_spans(f);
        replicas.visit_spans(f);
        termination_grace_period_seconds.visit_spans(f);
        revision_history_limit.visit_spans(f);
        name_override.visit_spans(f);
        fullname_override.visit_spans(f);
        for map in [
            labels,
            annotations,
            pod_labels,
            pod_annotations,
            node_selector,
        ] {
            map.visit_spans(f);
        }
        pod_security_context.visit_spans(f);
        image_pull_secrets.visit_spans(f);
        service_account.visit_spans(f);
        let Launcher {
            container,
            security_context,
        } = launcher;
        container.visit_spans(f);
        security_context.visit_spans(f);
        let Dind { container } = dind;
        container.visit_spans(f);
        extra_containers.visit_spans(f);
        volumes.visit_spans(f);
        storage.visit_spans(f);
        tolerations.visit_spans(f);
        affinity.visit_spans(f);
        topology_spread_constraints.visit_spans(f);
        operator.visit_spans(f);
    }
}

impl Spans for Secret {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        match &mut self.written {
            Written::Literal(span) | Written::Heredoc(span) => f(span),
            Written::File | Written::Env | Written::Computed => {}
        }
    }
}

impl Spans for Credentials {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        match self {
            Credentials::Inline { token, private_key } => {
                token.visit_spans(f);
                private_key.visit_spans(f);
            }
            Credentials::ExistingSecret { name } => name.visit_spans(f),
            Credentials::External => {}
            Credentials::AutoRegistered(AutoRegistration {
                space,
                description,
                drift_detection_runs,
            }) => {
                space.visit_spans(f);
                description.visit_spans(f);
                drift_detection_runs.visit_spans(f);
            }
        }
    }
}

impl Spans for ServiceAccount {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        match self {
            ServiceAccount::Create { name, annotations } => {
                name.visit_spans(f);
                annotations.visit_spans(f);
            }
            ServiceAccount::Existing { name } => name.visit_spans(f),
        }
    }
}

impl Spans for EnvEntry {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        let EnvEntry {
            var: _,
            span,
            setting: _,
            name_secrecy: _,
            value_secrecy: _,
        } = self;
        f(span);
    }
}

impl Spans for ContainerSpec {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        let ContainerSpec {
            image,
            pull_policy,
            resources,
            env,
            env_from,
            volume_mounts,
        } = self;
        image.visit_spans(f);
        pull_policy.visit_spans(f);
        resources.visit_spans(f);
        env.visit_spans(f);
        env_from.visit_spans(f);
        volume_mounts.visit_spans(f);
    }
}

impl Spans for OperatorSpec {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        let OperatorSpec {
            worker,
            init,
            grpc,
            binaries_cache,
            pod_history,
            runtime_class,
            allowed_runner_image_hosts,
            custom_binaries_path,
        } = self;
        for RunContainer {
            container,
            security_context,
        } in [worker, init, grpc]
        {
            container.visit_spans(f);
            security_context.visit_spans(f);
        }
        binaries_cache.visit_spans(f);
        let PodHistory {
            keep_successful,
            keep_failed,
            successful_ttl,
            failed_ttl,
        } = pod_history;
        keep_successful.visit_spans(f);
        keep_failed.visit_spans(f);
        successful_ttl.visit_spans(f);
        failed_ttl.visit_spans(f);
        runtime_class.visit_spans(f);
        allowed_runner_image_hosts.visit_spans(f);
        custom_binaries_path.visit_spans(f);
    }
}

impl Spans for Storage {
    fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        match self {
            Storage::Volume(volume) => volume.visit_spans(f),
            Storage::Claim(claim) => claim.visit_spans(f),
        }
    }
}
