-- Deletes a queue and all its messages; leaves a tombstone so its name cannot
-- be reused for a while, as SQS does.
-- KEYS[1] meta  KEYS[2] tombstone  KEYS[3] tags  KEYS[4] messages
-- KEYS[5] receipts  KEYS[6] schedule  KEYS[7] delayed  KEYS[8] sent
-- KEYS[9] outbox  KEYS[10] stats  KEYS[11] dlq-sources  KEYS[12] move-tasks
-- ARGV[1] tombstone lifetime (ms)
-- Returns {"ok", redrive target queue name or ""} | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local target = redis.call('HGET', KEYS[1], 'redrive_target') or ''
redis.call('UNLINK', KEYS[1], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return {'ok', target}
