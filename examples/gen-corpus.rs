//! Writes a realistic ExL documentation corpus for benchmarks (see `corpus/mod.rs`).
//!
//! ```sh
//! cargo run --release --example gen-corpus -- DIR --articles 10000 --locales nl,fr,it --seed 7
//! ```

#[path = "corpus/mod.rs"]
mod corpus;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut articles = 1000usize;
    let mut locales = vec!["nl".to_owned(), "fr".to_owned(), "it".to_owned()];
    let mut seed = 7u64;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--articles" => articles = args.next().ok_or("--articles needs a number")?.parse()?,
            "--locales" => {
                locales = args
                    .next()
                    .ok_or("--locales needs a list")?
                    .split(',')
                    .map(str::to_owned)
                    .collect()
            }
            "--seed" => seed = args.next().ok_or("--seed needs a number")?.parse()?,
            "-h" | "--help" => {
                println!("usage: gen-corpus DIR [--articles N] [--locales nl,fr,it] [--seed S]");
                return Ok(());
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            other => return Err(format!("unexpected argument `{other}`").into()),
        }
    }
    let dir = dir.ok_or("usage: gen-corpus DIR [--articles N] [--locales nl,fr,it] [--seed S]")?;
    corpus::generate(&dir, articles, &locales, seed)?;
    println!(
        "wrote {} articles in {} locales to {}",
        articles * locales.len(),
        locales.len(),
        dir.display()
    );
    Ok(())
}
