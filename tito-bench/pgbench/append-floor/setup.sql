SET client_min_messages = warning;
DROP SCHEMA IF EXISTS pgb CASCADE; CREATE SCHEMA pgb;
CREATE TABLE pgb.kv (k bytea PRIMARY KEY, v bytea, ver bigint NOT NULL, xid xid8);
CREATE INDEX ON pgb.kv (ver) WHERE v IS NULL;
CREATE TABLE pgb.meta (id int PRIMARY KEY, version bigint NOT NULL, stamp_base bigint NOT NULL DEFAULT 0);
INSERT INTO pgb.meta VALUES (1, 0, 0);
CREATE TABLE pgb.holds (name varchar(100) PRIMARY KEY, ver bigint NOT NULL);
CREATE SEQUENCE pgb.seq;
CREATE TABLE pgb.axon (global_index bigserial PRIMARY KEY, aggregate_identifier varchar(255) NOT NULL, sequence_number bigint NOT NULL, type varchar(255), event_identifier varchar(255) NOT NULL UNIQUE, meta_data bytea, payload bytea NOT NULL, payload_revision varchar(255), payload_type varchar(255) NOT NULL, time_stamp varchar(255) NOT NULL, UNIQUE (aggregate_identifier, sequence_number));
CREATE FUNCTION pgb.commit1(l1 int, l2 int, hashes bigint[], nonce text, ek bytea[], ev bytea[], ep boolean[], lean boolean,
  pk bytea[], pv bytea[], sp bytea[], sv bytea[], so int[]) RETURNS TABLE (ver bigint, holds boolean, stamp bigint, hole boolean, ids text, mismatch bytea)
LANGUAGE plpgsql AS $$
DECLARE ok text;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(l1, l2);
  PERFORM count(pg_advisory_xact_lock(h)) FROM unnest(hashes) AS u(h);
  SELECT nextval('pgb.seq'::regclass), EXISTS (SELECT 1 FROM pgb.holds), f.stamp, f.hole,
    CASE WHEN f.hole THEN pg_current_snapshot()::text END,
    set_config('tito.commit', CASE WHEN f.hole OR f.mismatch IS NOT NULL THEN '' ELSE nonce END, false),
    f.mismatch
  INTO ver, holds, stamp, hole, ids, ok, mismatch
  FROM (SELECT c.n + m.stamp_base AS stamp,
    (SELECT e.k FROM unnest(ek, ev, ep) AS e(k, v, present)
       LEFT JOIN LATERAL (SELECT x.v FROM pgb.kv x WHERE x.k = e.k LIMIT 1) AS x ON true
       WHERE CASE WHEN e.present THEN x.v IS DISTINCT FROM e.v ELSE x.v IS NOT NULL END LIMIT 1) AS mismatch,
    CASE WHEN m.x = 0 THEN false ELSE pg_xact_status((c.n + ((m.x - c.n) % 4294967296 + 6442450944) % 4294967296 - 2147483648)::text::xid8) IN ('committed', 'in progress') END
      OR (lean AND EXISTS (SELECT 1 FROM pgb.holds)) AS hole
    FROM (SELECT xmax::text::bigint AS x, stamp_base FROM pgb.meta WHERE id = 1) AS m,
         (SELECT pg_current_xact_id()::text::bigint AS n) AS c) AS f;
  IF ok <> '' THEN
    INSERT INTO pgb.kv AS t (k, v, ver, xid)
      SELECT w.k, w.v, ver, pg_current_xact_id() FROM (SELECT x.k, x.v FROM unnest(pk, pv) AS x(k, v)
        UNION ALL SELECT s.p || int8send(stamp) || substring(int4send(s.o) FROM 3 FOR 2), s.v FROM unnest(sp, sv, so) AS s(p, v, o)) AS w
      ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, ver = EXCLUDED.ver, xid = EXCLUDED.xid;
  END IF;
  RETURN NEXT;
END $$;
