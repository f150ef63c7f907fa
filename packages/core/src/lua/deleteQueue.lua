-- Deletes a queue and all its messages; leaves a tombstone so its name cannot
-- be reused for a while, as SQS does.
-- KEYS[1] meta  KEYS[2] tombstone  KEYS[3] tags  KEYS[4] stats
-- KEYS[5] dlq-sources  KEYS[6] move-tasks
-- KEYS[7] messages  KEYS[8] receipts  KEYS[9] schedule  KEYS[10] delayed
-- KEYS[11] sent  KEYS[12] outbox  KEYS[13] groups  KEYS[14] order
-- KEYS[15] members  KEYS[16] dedup  KEYS[17] dedup-expiry  KEYS[18] attempts
-- KEYS[19] attempt-expiry
-- ARGV[1] tombstone lifetime (ms)
-- Returns {"ok", redrive target queue name or ""} | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local target = redis.call('HGET', KEYS[1], 'redrive_target') or ''
local doomed = {}
for i = 1, #KEYS do
  if i ~= 2 then
    doomed[#doomed + 1] = KEYS[i]
  end
end
redis.call('UNLINK', unpack(doomed))
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return {'ok', target}
