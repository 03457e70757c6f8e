//! What a writer reads about broken front matter: the unescaped apostrophe in single quotes
//! named with its fix, one column in the message and the snippet, our own words for duplicate
//! keys.

mod common;

use common::Site;

#[test]
fn front_matter_mistakes_are_told_in_our_words() {
    let site = Site::new();
    site.file("tolk.toml", "[[locales]]\ncode = \"fr\"\n");
    site.file(
        "content/fr/a.md",
        "---\nexl-id: 4a911760-e3fe-4e77-b7aa-b08f9ea59d6a\ndescription: x\ntitle: 'Dépannage : l'erreur'\n---\n# x\n",
    );
    site.file("content/fr/b.md", "---\ntitle: a\ntitle: b\n---\n# b\n");
    let run = site.run(&["build"]);
    run.failure(1)
        .stderr_has("content/fr/a.md:4:22: this apostrophe ends the single-quoted value early")
        // The snippet names the same column as the message (é is two bytes).
        .stderr_has("╭─[content/fr/a.md:4:22]")
        .stderr_has("help: write '' for an apostrophe inside single quotes, or use double quotes: title: 'Dépannage : l''erreur'")
        .stderr_has("content/fr/b.md:3:1: invalid YAML in front matter: the key `title` appears twice; keep one of them");
    assert!(!run.stderr.contains("DuplicateKeyPolicy"), "{}", run.stderr);
    assert!(!run.stderr.contains("trailing content"), "{}", run.stderr);
    // `tolk check` reads the same messages.
    site.run(&["check", "--format", "short"])
        .failure(1)
        .stdout_has("content/fr/a.md:4:22: error[front-matter-invalid] this apostrophe ends the single-quoted value early");
}
