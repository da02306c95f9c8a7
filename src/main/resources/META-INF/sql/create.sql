CREATE TABLE IF NOT EXISTS scriptcast_run (id VARCHAR(40) NOT NULL PRIMARY KEY, script VARCHAR(64) NOT NULL, params VARCHAR(1000000) NOT NULL, state VARCHAR(16) NOT NULL, exit_code INTEGER, started_by VARCHAR(255), cancelled_by VARCHAR(255), created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT, last_event_id BIGINT NOT NULL, output_bytes BIGINT NOT NULL)
CREATE INDEX IF NOT EXISTS scriptcast_run_state ON scriptcast_run (state)
CREATE INDEX IF NOT EXISTS scriptcast_run_finished ON scriptcast_run (finished_at)
CREATE TABLE IF NOT EXISTS scriptcast_event_block (run_id VARCHAR(40) NOT NULL, last_id BIGINT NOT NULL, first_id BIGINT NOT NULL, events BYTEA NOT NULL, PRIMARY KEY (run_id, last_id))
