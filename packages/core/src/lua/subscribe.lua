-- Adds a subscription unless the topic has one with the same protocol and
-- endpoint, which SNS answers with instead (when its attributes agree).
-- KEYS[1] meta  KEYS[2] subscriptions
-- ARGV[1] new subscription id
-- ARGV[2] protocol
-- ARGV[3] endpoint
-- ARGV[4] the new subscription's record (JSON)
-- Returns {"created", id} | {"exists", id, record} | {"NotFound"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NotFound'}
end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local record = cjson.decode(all[i + 1])
  if record.protocol == ARGV[2] and record.endpoint == ARGV[3] then
    return {'exists', all[i], all[i + 1]}
  end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
return {'created', ARGV[1]}
