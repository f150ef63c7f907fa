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
-- One variadic command per structure for the whole batch: the per-call cost
-- inside Lua is most of a script's time.
local payloads, schedule, sent, delayed = {}, {}, {}, {}
local bytes, visibleNow, firstDelayed = 0, 0, nil
for i = 3, #ARGV, 4 do
  local id, size = ARGV[i], tonumber(ARGV[i + 2])
  if size > maxSize then
    reply[#reply + 1] = 0
  else
    local delay = tonumber(ARGV[i + 3]) or queueDelay
    -- ARGV[1] as it came: formatting a number per message costs more than the
    -- Redis calls of the whole batch.
    local visibleAt = ARGV[1]
    if delay > 0 then
      visibleAt = string.format('%d', now + delay * 1000)
      if not firstDelayed or delay * 1000 < firstDelayed then
        firstDelayed = delay * 1000
      end
    end
    payloads[#payloads + 1] = id
    payloads[#payloads + 1] = ARGV[i + 1]
    schedule[#schedule + 1] = visibleAt
    schedule[#schedule + 1] = id
    sent[#sent + 1] = ARGV[1]
    sent[#sent + 1] = id
    if delay > 0 then
      delayed[#delayed + 1] = visibleAt
      delayed[#delayed + 1] = id
    else
      visibleNow = visibleNow + 1
    end
    bytes = bytes + size
    reply[#reply + 1] = 1
  end
end
if #payloads > 0 then
  redis.call('HSET', KEYS[2], unpack(payloads))
  redis.call('ZADD', KEYS[3], unpack(schedule))
  redis.call('ZADD', KEYS[5], unpack(sent))
  redis.call('HINCRBY', KEYS[6], 'sent', #payloads / 2)
  redis.call('HINCRBY', KEYS[6], 'bytes_sent', bytes)
end
if #delayed > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  redis.call('ZADD', KEYS[4], unpack(delayed))
end
if visibleNow > 0 then
  redis.call('PUBLISH', ARGV[2], visibleNow)
end
if firstDelayed then
  -- Waiting receivers learn when the first delayed message turns visible.
  redis.call('PUBLISH', ARGV[2], 't:' .. string.format('%d', now + firstDelayed))
end
return reply
