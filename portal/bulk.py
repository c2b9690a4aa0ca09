"""Many rows written at once: the benchmark's seeder and an announcement's fan-out."""

from collections.abc import Iterable, Iterator
from itertools import groupby

from sqlalchemy import Table, insert

from portal.extensions import db

CHUNK = 2000


def bulk_insert(table: Table, rows: Iterable[dict]) -> int:
    """Insert ``rows`` in few round trips, and say how many: PostgreSQL's COPY, elsewhere
    INSERTs of CHUNK rows each. A statement's columns are its first row's, so each run of rows
    with the same keys goes on its own."""
    insert_run = _copy_run if db.engine.dialect.name == "postgresql" else _insert_run
    return sum(insert_run(table, columns, run)
               for columns, run in groupby(rows, key=lambda row: tuple(row)))


def _insert_run(table: Table, _columns, rows: Iterator[dict]) -> int:
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            db.session.execute(insert(table), chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        db.session.execute(insert(table), chunk)
    return count + len(chunk)


def _copy_run(table: Table, columns: tuple[str, ...], rows: Iterator[dict]) -> int:
    """The rows through COPY, several times faster than INSERTs (a statement a row, as the
    driver sends a list of them). As an INSERT would: each value passes through its column's
    type (enums, UTC times, JSON), and columns left out take their Python-side default."""
    dialect = db.engine.dialect
    convert = [(name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
               for name in columns]
    defaults = [(column.name, column.default) for column in table.columns
                if column.name not in columns and column.default is not None
                and (column.default.is_scalar or column.default.is_callable)]
    names = [*columns, *(name for name, _default in defaults)]
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    count = 0
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [process(row[name]) if process else row[name] for name, process in convert]
            values += [default.arg if default.is_scalar else default.arg(None)
                       for _name, default in defaults]
            copy.write_row(values)
            count += 1
    return count
