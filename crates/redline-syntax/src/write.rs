//! Writes a [`Scenario`] back to scenario TOML, so that importers can emit files users edit and
//! so that `load(to_toml(s)) == s` can be checked.

use std::fmt::Write;

use redline_model::*;

/// A TOML string. Control characters are escaped by `toml`; the bidi embedding, override and
/// isolate characters are legal raw but reorder what a reader sees in a terminal or editor, so a
/// string holding one is written as a basic string with `\uXXXX` escapes.
fn q(s: &str) -> String {
    let bidi = |c: char| {
        matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
    };
    if !s.chars().any(bidi) {
        return toml::Value::String(s.to_string()).to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || bidi(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        q(s)
    }
}

/// A TOML float that reloads as exactly `x`: Rust's shortest round-trip form, which uses an
/// exponent for large and small magnitudes (`1e300`, not 301 digits that reload as an
/// out-of-range integer), with `.0` added to whole numbers so they stay floats.
fn num(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    let s = format!("{x:?}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        s + ".0"
    }
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format!("[{}]", items.join(", "))
}

fn multiline_list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let mut s = String::from("[\n");
    for i in items {
        let _ = writeln!(s, "  {i},");
    }
    s.push(']');
    s
}

/// Serialises a scenario to TOML in the redline scenario format.
pub fn to_toml(sc: &Scenario) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "[scenario]\nid = {}\nname = {}", q(&sc.id), q(&sc.name));
    if !sc.description.is_empty() {
        let _ = writeln!(w, "description = {}", q(&sc.description));
    }
    if let Some(s) = &sc.source {
        let _ = writeln!(w, "source = {}", q(s));
    }
    for a in &sc.actors {
        let role = match a.role {
            Role::Party => "party",
            Role::Mediator => "mediator",
        };
        let _ = writeln!(
            w,
            "\n[[actors]]\nid = {}\nname = {}\nrole = {}",
            q(&a.id),
            q(&a.name),
            q(role)
        );
        if let Some(d) = &a.description {
            let _ = writeln!(w, "description = {}", q(d));
        }
    }
    for o in &sc.options {
        let dir = match o.direction {
            Direction::Both => "both",
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        };
        let _ = writeln!(
            w,
            "\n[[options]]\nid = {}\nowner = {}\nname = {}\ndirection = {}",
            q(&o.local_id),
            q(&sc.actors[o.owner].id),
            q(&o.name),
            q(dir)
        );
        if let Some(d) = &o.description {
            let _ = writeln!(w, "description = {}", q(d));
        }
    }
    for i in &sc.issues {
        let _ = writeln!(w, "\n[[issues]]\nid = {}\nname = {}", q(&i.id), q(&i.name));
        match &i.domain {
            IssueDomain::Labels { values, ordered } => {
                let _ = writeln!(
                    w,
                    "type = {}",
                    q(if *ordered { "ordered" } else { "labels" })
                );
                let _ = writeln!(w, "values = {}", list(values.iter().map(|v| q(v))));
            }
            IssueDomain::Integer { min, max } => {
                let _ = writeln!(w, "type = \"integer\"\nmin = {min}\nmax = {max}");
            }
            IssueDomain::Real { min, max, step } => {
                let _ = writeln!(
                    w,
                    "type = \"real\"\nmin = {}\nmax = {}\nstep = {}",
                    num(*min),
                    num(*max),
                    num(*step)
                );
            }
        }
        if let Some(sq) = i.status_quo {
            let v = match &i.domain {
                IssueDomain::Labels { values, .. } => q(&values[sq]),
                IssueDomain::Integer { .. } => format!("{}", i.domain.number(sq) as i64),
                IssueDomain::Real { .. } => num(i.domain.number(sq)),
            };
            let _ = writeln!(w, "status_quo = {v}");
        }
        if let Some(d) = &i.description {
            let _ = writeln!(w, "description = {}", q(d));
        }
    }
    if let Some(st) = &sc.stability {
        let _ = writeln!(w, "\n[stability]");
        if let Some(sq) = &st.status_quo {
            let _ = writeln!(
                w,
                "status_quo = {}",
                list(sq.iter().map(|&o| q(&sc.options[o].id)))
            );
        }
        if !st.infeasible.is_empty() {
            let items: Vec<String> = st
                .infeasible
                .iter()
                .map(|e| q(&sc.display_expr(e)))
                .collect();
            let _ = writeln!(w, "infeasible = {}", multiline_list(&items));
        }
        if !st.require.is_empty() {
            let items: Vec<String> = st.require.iter().map(|e| q(&sc.display_expr(e))).collect();
            let _ = writeln!(w, "require = {}", multiline_list(&items));
        }
        if !st.coalitions.is_empty() {
            let cs = st
                .coalitions
                .iter()
                .map(|c| list(c.iter().map(|&a| q(&sc.actors[a].id))));
            let _ = writeln!(w, "coalitions = {}", list(cs));
        }
        for p in &st.preferences {
            let _ = writeln!(
                w,
                "\n[stability.preferences.{}]",
                key(&sc.actors[p.actor].id)
            );
            match &p.preference {
                Preference::Statements(stmts) => {
                    let items: Vec<String> = stmts.iter().map(|s| q(&s.text)).collect();
                    let _ = writeln!(w, "statements = {}", multiline_list(&items));
                }
                Preference::Ranking(groups) => {
                    let items: Vec<String> = groups
                        .iter()
                        .map(|g| list(g.iter().map(|p| q(&p.to_string()))))
                        .collect();
                    let _ = writeln!(w, "ranking = {}", multiline_list(&items));
                }
            }
        }
        let with_mis: Vec<_> = st
            .preferences
            .iter()
            .filter(|p| !p.misperceptions.is_empty())
            .collect();
        if !with_mis.is_empty() {
            let _ = writeln!(w, "\n[stability.misperceptions]");
            for p in with_mis {
                let items: Vec<String> = p
                    .misperceptions
                    .iter()
                    .map(|e| q(&sc.display_expr(e)))
                    .collect();
                let _ = writeln!(w, "{} = {}", key(&sc.actors[p.actor].id), list(items));
            }
        }
    }
    for u in &sc.utilities {
        let actor = key(&sc.actors[u.actor].id);
        let _ = writeln!(w, "\n[utilities.{actor}]");
        // Only a given reservation is written; the others are derived again on loading.
        if u.reservation_source == ReservationSource::Given {
            let _ = writeln!(w, "reservation = {}", num(u.reservation));
        }
        if let Some(r) = &u.reservation_reason {
            let _ = writeln!(w, "reservation_reason = {}", q(r));
        }
        if let Some(d) = u.discount {
            let _ = writeln!(w, "discount = {}", num(d));
        }
        if !u.constraints.is_empty() {
            let items: Vec<String> = u
                .constraints
                .iter()
                .map(|c| format!("{{ when = {}, value = {} }}", q(&c.text), num(c.value)))
                .collect();
            let _ = writeln!(w, "terms = {}", multiline_list(&items));
        }
        let _ = writeln!(w, "\n[utilities.{actor}.weights]");
        for t in &u.terms {
            let _ = writeln!(w, "{} = {}", key(&sc.issues[t.issue].id), num(t.weight));
        }
        let _ = writeln!(w, "\n[utilities.{actor}.evaluations]");
        for t in &u.terms {
            let issue = &sc.issues[t.issue];
            let v = match (&t.evaluator, &issue.domain) {
                (Evaluator::Table(xs), IssueDomain::Labels { values, .. }) => {
                    let pairs: Vec<String> = values
                        .iter()
                        .zip(xs)
                        .map(|(l, x)| format!("{} = {}", key(l), num(*x)))
                        .collect();
                    format!("{{ {} }}", pairs.join(", "))
                }
                (Evaluator::Table(xs), _) => list(xs.iter().map(|x| num(*x))),
                (Evaluator::Linear { slope, offset }, _) => {
                    format!("{{ slope = {}, offset = {} }}", num(*slope), num(*offset))
                }
            };
            let _ = writeln!(w, "{} = {v}", key(&issue.id));
        }
    }
    for r in &sc.red_lines {
        let kind = match r.kind {
            RedLineKind::RedLine => "red_line",
            RedLineKind::Precondition => "precondition",
        };
        let _ = writeln!(
            w,
            "\n[[red_lines]]\nid = {}\nowner = {}\nkind = {}\nrequire = {}",
            q(&r.id),
            q(&sc.actors[r.owner].id),
            q(kind),
            q(&r.text)
        );
        if let Some(d) = &r.description {
            let _ = writeln!(w, "description = {}", q(d));
        }
        if r.private {
            let _ = writeln!(w, "private = true");
        }
        if r.applies == Applies::Final {
            let _ = writeln!(w, "applies = \"final\"");
        }
    }
    for l in &sc.linkages {
        let _ = writeln!(
            w,
            "\n[[linkages]]\nid = {}\nrequire = {}",
            q(&l.id),
            q(&l.text)
        );
        if let Some(d) = &l.description {
            let _ = writeln!(w, "description = {}", q(d));
        }
    }
    for s in &sc.sequencing {
        let _ = writeln!(
            w,
            "\n[[sequencing]]\nid = {}\nfirst = {}\nthen = {}\nstrict = {}",
            q(&s.id),
            q(&sc.issues[s.first].id),
            q(&sc.issues[s.then].id),
            s.strict
        );
        if let Some(d) = &s.description {
            let _ = writeln!(w, "description = {}", q(d));
        }
    }
    if let Some(fc) = &sc.forecast {
        for d in &fc.dimensions {
            let _ = writeln!(
                w,
                "\n[forecast.dimensions.{}]\nname = {}",
                key(&d.id),
                q(&d.name)
            );
            for (k, v) in [
                ("description", &d.description),
                ("low", &d.low),
                ("high", &d.high),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(w, "{k} = {}", q(v));
                }
            }
            let _ = writeln!(w, "\n[forecast.dimensions.{}.positions]", key(&d.id));
            for p in &d.positions {
                let _ = writeln!(
                    w,
                    "{} = {{ position = {}, capability = {}, salience = {} }}",
                    key(&sc.actors[p.actor].id),
                    num(p.position),
                    num(p.capability),
                    num(p.salience)
                );
            }
        }
    }
    for u in &sc.uncertainty {
        let _ = writeln!(w, "\n[[uncertainty]]\ntarget = {}", q(&u.path));
        match &u.distribution {
            Distribution::Uniform { low, high } => {
                let _ = writeln!(w, "uniform = [{}, {}]", num(*low), num(*high));
            }
            Distribution::Normal { mean, sd } => {
                let _ = writeln!(w, "normal = {{ mean = {}, sd = {} }}", num(*mean), num(*sd));
            }
            Distribution::Triangular { low, mode, high } => {
                let _ = writeln!(
                    w,
                    "triangular = [{}, {}, {}]",
                    num(*low),
                    num(*mode),
                    num(*high)
                );
            }
            Distribution::Choice { values, weights } => {
                let _ = writeln!(
                    w,
                    "choice = {}\nweights = {}",
                    list(values.iter().map(|x| num(*x))),
                    list(weights.iter().map(|x| num(*x)))
                );
            }
            Distribution::Alternatives {
                preferences,
                weights,
            } => {
                let alts: Vec<String> = preferences
                    .iter()
                    .map(|p| match p {
                        Preference::Statements(s) => list(s.iter().map(|s| q(&s.text))),
                        Preference::Ranking(_) => "[]".into(),
                    })
                    .collect();
                let _ = writeln!(
                    w,
                    "alternatives = {}\nweights = {}",
                    multiline_list(&alts),
                    list(weights.iter().map(|x| num(*x)))
                );
            }
        }
    }
    if let Some(b) = &sc.breakdown {
        let _ = writeln!(
            w,
            "\n[breakdown]\nid = {}\ntext = {}\nper_round = {}",
            q(&b.id),
            q(&b.text),
            num(b.per_round)
        );
        if let Some(d) = &b.description {
            let _ = writeln!(w, "description = {}", q(d));
        }
        let _ = writeln!(w, "\n[breakdown.utilities]");
        for (a, u) in &b.utilities {
            let _ = writeln!(w, "{} = {}", key(&sc.actors[*a].id), num(*u));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{num, q};

    #[test]
    fn bidi_controls_are_written_escaped() {
        for name in ["a\u{202E}b", "x\"\\\n\u{1b}\u{2066}y"] {
            let written = q(name);
            assert!(
                written.is_ascii() || !written.contains('\u{202E}'),
                "{written}"
            );
            let back: toml::Value = toml::from_str(&format!("k = {written}")).unwrap();
            assert_eq!(back["k"].as_str(), Some(name));
        }
    }

    #[test]
    fn every_float_reloads_as_itself() {
        let xs = [
            0.0,
            -0.0,
            1.0,
            -2.5,
            0.1,
            1e15,
            1e16,
            1e20,
            1e300,
            -1e300,
            5e-324,
            1e-7,
            123456.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.30000000000000004,
        ];
        for x in xs {
            let text = format!("x = {}", num(x));
            let t: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let back = t["x"]
                .as_float()
                .unwrap_or_else(|| panic!("{text} is not a float"));
            assert_eq!(back.to_bits(), x.to_bits(), "{text}");
        }
    }
}
