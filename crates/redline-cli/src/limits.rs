//! Resource limits: how much input the CLI reads, and how much memory a command may plan to use.
//!
//! Oversized work is refused before it starts, with the estimate and what to change; the
//! estimates themselves come from the lens crates (they know their data structures), the limits
//! from the machine (this module: the CLI is the only crate that looks at the process).

use std::io::Read;
use std::path::Path;

use crate::Failure;

/// The largest scenario or import file read, in bytes (64 MiB). Real scenarios are kilobytes;
/// the limit is checked before the whole input is read, so a huge file or an endless stdin is
/// refused at once instead of exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

fn too_large(name: &str, size: Option<u64>) -> Failure {
    let size = size.map_or_else(
        || format!("more than {} MiB", MAX_INPUT_BYTES >> 20),
        |s| format!("{} MiB", s.div_ceil(1 << 20)),
    );
    crate::eline!(
        "{name}: error: the input is {size}, over the limit of {} MiB for one file",
        MAX_INPUT_BYTES >> 20
    );
    Failure::BadInput
}

fn cannot_read(name: &str, e: std::io::Error) -> Failure {
    crate::eline!("{name}: error: cannot read: {e}");
    Failure::BadInput
}

/// Reads at most [`MAX_INPUT_BYTES`] from `reader`; more is refused as bad input (exit 2).
pub fn read_bounded(mut reader: impl Read, name: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(name, e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(name, None));
    }
    Ok(bytes)
}

/// Reads a file of at most [`MAX_INPUT_BYTES`], checking its size before reading it.
pub fn read_file_bounded(path: &Path) -> Result<Vec<u8>, Failure> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| cannot_read(&name, e))?;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > MAX_INPUT_BYTES
    {
        return Err(too_large(&name, Some(meta.len())));
    }
    read_bounded(file, &name)
}

/// Decodes bytes as UTF-8, or reports the first bad byte's position as bad input.
pub fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|e| {
        crate::eline!(
            "{name}: error: the input is not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        );
        Failure::BadInput
    })
}

/// Reads a UTF-8 text file of at most [`MAX_INPUT_BYTES`].
pub fn read_text_file(path: &Path) -> Result<String, Failure> {
    let bytes = read_file_bounded(path)?;
    utf8(bytes, &path.display().to_string())
}

/// The memory this process can still plan to use: the smaller of the machine's available memory
/// (`MemAvailable`) and what is left of the process's address-space limit (`ulimit -v`), less
/// what the process already maps. `None` when neither is known (not Linux).
pub fn memory_budget() -> Option<u64> {
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| kib_field(&t, "MemAvailable:"));
    let address_space = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| address_space_limit(&t))
        .map(|limit| {
            let mapped = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|t| kib_field(&t, "VmSize:"))
                .unwrap_or(0);
            limit.saturating_sub(mapped)
        });
    match (available, address_space) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A `Name:   123 kB` field of /proc/meminfo or /proc/self/status, in bytes.
fn kib_field(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// The soft "Max address space" of /proc/self/limits, in bytes; `None` when unlimited.
fn address_space_limit(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("Max address space"))?;
    let soft = line
        .trim_start_matches("Max address space")
        .split_whitespace()
        .next()?;
    soft.parse().ok()
}

/// The limits the front door checks its estimates against: this process's memory budget.
pub fn analysis_limits() -> redline_analysis::Limits {
    redline_analysis::Limits {
        memory_bytes: memory_budget(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_space_limit_is_read_from_proc_limits() {
        let text = "Limit                     Soft Limit           Hard Limit           Units     \n\
                    Max cpu time              unlimited            unlimited            seconds   \n\
                    Max address space         8589934592           unlimited            bytes     \n";
        assert_eq!(address_space_limit(text), Some(8_589_934_592));
        let unlimited = text.replace("8589934592", "unlimited");
        assert_eq!(address_space_limit(&unlimited), None);
    }

    #[test]
    fn a_refusal_states_the_estimate_the_budget_and_what_to_change() {
        let e = redline_analysis::Error::TooLarge {
            what: "x".into(),
            estimate: 30 << 20,
            budget: 20 << 20,
            hint: "h".into(),
        };
        let Failure::Other(e) = crate::analysis_error(e) else {
            panic!("a refusal is exit 1, not bad input")
        };
        let msg = e.to_string();
        assert!(msg.contains("30 MiB") && msg.contains("20 MiB") && msg.contains("hint: h"));
    }

    #[test]
    fn input_over_the_limit_is_refused_without_reading_it_all() {
        let endless = std::io::repeat(b'a');
        assert!(matches!(
            read_bounded(endless, "<stdin>"),
            Err(Failure::BadInput)
        ));
        assert_eq!(read_bounded(&b"abc"[..], "x").unwrap(), b"abc");
    }
}
