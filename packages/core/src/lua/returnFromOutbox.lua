-- Undoes step 1 of a move whose destination is gone: the message becomes
-- visible in its queue again, nothing lost.
-- KEYS[1] schedule  KEYS[2] outbox
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3..] message ids
-- Returns the number of messages returned
local done = 0
for i = 3, #ARGV do
  if redis.call('HDEL', KEYS[2], ARGV[i]) == 1 then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i])
    done = done + 1
  end
end
if done > 0 then
  redis.call('PUBLISH', ARGV[2], done)
end
return done
