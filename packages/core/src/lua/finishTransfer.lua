--@include removeMessage
-- Step 3 of a move between queues: forgets messages the destination now holds.
-- KEYS[1] messages  KEYS[2] receipts  KEYS[3] schedule  KEYS[4] delayed
-- KEYS[5] sent  KEYS[6] outbox  KEYS[7] stats
-- ARGV[1] stats counter to add the moved messages to
-- ARGV[2..] message ids
-- Returns the number of messages forgotten
local done = 0
for i = 2, #ARGV do
  if redis.call('HEXISTS', KEYS[6], ARGV[i]) == 1 then
    removeMessage(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[i])
    done = done + 1
  end
end
if done > 0 then
  redis.call('HINCRBY', KEYS[7], ARGV[1], done)
end
return done
