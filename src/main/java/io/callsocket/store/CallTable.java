package io.callsocket.store;

import io.callsocket.CallRecord;
import io.callsocket.EndedBy;
import io.callsocket.EventDecoder;
import io.callsocket.InboundEvent;
import jakarta.websocket.DecodeException;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code calls} table: how a record becomes a row and a row a record. Typed CDR columns are
 * best effort (a value that does not parse or fit is null or cut short there); the whole CDR as
 * sent is always in {@code cdr_json}, so bad input never costs a row.
 */
final class CallTable {
    static final String COLUMNS = "session_id, caller_id, did_number, connected_at, incoming_at, answered_at, "
            + "ended_at, closed_at, ended_by, digits_received, digits_sent, audio_frames_in, audio_bytes_in, "
            + "audio_frames_out, audio_bytes_out, audio_frames_dropped_outside_call, audio_frames_dropped_backlog, "
            + "protocol_errors, cdr_session_id, cdr_session_mismatch, cdr_destination, cdr_start_time, "
            + "cdr_answer_time, cdr_end_time, cdr_duration, cdr_billable_seconds, cdr_disposition, cdr_hangup_by, "
            + "cdr_hangup_cause_code, cdr_hangup_cause_text, cdr_json";
    private static final int COUNT = COLUMNS.split(",").length;

    /**
     * A new call, or a replay of one already there (same id), or a sessionId already there: then
     * nothing. Plain SQL both databases take; see {@link #UPDATE} for the sessionId already there.
     * Two NOT EXISTS, not one with OR: H2 answers an OR by scanning the table.
     */
    static final String INSERT = "INSERT INTO calls (id, " + COLUMNS + ") SELECT ?, " + "?, ".repeat(COUNT - 1)
            + "? WHERE NOT EXISTS (SELECT 1 FROM calls WHERE id = ?) AND NOT EXISTS (SELECT 1 FROM calls WHERE session_id = ?)";

    /**
     * A later connection of a call replaces a row that has no CDR yet (a reconnect); a row with its
     * CDR is final, so a CDR is stored exactly once.
     */
    static final String UPDATE = "UPDATE calls SET (" + COLUMNS + ") = (" + "?, ".repeat(COUNT - 1) + "?) "
            + "WHERE session_id = ? AND cdr_json IS NULL AND id <> ?";

    private CallTable() {
    }

    /**
     * Writes {@code batch} in one transaction, in order.
     *
     * @return for each record, whether it changed the table (false: a replay, or a call whose CDR is stored)
     */
    static boolean[] write(Connection connection, List<StoredRecord> batch) throws SQLException {
        boolean[] changed = new boolean[batch.size()];
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement(INSERT);
             PreparedStatement update = connection.prepareStatement(UPDATE)) {
            // One record after the other, not as a JDBC batch: a later record of the same call must
            // see an earlier one in the same transaction, which drivers that reorder or rewrite a
            // batch would not promise.
            for (int i = 0; i < batch.size(); i++) {
                StoredRecord stored = batch.get(i);
                int n = bind(insert, 2, stored.record());
                insert.setString(1, stored.id());
                insert.setString(n, stored.id());
                text(insert, n + 1, stored.record().sessionId(), 128);
                changed[i] = insert.executeUpdate() > 0;
                if (!changed[i] && stored.record().sessionId() != null) {
                    n = bind(update, 1, stored.record());
                    text(update, n, stored.record().sessionId(), 128);
                    update.setString(n + 1, stored.id());
                    changed[i] = update.executeUpdate() > 0;
                }
            }
            connection.commit();
            return changed;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    /** Binds the record's columns from {@code first}; returns the next free parameter index. */
    private static int bind(PreparedStatement s, int first, CallRecord r) throws SQLException {
        int i = first;
        text(s, i++, r.sessionId(), 128);
        text(s, i++, r.callerId(), 128);
        text(s, i++, r.didNumber(), 128);
        time(s, i++, r.connectedAt());
        time(s, i++, r.incomingAt());
        time(s, i++, r.answeredAt());
        time(s, i++, r.endedAt());
        time(s, i++, r.closedAt());
        text(s, i++, r.endedBy() == null ? null : r.endedBy().toString(), 16);
        text(s, i++, r.digitsReceived(), 1024);
        text(s, i++, r.digitsSent(), 1024);
        CallRecord.Audio a = r.audio();
        s.setLong(i++, a.framesIn());
        s.setLong(i++, a.bytesIn());
        s.setLong(i++, a.framesOut());
        s.setLong(i++, a.bytesOut());
        s.setLong(i++, a.framesDroppedOutsideCall());
        s.setLong(i++, a.framesDroppedBacklog());
        s.setInt(i++, r.protocolErrors());
        InboundEvent.Cdr c = r.cdr();
        text(s, i++, c == null ? null : c.sessionId(), 128);
        s.setBoolean(i++, r.cdrSessionMismatch());
        text(s, i++, c == null ? null : c.destination(), 128);
        time(s, i++, c == null ? null : parseTime(c.startTime()));
        time(s, i++, c == null ? null : parseTime(c.answerTime()));
        time(s, i++, c == null ? null : parseTime(c.endTime()));
        integer(s, i++, c == null ? null : parseInteger(c.duration()));
        integer(s, i++, c == null ? null : parseInteger(c.billableSeconds()));
        text(s, i++, c == null ? null : c.disposition(), 32);
        text(s, i++, c == null ? null : c.hangupBy(), 32);
        integer(s, i++, c == null ? null : parseInteger(c.hangupCauseCode()));
        text(s, i++, c == null ? null : c.hangupCauseText(), 256);
        // The whole CDR: the original message when we have it, else (a CDR built in code) none.
        text(s, i++, c == null ? null : c.json() == null ? "" : c.json(), Integer.MAX_VALUE);
        return i;
    }

    /** The record a row holds; the CDR is decoded again from the JSON the platform sent. */
    static CallRecord read(ResultSet row) throws SQLException {
        String json = row.getString("cdr_json");
        String endedBy = row.getString("ended_by");
        return new CallRecord(row.getString("session_id"), row.getString("caller_id"), row.getString("did_number"),
                instant(row, "connected_at"), instant(row, "incoming_at"), instant(row, "answered_at"),
                instant(row, "ended_at"), instant(row, "closed_at"),
                endedBy == null ? null : EndedBy.valueOf(endedBy.toUpperCase(java.util.Locale.ROOT)),
                row.getString("digits_received"), row.getString("digits_sent"),
                new CallRecord.Audio(row.getLong("audio_frames_in"), row.getLong("audio_bytes_in"),
                        row.getLong("audio_frames_out"), row.getLong("audio_bytes_out"),
                        row.getLong("audio_frames_dropped_outside_call"), row.getLong("audio_frames_dropped_backlog")),
                row.getInt("protocol_errors"), json == null ? null : cdr(row, json),
                row.getBoolean("cdr_session_mismatch"));
    }

    private static InboundEvent.Cdr cdr(ResultSet row, String json) throws SQLException {
        try {
            if (!json.isEmpty() && new EventDecoder().decode(json) instanceof InboundEvent.Cdr cdr) {
                return cdr;
            }
        } catch (DecodeException | RuntimeException notAsSent) {
            // It was decoded once to be stored; if it no longer is, the typed columns still say it.
        }
        return new InboundEvent.Cdr(row.getString("cdr_session_id"), row.getString("cdr_destination"),
                text(instant(row, "cdr_start_time")), text(instant(row, "cdr_answer_time")),
                text(instant(row, "cdr_end_time")), row.getString("cdr_duration"),
                row.getString("cdr_billable_seconds"), row.getString("cdr_disposition"), row.getString("cdr_hangup_by"),
                row.getString("cdr_hangup_cause_code"), row.getString("cdr_hangup_cause_text"), json);
    }

    /** ISO-8601 with an offset ("2026-11-24T12:00:00Z", "...+01:00"); anything else: null. */
    static Instant parseTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A whole number, sent as a number or a numeric string ("12", 12, "12.0"); anything else: null. */
    static Integer parseInteger(String value) {
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value.strip()).intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Cut to the column's width; NUL, which PostgreSQL refuses in text, becomes U+FFFD. Cut on a
     * code point boundary so no half surrogate pair is left.
     */
    static String fit(String value, int width) {
        if (value == null) {
            return null;
        }
        String clean = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        if (clean.length() <= width) {
            return clean;
        }
        int end = Character.isHighSurrogate(clean.charAt(width - 1)) ? width - 1 : width;
        return clean.substring(0, end);
    }

    private static void text(PreparedStatement s, int i, String value, int width) throws SQLException {
        if (value == null) {
            s.setNull(i, Types.VARCHAR);
        } else {
            s.setString(i, fit(value, width));
        }
    }

    private static void time(PreparedStatement s, int i, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(i, value.atOffset(ZoneOffset.UTC));
        }
    }

    private static void integer(PreparedStatement s, int i, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(i, Types.INTEGER);
        } else {
            s.setInt(i, value);
        }
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String text(Instant value) {
        return value == null ? null : value.toString();
    }

    static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Every row, oldest first: for tests and the export. */
    static List<CallRecord> all(Connection connection) throws SQLException {
        List<CallRecord> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery("SELECT * FROM calls ORDER BY connected_at, id")) {
            while (rows.next()) {
                out.add(read(rows));
            }
        }
        return out;
    }
}
