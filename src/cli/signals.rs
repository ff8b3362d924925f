//! Signals a long-running command catches instead of dying of: Ctrl-C in
//! the REPL stops what blocks, never the session with its unsaved changes;
//! SIGINT and SIGTERM end `sync --follow` after it has saved.

use std::sync::atomic::{AtomicBool, Ordering};

static CAUGHT: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    CAUGHT.store(true, Ordering::SeqCst);
}

/// From now on SIGINT sets a flag, and a blocked call it interrupts fails
/// with EINTR rather than resume (no SA_RESTART).
pub fn catch_interrupt() {
    catch(&[libc::SIGINT]);
}

/// [`catch_interrupt`] for SIGTERM too: a service stopped by its manager
/// ends as cleanly as one stopped with Ctrl-C.
pub fn catch_interrupt_and_terminate() {
    catch(&[libc::SIGINT, libc::SIGTERM]);
}

fn catch(signals: &[libc::c_int]) {
    for &signal in signals {
        // SAFETY: a handler that only stores to an atomic.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// Whether a caught signal came since last asked.
pub fn take() -> bool {
    CAUGHT.swap(false, Ordering::SeqCst)
}

/// Whether a caught signal came, leaving it to be asked again.
pub fn caught() -> bool {
    CAUGHT.load(Ordering::SeqCst)
}
