-- Forgets deduplication ids whose 5-minute window has ended, a few at a
-- time (each send or publish prunes about twice what it may add).
-- ids: hash id -> what the first message answered; expiry: zset id -> ms
local function pruneDeduplication(ids, expiry, now, limit)
  local expired = redis.call('ZRANGEBYSCORE', expiry, '-inf', now, 'LIMIT', 0, limit)
  if #expired > 0 then
    redis.call('HDEL', ids, unpack(expired))
    redis.call('ZREM', expiry, unpack(expired))
  end
end
