//! The one-page summary for Police and Crime Commissioners that opens the
//! document, and the words every generated sentence shares (the bodies'
//! names, plurals, articles).

#[cfg(test)]
mod tests {
    use crate::document::build::{capitalise, plural};
    use crate::model::with_article;

    #[test]
    fn plurals_are_words_not_brackets() {
        assert_eq!(plural(0_u32, "year"), "0 years");
        assert_eq!(plural(1_u32, "year"), "1 year");
        assert_eq!(plural(2_u32, "year"), "2 years");
        assert_eq!(plural(1_u32, "decimal place"), "1 decimal place");
        assert_eq!(plural(3_u32, "decimal place"), "3 decimal places");
    }

    #[test]
    fn option_names_take_the_article_unless_they_have_one() {
        assert_eq!(
            with_article("Regional joint vetting unit"),
            "the Regional joint vetting unit"
        );
        assert_eq!(with_article("The hub"), "The hub");
        assert_eq!(with_article("a shared service"), "a shared service");
        assert_eq!(with_article("Anchor force model"), "the Anchor force model");
        assert_eq!(with_article(""), "");
    }

    #[test]
    fn sentences_start_with_a_capital() {
        assert_eq!(capitalise("the Summit"), "The Summit");
        assert_eq!(capitalise("éire board"), "Éire board");
        assert_eq!(capitalise(""), "");
    }
}
