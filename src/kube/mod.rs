//! Kubernetes knowledge in one place: the API poolc pins (k8s-openapi's
//! `latest` feature: Kubernetes 1.37), the JSON schemas of its types
//! ([`schema`]), and the API server's rules for names ([`names`]) and
//! quantities ([`quantity`]). The checker reads it to check objects written
//! in a .pool file; `poolc import` reads it to convert Helm values.

pub mod names;
pub mod quantity;
pub mod schema;
