-- Step 2 of a move between queues: adds a message, keeping its id and first
-- sent time, unless the destination already has it (the step may repeat).
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] schedule  KEYS[4] sent
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3] message id
-- ARGV[4] payload
-- ARGV[5] first sent (ms)
-- Returns {"ok", 1 inserted | 0 already there} | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
if redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[4]) == 0 then
  return {'ok', 0}
end
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
redis.call('PUBLISH', ARGV[2], 1)
return {'ok', 1}
