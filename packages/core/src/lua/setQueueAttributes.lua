-- Writes validated attributes; an empty value removes the attribute.
-- KEYS[1] meta  hash
-- ARGV[1] now (ms)
-- ARGV[2..] field, value pairs
-- Returns {"ok", previous redrive target or ""} | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local previous = redis.call('HGET', KEYS[1], 'redrive_target') or ''
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[1], ARGV[i])
  else
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call('HSET', KEYS[1], 'modified', ARGV[1])
return {'ok', previous}
