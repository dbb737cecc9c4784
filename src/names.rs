//! How fivecase matches what a user typed against a name it knows, and how
//! it suggests one when nothing matches.
//!
//! **The common name rule**, for sheet names, column headers, assumption
//! names, partners, options, key columns and scenarios: trimmed,
//! case-insensitive, runs of spaces as one (`"  Essex   Police "` is
//! `"essex police"`). Two kinds of label relax it further, as
//! docs/workbook.md documents:
//! - Budget line labels also ignore hyphens, `&` for `and` and a plural `s`
//!   ([`budget_key`]);
//! - optimism-bias categories also ignore `/`, `-` and `and` ([`category_key`]).
//!
//! Every "did you mean" hint is written here, in one format:
//! `did you mean 'NAME'?` for a name in the workbook, or the list of names
//! when none is near ([`hint`]). Keys of case.toml and column headers are
//! quoted as code (`` did you mean `title`? ``) by [`code_hint`], as the
//! messages quote them.

/// The common name rule: trimmed, lower case, runs of white space as one space.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// True when `a` and `b` name the same thing under the common rule.
pub fn same(a: &str, b: &str) -> bool {
    // The common case, equal but for case and surrounding spaces, allocates nothing.
    a.trim().eq_ignore_ascii_case(b.trim()) || key(a) == key(b)
}

/// The position of `name` among `names`, under the common rule.
pub fn find<'a, I>(names: I, name: &str) -> Option<usize>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let names = names.into_iter();
    let trimmed = name.trim();
    // The common case, equal but for case, allocates nothing.
    names
        .clone()
        .position(|n| n.trim().eq_ignore_ascii_case(trimmed))
        .or_else(|| {
            let k = key(name);
            names.clone().position(|n| key(n) == k)
        })
}

/// A Budget line label as matched: the common rule, hyphens (and en dashes)
/// as spaces, `&` as `and`, and a trailing plural `s` dropped.
pub fn budget_key(text: &str) -> String {
    let k = key(&text.replace(['-', '–'], " ").replace('&', "and"));
    k.trim_end_matches('s').to_string()
}

/// An optimism-bias category as matched: case, spaces, `/`, `-` and the word
/// `and` ignored.
pub fn category_key(text: &str) -> String {
    let spaced = format!(" {} ", key(text));
    spaced
        .replace(" and ", " ")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The nearest of `candidates` to `word` (edit distance under the common
/// rule), when it is close enough to be a plausible slip.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = key(word);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&w, &key(c));
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (w.chars().count().max(c.chars().count()) / 3).max(2);
    (d <= limit).then_some(c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i.saturating_add(1); b.len().saturating_add(1)];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let diagonal = prev.get(j).map_or(usize::MAX, |p| p.saturating_add(cost));
            let up = prev
                .get(j.saturating_add(1))
                .map_or(usize::MAX, |p| p.saturating_add(1));
            let left = cur.get(j).map_or(usize::MAX, |p| p.saturating_add(1));
            if let Some(slot) = cur.get_mut(j.saturating_add(1)) {
                *slot = diagonal.min(up).min(left);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The hint for a name that matched nothing: `did you mean 'NAME'?` with the
/// nearest candidate, or `the WHAT are A, B, C` when none is near.
pub fn hint<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    what: &str,
) -> String {
    match nearest(word, candidates.clone()) {
        Some(n) => did_you_mean(n),
        None => format!(
            "the {what} are {}",
            candidates.into_iter().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `did you mean 'NAME'?`: the one spelling of a suggested name.
pub fn did_you_mean(name: &str) -> String {
    format!("did you mean '{name}'?")
}

/// `` did you mean `KEY`? `` with the nearest of `candidates`, for keys and
/// headers, which messages quote as code; `None` when none is near.
pub fn code_hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    nearest(word, candidates).map(|n| format!("did you mean `{n}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_rule_trims_folds_case_and_collapses_spaces() {
        assert_eq!(key("  Essex   Police "), "essex police");
        assert!(same("OPT1", " opt1 "));
        assert!(same("Government  grant", "government grant"));
        assert!(!same("Essex", "Kent"));
        assert_eq!(find(["Essex", "Kent"], " KENT"), Some(1));
        assert_eq!(find(["Net  revenue"], "net revenue"), Some(0));
        assert_eq!(find(["Essex"], "Esex"), None);
    }

    #[test]
    fn budget_labels_ignore_hyphens_ampersands_and_plurals() {
        assert_eq!(
            budget_key("Use of reserves & one-off grant"),
            budget_key("use of reserves and one off grant")
        );
        assert_eq!(
            budget_key("Cash-releasing efficiencies"),
            budget_key("Cash releasing efficiencie")
        );
        assert_eq!(
            budget_key("Loss of grant to floors"),
            "loss of grant to floor"
        );
    }

    #[test]
    fn categories_ignore_slashes_hyphens_and_the_word_and() {
        assert_eq!(
            category_key("Equipment / development"),
            category_key("equipment and development")
        );
        assert_eq!(
            category_key("Non-standard buildings"),
            category_key("nonstandard  buildings")
        );
        assert_eq!(category_key("Outsourcing"), "outsourcing");
    }

    #[test]
    fn suggests_near_names_only_in_one_format() {
        let forces = ["Bedfordshire", "Cambridgeshire", "Essex"];
        assert_eq!(nearest("Cambridgshire", forces), Some("Cambridgeshire"));
        assert_eq!(nearest("Lincolnshire", forces), None);
        assert_eq!(hint("Esex", forces, "partners"), "did you mean 'Essex'?");
        assert_eq!(
            hint("Lincolnshire", forces, "partners"),
            "the partners are Bedfordshire, Cambridgeshire, Essex"
        );
        assert_eq!(
            code_hint("titel", ["title", "stage"]).as_deref(),
            Some("did you mean `title`?")
        );
    }
}
