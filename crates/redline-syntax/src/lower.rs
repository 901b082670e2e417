//! Lowering: spanned TOML → plain [`Scenario`] plus a [`SourceMap`], collecting every problem.

use std::collections::HashMap;

use redline_model::*;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, code, did_you_mean};
use crate::expr::{self, SynExpr, SynLit};
use crate::walk::{Cx, Span, Table, Value, as_num, as_str, as_table, string_content_offset};

/// Where each named element of a scenario was written, by path (`actors.iran`,
/// `red_lines.no_missile_concessions`, `issues.verification`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    pub entries: Vec<(String, std::ops::Range<usize>)>,
}

impl SourceMap {
    pub fn get(&self, path: &str) -> Option<std::ops::Range<usize>> {
        self.entries
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, s)| s.clone())
    }

    fn add(&mut self, path: String, span: Span) {
        self.entries.push((path, span));
    }
}

/// The most options a stability view may have (states are 64-bit patterns).
pub const MAX_OPTIONS: usize = 63;
/// The most values one issue may have after discretisation.
pub const MAX_ISSUE_VALUES: usize = 10_000_000;

struct Lowerer<'s> {
    src: &'s str,
    cx: Cx,
    sc: Scenario,
    map: SourceMap,
}

pub(crate) fn lower(src: &str) -> (Option<(Scenario, SourceMap)>, Vec<Diagnostic>) {
    let (doc, errors) = toml::de::DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        let diags = errors
            .iter()
            .map(|e| {
                let msg = e.message().trim().to_string();
                Diagnostic::error(
                    code::TOML_SYNTAX,
                    e.span().or(Some(0..0)),
                    format!("TOML syntax error: {msg}"),
                )
            })
            .collect();
        return (None, diags);
    }
    let mut l = Lowerer {
        src,
        cx: Cx::default(),
        sc: Scenario::default(),
        map: SourceMap::default(),
    };
    let span = doc.span();
    l.file(doc.get_ref(), span);
    let diags = std::mem::take(&mut l.cx.diags);
    if diags.iter().any(Diagnostic::is_error) {
        (None, diags)
    } else {
        (Some((l.sc, l.map)), diags)
    }
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl<'s> Lowerer<'s> {
    fn err(&mut self, code: &'static str, span: Span, msg: impl Into<String>) {
        self.cx.error(code, span, msg);
    }

    fn check_id(&mut self, kind: &str, id: &str, span: &Span) -> bool {
        if valid_id(id) {
            return true;
        }
        self.cx.push(
            Diagnostic::error(
                code::BAD_ID,
                Some(span.clone()),
                format!("`{id}` is not a valid {kind} id"),
            )
            .with_hint(
                "ids start with a letter or `_` and use only ASCII letters, digits, `_` and `-`",
            ),
        );
        false
    }

    fn file(&mut self, doc: &DeTable<'_>, span: Span) {
        let mut top = Table::new(doc, span, "the file");
        if let Some(mut t) = top.table(&mut self.cx, "scenario") {
            if let Some((id, s)) = t.req_str(&mut self.cx, "id") {
                self.check_id("scenario", &id, &s);
                self.sc.id = id;
            }
            self.sc.name = t
                .req_str(&mut self.cx, "name")
                .map(|x| x.0)
                .unwrap_or_default();
            self.sc.description = t
                .str(&mut self.cx, "description")
                .map(|x| x.0)
                .unwrap_or_default();
            self.sc.source = t.str(&mut self.cx, "source").map(|x| x.0);
            t.finish(&mut self.cx);
        } else if top.map.get("scenario").is_none() {
            self.cx.push(
                Diagnostic::error(
                    code::MISSING_KEY,
                    Some(0..0),
                    "the file has no [scenario] table",
                )
                .with_hint("start the file with [scenario] and its `id` and `name`"),
            );
        }
        let actors = top.get("actors");
        self.actors(actors);
        let options = top.get("options");
        self.options(options);
        let issues = top.get("issues");
        self.issues(issues);
        if let Some(span) = top.key_span("stability") {
            self.map.add("stability".into(), span);
        }
        if let Some(t) = top.table(&mut self.cx, "stability") {
            self.stability(t);
        }
        if let Some(t) = top.table(&mut self.cx, "utilities") {
            self.utilities(t);
        }
        let red_lines = top.get("red_lines");
        self.red_lines(red_lines);
        let linkages = top.get("linkages");
        self.linkages(linkages);
        let sequencing = top.get("sequencing");
        self.sequencing(sequencing);
        if let Some(t) = top.table(&mut self.cx, "forecast") {
            self.forecast(t);
        }
        let uncertainty = top.get("uncertainty");
        self.uncertainty(uncertainty);
        top.finish(&mut self.cx);
        if self.sc.stability.is_none() && !self.sc.options.is_empty() {
            // Options without a stability table still form a stability view; preferences are then
            // missing, which `stability_checks` reports.
            self.sc.stability = Some(StabilityView::default());
        }
        self.stability_checks();
    }

    /// Iterates over an array of tables such as `[[actors]]`.
    fn array_of_tables<'t, 'i>(
        &mut self,
        v: Option<&'t Value<'i>>,
        key: &str,
    ) -> Vec<Table<'t, 'i>> {
        let Some(v) = v else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.cx.push(
                Diagnostic::error(
                    code::WRONG_TYPE,
                    Some(v.span()),
                    format!(
                        "`{key}` must be an array of tables, found {}",
                        crate::walk::type_name(v.get_ref())
                    ),
                )
                .with_hint(format!("write each entry as a [[{key}]] table")),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(t) = as_table(&mut self.cx, &format!("{key}[{i}]"), item) {
                out.push(t);
            }
        }
        out
    }

    fn actor_ref(&mut self, id: &str, span: &Span) -> Option<usize> {
        if let Some(i) = self.sc.actor_index(id) {
            return Some(i);
        }
        let mut d = Diagnostic::error(
            code::UNKNOWN_ACTOR,
            Some(span.clone()),
            format!("unknown actor `{id}`"),
        );
        let ids: Vec<&str> = self.sc.actors.iter().map(|a| a.id.as_str()).collect();
        d = match did_you_mean(id, ids.iter().copied()) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None if ids.is_empty() => d.with_hint("declare actors with [[actors]] tables"),
            None => d.with_hint(format!("actors are: {}", ids.join(", "))),
        };
        self.cx.push(d);
        None
    }

    fn issue_ref(&mut self, id: &str, span: &Span) -> Option<usize> {
        if let Some(i) = self.sc.issue_index(id) {
            return Some(i);
        }
        let mut d = Diagnostic::error(
            code::UNKNOWN_ISSUE,
            Some(span.clone()),
            format!("unknown issue `{id}`"),
        );
        let ids: Vec<&str> = self.sc.issues.iter().map(|a| a.id.as_str()).collect();
        d = match did_you_mean(id, ids.iter().copied()) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None if ids.is_empty() => d.with_hint("declare issues with [[issues]] tables"),
            None => d.with_hint(format!("issues are: {}", ids.join(", "))),
        };
        self.cx.push(d);
        None
    }

    fn option_ref(&mut self, id: &str, span: &Span) -> Option<usize> {
        if let Some(i) = self.resolve_option(id) {
            return Some(i);
        }
        self.unknown_option(id, span);
        None
    }

    /// An option by qualified id, or by local id when that is unique.
    fn resolve_option(&self, id: &str) -> Option<usize> {
        if let Some(i) = self.sc.option_index(id) {
            return Some(i);
        }
        let mut found = self
            .sc
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.local_id == id);
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    fn unknown_option(&mut self, id: &str, span: &Span) {
        let ambiguous: Vec<&str> = self
            .sc
            .options
            .iter()
            .filter(|o| o.local_id == id)
            .map(|o| o.id.as_str())
            .collect();
        let mut d = Diagnostic::error(
            code::UNKNOWN_OPTION,
            Some(span.clone()),
            format!("unknown option `{id}`"),
        );
        if ambiguous.len() > 1 {
            d.message = format!("option `{id}` is ambiguous");
            d = d.with_hint(format!(
                "qualify it with its owner: {}",
                ambiguous.join(" or ")
            ));
        } else if self.sc.issue_index(id).is_some() {
            d = d.with_hint(format!(
                "`{id}` is an issue; stability expressions name options"
            ));
        } else {
            let ids: Vec<&str> = self.sc.options.iter().map(|a| a.id.as_str()).collect();
            d = match did_you_mean(id, ids.iter().copied()) {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None if ids.is_empty() => d.with_hint("declare options with [[options]] tables"),
                None => d.with_hint(format!("options are: {}", ids.join(", "))),
            };
        }
        self.cx.push(d);
    }

    fn actors(&mut self, v: Option<&Value<'_>>) {
        let tables = self.array_of_tables(v, "actors");
        if tables.is_empty() {
            let span = v.map_or(0..0, |v| v.span());
            self.cx.push(
                Diagnostic::error(code::NO_ACTORS, Some(span), "the scenario has no actors")
                    .with_hint("add at least one [[actors]] table with an `id`"),
            );
            return;
        }
        let mut seen: HashMap<String, Span> = HashMap::new();
        for mut t in tables {
            let id = t.req_str(&mut self.cx, "id");
            let name = t.str(&mut self.cx, "name");
            let role = match t.str(&mut self.cx, "role") {
                None => Some(Role::Party),
                Some((r, s)) => match r.as_str() {
                    "party" => Some(Role::Party),
                    "mediator" => Some(Role::Mediator),
                    _ => {
                        self.cx.push(
                            Diagnostic::error(
                                code::BAD_VALUE,
                                Some(s),
                                format!("unknown role `{r}`"),
                            )
                            .with_hint("role is \"party\" or \"mediator\""),
                        );
                        None
                    }
                },
            };
            let description = t.str(&mut self.cx, "description").map(|x| x.0);
            t.finish(&mut self.cx);
            let Some((id, span)) = id else { continue };
            if !self.check_id("actor", &id, &span) {
                continue;
            }
            if let Some(first) = seen.get(&id) {
                let (l, _) = crate::diag::line_col(self.src, first.start);
                self.cx.push(
                    Diagnostic::error(
                        code::DUPLICATE_ID,
                        Some(span),
                        format!("duplicate actor id `{id}`"),
                    )
                    .with_hint(format!("`{id}` is first declared on line {l}")),
                );
                continue;
            }
            seen.insert(id.clone(), span.clone());
            self.map.add(format!("actors.{id}"), span);
            self.sc.actors.push(Actor {
                name: name.map_or_else(|| id.clone(), |n| n.0),
                id,
                role: role.unwrap_or(Role::Party),
                description,
            });
        }
    }

    fn options(&mut self, v: Option<&Value<'_>>) {
        let tables = self.array_of_tables(v, "options");
        let mut seen: HashMap<String, Span> = HashMap::new();
        for mut t in tables {
            let id = t.req_str(&mut self.cx, "id");
            let owner = t.req_str(&mut self.cx, "owner");
            let name = t.str(&mut self.cx, "name").map(|x| x.0);
            let direction = match t.str(&mut self.cx, "direction") {
                None => Some(Direction::Both),
                Some((d, s)) => match d.as_str() {
                    "both" => Some(Direction::Both),
                    "forward" | "fwd" => Some(Direction::Forward),
                    "backward" | "back" => Some(Direction::Backward),
                    _ => {
                        self.cx.push(
                            Diagnostic::error(code::BAD_VALUE, Some(s), format!("unknown direction `{d}`"))
                                .with_hint("direction is \"both\", \"forward\" (once taken, stays taken) or \"backward\" (once dropped, stays dropped)"),
                        );
                        None
                    }
                },
            };
            let description = t.str(&mut self.cx, "description").map(|x| x.0);
            t.finish(&mut self.cx);
            let owner = owner.and_then(|(o, s)| self.actor_ref(&o, &s));
            let (Some((local, span)), Some(owner), Some(direction)) = (id, owner, direction) else {
                continue;
            };
            if !self.check_id("option", &local, &span) {
                continue;
            }
            let full = format!("{}.{}", self.sc.actors[owner].id, local);
            if let Some(first) = seen.get(&full) {
                let (l, _) = crate::diag::line_col(self.src, first.start);
                self.cx.push(
                    Diagnostic::error(
                        code::DUPLICATE_ID,
                        Some(span),
                        format!("duplicate option id `{full}`"),
                    )
                    .with_hint(format!("`{full}` is first declared on line {l}")),
                );
                continue;
            }
            seen.insert(full.clone(), span.clone());
            self.map.add(format!("options.{full}"), span);
            self.sc.options.push(OptionDef {
                id: full,
                name: name.unwrap_or_else(|| local.clone()),
                local_id: local,
                owner,
                direction,
                description,
            });
        }
        if self.sc.options.len() > MAX_OPTIONS {
            let span = v.map_or(0..0, |v| v.span());
            self.err(
                code::TOO_LARGE,
                span.start..span.start,
                format!(
                    "{} options is more than the {MAX_OPTIONS} a stability view can hold",
                    self.sc.options.len()
                ),
            );
        }
    }

    fn issues(&mut self, v: Option<&Value<'_>>) {
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
            let (Some((id, span)), Some(domain)) = (id, domain) else {
                continue;
            };
            if !self.check_id("issue", &id, &span) {
                continue;
            }
            if let Some(first) = seen.get(&id) {
                let (l, _) = crate::diag::line_col(self.src, first.start);
                self.cx.push(
                    Diagnostic::error(
                        code::DUPLICATE_ID,
                        Some(span),
                        format!("duplicate issue id `{id}`"),
                    )
                    .with_hint(format!("`{id}` is first declared on line {l}")),
                );
                continue;
            }
            let sq = status_quo.and_then(|v| self.value_of(&id, &domain, v));
            seen.insert(id.clone(), span.clone());
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
    fn value_of(&mut self, issue: &str, domain: &IssueDomain, v: &Value<'_>) -> Option<usize> {
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

    fn unknown_value(&mut self, issue: &str, domain: &IssueDomain, value: &str, span: &Span) {
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

    fn issue_domain(
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

    /// Parses and resolves an expression written as a TOML string.
    fn expr(&mut self, v: &Value<'_>, what: &str, ctx: ExprContext) -> Option<(Expr, String)> {
        let (text, span) = as_str(&mut self.cx, what, v)?;
        let base = string_content_offset(self.src, &span, &text);
        let at = |s: &expr::Span| match base {
            Some(b) => b + s.start..b + s.end,
            None => span.clone(),
        };
        match expr::parse(&text) {
            Ok(syn) => {
                let before = self.cx.diags.len();
                let e = self.resolve(&syn, ctx, &at);
                if self.cx.diags[before..].iter().any(Diagnostic::is_error) {
                    None
                } else {
                    e.map(|e| (e, text))
                }
            }
            Err(pe) => {
                let mut d = Diagnostic::error(
                    code::EXPR_SYNTAX,
                    Some(at(&pe.span)),
                    format!("in {what}: {}", pe.message),
                );
                d.hint = pe.hint;
                self.cx.push(d);
                None
            }
        }
    }

    fn resolve(
        &mut self,
        e: &SynExpr,
        ctx: ExprContext,
        at: &dyn Fn(&expr::Span) -> Span,
    ) -> Option<Expr> {
        let all = |items: &[SynExpr], me: &mut Self| -> Option<Vec<Expr>> {
            let rs: Vec<Option<Expr>> = items.iter().map(|x| me.resolve(x, ctx, at)).collect();
            rs.into_iter().collect()
        };
        Some(match e {
            SynExpr::Bool(b, _) => Expr::Bool(*b),
            SynExpr::Name(name, s) => match ctx {
                ExprContext::Options => Expr::Option(self.option_ref(name, &at(s))?),
                ExprContext::Issues => {
                    if self.sc.issue_index(name).is_some() {
                        self.cx.push(
                            Diagnostic::error(
                                code::EXPR_TYPE,
                                Some(at(s)),
                                format!("issue `{name}` must be compared with a value"),
                            )
                            .with_hint(format!(
                                "write e.g. `{name} == value` or `{name} in [a, b]`"
                            )),
                        );
                    } else {
                        self.issue_ref(name, &at(s));
                    }
                    return None;
                }
            },
            SynExpr::Cmp {
                name,
                name_span,
                op,
                op_span,
                lit,
                lit_span,
            } => {
                if ctx == ExprContext::Options {
                    self.cx.push(
                        Diagnostic::error(
                            code::EXPR_TYPE,
                            Some(at(op_span)),
                            "comparisons are not allowed here",
                        )
                        .with_hint("stability expressions combine option ids with & | ! => <=>"),
                    );
                    return None;
                }
                let issue = self.issue_ref(name, &at(name_span))?;
                let domain = self.sc.issues[issue].domain.clone();
                if !domain.is_ordered() && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    self.cx.push(
                        Diagnostic::error(
                            code::EXPR_TYPE,
                            Some(at(op_span)),
                            format!("issue `{name}` has unordered labels, so `{}` does not apply", op.symbol()),
                        )
                        .with_hint("use ==, != or `in [...]`, or declare the issue with type = \"ordered\""),
                    );
                    return None;
                }
                let exact = matches!(op, CmpOp::Eq | CmpOp::Ne);
                let value = self.literal(issue, lit, &at(lit_span), exact)?;
                Expr::Cmp {
                    issue,
                    op: *op,
                    value,
                }
            }
            SynExpr::In {
                name,
                name_span,
                lits,
            } => {
                if ctx == ExprContext::Options {
                    self.cx.push(
                        Diagnostic::error(
                            code::EXPR_TYPE,
                            Some(at(name_span)),
                            "`in [...]` is not allowed here",
                        )
                        .with_hint("stability expressions combine option ids with & | ! => <=>"),
                    );
                    return None;
                }
                let issue = self.issue_ref(name, &at(name_span))?;
                let vals: Vec<Option<Literal>> = lits
                    .iter()
                    .map(|(l, s)| self.literal(issue, l, &at(s), true))
                    .collect();
                Expr::In {
                    issue,
                    values: vals.into_iter().collect::<Option<Vec<_>>>()?,
                }
            }
            SynExpr::Not(x) => Expr::Not(Box::new(self.resolve(x, ctx, at)?)),
            SynExpr::And(xs) => Expr::And(all(xs, self)?),
            SynExpr::Or(xs) => Expr::Or(all(xs, self)?),
            SynExpr::Implies(a, b) => {
                let (a, b) = (self.resolve(a, ctx, at), self.resolve(b, ctx, at));
                Expr::Implies(Box::new(a?), Box::new(b?))
            }
            SynExpr::Iff(a, b) => {
                let (a, b) = (self.resolve(a, ctx, at), self.resolve(b, ctx, at));
                Expr::Iff(Box::new(a?), Box::new(b?))
            }
        })
    }

    /// Resolves a literal against an issue. With `exact`, a number must be one of the issue's values.
    fn literal(&mut self, issue: usize, lit: &SynLit, span: &Span, exact: bool) -> Option<Literal> {
        let domain = self.sc.issues[issue].domain.clone();
        let id = self.sc.issues[issue].id.clone();
        match (&domain, lit) {
            (IssueDomain::Labels { values, .. }, SynLit::Word(w) | SynLit::Str(w)) => {
                match values.iter().position(|v| v == w) {
                    Some(i) => Some(Literal::Label(i)),
                    None => {
                        self.unknown_value(&id, &domain, w, span);
                        None
                    }
                }
            }
            (IssueDomain::Labels { values, .. }, SynLit::Num(x)) => {
                // A numeric-looking label such as "10" may be written bare.
                let text = format_number(*x);
                match values.iter().position(|v| *v == text) {
                    Some(i) => Some(Literal::Label(i)),
                    None => {
                        self.unknown_value(&id, &domain, &text, span);
                        None
                    }
                }
            }
            (_, SynLit::Num(x)) => {
                if exact && domain.index_of(&Literal::Number(*x)).is_none() {
                    self.cx.push(
                        Diagnostic::error(
                            code::UNKNOWN_VALUE,
                            Some(span.clone()),
                            format!("issue `{id}` has no value {}", format_number(*x)),
                        )
                        .with_hint(format!(
                            "values run from {} to {}",
                            domain.label(0),
                            domain.label(domain.len() - 1)
                        )),
                    );
                    return None;
                }
                Some(Literal::Number(*x))
            }
            (_, SynLit::Word(w) | SynLit::Str(w)) => {
                self.cx.push(
                    Diagnostic::error(
                        code::EXPR_TYPE,
                        Some(span.clone()),
                        format!("issue `{id}` is numeric, but `{w}` is not a number"),
                    )
                    .with_hint(format!(
                        "compare with a number between {} and {}",
                        domain.label(0),
                        domain.label(domain.len() - 1)
                    )),
                );
                None
            }
        }
    }

    fn expr_list(
        &mut self,
        t: &mut Table<'_, '_>,
        key: &'static str,
        ctx: ExprContext,
    ) -> Vec<(Expr, String)> {
        let Some((arr, _)) = t.array(&mut self.cx, key) else {
            return Vec::new();
        };
        let what = t.what.clone();
        arr.iter()
            .enumerate()
            .filter_map(|(i, v)| self.expr(v, &format!("`{key}[{i}]` in {what}"), ctx))
            .collect()
    }

    fn stability(&mut self, mut t: Table<'_, '_>) {
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
    fn state_spec(&mut self, v: &Value<'_>, what: &str) -> Option<Vec<usize>> {
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

    fn pattern(&mut self, s: &str, span: &Span) -> Option<Pattern> {
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

    fn ranking(&mut self, t: &mut Table<'_, '_>) -> Option<Preference> {
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
    fn stability_checks(&mut self) {
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

    fn utilities(&mut self, t: Table<'_, '_>) {
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
                    0.0
                }
                Some((r, _)) => r,
                None => 0.0,
            };
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
            if let Some(et) = ut.table(&mut self.cx, "evaluations") {
                for (ik, iv) in et.map.iter() {
                    let Some(issue) = self.issue_ref(ik.get_ref(), &ik.span()) else {
                        continue;
                    };
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
                    Diagnostic::warning(code::WEIGHTS_SUM, Some(k.span()), format!("weights of `{}` sum to {sum:.4}; utilities above 1 are capped at 1", k.get_ref()))
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
            self.sc.utilities.push(Utility {
                actor,
                reservation,
                discount,
                terms,
                constraints,
            });
        }
    }

    fn evaluator(&mut self, issue: usize, v: &Value<'_>) -> Option<Evaluator> {
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

    fn named_constraints(&mut self, v: Option<&Value<'_>>, key: &str) -> Vec<NamedConstraint> {
        let tables = self.array_of_tables(v, key);
        let mut out = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for mut t in tables {
            let id = t.req_str(&mut self.cx, "id");
            let owner = if key == "red_lines" {
                t.req_str(&mut self.cx, "owner")
                    .and_then(|(o, s)| self.actor_ref(&o, &s))
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
            t.finish(&mut self.cx);
            let (Some((id, span)), Some(owner), Some(kind), Some(expr)) = (id, owner, kind, expr)
            else {
                continue;
            };
            if !self.check_id(key, &id, &span) {
                continue;
            }
            if let Some(first) = seen.get(&id) {
                let (l, _) = crate::diag::line_col(self.src, first.start);
                self.cx.push(
                    Diagnostic::error(
                        code::DUPLICATE_ID,
                        Some(span),
                        format!("duplicate id `{id}` in {key}"),
                    )
                    .with_hint(format!("`{id}` is first declared on line {l}")),
                );
                continue;
            }
            seen.insert(id.clone(), span.clone());
            self.map.add(format!("{key}.{id}"), span.clone());
            out.push((id, span, owner, kind, expr, description));
        }
        out
    }

    fn red_lines(&mut self, v: Option<&Value<'_>>) {
        for (id, _, owner, kind, (require, text), description) in
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
            });
        }
    }

    fn linkages(&mut self, v: Option<&Value<'_>>) {
        for (id, _, _, _, (require, text), description) in self.named_constraints(v, "linkages") {
            self.sc.linkages.push(Linkage {
                id,
                require,
                text,
                description,
            });
        }
    }

    fn sequencing(&mut self, v: Option<&Value<'_>>) {
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

    fn forecast(&mut self, mut t: Table<'_, '_>) {
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

    fn uncertainty(&mut self, v: Option<&Value<'_>>) {
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
                    if weights.len() != values.len()
                        || values.is_empty()
                        || weights.iter().any(|w| *w < 0.0)
                    {
                        self.err(
                            code::BAD_VALUE,
                            dv.span(),
                            "choice needs at least one value and one non-negative weight per value",
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
                    if weights.len() != prefs.len() || prefs.is_empty() {
                        self.err(
                            code::BAD_VALUE,
                            dv.span(),
                            "alternatives need at least one entry and one weight per entry",
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

    fn num_list(&mut self, v: &Value<'_>, what: &str) -> Option<Vec<f64>> {
        let arr = crate::walk::as_array(&mut self.cx, what, v)?;
        let xs: Vec<Option<f64>> = arr
            .iter()
            .map(|x| as_num(&mut self.cx, what, x).map(|x| x.0))
            .collect();
        xs.into_iter().collect()
    }

    fn target(&mut self, path: &str, span: &Span) -> Option<Target> {
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

    fn require_utility(&mut self, actor: usize, span: &Span) -> Option<()> {
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

/// A red line or linkage as read: id, span, owner (red lines), kind (red lines), the resolved
/// expression with its text, and the description.
type NamedConstraint = (
    String,
    Span,
    Option<usize>,
    Option<RedLineKind>,
    (Expr, String),
    Option<String>,
);

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
