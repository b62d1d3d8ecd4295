#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests of the PostgreSQL store
# (issue 18), from Debian's postgresql-15 (scripts/setup.sh installs it).
#   scripts/pg_scratch.sh start DIR   initdb in DIR (absent or empty), start the
#                                     server on a free port of 127.0.0.1 and a
#                                     unix socket in DIR/run, create database
#                                     plantrace with a writer and a read-only
#                                     role and pg_trgm and unaccent; prints
#                                       PLANTRACE_PG_URL=postgresql://...     (writer)
#                                       PLANTRACE_PG_RO_URL=postgresql://...  (read-only)
#                                       PGPASSFILE=DIR/pgpass
#                                     and nothing else on stdout
#   scripts/pg_scratch.sh stop DIR    stop that server and remove DIR
# The passwords are random and written only to DIR/pgpass (mode 600), never
# to the URLs, stdout or the server log. A failed start leaves no server
# running and removes DIR. Starts run in parallel in different DIRs.
set -euo pipefail

bindir=${PLANTRACE_PG_BINDIR:-/usr/lib/postgresql/15/bin}
db=plantrace
writer=plantrace_writer
reader=plantrace_reader
marker=.pg_scratch  # stop removes only a DIR that start made

die() {
  echo "pg_scratch: $*" >&2
  exit 1
}

usage() {
  echo "usage: scripts/pg_scratch.sh start|stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2
case "$dir" in
  */) dir=${dir%/} ;;
esac
[ -n "$dir" ] || usage
# DIR goes into the server's configuration and printed lines unquoted.
case "$dir" in
  *[[:space:]\'\"\\:]*) die "DIR must not contain blanks, quotes, backslashes or colons: $dir" ;;
esac

# initdb, pg_ctl and postgres refuse to run as root. As root the server runs
# as `postgres`, the system user Debian's postgresql-common creates with the
# packages (so it is there whenever the binaries are, and it is the user
# Debian runs its own clusters as): no user is created, and `nobody`, which
# other daemons share, owns nothing. PLANTRACE_PG_USER chooses another.
# setpriv (util-linux) switches user without PAM or a login session.
server_user=""
as_server() {
  if [ -n "$server_user" ]; then
    (cd / && setpriv --reuid="$server_user" --regid="$server_group" --init-groups --reset-env "$@")
  else
    "$@"
  fi
}
choose_server_user() {
  if [ "$(id -u)" = 0 ]; then
    server_user=${1:-${PLANTRACE_PG_USER:-postgres}}
    getent passwd "$server_user" >/dev/null || die "no user $server_user to run the server as (scripts/setup.sh installs postgresql-15, which creates postgres)"
    server_group=$(id -gn "$server_user")
  fi
}

stop_server() {  # stops the server of $dir/data, if one runs
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 ||
    as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
}

random_password() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "$cmd" = stop ]; then
  [ -e "$dir" ] || exit 0
  [ -f "$dir/$marker" ] || die "$dir was not made by pg_scratch.sh start; not removing it"
  [ -d "$dir/data" ] && choose_server_user "$(stat -c %U "$dir/data")"
  stop_server
  rm -rf "$dir"
  exit 0
fi
[ "$cmd" = start ] || usage

for b in initdb pg_ctl postgres psql; do
  [ -x "$bindir/$b" ] || die "$bindir/$b not found (scripts/setup.sh installs postgresql-15)"
done
if [ -e "$dir" ] && ! { [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ]; }; then
  die "$dir exists and is not an empty directory"
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd -P)
cleanup() {
  stop_server
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The socket path must fit in sun_path (107 bytes).
[ ${#dir} -le 80 ] || die "DIR path too long for a unix socket: $dir"

touch "$dir/$marker"
choose_server_user
mkdir "$dir/data" "$dir/run"
chmod 700 "$dir/data" "$dir/run"
if [ -n "$server_user" ]; then
  # DIR itself keeps its owner and the pgpass file; the server's user only
  # passes through it to data/ and run/, which it owns.
  chmod 711 "$dir"
  chown "$server_user:$server_group" "$dir/data" "$dir/run"
  as_server test -w "$dir/run" ||
    die "user $server_user cannot reach $dir (a parent directory is not searchable by others); use a DIR under /tmp"
else
  chmod 700 "$dir"
fi

# Byte order for text (collation C, as SQLite's BINARY compares) with
# Unicode character classes (ctype C.UTF-8: lower(), regexes and pg_trgm see
# Vietnamese letters as letters); messages in English.
as_server "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --lc-collate=C --lc-ctype=C.UTF-8 --lc-messages=C \
  --lc-monetary=C --lc-numeric=C --lc-time=C --auth-local=trust --auth-host=scram-sha-256 --no-sync \
  --no-instructions >"$dir/run/initdb.log" 2>&1 || { cat "$dir/run/initdb.log" >&2; die "initdb failed"; }
# Local connections are trusted: the socket sits in run/ (mode 700, the
# server's user's), so only that user (and root) reaches it. TCP needs a
# password, and postgres, the superuser, has none.
as_server tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# pg_scratch.sh: a throwaway server for tests; durability traded for speed.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/run'
unix_socket_permissions = 0700
max_connections = 40
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
ssl = off
password_encryption = scram-sha-256
log_min_messages = warning
log_min_error_statement = panic
EOF

port=""
for attempt in 1 2 3 4 5 6 7 8; do
  # Below Linux's ephemeral range (32768-60999), so outgoing connections do
  # not hold it. Another server taking the port between the check and the
  # bind makes the start fail with "could not bind": then try another.
  p=$((20000 + RANDOM % 12000))
  port_in_use "$p" && continue
  as_server rm -f "$dir/run/server.log"
  if as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/run/server.log" -o "-p $p" -w -t 30 start >/dev/null 2>&1; then
    port=$p
    break
  fi
  stop_server
  grep -q "could not bind\|could not create any TCP/IP sockets\|Address already in use" "$dir/run/server.log" 2>/dev/null ||
    { tail -n 20 "$dir/run/server.log" >&2 2>/dev/null || true; die "the server did not start"; }
  echo "pg_scratch: port $p taken, trying another (attempt $attempt)" >&2
done
[ -n "$port" ] || die "found no free port"

writer_password=$(random_password)
reader_password=$(random_password)
# Passwords go to psql on stdin (not its command line, which ps shows); the
# server logs no statement text (log_min_error_statement = panic above), nor
# does psql quote it back on an error (VERBOSITY terse).
as_server "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$port" -U postgres -d postgres >/dev/null <<EOF ||
\\set VERBOSITY terse
CREATE ROLE $writer LOGIN PASSWORD '$writer_password';
CREATE ROLE $reader LOGIN PASSWORD '$reader_password';
-- The writer owns the database, so it owns schema public (PostgreSQL 15:
-- pg_database_owner) and creates the store's tables there.
CREATE DATABASE $db OWNER $writer TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8';
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $db TO $writer;
GRANT CONNECT ON DATABASE $db TO $reader;
-- A guard for careless sessions; the privileges below are the boundary.
ALTER ROLE $reader SET default_transaction_read_only = on;
\connect $db
CREATE EXTENSION pg_trgm;
CREATE EXTENSION unaccent;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $reader;
-- What the writer creates later, in public or in schemas of its own.
ALTER DEFAULT PRIVILEGES FOR ROLE $writer GRANT SELECT ON TABLES TO $reader;
ALTER DEFAULT PRIVILEGES FOR ROLE $writer GRANT USAGE ON SCHEMAS TO $reader;
EOF
  die "creating the roles, database and extensions failed"

(
  umask 077
  printf '127.0.0.1:%s:%s:%s:%s\n' "$port" "$db" "$writer" "$writer_password" "$port" "$db" "$reader" "$reader_password" >"$dir/pgpass"
)
chmod 600 "$dir/pgpass"
url="postgresql://$writer@127.0.0.1:$port/$db"
ro_url="postgresql://$reader@127.0.0.1:$port/$db"
# Both roles log in over TCP with the pgpass file, as the tests will.
for u in "$url" "$ro_url"; do
  PGPASSFILE="$dir/pgpass" PGCONNECT_TIMEOUT=10 "$bindir/psql" -X -q -w -At -c 'SELECT 1' "$u" >/dev/null ||
    die "cannot log in as ${u%%@*}"
done

trap - EXIT INT TERM
echo "PLANTRACE_PG_URL=$url"
echo "PLANTRACE_PG_RO_URL=$ro_url"
echo "PGPASSFILE=$dir/pgpass"
