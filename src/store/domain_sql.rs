//! How the domain's truths and splits sit in SQLite columns: by their names ("same",
//! "train-dev"), so a project file reads the same in any SQLite tool. Here, not in
//! `domain.rs`, because only `store/` names SQLite.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::{Split, Truth};

impl ToSql for Truth {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Truth {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "same" => Ok(Truth::Same),
            "different" => Ok(Truth::Different),
            other => Err(FromSqlError::Other(format!("unknown truth {other:?}").into())),
        }
    }
}

impl ToSql for Split {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Split {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        match Split::parse(text) {
            Ok(Some(split)) => Ok(split),
            _ => Err(FromSqlError::Other(format!("unknown split {text:?}").into())),
        }
    }
}
