-- Creates a queue unless it exists or was deleted less than 60 s ago.
-- KEYS[1] meta       hash
-- KEYS[2] tombstone  string
-- KEYS[3] tags       hash
-- ARGV[1] now (ms)
-- ARGV[2] number of attribute pairs that follow
-- ARGV[3..] attribute name, value pairs, then tag key, value pairs
-- Returns {"created"} | {"exists", meta field, value, ...} | {"QueueDeletedRecently"}
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'QueueDeletedRecently'}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  local reply = redis.call('HGETALL', KEYS[1])
  table.insert(reply, 1, 'exists')
  return reply
end
local now = ARGV[1]
local pairsCount = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'created', now, 'modified', now)
local i = 3
for _ = 1, pairsCount do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i < #ARGV do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
return {'created'}
