"""The distinct values of an indexed column, read by a skip scan.

`SELECT DISTINCT col` reads every row (80–100 ms over 450,000 search entries on PostgreSQL, which has no
skip scan before version 18). A recursive query that asks the index for the next larger value once per
distinct value does the same in a handful of index probes on PostgreSQL and SQLite alike."""

from django.db import connections, router


def distinct_values(model, field_name: str) -> list:
    """The distinct non-null values of `model.field_name` in ascending order; the column needs a B-tree
    index (otherwise each step is a scan). Reads through the router like the ORM (replicas included)."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(model._meta.get_field(field_name).column)
    sql = (
        f"WITH RECURSIVE v(x) AS (SELECT MIN({column}) FROM {table} "
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL) "
        "SELECT x FROM v WHERE x IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]
