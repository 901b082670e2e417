//! Expressions in scenario files: parsed with exact spans, then resolved against the scenario
//! (options in stability contexts, issue comparisons in deal contexts).

use super::*;

impl Lowerer<'_> {
    /// Parses and resolves an expression written as a TOML string.
    pub(super) fn expr(
        &mut self,
        v: &Value<'_>,
        what: &str,
        ctx: ExprContext,
    ) -> Option<(Expr, String)> {
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

    pub(super) fn resolve(
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
    pub(super) fn literal(
        &mut self,
        issue: usize,
        lit: &SynLit,
        span: &Span,
        exact: bool,
    ) -> Option<Literal> {
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

    pub(super) fn expr_list(
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
}
