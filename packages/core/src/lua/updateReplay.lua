-- Records a replay's progress, unless a newer ReplayPolicy (or an
-- Unsubscribe) replaced or removed it meanwhile.
-- KEYS[1] replays
-- ARGV[1] subscription id
-- ARGV[2] the replay's id
-- ARGV[3] its new state (JSON)
-- Returns {"ok"} | {"changed"}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw or cjson.decode(raw).id ~= ARGV[2] then
  return {'changed'}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {'ok'}
