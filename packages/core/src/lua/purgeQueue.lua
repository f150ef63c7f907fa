--@include messageKeys
-- Deletes every message of a queue, at most once a minute. Messages already
-- on their way to another queue (the outbox) are kept so the move completes.
-- FIFO deduplication records stay: the 5-minute window outlives a purge.
-- KEYS[1] meta
-- KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule  KEYS[5] delayed
-- KEYS[6] sent  KEYS[7] outbox  KEYS[8] groups  KEYS[9] order  KEYS[10] members
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
local q = messageKeys(2)
local keep = {}
for _, id in ipairs(redis.call('HKEYS', q.outbox)) do
  keep[#keep + 1] = {
    id,
    redis.call('HGET', q.messages, id),
    redis.call('HGET', q.receipts, id),
    redis.call('ZSCORE', q.sent, id),
    redis.call('HGET', q.members, id),
  }
end
redis.call('UNLINK', q.messages, q.receipts, q.schedule, q.delayed, q.sent, q.groups, q.order, q.members)
for _, m in ipairs(keep) do
  if m[2] then
    redis.call('HSET', q.messages, m[1], m[2])
    if m[3] then
      redis.call('HSET', q.receipts, m[1], m[3])
    end
    if m[5] then
      redis.call('HSET', q.members, m[1], m[5])
    end
    redis.call('ZADD', q.sent, m[4] or now, m[1])
  end
end
redis.call('HSET', KEYS[1], 'purged_at', now)
return {'ok'}
