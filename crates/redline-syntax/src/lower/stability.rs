//! The stability view: options' feasibility, preferences (statements and rankings),
//! misperceptions, coalitions, the status quo, and the checks that need all of them.

use super::*;

impl Lowerer<'_> {
    pub(super) fn stability(&mut self, mut t: Table<'_, '_>) {
        let mut view = StabilityView::default();
        for (e, _) in self.expr_list(&mut t, "infeasible", ExprContext::Options) {
            view.infeasible.push(e);
        }
        for (e, _) in self.expr_list(&mut t, "require", ExprContext::Options) {
            view.require.push(e);
        }
        if let Some(v) = t.get("status_quo") {
            view.status_quo = self.state_spec(v, "`status_quo` in [stability]");
        }
        if let Some((arr, _)) = t.array(&mut self.cx, "coalitions") {
            for (i, c) in arr.iter().enumerate() {
                let Some(members) =
                    crate::walk::as_array(&mut self.cx, &format!("coalitions[{i}]"), c)
                else {
                    continue;
                };
                let mut ids = Vec::new();
                for m in members.iter() {
                    if let Some((id, s)) = as_str(&mut self.cx, "a coalition member", m)
                        && let Some(a) = self.actor_ref(&id, &s)
                    {
                        if ids.contains(&a) {
                            self.err(
                                code::DUPLICATE_ID,
                                s,
                                format!("`{id}` is listed twice in this coalition"),
                            );
                        } else {
                            ids.push(a);
                        }
                    }
                }
                view.coalitions.push(ids);
            }
        }
        let mut prefs: Vec<(usize, Preference, Span)> = Vec::new();
        if let Some(pt) = t.table(&mut self.cx, "preferences") {
            for (k, v) in pt.map.iter() {
                let Some(actor) = self.actor_ref(k.get_ref(), &k.span()) else {
                    continue;
                };
                let Some(mut at) = as_table(
                    &mut self.cx,
                    &format!("preferences of `{}`", k.get_ref()),
                    v,
                ) else {
                    continue;
                };
                at.what = format!("[stability.preferences.{}]", k.get_ref());
                let statements = at.get("statements").is_some();
                let ranking = at.get("ranking").is_some();
                let pref = match (statements, ranking) {
                    (true, true) => {
                        self.err(
                            code::BAD_VALUE,
                            k.span(),
                            "give either `statements` or `ranking`, not both",
                        );
                        None
                    }
                    (false, false) => {
                        self.cx.push(
                            Diagnostic::error(code::MISSING_KEY, Some(k.span()), format!("{} needs `statements` or `ranking`", at.what))
                                .with_hint("statements = [\"most important\", \"next\", ...] (option prioritisation)"),
                        );
                        None
                    }
                    (true, false) => {
                        let what = at.what.clone();
                        self.check_statement_count(at.get("statements"), &what);
                        let list = self.expr_list(&mut at, "statements", ExprContext::Options);
                        Some(Preference::Statements(
                            list.into_iter()
                                .map(|(expr, text)| Statement { expr, text })
                                .collect(),
                        ))
                    }
                    (false, true) => self.ranking(&mut at),
                };
                at.finish(&mut self.cx);
                if let Some(p) = pref {
                    if prefs.iter().any(|(a, _, _)| *a == actor) {
                        self.err(
                            code::DUPLICATE_ID,
                            k.span(),
                            "preferences given twice for this actor",
                        );
                    } else {
                        prefs.push((actor, p, k.span()));
                    }
                }
            }
        }
        let mut misperceptions: HashMap<usize, Vec<Expr>> = HashMap::new();
        if let Some(mt) = t.table(&mut self.cx, "misperceptions") {
            for (k, v) in mt.map.iter() {
                let Some(actor) = self.actor_ref(k.get_ref(), &k.span()) else {
                    continue;
                };
                let Some(arr) = crate::walk::as_array(
                    &mut self.cx,
                    &format!("misperceptions of `{}`", k.get_ref()),
                    v,
                ) else {
                    continue;
                };
                let list: Vec<Expr> = arr
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| {
                        self.expr(
                            x,
                            &format!("misperceptions.{}[{i}]", k.get_ref()),
                            ExprContext::Options,
                        )
                    })
                    .map(|x| x.0)
                    .collect();
                misperceptions.entry(actor).or_default().extend(list);
            }
        }
        t.finish(&mut self.cx);
        let dms = self.sc.decision_makers();
        for (actor, pref, span) in prefs {
            if !dms.contains(&actor) {
                self.cx.push(
                    Diagnostic::error(
                        code::MISSING_PREFERENCE,
                        Some(span),
                        format!(
                            "actor `{}` has preferences but controls no options",
                            self.sc.actors[actor].id
                        ),
                    )
                    .with_hint(
                        "give it options with [[options]] owner = ..., or remove its preferences",
                    ),
                );
                continue;
            }
            self.map.add(
                format!("stability.preferences.{}", self.sc.actors[actor].id),
                span,
            );
            view.preferences.push(DmPreference {
                actor,
                preference: pref,
                misperceptions: Vec::new(),
            });
        }
        for (actor, list) in misperceptions {
            match view.preferences.iter_mut().find(|p| p.actor == actor) {
                Some(p) => p.misperceptions = list,
                None => {
                    let span = self
                        .map
                        .get(&format!("actors.{}", self.sc.actors[actor].id))
                        .unwrap_or(0..0);
                    self.err(
                        code::MISSING_PREFERENCE,
                        span,
                        "misperceptions given for an actor that is not a decision maker",
                    );
                }
            }
        }
        view.preferences.sort_by_key(|p| p.actor);
        self.sc.stability = Some(view);
    }

    /// A state given as an array of option ids or as a Y/N pattern in bit order.
    pub(super) fn state_spec(&mut self, v: &Value<'_>, what: &str) -> Option<Vec<usize>> {
        match v.get_ref() {
            DeValue::Array(arr) => {
                let mut out = Vec::new();
                for item in arr.iter() {
                    let (id, s) = as_str(&mut self.cx, what, item)?;
                    out.push(self.option_ref(&id, &s)?);
                }
                out.sort_unstable();
                out.dedup();
                Some(out)
            }
            DeValue::String(s) => {
                let p = self.pattern(s, &v.span())?;
                if p.0.iter().any(Option::is_none) {
                    self.err(
                        code::BAD_VALUE,
                        v.span(),
                        format!("{what} must be one state: use only Y and N"),
                    );
                    return None;
                }
                let order = self.sc.bit_order();
                let mut out: Vec<usize> =
                    p.0.iter()
                        .enumerate()
                        .filter(|(_, b)| **b == Some(true))
                        .map(|(bit, _)| order[bit])
                        .collect();
                out.sort_unstable();
                Some(out)
            }
            _ => {
                crate::walk::wrong_type(
                    &mut self.cx,
                    what,
                    "an array of option ids or a Y/N pattern",
                    v,
                );
                None
            }
        }
    }

    pub(super) fn pattern(&mut self, s: &str, span: &Span) -> Option<Pattern> {
        let n = self.sc.options.len();
        let mut p = Vec::with_capacity(n);
        for (i, c) in s.chars().enumerate() {
            p.push(match c {
                'Y' | 'y' => Some(true),
                'N' | 'n' => Some(false),
                '-' => None,
                other => {
                    let start = span.start + 1 + s.char_indices().nth(i).map_or(0, |x| x.0);
                    self.cx.push(
                        Diagnostic::error(code::BAD_VALUE, Some(start..start + other.len_utf8()), format!("`{other}` in a state pattern"))
                            .with_hint("patterns use Y (taken), N (not taken) and - (either), one per option in bit order"),
                    );
                    return None;
                }
            });
        }
        if p.len() != n {
            self.cx.push(
                Diagnostic::error(
                    code::BAD_VALUE,
                    Some(span.clone()),
                    format!(
                        "pattern `{s}` has {} positions, but there are {n} options",
                        p.len()
                    ),
                )
                .with_hint(format!(
                    "bit order: {}",
                    self.sc
                        .bit_order()
                        .iter()
                        .map(|&o| self.sc.options[o].id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            return None;
        }
        Some(Pattern(p))
    }

    pub(super) fn ranking(&mut self, t: &mut Table<'_, '_>) -> Option<Preference> {
        let (arr, _) = t.array(&mut self.cx, "ranking")?;
        let mut groups = Vec::new();
        let mut ok = true;
        for item in arr.iter() {
            let group: Vec<&Value<'_>> = match item.get_ref() {
                DeValue::Array(a) => a.iter().collect(),
                DeValue::String(_) => vec![item],
                _ => {
                    crate::walk::wrong_type(
                        &mut self.cx,
                        "a ranking entry",
                        "a pattern string or an array of them (a tie group)",
                        item,
                    );
                    ok = false;
                    continue;
                }
            };
            let mut g = Vec::new();
            for v in group {
                match as_str(&mut self.cx, "a ranking pattern", v) {
                    Some((s, span)) => match self.pattern(&s, &span) {
                        Some(p) => g.push(p),
                        None => ok = false,
                    },
                    None => ok = false,
                }
            }
            groups.push(g);
        }
        ok.then_some(Preference::Ranking(groups))
    }

    /// Checks that need the whole stability view: preferences for every DM, a satisfiable
    /// feasibility, rankings covering every feasible state exactly once.
    pub(super) fn stability_checks(&mut self) {
        let Some(view) = self.sc.stability.clone() else {
            return;
        };
        if self.cx.has_errors() {
            return;
        }
        let stab_span = self.map.get("options").unwrap_or(0..0);
        for dm in self.sc.decision_makers() {
            if !view.preferences.iter().any(|p| p.actor == dm) {
                let id = self.sc.actors[dm].id.clone();
                let span = self
                    .map
                    .get(&format!("actors.{id}"))
                    .unwrap_or(stab_span.clone());
                self.cx.push(
                    Diagnostic::error(
                        code::MISSING_PREFERENCE,
                        Some(span),
                        format!("decision maker `{id}` has no preferences"),
                    )
                    .with_hint(format!(
                        "add [stability.preferences.{id}] with `statements` or `ranking`"
                    )),
                );
            }
        }
        let order = self.sc.bit_order();
        let n = self.sc.options.len();
        let feasible = |taken: &dyn Fn(usize) -> Option<bool>| -> Option<bool> {
            let mut unknown = false;
            for e in &view.infeasible {
                match e.eval_partial(taken) {
                    Some(true) => return Some(false),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            for e in &view.require {
                match e.eval_partial(taken) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        };
        // Search for one feasible state by backtracking over options with three-valued logic.
        let mut assign: Vec<Option<bool>> = vec![None; n];
        let mut budget: u64 = 2_000_000;
        let found = search_feasible(&mut assign, 0, &feasible, &mut budget);
        match found {
            Some(false) => {
                let span = self.map.get("stability").unwrap_or(0..0);
                self.cx.push(
                    Diagnostic::error(code::NO_FEASIBLE_STATE, Some(span), "the feasibility constraints leave no feasible state")
                        .with_hint("check `infeasible` and `require` in [stability]: together they exclude every combination of options"),
                );
                return;
            }
            None => self.cx.push(Diagnostic::warning(
                code::UNREACHABLE_CHECK,
                Some(0..0),
                "could not check within the effort bound that some state is feasible",
            )),
            Some(true) => {}
        }
        if let Some(sq) = &view.status_quo {
            let set: Vec<bool> = (0..n).map(|o| sq.contains(&o)).collect();
            if feasible(&|o| Some(set[o])) != Some(true) {
                let span = self.map.get("stability").unwrap_or(0..0);
                self.err(
                    code::BAD_VALUE,
                    span,
                    "the status quo is not a feasible state",
                );
            }
        }
        // Rankings: every feasible state exactly once (checked when the state space is small).
        if n <= 20 {
            for p in &view.preferences {
                let Preference::Ranking(groups) = &p.preference else {
                    continue;
                };
                let id = self.sc.actors[p.actor].id.clone();
                let span = self
                    .map
                    .get(&format!("stability.preferences.{id}"))
                    .unwrap_or(0..0);
                let mut problems = Vec::new();
                for code_ in 0u64..(1u64 << n) {
                    let bit = |b: usize| code_ >> b & 1 == 1;
                    let opt_taken = |o: usize| bit(order.iter().position(|&x| x == o).unwrap_or(0));
                    if feasible(&|o| Some(opt_taken(o))) != Some(true) {
                        continue;
                    }
                    let hits = groups
                        .iter()
                        .flatten()
                        .filter(|pat| pat.matches(bit))
                        .count();
                    if hits != 1 {
                        let pattern: String =
                            (0..n).map(|b| if bit(b) { 'Y' } else { 'N' }).collect();
                        problems.push(format!("{pattern} ({hits}×)"));
                    }
                }
                if !problems.is_empty() {
                    let shown: Vec<_> = problems.iter().take(6).cloned().collect();
                    self.cx.push(
                        Diagnostic::error(
                            code::BAD_RANKING,
                            Some(span),
                            format!("the ranking of `{id}` must list every feasible state exactly once; {} do not: {}", problems.len(), shown.join(", ")),
                        )
                        .with_hint("each pattern may match several states (with -), but each feasible state must be matched by exactly one pattern"),
                    );
                }
            }
        }
    }
}

/// A feasibility test over a partial assignment of options.
type PartialTest<'a> = &'a dyn Fn(&dyn Fn(usize) -> Option<bool>) -> Option<bool>;

/// Depth-first search for a feasible assignment. `Some(true)`: found; `Some(false)`: none exists;
/// `None`: the effort budget ran out.
fn search_feasible(
    assign: &mut Vec<Option<bool>>,
    next: usize,
    feasible: PartialTest<'_>,
    budget: &mut u64,
) -> Option<bool> {
    if *budget == 0 {
        return None;
    }
    *budget -= 1;
    let verdict = {
        let a = &*assign;
        feasible(&|o| a[o])
    };
    match verdict {
        Some(v) => return Some(v),
        None if next == assign.len() => return Some(false),
        None => {}
    }
    let mut exhausted = true;
    for value in [false, true] {
        assign[next] = Some(value);
        match search_feasible(assign, next + 1, feasible, budget) {
            Some(true) => {
                assign[next] = None;
                return Some(true);
            }
            None => exhausted = false,
            Some(false) => {}
        }
    }
    assign[next] = None;
    if exhausted { Some(false) } else { None }
}
