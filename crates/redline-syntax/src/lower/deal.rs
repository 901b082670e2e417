//! The deal view: issues and their domains, utilities, red lines, linkages and sequencing rules.

use super::*;

impl Lowerer<'_> {
    pub(super) fn issues(&mut self, v: Option<&Value<'_>>) {
        let tables = self.array_of_tables(v, "issues");
        let mut seen: HashMap<String, Span> = HashMap::new();
        for mut t in tables {
            let id = t.req_str(&mut self.cx, "id");
            let name = t.str(&mut self.cx, "name").map(|x| x.0);
            let ty = t.str(&mut self.cx, "type");
            let description = t.str(&mut self.cx, "description").map(|x| x.0);
            let status_quo = t.get("status_quo");
            let domain = self.issue_domain(&mut t, ty);
            t.finish(&mut self.cx);
            let (Some((id, span)), Some(domain)) = (id.clone(), domain) else {
                if let Some((id, _)) = id {
                    self.failed_issues.insert(id);
                }
                continue;
            };
            if !self.check_id("issue", &id, &span) {
                continue;
            }
            if !self.first_declaration(&mut seen, &id, &span, |id| {
                format!("duplicate issue id `{id}`")
            }) {
                continue;
            }
            let sq = status_quo.and_then(|v| self.value_of(&id, &domain, v));
            self.map.add(format!("issues.{id}"), span);
            self.sc.issues.push(Issue {
                name: name.unwrap_or_else(|| id.clone()),
                id,
                domain,
                status_quo: sq,
                description,
            });
        }
    }

    /// Resolves a TOML value (label string or number) to a value index of an issue domain.
    pub(super) fn value_of(
        &mut self,
        issue: &str,
        domain: &IssueDomain,
        v: &Value<'_>,
    ) -> Option<usize> {
        let lit = match (domain, v.get_ref()) {
            (IssueDomain::Labels { values, .. }, DeValue::String(s)) => {
                match values.iter().position(|x| x == s.as_ref()) {
                    Some(i) => Literal::Label(i),
                    None => {
                        self.unknown_value(issue, domain, s, &v.span());
                        return None;
                    }
                }
            }
            (IssueDomain::Labels { .. }, _) => {
                crate::walk::wrong_type(
                    &mut self.cx,
                    &format!("a value of issue `{issue}`"),
                    "a label string",
                    v,
                );
                return None;
            }
            (_, DeValue::Integer(_) | DeValue::Float(_)) => {
                Literal::Number(as_num(&mut self.cx, "a value", v)?.0)
            }
            _ => {
                crate::walk::wrong_type(
                    &mut self.cx,
                    &format!("a value of issue `{issue}`"),
                    "a number",
                    v,
                );
                return None;
            }
        };
        match domain.index_of(&lit) {
            Some(i) => Some(i),
            None => {
                let shown = match lit {
                    Literal::Number(x) => format_number(x),
                    Literal::Label(i) => domain.label(i),
                };
                self.cx.push(
                    Diagnostic::error(
                        code::UNKNOWN_VALUE,
                        Some(v.span()),
                        format!("issue `{issue}` has no value {shown}"),
                    )
                    .with_hint(format!(
                        "values run from {} to {}",
                        domain.label(0),
                        domain.label(domain.len() - 1)
                    )),
                );
                None
            }
        }
    }

    pub(super) fn unknown_value(
        &mut self,
        issue: &str,
        domain: &IssueDomain,
        value: &str,
        span: &Span,
    ) {
        let IssueDomain::Labels { values, .. } = domain else {
            return;
        };
        let mut d = Diagnostic::error(
            code::UNKNOWN_VALUE,
            Some(span.clone()),
            format!("issue `{issue}` has no value `{value}`"),
        );
        d = match did_you_mean(value, values.iter().map(String::as_str)) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None => d.with_hint(format!("values are: {}", values.join(", "))),
        };
        self.cx.push(d);
    }

    pub(super) fn issue_domain(
        &mut self,
        t: &mut Table<'_, '_>,
        ty: Option<(String, Span)>,
    ) -> Option<IssueDomain> {
        let ty_span = ty.as_ref().map_or(t.anchor(), |x| x.1.clone());
        let ty = ty.map_or_else(|| "labels".to_string(), |x| x.0);
        match ty.as_str() {
            "labels" | "ordered" => {
                let Some((arr, arr_span)) = t.array(&mut self.cx, "values") else {
                    if t.map.get("values").is_none() {
                        self.cx.push(
                            Diagnostic::error(
                                code::MISSING_KEY,
                                Some(t.anchor()),
                                format!("{} is missing `values`", t.what),
                            )
                            .with_hint("list the labels: values = [\"low\", \"high\"]"),
                        );
                    }
                    return None;
                };
                let mut values: Vec<String> = Vec::new();
                let mut ok = true;
                for (i, item) in arr.iter().enumerate() {
                    match as_str(&mut self.cx, &format!("values[{i}] in {}", t.what), item) {
                        Some((s, span)) => {
                            if values.contains(&s) {
                                self.err(
                                    code::DUPLICATE_ID,
                                    span,
                                    format!("duplicate value `{s}`"),
                                );
                                ok = false;
                            } else if s.is_empty() {
                                self.err(code::BAD_VALUE, span, "a value label cannot be empty");
                                ok = false;
                            } else {
                                values.push(s);
                            }
                        }
                        None => ok = false,
                    }
                }
                if values.is_empty() && ok {
                    self.err(
                        code::BAD_VALUE,
                        arr_span,
                        "an issue needs at least one value",
                    );
                    return None;
                }
                ok.then_some(IssueDomain::Labels {
                    values,
                    ordered: ty == "ordered",
                })
            }
            "integer" => {
                let min = t.int(&mut self.cx, "min");
                let max = t.int(&mut self.cx, "max");
                for key in ["min", "max"] {
                    if t.map.get(key).is_none() {
                        self.cx.push(Diagnostic::error(
                            code::MISSING_KEY,
                            Some(t.anchor()),
                            format!("{} is missing `{key}`", t.what),
                        ));
                    }
                }
                let ((min, _), (max, max_span)) = (min?, max?);
                if min > max {
                    self.err(
                        code::OUT_OF_RANGE,
                        max_span,
                        format!("max ({max}) is below min ({min})"),
                    );
                    return None;
                }
                if (max as i128 - min as i128) >= MAX_ISSUE_VALUES as i128 {
                    self.err(
                        code::TOO_LARGE,
                        max_span,
                        format!("an issue may have at most {MAX_ISSUE_VALUES} values"),
                    );
                    return None;
                }
                Some(IssueDomain::Integer { min, max })
            }
            "real" => {
                let min = t.req_num(&mut self.cx, "min");
                let max = t.req_num(&mut self.cx, "max");
                let step = t.req_num(&mut self.cx, "step");
                let ((min, _), (max, max_span), (step, step_span)) = (min?, max?, step?);
                if min > max {
                    self.err(
                        code::OUT_OF_RANGE,
                        max_span,
                        format!("max ({max}) is below min ({min})"),
                    );
                    return None;
                }
                if step <= 0.0 {
                    self.err(code::OUT_OF_RANGE, step_span, "step must be positive");
                    return None;
                }
                if (max - min) / step >= MAX_ISSUE_VALUES as f64 {
                    self.err(
                        code::TOO_LARGE,
                        step_span,
                        format!("this step gives more than {MAX_ISSUE_VALUES} values"),
                    );
                    return None;
                }
                Some(IssueDomain::Real { min, max, step })
            }
            other => {
                self.cx.push(
                    Diagnostic::error(
                        code::BAD_VALUE,
                        Some(ty_span),
                        format!("unknown issue type `{other}`"),
                    )
                    .with_hint("type is \"labels\", \"ordered\", \"integer\" or \"real\""),
                );
                None
            }
        }
    }

    pub(super) fn utilities(&mut self, t: Table<'_, '_>) {
        for (k, v) in t.map.iter() {
            let Some(actor) = self.actor_ref(k.get_ref(), &k.span()) else {
                continue;
            };
            let Some(mut ut) =
                as_table(&mut self.cx, &format!("utilities of `{}`", k.get_ref()), v)
            else {
                continue;
            };
            ut.what = format!("[utilities.{}]", k.get_ref());
            let reservation = match ut.num(&mut self.cx, "reservation") {
                Some((r, s)) if !(0.0..=1.0).contains(&r) => {
                    self.err(
                        code::OUT_OF_RANGE,
                        s,
                        format!("reservation {r} is outside [0, 1]"),
                    );
                    None
                }
                other => other,
            };
            let reservation_reason = ut.str(&mut self.cx, "reservation_reason").map(|x| x.0);
            let discount = match ut.num(&mut self.cx, "discount") {
                Some((d, s)) if !(d > 0.0 && d <= 1.0) => {
                    self.err(
                        code::OUT_OF_RANGE,
                        s,
                        format!("discount {d} must be in (0, 1]"),
                    );
                    None
                }
                other => other.map(|x| x.0),
            };
            let mut weights: Vec<(usize, f64, Span)> = Vec::new();
            let mut weighted: Vec<usize> = Vec::new();
            if let Some(wt) = ut.table(&mut self.cx, "weights") {
                for (ik, iv) in wt.map.iter() {
                    let Some(issue) = self.issue_ref(ik.get_ref(), &ik.span()) else {
                        continue;
                    };
                    weighted.push(issue);
                    let Some((w, s)) = as_num(
                        &mut self.cx,
                        &format!("the weight of `{}`", ik.get_ref()),
                        iv,
                    ) else {
                        continue;
                    };
                    if w < 0.0 {
                        self.cx.push(
                            Diagnostic::error(code::NEGATIVE_WEIGHT, Some(s), format!("negative weight {w} for issue `{}`", ik.get_ref()))
                                .with_hint("weights are non-negative; express dislike through the evaluations instead"),
                        );
                        continue;
                    }
                    weights.push((issue, w, ik.span()));
                }
            }
            let mut evals: HashMap<usize, Evaluator> = HashMap::new();
            // Issues whose evaluation is given, loaded or not: one that failed has its own
            // error, and is not reported again as missing.
            let mut given: Vec<usize> = Vec::new();
            if let Some(et) = ut.table(&mut self.cx, "evaluations") {
                for (ik, iv) in et.map.iter() {
                    let Some(issue) = self.issue_ref(ik.get_ref(), &ik.span()) else {
                        continue;
                    };
                    given.push(issue);
                    if let Some(e) = self.evaluator(issue, iv) {
                        evals.insert(issue, e);
                    }
                }
            }
            let mut constraints = Vec::new();
            if let Some((arr, _)) = ut.array(&mut self.cx, "terms") {
                for (i, item) in arr.iter().enumerate() {
                    let Some(mut tt) = as_table(
                        &mut self.cx,
                        &format!("terms[{i}] of `{}`", k.get_ref()),
                        item,
                    ) else {
                        continue;
                    };
                    let when = tt.get("when");
                    let value = tt.req_num(&mut self.cx, "value");
                    if when.is_none() {
                        self.cx.push(Diagnostic::error(
                            code::MISSING_KEY,
                            Some(tt.anchor()),
                            format!("{} is missing `when`", tt.what),
                        ));
                    }
                    let when = when.and_then(|w| {
                        self.expr(w, "`when` of a utility term", ExprContext::Issues)
                    });
                    tt.finish(&mut self.cx);
                    if let (Some((when, text)), Some((value, _))) = (when, value) {
                        constraints.push(ConstraintTerm { when, text, value });
                    }
                }
            }
            let evaluations_span = ut.key_span("evaluations").unwrap_or(k.span());
            ut.finish(&mut self.cx);
            let mut terms = Vec::new();
            for (issue, weight, span) in weights {
                match evals.remove(&issue) {
                    Some(evaluator) => terms.push(IssueTerm {
                        issue,
                        weight,
                        evaluator,
                    }),
                    None if given.contains(&issue) => {}
                    None => {
                        let id = self.sc.issues[issue].id.clone();
                        self.cx.push(
                            Diagnostic::error(
                                code::MISSING_KEY,
                                Some(span),
                                format!("issue `{id}` has a weight but no evaluation"),
                            )
                            .with_hint(format!(
                                "add `{id} = ...` under [utilities.{}.evaluations]",
                                k.get_ref()
                            )),
                        );
                    }
                }
            }
            for (issue, _) in evals.into_iter().filter(|(i, _)| !weighted.contains(i)) {
                let id = self.sc.issues[issue].id.clone();
                let span = evaluations_span.clone();
                self.cx.push(
                    Diagnostic::error(
                        code::MISSING_KEY,
                        Some(span),
                        format!("issue `{id}` has an evaluation but no weight"),
                    )
                    .with_hint(format!(
                        "add `{id} = ...` under [utilities.{}.weights]",
                        k.get_ref()
                    )),
                );
            }
            terms.sort_by_key(|t| t.issue);
            let sum: f64 = terms.iter().map(|t| t.weight).sum();
            // Published profiles carry rounding leftovers (GENIUS Laptop sums to 1.0000518): only
            // a sum clearly above 1 is worth a warning.
            if sum > 1.0 + 1e-3 {
                self.cx.push(
                    Diagnostic::warning(code::WEIGHTS_SUM, Some(k.span()), format!("weights of `{}` sum to {}; utilities above 1 are capped at 1", k.get_ref(), crate::diag::short_number(sum)))
                        .with_hint("GENIUS semantics use weights as written; make them sum to 1 unless the cap is intended"),
                );
            }
            if self.sc.utilities.iter().any(|u| u.actor == actor) {
                self.err(
                    code::DUPLICATE_ID,
                    k.span(),
                    "utilities given twice for this actor",
                );
                continue;
            }
            self.map.add(format!("utilities.{}", k.get_ref()), k.span());
            let mut u = Utility {
                actor,
                reservation: 0.0,
                reservation_source: ReservationSource::Zero,
                reservation_reason,
                discount,
                terms,
                constraints,
            };
            // One disagreement value per party: as given, else today's outcome.
            // (Not when an issue's declaration failed: today's outcome is then unknown.)
            let today: Option<Vec<usize>> = if self.failed_issues.is_empty() {
                self.sc.issues.iter().map(|i| i.status_quo).collect()
            } else {
                None
            };
            let today_u = today.map(|o| u.evaluate(&self.sc.issues, &o));
            match (reservation, today_u) {
                (Some((r, span)), today_u) => {
                    u.reservation = r;
                    u.reservation_source = ReservationSource::Given;
                    if let Some(t) = today_u
                        && r < t - 1e-9
                        && u.reservation_reason.is_none()
                        && !self.cx.has_errors()
                    {
                        self.cx.push(
                            Diagnostic::warning(
                                code::RESERVATION_BELOW_TODAY,
                                Some(span),
                                format!(
                                    "`{}`'s reservation {r} is below the {t:.3} that today's outcome gives it: the lenses will count deals that leave it worse off than today as acceptable",
                                    k.get_ref()
                                ),
                            )
                            .with_hint("remove `reservation` to use today's outcome, or say why no deal is worse than today with reservation_reason = \"...\" (e.g. the risk of escalation)"),
                        );
                    }
                }
                (None, Some(t)) => {
                    u.reservation = t;
                    u.reservation_source = ReservationSource::StatusQuo;
                }
                (None, None) => {}
            }
            self.sc.utilities.push(u);
        }
    }

    pub(super) fn evaluator(&mut self, issue: usize, v: &Value<'_>) -> Option<Evaluator> {
        let domain = self.sc.issues[issue].domain.clone();
        let id = self.sc.issues[issue].id.clone();
        let check = |me: &mut Self, x: f64, s: Span| -> Option<f64> {
            if x < 0.0 {
                me.err(code::OUT_OF_RANGE, s, format!("evaluation {x} is negative"));
                None
            } else {
                Some(x)
            }
        };
        match v.get_ref() {
            DeValue::Array(arr) => {
                if arr.len() != domain.len() {
                    self.err(
                        code::BAD_VALUE,
                        v.span(),
                        format!(
                            "issue `{id}` has {} values, but {} evaluations are given",
                            domain.len(),
                            arr.len()
                        ),
                    );
                    return None;
                }
                let xs: Vec<Option<f64>> = arr
                    .iter()
                    .map(|x| {
                        as_num(&mut self.cx, "an evaluation", x)
                            .and_then(|(x, s)| check(self, x, s))
                    })
                    .collect();
                Some(Evaluator::Table(
                    xs.into_iter().collect::<Option<Vec<_>>>()?,
                ))
            }
            DeValue::Table(map) => {
                let is_linear = map.get("slope").is_some() || map.get("offset").is_some();
                if is_linear {
                    let mut t = Table::new(map, v.span(), format!("the evaluation of `{id}`"));
                    let slope = t.req_num(&mut self.cx, "slope");
                    let offset = t.num(&mut self.cx, "offset").map_or(0.0, |x| x.0);
                    t.finish(&mut self.cx);
                    if !domain.is_numeric() {
                        self.err(code::EXPR_TYPE, v.span(), format!("issue `{id}` has labels; give one evaluation per label, not a slope"));
                        return None;
                    }
                    return Some(Evaluator::Linear {
                        slope: slope?.0,
                        offset,
                    });
                }
                let IssueDomain::Labels { values, .. } = &domain else {
                    self.err(
                        code::EXPR_TYPE,
                        v.span(),
                        format!("issue `{id}` is numeric; give {{ slope = ..., offset = ... }}"),
                    );
                    return None;
                };
                let mut out: Vec<Option<f64>> = vec![None; values.len()];
                let mut ok = true;
                for (k, x) in map.iter() {
                    match values.iter().position(|v| v == k.get_ref().as_ref()) {
                        Some(i) => match as_num(&mut self.cx, "an evaluation", x)
                            .and_then(|(x, s)| check(self, x, s))
                        {
                            Some(x) => out[i] = Some(x),
                            None => ok = false,
                        },
                        None => {
                            self.unknown_value(&id, &domain, k.get_ref(), &k.span());
                            ok = false;
                        }
                    }
                }
                let missing: Vec<&str> = values
                    .iter()
                    .zip(&out)
                    .filter(|(_, x)| x.is_none())
                    .map(|(v, _)| v.as_str())
                    .collect();
                if ok && !missing.is_empty() {
                    self.err(
                        code::MISSING_KEY,
                        v.span(),
                        format!(
                            "no evaluation for {} of issue `{id}`",
                            missing
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    return None;
                }
                ok.then(|| Evaluator::Table(out.into_iter().map(|x| x.unwrap_or(0.0)).collect()))
            }
            _ => {
                crate::walk::wrong_type(
                    &mut self.cx,
                    &format!("the evaluation of `{id}`"),
                    "an array, a table of label = number, or { slope, offset }",
                    v,
                );
                None
            }
        }
    }

    pub(super) fn named_constraints(
        &mut self,
        v: Option<&Value<'_>>,
        key: &str,
    ) -> Vec<NamedConstraint> {
        let tables = self.array_of_tables(v, key);
        let mut out = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for mut t in tables {
            let id = t.req_str(&mut self.cx, "id");
            let owner = if key == "red_lines" {
                t.req_str(&mut self.cx, "owner")
                    .and_then(|(o, s)| {
                        let a = self.actor_ref(&o, &s)?;
                        if self.sc.actors[a].role == Role::Mediator {
                            self.cx.push(
                                Diagnostic::error(
                                    code::BAD_VALUE,
                                    Some(s),
                                    format!("`{o}` is a mediator; red lines belong to parties, whose acceptance they bound"),
                                )
                                .with_hint("give the red line to a party, or model the mediator's interests in [utilities.<mediator>]"),
                            );
                            return None;
                        }
                        Some(a)
                    })
                    .map(Some)
            } else {
                Some(None)
            };
            let kind = if key == "red_lines" {
                match t.str(&mut self.cx, "kind") {
                    None => Some(Some(RedLineKind::RedLine)),
                    Some((k, s)) => match k.as_str() {
                        "red_line" => Some(Some(RedLineKind::RedLine)),
                        "precondition" => Some(Some(RedLineKind::Precondition)),
                        _ => {
                            self.cx.push(
                                Diagnostic::error(code::BAD_VALUE, Some(s), format!("unknown kind `{k}`"))
                                    .with_hint("kind is \"red_line\" (about the substance) or \"precondition\" (about the process)"),
                            );
                            None
                        }
                    },
                }
            } else {
                Some(None)
            };
            let require = t.get("require");
            if require.is_none() {
                self.cx.push(
                    Diagnostic::error(
                        code::MISSING_KEY,
                        Some(t.anchor()),
                        format!("{} is missing `require`", t.what),
                    )
                    .with_hint(
                        "require = \"<expression that every acceptable outcome satisfies>\"",
                    ),
                );
            }
            let what = format!("`require` in {}", t.what);
            let expr = require.and_then(|r| self.expr(r, &what, ExprContext::Issues));
            let description = t.str(&mut self.cx, "description").map(|x| x.0);
            // A red line is public unless `private = true`: negotiators and mediators steer
            // clear of public red lines, and only the owner knows a private one.
            let private = key == "red_lines" && t.bool(&mut self.cx, "private").unwrap_or(false);
            let applies = if key == "red_lines" {
                match t.str(&mut self.cx, "applies") {
                    None => redline_model::Applies::Always,
                    Some((a, s)) => match a.as_str() {
                        "always" => redline_model::Applies::Always,
                        "final" => redline_model::Applies::Final,
                        _ => {
                            self.cx.push(
                                Diagnostic::error(code::BAD_VALUE, Some(s), format!("unknown `applies` value `{a}`"))
                                    .with_hint("applies is \"always\" (no phase of a plan may break it, the default) or \"final\" (it binds the final agreement only)"),
                            );
                            redline_model::Applies::Always
                        }
                    },
                }
            } else {
                redline_model::Applies::Always
            };
            t.finish(&mut self.cx);
            let (Some((id, span)), Some(owner), Some(kind), Some(expr)) = (id, owner, kind, expr)
            else {
                continue;
            };
            if !self.check_id(key, &id, &span) {
                continue;
            }
            if !self.first_declaration(&mut seen, &id, &span, |id| {
                format!("duplicate id `{id}` in {key}")
            }) {
                continue;
            }
            self.map.add(format!("{key}.{id}"), span.clone());
            out.push((id, span, owner, kind, expr, description, (private, applies)));
        }
        out
    }

    pub(super) fn red_lines(&mut self, v: Option<&Value<'_>>) {
        for (id, _, owner, kind, (require, text), description, (private, applies)) in
            self.named_constraints(v, "red_lines")
        {
            let (Some(owner), Some(kind)) = (owner, kind) else {
                continue;
            };
            self.sc.red_lines.push(RedLine {
                id,
                owner,
                kind,
                require,
                text,
                description,
                private,
                applies,
            });
        }
    }

    /// `[breakdown]`: the per-round risk that talks break down into an escalation, and each
    /// party's utility of it.
    pub(super) fn breakdown(&mut self, mut t: Table<'_, '_>) {
        let id = t.req_str(&mut self.cx, "id");
        let text = t.req_str(&mut self.cx, "text").map(|x| x.0);
        let per_round = match t.req_num(&mut self.cx, "per_round") {
            Some((p, s)) if !(0.0..1.0).contains(&p) => {
                self.err(
                    code::OUT_OF_RANGE,
                    s,
                    format!("per_round {p} must be in [0, 1): the probability per round without agreement"),
                );
                None
            }
            other => other.map(|x| x.0),
        };
        let description = t.str(&mut self.cx, "description").map(|x| x.0);
        let mut utilities = Vec::new();
        let mut ok = true;
        match t.table(&mut self.cx, "utilities") {
            Some(ut) => {
                for (k, v) in ut.map.iter() {
                    let Some(actor) = self.actor_ref(k.get_ref(), &k.span()) else {
                        ok = false;
                        continue;
                    };
                    let what = format!("`{}` in [breakdown.utilities]", k.get_ref());
                    match as_num(&mut self.cx, &what, v) {
                        Some((u, s)) if !(0.0..=1.0).contains(&u) => {
                            self.err(
                                code::OUT_OF_RANGE,
                                s,
                                format!("utility {u} is outside [0, 1]"),
                            );
                            ok = false;
                        }
                        Some((u, _)) => utilities.push((actor, u)),
                        None => ok = false,
                    }
                }
            }
            None => {
                self.cx.push(
                    Diagnostic::error(
                        code::MISSING_KEY,
                        Some(t.anchor()),
                        "[breakdown] is missing its [breakdown.utilities] table",
                    )
                    .with_hint("give every party's utility of the escalation: [breakdown.utilities] with `party = 0.1`"),
                );
                ok = false;
            }
        }
        let anchor = t.anchor();
        t.finish(&mut self.cx);
        let (Some((id, span)), Some(text), Some(per_round), true) = (id, text, per_round, ok)
        else {
            return;
        };
        if !self.check_id("breakdown", &id, &span) {
            return;
        }
        let missing: Vec<String> = self
            .sc
            .parties()
            .filter(|(a, _)| !utilities.iter().any(|(x, _)| x == a))
            .map(|(_, p)| p.id.clone())
            .collect();
        if !missing.is_empty() {
            self.cx.push(
                Diagnostic::error(
                    code::MISSING_KEY,
                    Some(anchor),
                    format!(
                        "[breakdown.utilities] gives no utility for {}",
                        missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_hint("every party needs its utility of the escalation"),
            );
            return;
        }
        self.sc.breakdown = Some(redline_model::Breakdown {
            id,
            text,
            per_round,
            utilities,
            description,
        });
    }

    pub(super) fn linkages(&mut self, v: Option<&Value<'_>>) {
        for (id, _, _, _, (require, text), description, _) in self.named_constraints(v, "linkages")
        {
            self.sc.linkages.push(Linkage {
                id,
                require,
                text,
                description,
            });
        }
    }

    pub(super) fn sequencing(&mut self, v: Option<&Value<'_>>) {
        let tables = self.array_of_tables(v, "sequencing");
        for mut t in tables {
            let id = t.req_str(&mut self.cx, "id");
            let first = t
                .req_str(&mut self.cx, "first")
                .and_then(|(i, s)| self.issue_ref(&i, &s).map(|x| (x, s)));
            let then = t
                .req_str(&mut self.cx, "then")
                .and_then(|(i, s)| self.issue_ref(&i, &s));
            let strict = t.bool(&mut self.cx, "strict").unwrap_or(false);
            let description = t.str(&mut self.cx, "description").map(|x| x.0);
            t.finish(&mut self.cx);
            let (Some((id, span)), Some((first, fs)), Some(then)) = (id, first, then) else {
                continue;
            };
            if first == then {
                self.err(
                    code::BAD_VALUE,
                    fs,
                    "a sequencing rule needs two different issues",
                );
                continue;
            }
            if self.sc.sequencing.iter().any(|s| s.id == id) {
                self.err(
                    code::DUPLICATE_ID,
                    span,
                    format!("duplicate id `{id}` in sequencing"),
                );
                continue;
            }
            self.map.add(format!("sequencing.{id}"), span);
            self.sc.sequencing.push(Sequencing {
                id,
                first,
                then,
                strict,
                description,
            });
        }
    }
}

/// A red line or linkage as read: id, span, owner (red lines), kind (red lines), the resolved
/// expression with its text, and the description.
type NamedConstraint = (
    String,
    Span,
    Option<usize>,
    Option<RedLineKind>,
    (Expr, String),
    Option<String>,
    (bool, redline_model::Applies),
);
