-- Enqueues up to ten messages, each checked against the queue's
-- MaximumMessageSize in the same atomic step as the write.
-- KEYS[1] meta      hash
-- KEYS[2] messages  hash
-- KEYS[3] schedule  zset
-- KEYS[4] delayed   zset
-- KEYS[5] sent      zset
-- KEYS[6] stats     hash
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3..] per message: id, payload, size in bytes, delay seconds ("" = the queue's)
-- Returns {"ok", maximum size, status per message (1 sent, 0 too long)}
--       | {"QueueDoesNotExist"}
local meta = redis.call('HMGET', KEYS[1], 'MaximumMessageSize', 'DelaySeconds')
if not meta[1] then
  return {'QueueDoesNotExist'}
end
local maxSize = tonumber(meta[1])
local queueDelay = tonumber(meta[2]) or 0
local now = tonumber(ARGV[1])
local reply = {'ok', maxSize}
local sent, bytes, visibleNow = 0, 0, 0
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
for i = 3, #ARGV, 4 do
  local id, payload, size = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  if size > maxSize then
    reply[#reply + 1] = 0
  else
    local delay = tonumber(ARGV[i + 3]) or queueDelay
    local visibleAt = now + delay * 1000
    redis.call('HSET', KEYS[2], id, payload)
    redis.call('ZADD', KEYS[3], visibleAt, id)
    redis.call('ZADD', KEYS[5], now, id)
    if delay > 0 then
      redis.call('ZADD', KEYS[4], visibleAt, id)
    else
      visibleNow = visibleNow + 1
    end
    sent = sent + 1
    bytes = bytes + size
    reply[#reply + 1] = 1
  end
end
if sent > 0 then
  redis.call('HINCRBY', KEYS[6], 'sent', sent)
  redis.call('HINCRBY', KEYS[6], 'bytes_sent', bytes)
end
if visibleNow > 0 then
  redis.call('PUBLISH', ARGV[2], visibleNow)
end
return reply
