//! Small helpers for writing results as English.

/// `a`, `a and b`, `a, b and c`.
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "and")
}

/// `a`, `a or b`, `a, b or c`.
pub fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "or")
}

fn join_with<S: AsRef<str>>(items: &[S], word: &str) -> String {
    // Items that contain the joining word themselves are separated by semicolons.
    if items.len() > 1
        && items
            .iter()
            .any(|i| i.as_ref().contains(&format!(" {word} ")))
    {
        return items
            .iter()
            .map(|s| s.as_ref())
            .collect::<Vec<_>>()
            .join("; ");
    }
    match items {
        [] => String::new(),
        [a] => a.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} {word} {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// A count with its noun: `1 state`, `3 states`.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Numbers in words up to twelve, digits beyond: `two`, `13`.
pub fn number(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| group_thousands(n as u64), |w| w.to_string())
}

/// `3072` → `3,072`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A utility with two decimals, rounded half away from zero on the decimal value (0.715 is
/// 0.72, as 0.645 is 0.65, although the binary 0.715 lies just below it).
pub fn util(u: f64) -> String {
    // Nudged by 1e-7 of a hundredth away from zero, so that binary neighbours of a decimal half
    // (0.285 is stored as 0.28499999999999998; 0.705 − 0.640 is 0.06499999999999995) round as
    // the decimal they stand for; then half away from zero.
    let x = u * 100.0;
    let r = (x + x.signum() * 1e-7).round();
    format!("{:.2}", r / 100.0)
}

#[cfg(test)]
mod util_tests {
    #[test]
    fn decimal_halves_round_away_from_zero() {
        for (u, s) in [
            (0.285, "0.29"),
            (0.715, "0.72"),
            (0.645, "0.65"),
            (0.705 - 0.640, "0.07"),
            (0.28499, "0.28"),
            (0.0, "0.00"),
            (1.0, "1.00"),
            (-0.125, "-0.13"),
        ] {
            assert_eq!(super::util(u), s, "{u}");
        }
    }
}

/// A probability as a percentage: `0.5%`, `39%`.
pub fn percent(p: f64) -> String {
    let x = p * 100.0;
    if x > 0.0 && x < 10.0 && (x - x.round()).abs() > 1e-9 {
        format!("{:.1}%", (x * 10.0).round() / 10.0)
    } else {
        format!("{:.0}%", x.round())
    }
}

/// Capitalises the first letter.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A proper name as it reads inside a sentence: `the United States`, `Iran`.
pub fn name_in_sentence(name: &str) -> String {
    const WITH_ARTICLE: [&str; 16] = [
        "United",
        "Republic",
        "Kingdom",
        "European",
        "Democratic",
        "Federal",
        "Islamic",
        "People's",
        "Netherlands",
        "Philippines",
        "Gambia",
        "Bahamas",
        "Holy",
        "Central",
        "Dominican",
        "Czech",
    ];
    const ACRONYMS: [&str; 6] = ["US", "UK", "USSR", "EU", "UN", "UAE"];
    let first = name.split_whitespace().next().unwrap_or("");
    if WITH_ARTICLE.contains(&first) || ACRONYMS.contains(&name) {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// `Iran's`, `the United States'`.
pub fn possessive(name: &str) -> String {
    let n = name_in_sentence(name);
    if n.ends_with('s') {
        format!("{n}'")
    } else {
        format!("{n}'s")
    }
}

/// Lower-cases the first letter of a common noun phrase for use mid-sentence (`De-escalation`
/// → `de-escalation`), leaving acronyms and capitalised words inside alone (`US relief`).
pub fn lower_first(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    let acronym = first.chars().filter(|c| c.is_uppercase()).count() > 1;
    if acronym {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Removes a final full stop, for quoting a sentence inside another.
pub fn unstop(s: &str) -> String {
    s.trim().trim_end_matches('.').to_string()
}

/// Wraps `text` at `width` columns, prefixing the first line with `first` and the others with
/// `rest`. Words longer than a line are kept whole.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (k, para) in text.split('\n').enumerate() {
        let mut line = String::from(if k == 0 { first } else { rest });
        let mut empty = true;
        for word in para.split_whitespace() {
            let len = line.chars().count();
            if !empty && len + 1 + word.chars().count() > width {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(rest);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Keeps at most `max` characters, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b"]), "a and b");
        assert_eq!(or_list(&["a", "b", "c"]), "a, b or c");
        assert_eq!(and_list(&["x and y", "z"]), "x and y; z");
    }

    #[test]
    fn numbers_read_as_english() {
        assert_eq!(number(0), "no");
        assert_eq!(number(4), "four");
        assert_eq!(number(3072), "3,072");
        assert_eq!(group_thousands(16_777_216), "16,777,216");
        assert_eq!(count(1, "state", "states"), "1 state");
    }

    #[test]
    fn wrapping_keeps_words_whole_and_indents() {
        let w = wrap("one two three four five", 10, "- ", "  ");
        assert_eq!(w, "- one two\n  three\n  four\n  five\n");
        assert_eq!(wrap("a\nb", 80, "", "  "), "a\n  b\n");
    }

    #[test]
    fn capitals() {
        assert_eq!(capitalise("iran"), "Iran");
        assert_eq!(name_in_sentence("United States"), "the United States");
        assert_eq!(possessive("United States"), "the United States'");
        assert_eq!(possessive("Iran"), "Iran's");
        assert_eq!(name_in_sentence("USSR"), "the USSR");
        assert_eq!(
            lower_first("De-escalation and cease-fire"),
            "de-escalation and cease-fire"
        );
        assert_eq!(lower_first("US relief"), "US relief");
        assert_eq!(unstop("Talks only. "), "Talks only");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
