-- The newest status update id that the committed alert decisions cover: a new lease holder replays
-- every update after it (the status role has them), so no state change in a takeover is skipped.
CREATE TABLE status_watermark (
  id             TINYINT NOT NULL,
  last_update_id BIGINT  NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
