-- Deletes every message of a queue, at most once a minute. Messages already
-- on their way to another queue (the outbox) are kept so the move completes.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule
-- KEYS[5] delayed  KEYS[6] sent  KEYS[7] outbox
-- ARGV[1] now (ms)
-- ARGV[2] minimum ms between purges
-- Returns {"ok"} | {"QueueDoesNotExist"} | {"PurgeQueueInProgress"}
local last = redis.call('HGET', KEYS[1], 'purged_at')
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local now = tonumber(ARGV[1])
if last and now - tonumber(last) < tonumber(ARGV[2]) then
  return {'PurgeQueueInProgress'}
end
local keep = {}
for _, id in ipairs(redis.call('HKEYS', KEYS[7])) do
  keep[#keep + 1] = {
    id,
    redis.call('HGET', KEYS[2], id),
    redis.call('HGET', KEYS[3], id),
    redis.call('ZSCORE', KEYS[6], id),
  }
end
redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
for _, m in ipairs(keep) do
  if m[2] then
    redis.call('HSET', KEYS[2], m[1], m[2])
    if m[3] then
      redis.call('HSET', KEYS[3], m[1], m[3])
    end
    redis.call('ZADD', KEYS[6], m[4] or now, m[1])
  end
end
redis.call('HSET', KEYS[1], 'purged_at', now)
return {'ok'}
