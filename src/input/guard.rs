//! Calls into another crate's reader on a file from outside. A damaged file can make such a
//! reader panic (a length that overflows, an index out of range: `ambers` on a corrupt SPSS
//! dictionary); that is a problem of the file, to be reported as one (exit code 1), not a crash
//! (exit code 101 with a panic message).

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while a guarded call runs on this thread: its panic message is not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`; a panic inside it becomes `Err` with the panic's message, and is not printed. The
/// caller must not use what `f` worked on after an `Err` (it may be half-updated).
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|p| {
        if let Some(s) = p.downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = p.downcast_ref::<String>() {
            s.clone()
        } else {
            "a panic".to_string()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_values_pass_through() {
        assert_eq!(guarded(|| 7), Ok(7));
        let v: Vec<u8> = Vec::new();
        let e = guarded(|| v[usize::MAX]).unwrap_err();
        assert!(e.contains("out of bounds"), "{e}");
        // Outside a guarded call, panics are reported as before.
        assert!(!QUIET.with(Cell::get));
    }
}
