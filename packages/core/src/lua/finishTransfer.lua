--@include removeMessage
--@include messageKeys
-- Step 3 of a move between queues: forgets messages the destination now holds.
-- They left their FIFO group's order when parked, so no group changes.
-- KEYS[1] messages  KEYS[2] receipts  KEYS[3] schedule  KEYS[4] delayed
-- KEYS[5] sent  KEYS[6] outbox  KEYS[7] groups  KEYS[8] order  KEYS[9] members
-- KEYS[10] stats
-- ARGV[1] stats counter to add the moved messages to
-- ARGV[2..] message ids
-- Returns the number of messages forgotten
local q = messageKeys(1)
local done = 0
for i = 2, #ARGV do
  if redis.call('HEXISTS', q.outbox, ARGV[i]) == 1 then
    removeMessage(q, ARGV[i])
    done = done + 1
  end
end
if done > 0 then
  redis.call('HINCRBY', KEYS[10], ARGV[1], done)
end
return done
