--@include expireOld
--@include messageKeys
-- Drops messages past the queue's retention period, for queues nobody reads.
-- KEYS[1] meta
-- KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule  KEYS[5] delayed
-- KEYS[6] sent  KEYS[7] outbox  KEYS[8] groups  KEYS[9] order  KEYS[10] members
-- ARGV[1] now (ms)
-- ARGV[2] most messages to drop in this call
-- Returns the number dropped
local retention = tonumber(redis.call('HGET', KEYS[1], 'MessageRetentionPeriod'))
if not retention then
  return 0
end
local now = tonumber(ARGV[1])
return expireOld(messageKeys(2), now - retention * 1000, tonumber(ARGV[2]), now)
