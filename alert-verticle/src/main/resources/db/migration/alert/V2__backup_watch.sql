-- What the alert role knows of backups: when the newest verified backup finished, and since when it
-- has been watching (the recovery point's age counts from there while no backup is known).
CREATE TABLE backup_watch (
  id                 TINYINT     NOT NULL,
  newest_verified_at DATETIME(6) NULL,
  watching_since     DATETIME(6) NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
