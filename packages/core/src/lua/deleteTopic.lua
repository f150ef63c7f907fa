-- Deletes a topic, its subscriptions and what is left of its log. Deleting a
-- topic that does not exist succeeds, as in SNS.
-- KEYS[1] meta  KEYS[2] tags  KEYS[3] subscriptions  KEYS[4] log
-- KEYS[5] stats  KEYS[6] topics (global zset)  KEYS[7] dedup
-- KEYS[8] dedup-expiry  KEYS[9] fan-out lease  KEYS[10] replays
-- ARGV[1] topic name
-- Returns {"ok"}
redis.call('UNLINK', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
redis.call('ZREM', KEYS[6], ARGV[1])
return {'ok'}
