-- Step 1 of a message move task: parks up to N visible messages in the outbox
-- with their destination ("" = back to the queue each came from).
-- KEYS[1] meta  KEYS[2] schedule  KEYS[3] outbox
-- ARGV[1] now (ms)
-- ARGV[2] most messages to take
-- ARGV[3] destination queue name, or ""
-- Returns {"ok", ids...} | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local reply = {'ok'}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('HSET', KEYS[3], id, 'move:' .. ARGV[3])
  reply[#reply + 1] = id
end
return reply
