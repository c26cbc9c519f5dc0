\set r random(1, 1000000000000)
INSERT INTO pgb.axon (aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) VALUES ('w0-' || :client_id, :r, 'Account', 'id-' || :r, '\x7b7d'::bytea, '\x7b22616d6f756e74223a3230387d'::bytea, NULL, 'io.tito.bench.events.Deposited', '2026-12-03T19:54:04.795Z');
