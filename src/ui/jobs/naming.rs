//! Errors of work done off the UI thread name the file they are about.

use std::path::Path;

/// An error message that names the file it is about (errors from SQLite do not always).
pub fn naming(path: &Path, message: String) -> String {
    let shown = path.display().to_string();
    if message.contains(&shown) { message } else { format!("{shown}: {message}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_its_file_once() {
        let path = Path::new("/data/other.pairscope");
        assert_eq!(naming(path, "database is locked".into()), "/data/other.pairscope: database is locked");
        let named = "/data/other.pairscope: no such project file".to_owned();
        assert_eq!(naming(path, named.clone()), named);
    }
}
