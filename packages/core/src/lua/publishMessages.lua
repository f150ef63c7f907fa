-- Records published messages in the topic's log: acknowledged once here, each
-- is fanned out to the subscriptions by the delivery workers.
-- KEYS[1] meta  KEYS[2] log  KEYS[3] stats
-- ARGV[1] wake channel
-- ARGV[2..] one record (JSON) per message
-- Returns {"ok", stream entry id per message} | {"NotFound"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NotFound'}
end
local reply = {'ok'}
for i = 2, #ARGV do
  reply[#reply + 1] = redis.call('XADD', KEYS[2], '*', 'm', ARGV[i])
end
redis.call('HINCRBY', KEYS[3], 'published', #ARGV - 1)
redis.call('PUBLISH', ARGV[1], #ARGV - 1)
return reply
