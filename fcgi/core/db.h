/* db.h: the database layer. One connection per process, prepared statements only.
 *
 * Each program (and each core module) declares its SQL as a static table of db_stmt,
 * indexed by an enum (after openradtool), and registers it once at start. Every
 * registered statement is prepared right after each (re)connection, which first sets a
 * safe search_path. Queries take their values only as parameters: there is no call here
 * that runs SQL text built at run time.
 *
 * Results are tied to the request's arena and cleared with it. Every result status is
 * checked: on error the call logs once, remembers the SQLSTATE, and returns NULL. */
#ifndef RM_DB_H
#define RM_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

struct arena;
struct db;

struct db_stmt {
	const char *name;   /* unique across the program: prefix with the module */
	const char *sql;
};

struct db *db_new(const char *conninfo);
void db_free(struct db *db);
/* Adds a statement table; call before the first db_ensure. */
void db_register(struct db *db, const struct db_stmt *stmts, size_t n);
/* Connects (or reconnects after a drop) and prepares every statement. 0 or -1. */
int db_ensure(struct db *db);

/* Opens the request's transaction, reconnecting first if the connection dropped. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
/* Scopes the open transaction to one workspace (row-level security reads it). */
int db_set_tenant(struct db *db, const char *workspace_id);
/* The same scoping as an SQL expression over ws (text; '' scopes to none), for a
 * statement that finds the workspace and scopes the transaction in one round trip. */
#define DB_TENANT_SCOPE(ws) "pg_catalog.set_config('app.workspace_id', " ws ", true)"

/* Runs a prepared statement with n text parameters (NULL = SQL NULL). The result is
 * cleared when the arena is. NULL on any error. */
PGresult *db_exec(struct db *db, struct arena *a, const struct db_stmt *st,
		  const char *const *params, int n);
#define DB_EXEC(db, a, st, ...)                                                     \
	db_exec((db), (a), (st), (const char *const[]){ __VA_ARGS__ },               \
		(int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)))
#define DB_EXEC0(db, a, st) db_exec((db), (a), (st), NULL, 0)

/* A parameter that may be binary: text (a C string; NULL = SQL NULL; len unused) or
 * binary (len bytes in the type's wire format, e.g. an array from core/pgarray.h), for
 * bulk values the server would otherwise parse from text. The statement must give the
 * parameter its type with a cast ($1::int4[]): the server reads the bytes as that type. */
struct db_param {
	const char *value;
	int len;
	bool binary;
};
#define DB_TEXT(s) ((struct db_param){ .value = (s) })
/* db_exec with parameters that may be binary; results are text, as db_exec's. */
PGresult *db_exec_params(struct db *db, struct arena *a, const struct db_stmt *st,
			 const struct db_param *params, int n);

/* The live connection (NULL when down), for LISTEN's socket and notifications: the
 * sender waits on it. Use nothing else of it. */
PGconn *db_pgconn(struct db *db);

/* SQLSTATE of the last failed call ("" when none): e.g. "23505" unique violation. */
const char *db_sqlstate(const struct db *db);
bool db_unique_violation(const struct db *db);

/* Column access by name. A column the query does not have is a programming error:
 * logged, and treated as NULL. db_get returns NULL for SQL NULL. */
const char *db_get(const PGresult *res, int row, const char *col);
const char *db_get_or(const PGresult *res, int row, const char *col, const char *def);
long long db_get_int(const PGresult *res, int row, const char *col, long long def);
bool db_get_bool(const PGresult *res, int row, const char *col);

#endif
