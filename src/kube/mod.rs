//! Kubernetes knowledge in one place: the API poolc pins (k8s-openapi's
//! `latest` feature: Kubernetes 1.37), the JSON schemas of its types
//! ([`schema`]), the values of its enumerated fields ([`enums`]), the API
//! server's rules for names ([`names`]) and quantities ([`quantity`]), its
//! validation beyond the schema ([`validation`]), and what it does with a
//! custom resource against its structural schema ([`structural`]). The
//! checker reads it to check objects written in a .pool file; `poolc
//! import` reads it to convert Helm values; the editor's analysis to
//! describe and complete their fields.

pub mod enums;
pub mod names;
pub mod quantity;
pub mod schema;
pub mod structural;
pub mod validation;
