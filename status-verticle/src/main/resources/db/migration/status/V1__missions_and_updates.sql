-- Missions and their subsystems' status updates.
-- Text is utf8mb4 with a binary collation: ids and slugs compare exactly, as the API does.

CREATE TABLE missions (
  -- internal order for cursor pagination; the API's id is the slug
  seq                     BIGINT       NOT NULL AUTO_INCREMENT,
  id                      VARCHAR(64)  NOT NULL,
  name                    VARCHAR(200) NOT NULL,
  destination             VARCHAR(200) NULL,
  phase                   VARCHAR(16)  NOT NULL,
  expected_report_seconds INT          NOT NULL,
  version                 BIGINT       NOT NULL DEFAULT 1,
  created_at              DATETIME(6)  NOT NULL,
  updated_at              DATETIME(6)  NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY uq_missions_id (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE status_updates (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  mission_id      VARCHAR(64)   NOT NULL,
  subsystem       VARCHAR(32)   NOT NULL,
  level           VARCHAR(16)   NOT NULL,
  message         VARCHAR(2000) NOT NULL,
  telemetry       JSON          NULL,
  reported_at     DATETIME(6)   NULL,
  recorded_at     DATETIME(6)   NOT NULL,
  -- a client's Idempotency-Key: a retried request finds the update it already made
  idempotency_key VARCHAR(64)   NULL,
  PRIMARY KEY (id),
  -- history of a mission, newest first, and "after id" catch-up
  KEY ix_updates_mission (mission_id, id),
  -- latest update per subsystem (without it MariaDB reads a mission's whole history)
  KEY ix_updates_subsystem (mission_id, subsystem, id),
  KEY ix_updates_level (mission_id, level, id),
  UNIQUE KEY uq_updates_idempotency (mission_id, idempotency_key),
  CONSTRAINT fk_updates_mission FOREIGN KEY (mission_id) REFERENCES missions (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
