//! The hub password prompt of the CLI: when the server asks for a role's password that neither
//! the URL nor `.pgpass` holds, a person at a terminal types it, unechoed, as psql asks. Off a
//! terminal (scripts, CI) nothing is asked and the error says where the password goes.

use std::io::IsTerminal;

use crate::hub::{self, HubUrl};

/// Installs the prompt for this process when stdin is a terminal.
pub fn install() {
    if std::io::stdin().is_terminal() {
        hub::set_password_prompt(Box::new(ask));
    }
}

fn ask(url: &HubUrl, refused: bool) -> Option<String> {
    if refused {
        eprintln!("The hub refused that password.");
    }
    let question = format!("Password for role {} at {}:{}/{}: ", url.user, url.host, url.port, url.database);
    // An empty answer or a closed terminal (Ctrl-D) gives up: the error then says what to do.
    rpassword::prompt_password(question).ok().filter(|p| !p.is_empty())
}
