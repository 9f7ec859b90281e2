//! The team hub (issue 16): one PostgreSQL database holding a team's shared project. This is
//! the only code that names PostgreSQL, as `store/` is for SQLite. The schema is in
//! `migrations/postgres/`.
//!
//! Passwords never pass through pairscope's files: a URL names the server, the database and
//! the role; the password comes from the server's own `.pgpass` / `PGPASSFILE` (see
//! [`pgpass`]), from the URL the user typed, or from a prompt (kept in memory only).

mod assignments;
mod clone;
mod connect;
mod decisions;
mod events;
mod hub_writes;
mod labelers;
mod listen;
pub mod pgpass;
mod schema;
mod share;
mod sync;
mod tag_definitions;

pub use assignments::{AssignmentRules, assignment_rules, take_assignments};
pub use clone::{CloneReport, clone_hub};
pub use connect::{HubUrl, PasswordPrompt, connect, remember_password, set_password_prompt};
pub use labelers::{CopyStatus, HubLabeler, LabelerCounts, add_labeler, copies, counts, validate_pg_role};
pub use listen::listen;
pub use schema::{HUB_SCHEMA_VERSION, check_current, init};
pub use share::{ShareReport, share};
pub use sync::{SyncReport, sync, waiting};

/// What can go wrong talking to a hub.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The server could not be reached or refused the connection; `url` has no password.
    #[error("cannot connect to the hub at {url}: {message}")]
    Connect { url: String, message: String },
    /// The server wants a password for `role` that pairscope does not have, or refused the one
    /// given (`refused`).
    #[error("{}", password_message(url, role, *refused))]
    Password { url: String, role: String, refused: bool },
    /// The server refused a statement (its own message, e.g. a row-level security policy).
    #[error("the hub refused: {0}")]
    Refused(String),
    #[error("{0}")]
    Invalid(String),
    /// The project file (its own message names it).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<postgres::Error> for HubError {
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => HubError::Refused(db.message().to_owned()),
            None => HubError::Refused(e.to_string()),
        }
    }
}

fn password_message(url: &str, role: &str, refused: bool) -> String {
    if refused {
        format!(
            "the hub at {url} refused the password for role {role}; check it in ~/.pgpass (or PGPASSFILE), or type it again"
        )
    } else {
        format!(
            "the hub at {url} asks for role {role}'s password; put it in ~/.pgpass (or PGPASSFILE), or type it when asked"
        )
    }
}

pub type Result<T, E = HubError> = std::result::Result<T, E>;
