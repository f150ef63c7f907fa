-- Sets one attribute of a subscription's record (an empty value removes it),
-- or removes the subscription (and its replay). Setting ReplayPolicy starts
-- a new replay in place of any other; removing it stops the replay.
-- KEYS[1] subscriptions
-- KEYS[2] replays
-- ARGV[1] subscription id
-- ARGV[2] "set" or "delete"
-- ARGV[3] attribute name ("set")
-- ARGV[4] value ("set")
-- ARGV[5] the new replay's state (JSON) when ARGV[3] is ReplayPolicy
-- Returns {"ok"} | {"ok", deleted record} | {"NotFound"}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then
  return {'NotFound'}
end
if ARGV[2] == 'delete' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  return {'ok', raw}
end
local record = cjson.decode(raw)
if ARGV[4] == '' then
  record.attributes[ARGV[3]] = nil
else
  record.attributes[ARGV[3]] = ARGV[4]
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(record))
if ARGV[3] == 'ReplayPolicy' then
  if ARGV[4] == '' then
    redis.call('HDEL', KEYS[2], ARGV[1])
  else
    redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
  end
end
return {'ok'}
