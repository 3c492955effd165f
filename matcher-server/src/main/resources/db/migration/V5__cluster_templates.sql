-- Cluster mode (docs/CLUSTER.md): the gallery's system of record is this table, beside the records. One row
-- per enrolled subject: its templates as the engine stores them (format byte, finger count, then per finger
-- its position and SourceAFIS template; org.openabis.matcher.gallery.SubjectCodec). The members' partitioned
-- map writes through to it and loads from it when a whole cluster starts. A single node does not use it.
CREATE TABLE subject_template (
    subject_id VARCHAR(256) NOT NULL PRIMARY KEY,  -- NFC subject id (at most 64 code points)
    templates  BYTEA        NOT NULL
);
