package io.callsocket.store;

import io.callsocket.CallRecord;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operators' read side of the call records: what has reached the database (a record still in
 * the spool shows once it is written). Each query takes its own connection.
 */
public final class CallLog {
    private final Database database;

    public CallLog(Database database) {
        this.database = database;
    }

    /**
     * Which calls to list: those that connected in [from, to), of one DID and/or one caller when
     * given (null: any), oldest first, at most {@code limit}.
     */
    public record Query(Instant from, Instant to, String didNumber, String callerId, int limit) {
        public Query {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
        }

        public static Query between(Instant from, Instant to) {
            return new Query(from, to, null, null, 1000);
        }

        public Query did(String number) {
            return new Query(from, to, number, callerId, limit);
        }

        public Query caller(String number) {
            return new Query(from, to, didNumber, number, limit);
        }

        public Query limit(int max) {
            return new Query(from, to, didNumber, callerId, max);
        }
    }

    /** One call with its CDR. */
    public Optional<CallRecord> find(String sessionId) {
        return query("SELECT * FROM calls WHERE session_id = ?", List.of(sessionId), 1).stream().findFirst();
    }

    public List<CallRecord> list(Query query) {
        List<Object> params = new ArrayList<>();
        return query(select(query, params), params, query.limit());
    }

    /** The newest {@code limit} calls, newest last. */
    public List<CallRecord> recent(int limit) {
        List<CallRecord> newestFirst = query("SELECT * FROM calls ORDER BY connected_at DESC, id DESC", List.of(), limit);
        List<CallRecord> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * Writes the calls as CSV (RFC 4180): a header of the table's column names, then one line per
     * call, times in UTC ISO-8601.
     *
     * @return the number of calls written
     */
    public int exportCsv(Query query, Writer out) throws IOException {
        List<Object> params = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement s = prepare(c, select(query, params), params, query.limit());
             ResultSet rows = s.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            int columns = meta.getColumnCount();
            for (int i = 1; i <= columns; i++) {
                out.write((i > 1 ? "," : "") + csv(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT)));
            }
            out.write("\r\n");
            int count = 0;
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    out.write((i > 1 ? "," : "") + csv(value(rows, meta, i)));
                }
                out.write("\r\n");
                count++;
            }
            return count;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the calls from " + database + ": " + e.getMessage(), e);
        }
    }

    private static String select(Query query, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT * FROM calls WHERE 1 = 1");
        if (query.from() != null) {
            sql.append(" AND connected_at >= ?");
            params.add(query.from().atOffset(ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" AND connected_at < ?");
            params.add(query.to().atOffset(ZoneOffset.UTC));
        }
        if (query.didNumber() != null) {
            sql.append(" AND did_number = ?");
            params.add(query.didNumber());
        }
        if (query.callerId() != null) {
            sql.append(" AND caller_id = ?");
            params.add(query.callerId());
        }
        return sql.append(" ORDER BY connected_at, id").toString();
    }

    private List<CallRecord> query(String sql, List<Object> params, int limit) {
        try (Connection c = database.connect(); PreparedStatement s = prepare(c, sql, params, limit);
             ResultSet rows = s.executeQuery()) {
            List<CallRecord> out = new ArrayList<>();
            while (rows.next()) {
                out.add(CallTable.read(rows));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the calls from " + database + ": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params, int limit) throws SQLException {
        // FETCH FIRST is what H2 and PostgreSQL both take.
        PreparedStatement s = c.prepareStatement(sql + " FETCH FIRST " + limit + " ROWS ONLY");
        for (int i = 0; i < params.size(); i++) {
            s.setObject(i + 1, params.get(i));
        }
        return s;
    }

    private static String value(ResultSet rows, ResultSetMetaData meta, int i) throws SQLException {
        int type = meta.getColumnType(i);
        if (type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE) {
            OffsetDateTime time = rows.getObject(i, OffsetDateTime.class);
            return time == null ? "" : time.toInstant().toString();
        }
        if (type == Types.BOOLEAN || type == Types.BIT) {
            // PostgreSQL would say "t", H2 "TRUE": one spelling whatever the database.
            boolean flag = rows.getBoolean(i);
            return rows.wasNull() ? "" : String.valueOf(flag);
        }
        String text = rows.getString(i);
        return text == null ? "" : text;
    }

    static String csv(String value) {
        if (value.isEmpty() || value.chars().noneMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
