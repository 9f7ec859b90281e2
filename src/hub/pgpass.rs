//! The password file PostgreSQL's own tools read (`~/.pgpass`, or the file `PGPASSFILE`
//! names): lines `host:port:database:user:password`, `*` matching anything, `\:` and `\\`
//! escaped. Like libpq, a file others may read is ignored.

use std::path::PathBuf;

/// The password for this connection, if the password file has one.
pub fn lookup(host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(file = %path.display(), "the password file can be read by others; ignored, as libpq does");
            return None;
        }
    }
    find(&std::fs::read_to_string(path).ok()?, host, port, database, user)
}

/// The first line of `text` matching the connection.
pub fn find(text: &str, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).find_map(|line| {
        let fields = split(line);
        let [h, p, d, u, password] = fields.as_slice() else { return None };
        let matches = |field: &str, value: &str| field == "*" || field == value;
        (matches(h, host) && matches(p, &port) && matches(d, database) && matches(u, user)).then(|| password.clone())
    })
}

/// A line's five fields, unescaped.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().expect("one field").extend(chars.next()),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# team hub\n\
                    db.local:5432:team:ana:an\\:a\\\\pw\n\
                    *:*:*:ben:benpw\n\
                    db.local:5432:*:ana:never\n";
        assert_eq!(find(text, "db.local", 5432, "team", "ana").as_deref(), Some("an:a\\pw"));
        assert_eq!(find(text, "elsewhere", 1, "x", "ben").as_deref(), Some("benpw"));
        assert_eq!(find(text, "db.local", 5432, "other", "ana").as_deref(), Some("never"));
        assert_eq!(find(text, "db.local", 5433, "team", "ana"), None);
        assert_eq!(find("short:line", "short", 1, "a", "b"), None);
    }
}
