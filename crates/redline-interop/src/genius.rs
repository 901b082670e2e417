//! GENIUS domain and additive utility profile XML.
//!
//! GENIUS (Lin et al., 2014) stores a negotiation domain as a `negotiation_template` holding a
//! `utility_space` with one `objective` and its `issue`s, and each party's preferences as an
//! additive `utility_space` profile: per issue an evaluator (item evaluations for discrete issues,
//! a linear function for integer and real issues), one weight per issue, a reservation value and
//! an optional discount factor.
//!
//! Utility follows GENIUS (DESIGN §4): `U(ω) = min(1, Σ_k w_k · e_k(ω_k))`, where for a discrete
//! issue `e_k(v) = eval(v) / max_v' eval(v')` and for integer and real issues
//! `e_k(x) = clamp01(slope · (x − lower) + offset)`. Weights are used as written, never
//! renormalised.
//!
//! Accepted evaluator forms for numeric issues:
//! - `<evaluator ftype="linear" slope=".." offset=".."/>`: GENIUS's integer form, measured from the
//!   issue's lower bound. Read this way for real issues too.
//! - `<evaluator ftype="linear" parameter0="c" parameter1="m"/>`: GENIUS's real form, `m·x + c`
//!   on the raw value; stored as `slope = m`, `offset = c + m·lower`.
//! - `<evaluator ftype="constant" parameter0="c"/>`: stored as `slope = 0`, `offset = c`.
//!
//! The writers emit files that GENIUS reads; [`write_domain`] then [`parse_domain`] (and likewise
//! for profiles) gives back the same value.

use std::collections::HashMap;
use std::fmt::Write as _;

use roxmltree::{Document, Node};
use serde::{Deserialize, Serialize};

/// A GENIUS domain: the issues and their values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeniusDomain {
    /// The name of the domain's root objective (for example `"LaptopDomain"`).
    pub name: String,
    /// The issues in file order.
    pub issues: Vec<GeniusIssue>,
}

/// One issue of a [`GeniusDomain`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeniusIssue {
    /// The issue's name as written (profiles refer to issues by it).
    pub name: String,
    /// What values the issue takes.
    pub kind: GeniusIssueKind,
}

/// The value set of a [`GeniusIssue`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GeniusIssueKind {
    /// Labelled values, in file order.
    Discrete {
        /// The value labels.
        values: Vec<String>,
    },
    /// Every integer in `lower..=upper`.
    Integer {
        /// Smallest value.
        lower: i64,
        /// Largest value.
        upper: i64,
    },
    /// The real interval `[lower, upper]`.
    Real {
        /// Smallest value.
        lower: f64,
        /// Largest value.
        upper: f64,
    },
}

/// One party's additive utility profile over a [`GeniusDomain`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeniusProfile {
    /// One weight per domain issue, in domain order, as written.
    pub weights: Vec<f64>,
    /// One evaluator per domain issue, in domain order.
    pub evaluators: Vec<GeniusEvaluator>,
    /// The utility of no agreement (0 when the file gives none).
    pub reservation: f64,
    /// The discount factor, as written, when the file gives one.
    pub discount: Option<f64>,
}

/// How one issue's value becomes an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GeniusEvaluator {
    /// Raw evaluations per domain value, in domain order; utility divides by their maximum.
    Discrete {
        /// The evaluations.
        evaluations: Vec<f64>,
    },
    /// `clamp01(slope · (x − lower) + offset)`, with `lower` the issue's lower bound.
    Linear {
        /// Change in evaluation per unit of the issue.
        slope: f64,
        /// Evaluation at the issue's lower bound.
        offset: f64,
    },
}

/// One issue's value in an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeniusValue {
    /// The index of a discrete value in domain order.
    Discrete(usize),
    /// An integer value.
    Integer(i64),
    /// A real value.
    Real(f64),
}

/// Why a GENIUS file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeniusError {
    /// The text is not well-formed XML.
    #[error("not well-formed XML: {0}")]
    Xml(String),
    /// The XML is well formed but does not describe a valid domain or profile.
    #[error("{line}:{col}: <{element}>: {message}")]
    Invalid {
        /// 1-based line of the offending element or attribute.
        line: u32,
        /// 1-based column of the offending element or attribute.
        col: u32,
        /// The element's tag name.
        element: String,
        /// What is wrong, and what was expected.
        message: String,
    },
}

fn invalid(doc: &Document, node: Node, message: impl Into<String>) -> GeniusError {
    let pos = doc.text_pos_at(node.range().start);
    GeniusError::Invalid {
        line: pos.row,
        col: pos.col,
        element: node.tag_name().name().to_string(),
        message: message.into(),
    }
}

fn invalid_attr(doc: &Document, node: Node, attr: &str, message: impl Into<String>) -> GeniusError {
    let start = node
        .attribute_node(attr)
        .map_or(node.range().start, |a| a.range().start);
    let pos = doc.text_pos_at(start);
    GeniusError::Invalid {
        line: pos.row,
        col: pos.col,
        element: node.tag_name().name().to_string(),
        message: message.into(),
    }
}

fn required_attr<'a>(
    doc: &Document,
    node: Node<'a, '_>,
    attr: &str,
) -> Result<&'a str, GeniusError> {
    node.attribute(attr)
        .ok_or_else(|| invalid(doc, node, format!("missing attribute `{attr}`")))
}

fn parse_f64_attr(doc: &Document, node: Node, attr: &str) -> Result<f64, GeniusError> {
    let text = required_attr(doc, node, attr)?;
    let value: f64 = text.trim().parse().map_err(|_| {
        invalid_attr(
            doc,
            node,
            attr,
            format!("attribute `{attr}` = {text:?} is not a number"),
        )
    })?;
    if !value.is_finite() {
        return Err(invalid_attr(
            doc,
            node,
            attr,
            format!("attribute `{attr}` = {text:?} is not finite"),
        ));
    }
    Ok(value)
}

fn parse_i64_attr(doc: &Document, node: Node, attr: &str) -> Result<i64, GeniusError> {
    let text = required_attr(doc, node, attr)?;
    text.trim().parse().map_err(|_| {
        invalid_attr(
            doc,
            node,
            attr,
            format!("attribute `{attr}` = {text:?} is not an integer"),
        )
    })
}

fn parse_xml(xml: &str) -> Result<Document<'_>, GeniusError> {
    Document::parse(xml).map_err(|e| GeniusError::Xml(e.to_string()))
}

fn child_elements<'a, 'i>(node: Node<'a, 'i>, tag: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == tag)
}

/// The `utility_space` element: the root itself, or the first one below it.
fn utility_space<'a, 'i>(doc: &'a Document<'i>) -> Result<Node<'a, 'i>, GeniusError> {
    doc.root_element()
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "utility_space")
        .ok_or_else(|| invalid(doc, doc.root_element(), "no <utility_space> element found"))
}

/// The issue elements below a utility space, in document order (hierarchical objectives are
/// flattened).
fn issue_elements<'a, 'i>(space: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    space
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "issue")
        .collect()
}

fn issue_type<'a>(doc: &Document, node: Node<'a, '_>) -> Result<&'a str, GeniusError> {
    let ty = node
        .attribute("type")
        .or_else(|| node.attribute("etype"))
        .or_else(|| node.attribute("vtype"))
        .unwrap_or("discrete");
    match ty {
        "discrete" | "integer" | "real" => Ok(ty),
        other => Err(invalid_attr(
            doc,
            node,
            "type",
            format!("unknown issue type {other:?} (expected discrete, integer or real)"),
        )),
    }
}

/// Bounds of a numeric issue: attributes on the issue, or on a `<range>` child.
fn bounds_node<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    if node.has_attribute("lowerbound") || node.has_attribute("upperbound") {
        Some(node)
    } else {
        child_elements(node, "range").next()
    }
}

fn parse_issue(doc: &Document, node: Node) -> Result<GeniusIssue, GeniusError> {
    let name = required_attr(doc, node, "name")?.to_string();
    let kind = match issue_type(doc, node)? {
        "discrete" => {
            let mut values: Vec<String> = Vec::new();
            for item in child_elements(node, "item") {
                let value = required_attr(doc, item, "value")?;
                if values.iter().any(|v| v == value) {
                    return Err(invalid_attr(
                        doc,
                        item,
                        "value",
                        format!("value {value:?} appears twice in issue {name:?}"),
                    ));
                }
                values.push(value.to_string());
            }
            if values.is_empty() {
                return Err(invalid(
                    doc,
                    node,
                    format!("discrete issue {name:?} has no <item> values"),
                ));
            }
            GeniusIssueKind::Discrete { values }
        }
        "integer" => {
            let b = bounds_node(node).ok_or_else(|| {
                invalid(
                    doc,
                    node,
                    format!("integer issue {name:?} needs `lowerbound` and `upperbound`"),
                )
            })?;
            let lower = parse_i64_attr(doc, b, "lowerbound")?;
            let upper = parse_i64_attr(doc, b, "upperbound")?;
            if lower > upper {
                return Err(invalid(
                    doc,
                    b,
                    format!("issue {name:?}: lowerbound {lower} exceeds upperbound {upper}"),
                ));
            }
            GeniusIssueKind::Integer { lower, upper }
        }
        _ => {
            let b = bounds_node(node).ok_or_else(|| {
                invalid(
                    doc,
                    node,
                    format!("real issue {name:?} needs `lowerbound` and `upperbound`"),
                )
            })?;
            let lower = parse_f64_attr(doc, b, "lowerbound")?;
            let upper = parse_f64_attr(doc, b, "upperbound")?;
            if lower > upper {
                return Err(invalid(
                    doc,
                    b,
                    format!("issue {name:?}: lowerbound {lower} exceeds upperbound {upper}"),
                ));
            }
            GeniusIssueKind::Real { lower, upper }
        }
    };
    Ok(GeniusIssue { name, kind })
}

/// Reads a GENIUS domain file (`negotiation_template`, or a bare `utility_space`).
pub fn parse_domain(xml: &str) -> Result<GeniusDomain, GeniusError> {
    let doc = parse_xml(xml)?;
    let space = utility_space(&doc)?;
    let name = child_elements(space, "objective")
        .next()
        .and_then(|o| o.attribute("name"))
        .unwrap_or("")
        .to_string();
    let mut issues: Vec<GeniusIssue> = Vec::new();
    for node in issue_elements(space) {
        let issue = parse_issue(&doc, node)?;
        if issues.iter().any(|i| i.name == issue.name) {
            return Err(invalid_attr(
                &doc,
                node,
                "name",
                format!("issue name {:?} appears twice", issue.name),
            ));
        }
        issues.push(issue);
    }
    if issues.is_empty() {
        return Err(invalid(&doc, space, "the domain has no <issue> elements"));
    }
    Ok(GeniusDomain { name, issues })
}

fn parse_evaluator(
    doc: &Document,
    node: Node,
    issue: &GeniusIssue,
) -> Result<GeniusEvaluator, GeniusError> {
    let name = &issue.name;
    let ty = issue_type(doc, node)?;
    let expected = match issue.kind {
        GeniusIssueKind::Discrete { .. } => "discrete",
        GeniusIssueKind::Integer { .. } => "integer",
        GeniusIssueKind::Real { .. } => "real",
    };
    // A profile that leaves the type out of a numeric issue inherits it from the domain.
    let declared =
        node.has_attribute("type") || node.has_attribute("etype") || node.has_attribute("vtype");
    if declared && ty != expected {
        return Err(invalid(
            doc,
            node,
            format!("issue {name:?} is {ty} here but {expected} in the domain"),
        ));
    }
    match &issue.kind {
        GeniusIssueKind::Discrete { values } => {
            let mut evaluations: Vec<Option<f64>> = vec![None; values.len()];
            for item in child_elements(node, "item") {
                let value = required_attr(doc, item, "value")?;
                let idx = values.iter().position(|v| v == value).ok_or_else(|| {
                    invalid_attr(
                        doc,
                        item,
                        "value",
                        format!("value {value:?} is not a value of issue {name:?} in the domain"),
                    )
                })?;
                if evaluations[idx].is_some() {
                    return Err(invalid_attr(
                        doc,
                        item,
                        "value",
                        format!("value {value:?} of issue {name:?} is evaluated twice"),
                    ));
                }
                let e = parse_f64_attr(doc, item, "evaluation")?;
                if e < 0.0 {
                    return Err(invalid_attr(
                        doc,
                        item,
                        "evaluation",
                        format!("evaluation {e} of {value:?} is negative"),
                    ));
                }
                evaluations[idx] = Some(e);
            }
            let mut out = Vec::with_capacity(values.len());
            for (v, e) in values.iter().zip(&evaluations) {
                match e {
                    Some(e) => out.push(*e),
                    None => {
                        return Err(invalid(
                            doc,
                            node,
                            format!("issue {name:?} has no evaluation for value {v:?}"),
                        ));
                    }
                }
            }
            Ok(GeniusEvaluator::Discrete { evaluations: out })
        }
        GeniusIssueKind::Integer { lower, upper } => {
            check_profile_bounds(doc, node, name, *lower as f64, *upper as f64)?;
            linear_evaluator(doc, node, name, *lower as f64)
        }
        GeniusIssueKind::Real { lower, upper } => {
            check_profile_bounds(doc, node, name, *lower, *upper)?;
            linear_evaluator(doc, node, name, *lower)
        }
    }
}

fn check_profile_bounds(
    doc: &Document,
    node: Node,
    name: &str,
    lower: f64,
    upper: f64,
) -> Result<(), GeniusError> {
    if let Some(b) = bounds_node(node) {
        for (attr, want) in [("lowerbound", lower), ("upperbound", upper)] {
            if b.has_attribute(attr) {
                let got = parse_f64_attr(doc, b, attr)?;
                if got != want {
                    return Err(invalid_attr(
                        doc,
                        b,
                        attr,
                        format!("issue {name:?}: {attr} {got} differs from the domain's {want}"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn linear_evaluator(
    doc: &Document,
    node: Node,
    name: &str,
    lower: f64,
) -> Result<GeniusEvaluator, GeniusError> {
    let ev = child_elements(node, "evaluator").next().ok_or_else(|| {
        invalid(
            doc,
            node,
            format!("numeric issue {name:?} has no <evaluator>"),
        )
    })?;
    let ftype = ev.attribute("ftype").unwrap_or("linear");
    match ftype {
        "linear" => {
            if ev.has_attribute("slope") || ev.has_attribute("offset") {
                let slope = parse_f64_attr(doc, ev, "slope")?;
                let offset = parse_f64_attr(doc, ev, "offset")?;
                Ok(GeniusEvaluator::Linear { slope, offset })
            } else {
                let c = parse_f64_attr(doc, ev, "parameter0")?;
                let m = parse_f64_attr(doc, ev, "parameter1")?;
                Ok(GeniusEvaluator::Linear {
                    slope: m,
                    offset: c + m * lower,
                })
            }
        }
        "constant" => {
            let c = parse_f64_attr(doc, ev, "parameter0")?;
            Ok(GeniusEvaluator::Linear {
                slope: 0.0,
                offset: c,
            })
        }
        other => Err(invalid_attr(
            doc,
            ev,
            "ftype",
            format!(
                "evaluator type {other:?} of issue {name:?} is not supported (expected linear or constant)"
            ),
        )),
    }
}

/// Reads a GENIUS additive profile (`utility_space`) against its domain.
///
/// Issues are matched by name, values by label. Every domain issue needs an evaluator and a
/// weight; weights are matched to issues through the `index` attributes (an issue without one
/// takes its 1-based position in the file).
pub fn parse_profile(xml: &str, domain: &GeniusDomain) -> Result<GeniusProfile, GeniusError> {
    let doc = parse_xml(xml)?;
    let space = utility_space(&doc)?;

    let reservation = match space
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "reservation")
    {
        Some(r) => {
            let v = parse_f64_attr(&doc, r, "value")?;
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid_attr(
                    &doc,
                    r,
                    "value",
                    format!("reservation value {v} is outside [0, 1], where utilities lie"),
                ));
            }
            v
        }
        None => 0.0,
    };
    let discount = match space
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "discount_factor")
    {
        Some(d) => {
            let v = parse_f64_attr(&doc, d, "value")?;
            // GENIUS reads 0 and 1 as "no discount"; anything outside [0, 1] is no discount
            // factor at all, and dropping it silently would change the model.
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid_attr(
                    &doc,
                    d,
                    "value",
                    format!("discount factor {v} is outside [0, 1] (0 and 1 mean no discount)"),
                ));
            }
            Some(v)
        }
        None => None,
    };

    let n = domain.issues.len();
    let mut evaluators: Vec<Option<GeniusEvaluator>> = vec![None; n];
    // Issue `index` attribute (as written) -> domain position.
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for (pos, node) in issue_elements(space).into_iter().enumerate() {
        let name = required_attr(&doc, node, "name")?;
        let k = domain
            .issues
            .iter()
            .position(|i| i.name == name)
            .ok_or_else(|| {
                invalid_attr(
                    &doc,
                    node,
                    "name",
                    format!("issue {name:?} is not in domain {:?}", domain.name),
                )
            })?;
        if evaluators[k].is_some() {
            return Err(invalid_attr(
                &doc,
                node,
                "name",
                format!("issue {name:?} appears twice"),
            ));
        }
        evaluators[k] = Some(parse_evaluator(&doc, node, &domain.issues[k])?);
        let index = node
            .attribute("index")
            .map_or_else(|| (pos + 1).to_string(), |s| s.trim().to_string());
        if index_of.insert(index.clone(), k).is_some() {
            return Err(invalid_attr(
                &doc,
                node,
                "index",
                format!("issue index {index} is used twice"),
            ));
        }
    }
    let mut weights: Vec<Option<f64>> = vec![None; n];
    for w in space
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "weight")
    {
        let index = required_attr(&doc, w, "index")?.trim();
        let k = *index_of.get(index).ok_or_else(|| {
            invalid_attr(
                &doc,
                w,
                "index",
                format!("weight index {index} matches no issue of this profile"),
            )
        })?;
        if weights[k].is_some() {
            return Err(invalid_attr(
                &doc,
                w,
                "index",
                format!("issue {:?} has two weights", domain.issues[k].name),
            ));
        }
        let value = parse_f64_attr(&doc, w, "value")?;
        if value < 0.0 {
            return Err(invalid_attr(
                &doc,
                w,
                "value",
                format!("weight {value} is negative"),
            ));
        }
        weights[k] = Some(value);
    }
    let mut out_eval = Vec::with_capacity(n);
    let mut out_w = Vec::with_capacity(n);
    for (k, (e, w)) in evaluators.into_iter().zip(weights).enumerate() {
        let name = &domain.issues[k].name;
        out_eval.push(e.ok_or_else(|| {
            invalid(
                &doc,
                space,
                format!("the profile does not evaluate issue {name:?}"),
            )
        })?);
        out_w.push(w.ok_or_else(|| {
            invalid(
                &doc,
                space,
                format!("the profile gives no <weight> for issue {name:?}"),
            )
        })?);
    }
    Ok(GeniusProfile {
        weights: out_w,
        evaluators: out_eval,
        reservation,
        discount,
    })
}

impl GeniusEvaluator {
    /// The evaluation in [0, 1] of one value, as GENIUS computes it (discrete: divided by the
    /// largest evaluation; a zero maximum gives 0).
    pub fn evaluate(&self, kind: &GeniusIssueKind, value: GeniusValue) -> f64 {
        match (self, value) {
            (GeniusEvaluator::Discrete { evaluations }, GeniusValue::Discrete(i)) => {
                let max = evaluations.iter().copied().fold(0.0_f64, f64::max);
                match evaluations.get(i) {
                    Some(e) if max > 0.0 => e / max,
                    _ => 0.0,
                }
            }
            (GeniusEvaluator::Linear { slope, offset }, v) => {
                let lower = match kind {
                    GeniusIssueKind::Integer { lower, .. } => *lower as f64,
                    GeniusIssueKind::Real { lower, .. } => *lower,
                    GeniusIssueKind::Discrete { .. } => 0.0,
                };
                let x = match v {
                    GeniusValue::Integer(x) => x as f64,
                    GeniusValue::Real(x) => x,
                    GeniusValue::Discrete(i) => i as f64,
                };
                (slope * (x - lower) + offset).clamp(0.0, 1.0)
            }
            (GeniusEvaluator::Discrete { .. }, _) => 0.0,
        }
    }
}

impl GeniusProfile {
    /// GENIUS utility of an outcome, undiscounted: `min(1, Σ_k w_k · e_k(ω_k))`. Issues missing
    /// from `outcome` contribute nothing.
    pub fn utility(&self, domain: &GeniusDomain, outcome: &[GeniusValue]) -> f64 {
        let mut u = 0.0;
        for (((w, e), issue), v) in self
            .weights
            .iter()
            .zip(&self.evaluators)
            .zip(&domain.issues)
            .zip(outcome)
        {
            u += w * e.evaluate(&issue.kind, *v);
        }
        u.min(1.0)
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

fn type_name(kind: &GeniusIssueKind) -> &'static str {
    match kind {
        GeniusIssueKind::Discrete { .. } => "discrete",
        GeniusIssueKind::Integer { .. } => "integer",
        GeniusIssueKind::Real { .. } => "real",
    }
}

fn write_issue_open(out: &mut String, index: usize, issue: &GeniusIssue) {
    let ty = type_name(&issue.kind);
    let _ = write!(
        out,
        "    <issue index=\"{index}\" name=\"{}\" vtype=\"{ty}\" type=\"{ty}\" etype=\"{ty}\"",
        escape(&issue.name)
    );
    if let GeniusIssueKind::Integer { lower, upper } = issue.kind {
        let _ = write!(out, " lowerbound=\"{lower}\" upperbound=\"{upper}\"");
    }
    out.push_str(">\n");
    if let GeniusIssueKind::Real { lower, upper } = issue.kind {
        let _ = writeln!(
            out,
            "      <range lowerbound=\"{lower:?}\" upperbound=\"{upper:?}\"/>"
        );
    }
}

/// Writes a domain as a GENIUS `negotiation_template`.
pub fn write_domain(domain: &GeniusDomain) -> String {
    let mut out = String::new();
    out.push_str("<negotiation_template number_of_sessions=\"1\">\n");
    let _ = writeln!(
        out,
        "  <utility_space number_of_issues=\"{}\">",
        domain.issues.len()
    );
    let _ = writeln!(
        out,
        "   <objective index=\"0\" description=\"\" name=\"{}\" type=\"objective\" etype=\"objective\">",
        escape(&domain.name)
    );
    for (k, issue) in domain.issues.iter().enumerate() {
        write_issue_open(&mut out, k + 1, issue);
        if let GeniusIssueKind::Discrete { values } = &issue.kind {
            for (i, v) in values.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "      <item index=\"{}\" value=\"{}\"/>",
                    i + 1,
                    escape(v)
                );
            }
        }
        out.push_str("    </issue>\n");
    }
    out.push_str("   </objective>\n  </utility_space>\n</negotiation_template>\n");
    out
}

/// Writes a profile as a GENIUS additive `utility_space`.
///
/// Linear evaluators of real issues carry both GENIUS's `parameter0`/`parameter1` (which GENIUS
/// reads) and `slope`/`offset` (which this reader prefers, so that reading back is exact).
pub fn write_profile(domain: &GeniusDomain, profile: &GeniusProfile) -> String {
    let mut out = String::new();
    out.push_str("<utility_space>\n");
    let _ = writeln!(out, "  <reservation value=\"{:?}\"/>", profile.reservation);
    let _ = writeln!(
        out,
        "   <objective index=\"0\" description=\"\" name=\"{}\" type=\"objective\" etype=\"objective\">",
        escape(&domain.name)
    );
    for (k, issue) in domain.issues.iter().enumerate() {
        write_issue_open(&mut out, k + 1, issue);
        match (profile.evaluators.get(k), &issue.kind) {
            (
                Some(GeniusEvaluator::Discrete { evaluations }),
                GeniusIssueKind::Discrete { values },
            ) => {
                for (i, v) in values.iter().enumerate() {
                    let e = evaluations.get(i).copied().unwrap_or(0.0);
                    let _ = writeln!(
                        out,
                        "      <item index=\"{}\" value=\"{}\" cost=\"0.0\" evaluation=\"{e:?}\"/>",
                        i + 1,
                        escape(v)
                    );
                }
            }
            (
                Some(GeniusEvaluator::Linear { slope, offset }),
                GeniusIssueKind::Real { lower, .. },
            ) => {
                let _ = writeln!(
                    out,
                    "      <evaluator ftype=\"linear\" parameter0=\"{:?}\" parameter1=\"{slope:?}\" slope=\"{slope:?}\" offset=\"{offset:?}\"/>",
                    offset - slope * lower
                );
            }
            (Some(GeniusEvaluator::Linear { slope, offset }), _) => {
                let _ = writeln!(
                    out,
                    "      <evaluator ftype=\"linear\" slope=\"{slope:?}\" offset=\"{offset:?}\"/>"
                );
            }
            _ => {}
        }
        out.push_str("    </issue>\n");
    }
    for (k, w) in profile.weights.iter().enumerate() {
        let _ = writeln!(out, "    <weight index=\"{}\" value=\"{w:?}\"/>", k + 1);
    }
    out.push_str("   </objective>\n");
    if let Some(d) = profile.discount {
        let _ = writeln!(out, "  <discount_factor value=\"{d:?}\"/>");
    }
    out.push_str("</utility_space>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENIUS: &str = redline_testdata::data!("domains/genius/");

    fn read(rel: &str) -> String {
        std::fs::read_to_string(format!("{GENIUS}{rel}")).unwrap()
    }

    fn load(dir: &str, domain: &str, profiles: &[&str]) -> (GeniusDomain, Vec<GeniusProfile>) {
        let d = parse_domain(&read(&format!("{dir}/{domain}"))).unwrap();
        let ps = profiles
            .iter()
            .map(|p| parse_profile(&read(&format!("{dir}/{p}")), &d).unwrap())
            .collect();
        (d, ps)
    }

    fn all_outcomes(d: &GeniusDomain) -> Vec<Vec<GeniusValue>> {
        let mut out = vec![vec![]];
        for issue in &d.issues {
            let GeniusIssueKind::Discrete { values } = &issue.kind else {
                panic!()
            };
            out = out
                .into_iter()
                .flat_map(|o| {
                    (0..values.len()).map(move |i| {
                        let mut o = o.clone();
                        o.push(GeniusValue::Discrete(i));
                        o
                    })
                })
                .collect();
        }
        out
    }

    fn reference(name: &str) -> serde_json::Value {
        let path = redline_testdata::data!("reference/negotiation/");
        serde_json::from_str(
            &std::fs::read_to_string(format!("{path}{name}.expected.json")).unwrap(),
        )
        .unwrap()
    }

    /// Every reference Pareto point's utilities are reproduced outcome by outcome, and the
    /// utility ranges match.
    fn check_reference(name: &str, dir: &str, domain: &str, profiles: &[&str]) {
        let (d, ps) = load(dir, domain, profiles);
        let r = reference(name);
        let outcomes = all_outcomes(&d);
        assert_eq!(outcomes.len() as u64, r["n_outcomes"].as_u64().unwrap());
        for point in r["pareto"].as_array().unwrap() {
            let idx = point["outcome_index"].as_u64().unwrap() as usize;
            let labels: Vec<&str> = point["outcome"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let o = &outcomes[idx];
            for (k, (v, label)) in o.iter().zip(&labels).enumerate() {
                let GeniusIssueKind::Discrete { values } = &d.issues[k].kind else {
                    panic!()
                };
                let GeniusValue::Discrete(i) = v else {
                    panic!()
                };
                assert_eq!(values[*i], *label);
            }
            for (p, want) in ps.iter().zip(point["utilities"].as_array().unwrap()) {
                assert!((p.utility(&d, o) - want.as_f64().unwrap()).abs() < 1e-12);
            }
        }
        for (p, range) in ps.iter().zip(r["utility_ranges"].as_array().unwrap()) {
            let us: Vec<f64> = outcomes.iter().map(|o| p.utility(&d, o)).collect();
            let lo = us.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = us.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(
                (lo - range[0].as_f64().unwrap()).abs() < 1e-12,
                "{name} min {lo}"
            );
            assert!(
                (hi - range[1].as_f64().unwrap()).abs() < 1e-12,
                "{name} max {hi}"
            );
        }
        // Round trip through the writers.
        let d2 = parse_domain(&write_domain(&d)).unwrap();
        assert_eq!(d, d2);
        for p in &ps {
            assert_eq!(*p, parse_profile(&write_profile(&d, p), &d2).unwrap());
        }
    }

    #[test]
    fn laptop_matches_reference() {
        check_reference(
            "Laptop",
            "Laptop",
            "laptop_domain.xml",
            &["laptop_buyer_utility.xml", "laptop_seller_utility.xml"],
        );
    }

    #[test]
    fn england_zimbabwe_matches_reference() {
        check_reference(
            "EnglandZimbabwe",
            "EnglandZimbabwe",
            "EnglandZimbabwe_domain.xml",
            &["England.xml", "Zimbabwe.xml"],
        );
    }

    #[test]
    fn grocery_matches_reference() {
        check_reference(
            "Grocery",
            "Grocery",
            "Grocery_domain.xml",
            &["Grocery_domain_sam.xml", "Grocery_domain_mary.xml"],
        );
    }

    #[test]
    fn itex_cypress_matches_reference() {
        check_reference(
            "ItexvsCypress",
            "ItexvsCypress",
            "ItexvsCypress_domain.xml",
            &["ItexvsCypress_Itex.xml", "ItexvsCypress_Cypress.xml"],
        );
    }

    #[test]
    fn reads_fields_of_laptop() {
        let (d, ps) = load("Laptop", "laptop_domain.xml", &["laptop_buyer_utility.xml"]);
        assert_eq!(d.name, "LaptopDomain");
        assert_eq!(d.issues.len(), 3);
        assert_eq!(d.issues[2].name, "External Monitor");
        assert_eq!(
            d.issues[0].kind,
            GeniusIssueKind::Discrete {
                values: vec!["Dell".into(), "Macintosh".into(), "HP".into()]
            }
        );
        let p = &ps[0];
        assert_eq!(
            p.weights,
            vec![0.4452125771655631, 0.37808251708013424, 0.1767567099260568]
        );
        assert_eq!(
            p.evaluators[1],
            GeniusEvaluator::Discrete {
                evaluations: vec![30.0, 20.0, 9.0]
            }
        );
        assert_eq!(p.reservation, 0.0);
        assert_eq!(p.discount, Some(0.42441038));
    }

    const NUMERIC_DOMAIN: &str = r#"<negotiation_template><utility_space><objective name="num">
        <issue index="1" name="Price" type="integer" lowerbound="10" upperbound="20"/>
        <issue index="2" name="Share" type="real"><range lowerbound="0.5" upperbound="1.5"/></issue>
        <issue index="3" name="Colour" type="discrete"><item index="1" value="red"/><item index="2" value="blue &amp; green"/></issue>
        </objective></utility_space></negotiation_template>"#;

    const NUMERIC_PROFILE: &str = r#"<utility_space><reservation value="0.25"/><objective name="num">
        <issue index="1" name="Price" type="integer" lowerbound="10" upperbound="20"><evaluator ftype="linear" slope="-0.1" offset="1.0"/></issue>
        <issue index="2" name="Share" type="real"><range lowerbound="0.5" upperbound="1.5"/><evaluator ftype="linear" parameter0="-0.5" parameter1="1.0"/></issue>
        <issue index="3" name="Colour" type="discrete"><item value="blue &amp; green" evaluation="4"/><item value="red" evaluation="2"/></issue>
        <weight index="1" value="0.5"/><weight index="3" value="0.25"/><weight index="2" value="0.5"/>
        </objective></utility_space>"#;

    #[test]
    fn numeric_issues_follow_genius_evaluators() {
        let d = parse_domain(NUMERIC_DOMAIN).unwrap();
        assert_eq!(
            d.issues[0].kind,
            GeniusIssueKind::Integer {
                lower: 10,
                upper: 20
            }
        );
        assert_eq!(
            d.issues[1].kind,
            GeniusIssueKind::Real {
                lower: 0.5,
                upper: 1.5
            }
        );
        let p = parse_profile(NUMERIC_PROFILE, &d).unwrap();
        assert_eq!(p.weights, vec![0.5, 0.5, 0.25]);
        assert_eq!(p.reservation, 0.25);
        assert_eq!(p.discount, None);
        // parameter0 + parameter1 * x == slope * (x - 0.5) + offset with offset = -0.5 + 0.5.
        assert_eq!(
            p.evaluators[1],
            GeniusEvaluator::Linear {
                slope: 1.0,
                offset: 0.0
            }
        );
        assert_eq!(
            p.evaluators[2],
            GeniusEvaluator::Discrete {
                evaluations: vec![2.0, 4.0]
            }
        );
        let u = |a: i64, b: f64, c: usize| {
            p.utility(
                &d,
                &[
                    GeniusValue::Integer(a),
                    GeniusValue::Real(b),
                    GeniusValue::Discrete(c),
                ],
            )
        };
        // 0.5*1 + 0.5*0 + 0.25*0.5
        assert!((u(10, 0.5, 0) - 0.625).abs() < 1e-12);
        // 0.5*0.5 + 0.5*0.75 + 0.25*1
        assert!((u(15, 1.25, 1) - 0.875).abs() < 1e-12);
        // Capped at 1: 0.5 + 0.5 + 0.25.
        assert_eq!(u(10, 1.5, 1), 1.0);
        // Clamped evaluations: slope*(20-10)+1 = 0.
        assert!((u(20, 0.5, 0) - 0.125).abs() < 1e-12);
        let d2 = parse_domain(&write_domain(&d)).unwrap();
        assert_eq!(d, d2);
        assert_eq!(p, parse_profile(&write_profile(&d, &p), &d).unwrap());
    }

    fn err(xml: &str, domain: Option<&GeniusDomain>) -> String {
        match domain {
            None => parse_domain(xml).unwrap_err().to_string(),
            Some(d) => parse_profile(xml, d).unwrap_err().to_string(),
        }
    }

    #[test]
    fn errors_say_what_and_where() {
        assert!(err("<a><b></a>", None).starts_with("not well-formed XML"));
        assert_eq!(
            err("<negotiation_template/>", None),
            "1:1: <negotiation_template>: no <utility_space> element found"
        );
        let e = err(
            "<utility_space><objective>\n<issue name=\"x\" type=\"fuzzy\"/></objective></utility_space>",
            None,
        );
        assert_eq!(
            e,
            "2:17: <issue>: unknown issue type \"fuzzy\" (expected discrete, integer or real)"
        );
        let e = err(
            "<utility_space><issue name=\"x\"><item value=\"a\"/><item value=\"a\"/></issue></utility_space>",
            None,
        );
        assert!(e.contains("value \"a\" appears twice"), "{e}");
        let e = err(
            "<utility_space><issue name=\"x\" type=\"integer\" lowerbound=\"3\" upperbound=\"two\"/></utility_space>",
            None,
        );
        assert!(
            e.contains("`upperbound` = \"two\" is not an integer"),
            "{e}"
        );
        let e = err("<utility_space><issue name=\"x\"/></utility_space>", None);
        assert!(e.contains("has no <item> values"), "{e}");
        assert!(err("<utility_space/>", None).contains("no <issue> elements"));

        let d = parse_domain(NUMERIC_DOMAIN).unwrap();
        let missing_weight = NUMERIC_PROFILE.replace("<weight index=\"3\" value=\"0.25\"/>", "");
        assert!(err(&missing_weight, Some(&d)).contains("no <weight> for issue \"Colour\""));
        let bad_value = NUMERIC_PROFILE.replace("value=\"red\"", "value=\"pink\"");
        assert!(err(&bad_value, Some(&d)).contains("\"pink\" is not a value of issue \"Colour\""));
        let bad_eval = NUMERIC_PROFILE.replace("evaluation=\"2\"", "evaluation=\"NaN\"");
        assert!(err(&bad_eval, Some(&d)).contains("is not finite"));
        let neg_eval = NUMERIC_PROFILE.replace("evaluation=\"2\"", "evaluation=\"-2\"");
        assert!(err(&neg_eval, Some(&d)).contains("is negative"));
        let unknown_issue = NUMERIC_PROFILE.replace("name=\"Share\"", "name=\"Stake\"");
        assert!(err(&unknown_issue, Some(&d)).contains("issue \"Stake\" is not in domain \"num\""));
        let wrong_bounds = NUMERIC_PROFILE.replace("upperbound=\"20\"", "upperbound=\"30\"");
        assert!(
            err(&wrong_bounds, Some(&d)).contains("upperbound 30 differs from the domain's 20")
        );
        let no_eval = NUMERIC_PROFILE.replace(
            "<evaluator ftype=\"linear\" slope=\"-0.1\" offset=\"1.0\"/>",
            "",
        );
        assert!(err(&no_eval, Some(&d)).contains("numeric issue \"Price\" has no <evaluator>"));
        let stray_weight = NUMERIC_PROFILE.replace("<weight index=\"3\"", "<weight index=\"9\"");
        assert!(err(&stray_weight, Some(&d)).contains("weight index 9 matches no issue"));
    }
}
