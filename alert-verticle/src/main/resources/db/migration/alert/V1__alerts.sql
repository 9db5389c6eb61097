-- Alert state, history, silences, the notification outbox, and what the alert role must remember
-- across restarts (monitors it has heard from, where each log tail got to).

CREATE TABLE alerts (
  -- one row per fingerprint (rule + labels): its latest episode
  fingerprint         CHAR(16)      NOT NULL,
  rule                VARCHAR(64)   NOT NULL,
  severity            VARCHAR(16)   NOT NULL,
  labels              JSON          NOT NULL,
  state               VARCHAR(16)   NOT NULL,
  value               DOUBLE        NULL,
  summary             VARCHAR(1000) NULL,
  starts_at           DATETIME(6)   NOT NULL,
  fired_at            DATETIME(6)   NULL,
  resolved_at         DATETIME(6)   NULL,
  notified_at         DATETIME(6)   NULL,
  firing_notified     BOOLEAN       NOT NULL DEFAULT FALSE,
  repeats             INT           NOT NULL DEFAULT 0,
  acknowledged_by     VARCHAR(200)  NULL,
  acknowledged_at     DATETIME(6)   NULL,
  acknowledge_comment VARCHAR(2000) NULL,
  updated_at          DATETIME(6)   NOT NULL,
  PRIMARY KEY (fingerprint),
  KEY ix_alerts_state (state)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE alert_history (
  id          BIGINT        NOT NULL AUTO_INCREMENT,
  fingerprint CHAR(16)      NOT NULL,
  rule        VARCHAR(64)   NOT NULL,
  event       VARCHAR(32)   NOT NULL,
  state       VARCHAR(16)   NOT NULL,
  severity    VARCHAR(16)   NOT NULL,
  labels      JSON          NOT NULL,
  value       DOUBLE        NULL,
  summary     VARCHAR(1000) NULL,
  actor       VARCHAR(200)  NULL,
  detail      JSON          NULL,
  at          DATETIME(6)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_history_fingerprint (fingerprint, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE silences (
  id         CHAR(36)      NOT NULL,
  matchers   JSON          NOT NULL,
  starts_at  DATETIME(6)   NOT NULL,
  ends_at    DATETIME(6)   NOT NULL,
  author     VARCHAR(200)  NOT NULL,
  comment    VARCHAR(2000) NOT NULL,
  created_at DATETIME(6)   NOT NULL,
  expired_by VARCHAR(200)  NULL,
  PRIMARY KEY (id),
  KEY ix_silences_ends (ends_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Written in the same transaction as the alert change that calls for it, before anything is sent;
-- sent_at is set only once SNS (or the local notifier) accepted it.
CREATE TABLE notification_outbox (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  dedup_id        VARCHAR(128)  NOT NULL,
  kind            VARCHAR(16)   NOT NULL,
  rule            VARCHAR(64)   NOT NULL,
  severity        VARCHAR(16)   NOT NULL,
  alerts          JSON          NOT NULL,
  created_at      DATETIME(6)   NOT NULL,
  attempts        INT           NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6)   NOT NULL,
  sent_at         DATETIME(6)   NULL,
  last_error      VARCHAR(1000) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_outbox_dedup (dedup_id),
  KEY ix_outbox_pending (sent_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE monitor_heartbeats (
  host             VARCHAR(255) NOT NULL,
  instance         VARCHAR(64)  NOT NULL,
  interval_seconds INT          NOT NULL,
  last_seen        DATETIME(6)  NOT NULL,
  PRIMARY KEY (host, instance)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE log_tail_checkpoints (
  source     VARCHAR(512) NOT NULL,
  position   JSON         NOT NULL,
  updated_at DATETIME(6)  NOT NULL,
  PRIMARY KEY (source)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
