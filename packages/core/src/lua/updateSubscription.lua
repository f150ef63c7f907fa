-- Sets one attribute of a subscription's record (an empty value removes it),
-- or removes the subscription.
-- KEYS[1] subscriptions
-- ARGV[1] subscription id
-- ARGV[2] "set" or "delete"
-- ARGV[3] attribute name ("set")
-- ARGV[4] value ("set")
-- Returns {"ok"} | {"ok", deleted record} | {"NotFound"}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then
  return {'NotFound'}
end
if ARGV[2] == 'delete' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return {'ok', raw}
end
local record = cjson.decode(raw)
if ARGV[4] == '' then
  record.attributes[ARGV[3]] = nil
else
  record.attributes[ARGV[3]] = ARGV[4]
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(record))
return {'ok'}
