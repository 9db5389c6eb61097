-- The backup catalog: every backup run, its outcome and its verification. The store (S3 or
-- data/backups) is the truth about which backups exist: a backup is a folder with a manifest; the
-- catalog is rebuilt from manifests it does not know. Not itself part of any backup.
CREATE TABLE backup_catalog (
  id              VARCHAR(64)   NOT NULL,
  state           VARCHAR(16)   NOT NULL,
  trigger_kind    VARCHAR(16)   NOT NULL,
  requested_by    VARCHAR(200)  NULL,
  reason          VARCHAR(500)  NULL,
  started_at      DATETIME(6)   NOT NULL,
  finished_at     DATETIME(6)   NULL,
  tables_count    INT           NULL,
  rows_count      BIGINT        NULL,
  bytes           BIGINT        NULL,
  manifest_sha256 CHAR(64)      NULL,
  location        VARCHAR(1000) NULL,
  verified        BOOLEAN       NULL,
  verified_at     DATETIME(6)   NULL,
  verification    JSON          NULL,
  error           VARCHAR(2000) NULL,
  PRIMARY KEY (id),
  KEY ix_catalog_started (started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
