//! TLS for `wss://`: the system's root certificates, or the ones of a
//! private CA given with `--ca`.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::cli::exit::UsageError;
use crate::cli::terminal::sanitize;

/// The most a CA file may hold: bundles of every public root are a few
/// hundred kilobytes.
const MAX_CA_FILE_BYTES: u64 = 16 << 20;

/// A client's TLS settings: whom it trusts.
pub fn client_config(ca: Option<&Path>) -> anyhow::Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    match ca {
        Some(path) => {
            let name = sanitize(&path.display().to_string());
            let bytes = actionlog::store::read_untrusted(path, MAX_CA_FILE_BYTES)?;
            let mut found = 0;
            for certificate in CertificateDer::pem_slice_iter(&bytes) {
                let certificate = certificate.map_err(|e| {
                    UsageError(format!("--ca {name}: not a PEM certificate file: {e}"))
                })?;
                roots.add(certificate).map_err(|e| {
                    UsageError(format!("--ca {name}: a certificate cannot be used: {e}"))
                })?;
                found += 1;
            }
            if found == 0 {
                return Err(
                    UsageError(format!("--ca {name}: no PEM certificate in the file")).into(),
                );
            }
        }
        None => {
            // A store that has some unreadable certificates still serves
            // with the rest; one with none at all cannot check any server.
            let native = rustls_native_certs::load_native_certs();
            let (added, _) = roots.add_parsable_certificates(native.certs);
            if added == 0 {
                return Err(UsageError(
                    "no root certificates found on this system for wss://: give --ca FILE".into(),
                )
                .into());
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
