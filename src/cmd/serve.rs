//! `tolk serve`: serve the site from memory; with `--watch`, rebuild and reload on every save.

use crate::error::Result;
use crate::serve::{self, ServeOptions};

pub fn execute(options: &ServeOptions) -> Result<()> {
    serve::run(options)
}
