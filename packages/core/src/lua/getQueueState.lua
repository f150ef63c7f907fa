--@include expireOld
-- Reads a queue's attributes and approximate counts in one consistent view,
-- after dropping messages past their retention period.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule
-- KEYS[5] delayed  KEYS[6] sent  KEYS[7] outbox
-- ARGV[1] now (ms)
-- Returns {"ok", visible, inFlight, delayed, oldest sent ms or "", meta field, value, ...}
--       | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local now = tonumber(ARGV[1])
local retention = tonumber(redis.call('HGET', KEYS[1], 'MessageRetentionPeriod'))
expireOld(KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], now - retention * 1000, 1000)
local visible = redis.call('ZCOUNT', KEYS[4], '-inf', now)
local delayed = redis.call('ZCOUNT', KEYS[5], '(' .. now, '+inf')
local notVisible = redis.call('ZCOUNT', KEYS[4], '(' .. now, '+inf')
local oldest = redis.call('ZRANGE', KEYS[6], 0, 0, 'WITHSCORES')
local reply = {'ok', visible, notVisible - delayed, delayed, oldest[2] or ''}
local meta = redis.call('HGETALL', KEYS[1])
for i = 1, #meta do
  reply[#reply + 1] = meta[i]
end
return reply
