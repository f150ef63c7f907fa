--@include expireOld
--@include messageKeys
-- Reads a queue's attributes and approximate counts in one consistent view,
-- after dropping messages past their retention period.
-- KEYS[1] meta
-- KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule  KEYS[5] delayed
-- KEYS[6] sent  KEYS[7] outbox  KEYS[8] groups  KEYS[9] order  KEYS[10] members
-- ARGV[1] now (ms)
-- Returns {"ok", visible, inFlight, delayed, oldest sent ms or "", meta field, value, ...}
--       | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local q = messageKeys(2)
local now = tonumber(ARGV[1])
local retention = tonumber(redis.call('HGET', KEYS[1], 'MessageRetentionPeriod'))
expireOld(q, now - retention * 1000, 1000, now)
local visible = redis.call('ZCOUNT', q.schedule, '-inf', now)
local delayed = redis.call('ZCOUNT', q.delayed, '(' .. now, '+inf')
local notVisible = redis.call('ZCOUNT', q.schedule, '(' .. now, '+inf')
local oldest = redis.call('ZRANGE', q.sent, 0, 0, 'WITHSCORES')
local reply = {'ok', visible, notVisible - delayed, delayed, oldest[2] or ''}
local meta = redis.call('HGETALL', KEYS[1])
for i = 1, #meta do
  reply[#reply + 1] = meta[i]
end
return reply
