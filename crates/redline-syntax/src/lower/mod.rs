//! Lowering: spanned TOML → plain [`Scenario`] plus a [`SourceMap`], collecting every problem.

use std::collections::HashMap;

use redline_model::*;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, code, did_you_mean};
use crate::expr::{self, SynExpr, SynLit};
use crate::walk::{Cx, Span, Table, Value, as_num, as_str, as_table, string_content_offset};

mod deal;
mod expr_resolve;
mod forecast;
mod stability;

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
/// The most preference statements one decision maker may have: option prioritisation scores a
/// state with one bit per statement, in a 64-bit word.
pub const MAX_STATEMENTS: usize = 63;
/// The most values one issue may have after discretisation.
pub const MAX_ISSUE_VALUES: usize = 10_000_000;

struct Lowerer<'s> {
    src: &'s str,
    cx: Cx,
    sc: Scenario,
    map: SourceMap,
    /// Ids of issue declarations that failed to load (already reported): references to them
    /// are not reported again as unknown, so the first diagnostic is the real fault.
    failed_issues: std::collections::HashSet<String>,
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
        failed_issues: Default::default(),
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

    /// Refuses a statement list longer than [`MAX_STATEMENTS`], at its first extra statement.
    fn check_statement_count(&mut self, list: Option<&Value<'_>>, what: &str) {
        if let Some(DeValue::Array(arr)) = list.map(|v| v.get_ref())
            && let Some(extra) = arr.get(MAX_STATEMENTS)
        {
            self.cx.push(
                Diagnostic::error(
                    code::TOO_LARGE,
                    Some(extra.span()),
                    format!(
                        "{what} has {} preference statements, more than the {MAX_STATEMENTS} option prioritisation can score",
                        arr.len()
                    ),
                )
                .with_hint("merge statements of equal weight with `&` or `|`, or give a `ranking` instead"),
            );
        }
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

    /// Records the first declaration of `id`; for a later one, reports a duplicate (pointing at
    /// the first) and returns false.
    fn first_declaration(
        &mut self,
        seen: &mut HashMap<String, Span>,
        id: &str,
        span: &Span,
        message: impl Fn(&str) -> String,
    ) -> bool {
        if let Some(first) = seen.get(id) {
            let (l, _) = crate::diag::line_col(self.src, first.start);
            self.cx.push(
                Diagnostic::error(code::DUPLICATE_ID, Some(span.clone()), message(id))
                    .with_hint(format!("`{id}` is first declared on line {l}")),
            );
            return false;
        }
        seen.insert(id.to_string(), span.clone());
        true
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
        if let Some(span) = top.key_span("breakdown") {
            self.map.add("breakdown".into(), span);
        }
        if let Some(t) = top.table(&mut self.cx, "breakdown") {
            self.breakdown(t);
        }
        top.finish(&mut self.cx);
        if self.sc.stability.is_none() && !self.sc.options.is_empty() {
            // Options without a stability table still form a stability view; preferences are then
            // missing, which `stability_checks` reports.
            self.sc.stability = Some(StabilityView::default());
        }
        self.stability_checks();
        self.deal_checks();
    }

    /// Rules of the deal lens that involve more than one section: with a deal view (issues and
    /// some party's utility), every party needs a utility, or the lens cannot run.
    fn deal_checks(&mut self) {
        let has_view = !self.sc.issues.is_empty()
            && self
                .sc
                .parties()
                .any(|(a, _)| self.sc.utility_of(a).is_some());
        if !has_view {
            return;
        }
        let missing: Vec<(String, Option<Span>)> = self
            .sc
            .parties()
            .filter(|(a, _)| self.sc.utility_of(*a).is_none())
            .map(|(_, actor)| {
                (
                    actor.id.clone(),
                    self.map.get(&format!("actors.{}", actor.id)),
                )
            })
            .collect();
        for (id, span) in missing {
            self.cx.push(
                Diagnostic::error(
                    code::MISSING_KEY,
                    span,
                    format!("party `{id}` has no [utilities.{id}] table; the deal and negotiation lenses need a utility for every party"),
                )
                .with_hint(format!("add [utilities.{id}] with weights and evaluations, or give `{id}` role = \"mediator\" if it does not bargain")),
            );
        }
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
        if self.failed_issues.contains(id) {
            return None;
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
            if !self.first_declaration(&mut seen, &id, &span, |id| {
                format!("duplicate actor id `{id}`")
            }) {
                continue;
            }
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
            if !self.first_declaration(&mut seen, &full, &span, |id| {
                format!("duplicate option id `{id}`")
            }) {
                continue;
            }
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
}
