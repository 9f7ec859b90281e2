# Sourced by .ci/run: starts a throwaway PostgreSQL cluster for the hub tests and exports
# PAIRSCOPE_TEST_POSTGRES, the URL of its administrator. The cluster lives in a temporary
# folder and is stopped and removed when the calling shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_dir=$(mktemp -d /tmp/pairscope-pg.XXXXXX)
# The first free port from 54329 (another cluster may hold one).
pg_port=54329
while (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
# PostgreSQL refuses to run as root: as root, the cluster is the postgres user's.
if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U pairscope_admin --no-sync >"$pg_dir/initdb.log"
# Members of pairscope_password_required must give a password, as a team hub's labelers do;
# every other role is trusted, so the tests' administrator needs none.
cat >"$pg_dir/pg_hba.conf" <<'HBA'
local all all trust
host all +pairscope_password_required 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
HBA
if [ "$(id -u)" = 0 ]; then chown postgres "$pg_dir/pg_hba.conf"; fi
as_pg cp "$pg_dir/pg_hba.conf" "$pg_dir/data/pg_hba.conf"
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
stop_postgres() {
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}
trap stop_postgres EXIT
as_pg "$pg_bin/psql" -h "$pg_dir" -p "$pg_port" -U pairscope_admin -d postgres -qc \
    "CREATE ROLE pairscope_password_required NOLOGIN" >/dev/null
export PAIRSCOPE_TEST_POSTGRES="postgres://pairscope_admin@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the hub tests at $PAIRSCOPE_TEST_POSTGRES"
