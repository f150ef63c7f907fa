-- Writes one attribute of an existing topic (never recreating a deleted one),
-- optionally only if its value is still the one the caller read, so
-- concurrent AddPermission/RemovePermission calls never lose a statement.
-- KEYS[1] meta
-- ARGV[1] attribute name
-- ARGV[2] new value
-- ARGV[3] "always", or "if" to write only when the value is still ARGV[4]
-- ARGV[4] the value the caller read ("" when none was stored)
-- Returns {"ok"} | {"missing"} | {"changed"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'missing'}
end
if ARGV[3] == 'if' and (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[4] then
  return {'changed'}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {'ok'}
