//! A realistic ExL documentation corpus for benchmarks, shared by the `gen-corpus` and
//! `serve-latency` examples: N articles in each locale, with the constructs of Adobe's Workfront
//! docs in about their real proportions (callouts, a code block shared by all translations,
//! relative links, UI labels, collapsibles, tables), one `TOC.md` per locale, translations
//! sharing exl-id, path and code.
//!
//! The same arguments always write the same bytes: the random numbers come from a splitmix64
//! generator written here (ten lines), so no crate update can change a benchmark's input.

use std::fmt::Write as _;
use std::path::Path;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Words of each language (enough for prose that stems and searches like the real thing).
fn words(locale: &str) -> &'static [&'static str] {
    match locale {
        "nl" => &[
            "de",
            "het",
            "een",
            "gebruiker",
            "project",
            "taak",
            "rapport",
            "fout",
            "wordt",
            "niet",
            "weergegeven",
            "wanneer",
            "u",
            "klikt",
            "op",
            "instellingen",
            "goedkeuring",
            "document",
            "probleem",
            "opgelost",
            "lijst",
            "veld",
            "formulier",
            "meldingen",
            "werkstroom",
            "beheerder",
            "toegang",
            "kan",
            "geen",
            "openen",
            "na",
            "bijwerken",
            "weergave",
            "filter",
            "planning",
            "aanvraag",
        ],
        "fr" => &[
            "le",
            "la",
            "les",
            "utilisateur",
            "projet",
            "tâche",
            "rapport",
            "erreur",
            "est",
            "pas",
            "affiché",
            "lorsque",
            "vous",
            "cliquez",
            "sur",
            "paramètres",
            "validation",
            "document",
            "problème",
            "résolu",
            "liste",
            "champ",
            "formulaire",
            "notifications",
            "flux",
            "administrateur",
            "accès",
            "peut",
            "aucun",
            "ouvrir",
            "après",
            "mise",
            "à",
            "jour",
            "filtre",
            "planification",
            "demande",
        ],
        "it" => &[
            "il",
            "la",
            "gli",
            "utente",
            "progetto",
            "attività",
            "rapporto",
            "errore",
            "viene",
            "non",
            "visualizzato",
            "quando",
            "si",
            "fa",
            "clic",
            "impostazioni",
            "approvazione",
            "documento",
            "problema",
            "risolto",
            "elenco",
            "campo",
            "modulo",
            "notifiche",
            "flusso",
            "amministratore",
            "accesso",
            "può",
            "nessun",
            "aprire",
            "dopo",
            "aggiornamento",
            "filtro",
            "pianificazione",
            "richiesta",
        ],
        _ => &[
            "the",
            "a",
            "user",
            "project",
            "task",
            "report",
            "error",
            "is",
            "not",
            "displayed",
            "when",
            "you",
            "click",
            "settings",
            "approval",
            "document",
            "issue",
            "resolved",
            "list",
            "field",
            "form",
            "notifications",
            "workflow",
            "administrator",
            "access",
            "can",
            "no",
            "open",
            "after",
            "update",
            "view",
            "filter",
            "planning",
            "request",
        ],
    }
}

const SECTIONS: &[&str] = &[
    "approvals",
    "documents",
    "projects",
    "reports",
    "tasks",
    "notifications",
    "planning",
    "proofs",
    "integrations",
    "timesheets",
];
const LABELS: &[&str] = &[
    "Save",
    "Settings",
    "Setup",
    "Projects",
    "Reports",
    "New request",
    "Share",
    "Documents",
];
const CALLOUTS: &[&str] = &[
    "NOTE",
    "NOTE",
    "NOTE",
    "NOTE",
    "NOTE",
    "NOTE",
    "IMPORTANT",
    "TIP",
    "INFO",
    "CAUTION",
];
const CODE: &[&str] = &[
    "```json\n{\n  \"objCode\": \"TASK\",\n  \"status\": \"CUR\"\n}\n```",
    "```\nUnexpected error\nUnable to get the outlookIdentityToken\n```",
    "```sql\nSELECT ID, name FROM PROJ WHERE status = 'CUR';\n```",
    "```javascript\nconst task = await api.get(\"/task/\" + id);\n```",
];

/// A sentence of `words_count` words. Which sentences carry `[!DNL]` and `[!UICONTROL]`
/// markers comes from `structure`, the article's own stream shared by its translations (they
/// must not differ there); the words come from the locale's stream.
fn sentence(structure: &mut Rng, rng: &mut Rng, locale: &str, words_count: usize) -> String {
    let dictionary = words(locale);
    let marker = match structure.below(8) {
        0 => Some("[!DNL Workfront]".to_owned()),
        1 => Some(format!("**[!UICONTROL {}]**", structure.pick(LABELS))),
        _ => None,
    };
    let mut text = String::new();
    for i in 0..words_count {
        if i > 0 {
            text.push(' ');
        }
        match (&marker, i) {
            (Some(marker), 1) => text.push_str(marker),
            _ => text.push_str(rng.pick(dictionary)),
        }
    }
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

fn paragraph(structure: &mut Rng, rng: &mut Rng, locale: &str) -> String {
    let sentences = 2 + structure.below(4);
    (0..sentences)
        .map(|_| {
            let n = 8 + structure.below(10);
            sentence(structure, rng, locale, n)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The shape of one article, shared by its translations.
struct Shape {
    section: usize,
    exl_id: String,
    commit: String,
    paragraphs: usize,
    callout: &'static str,
    code: usize,
    collapsible: bool,
    table: bool,
    links: Vec<usize>,
}

fn shape(rng: &mut Rng, articles: usize) -> Shape {
    let hex = |rng: &mut Rng, n: usize| {
        (0..n)
            .map(|_| format!("{:x}", rng.below(16)))
            .collect::<String>()
    };
    let exl_id = format!(
        "{}-{}-{}-{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 12)
    );
    Shape {
        section: rng.below(SECTIONS.len()),
        exl_id,
        commit: hex(rng, 40),
        paragraphs: 4 + rng.below(5),
        callout: rng.pick(CALLOUTS),
        code: rng.below(CODE.len()),
        collapsible: rng.below(3) == 0,
        table: rng.below(4) == 0,
        links: (0..1 + rng.below(3)).map(|_| rng.below(articles)).collect(),
    }
}

fn rel_path(shapes: &[Shape], i: usize) -> String {
    format!(
        "known-issues/{}/issue-{i:05}.md",
        SECTIONS[shapes[i].section]
    )
}

fn article(rng: &mut Rng, locale: &str, shapes: &[Shape], i: usize) -> (String, String) {
    let s = &shapes[i];
    let mut structure = Rng(s
        .commit
        .bytes()
        .fold(i as u64, |h, b| h.wrapping_mul(131).wrapping_add(b as u64)));
    let st = &mut structure;
    let n = 5 + rng.below(5);
    let title = sentence(st, rng, locale, n)
        .trim_end_matches('.')
        .to_owned();
    let mut md = String::with_capacity(4096);
    let ht = if locale == "fr" {
        60 + rng.below(41)
    } else {
        rng.below(30)
    };
    writeln!(md, "---\ntitle: '{}'\ndescription: '{}'\nfeature: Work Management\nrole: User\nexl-id: {}\nsource-git-commit: {}\nworkflow-type: tm+mt\nsource-wordcount: '{}'\nht-degree: {ht}%\nnavigation-topic: {}\n---\n", title.replace('\'', "''"), sentence(st, rng, locale, 12).replace('\'', "''"), s.exl_id, s.commit, 300 + s.paragraphs * 40, SECTIONS[s.section]).unwrap_or(());
    writeln!(md, "# {title}\n").unwrap_or(());
    if s.collapsible {
        writeln!(md, "+++ {}\n\n| {} | {} |\n|---|---|\n| [!DNL Adobe Workfront] | [!UICONTROL Standard] |\n\n+++\n", sentence(st, rng, locale, 6), rng.pick(words(locale)), rng.pick(words(locale))).unwrap_or(());
    }
    for p in 0..s.paragraphs {
        if p == 1 {
            writeln!(
                md,
                ">[!{}]\n>\n>{}\n",
                s.callout,
                paragraph(st, rng, locale)
            )
            .unwrap_or(());
        }
        if p == 2 {
            writeln!(
                md,
                "## {} {{#details}}\n",
                sentence(st, rng, locale, 4).trim_end_matches('.')
            )
            .unwrap_or(());
            writeln!(md, "{}\n", CODE[s.code]).unwrap_or(());
        }
        if p == 3 && s.table {
            writeln!(
                md,
                "| {} | {} |\n|---|---|\n| 1 | 2 |\n\n{{style=\"table-layout:auto\"}}\n",
                rng.pick(words(locale)),
                rng.pick(words(locale))
            )
            .unwrap_or(());
        }
        writeln!(md, "{}\n", paragraph(st, rng, locale)).unwrap_or(());
    }
    let links: Vec<String> = s
        .links
        .iter()
        .map(|&j| {
            let target = rel_path(shapes, j);
            let from_dir = format!("known-issues/{}/", SECTIONS[s.section]);
            let href = target
                .strip_prefix(&from_dir)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("../{}/issue-{j:05}.md", SECTIONS[shapes[j].section]));
            format!(
                "* [{}]({href})",
                sentence(st, rng, locale, 4).trim_end_matches('.')
            )
        })
        .collect();
    writeln!(
        md,
        "## {}\n\n{}",
        sentence(st, rng, locale, 3).trim_end_matches('.'),
        links.join("\n")
    )
    .unwrap_or(());
    (title, md)
}

/// Writes `articles` articles in each of `locales` (and a tolk.toml) into `dir`.
pub fn generate(dir: &Path, articles: usize, locales: &[String], seed: u64) -> std::io::Result<()> {
    let mut rng = Rng(seed);
    let shapes: Vec<Shape> = (0..articles).map(|_| shape(&mut rng, articles)).collect();
    let mut toml = String::from("title = \"Generated help\"\n");
    for locale in locales {
        writeln!(toml, "\n[[locales]]\ncode = \"{locale}\"").unwrap_or(());
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("tolk.toml"), toml)?;
    for locale in locales {
        // Each locale has its own stream, derived from the seed, so adding a locale does not
        // change the others.
        let mut rng = Rng(seed
            ^ locale
                .bytes()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)));
        let root = dir.join("content").join(locale);
        let mut toc = String::from("---\ntitle: Known issues\n---\n\n# Known issues {#issues}\n\n");
        let mut by_section: Vec<Vec<(usize, String)>> = vec![Vec::new(); SECTIONS.len()];
        for i in 0..articles {
            let (title, md) = article(&mut rng, locale, &shapes, i);
            write_file(&root, &rel_path(&shapes, i), &md)?;
            by_section[shapes[i].section].push((i, title));
        }
        for (s, entries) in by_section.iter().enumerate() {
            writeln!(toc, "+ {} {{#{}}}", SECTIONS[s], SECTIONS[s]).unwrap_or(());
            for (i, title) in entries {
                writeln!(toc, "   + [{title}]({}/issue-{i:05}.md)", SECTIONS[s]).unwrap_or(());
            }
        }
        write_file(&root, "known-issues/TOC.md", &toc)?;
    }
    Ok(())
}

fn write_file(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}
