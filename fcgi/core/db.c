/* db.c: libpq connection with statement tables, reconnection and checked results. */
#include "db.h"
#include "arena.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

struct stmt_table {
	const struct db_stmt *stmts;
	size_t n;
};

#define MAX_TABLES 32   /* db.c's own, the core modules', the program's */

struct db {
	char *conninfo;
	PGconn *conn;
	struct stmt_table tables[MAX_TABLES];
	size_t ntables;
	char sqlstate[6];
};

/* Every request runs this; prepared like the rest. set_config(..., true) lasts until
 * the end of the transaction, so a tenant can never leak into the next request. */
static const struct db_stmt set_tenant = {
	"db_set_tenant", "SELECT " DB_TENANT_SCOPE("$1")
};

struct db *db_new(const char *conninfo)
{
	struct db *db = calloc(1, sizeof *db);
	if (!db || !(db->conninfo = strdup(conninfo)))
		abort();
	db_register(db, &set_tenant, 1);
	return db;
}

void db_free(struct db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

void db_register(struct db *db, const struct db_stmt *stmts, size_t n)
{
	if (db->ntables == MAX_TABLES) {
		log_error("too many statement tables");
		abort();
	}
	db->tables[db->ntables++] = (struct stmt_table){ stmts, n };
}

static void note_error(struct db *db, const PGresult *res, const char *what, const char *name)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "XX000");
	/* The primary message only: DETAIL repeats the offending values ("Key (email)=(…)
	 * already exists"), and logs carry no e-mail, phone or message text. */
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			      : PQerrorMessage(db->conn);
	if (!msg)
		msg = "";
	/* Unique violations are expected answers (an e-mail already taken): not errors. */
	enum log_level lvl = strcmp(db->sqlstate, "23505") == 0 ? LOG_INFO : LOG_ERROR;
	log_event(lvl, what, "stmt", name, "sqlstate", db->sqlstate, "error", msg,
		  (char *)NULL);
}

/* Runs a fixed command (no parameters, no input in it). */
static int run_fixed(struct db *db, const char *sql)
{
	PGresult *res = PQexec(db->conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		note_error(db, res, "query failed", sql);
	PQclear(res);
	return ok ? 0 : -1;
}

static int prepare_all(struct db *db)
{
	/* Nothing below may resolve names through a schema a user could create, and no
	 * object in public may shadow a built-in: pg_catalog comes first. */
	if (run_fixed(db, "SELECT pg_catalog.set_config('search_path', 'pg_catalog, public', false)"))
		return -1;
	for (size_t t = 0; t < db->ntables; t++)
		for (size_t i = 0; i < db->tables[t].n; i++) {
			const struct db_stmt *st = &db->tables[t].stmts[i];
			if (!st->name)
				continue;
			PGresult *res = PQprepare(db->conn, st->name, st->sql, 0, NULL);
			int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
			if (!ok)
				note_error(db, res, "prepare failed", st->name);
			PQclear(res);
			if (!ok)
				return -1;
		}
	return 0;
}

int db_ensure(struct db *db)
{
	if (db->conn && PQstatus(db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		return 0;
	if (db->conn) {
		log_warn("database connection lost, reconnecting");
		PQfinish(db->conn);
	}
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_error("cannot connect to database", "error", PQerrorMessage(db->conn));
		PQfinish(db->conn);
		db->conn = NULL;
		return -1;
	}
	return prepare_all(db);
}

int db_begin(struct db *db)
{
	db->sqlstate[0] = '\0';
	if (db_ensure(db))
		return -1;
	if (run_fixed(db, "BEGIN") == 0)
		return 0;
	/* A connection the server closed while we were idle (restart, idle timeout) only
	 * shows as broken when used. Nothing has happened in this request yet, so one
	 * reconnection and retry is safe. */
	if (PQstatus(db->conn) != CONNECTION_BAD)
		return -1;
	return db_ensure(db) || run_fixed(db, "BEGIN") ? -1 : 0;
}

int db_commit(struct db *db)
{
	/* COMMIT of a transaction that had failed "succeeds" with the tag ROLLBACK: nothing
	 * was written, and the caller must know it. */
	PGresult *res = PQexec(db->conn, "COMMIT");
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") == 0;
	if (!ok && PQresultStatus(res) == PGRES_COMMAND_OK) {
		snprintf(db->sqlstate, sizeof db->sqlstate, "25P02");
		log_error("commit rolled back: the transaction had failed", "tag", PQcmdStatus(res));
	} else if (!ok) {
		note_error(db, res, "query failed", "COMMIT");
	}
	PQclear(res);
	return ok ? 0 : -1;
}

int db_rollback(struct db *db)
{
	if (!db->conn || PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		return 0;
	return run_fixed(db, "ROLLBACK");
}

int db_set_tenant(struct db *db, const char *workspace_id)
{
	const char *p[1] = { workspace_id };
	PGresult *res = PQexecPrepared(db->conn, set_tenant.name, 1, p, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		note_error(db, res, "set tenant failed", "set_tenant");
	PQclear(res);
	return ok ? 0 : -1;
}

static void clear_result(void *res)
{
	PQclear(res);
}

/* Runs st; values, lengths and formats as PQexecPrepared takes them. */
static PGresult *exec(struct db *db, struct arena *a, const struct db_stmt *st, int n,
		      const char *const *values, const int *lengths, const int *formats)
{
	if (!db->conn) {
		snprintf(db->sqlstate, sizeof db->sqlstate, "08003");
		return NULL;
	}
	PGresult *res = PQexecPrepared(db->conn, st->name, n, values, lengths, formats, 0);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		note_error(db, res, "query failed", st->name);
		PQclear(res);
		return NULL;
	}
	arena_cleanup(a, clear_result, res);
	return res;
}

PGresult *db_exec(struct db *db, struct arena *a, const struct db_stmt *st,
		  const char *const *params, int n)
{
	return exec(db, a, st, n, params, NULL, NULL);
}

PGresult *db_exec_params(struct db *db, struct arena *a, const struct db_stmt *st,
			 const struct db_param *params, int n)
{
	const char **values = arena_calloc(a, n ? (size_t)n : 1, sizeof *values);
	int *lengths = arena_calloc(a, n ? (size_t)n : 1, sizeof *lengths);
	int *formats = arena_calloc(a, n ? (size_t)n : 1, sizeof *formats);
	for (int i = 0; i < n; i++) {
		values[i] = params[i].value;
		lengths[i] = params[i].binary ? params[i].len : 0;
		formats[i] = params[i].binary;
	}
	return exec(db, a, st, n, values, lengths, formats);
}

PGconn *db_pgconn(struct db *db)
{
	return db->conn;
}

const char *db_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

bool db_unique_violation(const struct db *db)
{
	return strcmp(db->sqlstate, "23505") == 0;
}

static int column(const PGresult *res, const char *col)
{
	int c = PQfnumber(res, col);
	if (c < 0)
		log_error("no such column in result", "column", col);
	return c;
}

const char *db_get(const PGresult *res, int row, const char *col)
{
	int c = column(res, col);
	if (c < 0 || row < 0 || row >= PQntuples(res) || PQgetisnull(res, row, c))
		return NULL;
	return PQgetvalue(res, row, c);
}

const char *db_get_or(const PGresult *res, int row, const char *col, const char *def)
{
	const char *v = db_get(res, row, col);
	return v ? v : def;
}

long long db_get_int(const PGresult *res, int row, const char *col, long long def)
{
	const char *v = db_get(res, row, col);
	if (!v)
		return def;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *end ? def : n;
}

bool db_get_bool(const PGresult *res, int row, const char *col)
{
	const char *v = db_get(res, row, col);
	return v && v[0] == 't';
}
