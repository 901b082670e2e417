//! The loader never panics, whatever the input: mutations of a real scenario and arbitrary text.

use proptest::prelude::*;

const BUILTIN: &str = include_str!("../../redline-scenarios/scenarios/iran-us-2026.toml");

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Replace { at: usize, ch: char },
    SwapLines { a: usize, b: usize },
    DuplicateLine { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let text = prop_oneof![
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("]]".to_string()),
        Just("=".to_string()),
        Just("&".to_string()),
        Just(" & !".to_string()),
        Just("=>".to_string()),
        Just("(".to_string()),
        Just("\n[[actors]]\nid = \"iran\"\n".to_string()),
        Just("\n[stability]\n".to_string()),
        Just("-1e309".to_string()),
        Just("é".to_string()),
        "[ -~]{0,8}",
    ];
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), text).prop_map(|(at, text)| Mutation::Insert { at, text }),
        (
            any::<usize>(),
            prop_oneof![
                Just('"'),
                Just('\''),
                Just('x'),
                Just('0'),
                Just('\n'),
                Just('!'),
                Just('-')
            ]
        )
            .prop_map(|(at, ch)| Mutation::Replace { at, ch }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<usize>().prop_map(|at| Mutation::DuplicateLine { at }),
    ]
}

fn boundary(s: &str, at: usize) -> usize {
    let mut i = at % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(src: &str, m: &Mutation) -> String {
    match m {
        Mutation::Delete { at, len } => {
            let a = boundary(src, *at);
            let b = boundary(src, (a + len).min(src.len()));
            let b = b.max(a);
            format!("{}{}", &src[..a], &src[b..])
        }
        Mutation::Insert { at, text } => {
            let a = boundary(src, *at);
            format!("{}{}{}", &src[..a], text, &src[a..])
        }
        Mutation::Replace { at, ch } => {
            let a = boundary(src, *at);
            let next = src[a..].chars().next().map_or(0, char::len_utf8);
            format!("{}{}{}", &src[..a], ch, &src[a + next..])
        }
        Mutation::SwapLines { a, b } => {
            let mut lines: Vec<&str> = src.lines().collect();
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.join("\n")
        }
        Mutation::DuplicateLine { at } => {
            let mut lines: Vec<&str> = src.lines().collect();
            let i = at % lines.len();
            lines.insert(i, lines[i]);
            lines.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_give_diagnostics_not_panics(ms in prop::collection::vec(mutation(), 1..4)) {
        let mut src = BUILTIN.to_string();
        for m in &ms {
            src = apply(&src, m);
        }
        match redline_syntax::load(&src) {
            Ok(_) => {}
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                for d in &diags {
                    // Every diagnostic can be located in the text.
                    let l = d.locate("f.toml", &src);
                    prop_assert!(l.line.is_some());
                    if let Some(span) = &d.span {
                        prop_assert!(span.start <= src.len() && span.end <= src.len());
                    }
                }
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,300}") {
        let _ = redline_syntax::load(&src);
    }

    #[test]
    fn arbitrary_expressions_never_panic(src in "[a-z_.!&|()<=>\\[\\], \"0-9-]{0,60}") {
        let _ = redline_syntax::parse_expr(&src);
    }
}
