-- The schema of the tables behind Table and Stream stores (packages/db/src/store-tables.ts),
-- made once here. It used to be made on every store version with CREATE SCHEMA IF NOT
-- EXISTS, which two first writes at once can fail on PostgreSQL: both insert the name
-- into pg_namespace, and one hits its unique index.
CREATE SCHEMA IF NOT EXISTS "store";
