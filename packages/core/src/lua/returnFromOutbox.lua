--@include fifoGroups
-- Undoes step 1 of a move whose destination is gone: the message becomes
-- visible in its queue again, in its old place in its FIFO group, nothing lost.
-- KEYS[1] schedule  KEYS[2] outbox  KEYS[3] receipts  KEYS[4] groups
-- KEYS[5] order  KEYS[6] members
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3..] message ids
-- Returns the number of messages returned
local q = { schedule = KEYS[1], receipts = KEYS[3], groups = KEYS[4], order = KEYS[5], members = KEYS[6] }
local now = tonumber(ARGV[1])
local done = 0
local groups = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('HDEL', KEYS[2], id) == 1 then
    redis.call('ZADD', q.schedule, now, id)
    local member = redis.call('HGET', q.members, id)
    if member then
      redis.call('ZADD', q.order, 0, member)
      groups[splitMember(member)] = true
    end
    done = done + 1
  end
end
refreshGroups(q, groups, now)
if done > 0 then
  redis.call('PUBLISH', ARGV[2], done)
end
return done
