//! `pairscope hub`: set up a team hub on a PostgreSQL server (14 or newer) and see who labels.

use clap::{Args, Subcommand};

use crate::hub::{self, HubUrl};
use crate::store::Role;

#[derive(Debug, Args)]
pub struct HubArgs {
    #[command(subcommand)]
    command: HubCommand,
}

#[derive(Debug, Subcommand)]
enum HubCommand {
    /// Create the hub's tables in the database URL names (postgres://ROLE@HOST:PORT/DATABASE);
    /// its role owns them. Running it again brings an older hub up to date.
    Init { url: String },
    /// Add a labeler as their own PostgreSQL role (created without a password; set one with
    /// `\password ROLE` in psql, and keep it in the labeler's ~/.pgpass).
    AddLabeler {
        url: String,
        name: String,
        /// labeler, adjudicator or engineer.
        #[arg(long, default_value = "labeler")]
        role: Role,
        /// The PostgreSQL role (default: the name, if it is a plain lower-case identifier).
        #[arg(long)]
        pg_role: Option<String>,
    },
    /// Who labels on the hub, and how much.
    Status { url: String },
    /// Show the assignment rules, first changing those given (the hub's owner only).
    Assignments {
        url: String,
        /// Labelers per pair.
        #[arg(long)]
        overlap: Option<u32>,
        /// How long a labeler holds an assigned pair before it goes back.
        #[arg(long)]
        lease_minutes: Option<u32>,
    },
}

impl HubArgs {
    pub(super) fn run(self) -> anyhow::Result<()> {
        match self.command {
            HubCommand::Init { url } => {
                let url = HubUrl::parse(&url)?;
                let applied = hub::init(&url)?;
                if applied.is_empty() {
                    println!("the hub at {url} is up to date (schema {})", hub::HUB_SCHEMA_VERSION);
                } else {
                    println!("the hub at {url} is ready (applied {})", applied.join(", "));
                }
            }
            HubCommand::AddLabeler { url, name, role, pg_role } => {
                let url = HubUrl::parse(&url)?;
                let pg_role = pg_role.unwrap_or_else(|| name.clone());
                let mut client = hub::connect(&url)?;
                let added = hub::add_labeler(&mut client, &name, &pg_role, role)?;
                println!(
                    "{} is a {} of the hub, connecting as the role {}",
                    added.name,
                    added.role.as_str(),
                    added.pg_role
                );
            }
            HubCommand::Assignments { url, overlap, lease_minutes } => {
                let url = HubUrl::parse(&url)?;
                let rules = hub::assignment_rules(&mut hub::connect(&url)?, overlap, lease_minutes)?;
                println!(
                    "overlap {} labelers per pair, leases of {} min; {} leases live",
                    rules.overlap, rules.lease_minutes, rules.live_leases
                );
            }
            HubCommand::Status { url } => {
                let url = HubUrl::parse(&url)?;
                let mut client = hub::connect(&url)?;
                println!("hub {url}");
                println!(
                    "{:<24} {:<12} {:>9} {:>7} {:>6} {:>9}  last change",
                    "labeler", "role", "verdicts", "tags", "notes", "assigned"
                );
                for c in hub::counts(&mut client)? {
                    println!(
                        "{:<24} {:<12} {:>9} {:>7} {:>6} {:>9}  {}",
                        c.name,
                        c.role.as_str(),
                        c.verdicts,
                        c.tags,
                        c.notes,
                        c.assigned,
                        ago(c.last_change_secs)
                    );
                }
                let copies = hub::copies(&mut client)?;
                if !copies.is_empty() {
                    println!();
                    println!("{:<24} {:<34} {:>14}  last sync", "copy of", "copy id", "events behind");
                    for c in copies {
                        let whose = c.labeler.unwrap_or_else(|| "(owner)".into());
                        println!("{whose:<24} {:<34} {:>14}  {}", c.copy_id, c.behind, ago(c.last_sync_secs));
                    }
                }
            }
        }
        Ok(())
    }
}

/// "12 s ago", "3 min ago", "2 h ago", "5 d ago"; "never" for None.
fn ago(secs: Option<f64>) -> String {
    let Some(secs) = secs else { return "never".into() };
    let secs = secs.max(0.0);
    match secs {
        s if s < 90.0 => format!("{s:.0} s ago"),
        s if s < 90.0 * 60.0 => format!("{:.0} min ago", s / 60.0),
        s if s < 36.0 * 3600.0 => format!("{:.0} h ago", s / 3600.0),
        s => format!("{:.0} d ago", s / 86400.0),
    }
}

#[cfg(test)]
mod tests {
    use super::ago;

    #[test]
    fn ages_read_in_the_unit_a_person_would_use() {
        assert_eq!(ago(None), "never");
        assert_eq!(ago(Some(-0.2)), "0 s ago");
        assert_eq!(ago(Some(12.4)), "12 s ago");
        assert_eq!(ago(Some(600.0)), "10 min ago");
        assert_eq!(ago(Some(7200.0)), "2 h ago");
        assert_eq!(ago(Some(3.0 * 86400.0)), "3 d ago");
    }
}
