-- Replaces a topic's Policy only if it is still the one the caller read, so
-- concurrent AddPermission/RemovePermission calls never lose a statement.
-- KEYS[1] meta
-- ARGV[1] the Policy the caller read ("" when the topic had none stored)
-- ARGV[2] the new Policy
-- Returns {"ok"} | {"missing"} | {"changed"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'missing'}
end
if (redis.call('HGET', KEYS[1], 'Policy') or '') ~= ARGV[1] then
  return {'changed'}
end
redis.call('HSET', KEYS[1], 'Policy', ARGV[2])
return {'ok'}
