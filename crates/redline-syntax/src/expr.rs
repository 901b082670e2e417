//! The expression language: lexer and parser producing an unresolved tree with exact spans.
//!
//! Grammar, loosest binding first:
//! ```text
//! statement := implies ( ("if" | "iff") implies )?      // `q if p` is p => q, `q iff p` is p <=> q
//! implies   := or ( ("=>" implies) | ("<=>" or) )?       // `=>` is right-associative
//! or        := and ( ("|" | "or") and )*
//! and       := unary ( ("&" | "and") unary )*
//! unary     := ("!" | "not") unary | atom
//! atom      := "(" statement ")" | "true" | "false"
//!            | NAME ( CMP literal | "in" "[" literal ("," literal)* ","? "]" )?
//! CMP       := "==" | "=" | "!=" | "<" | "<=" | ">" | ">="
//! literal   := NAME | STRING | NUMBER
//! ```
//! Names may contain letters, digits, `_`, `-` and `.` (qualified option ids such as `iran.talks`).

use std::ops::Range;

use redline_model::CmpOp;

pub type Span = Range<usize>;

#[derive(Clone, Debug, PartialEq)]
pub enum SynLit {
    Word(String),
    Str(String),
    Num(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SynExpr {
    Bool(bool, Span),
    Name(String, Span),
    Cmp {
        name: String,
        name_span: Span,
        op: CmpOp,
        op_span: Span,
        lit: SynLit,
        lit_span: Span,
    },
    In {
        name: String,
        name_span: Span,
        lits: Vec<(SynLit, Span)>,
    },
    Not(Box<SynExpr>),
    And(Vec<SynExpr>),
    Or(Vec<SynExpr>),
    Implies(Box<SynExpr>, Box<SynExpr>),
    Iff(Box<SynExpr>, Box<SynExpr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Name(String),
    Str(String),
    Num(f64),
    And,
    Or,
    Not,
    Implies,
    Iff,
    If,
    IffWord,
    In,
    True,
    False,
    Cmp(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Name(n) => format!("name `{n}`"),
        Tok::Str(s) => format!("string {s:?}"),
        Tok::Num(x) => format!("number {x}"),
        Tok::And => "`&`".into(),
        Tok::Or => "`|`".into(),
        Tok::Not => "`!`".into(),
        Tok::Implies => "`=>`".into(),
        Tok::Iff => "`<=>`".into(),
        Tok::If => "`if`".into(),
        Tok::IffWord => "`iff`".into(),
        Tok::In => "`in`".into(),
        Tok::True => "`true`".into(),
        Tok::False => "`false`".into(),
        Tok::Cmp(op) => format!("`{}`", op.symbol()),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBracket => "`[`".into(),
        Tok::RBracket => "`]`".into(),
        Tok::Comma => "`,`".into(),
        Tok::End => "the end of the expression".into(),
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ParseError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |span: Span, message: String| ParseError {
        span,
        message,
        hint: None,
    };
    while i < bytes.len() {
        let c = src[i..].chars().next().unwrap_or(' ');
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let three = src.get(i..i + 3).unwrap_or("");
        let (tok, len) = if three == "<=>" {
            (Tok::Iff, 3)
        } else if two == "=>" {
            (Tok::Implies, 2)
        } else if two == "==" {
            (Tok::Cmp(CmpOp::Eq), 2)
        } else if two == "!=" {
            (Tok::Cmp(CmpOp::Ne), 2)
        } else if two == "<=" {
            (Tok::Cmp(CmpOp::Le), 2)
        } else if two == ">=" {
            (Tok::Cmp(CmpOp::Ge), 2)
        } else if two == "&&" {
            (Tok::And, 2)
        } else if two == "||" {
            (Tok::Or, 2)
        } else {
            match c {
                '&' => (Tok::And, 1),
                '|' => (Tok::Or, 1),
                '!' => (Tok::Not, 1),
                '=' => (Tok::Cmp(CmpOp::Eq), 1),
                '<' => (Tok::Cmp(CmpOp::Lt), 1),
                '>' => (Tok::Cmp(CmpOp::Gt), 1),
                '(' => (Tok::LParen, 1),
                ')' => (Tok::RParen, 1),
                '[' => (Tok::LBracket, 1),
                ']' => (Tok::RBracket, 1),
                ',' => (Tok::Comma, 1),
                '"' | '\'' => {
                    let quote = c;
                    let body_start = i + 1;
                    match src[body_start..].find(quote) {
                        Some(end) => {
                            let s = src[body_start..body_start + end].to_string();
                            (Tok::Str(s), end + 2)
                        }
                        None => return Err(err(start..src.len(), "unterminated string".into())),
                    }
                }
                c if c.is_ascii_digit()
                    || (c == '-' && src[i + 1..].starts_with(|d: char| d.is_ascii_digit())) =>
                {
                    let mut j = i + 1;
                    while j < bytes.len()
                        && (bytes[j].is_ascii_digit() || bytes[j] == b'.' || bytes[j] == b'_')
                    {
                        j += 1;
                    }
                    let text: String = src[i..j].chars().filter(|&c| c != '_').collect();
                    match text.parse::<f64>() {
                        Ok(x) => (Tok::Num(x), j - i),
                        Err(_) => {
                            return Err(err(i..j, format!("`{}` is not a number", &src[i..j])));
                        }
                    }
                }
                c if c.is_alphabetic() || c == '_' => {
                    let mut j = i;
                    for ch in src[i..].chars() {
                        if ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '.' {
                            j += ch.len_utf8();
                        } else {
                            break;
                        }
                    }
                    let word = &src[i..j];
                    let tok = match word {
                        "and" => Tok::And,
                        "or" => Tok::Or,
                        "not" => Tok::Not,
                        "if" => Tok::If,
                        "iff" => Tok::IffWord,
                        "in" => Tok::In,
                        "true" => Tok::True,
                        "false" => Tok::False,
                        _ => Tok::Name(word.to_string()),
                    };
                    (tok, j - i)
                }
                other => {
                    return Err(ParseError {
                        span: start..start + other.len_utf8(),
                        message: format!("unexpected character `{other}`"),
                        hint: Some(
                            "operators are & | ! => <=> == != < <= > >= and `in [...]`".into(),
                        ),
                    });
                }
            }
        };
        out.push((tok, start..start + len));
        i = start + len;
    }
    out.push((Tok::End, src.len()..src.len()));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 200;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn span(&self) -> Span {
        self.toks[self.pos].1.clone()
    }

    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn unexpected(&self, wanted: &str) -> ParseError {
        ParseError {
            span: self.span(),
            message: format!("expected {wanted}, found {}", describe(self.peek())),
            hint: None,
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                span: self.span(),
                message: "expression is nested too deeply".into(),
                hint: None,
            });
        }
        Ok(())
    }

    fn statement(&mut self) -> Result<SynExpr, ParseError> {
        self.enter()?;
        let q = self.implies()?;
        let r = match self.peek() {
            Tok::If => {
                self.bump();
                let p = self.implies()?;
                SynExpr::Implies(Box::new(p), Box::new(q))
            }
            Tok::IffWord => {
                self.bump();
                let p = self.implies()?;
                SynExpr::Iff(Box::new(p), Box::new(q))
            }
            _ => q,
        };
        self.depth -= 1;
        Ok(r)
    }

    /// `a => b => c` (right-associative) and `a <=> b <=> c` (associative), both parsed without
    /// recursion so that flat chains of any length load: `a => (b => c)` is built as the
    /// equivalent `(a & b) => c`, and a `<=>` chain as a balanced tree (its depth is the
    /// logarithm of its length).
    fn implies(&mut self) -> Result<SynExpr, ParseError> {
        let mut terms = vec![self.or()?];
        while *self.peek() == Tok::Implies {
            self.bump();
            terms.push(self.or()?);
        }
        if *self.peek() == Tok::Iff {
            let mut chain = vec![terms.pop().unwrap_or(SynExpr::Bool(true, 0..0))];
            while *self.peek() == Tok::Iff {
                self.bump();
                chain.push(self.or()?);
            }
            terms.push(balanced_iff(chain));
        }
        let conclusion = terms.pop().unwrap_or(SynExpr::Bool(true, 0..0));
        Ok(match terms.len() {
            0 => conclusion,
            1 => SynExpr::Implies(Box::new(terms.remove(0)), Box::new(conclusion)),
            _ => SynExpr::Implies(Box::new(SynExpr::And(terms)), Box::new(conclusion)),
        })
    }

    fn or(&mut self) -> Result<SynExpr, ParseError> {
        let mut items = vec![self.and()?];
        while *self.peek() == Tok::Or {
            self.bump();
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(SynExpr::Bool(false, 0..0))
        } else {
            SynExpr::Or(items)
        })
    }

    fn and(&mut self) -> Result<SynExpr, ParseError> {
        let mut items = vec![self.unary()?];
        while *self.peek() == Tok::And {
            self.bump();
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(SynExpr::Bool(true, 0..0))
        } else {
            SynExpr::And(items)
        })
    }

    fn unary(&mut self) -> Result<SynExpr, ParseError> {
        if *self.peek() == Tok::Not {
            self.enter()?;
            self.bump();
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(SynExpr::Not(Box::new(e)));
        }
        self.atom()
    }

    fn literal(&mut self) -> Result<(SynLit, Span), ParseError> {
        let (t, span) = self.bump();
        match t {
            Tok::Name(n) => Ok((SynLit::Word(n), span)),
            Tok::Str(s) => Ok((SynLit::Str(s), span)),
            Tok::Num(x) => Ok((SynLit::Num(x), span)),
            Tok::True | Tok::False | Tok::In | Tok::If | Tok::IffWord => {
                // Keywords may name labels too when quoted; say so.
                Err(ParseError {
                    span: span.clone(),
                    message: format!("expected a value, found {}", describe(&t)),
                    hint: Some("quote labels that are keywords, e.g. \"in\"".into()),
                })
            }
            other => Err(ParseError {
                span,
                message: format!("expected a value, found {}", describe(&other)),
                hint: None,
            }),
        }
    }

    fn atom(&mut self) -> Result<SynExpr, ParseError> {
        let (t, span) = self.bump();
        match t {
            Tok::LParen => {
                let e = self.statement()?;
                if *self.peek() != Tok::RParen {
                    let mut err = self.unexpected("`)`");
                    err.hint = Some(format!("the `(` at offset {} is not closed", span.start));
                    return Err(err);
                }
                self.bump();
                Ok(e)
            }
            Tok::True => Ok(SynExpr::Bool(true, span)),
            Tok::False => Ok(SynExpr::Bool(false, span)),
            Tok::Name(name) => match self.peek().clone() {
                Tok::Cmp(op) => {
                    let (_, op_span) = self.bump();
                    let (lit, lit_span) = self.literal()?;
                    Ok(SynExpr::Cmp {
                        name,
                        name_span: span,
                        op,
                        op_span,
                        lit,
                        lit_span,
                    })
                }
                Tok::In => {
                    self.bump();
                    if *self.peek() != Tok::LBracket {
                        return Err(self.unexpected("`[` after `in`"));
                    }
                    self.bump();
                    let mut lits = Vec::new();
                    loop {
                        if *self.peek() == Tok::RBracket {
                            break;
                        }
                        lits.push(self.literal()?);
                        match self.peek() {
                            Tok::Comma => {
                                self.bump();
                            }
                            Tok::RBracket => break,
                            _ => return Err(self.unexpected("`,` or `]`")),
                        }
                    }
                    let (_, close) = self.bump();
                    if lits.is_empty() {
                        return Err(ParseError {
                            span: span.start..close.end,
                            message: "`in` needs at least one value".into(),
                            hint: None,
                        });
                    }
                    Ok(SynExpr::In {
                        name,
                        name_span: span,
                        lits,
                    })
                }
                _ => Ok(SynExpr::Name(name, span)),
            },
            other => {
                let mut e = ParseError {
                    span,
                    message: format!(
                        "expected an option, a comparison or `(`, found {}",
                        describe(&other)
                    ),
                    hint: None,
                };
                if other == Tok::End {
                    e.message =
                        "expected an option, a comparison or `(`, found the end of the expression"
                            .into();
                    e.hint = Some("the expression is incomplete".into());
                }
                Err(e)
            }
        }
    }
}

/// `t0 <=> t1 <=> … <=> tn` as a balanced tree; `<=>` is associative, so every grouping means
/// the same. Builds bottom-up, pairing neighbours, so it needs no recursion.
fn balanced_iff(mut level: Vec<SynExpr>) -> SynExpr {
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len().div_ceil(2));
        let mut it = level.into_iter();
        while let Some(a) = it.next() {
            next.push(match it.next() {
                Some(b) => SynExpr::Iff(Box::new(a), Box::new(b)),
                None => a,
            });
        }
        level = next;
    }
    level.pop().unwrap_or(SynExpr::Bool(true, 0..0))
}

/// The depth of an expression tree, computed without recursion.
pub fn depth(e: &SynExpr) -> usize {
    let mut max = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        match e {
            SynExpr::Not(a) => stack.push((a, d + 1)),
            SynExpr::And(es) | SynExpr::Or(es) => stack.extend(es.iter().map(|x| (x, d + 1))),
            SynExpr::Implies(a, b) | SynExpr::Iff(a, b) => {
                stack.push((a, d + 1));
                stack.push((b, d + 1));
            }
            SynExpr::Bool(..) | SynExpr::Name(..) | SynExpr::Cmp { .. } | SynExpr::In { .. } => {}
        }
    }
    max
}

/// The deepest expression tree [`parse`] returns. Every later walk over expressions (resolving,
/// compiling, evaluating, printing) recurses at most this deep, so none can overflow a stack.
pub const MAX_TREE_DEPTH: usize = 512;

/// Parses an expression. Spans are byte offsets into `src`.
pub fn parse(src: &str) -> Result<SynExpr, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    if *p.peek() == Tok::End {
        return Err(ParseError {
            span: 0..src.len(),
            message: "empty expression".into(),
            hint: None,
        });
    }
    let e = p.statement()?;
    if *p.peek() != Tok::End {
        let mut err = p.unexpected("an operator or the end of the expression");
        if matches!(p.peek(), Tok::Name(_)) {
            err.hint = Some("join conditions with `&` (and), `|` (or) or `=>` (implies)".into());
        }
        return Err(err);
    }
    if depth(&e) > MAX_TREE_DEPTH {
        return Err(ParseError {
            span: 0..src.len(),
            message: format!("expression is nested more than {MAX_TREE_DEPTH} levels deep"),
            hint: Some(
                "write long chains flat (`a & b & c`), not inside nested parentheses".into(),
            ),
        });
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(e: &SynExpr) -> String {
        match e {
            SynExpr::Bool(b, _) => b.to_string(),
            SynExpr::Name(n, _) => n.clone(),
            SynExpr::Cmp { name, op, lit, .. } => format!("({name} {} {lit:?})", op.symbol()),
            SynExpr::In { name, lits, .. } => format!(
                "({name} in {:?})",
                lits.iter().map(|l| &l.0).collect::<Vec<_>>()
            ),
            SynExpr::Not(e) => format!("!{}", show(e)),
            SynExpr::And(es) => {
                format!("({})", es.iter().map(show).collect::<Vec<_>>().join(" & "))
            }
            SynExpr::Or(es) => format!("({})", es.iter().map(show).collect::<Vec<_>>().join(" | ")),
            SynExpr::Implies(a, b) => format!("({} => {})", show(a), show(b)),
            SynExpr::Iff(a, b) => format!("({} <=> {})", show(a), show(b)),
        }
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(show(&parse("a & b | c").unwrap()), "((a & b) | c)");
        // `a => (b => c)` is built as the equivalent `(a & b) => c`.
        assert_eq!(show(&parse("a => b => c").unwrap()), "((a & b) => c)");
        assert_eq!(show(&parse("a => b <=> c").unwrap()), "(a => (b <=> c))");
        assert_eq!(
            show(&parse("a <=> b <=> c <=> d <=> e").unwrap()),
            "(((a <=> b) <=> (c <=> d)) <=> e)"
        );
        assert_eq!(show(&parse("!a & b").unwrap()), "(!a & b)");
        assert_eq!(show(&parse("a | b <=> c").unwrap()), "((a | b) <=> c)");
        assert_eq!(show(&parse("q if p & r").unwrap()), "((p & r) => q)");
        assert_eq!(show(&parse("q iff !p").unwrap()), "(!p <=> q)");
        assert_eq!(show(&parse("not a and b or c").unwrap()), "((!a & b) | c)");
    }

    #[test]
    fn comparisons_and_sets() {
        assert_eq!(
            show(&parse("relief > none => verification >= baseline").unwrap()),
            "((relief > Word(\"none\")) => (verification >= Word(\"baseline\")))"
        );
        assert_eq!(
            show(&parse("m in [\"untouched\", transparency,]").unwrap()),
            "(m in [Str(\"untouched\"), Word(\"transparency\")])"
        );
        assert_eq!(show(&parse("x <= -2.5").unwrap()), "(x <= Num(-2.5))");
    }

    #[test]
    fn errors_point_at_the_exact_character() {
        let e = parse("a & & b").unwrap_err();
        assert_eq!(e.span, 4..5);
        let e = parse("a b").unwrap_err();
        assert_eq!(e.span, 2..3);
        assert!(e.hint.is_some());
        let e = parse("(a | b").unwrap_err();
        assert_eq!(e.span, 6..6);
        let e = parse("a # b").unwrap_err();
        assert_eq!(e.span, 2..3);
        let e = parse("m in [a b]").unwrap_err();
        assert_eq!(e.span, 8..9);
        assert!(parse("").is_err());
        assert!(parse("x == 'open").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let src = "(".repeat(10_000) + "a" + &")".repeat(10_000);
        assert!(parse(&src).is_err());
        let src = "!".repeat(10_000) + "a";
        assert!(parse(&src).is_err());
    }

    #[test]
    fn flat_chains_of_any_length_parse_shallow() {
        for op in ["<=>", "=>", "&", "|", "and", "or"] {
            let src = vec!["p"; 100_000].join(&format!(" {op} "));
            let e = parse(&src).unwrap_or_else(|e| panic!("{op}: {}", e.message));
            assert!(depth(&e) <= 20, "{op}: depth {}", depth(&e));
        }
        // Nested parentheses around chains stay within the tree-depth bound or are refused.
        let src = "(a <=> ".repeat(150) + "b" + &")".repeat(150);
        let e = parse(&src).unwrap();
        assert!(depth(&e) <= MAX_TREE_DEPTH);
    }

    /// Evaluates a parsed options-only expression, for checking that chains keep their meaning.
    fn eval(e: &SynExpr, v: &dyn Fn(&str) -> bool) -> bool {
        match e {
            SynExpr::Bool(b, _) => *b,
            SynExpr::Name(n, _) => v(n),
            SynExpr::Not(a) => !eval(a, v),
            SynExpr::And(es) => es.iter().all(|x| eval(x, v)),
            SynExpr::Or(es) => es.iter().any(|x| eval(x, v)),
            SynExpr::Implies(a, b) => !eval(a, v) || eval(b, v),
            SynExpr::Iff(a, b) => eval(a, v) == eval(b, v),
            SynExpr::Cmp { .. } | SynExpr::In { .. } => unreachable!(),
        }
    }

    #[test]
    fn chains_mean_what_they_meant_when_nested() {
        // Brute force over every valuation of up to 7 names: a flat chain equals the textbook
        // grouping (`=>` to the right, `<=>` to the left).
        for n in 1..=7usize {
            let names: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
            let right = names
                .iter()
                .rev()
                .skip(1)
                .fold(names[n - 1].clone(), |acc, x| format!("({x} => {acc})"));
            let left = names[1..]
                .iter()
                .fold(names[0].clone(), |acc, x| format!("({acc} <=> {x})"));
            for (flat, nested) in [(names.join(" => "), right), (names.join(" <=> "), left)] {
                let (f, g) = (parse(&flat).unwrap(), parse(&nested).unwrap());
                for bits in 0u32..1 << n {
                    let v = |s: &str| bits >> s[1..].parse::<u32>().unwrap() & 1 == 1;
                    assert_eq!(eval(&f, &v), eval(&g, &v), "{flat} at {bits:b}");
                }
            }
        }
    }
}
