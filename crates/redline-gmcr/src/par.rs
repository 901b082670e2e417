//! Parallel loops that stay on the calling thread when the work is small: waking rayon's pool
//! costs more than a few thousand states of work, and small models are analysed by the
//! thousand (inverse searches, property tests, sweeps). Results never depend on the choice.

use rayon::prelude::*;

/// Below this many units of work (about one state each), loops run sequentially.
pub(crate) const PAR_MIN_WORK: usize = 1 << 13;

/// `(0..n).map(f).collect()`, in parallel when `work` is large.
pub(crate) fn map_range<T: Send>(
    n: usize,
    work: usize,
    f: impl Fn(usize) -> T + Sync + Send,
) -> Vec<T> {
    if work < PAR_MIN_WORK {
        (0..n).map(f).collect()
    } else {
        (0..n).into_par_iter().map(f).collect()
    }
}

/// As [`map_range`], with per-thread scratch state made by `init`.
pub(crate) fn map_range_init<T: Send, S>(
    n: usize,
    work: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize) -> T + Sync + Send,
) -> Vec<T> {
    if work < PAR_MIN_WORK {
        let mut s = init();
        (0..n).map(|i| f(&mut s, i)).collect()
    } else {
        (0..n).into_par_iter().map_init(init, f).collect()
    }
}

/// Calls `f` on every index of `0..n` (with scratch state), in parallel when `work` is large.
pub(crate) fn for_each_init<S>(
    n: usize,
    work: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize) + Sync + Send,
) {
    if work < PAR_MIN_WORK {
        let mut s = init();
        (0..n).for_each(|i| f(&mut s, i));
    } else {
        (0..n).into_par_iter().for_each_init(init, f);
    }
}

/// Sorts, in parallel when the slice is long.
pub(crate) fn sort_by_key<T: Send, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K + Sync + Send) {
    if v.len() < PAR_MIN_WORK {
        v.sort_unstable_by_key(key);
    } else {
        v.par_sort_unstable_by_key(key);
    }
}
