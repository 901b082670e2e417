//! Mergeable, order-independent aggregates.
//!
//! Floating-point sums depend on the order of the terms, and a parallel or sharded run adds in an
//! order that depends on the thread count and the shard split. [`ExactSum`] accumulates in fixed
//! point (`i128`, 2⁻⁴⁸ resolution) instead: integer addition is associative, so any split of the
//! same negotiations gives bit-identical aggregates.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::result::EndReason;

const SCALE: f64 = (1u64 << 48) as f64;

/// An order-independent sum of `f64` values, each rounded to a multiple of 2⁻⁴⁸ (about 3.6e-15).
/// Values beyond ±6e23 saturate. Serialised as a decimal string of the fixed-point integer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ExactSum(i128);

impl ExactSum {
    /// Adds `x` (NaN counts as 0).
    pub fn add(&mut self, x: f64) {
        // `as` saturates and maps NaN to 0.
        self.0 = self.0.saturating_add((x * SCALE).round() as i128);
    }

    /// Adds another sum; `None` when the total would not fit (only a tampered or corrupt sum gets
    /// there: real sums stay far below the limit).
    pub fn checked_merge(self, other: ExactSum) -> Option<ExactSum> {
        self.0.checked_add(other.0).map(ExactSum)
    }

    /// The sum as a float.
    pub fn value(&self) -> f64 {
        self.0 as f64 / SCALE
    }
}

impl Serialize for ExactSum {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for ExactSum {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ExactSum;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal integer string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ExactSum, E> {
                v.parse::<i128>().map(ExactSum).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// Aggregates over a set of negotiations (for one agent: over the seats it played).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Negotiations (seats) counted.
    pub negotiations: u64,
    /// Of which ended in agreement.
    pub agreements: u64,
    /// Of which some party walked away.
    pub walkaways: u64,
    /// Sum of the rounds at which they ended.
    pub rounds: u64,
    /// Sum of the utilities obtained (per seat; for the overall stats, the mean over parties).
    pub utility: ExactSum,
    /// Sum of the utilities obtained in agreements only.
    pub agreed_utility: ExactSum,
    /// Sum of the welfare (sum of all parties' utilities).
    pub welfare: ExactSum,
    /// Sum of the distances to the Pareto frontier, and how many there were.
    pub pareto_distance: ExactSum,
    /// Negotiations with a Pareto distance.
    pub pareto_count: u64,
    /// Sum of the distances to the Nash point.
    pub nash_distance: ExactSum,
    /// Negotiations with a Nash distance.
    pub nash_count: u64,
    /// Agreements that break some party's red lines.
    #[serde(default)]
    pub breaches: u64,
}

impl Stats {
    /// Counts one negotiation in which the counted party obtained `utility`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add(
        &mut self,
        agreed: bool,
        end: EndReason,
        round: u32,
        utility: f64,
        welfare: f64,
        pareto: Option<f64>,
        nash: Option<f64>,
        breach: bool,
    ) {
        self.negotiations += 1;
        self.breaches += u64::from(breach);
        self.rounds += u64::from(round);
        if agreed {
            self.agreements += 1;
            self.agreed_utility.add(utility);
        }
        if matches!(end, EndReason::Ended { .. }) {
            self.walkaways += 1;
        }
        self.utility.add(utility);
        self.welfare.add(welfare);
        if let Some(d) = pareto {
            self.pareto_distance.add(d);
            self.pareto_count += 1;
        }
        if let Some(d) = nash {
            self.nash_distance.add(d);
            self.nash_count += 1;
        }
    }

    /// The sum of two sets of aggregates; `None` when a counter or a sum would overflow (which
    /// only a tampered or corrupt input can make happen), never a wrapped or saturated total.
    pub fn checked_merge(&self, o: &Stats) -> Option<Stats> {
        Some(Stats {
            negotiations: self.negotiations.checked_add(o.negotiations)?,
            agreements: self.agreements.checked_add(o.agreements)?,
            walkaways: self.walkaways.checked_add(o.walkaways)?,
            rounds: self.rounds.checked_add(o.rounds)?,
            utility: self.utility.checked_merge(o.utility)?,
            agreed_utility: self.agreed_utility.checked_merge(o.agreed_utility)?,
            welfare: self.welfare.checked_merge(o.welfare)?,
            pareto_distance: self.pareto_distance.checked_merge(o.pareto_distance)?,
            pareto_count: self.pareto_count.checked_add(o.pareto_count)?,
            nash_distance: self.nash_distance.checked_merge(o.nash_distance)?,
            nash_count: self.nash_count.checked_add(o.nash_count)?,
            breaches: self.breaches.checked_add(o.breaches)?,
        })
    }

    /// Means and rates.
    pub fn summary(&self, name: &str) -> Summary {
        let mean = |s: ExactSum, n: u64| (n > 0).then(|| s.value() / n as f64);
        let n = self.negotiations;
        Summary {
            name: name.to_string(),
            negotiations: n,
            agreements: self.agreements,
            agreement_rate: if n > 0 {
                self.agreements as f64 / n as f64
            } else {
                0.0
            },
            walkaways: self.walkaways,
            mean_utility: mean(self.utility, n),
            mean_agreed_utility: mean(self.agreed_utility, self.agreements),
            mean_welfare: mean(self.welfare, n),
            mean_rounds: (n > 0).then(|| self.rounds as f64 / n as f64),
            mean_pareto_distance: mean(self.pareto_distance, self.pareto_count),
            mean_nash_distance: mean(self.nash_distance, self.nash_count),
            red_line_breaches: self.breaches,
        }
    }
}

/// Readable aggregates for one agent (or overall): the rows of a summary table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The agent name (or `"all"`).
    pub name: String,
    /// Negotiations (seats) counted.
    pub negotiations: u64,
    /// Of which agreed.
    pub agreements: u64,
    /// `agreements / negotiations`.
    pub agreement_rate: f64,
    /// Of which some party walked away.
    pub walkaways: u64,
    /// Mean utility obtained (reservation value when no agreement).
    pub mean_utility: Option<f64>,
    /// Mean utility over agreements only.
    pub mean_agreed_utility: Option<f64>,
    /// Mean welfare of the negotiations.
    pub mean_welfare: Option<f64>,
    /// Mean round at which they ended.
    pub mean_rounds: Option<f64>,
    /// Mean distance to the Pareto frontier.
    pub mean_pareto_distance: Option<f64>,
    /// Mean distance to the Nash point.
    pub mean_nash_distance: Option<f64>,
    /// Agreements that break some party's red lines.
    #[serde(default)]
    pub red_line_breaches: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_overflowing_counters_fails_instead_of_wrapping() {
        let a = Stats {
            negotiations: 3,
            rounds: u64::MAX,
            ..Stats::default()
        };
        let b = Stats {
            negotiations: 1,
            rounds: 1,
            ..Stats::default()
        };
        assert_eq!(a.checked_merge(&b), None);
        let c = Stats {
            agreements: u64::MAX,
            ..Stats::default()
        };
        assert_eq!(c.checked_merge(&Stats { agreements: 1, ..b }), None);
        let sum = b.checked_merge(&b).unwrap();
        assert_eq!((sum.negotiations, sum.rounds), (2, 2));
    }

    #[test]
    fn exact_sum_is_order_independent() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1013) as f64 / 997.0)
            .collect();
        let mut a = ExactSum::default();
        xs.iter().for_each(|&x| a.add(x));
        let mut b = ExactSum::default();
        xs.iter().rev().for_each(|&x| b.add(x));
        let (mut c, mut d) = (ExactSum::default(), ExactSum::default());
        xs.iter().step_by(2).for_each(|&x| c.add(x));
        xs.iter().skip(1).step_by(2).for_each(|&x| d.add(x));
        let c = c.checked_merge(d).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        let float: f64 = xs.iter().sum();
        assert!((a.value() - float).abs() < 1e-9);
        let mut max = ExactSum::default();
        max.add(1e30);
        assert_eq!(max.checked_merge(max), None, "no silent saturation");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<ExactSum>(&json).unwrap(), a);
    }
}
