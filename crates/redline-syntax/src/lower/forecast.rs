//! Forecast inputs (positions on dimensions) and uncertain inputs for the robustness lens.

use super::*;

impl Lowerer<'_> {
    pub(super) fn forecast(&mut self, mut t: Table<'_, '_>) {
        let mut fc = Forecast::default();
        if let Some(dt) = t.table(&mut self.cx, "dimensions") {
            for (k, v) in dt.map.iter() {
                let id = k.get_ref().to_string();
                if !self.check_id("dimension", &id, &k.span()) {
                    continue;
                }
                let Some(mut d) = as_table(&mut self.cx, &format!("dimension `{id}`"), v) else {
                    continue;
                };
                d.what = format!("[forecast.dimensions.{id}]");
                let name = d
                    .str(&mut self.cx, "name")
                    .map_or_else(|| id.clone(), |x| x.0);
                let description = d.str(&mut self.cx, "description").map(|x| x.0);
                let low = d.str(&mut self.cx, "low").map(|x| x.0);
                let high = d.str(&mut self.cx, "high").map(|x| x.0);
                let mut positions = Vec::new();
                if let Some(pt) = d.table(&mut self.cx, "positions") {
                    for (ak, av) in pt.map.iter() {
                        let Some(actor) = self.actor_ref(ak.get_ref(), &ak.span()) else {
                            continue;
                        };
                        let Some(mut p) = as_table(
                            &mut self.cx,
                            &format!("the position of `{}`", ak.get_ref()),
                            av,
                        ) else {
                            continue;
                        };
                        let mut get = |me: &mut Self, key: &'static str| -> Option<f64> {
                            let (x, s) = p.req_num(&mut me.cx, key)?;
                            if !(0.0..=100.0).contains(&x) {
                                me.err(
                                    code::OUT_OF_RANGE,
                                    s,
                                    format!("{key} {x} is outside [0, 100]"),
                                );
                                return None;
                            }
                            Some(x)
                        };
                        let position = get(self, "position");
                        let capability = get(self, "capability");
                        let salience = get(self, "salience");
                        p.finish(&mut self.cx);
                        if let (Some(position), Some(capability), Some(salience)) =
                            (position, capability, salience)
                        {
                            positions.push(Position {
                                actor,
                                position,
                                capability,
                                salience,
                            });
                        }
                    }
                }
                d.finish(&mut self.cx);
                self.map.add(format!("forecast.dimensions.{id}"), k.span());
                fc.dimensions.push(Dimension {
                    id,
                    name,
                    description,
                    low,
                    high,
                    positions,
                });
            }
        }
        t.finish(&mut self.cx);
        self.sc.forecast = Some(fc);
    }

    pub(super) fn uncertainty(&mut self, v: Option<&Value<'_>>) {
        let tables = self.array_of_tables(v, "uncertainty");
        for mut t in tables {
            let target = t.req_str(&mut self.cx, "target");
            let uniform = t.get("uniform");
            let normal = t.get("normal");
            let triangular = t.get("triangular");
            let choice = t.get("choice");
            let alternatives = t.get("alternatives");
            let weights = t.get("weights");
            let given: Vec<(&str, &Value<'_>)> = [
                ("uniform", uniform),
                ("normal", normal),
                ("triangular", triangular),
                ("choice", choice),
                ("alternatives", alternatives),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
            let anchor = t.anchor();
            t.finish(&mut self.cx);
            let Some((path, pspan)) = target else {
                continue;
            };
            let target = self.target(&path, &pspan);
            if given.len() != 1 {
                self.cx.push(
                    Diagnostic::error(code::MISSING_KEY, Some(if given.is_empty() { anchor } else { given[1].1.span() }), "give exactly one distribution")
                        .with_hint("uniform = [low, high], normal = { mean, sd }, triangular = [low, mode, high], choice = [values...] or alternatives = [[statements...], ...]"),
                );
                continue;
            }
            let Some(target) = target else { continue };
            let (kind, dv) = given[0];
            let is_pref = matches!(target, Target::Preferences { .. });
            if is_pref != (kind == "alternatives") {
                self.err(
                    code::BAD_TARGET,
                    dv.span(),
                    if is_pref {
                        "preferences take `alternatives = [[statements...], ...]`"
                    } else {
                        "`alternatives` applies only to stability.preferences.<actor>"
                    },
                );
                continue;
            }
            let ws = weights.and_then(|w| self.num_list(w, "weights"));
            let weights_span = weights.map(|w| w.span());
            let dist = match kind {
                "uniform" => self
                    .num_list(dv, "uniform")
                    .and_then(|xs| match xs.as_slice() {
                        [lo, hi] if lo <= hi => Some(Distribution::Uniform {
                            low: *lo,
                            high: *hi,
                        }),
                        _ => {
                            self.err(
                                code::BAD_VALUE,
                                dv.span(),
                                "uniform takes [low, high] with low ≤ high",
                            );
                            None
                        }
                    }),
                "triangular" => {
                    self.num_list(dv, "triangular")
                        .and_then(|xs| match xs.as_slice() {
                            [lo, mode, hi] if lo <= mode && mode <= hi => {
                                Some(Distribution::Triangular {
                                    low: *lo,
                                    mode: *mode,
                                    high: *hi,
                                })
                            }
                            _ => {
                                self.err(
                                    code::BAD_VALUE,
                                    dv.span(),
                                    "triangular takes [low, mode, high] with low ≤ mode ≤ high",
                                );
                                None
                            }
                        })
                }
                "normal" => as_table(&mut self.cx, "normal", dv).and_then(|mut nt| {
                    let mean = nt.req_num(&mut self.cx, "mean");
                    let sd = nt.req_num(&mut self.cx, "sd");
                    nt.finish(&mut self.cx);
                    let ((mean, _), (sd, sspan)) = (mean?, sd?);
                    if sd < 0.0 {
                        self.err(code::OUT_OF_RANGE, sspan, "sd must be non-negative");
                        return None;
                    }
                    Some(Distribution::Normal { mean, sd })
                }),
                "choice" => self.num_list(dv, "choice").and_then(|values| {
                    let weights = ws.clone().unwrap_or_else(|| vec![1.0; values.len()]);
                    if weights.len() != values.len() || values.is_empty() || !valid_weights(&weights)
                    {
                        self.err(
                            code::BAD_VALUE,
                            weights_span.clone().unwrap_or_else(|| dv.span()),
                            "choice needs at least one value and one non-negative weight per value, not all zero",
                        );
                        return None;
                    }
                    Some(Distribution::Choice { values, weights })
                }),
                _ => {
                    let Some(arr) = crate::walk::as_array(&mut self.cx, "alternatives", dv) else {
                        continue;
                    };
                    let mut prefs = Vec::new();
                    for (i, alt) in arr.iter().enumerate() {
                        let Some(stmts) =
                            crate::walk::as_array(&mut self.cx, &format!("alternatives[{i}]"), alt)
                        else {
                            continue;
                        };
                        self.check_statement_count(Some(alt), &format!("alternatives[{i}]"));
                        let list: Vec<Statement> = stmts
                            .iter()
                            .enumerate()
                            .filter_map(|(j, s)| {
                                self.expr(
                                    s,
                                    &format!("alternatives[{i}][{j}]"),
                                    ExprContext::Options,
                                )
                            })
                            .map(|(expr, text)| Statement { expr, text })
                            .collect();
                        prefs.push(Preference::Statements(list));
                    }
                    let weights = ws.clone().unwrap_or_else(|| vec![1.0; prefs.len()]);
                    if weights.len() != prefs.len() || prefs.is_empty() || !valid_weights(&weights) {
                        self.err(
                            code::BAD_VALUE,
                            weights_span.clone().unwrap_or_else(|| dv.span()),
                            "alternatives need at least one entry and one non-negative weight per entry, not all zero",
                        );
                        continue;
                    }
                    Some(Distribution::Alternatives {
                        preferences: prefs,
                        weights,
                    })
                }
            };
            if let Some(distribution) = dist {
                self.sc.uncertainty.push(Uncertainty {
                    path,
                    target,
                    distribution,
                });
            }
        }
    }

    pub(super) fn num_list(&mut self, v: &Value<'_>, what: &str) -> Option<Vec<f64>> {
        let arr = crate::walk::as_array(&mut self.cx, what, v)?;
        let xs: Vec<Option<f64>> = arr
            .iter()
            .map(|x| as_num(&mut self.cx, what, x).map(|x| x.0))
            .collect();
        xs.into_iter().collect()
    }

    pub(super) fn target(&mut self, path: &str, span: &Span) -> Option<Target> {
        let parts: Vec<&str> = path.split('.').collect();
        let inner = |me: &Self, s: &str| -> Span {
            let off = path.find(s).unwrap_or(0);
            match string_content_offset(me.src, span, path) {
                Some(b) => b + off..b + off + s.len(),
                None => span.clone(),
            }
        };
        let bad = |me: &mut Self| {
            me.cx.push(
                Diagnostic::error(code::BAD_TARGET, Some(span.clone()), format!("`{path}` is not an uncertain input"))
                    .with_hint("targets: utilities.<actor>.reservation | utilities.<actor>.discount | utilities.<actor>.weights.<issue> | forecast.<dimension>.<actor>.position|capability|salience | stability.preferences.<actor>"),
            );
        };
        let actor = |me: &mut Self, id: &str| {
            let s = inner(me, id);
            me.actor_ref(id, &s)
        };
        match parts.as_slice() {
            ["utilities", a, "reservation"] => {
                let actor = actor(self, a)?;
                self.require_utility(actor, span)?;
                Some(Target::Reservation { actor })
            }
            ["utilities", a, "discount"] => {
                let actor = actor(self, a)?;
                self.require_utility(actor, span)?;
                Some(Target::Discount { actor })
            }
            ["utilities", a, "weights", i] => {
                let actor = actor(self, a)?;
                let s = inner(self, i);
                let issue = self.issue_ref(i, &s)?;
                self.require_utility(actor, span)?;
                Some(Target::Weight { actor, issue })
            }
            [
                "forecast",
                d,
                a,
                field @ ("position" | "capability" | "salience"),
            ] => {
                let actor = actor(self, a)?;
                let dims = self
                    .sc
                    .forecast
                    .as_ref()
                    .map(|f| {
                        f.dimensions
                            .iter()
                            .map(|d| d.id.clone())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                let Some(dimension) = dims.iter().position(|x| x == d) else {
                    let s = inner(self, d);
                    let mut diag = Diagnostic::error(
                        code::BAD_TARGET,
                        Some(s),
                        format!("unknown forecast dimension `{d}`"),
                    );
                    if let Some(m) = did_you_mean(d, dims.iter().map(String::as_str)) {
                        diag = diag.with_hint(format!("did you mean `{m}`?"));
                    }
                    self.cx.push(diag);
                    return None;
                };
                Some(match *field {
                    "position" => Target::Position { dimension, actor },
                    "capability" => Target::Capability { dimension, actor },
                    _ => Target::Salience { dimension, actor },
                })
            }
            ["stability", "preferences", a] => {
                let actor = actor(self, a)?;
                let dm = self
                    .sc
                    .stability
                    .as_ref()
                    .and_then(|s| s.preferences.iter().position(|p| p.actor == actor));
                match dm {
                    Some(dm) => Some(Target::Preferences { dm }),
                    None => {
                        self.err(
                            code::BAD_TARGET,
                            span.clone(),
                            format!("`{a}` has no stability preferences to vary"),
                        );
                        None
                    }
                }
            }
            _ => {
                bad(self);
                None
            }
        }
    }

    pub(super) fn require_utility(&mut self, actor: usize, span: &Span) -> Option<()> {
        if self.sc.utility_of(actor).is_some() {
            return Some(());
        }
        self.err(
            code::BAD_TARGET,
            span.clone(),
            format!(
                "`{}` has no [utilities.{}] table",
                self.sc.actors[actor].id, self.sc.actors[actor].id
            ),
        );
        None
    }
}

/// Sampling weights: each finite and non-negative, and not all zero.
fn valid_weights(ws: &[f64]) -> bool {
    ws.iter().all(|w| w.is_finite() && *w >= 0.0) && ws.iter().any(|w| *w > 0.0)
}
