-- Reads what metrics show of one queue, changing nothing (a scrape must not
-- write: no retention expiry here, the maintenance sweep does that).
-- KEYS[1] meta  KEYS[2] stats  KEYS[3] schedule  KEYS[4] delayed  KEYS[5] sent
-- KEYS[6] groups
-- ARGV[1] now (ms)
-- Returns {"ok", visible, not visible, delayed, oldest sent ms or "",
--          FIFO groups with messages in flight, redrive target or "",
--          stats field, value, ...}
--       | {"QueueDoesNotExist"}
local target = redis.call('HMGET', KEYS[1], 'created', 'redrive_target')
if not target[1] then
  return {'QueueDoesNotExist'}
end
local now = ARGV[1]
local visible = redis.call('ZCOUNT', KEYS[3], '-inf', now)
local notVisible = redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf')
local delayed = redis.call('ZCOUNT', KEYS[4], '(' .. now, '+inf')
local oldest = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
local groupsInFlight = redis.call('ZCOUNT', KEYS[6], '(' .. now, '+inf')
local reply = {'ok', visible, notVisible, delayed, oldest[2] or '', groupsInFlight, target[2] or ''}
local stats = redis.call('HGETALL', KEYS[2])
for i = 1, #stats do
  reply[#reply + 1] = stats[i]
end
return reply
