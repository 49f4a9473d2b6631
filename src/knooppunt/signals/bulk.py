"""Writing many signals at once, with the same rules as `services.create_signal`.

Used for partner file deliveries: the organisation must be one the user may deliver for,
no signal may be above the user's clearance, anonymous signals keep no reporter, each
signal gets a `KNP-{year}-{pk:06d}` reference, and the whole batch gets ONE processing-log
row naming every signal id. No "ontvangen" history row is stored per signal: the
registration is the signal's own `created_at`/`created_by`, shown by
`Signal.status_history` as the first history entry (decision 0007). Rows are written with
one multi-row statement per batch (COPY on PostgreSQL), so 100,000 signals take
seconds, not minutes; every concrete field gets its model default unless given.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import chain, islice, repeat

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunt.audit.log import PURPOSE_PARTNER_DELIVERY, Action, record
from knooppunt.organisations import permissions, scope
from knooppunt.organisations.models import Organisation

from .duplicates import link_new_signals, link_new_signals_alongside, row_of
from .models import AddressStatus, Signal, Status

BATCH_SIZE = 2000
ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys no one else will use, so rows can be written with their final
    references at once. Call inside the transaction that inserts them."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The lock every INSERT takes: a reservation waits, like an insert, while a
            # bulk load (below) holds the table.
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN ROW EXCLUSIVE MODE")
            if count > 1 and _held_exclusively(cursor, table):
                # Nobody else can insert into the table or reserve from its sequence until
                # we commit, so the range is one step of the sequence instead of a
                # nextval() per row (~4 s per million; benchmarks/README.md, seventh round).
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return list(range(first, first + count))
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: take the write lock first, so no other writer can come in between.
        cursor.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = %s", [table])
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        highest = row[0] if row else 0
        top = model.objects.aggregate(m=Max("pk"))["m"] or 0
        start = max(highest, top) + 1
    return list(range(start, start + count))


def _held_exclusively(cursor, table: str) -> bool:
    """Whether this transaction holds ACCESS EXCLUSIVE on the table (PostgreSQL): a bulk
    load (decision 0017) took it when it dropped the table's foreign keys."""
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'relation' "
        "AND relation = %s::regclass AND pid = pg_backend_pid() "
        "AND mode = 'AccessExclusiveLock' AND granted)",
        [connection.ops.quote_name(table)],
    )
    return cursor.fetchone()[0]


def insert_rows(
    model: type[models.Model], rows: Iterable[dict], batch_size: int = BATCH_SIZE,
    *, with_pk: bool = False,
) -> int:
    """Insert dicts of field values (attnames) without building model instances.

    Fields not in a row get the model default, so new fields with defaults keep working.
    Dates, datetimes and JSON are converted per value; the rest is passed as given.
    """
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    convert = {
        f.attname for f in fields
        if isinstance(f, models.DateField | models.JSONField | models.DecimalField)
    }
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(model._meta.db_table)
    by_name = {f.attname: f for f in fields}
    names = [f.attname for f in fields]
    converted: dict[tuple, object] = {}  # dates repeat: convert each distinct value once

    def convert_value(name: str, value):
        try:
            return converted[(name, value)]
        except KeyError:
            result = by_name[name].get_db_prep_save(value, connection)
            converted[(name, value)] = result
            return result
        except TypeError:  # unhashable (JSON)
            return by_name[name].get_db_prep_save(value, connection)

    to_convert = [(i, name) for i, name in enumerate(names) if name in convert]
    pick = operator.itemgetter(*names, *names)  # twice: always a tuple, even for one field
    width = len(names)

    def values(row: dict) -> tuple:
        out = list(pick({**defaults, **row})[:width])
        if not to_convert:
            return tuple(out)
        for i, name in to_convert:
            if out[i] is not None:
                out[i] = convert_value(name, out[i])
        return tuple(out)

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
            return count
        # Table and column names come from the model, never from input.
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            batch.append(values(row))
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


# Fields whose values (as the columns hold them, or after the conversion below) psycopg
# sends in COPY's binary format: the server then parses no text, and our process formats
# about a third as much (sixth round, benchmarks/README.md). Other fields: text COPY.
_BINARY_COPY_FIELDS = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "PositiveBigIntegerField", "ForeignKey", "OneToOneField", "CharField", "TextField",
    "DateField", "DateTimeField", "BooleanField", "FloatField",
})


def insert_columns(
    model: type[models.Model], columns: dict[str, Sequence], count: int,
    constants: dict[str, object] | None = None, *, with_pk: bool = False,
) -> int:
    """Insert `count` rows given as columns (a list per field, attnames) and constants (one
    value for every row), without a dict or model instance per row.

    The column-wise twin of `insert_rows`: fields not given get the model default; dates,
    datetimes, JSON and decimals are converted once per distinct value; the row tuples are
    built by `zip` and go to SQLite's `executemany` or PostgreSQL's COPY as they are made
    (binary COPY when every field is of a plain type: then each column must hold its
    field's Python type — int, str, date, aware datetime, bool, float — or None).
    """
    constants = constants or {}
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    unknown = set(columns) | set(constants)
    unknown -= {f.attname for f in fields}
    if unknown:
        raise ValueError(f"Onbekende velden voor {model.__name__}: {sorted(unknown)}")
    if any(len(column) != count for column in columns.values()):
        raise ValueError("Alle kolommen moeten even lang zijn.")
    if not count:
        return 0
    parts = []
    for f in fields:
        needs_conversion = isinstance(
            f, models.DateField | models.JSONField | models.DecimalField)
        if f.attname in columns:
            column = columns[f.attname]
            if needs_conversion:
                try:
                    memo = {value: (None if value is None
                                    else f.get_db_prep_save(value, connection))
                            for value in set(column)}
                    column = map(memo.__getitem__, column)
                except TypeError:  # unhashable values (JSON): one by one
                    column = [None if value is None else f.get_db_prep_save(value, connection)
                              for value in column]
            parts.append(column)
            continue
        value = constants[f.attname] if f.attname in constants else f.get_default()
        if needs_conversion and value is not None:
            value = f.get_db_prep_save(value, connection)
        parts.append(_Constant(value, count))
    rows = zip(*parts, strict=True)
    qn = connection.ops.quote_name
    names = ", ".join(qn(f.column) for f in fields)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            binary = all(f.get_internal_type() in _BINARY_COPY_FIELDS for f in fields)
            if binary:
                # The column types as the server has them, for the binary COPY.
                cursor.execute(
                    "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = "
                    "quote_ident(%s)::regclass AND attnum > 0 AND NOT attisdropped",
                    [model._meta.db_table])
                oids = dict(cursor.fetchall())
            options = " (FORMAT BINARY)" if binary else ""
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN{options}") as copy:
                if binary:
                    copy.set_types([oids[f.column] for f in fields])
                write = copy.write_row
                for row in rows:
                    write(row)
            return count
        # A column with one value in every row (the delivery's organisation, creator,
        # time and status; often its theme, source, empty reporter, ...) is written once,
        # as a literal in the statement, instead of bound per row: binding costs ~0.13 µs
        # per value, 2-3 s per million rows of signals (benchmarks/README.md, seventh round).
        literals = [_sqlite_literal(part) for part in parts]
        each = _sqlite_json_each(parts, literals, count)
        if each is not None:
            # One statement instead of one step per row (binding from Python is most of
            # an executemany's time: 1,000,000 delivery records 1.33 -> 0.35 s).
            select, text = each
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {select} "  # noqa: S608
                           "FROM json_each(%s)", [text])
            return count
        bound = [part for part, literal in zip(parts, literals, strict=True) if literal is None]
        row = "(" + ", ".join("%s" if literal is None else literal for literal in literals) + ")"
        rows = zip(*bound, strict=True) if bound else repeat((), count)
        # Many rows per statement: each execution of a statement costs ~1 µs of Python
        # besides binding (1,000,000 signal rows 2.4-2.7 -> 1.3-1.7 s with 256 per
        # statement); at most 999 values per statement, SQLite's oldest limit.
        per_statement = max(1, min(256, 999 // max(1, len(bound)), 100_000 // len(row)))
        full, rest = divmod(count, per_statement)
        # Table and column names come from the model, never from input; literals are
        # quoted by `_sqlite_literal`.
        insert = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
        if full:
            cursor.executemany(
                insert + ", ".join([row] * per_statement),
                (tuple(chain.from_iterable(islice(rows, per_statement))) for _ in range(full)))
        if rest:
            cursor.execute(insert + ", ".join([row] * rest), tuple(chain.from_iterable(rows)))
    return count


def _sqlite_json_each(parts: list, literals: list[str | None], count: int
                      ) -> tuple[str, str] | None:
    """The SELECT list and JSON text to insert the rows in one statement, when besides the
    literals there is one column of text and the rest are runs of consecutive integers
    (a delivery's records: their keys, and the signal ids reserved as one range); None
    otherwise. Each row is an element of a JSON array read by `json_each`: the text column
    is the element's value, an integer column its position plus the run's first value."""
    text_column: list | None = None
    select = []
    for part, literal in zip(parts, literals, strict=True):
        if literal is not None:
            select.append(literal)
            continue
        if not isinstance(part, list) or len(part) != count:
            return None
        first = part[0]
        if type(first) is int and set(map(type, part)) == {int} \
                and first >= -(2**63) and first + count <= 2**63 \
                and part == list(range(first, first + count)):  # SQLite's 64-bit integers
            select.append(f"{int(first)} + key")
        elif text_column is None and set(map(type, part)) == {str}:
            text_column = part
            select.append("value")
        else:
            return None
    if text_column is None:
        return None
    text = json.dumps(text_column, ensure_ascii=False)
    if "\\u0000" in text:  # JSON's NUL escape: SQLite's JSON functions end text there
        return None
    return ", ".join(select), text


class _Constant(repeat):
    """`repeat(value, count)` that still knows its value."""

    def __new__(cls, value: object, count: int):
        made = super().__new__(cls, value, count)
        made.value = value
        return made


def _sqlite_literal(part: Iterable) -> str | None:
    """The SQL literal of a column that holds one value in every row, if it is of a type
    whose literal SQLite stores exactly as it stores the bound value (None, bool, 64-bit
    int, text without NUL); None otherwise (the column is bound per row).

    The text is quoted as SQLite quotes ('' for '), and % is doubled for Django's
    placeholder translation, which turns %% back into %."""
    if isinstance(part, _Constant):
        value = part.value
    elif isinstance(part, list) and part:
        value = part[0]
        if part.count(value) != len(part):
            return None
        kind = type(value)
        if kind in (int, bool) and len(set(map(type, part))) > 1:
            return None  # 1 == 1.0 == True, but they are stored differently
    else:
        return None
    kind = type(value)
    if value is None:
        return "NULL"
    if kind is bool:
        return "1" if value else "0"
    if kind is int:
        return str(value) if -(2**63) <= value < 2**63 else None
    if isinstance(value, str) and "\x00" not in value:
        text = str.__str__(value)  # a str subclass (TextChoices) binds as its plain text
        return "'" + text.replace("'", "''").replace("%", "%%") + "'"
    return None


@contextmanager
def large_write() -> Iterator[None]:
    """Settings for writing many rows in one transaction, restored afterwards.

    SQLite: a larger page cache (up to 1 GB; pages are taken only as they are used) for
    this connection, so the rows and indexes of a million new signals stay in memory until
    the commit instead of being spilled and re-read (measured: 1,000,000 signal rows 13.1 ->
    10.9 CPU s against 256 MB). Only a cache size: durability (journal, synchronous) is
    untouched. Other databases: nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -1048576")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _log_created(user, ids: Sequence[int], detail: str, channel: str) -> None:
    """One processing-log row for all signals a delivery created (either path)."""
    record(user=user, action=Action.CREATE, object_type="signals.signal", object_ids=ids,
           purpose=PURPOSE_PARTNER_DELIVERY, detail=detail, channel=channel)


def _check_sources(organisation: Organisation, source_type_ids: set) -> None:
    """A delivery registers only source types the organisation's kind may register."""
    wrong = {pk for pk in source_type_ids if pk is not None} - permissions.registrable_source_ids(
        organisation)
    if wrong:
        raise ValidationError(
            _("%(org)s mag geen signalen uit deze bron registreren.") % {"org": organisation.name},
            code="source_type_not_allowed",
        )


def _check(user, organisation: Organisation, rows: Sequence[dict]) -> None:
    if not scope.organisations_for_create(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            _("U mag geen signalen registreren namens %(org)s.") % {"org": organisation.name}
        )
    _check_sources(organisation, {row.get("source_type_id") for row in rows})
    clearance = permissions.register_ceiling(user, organisation)
    if any(row.get("confidentiality", 1) > clearance for row in rows):
        raise ValidationError(
            _("Uw rol mag geen signalen met deze vertrouwelijkheid registreren."),
            code="confidentiality_above_clearance",
        )


def bulk_create_signals(
    *,
    user,
    organisation: Organisation,
    rows: Sequence[dict],
    detail: str = "",
    is_synthetic: bool = False,
    created_at=None,
    channel: str | None = None,
) -> list[int]:
    """Store `rows` (dicts of Signal field values, ids for foreign keys); return their ids.

    All or nothing: the rows, their history and the log row are one transaction.
    """
    _check(user, organisation, rows)
    if not rows:
        return []
    now = created_at or timezone.now()
    user_id = getattr(user, "pk", None)
    # What duplicate linking needs, taken while writing instead of read back afterwards;
    # only when the values have their stored types (dates, ids).
    addressed: list[tuple] | None = []

    def prepared(ids: list[int]):
        for pk, values in zip(ids, rows, strict=True):
            row = dict(values)
            if row.get("is_anonymous"):
                row["reporter_name"] = row["reporter_contact"] = ""
            if "address_status" not in row:
                given = any(row.get(f) for f in ADDRESS_FIELDS)
                row["address_status"] = (
                    AddressStatus.UNRESOLVED if given else AddressStatus.NOT_GIVEN
                )
            row.update(
                id=pk, reference=f"KNP-{row['received_on'].year}-{pk:06d}",
                reporting_organisation_id=organisation.pk,
                created_by_id=user_id, status=Status.RECEIVED, is_synthetic=is_synthetic,
                created_at=now, updated_at=now,
            )
            nonlocal addressed
            if addressed is not None:
                if type(row["received_on"]) is date and type(row["theme_id"]) is int:
                    found = row_of(pk, row)
                    if found is not None:
                        addressed.append(found)
                else:
                    addressed = None
            yield row

    with transaction.atomic(), large_write():
        ids = reserve_ids(Signal, len(rows))
        insert_rows(Signal, prepared(ids), with_pk=True)
        link_new_signals(ids, addressed)
        _log_created(user, ids, detail, channel)
    return ids


def _new_rows_of(ids: Sequence[int], columns: dict[str, Sequence]) -> list[tuple] | None:
    """`duplicates.row_of` for every row with an address, from the columns; None when the
    values are not of their stored types (then the links read the rows back)."""
    days, themes = columns["received_on"], columns["theme_id"]
    if {type(d) for d in set(days)} != {date} or {type(t) for t in set(themes)} != {int}:
        return None

    def column(name: str, default: object) -> Iterable:
        return columns.get(name, repeat(default, len(ids)))

    registers, postcodes = column("address_register_id", ""), column("postcode", "")
    numbers = column("house_number", None)
    letters, additions = column("house_letter", ""), column("house_number_addition", "")
    return [
        (pk, theme, day, ("bag", register) if register
         else ("pc", postcode, number, letter, addition))
        for pk, theme, day, register, postcode, number, letter, addition in zip(
            ids, themes, days, registers, postcodes, numbers, letters, additions, strict=True)
        if register or (postcode and number)
    ]


def bulk_create_signal_columns(
    *,
    user,
    organisation: Organisation,
    columns: dict[str, list],
    detail: str = "",
    is_synthetic: bool = False,
    channel: str | None = None,
) -> list[int]:
    """`bulk_create_signals` for rows held as columns: a list per Signal field (attnames,
    ids for foreign keys), all of one length; returns the new ids in row order.

    The same rules: the organisation and every row's confidentiality are checked against
    the user, anonymous rows keep no reporter, `address_status` follows the address fields
    unless given, references are `KNP-{year}-{pk:06d}`, possible duplicates are linked and
    one processing-log row names every id; all in one transaction. No dict per row: the
    row tuples are zipped from the columns as they are written (`insert_columns`).
    """
    counts = {len(column) for column in columns.values()}
    if len(counts) > 1:
        raise ValueError("Alle kolommen moeten even lang zijn.")
    count = counts.pop() if counts else 0
    if not scope.organisations_for_create(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            _("U mag geen signalen registreren namens %(org)s.") % {"org": organisation.name}
        )
    if count:
        _check_sources(organisation, set(columns.get("source_type_id", [])))
    clearance = permissions.register_ceiling(user, organisation)
    if count and max(columns.get("confidentiality", [1])) > clearance:
        raise ValidationError(
            _("Uw rol mag geen signalen met deze vertrouwelijkheid registreren."),
            code="confidentiality_above_clearance",
        )
    if not count:
        return []
    columns = dict(columns)
    anonymous = columns.get("is_anonymous")
    if anonymous is not None and any(anonymous):
        # An anonymous row never keeps a reporter, whatever the caller passed.
        for name in ("reporter_name", "reporter_contact"):
            if name in columns:
                columns[name] = ["" if anon else value
                                 for anon, value in zip(anonymous, columns[name], strict=True)]
    if "address_status" not in columns:
        given = [any(values) for values in zip(
            *(columns.get(name, repeat(None, count)) for name in ADDRESS_FIELDS), strict=False)]
        columns["address_status"] = [
            AddressStatus.UNRESOLVED if g else AddressStatus.NOT_GIVEN for g in given]
    now = timezone.now()
    with transaction.atomic(), large_write():
        ids = reserve_ids(Signal, count)
        years = {day: day.year for day in set(columns["received_on"])}
        columns["id"] = ids
        columns["reference"] = [f"KNP-{years[day]}-{pk:06d}"
                                for day, pk in zip(columns["received_on"], ids, strict=True)]
        insert_columns(
            Signal, columns, count,
            {"reporting_organisation_id": organisation.pk,
             "created_by_id": getattr(user, "pk", None), "status": Status.RECEIVED,
             "is_synthetic": is_synthetic, "created_at": now, "updated_at": now},
            with_pk=True,
        )
        link_new_signals_alongside(ids, _new_rows_of(ids, columns))
        _log_created(user, ids, detail, channel)
    return ids
