//! Connecting to a hub from a `postgres://` URL, and the URL shown in messages without any
//! password. The password is the URL's, else one given earlier in this process (a prompt's
//! answer), else `.pgpass`'s. When the server asks for one that is missing or wrong, a prompt
//! the caller installed (the CLI's, on a terminal) is asked, up to three times. Passwords live
//! only in this process's memory: nothing here writes one down.

use std::fmt;
use std::sync::{Mutex, OnceLock};

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

/// Asks someone for a role's password; `refused` says the last one tried was wrong. `None`:
/// they gave none (no terminal, or they cancelled).
pub type PasswordPrompt = dyn Fn(&HubUrl, bool) -> Option<String> + Send + Sync;

/// How many passwords a prompt may give for one connection before the refusal stands.
const PROMPT_TRIES: usize = 3;

static PROMPT: OnceLock<Box<PasswordPrompt>> = OnceLock::new();

/// Passwords given in this process, by server, port, database and role.
static GIVEN: Mutex<Vec<(HubUrl, String)>> = Mutex::new(Vec::new());

/// Installs the prompt [`connect`] asks when the server wants a password it does not have.
/// The first call wins: the process has one way to ask.
pub fn set_password_prompt(prompt: Box<PasswordPrompt>) {
    let _ = PROMPT.set(prompt);
}

/// Keeps `password` for `url`'s role and server for the rest of this process (never on disk).
pub fn remember_password(url: &HubUrl, password: String) {
    let key = url.as_role(&url.user);
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    given.retain(|(k, _)| *k != key);
    given.push((key, password));
}

fn remembered_password(url: &HubUrl) -> Option<String> {
    let key = url.as_role(&url.user);
    GIVEN.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone())
}

/// Connects with the first password there is (see the module's comment), asking the installed
/// prompt when the server refuses for want of the right one.
pub fn connect(url: &HubUrl) -> Result<postgres::Client> {
    let mut password = url
        .password
        .clone()
        .or_else(|| remembered_password(url))
        .or_else(|| pgpass::lookup(&url.host, url.port, &url.database, &url.user));
    let mut asked = 0;
    loop {
        let error = match connect_with(url, password.as_deref()) {
            Ok(client) => {
                if asked > 0
                    && let Some(password) = password
                {
                    remember_password(url, password);
                }
                return Ok(client);
            }
            Err(e) => e,
        };
        let refused = password.is_some();
        if !wants_password(&error) {
            return Err(HubError::Connect {
                url: url.to_string(),
                message: error.as_db_error().map_or_else(|| error.to_string(), |db| db.message().to_owned()),
            });
        }
        match PROMPT.get().filter(|_| asked < PROMPT_TRIES).and_then(|prompt| prompt(url, refused)) {
            Some(given) => {
                password = Some(given);
                asked += 1;
            }
            None => return Err(HubError::Password { url: url.to_string(), role: url.user.clone(), refused }),
        }
    }
}

fn connect_with(url: &HubUrl, password: Option<&str>) -> Result<postgres::Client, postgres::Error> {
    let mut config = postgres::Config::new();
    config.host(&url.host).port(url.port).user(&url.user).dbname(&url.database);
    config.application_name("pairscope");
    config.connect_timeout(std::time::Duration::from_secs(10));
    if let Some(password) = password {
        config.password(password);
    }
    config.connect(postgres::NoTls)
}

/// Whether the server turned the connection away for want of the right password: none was
/// given when it asked (the client's own "password missing"), or the one given was wrong.
fn wants_password(error: &postgres::Error) -> bool {
    error.code() == Some(&postgres::error::SqlState::INVALID_PASSWORD)
        || std::error::Error::source(error).is_some_and(|cause| cause.to_string() == "password missing")
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
