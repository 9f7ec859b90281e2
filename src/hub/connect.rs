//! Connecting to a hub from a `postgres://` URL, with the password from `.pgpass` when the
//! URL has none, and the URL shown in messages without any password.

use std::fmt;

use super::{HubError, Result, pgpass};

/// A hub's address: `postgres://ROLE[:PASSWORD]@HOST[:PORT]/DATABASE`.
#[derive(Clone, PartialEq, Eq)]
pub struct HubUrl {
    pub user: String,
    password: Option<String>,
    pub host: String,
    pub port: u16,
    pub database: String,
}

impl fmt::Display for HubUrl {
    /// Never shows the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "postgres://{}@{}:{}/{}", self.user, self.host, self.port, self.database)
    }
}

impl fmt::Debug for HubUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl HubUrl {
    pub fn parse(url: &str) -> Result<HubUrl> {
        let bad = |why: &str| {
            HubError::Invalid(format!(
                "{} is not a hub URL ({why}); write postgres://ROLE@HOST:PORT/DATABASE",
                crate::quote::quote(&redact(url))
            ))
        };
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or_else(|| bad("it must start with postgres://"))?;
        let (auth, rest) = rest.rsplit_once('@').ok_or_else(|| bad("it names no role: ROLE@ is missing"))?;
        let (user, password) = match auth.split_once(':') {
            Some((u, p)) => (u, Some(p.to_owned())),
            None => (auth, None),
        };
        let (hostport, database) = rest.split_once('/').ok_or_else(|| bad("it names no database"))?;
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad("the port is not a number"))?),
            None => (hostport, 5432),
        };
        if user.is_empty() || host.is_empty() || database.is_empty() || database.contains(['/', '?']) {
            return Err(bad("a part is empty or holds options pairscope does not read"));
        }
        Ok(HubUrl { user: user.into(), password, host: host.into(), port, database: database.into() })
    }

    /// The same hub as another role (a labeler's own connection).
    pub fn as_role(&self, user: &str) -> HubUrl {
        HubUrl { user: user.into(), password: None, ..self.clone() }
    }
}

/// The URL with any password replaced by `***`, for messages about a URL that did not parse.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if scheme + 3 < at => {
            let auth = &url[scheme + 3..at];
            match auth.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Connects; the password is the URL's, else the one `.pgpass` holds for this server, database
/// and role, else none (the server may trust the connection).
pub fn connect(url: &HubUrl) -> Result<postgres::Client> {
    let mut config = postgres::Config::new();
    config.host(&url.host).port(url.port).user(&url.user).dbname(&url.database);
    config.application_name("pairscope");
    config.connect_timeout(std::time::Duration::from_secs(10));
    let password = url.password.clone().or_else(|| pgpass::lookup(&url.host, url.port, &url.database, &url.user));
    if let Some(password) = password {
        config.password(password);
    }
    config.connect(postgres::NoTls).map_err(|e| HubError::Connect {
        url: url.to_string(),
        message: e.as_db_error().map_or_else(|| e.to_string(), |db| db.message().to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_never_show_their_password() {
        let url = HubUrl::parse("postgres://ana:s3cret@db.local:5433/team").unwrap();
        assert_eq!(
            (url.user.as_str(), url.host.as_str(), url.port, url.database.as_str()),
            ("ana", "db.local", 5433, "team")
        );
        assert_eq!(url.to_string(), "postgres://ana@db.local:5433/team");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert_eq!(HubUrl::parse("postgresql://ben@h/db").unwrap().port, 5432);
        let err = HubUrl::parse("postgres://ana:s3cret@h:x/db").unwrap_err().to_string();
        assert!(err.contains("port") && !err.contains("s3cret"), "{err}");
        for bad in ["mysql://a@h/db", "postgres://h/db", "postgres://a@h", "postgres://a@h/db?sslmode=x"] {
            assert!(HubUrl::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(url.as_role("ben").to_string(), "postgres://ben@db.local:5433/team");
    }
}
