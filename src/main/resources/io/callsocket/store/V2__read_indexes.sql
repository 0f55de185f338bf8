-- Version 2: the operators' read side lists calls by time range, DID or caller.
CREATE INDEX IF NOT EXISTS calls_connected_at ON calls (connected_at);
CREATE INDEX IF NOT EXISTS calls_did_number ON calls (did_number, connected_at);
CREATE INDEX IF NOT EXISTS calls_caller_id ON calls (caller_id, connected_at);
