--@include expireOld
-- Drops messages past the queue's retention period, for queues nobody reads.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule
-- KEYS[5] delayed  KEYS[6] sent  KEYS[7] outbox
-- ARGV[1] now (ms)
-- ARGV[2] most messages to drop in this call
-- Returns the number dropped
local retention = tonumber(redis.call('HGET', KEYS[1], 'MessageRetentionPeriod'))
if not retention then
  return 0
end
return expireOld(KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], tonumber(ARGV[1]) - retention * 1000, tonumber(ARGV[2]))
