-- Version 1: one row per call, the server's record of the connection and the platform's CDR.
-- Identical on H2 and PostgreSQL. Text columns hold what the store cut to their width; the CDR's
-- whole original message is in cdr_json.
CREATE TABLE IF NOT EXISTS calls (
    -- The record's own id, given when it was spooled: a replay of a record never makes a second row.
    id                          VARCHAR(36)  NOT NULL PRIMARY KEY,
    -- Null for a connection that never had a call accepted (each such connection keeps its own row).
    session_id                  VARCHAR(128) UNIQUE,
    caller_id                   VARCHAR(128),
    did_number                  VARCHAR(128),
    connected_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    incoming_at                 TIMESTAMP WITH TIME ZONE,
    answered_at                 TIMESTAMP WITH TIME ZONE,
    ended_at                    TIMESTAMP WITH TIME ZONE,
    closed_at                   TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_by                    VARCHAR(16),
    digits_received             VARCHAR(1024) NOT NULL,
    digits_sent                 VARCHAR(1024) NOT NULL,
    audio_frames_in             BIGINT NOT NULL,
    audio_bytes_in              BIGINT NOT NULL,
    audio_frames_out            BIGINT NOT NULL,
    audio_bytes_out             BIGINT NOT NULL,
    audio_frames_dropped_outside_call BIGINT NOT NULL,
    audio_frames_dropped_backlog      BIGINT NOT NULL,
    protocol_errors             INTEGER NOT NULL,
    cdr_session_id              VARCHAR(128),
    cdr_session_mismatch        BOOLEAN NOT NULL,
    cdr_destination             VARCHAR(128),
    cdr_start_time              TIMESTAMP WITH TIME ZONE,
    cdr_answer_time             TIMESTAMP WITH TIME ZONE,
    cdr_end_time                TIMESTAMP WITH TIME ZONE,
    cdr_duration                INTEGER,
    cdr_billable_seconds        INTEGER,
    cdr_disposition             VARCHAR(32),
    cdr_hangup_by               VARCHAR(32),
    cdr_hangup_cause_code       INTEGER,
    cdr_hangup_cause_text       VARCHAR(256),
    cdr_json                    TEXT
);
