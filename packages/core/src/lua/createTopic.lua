-- Creates a topic, with its log stream and the log's fan-out consumer group,
-- unless it exists.
-- KEYS[1] meta  KEYS[2] tags  KEYS[3] log  KEYS[4] topics (global zset)
-- ARGV[1] now (ms)
-- ARGV[2] topic name
-- ARGV[3] number of attribute pairs that follow
-- ARGV[4..] attribute name, value pairs, then tag key, value pairs
-- Returns {"created"} | {"exists", meta field, value, ...}
if redis.call('EXISTS', KEYS[1]) == 1 then
  local reply = redis.call('HGETALL', KEYS[1])
  table.insert(reply, 1, 'exists')
  return reply
end
-- log_ms 0: log entry ids follow the caller's clock from the first publish
redis.call('HSET', KEYS[1], 'created', ARGV[1], 'log_ms', 0)
local i = 4
for _ = 1, tonumber(ARGV[3]) do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i < #ARGV do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('DEL', KEYS[3])
redis.call('XGROUP', 'CREATE', KEYS[3], 'fanout', '$', 'MKSTREAM')
redis.call('ZADD', KEYS[4], 0, ARGV[2])
return {'created'}
