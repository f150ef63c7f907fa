--@include fifoGroups
-- Step 1 of a message move task: parks up to N visible messages in the outbox
-- with their destination ("" = back to the queue each came from). A FIFO
-- queue gives each group's messages from its head, in order, and none of a
-- group with a message in flight, so the destination sees each group's order.
-- KEYS[1] meta  KEYS[2] schedule  KEYS[3] outbox  KEYS[4] receipts
-- KEYS[5] groups  KEYS[6] order  KEYS[7] members
-- ARGV[1] now (ms)
-- ARGV[2] most messages to take
-- ARGV[3] destination queue name, or ""
-- Returns {"ok", ids in the order to move them...} | {"QueueDoesNotExist"}
local fifo = redis.call('HGET', KEYS[1], 'FifoQueue')
if not fifo and redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local q = { schedule = KEYS[2], receipts = KEYS[4], groups = KEYS[5], order = KEYS[6], members = KEYS[7] }
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local reply = {'ok'}
local function park(id)
  redis.call('ZREM', q.schedule, id)
  redis.call('HSET', KEYS[3], id, 'move:' .. ARGV[3])
  reply[#reply + 1] = id
end

if fifo ~= 'true' then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', q.schedule, '-inf', now, 'LIMIT', 0, max)) do
    park(id)
  end
  return reply
end

for _ = 1, 10 do
  local wanted = max - (#reply - 1)
  local ready = wanted > 0 and redis.call('ZRANGEBYSCORE', q.groups, '-inf', now, 'LIMIT', 0, wanted) or {}
  if #ready == 0 then
    break
  end
  for _, group in ipairs(ready) do
    if #reply - 1 >= max then
      break
    end
    local members = groupMembers(q, group, max - (#reply - 1))
    local ids = {}
    for n, member in ipairs(members) do
      local _, _, id = splitMember(member)
      ids[n] = id
    end
    local scores = #ids > 0 and redis.call('ZMSCORE', q.schedule, unpack(ids)) or {}
    for n, id in ipairs(ids) do
      if not scores[n] or tonumber(scores[n]) > now then
        break
      end
      redis.call('ZREM', q.order, members[n])
      park(id)
    end
    refreshGroup(q, group, now)
  end
end
return reply
