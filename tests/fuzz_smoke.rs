//! A short, deterministic stand-in for the fuzz targets in `fuzz/` that runs on stable in every
//! `cargo test`: corpus files and mutations of them (markers of ExL syntax spliced in, bytes
//! flipped, cut short) go through the same entry points. Any panic fails the test.

use std::path::PathBuf;

/// splitmix64: deterministic, so a failure reproduces.
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
}

const SPLICES: &[&[u8]] = &[
    b"[!",
    b"[!UICONTROL ",
    b"[!DNL ",
    b"]",
    b">[!NOTE]\n",
    b">[!BEGINTABS]\n",
    b">[!TAB x]\n",
    b">[!ENDTABS]\n",
    b"+++",
    b"\n+++\n",
    b"{{",
    b"}}",
    b"{{a}}",
    b"{{loop}}",
    b"{#",
    b"{width=1}",
    b"{target=_blank}",
    b"---\n",
    b"```",
    b"\n```json {line-numbers=\"true\" highlight=\"1-3\"}\n",
    b"&#x200B;",
    b"**",
    b"*",
    b"<!--",
    b"-->",
    b"<table>",
    b"<script>",
    b"](javascript:x)",
    b"[",
    b"(",
    b"\r",
    b"\r\n",
    b"\0",
    b"\t",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\x8b",
    b"\"",
    b"'",
    b"&#39;",
    b"\xc2\xab ",
    b" :",
    b"`",
];

fn seeds() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    // Every eighth file of the corpus keeps the run short; the ExL fixtures are all kept.
    files
        .into_iter()
        .enumerate()
        .filter(|(i, p)| i % 8 == 0 || p.to_string_lossy().contains("/exl/"))
        .filter_map(|(_, p)| std::fs::read(p).ok())
        .collect()
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(data.len() + 1);
        match rng.below(5) {
            0 | 1 => {
                let splice = SPLICES[rng.below(SPLICES.len())];
                data.splice(at..at, splice.iter().copied());
            }
            2 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            3 => data.truncate(at),
            _ => {
                let end = (at + rng.below(200)).min(data.len());
                let copy = data[at..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, copy);
            }
        }
    }
    data
}

#[test]
fn entry_points_survive_mutated_corpus_files() {
    let seeds = seeds();
    assert!(seeds.len() > 100, "the fixtures are where they should be");
    let mut rng = Rng(0x7017_c0de);
    let mut runs = 0;
    for seed in &seeds {
        tolk::fuzzing::front_matter(seed);
        tolk::fuzzing::markdown(seed);
        for _ in 0..4 {
            let data = mutate(&mut rng, seed);
            tolk::fuzzing::front_matter(&data);
            tolk::fuzzing::markdown(&data);
            let other = mutate(&mut rng, seed);
            let mut pair = data.clone();
            pair.push(0);
            pair.extend_from_slice(&other);
            tolk::fuzzing::check_pair(&pair);
            runs += 3;
        }
        // Snippets and includes: the page, a snippets file and include files, NUL-separated.
        let mut files = b"{{a}}\n\n".to_vec();
        files.extend(mutate(&mut rng, seed));
        files.extend_from_slice(
            b"\0## A {#a}\n\n{{b}}\n\n## B {#b}\n\n{{$include /help/_includes/0.md}}\n\0",
        );
        files.extend_from_slice(
            b"{{a}}\n\n{{$include /help/_includes/1.md}}\n\0{{$include /help/_includes/0.md}}\n",
        );
        tolk::fuzzing::expansion(&files);
        runs += 1;
    }
    assert!(runs > 1000, "{runs}");
}
