/* test_db.c: the database layer against the real test cluster (no mock).
 *
 * Needs RM_TEST_DATABASE_URL (make test exports it, pointing at the throwaway stack's
 * PostgreSQL as rm_app). Without it every test is skipped, so `make unit` still runs
 * on a machine with no cluster. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <malloc.h>
#ifdef __SANITIZE_ADDRESS__
/* ASan's allocator (its header is not installed with gcc). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include "core/arena.h"
#include "core/db.h"
#include "core/nitems.h"
#include "core/pgarray.h"

enum { Q_ECHO, Q_NULLS, Q_BAD_CAST, Q_DUP, Q_WHO, Q_TENANT, Q_DIE, Q_ARRAYS, Q_WRONG_TYPE };

static const struct db_stmt sql[] = {
	[Q_ECHO] = { "t_echo", "SELECT $1::text AS a, $2::int + 1 AS b, true AS yes" },
	[Q_NULLS] = { "t_nulls", "SELECT $1::text IS NULL AS was_null, NULL::text AS n" },
	[Q_BAD_CAST] = { "t_bad_cast", "SELECT $1::int AS n" },
	/* The demo owner's address again: the global unique index on users.email refuses it. */
	[Q_DUP] = { "t_dup",
		"INSERT INTO users (workspace_id, email, password_hash, name)"
		" VALUES ($1, 'demo@reputationmanager.com', 'x', 'x')" },
	[Q_WHO] = { "t_who", "SELECT current_user AS u, current_setting('search_path') AS sp" },
	[Q_TENANT] = { "t_tenant",
		"SELECT current_setting('app.workspace_id', true) AS ws, count(*) AS n FROM workspaces" },
	[Q_DIE] = { "t_die", "SELECT pg_terminate_backend(pg_backend_pid())" },
	/* Binary arrays beside a text parameter, read back as rows. */
	[Q_ARRAYS] = { "t_arrays",
		"SELECT $1::text AS label, r.i, r.b, r.t, r.at = '2030-01-15 15:00+00' AS at_ok,"
		"  cardinality($6::text[]) AS empty"
		" FROM unnest($2::int4[], $3::bool[], $4::text[], $5::timestamptz[]) WITH ORDINALITY"
		"   AS r(i, b, t, at, o) ORDER BY r.o" },
	[Q_WRONG_TYPE] = { "t_wrong_type", "SELECT cardinality($1::int4[]) AS n" },
};

struct fixture {
	struct db *db;
	struct arena *a;
};

static int setup(void **state)
{
	const char *url = getenv("RM_TEST_DATABASE_URL");
	if (!url || !*url)
		return 0;
	struct fixture *f = calloc(1, sizeof *f);
	f->db = db_new(url);
	db_register(f->db, sql, nitems(sql));
	f->a = arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f) {
		arena_free(f->a);
		db_free(f->db);
		free(f);
	}
	return 0;
}

#define NEED_DB(state)                                                  \
	struct fixture *f = *(state);                                   \
	if (!f) {                                                       \
		skip();                                                 \
		return;                                                 \
	}

static void test_parameters_and_columns_by_name(void **state)
{
	NEED_DB(state);
	assert_int_equal(db_begin(f->db), 0);
	PGresult *r = DB_EXEC(f->db, f->a, &sql[Q_ECHO], "María ' ; DROP TABLE x --", "41");
	assert_non_null(r);
	/* Parameters are data: the quote and the SQL in them come back as text. */
	assert_string_equal(db_get(r, 0, "a"), "María ' ; DROP TABLE x --");
	assert_int_equal(db_get_int(r, 0, "b", -1), 42);
	assert_true(db_get_bool(r, 0, "yes"));
	/* A column the query does not have is NULL (and logged), not a crash. */
	assert_null(db_get(r, 0, "nope"));
	assert_null(db_get(r, 5, "a"));
	assert_int_equal(db_rollback(f->db), 0);
}

static void test_null_parameters_and_values(void **state)
{
	NEED_DB(state);
	assert_int_equal(db_begin(f->db), 0);
	PGresult *r = DB_EXEC(f->db, f->a, &sql[Q_NULLS], NULL);
	assert_non_null(r);
	assert_true(db_get_bool(r, 0, "was_null"));
	assert_null(db_get(r, 0, "n"));
	assert_string_equal(db_get_or(r, 0, "n", "—"), "—");
	assert_int_equal(db_get_int(r, 0, "n", 7), 7);
	db_rollback(f->db);
}

static void test_error_returns_null_with_sqlstate(void **state)
{
	NEED_DB(state);
	assert_int_equal(db_begin(f->db), 0);
	assert_null(DB_EXEC(f->db, f->a, &sql[Q_BAD_CAST], "no es número"));
	assert_string_equal(db_sqlstate(f->db), "22P02");
	assert_false(db_unique_violation(f->db));
	db_rollback(f->db);
	/* The connection is usable again after the rollback. */
	assert_int_equal(db_begin(f->db), 0);
	assert_string_equal(db_sqlstate(f->db), "");
	assert_non_null(DB_EXEC(f->db, f->a, &sql[Q_ECHO], "x", "1"));
	db_rollback(f->db);
}

static void test_unique_violation_is_recognised(void **state)
{
	NEED_DB(state);
	const char *ws = "10000000-0000-4000-8000-000000000001";   /* the demo workspace */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_set_tenant(f->db, ws), 0);
	assert_null(DB_EXEC(f->db, f->a, &sql[Q_DUP], ws));
	assert_string_equal(db_sqlstate(f->db), "23505");
	assert_true(db_unique_violation(f->db));
	db_rollback(f->db);
}

static void test_connects_as_app_role_with_safe_search_path(void **state)
{
	NEED_DB(state);
	assert_int_equal(db_begin(f->db), 0);
	PGresult *r = DB_EXEC0(f->db, f->a, &sql[Q_WHO]);
	assert_non_null(r);
	assert_string_equal(db_get(r, 0, "u"), "rm_app");
	assert_string_equal(db_get(r, 0, "sp"), "pg_catalog, public");
	db_rollback(f->db);
}

static void test_tenant_is_scoped_to_the_transaction(void **state)
{
	NEED_DB(state);
	const char *ws = "10000000-0000-4000-8000-000000000001";   /* the demo workspace */
	assert_int_equal(db_begin(f->db), 0);
	PGresult *r = DB_EXEC0(f->db, f->a, &sql[Q_TENANT]);
	assert_int_equal(db_get_int(r, 0, "n", -1), 0);   /* unset: row-level security shows nothing */
	assert_int_equal(db_set_tenant(f->db, ws), 0);
	r = DB_EXEC0(f->db, f->a, &sql[Q_TENANT]);
	assert_string_equal(db_get(r, 0, "ws"), ws);
	assert_int_equal(db_get_int(r, 0, "n", -1), 1);
	assert_int_equal(db_commit(f->db), 0);
	/* set_config(..., true) lasts only until the end of the transaction. */
	assert_int_equal(db_begin(f->db), 0);
	r = DB_EXEC0(f->db, f->a, &sql[Q_TENANT]);
	assert_string_equal(db_get_or(r, 0, "ws", ""), "");
	assert_int_equal(db_get_int(r, 0, "n", -1), 0);
	db_rollback(f->db);
}

static void test_begin_reconnects_after_the_server_drops_us(void **state)
{
	NEED_DB(state);
	assert_int_equal(db_begin(f->db), 0);
	/* The server ends this connection; the statement itself fails. */
	assert_null(DB_EXEC0(f->db, f->a, &sql[Q_DIE]));
	db_rollback(f->db);
	/* The next transaction reconnects and prepares again, transparently. */
	assert_int_equal(db_begin(f->db), 0);
	PGresult *r = DB_EXEC(f->db, f->a, &sql[Q_ECHO], "otra vez", "1");
	assert_non_null(r);
	assert_string_equal(db_get(r, 0, "a"), "otra vez");
	db_rollback(f->db);
}

static void test_binary_arrays_reach_the_server_as_typed_rows(void **state)
{
	NEED_DB(state);
	struct pgarray i, b, t, at, none;
	pgarray_init(&i, PGARRAY_INT4, 3);
	pgarray_init(&b, PGARRAY_BOOL, 3);
	pgarray_init(&t, PGARRAY_TEXT, 3);
	pgarray_init(&at, PGARRAY_TIMESTAMPTZ, 3);
	pgarray_init(&none, PGARRAY_TEXT, 0);
	const char *texts[] = { "Ñandú \"Pérez\", {x}", NULL, "" };
	for (int k = 0; k < 3; k++) {
		pgarray_add_int4(&i, k - 1);
		pgarray_add_bool(&b, k == 1);
		pgarray_add_text(&t, texts[k]);
	}
	/* 2030-01-15 15:00 UTC, in microseconds since 2000-01-01 UTC. */
	pgarray_add_int8(&at, INT64_C(1894719600000000) - PGARRAY_EPOCH_SHIFT_US);
	pgarray_add_null(&at);
	pgarray_add_int8(&at, 0);
	const struct db_param p[] = { DB_TEXT("lote"), pgarray_param(&i, f->a),
		pgarray_param(&b, f->a), pgarray_param(&t, f->a), pgarray_param(&at, f->a),
		pgarray_param(&none, f->a) };
	assert_int_equal(db_begin(f->db), 0);
	PGresult *r = db_exec_params(f->db, f->a, &sql[Q_ARRAYS], p, (int)nitems(p));
	assert_non_null(r);
	assert_int_equal(PQntuples(r), 3);
	assert_string_equal(db_get(r, 0, "label"), "lote");
	assert_int_equal(db_get_int(r, 0, "i", 99), -1);
	assert_int_equal(db_get_int(r, 2, "i", 99), 1);
	assert_false(db_get_bool(r, 0, "b"));
	assert_true(db_get_bool(r, 1, "b"));
	/* Quotes, commas and braces are bytes, not array syntax. */
	assert_string_equal(db_get(r, 0, "t"), texts[0]);
	assert_null(db_get(r, 1, "t"));
	assert_string_equal(db_get(r, 2, "t"), "");
	assert_true(db_get_bool(r, 0, "at_ok"));
	assert_null(db_get(r, 1, "at_ok"));
	assert_false(db_get_bool(r, 2, "at_ok"));
	assert_int_equal(db_get_int(r, 0, "empty", -1), 0);
	db_rollback(f->db);
}

static void test_binary_array_of_another_type_is_refused(void **state)
{
	NEED_DB(state);
	struct pgarray t;
	pgarray_init(&t, PGARRAY_TEXT, 1);
	pgarray_add_text(&t, "1");
	const struct db_param p[] = { pgarray_param(&t, f->a) };
	assert_int_equal(db_begin(f->db), 0);
	assert_null(db_exec_params(f->db, f->a, &sql[Q_WRONG_TYPE], p, 1));
	assert_string_equal(db_sqlstate(f->db), "42804");   /* wrong element type */
	db_rollback(f->db);
}

/* Bytes the allocator has handed out and not taken back. */
static size_t heap_in_use(void)
{
#ifdef __SANITIZE_ADDRESS__
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

static void test_results_are_freed_with_the_arena(void **state)
{
	NEED_DB(state);
	assert_int_equal(db_begin(f->db), 0);
	arena_reset(f->a);
	size_t before = heap_in_use();
	for (int i = 0; i < 1000; i++)
		assert_non_null(DB_EXEC(f->db, f->a, &sql[Q_ECHO], "x", "1"));
	size_t held = heap_in_use() - before;
	assert_true(held > 1000 * 100);   /* a PGresult is a few hundred bytes at least */
	arena_reset(f->a);
	size_t after = heap_in_use();
	assert_true(after < before + held / 10);
	db_rollback(f->db);
}

static void test_commit_of_a_failed_transaction_is_a_failure(void **state)
{
	NEED_DB(state);
	assert_int_equal(db_begin(f->db), 0);
	assert_null(DB_EXEC(f->db, f->a, &sql[Q_BAD_CAST], "no es un número"));
	/* PostgreSQL answers this COMMIT with the tag ROLLBACK and no error. */
	assert_int_equal(db_commit(f->db), -1);
	assert_string_equal(db_sqlstate(f->db), "25P02");
	/* The connection is usable again. */
	assert_int_equal(db_begin(f->db), 0);
	assert_non_null(DB_EXEC(f->db, f->a, &sql[Q_ECHO], "sigue", "1"));
	assert_int_equal(db_commit(f->db), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test(fn)
	const struct CMUnitTest tests[] = {
		T(test_parameters_and_columns_by_name),
		T(test_null_parameters_and_values),
		T(test_error_returns_null_with_sqlstate),
		T(test_unique_violation_is_recognised),
		T(test_connects_as_app_role_with_safe_search_path),
		T(test_tenant_is_scoped_to_the_transaction),
		T(test_begin_reconnects_after_the_server_drops_us),
		T(test_results_are_freed_with_the_arena),
		T(test_commit_of_a_failed_transaction_is_a_failure),
		T(test_binary_arrays_reach_the_server_as_typed_rows),
		T(test_binary_array_of_another_type_is_refused),
	};
#undef T
	return cmocka_run_group_tests_name("db", tests, setup, teardown);
}
