//! The JSON Schema of the scenario file format, for editors (Taplo, VS Code Even Better TOML).
//!
//! These types describe the *file*, not the model: they exist only to generate the schema
//! published at `docs/scenario.schema.json` (a test keeps the two identical, and another checks
//! that every built-in scenario validates against it). The loader itself walks spanned TOML so
//! that it can report every problem with a position; see `lower.rs`.

use std::collections::BTreeMap;

use schemars::JsonSchema;

/// A redline scenario: actors, options, issues, utilities, red lines, linkages, forecast inputs
/// and uncertainty, in one file.
#[derive(JsonSchema)]
#[schemars(title = "redline scenario", deny_unknown_fields)]
#[allow(dead_code)]
pub struct ScenarioFile {
    scenario: Header,
    /// Parties and mediators.
    actors: Vec<Actor>,
    /// Yes/no courses of action, each controlled by one actor (stability view).
    options: Option<Vec<OptionEntry>>,
    stability: Option<Stability>,
    /// Items on the agenda (deal view).
    issues: Option<Vec<Issue>>,
    /// Additive utility per actor id.
    utilities: Option<BTreeMap<String, Utility>>,
    red_lines: Option<Vec<RedLine>>,
    linkages: Option<Vec<Linkage>>,
    sequencing: Option<Vec<Sequencing>>,
    forecast: Option<Forecast>,
    uncertainty: Option<Vec<Uncertainty>>,
    /// The per-round risk that talks break down into an escalation.
    breakdown: Option<Breakdown>,
}

/// Each round without agreement carries probability `per_round` that the talks break down and
/// every party gets its utility of the escalation.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Breakdown {
    id: String,
    /// What happens, in words.
    text: String,
    /// Probability per round without agreement, in [0, 1).
    #[schemars(range(min = 0.0, max = 1.0))]
    per_round: f64,
    description: Option<String>,
    /// Each party's utility of the escalation, in [0, 1].
    utilities: BTreeMap<String, f64>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Header {
    id: String,
    name: String,
    description: Option<String>,
    /// Where the case comes from.
    source: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
#[allow(dead_code)]
enum Role {
    Party,
    Mediator,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Actor {
    id: String,
    name: Option<String>,
    /// Default: party.
    role: Option<Role>,
    description: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
#[allow(dead_code)]
enum Direction {
    Both,
    /// Once taken, cannot be untaken.
    Forward,
    /// Once dropped, cannot be retaken.
    Backward,
    Fwd,
    Back,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct OptionEntry {
    /// Unique per owner; referenced as `owner.id` in expressions.
    id: String,
    /// The actor that controls it.
    owner: String,
    name: Option<String>,
    direction: Option<Direction>,
    description: Option<String>,
}

/// A state: the option ids taken, or a Y/N pattern in bit order.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum State {
    Options(Vec<String>),
    Pattern(String),
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Stability {
    status_quo: Option<State>,
    /// Expressions over options; a state satisfying any is infeasible.
    infeasible: Option<Vec<String>>,
    /// Expressions over options every feasible state satisfies.
    require: Option<Vec<String>>,
    coalitions: Option<Vec<Vec<String>>>,
    /// Per decision maker (actor id).
    preferences: Option<BTreeMap<String, Preferences>>,
    /// Per decision maker: expressions for the states it misperceives.
    misperceptions: Option<BTreeMap<String, Vec<String>>>,
}

/// A tie group: one pattern or several.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum TieGroup {
    One(String),
    Many(Vec<String>),
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Preferences {
    /// Option prioritisation, most important first.
    statements: Option<Vec<String>>,
    /// Tie groups of Y/N/- patterns, best first.
    ranking: Option<Vec<TieGroup>>,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
#[allow(dead_code)]
enum IssueType {
    Labels,
    Ordered,
    Integer,
    Real,
}

/// A label or a number.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum Value {
    Label(String),
    Number(f64),
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Issue {
    id: String,
    name: Option<String>,
    /// Default: labels (unordered).
    #[schemars(rename = "type")]
    kind: Option<IssueType>,
    values: Option<Vec<String>>,
    min: Option<f64>,
    max: Option<f64>,
    step: Option<f64>,
    status_quo: Option<Value>,
    description: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Linear {
    slope: f64,
    offset: Option<f64>,
}

/// Raw evaluations per label, one per value in order, or a linear evaluator.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum Evaluation {
    Linear(Linear),
    PerValue(Vec<f64>),
    PerLabel(BTreeMap<String, f64>),
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Term {
    when: String,
    value: f64,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Utility {
    /// Utility of no agreement, in [0, 1]. Default: the utility of today's outcome when every
    /// issue has a status quo (no deal means today continues), else 0.
    #[schemars(range(min = 0.0, max = 1.0))]
    reservation: Option<f64>,
    /// Why no agreement is worth less than today's outcome, when `reservation` says so.
    reservation_reason: Option<String>,
    #[schemars(range(min = 0.0, max = 1.0))]
    discount: Option<f64>,
    weights: Option<BTreeMap<String, f64>>,
    evaluations: Option<BTreeMap<String, Evaluation>>,
    terms: Option<Vec<Term>>,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
#[allow(dead_code)]
enum RedLineKind {
    RedLine,
    Precondition,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct RedLine {
    id: String,
    owner: String,
    kind: Option<RedLineKind>,
    /// Expression over issues every outcome acceptable to the owner satisfies.
    require: String,
    description: Option<String>,
    /// Known only to the owner (default false: public, so other parties' red-line-aware
    /// negotiators and the mediator never offer what breaks it).
    private: Option<bool>,
    /// When it binds in a phased plan: "always" (every phase, the default) or "final" (the
    /// final agreement only).
    applies: Option<Applies>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum Applies {
    Always,
    Final,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Linkage {
    id: String,
    require: String,
    description: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Sequencing {
    id: String,
    first: String,
    then: String,
    strict: Option<bool>,
    description: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Forecast {
    dimensions: Option<BTreeMap<String, Dimension>>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Dimension {
    name: Option<String>,
    description: Option<String>,
    low: Option<String>,
    high: Option<String>,
    positions: Option<BTreeMap<String, ActorPosition>>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct ActorPosition {
    #[schemars(range(min = 0.0, max = 100.0))]
    position: f64,
    #[schemars(range(min = 0.0, max = 100.0))]
    capability: f64,
    #[schemars(range(min = 0.0, max = 100.0))]
    salience: f64,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Normal {
    mean: f64,
    sd: f64,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Uncertainty {
    /// e.g. utilities.iran.reservation, forecast.missile_limits.us.salience, stability.preferences.iran
    target: String,
    uniform: Option<[f64; 2]>,
    normal: Option<Normal>,
    triangular: Option<[f64; 3]>,
    choice: Option<Vec<f64>>,
    alternatives: Option<Vec<Vec<String>>>,
    weights: Option<Vec<f64>>,
}

/// The schema as pretty-printed JSON.
pub fn scenario_schema_json() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
