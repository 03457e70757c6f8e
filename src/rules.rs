//! The rules of `tolk check`: stable ids, default severities, and what each one catches. A leaf
//! module: the config (`[check]` levels) and the check both read it.
//!
//! The ids are part of tolk's interface (tolk.toml's `[check]` table, the JSON report, CI
//! annotations): never rename one.

use std::collections::BTreeMap;
use std::fmt;

/// What `[check]` sets for one rule of `tolk check`: a severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Error,
    Warning,
    Info,
    Off,
}

impl RuleLevel {
    pub fn parse(text: &str) -> Option<RuleLevel> {
        match text {
            "error" => Some(RuleLevel::Error),
            "warning" => Some(RuleLevel::Warning),
            "info" => Some(RuleLevel::Info),
            "off" => Some(RuleLevel::Off),
            _ => None,
        }
    }
}

/// How much a finding matters. Errors fail `tolk check`; warnings fail it with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    FrontMatterInvalid,
    DuplicateExlId,
    MissingTranslation,
    PathMismatch,
    SourceCommitMismatch,
    StaleTranslation,
    UnknownSourceCommit,
    WordcountMismatch,
    MetadataMismatch,
    HeadingMismatch,
    CalloutMismatch,
    CodeBlockMismatch,
    LinkTargetMismatch,
    LinkNotLocalized,
    DnlMismatch,
    BrokenLink,
    MtArtifact,
    UnclosedComment,
    UiStringMissing,
    NumberMismatch,
    UntranslatedSegment,
    SegmentMissing,
    SegmentExtra,
    PlaceholderMismatch,
    UiLabelInconsistent,
    LengthRatio,
}

impl Rule {
    /// Every rule, in the order they are documented.
    pub const ALL: [Rule; 26] = [
        Rule::FrontMatterInvalid,
        Rule::DuplicateExlId,
        Rule::MissingTranslation,
        Rule::PathMismatch,
        Rule::SourceCommitMismatch,
        Rule::StaleTranslation,
        Rule::UnknownSourceCommit,
        Rule::WordcountMismatch,
        Rule::MetadataMismatch,
        Rule::HeadingMismatch,
        Rule::CalloutMismatch,
        Rule::CodeBlockMismatch,
        Rule::LinkTargetMismatch,
        Rule::LinkNotLocalized,
        Rule::DnlMismatch,
        Rule::BrokenLink,
        Rule::MtArtifact,
        Rule::UnclosedComment,
        Rule::UiStringMissing,
        Rule::NumberMismatch,
        Rule::UntranslatedSegment,
        Rule::SegmentMissing,
        Rule::SegmentExtra,
        Rule::PlaceholderMismatch,
        Rule::UiLabelInconsistent,
        Rule::LengthRatio,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::FrontMatterInvalid => "front-matter-invalid",
            Rule::DuplicateExlId => "duplicate-exl-id",
            Rule::MissingTranslation => "missing-translation",
            Rule::PathMismatch => "path-mismatch",
            Rule::SourceCommitMismatch => "source-commit-mismatch",
            Rule::StaleTranslation => "stale-translation",
            Rule::UnknownSourceCommit => "unknown-source-commit",
            Rule::WordcountMismatch => "wordcount-mismatch",
            Rule::MetadataMismatch => "metadata-mismatch",
            Rule::HeadingMismatch => "heading-mismatch",
            Rule::CalloutMismatch => "callout-mismatch",
            Rule::CodeBlockMismatch => "code-block-mismatch",
            Rule::LinkTargetMismatch => "link-target-mismatch",
            Rule::LinkNotLocalized => "link-not-localized",
            Rule::DnlMismatch => "dnl-mismatch",
            Rule::BrokenLink => "broken-link",
            Rule::MtArtifact => "mt-artifact",
            Rule::UnclosedComment => "unclosed-comment",
            Rule::UiStringMissing => "ui-string-missing",
            Rule::NumberMismatch => "number-mismatch",
            Rule::UntranslatedSegment => "untranslated-segment",
            Rule::SegmentMissing => "segment-missing",
            Rule::SegmentExtra => "segment-extra",
            Rule::PlaceholderMismatch => "placeholder-mismatch",
            Rule::UiLabelInconsistent => "ui-label-inconsistent",
            Rule::LengthRatio => "length-ratio",
        }
    }

    /// The rule with this id, if there is one.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Rule::FrontMatterInvalid
            | Rule::DuplicateExlId
            | Rule::MissingTranslation
            | Rule::HeadingMismatch
            | Rule::CalloutMismatch
            | Rule::CodeBlockMismatch
            | Rule::BrokenLink
            | Rule::UiStringMissing => Severity::Error,
            Rule::PathMismatch
            | Rule::SourceCommitMismatch
            | Rule::StaleTranslation
            | Rule::UnknownSourceCommit
            | Rule::WordcountMismatch
            | Rule::MetadataMismatch
            | Rule::LinkTargetMismatch
            | Rule::DnlMismatch
            | Rule::MtArtifact
            | Rule::UnclosedComment
            | Rule::NumberMismatch
            | Rule::UntranslatedSegment
            | Rule::SegmentMissing
            | Rule::SegmentExtra
            | Rule::PlaceholderMismatch => Severity::Warning,
            Rule::LinkNotLocalized | Rule::UiLabelInconsistent | Rule::LengthRatio => {
                Severity::Info
            }
        }
    }

    /// How to fix what the rule found, in one sentence.
    pub fn help(self) -> &'static str {
        match self {
            Rule::FrontMatterInvalid => "every article needs a title and the exl-id it shares with its translations",
            Rule::DuplicateExlId => "each article of a locale needs its own exl-id; copy the right one from the article's other translations",
            Rule::MissingTranslation => "translate the article into this locale, or remove it from the others",
            Rule::PathMismatch => "translations of one article sit at the same path in every locale; move the file or fix its exl-id",
            Rule::SourceCommitMismatch => "retranslate from the newest source so every translation carries the same source-git-commit",
            Rule::StaleTranslation => "translate what changed in the source since that commit, then set source-git-commit to the source's newest commit",
            Rule::UnknownSourceCommit => "set source-git-commit to the source commit the translation was made from; in CI, check out the whole history (actions/checkout with fetch-depth: 0)",
            Rule::WordcountMismatch => "retranslate from the newest source so every translation carries the same source-wordcount",
            Rule::MetadataMismatch => "these fields are not translated: copy the value from the source",
            Rule::HeadingMismatch => "headings and their {#id}s must follow the source; add, remove or re-level the heading",
            Rule::CalloutMismatch => "callouts, tabs, shadeboxes and collapsibles must follow the source",
            Rule::CodeBlockMismatch => "code blocks are not translated: copy them from the source",
            Rule::LinkTargetMismatch => "a translation links to the same pages as its source (in its own language)",
            Rule::LinkNotLocalized => "point the link at the page in this locale's language, if there is one",
            Rule::DnlMismatch => "[!DNL ...] texts are never translated: copy them from the source",
            Rule::BrokenLink => "fix the path or anchor, or remove the link",
            Rule::MtArtifact => "machine translation damaged the markup; `tolk check --fix` trims the stray spaces",
            Rule::UnclosedComment => "close the HTML comment with `-->` where it should end; the page reads it as ending with its line",
            Rule::UiStringMissing => "add the message to this locale's .ftl file",
            Rule::NumberMismatch => "numbers, versions and times are not translated: copy them from the text it was compared with (in this locale's format)",
            Rule::UntranslatedSegment => "translate the segment; text that must stay as it is goes in [!DNL ...] or [!UICONTROL ...]",
            Rule::SegmentMissing => "translate the missing segment from the text it was compared with, or remove it there",
            Rule::SegmentExtra => "remove the segment, or add it to the text it was compared with",
            Rule::PlaceholderMismatch => "placeholders, inline code, URLs and e-mail addresses are not translated: copy them from the text it was compared with",
            Rule::UiLabelInconsistent => "render one UI label the same way everywhere in a locale: use the most common variant",
            Rule::LengthRatio => "the segment is far shorter or longer than the one it was compared with: check that it is translated whole",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The severity of each rule for one site: the defaults, changed by tolk.toml's `[check]`.
#[derive(Debug, Clone, Default)]
pub struct Severities {
    overrides: BTreeMap<Rule, RuleLevel>,
}

impl Severities {
    /// Reads the `[check]` table (rule ids were validated when the config was parsed).
    pub fn new(levels: &BTreeMap<String, RuleLevel>) -> Severities {
        let overrides = levels
            .iter()
            .filter_map(|(id, level)| Rule::from_id(id).map(|rule| (rule, *level)))
            .collect();
        Severities { overrides }
    }

    /// The severity of `rule`, or `None` when it is turned off.
    pub fn of(&self, rule: Rule) -> Option<Severity> {
        match self.overrides.get(&rule) {
            None => Some(rule.default_severity()),
            Some(RuleLevel::Error) => Some(Severity::Error),
            Some(RuleLevel::Warning) => Some(Severity::Warning),
            Some(RuleLevel::Info) => Some(Severity::Info),
            Some(RuleLevel::Off) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
            assert!(seen.insert(rule.id()), "{rule}");
        }
        assert_eq!(Rule::from_id("heading-mismach"), None);
    }

    #[test]
    fn config_overrides_defaults() {
        let levels = [
            ("mt-artifact".to_owned(), RuleLevel::Error),
            ("link-not-localized".to_owned(), RuleLevel::Off),
        ]
        .into_iter()
        .collect();
        let severities = Severities::new(&levels);
        let cases = [
            (Rule::MtArtifact, Some(Severity::Error)),
            (Rule::LinkNotLocalized, None),
            (Rule::HeadingMismatch, Some(Severity::Error)),
            (Rule::DnlMismatch, Some(Severity::Warning)),
            (Rule::StaleTranslation, Some(Severity::Warning)),
            (Rule::UnknownSourceCommit, Some(Severity::Warning)),
        ];
        for (rule, expected) in cases {
            assert_eq!(severities.of(rule), expected, "{rule}");
        }
    }
}
