//! `tolk new PATH --title TITLE`: one new article in every locale, linked by one fresh exl-id
//! (see [`crate::new_article`]). Prints each file written, then a summary line.

use crate::error::Result;
use crate::new_article;
pub use crate::new_article::NewOptions;

pub fn execute(options: &NewOptions) -> Result<()> {
    let created = new_article::create(options)?;
    for shown in &created.shown {
        println!("{shown}");
    }
    eprintln!(
        "Created {} article{} with exl-id {}",
        created.shown.len(),
        if created.shown.len() == 1 { "" } else { "s" },
        created.exl_id
    );
    Ok(())
}
