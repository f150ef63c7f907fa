-- Adds or removes a queue's tags; a queue holds at most 50.
-- KEYS[1] meta  KEYS[2] tags
-- ARGV[1] "tag" or "untag"
-- ARGV[2..] for tag: key, value pairs; for untag: keys
-- Returns {"ok"} | {"QueueDoesNotExist"} | {"TooManyTags"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
if ARGV[1] == 'untag' then
  for i = 2, #ARGV do
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
  return {'ok'}
end
local total = redis.call('HLEN', KEYS[2])
for i = 2, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
    total = total + 1
  end
end
if total > 50 then
  return {'TooManyTags'}
end
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return {'ok'}
