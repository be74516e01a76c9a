/**
 * The query log and API keys on JDBC: {@link dev.groundwork.store.jdbc.JdbcStore} opens a SQLite file
 * (the default, in {@code .groundwork/}) or a PostgreSQL URL and applies the versioned schema
 * migrations; the SQL is the subset both understand.
 */
package dev.groundwork.store.jdbc;
