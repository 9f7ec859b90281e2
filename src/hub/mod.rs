//! The team hub (issue 16): one PostgreSQL database holding a team's shared project. This is
//! the only code that names PostgreSQL, as `store/` is for SQLite. The schema is in
//! `migrations/postgres/`.
//!
//! Passwords never pass through pairscope's files: a URL names the server, the database and
//! the role; the password comes from the server's own `.pgpass` / `PGPASSFILE` (see
//! [`pgpass`]) or from the URL the user typed.

mod connect;
mod labelers;
pub mod pgpass;
mod schema;

pub use connect::{HubUrl, connect};
pub use labelers::{HubLabeler, LabelerCounts, add_labeler, counts, validate_pg_role};
pub use schema::{HUB_SCHEMA_VERSION, init};

/// What can go wrong talking to a hub.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The server could not be reached or refused the connection; `url` has no password.
    #[error("cannot connect to the hub at {url}: {message}")]
    Connect { url: String, message: String },
    /// The server refused a statement (its own message, e.g. a row-level security policy).
    #[error("the hub refused: {0}")]
    Refused(String),
    #[error("{0}")]
    Invalid(String),
}

impl From<postgres::Error> for HubError {
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => HubError::Refused(db.message().to_owned()),
            None => HubError::Refused(e.to_string()),
        }
    }
}

pub type Result<T, E = HubError> = std::result::Result<T, E>;
