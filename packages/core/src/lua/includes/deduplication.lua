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

-- The key a deduplication id is remembered under: per group with the
-- MessageGroup scope, else across the whole queue or topic.
local function deduplicationKey(perGroup, group, id)
  return perGroup and (group .. '\0' .. id) or id
end

-- Of `keys`, those still in their window, each with what its first message
-- answered ("<message id> <sequence number>").
local function knownDuplicates(ids, expiry, keys, now)
  local known = {}
  if #keys == 0 then
    return known
  end
  local firsts = redis.call('HMGET', ids, unpack(keys))
  local ends = redis.call('ZMSCORE', expiry, unpack(keys))
  for n, key in ipairs(keys) do
    if firsts[n] and tonumber(ends[n]) and tonumber(ends[n]) > now then
      known[key] = firsts[n]
    end
  end
  return known
end
